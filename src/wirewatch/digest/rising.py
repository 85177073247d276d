"""The digest's "Rising this week": the terms that rose in the week that ends an edition.

The week runs from the Monday of the edition's last day to that day (a Sunday edition has
the whole week), compared with the weeks before it by ``present.trends.emerging`` (the
list of ``/rising`` and ``wirewatch emerging``). The coordinator (``sending.send_edition``)
reads it once per edition into ``Digest.rising``; every reader's copy carries the same
list, and rendering shows it after the stories. An archive with too little text for the
statistic gets no section.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

from wirewatch.errors import WirewatchError
from wirewatch.present.trends import MIN_ARTICLES, emerging, term_query, week_start

if TYPE_CHECKING:
    from wirewatch.store import SQLStore

__all__ = ["MOST", "RisingSection", "RisingTerm", "rising_this_week"]

log = logging.getLogger("wirewatch.digest")

#: At most this many terms in the section: the page has the whole list.
MOST = 8


@dataclass(frozen=True, slots=True)
class RisingTerm:
    """A term of the section: its words, kind and the search that finds it; ``count`` its
    articles in the week, ``baseline_count`` in the weeks before; ``new`` a name first
    seen this week."""

    term: str
    kind: str
    query: str
    count: int
    baseline_count: int
    new: bool


@dataclass(frozen=True, slots=True)
class RisingSection:
    """The week (``since``, a Monday, to ``until``, the edition's last day), how many
    weeks before it were compared, and its terms, strongest first."""

    since: dt.date
    until: dt.date
    baseline_weeks: int
    terms: tuple[RisingTerm, ...]

    @property
    def page(self) -> str:
        """The week's whole list on the web (``/rising/MONDAY``)."""
        return f"/rising/{self.since.isoformat()}"


def rising_this_week(store: SQLStore, day: dt.date, *, most: int = MOST) -> RisingSection | None:
    """The best ``most`` terms of the week holding ``day``, up to it. None when the week or
    its baseline holds fewer than ``MIN_ARTICLES`` articles (too little text to tell a
    rise from chance), when nothing rose, or when the archive cannot be read (logged: the
    stories still go out)."""
    monday = week_start(day)
    try:
        found = emerging(store, monday, days=(day - monday).days + 1)
    except WirewatchError as exc:
        log.warning("rising terms not read", extra={"edition": day.isoformat(), "error": str(exc)})
        return None
    if found.articles < MIN_ARTICLES or found.baseline_articles < MIN_ARTICLES or not found.terms:
        return None
    terms = tuple(
        RisingTerm(r.term, r.kind, term_query(r), r.count, r.baseline_count, r.new) for r in found.terms[:most]
    )
    weeks = (found.baseline.until - found.baseline.since).days // 7 + 1
    return RisingSection(found.period.since, found.period.until, weeks, terms)
