"""``SQLStore.queue``: the crawl queue's facade (see ``store.collection``). Each method
runs one function of ``store.collection`` in a connection or transaction of its own."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

import sqlalchemy as sa

from wirewatch.store import collection
from wirewatch.store.collection import CrawlEnd, Job, PageState
from wirewatch.store.engine import Writer

__all__ = ["CollectionQueue"]


class CollectionQueue:
    """Crawls and their jobs in the archive's database."""

    def __init__(self, engine: sa.Engine, writer: Writer | None = None) -> None:
        self.engine = engine
        self.writer = writer or Writer(engine)

    # -- planning ---------------------------------------------------------------------

    def due_sources(self, names: Sequence[str], now: dt.datetime, intervals: dict[str, dt.timedelta]) -> list[str]:
        """See :func:`collection.due_sources`; claimed in a transaction that holds the write lock."""
        with self.writer.begin(immediate=True) as conn:
            return collection.due_sources(conn, names, now, intervals)

    def start_crawl(self, source: str, entry_points: Iterable[tuple[str, str]], now: dt.datetime) -> int:
        with self.writer.begin() as conn:
            return collection.start_crawl(conn, source, entry_points, now)

    def enqueue(
        self, crawl_id: int, source_id: int, jobs: Sequence[tuple[str, str, dict[str, Any] | None]], now: dt.datetime
    ) -> None:
        with self.writer.begin() as conn:
            collection.enqueue(conn, crawl_id, source_id, jobs, now)

    # -- working ----------------------------------------------------------------------

    def claim(self, worker: str, now: dt.datetime, crawl_ids: Sequence[int] | None = None) -> Job | None:
        with self.writer.begin(immediate=True) as conn:
            return collection.claim(conn, worker, now, crawl_ids)

    def finish(
        self,
        job: Job,
        now: dt.datetime,
        *,
        outcome: str,
        delay: float,
        http_status: int | None = None,
        elapsed: float | None = None,
        error: str | None = None,
    ) -> None:
        with self.writer.begin() as conn:
            collection.finish(
                conn, job, now, outcome=outcome, delay=delay, http_status=http_status, elapsed=elapsed, error=error
            )

    def release(self, job: Job, now: dt.datetime) -> None:
        with self.writer.begin() as conn:
            collection.release(conn, job, now)

    def release_worker(self, worker: str, now: dt.datetime) -> int:
        with self.writer.begin() as conn:
            return collection.release_worker(conn, worker, now)

    def next_ready_at(self, crawl_ids: Sequence[int] | None = None) -> dt.datetime | None:
        with self.engine.connect() as conn:
            return collection.next_ready_at(conn, crawl_ids)

    # -- ending crawls ----------------------------------------------------------------

    def unfinished(self, crawl_ids: Sequence[int] | None = None) -> list[int]:
        with self.engine.connect() as conn:
            return collection.unfinished(conn, crawl_ids)

    def unfinished_by_source(self, names: Sequence[str]) -> dict[str, int]:
        with self.engine.connect() as conn:
            return collection.unfinished_by_source(conn, names)

    def end_crawl(self, crawl_id: int, now: dt.datetime) -> CrawlEnd | None:
        with self.writer.begin(immediate=True) as conn:
            return collection.end_crawl(conn, crawl_id, now)

    # -- what is known of each URL ------------------------------------------------------

    def page_state(self, source_id: int, url: str) -> PageState:
        with self.engine.connect() as conn:
            return collection.page_state(conn, source_id, url)

    def stored(self, source_id: int, urls: Sequence[str]) -> set[str]:
        if not urls:
            return set()
        with self.engine.connect() as conn:
            return collection.stored(conn, source_id, urls)

    def note_fetch(
        self,
        source_id: int,
        url: str,
        now: dt.datetime,
        *,
        http_status: int,
        etag: str | None = None,
        last_modified: str | None = None,
        content_hash: str | None = None,
        article_id: int | None = None,
    ) -> None:
        with self.writer.begin() as conn:
            collection.note_fetch(
                conn,
                source_id,
                url,
                now,
                http_status=http_status,
                etag=etag,
                last_modified=last_modified,
                content_hash=content_hash,
                article_id=article_id,
            )

    def note_listed(self, source_id: int, urls: Sequence[str], now: dt.datetime) -> None:
        if not urls:
            return
        with self.writer.begin() as conn:
            collection.note_listed(conn, source_id, urls, now)

    def count_missing(self, end: CrawlEnd, missing_after: int) -> list[int]:
        if not end.index_complete:
            return []
        with self.writer.begin() as conn:
            return collection.count_missing(conn, end, missing_after)
