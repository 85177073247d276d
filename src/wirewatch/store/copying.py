"""Moving an archive between databases (SQLite ⇄ PostgreSQL): streaming, resumable,
verified.

Rows keep their ids, so permalinks, feed ids and ``duplicate_of`` links survive the move.
Articles go over in batches, each in one transaction with its raw input, its analysis
(entities and events) and its search index rows; a copy that was interrupted starts again after the last article it wrote.
At the end both sides are compared: counts per table, and a checksum over every
article's identity and content, computed the same way on both.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from wirewatch.errors import StoreError
from wirewatch.search.base import IndexRow, SearchBackend
from wirewatch.store.schema import (
    article_changes,
    article_entities,
    article_events,
    article_links,
    article_raw,
    article_revisions,
    article_signatures,
    article_stories,
    articles,
    crawl_hosts,
    crawl_jobs,
    crawl_pages,
    crawls,
    imports,
    link_state,
    sources,
)

#: What the checksum covers of each article, in id order.
CHECKED = (
    "id",
    "source_id",
    "title",
    "date",
    "date_precision",
    "url",
    "language",
    "body_hash",
    "duplicate_of",
    "record_key",
    "status",
    "revisions",
)
#: The tables that follow the articles, in an order their references allow; copied by id.
HISTORY = (article_revisions, article_changes, crawls, crawl_jobs, crawl_pages)
#: The tables that go over with each batch of articles, in its transaction: their rows by article id.
WITH_ARTICLES = (article_raw, article_entities, article_events, article_signatures, article_stories)
#: What the comparison of texts keeps between articles: copied once the articles are over.
LINKS = (article_links, link_state)
TABLES = (sources, imports, articles, *WITH_ARTICLES, *HISTORY, crawl_hosts, *LINKS)


@dataclass
class CopySummary:
    copied: int = 0  # articles written by this run
    already: int = 0  # articles the destination held before (a resumed copy)
    counts: dict[str, tuple[int, int]] = field(default_factory=dict)  # table -> (source, destination)
    checksums: tuple[str, str] = ("", "")

    @property
    def verified(self) -> bool:
        return all(a == b for a, b in self.counts.values()) and self.checksums[0] == self.checksums[1]


def _upsert_small(source: sa.Connection, target: sa.Connection, table: sa.Table) -> None:
    """Sources and imports: the few rows the destination lacks, by id."""
    have = set(target.scalars(sa.select(table.c.id)))
    missing = [dict(r._mapping) for r in source.execute(sa.select(table).order_by(table.c.id)) if r.id not in have]
    if missing:
        target.execute(sa.insert(table), missing)


def _advance_sequences(conn: sa.Connection) -> None:
    """PostgreSQL hands out ids from a sequence, which explicit ids do not move."""
    if conn.dialect.name != "postgresql":
        return
    for table in (sources, imports, articles, article_events, *HISTORY):
        conn.execute(
            sa.text(
                f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                f"coalesce((SELECT max(id) FROM {table.name}), 0) + 1, false)"
            )
        )


def checksum(conn: sa.Connection, up_to: int | None = None, page: int = 5000) -> str:
    """A SHA-256 over every article's identity and content (up to article ``up_to``), in id order."""
    digest = hashlib.sha256()
    columns = [articles.c[name] for name in CHECKED]
    last = 0
    bound = [articles.c.id <= up_to] if up_to is not None else []
    while True:
        query = sa.select(*columns).where(articles.c.id > last, *bound).order_by(articles.c.id).limit(page)
        rows = conn.execute(query).all()
        if not rows:
            return digest.hexdigest()
        for row in rows:
            digest.update(repr(tuple(str(v) if v is not None else None for v in row)).encode())
        last = rows[-1][0]


def count_rows(conn: sa.Connection) -> dict[str, int]:
    """How many rows each of ``TABLES`` holds."""
    return {t.name: int(conn.scalar(sa.select(sa.func.count()).select_from(t)) or 0) for t in TABLES}


def _checksum(engine: sa.Engine, up_to: int | None = None) -> str:
    with engine.connect() as conn:
        return checksum(conn, up_to)


def _count_rows(engine: sa.Engine) -> dict[str, int]:
    with engine.connect() as conn:
        return count_rows(conn)


def copy_archive(
    source: sa.Engine,
    target: sa.Engine,
    index: SearchBackend,
    *,
    batch: int = 2000,
    progress: Callable[[int], None] | None = None,
) -> CopySummary:
    """Copy every article of the archive on ``source`` that the one on ``target`` lacks,
    ``index`` (the target's search index) kept in step, then compare the two. Moving
    between databases takes a transaction per batch on each: engines, not a connection."""
    try:
        return _copy(source, target, index, batch, progress)
    except sa.exc.SQLAlchemyError as exc:
        raise StoreError(
            f"the copy stopped: {str(getattr(exc, 'orig', exc)).strip().splitlines()[0]} (run it again to go on)"
        ) from exc


def _copy(
    source: sa.Engine, target: sa.Engine, index: SearchBackend, batch: int, progress: Callable[[int], None] | None
) -> CopySummary:
    summary = CopySummary()
    with source.connect() as src, target.connect() as dst:
        ours = dict(src.execute(sa.select(sources.c.id, sources.c.name)).all())
        theirs = dict(dst.execute(sa.select(sources.c.id, sources.c.name)).all())
        clash = [f"{theirs[i]!r} (source {i})" for i in theirs if ours.get(i) != theirs[i]]
        if clash:
            raise StoreError(
                f"the destination has sources the source archive does not: {', '.join(clash[:3])}; "
                "it is not an earlier copy of this archive (copy into an empty database)"
            )
    with source.connect() as src, target.begin() as dst:
        _upsert_small(src, dst, sources)
        _upsert_small(src, dst, imports)
        _advance_sequences(dst)
    with target.connect() as dst:
        last = int(dst.scalar(sa.select(sa.func.max(articles.c.id))) or 0)
        summary.already = int(dst.scalar(sa.select(sa.func.count()).select_from(articles)) or 0)
    # A destination that holds articles must be an earlier copy of this archive: the
    # same articles up to its last one (a pass over them, paid only when resuming).
    if summary.already and _checksum(source, last) != _checksum(target, last):
        raise StoreError(
            f"the destination holds {summary.already:,} articles that differ from the source's first ones: "
            "it is not an earlier copy of this archive (copy into an empty database)"
        )
    for rows, related in _batches(source, last, batch):
        with target.begin() as dst:
            dst.execute(sa.insert(articles), rows)
            for table, values in zip(WITH_ARTICLES, related, strict=True):
                if values:
                    dst.execute(sa.insert(table), values)
            index.add(dst, (IndexRow(r["id"], r["title"], r["body"] or "") for r in rows if r["duplicate_of"] is None))
            _advance_sequences(dst)
        summary.copied += len(rows)
        if progress:
            progress(len(rows))
    for table in HISTORY:
        _copy_after(source, target, table, batch)
    with source.connect() as src, target.begin() as dst:
        for table in (crawl_hosts, *LINKS):
            _copy_missing(src, dst, table)
    _refresh_statistics(target)
    counts_source, counts_target = _count_rows(source), _count_rows(target)
    summary.counts = {name: (counts_source[name], counts_target[name]) for name in counts_source}
    summary.checksums = (_checksum(source), _checksum(target))
    return summary


def _refresh_statistics(target: sa.Engine) -> None:
    """Give PostgreSQL's planner the copied tables' statistics now: until autovacuum gets to
    a million new rows, each search's look at the change log is planned blind (measured at
    10^6: 50 ms a search instead of 2). SQLite plans without statistics, as it did before."""
    if target.dialect.name != "postgresql":
        return
    with target.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql("ANALYZE")


def _copy_missing(src: sa.Connection, dst: sa.Connection, table: sa.Table) -> None:
    """The rows of a small table (or one keyed by article ids) the destination lacks, by primary key."""
    key = list(table.primary_key.columns)
    have = {tuple(row) for row in dst.execute(sa.select(*key))}
    missing = [
        dict(r._mapping) for r in src.execute(sa.select(table)) if tuple(r._mapping[c.name] for c in key) not in have
    ]
    for start in range(0, len(missing), 5000):
        dst.execute(sa.insert(table), missing[start : start + 5000])


def _batches(
    source: sa.Engine, last: int, batch: int
) -> Iterator[tuple[list[dict[str, Any]], list[list[dict[str, Any]]]]]:
    """Articles after ``last``, ``batch`` at a time, with their rows of ``WITH_ARTICLES``."""
    with source.connect() as src:
        while True:
            query = sa.select(articles).where(articles.c.id > last).order_by(articles.c.id).limit(batch)
            rows = [dict(row._mapping) for row in src.execute(query)]
            if not rows:
                return
            ids = [r["id"] for r in rows]
            related = [
                [dict(r._mapping) for r in src.execute(sa.select(table).where(table.c.article_id.in_(ids)))]
                for table in WITH_ARTICLES
            ]
            yield rows, related
            last = ids[-1]


def _copy_after(source: sa.Engine, target: sa.Engine, table: sa.Table, batch: int) -> None:
    """The rows of ``table`` past the destination's last id, a batch per transaction."""
    with target.connect() as dst:
        last = int(dst.scalar(sa.select(sa.func.max(table.c.id))) or 0)
    with source.connect() as src:
        while True:
            rows = [
                dict(r._mapping)
                for r in src.execute(sa.select(table).where(table.c.id > last).order_by(table.c.id).limit(batch))
            ]
            if not rows:
                return
            with target.begin() as dst:
                dst.execute(sa.insert(table), rows)
                _advance_sequences(dst)
            last = rows[-1]["id"]
