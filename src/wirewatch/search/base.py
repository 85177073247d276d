"""What every search back end takes and gives."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, Protocol

import sqlalchemy as sa

from wirewatch.config.settings import SearchEngine
from wirewatch.search.spelling import Expansion

Order = Literal["relevance", "newest", "oldest"]
ORDERS: tuple[Order, ...] = ("relevance", "newest", "oldest")
FACETS = ("source", "year", "language")
STATUSES = ("live", "edited", "deleted")


@dataclass(frozen=True, slots=True)
class AnalysisFilter:
    """Articles by their stored analysis. ``kind`` person, country or organization: the
    article names that entity (an ``article_entities`` row with this ``id``: a slug, or
    ISO alpha-3 for a country); event: it reports an event of type ``id`` (visit,
    meeting…). ``exclude``: the articles without it instead."""

    kind: str
    id: str
    exclude: bool = False


@dataclass(frozen=True, slots=True)
class SearchRequest:
    """A search: the query text plus filters, order and page.

    Filters typed in the query (``country:RUS``) are read by the back ends as ids;
    ``wirewatch.present.params.search_request`` resolves names ("Russia") into ``filters`` first
    and leaves the query its words.
    """

    query: str = ""
    sources: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    #: live, edited, deleted (see ``models.Status``); empty for any.
    statuses: tuple[str, ...] = ()
    since: dt.date | None = None
    until: dt.date | None = None
    #: Every one must hold (AND), with those the query holds.
    filters: tuple[AnalysisFilter, ...] = ()
    order: Order = "relevance"
    limit: int = 20
    offset: int = 0
    #: Only articles numbered above the first and up to the second: those stored
    #: between two looks (a saved search's alert). None for any.
    id_range: tuple[int, int] | None = None
    #: Only these articles (which of some changed articles match an alert). None for any.
    article_ids: tuple[int, ...] | None = None
    #: Seconds the search may run before it is stopped (``SearchTimeout``); None for no
    #: limit. The web sets one, so that no query holds a server thread for long.
    time_limit: float | None = None
    #: Also find the other spellings of the Korean names in the query (``search.spelling``:
    #: "Ch'oe T'ae-bok" finds "Choe Thae Bok"); False: only the words as typed.
    spellings: bool = True


@dataclass(frozen=True, slots=True)
class Hit:
    id: int
    title: str
    date: dt.date | None
    date_precision: str | None
    source: str
    url: str | None
    language: str | None
    snippet: str
    highlights: tuple[tuple[int, int], ...] = ()
    score: float | None = None


@dataclass(frozen=True, slots=True)
class SearchResult:
    total: int
    hits: list[Hit]
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
    #: The names of the query searched in other spellings too, and those spellings.
    also: tuple[Expansion, ...] = ()


@dataclass(frozen=True, slots=True)
class DayCount:
    """How many of a search's matches one source published on one day (``day`` None: the
    undated ones). The counts of a search add up to its total."""

    day: dt.date | None
    source_id: int
    count: int


@dataclass(frozen=True, slots=True)
class SearchOptions:
    """Which engine answers searches, and where the tantivy engine keeps its index (None:
    beside an SQLite archive, ``ARCHIVE.search/``; under the user's cache directory for a
    PostgreSQL one, one directory per database)."""

    #: tantivy: a derived index beside the archive (``search.engine``); sql: the database's
    #: own full-text tables (FTS5 on SQLite, tsvector on PostgreSQL), kept in each write's
    #: transaction.
    engine: SearchEngine = "tantivy"
    index_dir: Path | None = None


@dataclass(frozen=True, slots=True)
class IndexRow:
    """What the index needs of one article."""

    id: int
    title: str
    body: str


class SearchBackend(Protocol):
    """Keeps a full-text index in step with the articles table and answers searches.

    ``add``/``remove`` run on the caller's connection, inside the transaction that
    writes the articles: the SQL engines write their index there, so it never disagrees
    with the archive; the tantivy engine's index follows the archive's change log and
    catches up before each search (``search.engine``).
    """

    def add(self, conn: sa.Connection, rows: Iterable[IndexRow]) -> None: ...

    def remove(self, conn: sa.Connection, rows: Iterable[IndexRow]) -> None: ...

    def clear(self, conn: sa.Connection) -> None:
        """Empty the index (``wirewatch reindex`` fills it again)."""

    def catch_up(self, *, wait: bool = True, progress: Callable[[int], None] | None = None) -> int:
        """Bring an index kept outside the write's transaction up to the archive; the
        articles re-indexed (the SQL engines' indexes are always current: 0)."""

    def search(self, conn: sa.Connection, request: SearchRequest, source_ids: Sequence[int]) -> SearchResult: ...

    def day_counts(self, conn: sa.Connection, request: SearchRequest, source_ids: Sequence[int]) -> list[DayCount]:
        """The request's matches (the same set ``search`` counts) per day and source."""
