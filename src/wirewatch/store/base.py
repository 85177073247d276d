"""The storage interface every back end implements."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

from wirewatch.models import Article, Change, EntityCount, Event, Incoming, Revision
from wirewatch.search.base import SearchRequest, SearchResult

__all__ = ["ArchiveStats", "BatchCounts", "Browse", "Cursor", "Incoming", "Page", "Store"]

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


class Store(Protocol):
    """An archive of sources and articles."""

    def add_batch(self, batch: Sequence[Incoming], import_id: int | None = None) -> BatchCounts:
        """Store a batch in one transaction: all of it or none of it."""
        ...

    def get_article(self, article_id: int) -> Article | None: ...

    def duplicates_of(self, article_id: int) -> list[int]: ...

    def raw_record(self, article_id: int) -> dict[str, Any] | None:
        """The input an article was read from: ``input``, ``line``, ``kind``, ``raw``."""
        ...

    def iter_articles(self, *, include_duplicates: bool = True) -> Iterator[Article]: ...

    def stats(self) -> ArchiveStats: ...

    def search(self, request: SearchRequest) -> SearchResult: ...

    def source_names(self) -> list[str]: ...

    def browse(self, request: Browse) -> Page:
        """Articles by date (see :class:`Browse`)."""
        ...

    def day_counts(self, since: dt.date, until: dt.date, source: str | None = None) -> dict[dt.date, int]:
        """How many articles dated to the day each day between two dates holds."""
        ...

    def month_counts(self, source: str | None = None) -> dict[tuple[int, int], int]:
        """How many dated articles each (year, month) holds."""
        ...

    def adjacent_days(self, day: dt.date) -> tuple[dt.date | None, dt.date | None]:
        """The nearest days before and after ``day`` that hold articles."""
        ...

    def history(self, article_id: int) -> list[Revision]:
        """The article's versions, oldest first ([] for one never collected from the web)."""
        ...

    def changes(
        self,
        *,
        article_id: int | None = None,
        kinds: Sequence[str] = (),
        source: str | None = None,
        before: tuple[dt.datetime, int] | None = None,
        limit: int = 50,
    ) -> list[Change]:
        """Edits, deletions and returns, newest first; ``before`` continues after a (seen_at, id)."""
        ...

    def entities_of(self, article_id: int) -> list[EntityCount]:
        """The article's entities, most mentioned first ([] before it is analysed)."""
        ...

    def events_of(self, article_id: int) -> list[Event]: ...

    def entity_profile(self, entity_type: str, entity_id: str) -> Any:
        """An ``store.analysis.EntityProfile``, or None for an entity never mentioned."""
        ...

    def country_pairs(self, limit: int = 50) -> list[Any]:
        """``store.analysis.CountryPair``s: the pairs with the most events, most first."""
        ...

    def relations(self, a: str, b: str, **options: Any) -> Any:
        """A ``store.analysis.Relations``: the events between two countries."""
        ...

    def begin_import(self, inputs: Sequence[str]) -> int: ...

    def finish_import(self, import_id: int, summary: dict[str, object]) -> None: ...

    def close(self) -> None: ...
