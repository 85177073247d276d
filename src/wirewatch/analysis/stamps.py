"""When events happened: the date stamps a trigger takes from its sentence's date
expressions, and one event per occurrence, the most precise date kept (GUIDE D9, E6: the
annotation guide, ``docs/annotation-guide.md``).

Pure functions over values.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal, NamedTuple

from wirewatch.analysis.sides import COORDINATED
from wirewatch.analysis.timex import TimeExpression
from wirewatch.models import DatePrecision, Event

__all__ = ["DATE_WORDS", "Stamp", "date_groups", "deduplicated", "nearest_group", "stamps_of", "undated"]


class Stamp(NamedTuple):
    """When an event happened: its date, the date's precision, and whether the text gave it."""

    date: dt.date | None
    precision: DatePrecision | None
    from_text: bool


#: A sentence holds a date expression only if it has one of these words (or a digit).
DATE_WORDS = frozenset(
    (
        "0 1 2 3 4 5 6 7 8 9 january february march april may june july august september october november "
        "december jan feb mar apr jun jul aug sep sept oct nov dec monday tuesday wednesday thursday friday "
        "saturday sunday today tonight morning afternoon evening yesterday tomorrow year month juche"
    ).split()
)


def undated(on: dt.date | None) -> Stamp:
    """The stamp of an event the text gives no date for: the article's date."""
    return Stamp(on, "day" if on else None, False)


def stamps_of(expressions: list[TimeExpression]) -> list[Stamp]:
    """The stamps of date expressions the text gives."""
    return [Stamp(e.date, e.precision, True) for e in expressions]


def date_groups(sentence: str, dates: list[TimeExpression]) -> list[list[TimeExpression]]:
    """Date expressions joined by commas or ``and`` ("in 2001, 2002 and 2011") form one group:
    the dates of several occurrences of one trigger."""
    groups: list[list[TimeExpression]] = []
    for expression in dates:
        if groups:
            last = groups[-1][-1]
            gap = sentence[last.end : expression.start]
            if expression.precision == last.precision and (
                last.end == expression.start or COORDINATED.match(gap) or gap.strip() == ""
            ):
                groups[-1].append(expression)
                continue
        groups.append([expression])
    return groups


def nearest_group(groups: list[list[TimeExpression]], start: int, end: int) -> list[TimeExpression]:
    """The group of dates nearest the span ``start``–``end``."""

    def distance(group: list[TimeExpression]) -> int:
        if group[0].start >= end:
            return group[0].start - end
        if group[-1].end <= start:
            return start - group[-1].end
        return 0

    return min(groups, key=distance)


def _contains(wide: Event, narrow: Event) -> bool:
    """Whether ``wide``'s date, at its precision, covers ``narrow``'s."""
    if wide.date is None or narrow.date is None:
        return False
    if wide.date_precision == "year":
        return narrow.date.year == wide.date.year
    if wide.date_precision == "month":
        return (narrow.date.year, narrow.date.month) == (wide.date.year, wide.date.month)
    return wide.date == narrow.date


_RANK = {"day": 3, "month": 2, "year": 1, None: 0}


def deduplicated(events: list[Event], title: str) -> list[Event]:
    """One event per occurrence (E6): same type and sides, and a date that covers the other's
    (the most precise kept); an event of the ``title`` without a date of its own is the one
    the body tells when the body has it."""
    kept: list[Event] = []
    for event in events:
        triple = (event.type, event.actor.country, event.target.country)
        for i, other in enumerate(kept):
            if (other.type, other.actor.country, other.target.country) != triple:
                continue
            verdict = _same_occurrence(event, other, title)
            if verdict is None:
                continue
            if verdict == "replace":
                kept[i] = event
            break
        else:
            kept.append(event)
    return kept


def _same_occurrence(event: Event, other: Event, title: str) -> Literal["keep", "replace"] | None:
    """Whether ``event`` tells the occurrence ``other`` (of the same type and sides) does:
    "keep" the other, "replace" it by ``event``, or None: another occurrence."""
    if other.date == event.date and other.date_precision == event.date_precision:
        # the body's telling stands for the headline's: a later dated telling that replaces
        # the headline's event must not take the body's with it
        return "replace" if other.sentence == title and event.sentence != title else "keep"
    if other.sentence == title and not other.date_from_text and event.date_from_text:
        return "replace"
    if event.sentence == title and not event.date_from_text and other.date_from_text:
        return "keep"
    if not (event.date_from_text and other.date_from_text):
        return None
    if _RANK[event.date_precision] > _RANK[other.date_precision] and _contains(other, event):
        return "replace"
    if _RANK[event.date_precision] <= _RANK[other.date_precision] and _contains(event, other):
        return "keep"
    return None
