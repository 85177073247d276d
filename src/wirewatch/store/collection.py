"""The crawl queue: crawls, their jobs, per-host politeness and per-URL fetch state.

Several workers (threads of one ``watch``, or ``watch`` processes on several machines
sharing one PostgreSQL) take jobs from one table. A worker claims a job by locking its
host's row with ``FOR UPDATE SKIP LOCKED``: a second worker skips that host instead of
waiting, and once the claim commits the host is busy (``next_fetch_at`` in the future)
until the job ends. So a job is done by one worker, a host gets one request at a time
from the whole pool, and the pause between requests to a host holds across workers.

SQLite has no row locks: a claim takes the database's write lock first (BEGIN
IMMEDIATE), which serialises claims the same way for the threads of one process.

A claim is a lease: a worker that dies leaves its job ``running`` until the lease
ends, and then any worker takes it again. A worker that stops cleanly hands its jobs
back at once (``release``).

Each function runs on the caller's connection; ``store.queue.CollectionQueue`` opens the
transactions, a claim's holding the write lock from its first statement.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import sqlalchemy as sa

from wirewatch.clock import aware
from wirewatch.store.schema import crawl_hosts, crawl_jobs, crawl_pages, crawls, sources
from wirewatch.store.sources import source_id as source_id_of

#: Job kinds: the entry points of a source, and the article pages they list.
ENTRY_KINDS = ("feed", "sitemap", "index")
#: How long a claim holds before another worker may take the job: longer than any
#: fetch may take (the fetcher's max_time with its retries).
LEASE = dt.timedelta(minutes=10)


def url_hash(url: str) -> str:
    return hashlib.sha256(url.encode()).hexdigest()


def host_key(url: str) -> str:
    """The politeness key: the host name, as the fetcher's (a server's ports are one host)."""
    return (urlsplit(url).hostname or "").lower()


@dataclass(frozen=True, slots=True)
class Job:
    id: int
    crawl_id: int
    source_id: int
    source: str
    kind: str
    url: str
    hints: dict[str, Any]
    attempts: int


@dataclass(frozen=True, slots=True)
class PageState:
    """What the collector knows of a URL: validators for a conditional GET, and more."""

    etag: str | None = None
    last_modified: str | None = None
    content_hash: str | None = None
    article_id: int | None = None


@dataclass(frozen=True, slots=True)
class CrawlEnd:
    """A crawl that has no job left: what it did, and which articles it found missing."""

    crawl_id: int
    source_id: int
    source: str
    started_at: dt.datetime
    index_complete: bool
    outcomes: dict[str, int]


def _insert(conn: sa.Connection) -> Any:
    """The dialect's INSERT, which knows ON CONFLICT."""
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects import postgresql

        return postgresql.insert
    from sqlalchemy.dialects import sqlite

    return sqlite.insert


def _insert_ignoring_conflicts(conn: sa.Connection, table: sa.Table, rows: list[dict[str, Any]]) -> None:
    """Insert the rows that do not clash with a unique key."""
    if rows:
        conn.execute(_insert(conn)(table).on_conflict_do_nothing(), rows)


# -- planning -------------------------------------------------------------------


def due_sources(
    conn: sa.Connection, names: Sequence[str], now: dt.datetime, intervals: dict[str, dt.timedelta]
) -> list[str]:
    """Of ``names``, the sources due for a crawl, each claimed for this caller: its
    next crawl is moved on by its interval in the same transaction, so two workers
    never start the same crawl. A source never crawled is due at once."""
    due: list[str] = []
    known = {
        r.name: r
        for r in conn.execute(
            sa.select(sources.c.id, sources.c.name, sources.c.next_crawl_at)
            .where(sources.c.name.in_(list(names)))
            .with_for_update(skip_locked=True)
        )
    }
    # Rows another worker holds were skipped: that worker is planning them.
    locked_elsewhere = set(_existing(conn, names)) - set(known)
    for name in names:
        if name in locked_elsewhere:
            continue
        row = known.get(name)
        if row is not None and row.next_crawl_at is not None and aware(row.next_crawl_at) > now:
            continue
        following = now + intervals[name]
        if row is None:
            # RETURNING, not the row count: after a conflict, drivers' executemany
            # counts differ. No row back: another worker created it, and planned it.
            created = conn.scalar(
                _insert(conn)(sources)
                .values(name=name, created_at=now, next_crawl_at=following)
                .on_conflict_do_nothing()
                .returning(sources.c.id)
            )
            if created is None:
                continue
        else:
            conn.execute(sa.update(sources).where(sources.c.id == row.id).values(next_crawl_at=following))
        due.append(name)
    return due


def _existing(conn: sa.Connection, names: Sequence[str]) -> list[str]:
    return list(conn.scalars(sa.select(sources.c.name).where(sources.c.name.in_(list(names)))))


def start_crawl(conn: sa.Connection, source: str, entry_points: Iterable[tuple[str, str]], now: dt.datetime) -> int:
    """A new crawl of ``source`` with a job per entry point (kind, url); its id."""
    source_id = source_id_of(conn, source, now)
    conn.execute(sa.update(sources).where(sources.c.id == source_id).values(last_crawl_at=now))
    crawl_id = int(conn.scalar(sa.insert(crawls).values(source_id=source_id, started_at=now).returning(crawls.c.id)))
    enqueue(conn, crawl_id, source_id, [(kind, url, None) for kind, url in entry_points], now)
    return crawl_id


def enqueue(
    conn: sa.Connection,
    crawl_id: int,
    source_id: int,
    jobs: Sequence[tuple[str, str, dict[str, Any] | None]],
    now: dt.datetime,
) -> None:
    """Add (kind, url, hints) jobs to a crawl; a URL already in it is not added again."""
    rows = [
        {
            "crawl_id": crawl_id,
            "source_id": source_id,
            "kind": kind,
            "url": url,
            "url_hash": url_hash(url),
            "host": host_key(url),
            "hints": hints,
            "state": "queued",
            "attempts": 0,
            "run_after": now,
        }
        for kind, url, hints in jobs
    ]
    _insert_ignoring_conflicts(conn, crawl_jobs, rows)
    hosts = sorted({host_key(url) for _, url, _ in jobs})
    _insert_ignoring_conflicts(conn, crawl_hosts, [{"host": h, "next_fetch_at": now} for h in hosts])


# -- working --------------------------------------------------------------------


def claim(conn: sa.Connection, worker: str, now: dt.datetime, crawl_ids: Sequence[int] | None = None) -> Job | None:
    """The next job whose host is free, now this worker's; None when there is none."""
    claimable = sa.or_(
        crawl_jobs.c.state == "queued",
        sa.and_(crawl_jobs.c.state == "running", crawl_jobs.c.lease_until < now),
    )
    query = (
        sa.select(crawl_jobs.c.id, crawl_jobs.c.host)
        .join(crawl_hosts, crawl_hosts.c.host == crawl_jobs.c.host)
        .where(claimable, crawl_jobs.c.run_after <= now, crawl_hosts.c.next_fetch_at <= now)
        .order_by(crawl_jobs.c.id)
        .limit(1)
        .with_for_update(skip_locked=True, of=crawl_hosts)
    )
    if crawl_ids is not None:
        query = query.where(crawl_jobs.c.crawl_id.in_(list(crawl_ids)))
    found = conn.execute(query).first()
    if found is None:
        return None
    conn.execute(sa.update(crawl_hosts).where(crawl_hosts.c.host == found.host).values(next_fetch_at=now + LEASE))
    conn.execute(
        sa.update(crawl_jobs)
        .where(crawl_jobs.c.id == found.id)
        .values(state="running", claimed_by=worker, lease_until=now + LEASE, attempts=crawl_jobs.c.attempts + 1)
    )
    row = conn.execute(
        sa.select(crawl_jobs, sources.c.name.label("source"))
        .join(sources, sources.c.id == crawl_jobs.c.source_id)
        .where(crawl_jobs.c.id == found.id)
    ).one()
    return Job(row.id, row.crawl_id, row.source_id, row.source, row.kind, row.url, row.hints or {}, row.attempts)


def finish(
    conn: sa.Connection,
    job: Job,
    now: dt.datetime,
    *,
    outcome: str,
    delay: float,
    http_status: int | None = None,
    elapsed: float | None = None,
    error: str | None = None,
) -> None:
    """Record a job's end; its host is free again ``delay`` seconds from now."""
    conn.execute(
        sa.update(crawl_jobs)
        .where(crawl_jobs.c.id == job.id)
        .values(
            state="failed" if error else "done",
            finished_at=now,
            outcome=outcome[:16],
            http_status=http_status,
            elapsed=elapsed,
            error=error,
            lease_until=None,
        )
    )
    conn.execute(
        sa.update(crawl_hosts)
        .where(crawl_hosts.c.host == host_key(job.url))
        .values(next_fetch_at=now + dt.timedelta(seconds=delay))
    )


def release(conn: sa.Connection, job: Job, now: dt.datetime) -> None:
    """Hand a claimed job back untouched (a worker stopping): another may take it now."""
    conn.execute(
        sa.update(crawl_jobs)
        .where(crawl_jobs.c.id == job.id, crawl_jobs.c.state == "running")
        .values(state="queued", claimed_by=None, lease_until=None, attempts=crawl_jobs.c.attempts - 1)
    )
    conn.execute(sa.update(crawl_hosts).where(crawl_hosts.c.host == host_key(job.url)).values(next_fetch_at=now))


def release_worker(conn: sa.Connection, worker: str, now: dt.datetime) -> int:
    """Hand back every job a worker of this name holds: the jobs of its previous life,
    when it was killed without the chance to (a restart with a fixed ``--worker``
    name takes them at once instead of waiting for their leases). How many."""
    held = conn.execute(
        sa.select(crawl_jobs.c.id, crawl_jobs.c.host).where(
            crawl_jobs.c.state == "running", crawl_jobs.c.claimed_by == worker
        )
    ).all()
    if held:
        conn.execute(
            sa.update(crawl_jobs)
            .where(crawl_jobs.c.id.in_([r.id for r in held]))
            .values(state="queued", claimed_by=None, lease_until=None)
        )
        conn.execute(
            sa.update(crawl_hosts).where(crawl_hosts.c.host.in_({r.host for r in held})).values(next_fetch_at=now)
        )
    return len(held)


def next_ready_at(conn: sa.Connection, crawl_ids: Sequence[int] | None = None) -> dt.datetime | None:
    """When the earliest waiting job's host is free (None: no job waits)."""
    query = (
        sa.select(sa.func.min(sa.func.coalesce(crawl_hosts.c.next_fetch_at, crawl_jobs.c.run_after)))
        .select_from(crawl_jobs.join(crawl_hosts, crawl_hosts.c.host == crawl_jobs.c.host))
        .where(crawl_jobs.c.state.in_(["queued", "running"]))
    )
    if crawl_ids is not None:
        query = query.where(crawl_jobs.c.crawl_id.in_(list(crawl_ids)))
    value = conn.scalar(query)
    return aware(value) if value is not None else None


# -- ending crawls --------------------------------------------------------------


def unfinished(conn: sa.Connection, crawl_ids: Sequence[int] | None = None) -> list[int]:
    """Crawls not yet ended (of ``crawl_ids``, or all)."""
    query = sa.select(crawls.c.id).where(crawls.c.finished_at.is_(None)).order_by(crawls.c.id)
    if crawl_ids is not None:
        query = query.where(crawls.c.id.in_(list(crawl_ids)))
    return list(conn.scalars(query))


def unfinished_by_source(conn: sa.Connection, names: Sequence[str]) -> dict[str, int]:
    """The newest unfinished crawl of each named source that has one."""
    rows = conn.execute(
        sa.select(sources.c.name, sa.func.max(crawls.c.id))
        .join(sources, sources.c.id == crawls.c.source_id)
        .where(crawls.c.finished_at.is_(None), sources.c.name.in_(list(names)))
        .group_by(sources.c.name)
    ).all()
    return {name: int(crawl_id) for name, crawl_id in rows}


def end_crawl(conn: sa.Connection, crawl_id: int, now: dt.datetime) -> CrawlEnd | None:
    """End a crawl whose jobs are all done; None while some remain (or if another
    worker ended it). The crawl's row is locked, so it is ended once."""
    crawl = conn.execute(
        sa.select(crawls, sources.c.name.label("source"))
        .join(sources, sources.c.id == crawls.c.source_id)
        .where(crawls.c.id == crawl_id, crawls.c.finished_at.is_(None))
        .with_for_update(skip_locked=True, of=crawls)
    ).first()
    if crawl is None:
        return None
    # One pass over the crawl's jobs: how many are in each state, and how they ended.
    tally = conn.execute(
        sa.select(crawl_jobs.c.state, crawl_jobs.c.outcome, sa.func.count())
        .where(crawl_jobs.c.crawl_id == crawl_id)
        .group_by(crawl_jobs.c.state, crawl_jobs.c.outcome)
    ).all()
    if any(state in ("queued", "running") for state, _, _ in tally):
        return None
    outcomes: dict[str, int] = {}
    for _, outcome, n in tally:
        outcomes[outcome] = outcomes.get(outcome, 0) + n
    failed_entries = conn.scalar(
        sa.select(sa.func.count()).where(
            crawl_jobs.c.crawl_id == crawl_id,
            crawl_jobs.c.kind.in_(ENTRY_KINDS),
            crawl_jobs.c.outcome != "listed",
        )
    )
    complete = not failed_entries
    conn.execute(
        sa.update(crawls)
        .where(crawls.c.id == crawl_id)
        .values(finished_at=now, index_complete=complete, summary=outcomes)
    )
    return CrawlEnd(crawl_id, crawl.source_id, crawl.source, aware(crawl.started_at), complete, outcomes)


# -- what is known of each URL ----------------------------------------------------


def page_state(conn: sa.Connection, source_id: int, url: str) -> PageState:
    row = conn.execute(
        sa.select(
            crawl_pages.c.etag,
            crawl_pages.c.last_modified,
            crawl_pages.c.content_hash,
            crawl_pages.c.article_id,
        ).where(crawl_pages.c.source_id == source_id, crawl_pages.c.url_hash == url_hash(url))
    ).first()
    return PageState(*row) if row is not None else PageState()


def stored(conn: sa.Connection, source_id: int, urls: Sequence[str]) -> set[str]:
    """Which of ``urls`` hold an article in the archive already."""
    if not urls:
        return set()
    hashes = {url_hash(u): u for u in urls}
    found = conn.scalars(
        sa.select(crawl_pages.c.url_hash).where(
            crawl_pages.c.source_id == source_id,
            crawl_pages.c.url_hash.in_(list(hashes)),
            crawl_pages.c.article_id.is_not(None),
        )
    )
    return {hashes[h] for h in found}


def note_fetch(
    conn: sa.Connection,
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
    """Remember a fetch of ``url``: its validators, content hash and article."""
    values: dict[str, Any] = {"http_status": http_status, "fetched_at": now}
    if content_hash is not None:
        values.update(etag=etag, last_modified=last_modified, content_hash=content_hash)
    if article_id is not None:
        values["article_id"] = article_id
    _ensure_pages(conn, source_id, [url])
    conn.execute(
        sa.update(crawl_pages)
        .where(crawl_pages.c.source_id == source_id, crawl_pages.c.url_hash == url_hash(url))
        .values(**values)
    )


def note_listed(conn: sa.Connection, source_id: int, urls: Sequence[str], now: dt.datetime) -> None:
    """An entry point lists ``urls`` now: they are not missing."""
    if not urls:
        return
    _ensure_pages(conn, source_id, urls)
    conn.execute(
        sa.update(crawl_pages)
        .where(crawl_pages.c.source_id == source_id, crawl_pages.c.url_hash == sa.bindparam("h"))
        .values(listed_at=now, missing_crawls=0),
        [{"h": url_hash(u)} for u in dict.fromkeys(urls)],
    )


def _ensure_pages(conn: sa.Connection, source_id: int, urls: Sequence[str]) -> None:
    rows = [
        {"source_id": source_id, "url": u, "url_hash": url_hash(u), "missing_crawls": 0} for u in dict.fromkeys(urls)
    ]
    _insert_ignoring_conflicts(conn, crawl_pages, rows)


def count_missing(conn: sa.Connection, end: CrawlEnd, missing_after: int) -> list[int]:
    """After a complete crawl: every article page of the source that its entry points
    did not list counts one more absence; returns the articles absent ``missing_after``
    crawls in a row (to be marked deleted)."""
    if not end.index_complete:
        return []
    not_listed = sa.and_(
        crawl_pages.c.source_id == end.source_id,
        crawl_pages.c.article_id.is_not(None),
        sa.or_(crawl_pages.c.listed_at.is_(None), crawl_pages.c.listed_at < end.started_at),
    )
    conn.execute(sa.update(crawl_pages).where(not_listed).values(missing_crawls=crawl_pages.c.missing_crawls + 1))
    return list(
        conn.scalars(
            sa.select(crawl_pages.c.article_id).where(not_listed, crawl_pages.c.missing_crawls >= missing_after)
        )
    )
