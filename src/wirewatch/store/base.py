"""The storage interface every back end implements."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from wirewatch.models import Article, Incoming
from wirewatch.search.base import SearchRequest, SearchResult

__all__ = ["ArchiveStats", "BatchCounts", "Incoming", "Store"]


@dataclass(slots=True)
class BatchCounts:
    """What storing a batch did."""

    added: int = 0
    duplicates: int = 0
    unchanged: int = 0

    def __iadd__(self, other: BatchCounts) -> BatchCounts:
        self.added += other.added
        self.duplicates += other.duplicates
        self.unchanged += other.unchanged
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

    def begin_import(self, inputs: Sequence[str]) -> int: ...

    def finish_import(self, import_id: int, summary: dict[str, object]) -> None: ...

    def close(self) -> None: ...
