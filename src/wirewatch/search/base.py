"""What every search back end takes and gives."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal, Protocol

import sqlalchemy as sa

Order = Literal["relevance", "newest", "oldest"]
ORDERS: tuple[Order, ...] = ("relevance", "newest", "oldest")
FACETS = ("source", "year", "language")
STATUSES = ("live", "edited", "deleted")


@dataclass(frozen=True, slots=True)
class SearchRequest:
    """A search: the query text plus filters, order and page."""

    query: str = ""
    sources: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    #: live, edited, deleted (see ``models.Status``); empty for any.
    statuses: tuple[str, ...] = ()
    since: dt.date | None = None
    until: dt.date | None = None
    order: Order = "relevance"
    limit: int = 20
    offset: int = 0


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


@dataclass(frozen=True, slots=True)
class IndexRow:
    """What the index needs of one article."""

    id: int
    title: str
    body: str


class SearchBackend(Protocol):
    """Keeps a full-text index in step with the articles table and answers searches.

    ``add``/``remove`` run on the caller's connection, inside the transaction that
    writes the articles, so the index never disagrees with the archive.
    """

    def add(self, conn: sa.Connection, rows: Iterable[IndexRow]) -> None: ...

    def remove(self, conn: sa.Connection, rows: Iterable[IndexRow]) -> None: ...

    def search(self, conn: sa.Connection, request: SearchRequest, source_ids: Sequence[int]) -> SearchResult: ...
