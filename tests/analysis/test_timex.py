from __future__ import annotations

import datetime as dt

import pytest

from wirewatch.analysis.timex import find_dates

ANCHOR = dt.date(2018, 10, 11)  # a Thursday


def dates(sentence: str, anchor: dt.date = ANCHOR) -> list[tuple[str, str, str]]:
    return [(sentence[t.start : t.end], t.date.isoformat(), t.precision) for t in find_dates(sentence, anchor)]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # weekdays: the latest such day on or before the anchor, its own day included (D2)
        ("He left here on Sunday.", [("Sunday", "2018-10-07", "day")]),
        ("Rodong Sinmun Thursday says", [("Thursday", "2018-10-11", "day")]),
        (
            "The delegation will arrive next Monday.",
            [("next Monday", "2018-10-15", "day")],
        ),
        ("The talks will be held on Saturday.", [("Saturday", "2018-10-13", "day")]),
        # month and day (D4)
        ("on Oct. 5 sent a message", [("Oct. 5", "2018-10-05", "day")]),
        ("on May 27 sent a message", [("May 27", "2018-05-27", "day")]),
        ("a bulletin issued on Sept. 22", [("Sept. 22", "2018-09-22", "day")]),
        ("signed on December 20", [("December 20", "2017-12-20", "day")]),
        (
            "October 12 this year marks the anniversary",
            [("October 12 this year", "2018-10-12", "day")],
        ),
        ("on March 3 last year", [("March 3 last year", "2017-03-03", "day")]),
        ("on June 25, 1950", [("June 25, 1950", "1950-06-25", "day")]),
        ("on 5 October 2018", [("5 October 2018", "2018-10-05", "day")]),
        (
            "on June 5, Juche 35 (1946)",
            [("June 5, Juche 35 (1946)", "1946-06-05", "day")],
        ),
        (
            "on June 23 and 27",
            [
                ("June 23 and 27", "2018-06-23", "day"),
                ("June 23 and 27", "2018-06-27", "day"),
            ],
        ),
        ("from May 3 to 7", [("May 3", "2018-05-03", "day")]),
        # months (D5)
        ("In May the Supreme Leader met", [("May", "2018-05-01", "month")]),
        ("in November they met", [("November", "2017-11-01", "month")]),
        ("In October 1980 he proposed", [("October 1980", "1980-10-01", "month")]),
        ("the uprising in May of 1980", [("May of 1980", "1980-05-01", "month")]),
        ("last month", [("last month", "2018-09-01", "month")]),
        (
            "between April 22 and 30",
            [("between April 22 and 30", "2018-04-01", "month")],
        ),
        # years (D6)
        ("visited Pyongyang in 2000", [("2000", "2000-01-01", "year")]),
        (
            "visited Russia in 2001, 2002 and 2011",
            [
                ("2001", "2001-01-01", "year"),
                ("2002", "2002-01-01", "year"),
                ("2011", "2011-01-01", "year"),
            ],
        ),
        ("this year which marks", [("this year", "2018-01-01", "year")]),
        ("last year", [("last year", "2017-01-01", "year")]),
        ("in Juche 35", [("Juche 35", "1946-01-01", "year")]),
        ("the war (1950-1953)", [("1950", "1950-01-01", "year")]),
        # today, yesterday (D3)
        ("came here today", [("today", "2018-10-11", "day")]),
        ("said yesterday", [("yesterday", "2018-10-10", "day")]),
        # no date (D8) and things that look like dates
        ("recently said", []),
        ("the other day", []),
        ("in the 1990s", []),
        ("It may be that they left", []),
        ("May this be a lesson", []),
        ("more than 200 000 troops", []),
        ("1,200 tons and 2010 tonnes", []),
        ("the 48th issue of the paper", []),
        # documents named by their date (the inter-Korean declarations) are no dates
        ("the anniversary of the June 15 North-South Joint Declaration", []),
        ("the 4th anniversary of the October 4 declaration", []),
        ("the 40th anniversary of the July 4 Joint Statement", []),
    ],
)
def test_find_dates(sentence: str, expected: list[tuple[str, str, str]]) -> None:
    assert dates(sentence) == expected


def test_day_on_the_anchor_is_kept_and_next_day_goes_to_last_year() -> None:
    assert dates("on Oct. 11", ANCHOR) == [("Oct. 11", "2018-10-11", "day")]
    assert dates("on Oct. 12", ANCHOR) == [("Oct. 12", "2017-10-12", "day")]
    assert dates("will arrive on Oct. 12", ANCHOR) == [("Oct. 12", "2018-10-12", "day")]


def test_february_29_without_a_year_falls_back() -> None:
    assert dates("on Feb. 29", dt.date(2013, 3, 1)) == [("Feb. 29", "2012-02-29", "day")]
