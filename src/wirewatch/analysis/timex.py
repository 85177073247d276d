"""Date expressions in a sentence, resolved against the article's date.

``find_dates(sentence, anchor)`` gives every date expression it recognises, in text order,
as a :class:`TimeExpression`: where it is, the date it resolves to, and how precisely the
text gives it (``day``, ``month`` or ``year``; a month is dated to its first day, a year to
1 January). The rules are those of the gold guide (``docs/annotation-guide.md``, D1–D8):

- weekdays (``on Sunday``): the latest such day on or before the anchor, the anchor's day
  included; announced ones (``next Monday``, or a future cue such as ``will`` or ``to be
  held`` just before) the first on or after it;
- ``today`` / ``yesterday`` / ``tomorrow``;
- a month and day without a year (``Oct. 5``, ``on May 27``): the anchor's year, or the
  year before when that would put a past occurrence after the anchor; ``October 12 this
  year`` / ``last year`` fix the year; ``June 25, 1950`` and ``5 October 2018`` carry it;
- a month (``in May``, ``October 1980``, ``last month``): month precision, year as above;
- a year (``in 2000``, ``in 2001, 2002 and 2011`` — one expression per year,
  ``Juche 35 (1946)``, ``this year``, ``last year``): year precision;
- ``between April 22 and 30``: a span in which several things happened, month precision;
  ``from May 3 to 7``: the span of one occurrence, its first day;
- no date: ``recently``, ``the other day``, decades (``in the 1990s``: a decade is not a
  precision the archive keeps), issue numbers, and bare numbers that are not years.

Pure: no I/O, patterns compiled once at import.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from wirewatch.analysis.plain import dual
from wirewatch.clean.dates import month_number
from wirewatch.models import DatePrecision

__all__ = ["TimeExpression", "find_dates"]


@dataclass(frozen=True, slots=True)
class TimeExpression:
    """A date expression: its span in the sentence, its date and precision."""

    start: int
    end: int
    date: dt.date
    precision: DatePrecision


_WEEKDAYS = {name: i for i, name in enumerate(calendar.day_name)}

# A month name, capitalised as in prose; abbreviations take their period.
_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.)"
)
_YEAR = r"(?:1[89]\d\d|20\d\d)"
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"


def _rel(name: str) -> str:
    return rf"(?P<{name}>this|last|next|the\s+same|the\s+previous|the\s+following)\s+year"


# One alternation, tried left to right at each position: longer forms first.
_PATTERN = dual(
    rf"""
    # every form starts a word: checking that first keeps the scan cheap
    (?<![\w\-/.,])(?=[0-9A-Za-z])
    (?:
    (?P<between>\bbetween\s+(?P<b_month>{_MONTH})\s+(?P<b_day>{_DAY})\s+and\s+(?:{_MONTH}\s+)?{_DAY}\b)
  | (?P<md>\b(?P<md_month>{_MONTH})\s+(?P<md_day>{_DAY})\b(?![,.]?\d)
        (?P<md_more>(?:(?:\s*,\s*|\s+and\s+)(?:{_DAY})\b(?!\s*(?:{_MONTH}|percent|per|%)))*)
        (?:(?:\s*,\s*|\s+)(?P<md_year>{_YEAR})\b|\s+(?:of\s+)?{_rel("md_rel")}
          |,?\s+Juche\s+\d+\s*\((?P<md_juche>{_YEAR})\))?)
  | (?P<dm>\b(?P<dm_day>{_DAY})\s+(?P<dm_month>{_MONTH})(?:,?\s+(?P<dm_year>{_YEAR})\b)?)
  | (?P<my>\b(?:(?P<my_mod>early|late|mid|mid-|the\s+end\s+of|the\s+beginning\s+of|end\s+of)\s*)?
        (?P<my_month>{_MONTH})(?:,?\s+(?:of\s+)?(?P<my_year>\d{{3,4}})\b|\s+(?:of\s+)?{_rel("my_rel")})?)
  | (?P<wd>\b(?P<wd_next>next\s+)?(?P<wd_name>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b)
  | (?P<today>\b(?:today|tonight|this\s+morning|this\s+afternoon|this\s+evening)\b)
  | (?P<yesterday>\byesterday\b)
  | (?P<tomorrow>\btomorrow\b)
  | (?P<relyear>\b{_rel("ry_rel")}\b)
  | (?P<relmonth>\b(?P<rm>this|last|next)\s+month\b)
  | (?P<juche>\bJuche\s+(?P<juche_n>\d{{1,3}})\b(?:\s*\((?P<juche_year>{_YEAR})\))?)
  | (?P<decade>\b(?:the\s+)?(?:1[89]\d0|20\d0)'?s\b)
  | (?P<years>(?P<year1>{_YEAR})\b(?![\d,.]\d|\s*(?:percent|%|tons?|tonnes|won|dollars|yuan|km|kilometers|metres|meters|hectares|people|persons))
        (?P<years_more>(?:(?:\s*,\s*|\s*,?\s+and\s+|\s*-\s*){_YEAR}\b)*))
    )
    """,
    re.VERBOSE,
)
_DAY_NUMBER = re.compile(r"\d+")
#: After a month and day, a name: "the June 15 North-South Joint Declaration", "the October 4
#: declaration", "the July 4 Joint Statement" name documents of 2000, 2007 and 1972, not dates.
_NAMED_BY_DATE = re.compile(r"\s+(?:North-South\s+|inter-Korean\s+)?(?:joint\s+)?(?:declaration|statement)\b", re.I)


def _leading_number(text: str) -> int:
    """The number a day group starts with ("12th" -> 12); the patterns put digits first."""
    number = _DAY_NUMBER.match(text)
    if number is None:
        raise ValueError(f"no day number at the start of {text!r}")
    return int(number.group())


_A_YEAR = re.compile(_YEAR)
# Words that make the occurrence announced rather than past, when shortly before a date.
_FUTURE = re.compile(
    r"\b(?:will|shall|to\s+be\s+held|is\s+to|are\s+to|scheduled|slated|due\s+to|plans?\s+to|next)\b",
    re.IGNORECASE,
)
_FUTURE_WINDOW = 50
# "May" is also a verb: as a month alone it needs a preposition before it.
_BARE_MAY = re.compile(
    r"(?:\b(?:in|of|since|until|till|from|to|by|during|early|late|mid|this|last|next)\s+|-)$",
    re.IGNORECASE,
)


def _rel_year(rel: str, anchor: dt.date) -> int:
    rel = " ".join(rel.split()).lower()
    if rel in ("last", "the previous"):
        return anchor.year - 1
    if rel in ("next", "the following"):
        return anchor.year + 1
    return anchor.year


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _day_in_year(month: int, day: int, anchor: dt.date, future: bool) -> dt.date | None:
    """D4: a month and day without a year is in the anchor's year, or the year before when
    that would put a past occurrence after the anchor."""
    date = _safe_date(anchor.year, month, day)
    if date is None:
        return _safe_date(anchor.year - 1, month, day)
    if date > anchor and not future:
        return _safe_date(anchor.year - 1, month, day)
    return date


def _month_in_year(month: int, anchor: dt.date, future: bool) -> dt.date:
    if month > anchor.month and not future:
        return dt.date(anchor.year - 1, month, 1)
    return dt.date(anchor.year, month, 1)


def _is_future(sentence: str, start: int) -> bool:
    return _FUTURE.search(sentence, max(0, start - _FUTURE_WINDOW), start) is not None


def find_dates(sentence: str, anchor: dt.date) -> list[TimeExpression]:
    """The date expressions of ``sentence`` resolved against ``anchor`` (the article's date),
    in text order. A list of years (``in 2001, 2002 and 2011``) gives one expression per year,
    each spanning its own digits."""
    found: list[TimeExpression] = []
    for match in _PATTERN.on(sentence).finditer(sentence):
        start, end = match.span()
        kind = match.lastgroup
        groups = match.groupdict()
        if groups["between"]:
            month = month_number(groups["b_month"])
            day = _leading_number(groups["b_day"])
            date = _day_in_year(month, day, anchor, _is_future(sentence, start))
            if date is not None:
                found.append(TimeExpression(start, end, date.replace(day=1), "month"))
        elif groups["md"]:
            if not groups["md_more"] and not groups["md_year"] and _NAMED_BY_DATE.match(sentence, end):
                continue
            month = month_number(groups["md_month"])
            days = [_leading_number(groups["md_day"])]
            days += [int(d) for d in _DAY_NUMBER.findall(groups["md_more"] or "")]
            year_text = groups["md_year"] or groups["md_juche"]
            for day in days:
                if year_text:
                    date = _safe_date(int(year_text), month, day)
                elif groups["md_rel"]:
                    date = _safe_date(_rel_year(groups["md_rel"], anchor), month, day)
                else:
                    date = _day_in_year(month, day, anchor, _is_future(sentence, start))
                if date is not None:
                    found.append(TimeExpression(start, end, date, "day"))
        elif groups["dm"]:
            month = month_number(groups["dm_month"])
            day = _leading_number(groups["dm_day"])
            if groups["dm_year"]:
                date = _safe_date(int(groups["dm_year"]), month, day)
            else:
                date = _day_in_year(month, day, anchor, _is_future(sentence, start))
            if date is not None:
                found.append(TimeExpression(start, end, date, "day"))
        elif groups["my"]:
            name = groups["my_month"]
            if (
                name == "May"
                and not groups["my_mod"]
                and not groups["my_year"]
                and not groups["my_rel"]
                and not _BARE_MAY.search(sentence, 0, start)
            ):
                continue
            month = month_number(name)
            if groups["my_year"]:
                year = int(groups["my_year"])
                if year < 100:
                    continue
                found.append(TimeExpression(start, end, dt.date(year, month, 1), "month"))
            elif groups["my_rel"]:
                year = _rel_year(groups["my_rel"], anchor)
                found.append(TimeExpression(start, end, dt.date(year, month, 1), "month"))
            else:
                date = _month_in_year(month, anchor, _is_future(sentence, start))
                found.append(TimeExpression(start, end, date, "month"))
        elif groups["wd"]:
            weekday = _WEEKDAYS[groups["wd_name"]]
            if groups["wd_next"] or _is_future(sentence, start):
                date = anchor + dt.timedelta(days=(weekday - anchor.weekday()) % 7)
            else:
                date = anchor - dt.timedelta(days=(anchor.weekday() - weekday) % 7)
            found.append(TimeExpression(start, end, date, "day"))
        elif kind == "today":
            found.append(TimeExpression(start, end, anchor, "day"))
        elif kind == "yesterday":
            found.append(TimeExpression(start, end, anchor - dt.timedelta(days=1), "day"))
        elif kind == "tomorrow":
            found.append(TimeExpression(start, end, anchor + dt.timedelta(days=1), "day"))
        elif groups["relyear"]:
            found.append(
                TimeExpression(
                    start,
                    end,
                    dt.date(_rel_year(groups["ry_rel"], anchor), 1, 1),
                    "year",
                )
            )
        elif groups["relmonth"]:
            first = anchor.replace(day=1)
            rel = groups["rm"].lower()
            if rel == "last":
                first = (first - dt.timedelta(days=1)).replace(day=1)
            elif rel == "next":
                first = (first + dt.timedelta(days=32)).replace(day=1)
            found.append(TimeExpression(start, end, first, "month"))
        elif groups["juche"]:
            year = int(groups["juche_year"]) if groups["juche_year"] else 1911 + int(groups["juche_n"])
            found.append(TimeExpression(start, end, dt.date(year, 1, 1), "year"))
        elif groups["years"]:
            # A list or a range of years: one expression per year (a range counts its start
            # only: "1950-1953" is one occurrence's span).
            ranged = "-" in (groups["years_more"] or "")
            for year_match in _A_YEAR.finditer(sentence, start, end):
                found.append(
                    TimeExpression(
                        year_match.start(),
                        year_match.end(),
                        dt.date(int(year_match.group()), 1, 1),
                        "year",
                    )
                )
                if ranged:
                    break
        # decades give no date (see the module docstring)
    return found
