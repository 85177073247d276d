"""The values the archive takes and gives: a batch's counts, the archive's figures, a
list by date and its pages."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

from wirewatch.models import Article, Incoming

__all__ = ["ArchiveStats", "BatchCounts", "Browse", "Cursor", "Incoming", "Page"]

#: A position in a list of articles: the date (None for undated) and id of the last one shown.
Cursor = tuple[dt.date | None, int]


@dataclass(slots=True)
class BatchCounts:
    """What storing a batch did."""

    added: int = 0
    duplicates: int = 0
    unchanged: int = 0
    #: Captures of known addresses whose text changed (a new revision)…
    edited: int = 0
    #: …or that brought a deleted article back.
    restored: int = 0
    #: Each capture's outcome by record key (see ``store.versions.record_captures``).
    outcomes: dict[str, str] = field(default_factory=dict)

    def __iadd__(self, other: BatchCounts) -> BatchCounts:
        self.added += other.added
        self.duplicates += other.duplicates
        self.unchanged += other.unchanged
        self.edited += other.edited
        self.restored += other.restored
        self.outcomes.update(other.outcomes)
        return self


@dataclass(frozen=True, slots=True)
class ArchiveStats:
    articles: int
    duplicates: int
    sources: dict[str, int] = field(default_factory=dict)
    languages: dict[str, int] = field(default_factory=dict)
    first_date: dt.date | None = None
    last_date: dt.date | None = None
    undated: int = 0
    derived_titles: int = 0


@dataclass(frozen=True, slots=True)
class Browse:
    """A list of articles by date, without a query: a source's page, a day, a feed.

    Undated articles count as older than any dated one (by number among themselves):
    they come last, newest first, and first, oldest first, so that each order is the
    other reversed. A date range leaves them out. ``after`` continues a list from the
    last article of the previous page.
    """

    source: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    #: Leave out articles that repeat another's text (they are listed on the original).
    originals_only: bool = False
    #: Only articles dated to the day (not those known only to the month or year).
    day_precise: bool = False
    order: Literal["newest", "oldest"] = "newest"
    after: Cursor | None = None
    limit: int = 50
    #: Load each article's text (feeds); otherwise ``body`` holds only its lead.
    with_body: bool = False


@dataclass(frozen=True, slots=True)
class Page:
    articles: list[Article]
    #: Where the next page starts; None on the last page.
    next: Cursor | None = None
