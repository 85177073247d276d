"""The trends' statistics: periods, timelines, weighted log-odds, bursts and terms."""

from __future__ import annotations

import datetime as dt

import pytest

from wirewatch.analysis.trends import (
    Point,
    bursts,
    collapse,
    log_odds,
    period_bounds,
    period_of,
    periods,
    terms_of,
    timeline,
)

D = dt.date


@pytest.mark.parametrize(
    ("by", "label", "first", "last"),
    [
        ("day", "2011-12-19", D(2011, 12, 19), D(2011, 12, 19)),
        ("week", "2011-12-19", D(2011, 12, 19), D(2011, 12, 25)),  # a Monday to its Sunday
        ("month", "2012-02", D(2012, 2, 1), D(2012, 2, 29)),  # a leap year
        ("month", "2011-12", D(2011, 12, 1), D(2011, 12, 31)),
        ("year", "2012", D(2012, 1, 1), D(2012, 12, 31)),
    ],
)
def test_a_period_label_and_its_days(by: str, label: str, first: dt.date, last: dt.date) -> None:
    assert period_of(first, by) == period_of(last, by) == label  # type: ignore[arg-type]
    assert period_bounds(label, by) == (first, last)  # type: ignore[arg-type]
    assert period_of(last + dt.timedelta(days=1), by) != label  # type: ignore[arg-type]


def test_a_week_is_labelled_by_its_monday() -> None:
    assert period_of(D(2011, 12, 25), "week") == "2011-12-19"  # a Sunday
    assert list(periods(D(2011, 12, 30), D(2012, 1, 10), "week")) == ["2011-12-26", "2012-01-02", "2012-01-09"]


def test_a_timeline_keeps_empty_periods_and_gives_shares() -> None:
    matches = [(D(2011, 1, 5), 2), (D(2011, 1, 20), 1), (D(2011, 3, 2), 4)]
    totals = [(D(2011, 1, 5), 10), (D(2011, 1, 20), 10), (D(2011, 2, 1), 5), (D(2011, 3, 2), 8)]
    points = timeline(matches, totals, "month")
    assert points == [Point("2011-01", 3, 20), Point("2011-02", 0, 5), Point("2011-03", 4, 8)]
    assert [p.share for p in points] == [0.15, 0.0, 0.5]
    assert sum(p.count for p in points) == 7  # every match is in one period
    # A range given is covered whole, the periods without any article included.
    ranged = timeline(matches, totals, "month", since=D(2010, 12, 1), until=D(2011, 4, 30))
    assert [p.period for p in ranged] == ["2010-12", "2011-01", "2011-02", "2011-03", "2011-04"]
    assert ranged[0].share is None and ranged[-1].total == 0


def test_log_odds_ranks_a_sure_rise_above_a_chance_one() -> None:
    base = {"economy": 300, "army": 300, "rare": 1, "summit": 10}
    period = {"economy": 40, "army": 40, "rare": 3, "summit": 60}
    scored = {s.term: s for s in log_odds(period, base)}
    assert scored["summit"].z > scored["rare"].z > 0  # three in a week is weak evidence
    assert scored["economy"].delta < 0 and scored["army"].z < 0  # steady words fall behind
    assert log_odds(period, base)[0].term == "summit"
    assert scored["summit"].count == 60 and scored["summit"].baseline_count == 10


def test_log_odds_of_an_empty_period() -> None:
    assert log_odds({}, {"a": 3}) == []


def test_a_burst_is_found_where_the_rate_jumps_and_nowhere_else() -> None:
    counts = [2, 3, 2, 2, 30, 35, 28, 3, 2, 2, 3, 2]
    totals = [100] * len(counts)
    found = bursts(counts, totals)
    assert [(b.start, b.end) for b in found] == [(4, 6)]
    assert found[0].weight > 0
    assert bursts([2] * 12, [100] * 12) == []  # a steady rate has no burst
    assert bursts([0] * 5, [10] * 5) == []
    with pytest.raises(ValueError, match="length"):
        bursts([1, 2], [3])


def test_a_single_stray_article_is_no_burst() -> None:
    assert bursts([0, 0, 0, 1, 0, 0, 0, 0], [50] * 8) == []


def test_terms_leave_out_function_words_formulas_and_dates() -> None:
    text = "Kim Jong Il's visit to Russia. The visit of the delegation on Monday in October."
    found = terms_of(text, formulas=frozenset({"monday", "october"}), keep=frozenset({"il"}))
    assert {"visit", "russia", "delegation", "kim jong", "kim jong il", "jong il visit"} <= found
    assert "il" not in found and "il's" not in found  # two letters alone; the possessive dropped
    assert not {"the", "of", "to", "monday", "october", "visit of", "russia the"} & found
    assert "russia visit" not in found  # phrases never cross a sentence


def test_collapse_keeps_the_longest_phrase_that_accounts_for_its_parts() -> None:
    scored = log_odds(
        {"lee": 30, "myung": 30, "lee myung": 30, "myung bak": 30, "lee myung bak": 30, "traitor": 20},
        {"lee": 5, "myung": 5, "lee myung": 5, "myung bak": 5, "lee myung bak": 5, "traitor": 2},
    )
    assert sorted(s.term for s in collapse(scored)) == ["lee myung bak", "traitor"]
