"""What re-processing (``wirewatch reprocess``) reads from the archive and writes back.

The archive is read in partitions by article id (keyset, never OFFSET), each article with
the input it was read from (``article_raw``), so that the work on a partition needs
nothing else (and, for the analyse stage, its stored text). The changes of a partition
and its new analyses are written in one transaction, with the search index kept in step
in that same transaction: an interrupted run leaves every partition
either rewritten or untouched, never half done.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from wirewatch.models import ArticleChange, StoredArticle
from wirewatch.search.base import IndexRow, SearchBackend
from wirewatch.store.analysis import AnalysisRow, write_analysis
from wirewatch.store.schema import article_raw, articles, sources

#: The columns a change rewrites (every field of ArticleChange but the id).
REWRITTEN = ArticleChange._fields[1:]

_COLUMNS = (
    articles.c.id,
    sources.c.name,
    *(articles.c[name] for name in REWRITTEN if name != "body"),
    articles.c.record_key,
    articles.c.metadata,
    article_raw.c.kind,
    article_raw.c.input,
    article_raw.c.line,
    article_raw.c.raw,
)
_FROM = articles.join(sources, sources.c.id == articles.c.source_id).outerjoin(
    article_raw, article_raw.c.article_id == articles.c.id
)
# The SET clause comes from the parameters' keys: every column in REWRITTEN.
_UPDATE = sa.update(articles).where(articles.c.id == sa.bindparam("article"))


def count_articles(conn: sa.Connection, scope: Sequence[int] = ()) -> int:
    """How many articles the sources ``scope`` (every source when empty) hold."""
    query = sa.select(sa.func.count()).select_from(articles)
    if scope:
        query = query.where(articles.c.source_id.in_(list(scope)))
    return int(conn.scalar(query) or 0)


@dataclass(frozen=True, slots=True)
class StoredPartition:
    """A partition of the archive as read: StoredArticle tuples, and (when asked for)
    each one's stored text."""

    rows: list[tuple[Any, ...]]
    texts: list[str | None] | None
    #: The last article's number: the next partition starts after it.
    last: int


def read_partition(
    conn: sa.Connection, scope: Sequence[int] = (), after: int = 0, size: int = 5000, *, texts: bool = False
) -> StoredPartition | None:
    """The ``size`` articles after number ``after`` of the sources ``scope`` (every source
    when empty), in id order, as StoredArticle tuples, with (``texts``) each one's stored
    text, its original's for a duplicate (else None); None after the last."""
    where = [articles.c.source_id.in_(list(scope))] if scope else []
    query = sa.select(*_COLUMNS).select_from(_FROM).where(articles.c.id > after, *where)
    rows = conn.execute(query.order_by(articles.c.id).limit(size)).all()
    if not rows:
        return None
    wanted = {row.duplicate_of for row in rows if row.duplicate_of is not None}
    originals: dict[int, tuple[tuple[Any, ...], bool]] = {}
    if wanted:  # whatever their source: a duplicate needs its original's hash
        found = sa.select(*_COLUMNS, articles.c.source_id).select_from(_FROM)
        for row in conn.execute(found.where(articles.c.id.in_(sorted(wanted)))):
            originals[row.id] = (_stored(row[:-1]), not scope or row[-1] in scope)
    bodies = dict(conn.execute(_TEXTS, {"ids": [row.id for row in rows]}).all()) if texts else None
    partition: list[tuple[Any, ...]] = []
    for row in rows:
        original, covered = originals.get(row.duplicate_of, (None, False))
        partition.append(_stored(row, original[_HASH] if original else None, original if covered else None))
    return StoredPartition(partition, None if bodies is None else [bodies.get(row.id) for row in rows], rows[-1].id)


_ORIGINAL = articles.alias("original")
_TEXTS = (
    sa.select(articles.c.id, sa.func.coalesce(articles.c.body, _ORIGINAL.c.body))
    .select_from(articles.outerjoin(_ORIGINAL, _ORIGINAL.c.id == articles.c.duplicate_of))
    .where(articles.c.id.in_(sa.bindparam("ids", expanding=True)))
)


_HASH = StoredArticle._fields.index("body_hash")
_ALTERNATIVES = StoredArticle._fields.index("date_alternatives")
_FLAGS = (StoredArticle._fields.index("title_derived"), StoredArticle._fields.index("language_detected"))


def _stored(
    row: Sequence[Any], original_hash: str | None = None, original: tuple[Any, ...] | None = None
) -> tuple[Any, ...]:
    values = list(row)
    values[_ALTERNATIVES] = tuple(dt.date.fromisoformat(d) for d in values[_ALTERNATIVES] or ())
    for position in _FLAGS:  # SQLite gives 0 and 1
        values[position] = bool(values[position])
    values += (original_hash, original)
    return tuple(values)


def write_changes(
    conn: sa.Connection, index: SearchBackend, changes: Sequence[ArticleChange], analyses: Sequence[AnalysisRow] = ()
) -> None:
    """Write ``changes``, ``index`` with them: an original whose title or text changed is
    re-indexed, a duplicate that becomes an original is indexed. What the index forgets
    is read from the rows inside the caller's transaction, so it is exactly what it holds.
    ``analyses`` (article id, entities, events) replace the articles' stored analysis."""
    write_analysis(conn, analyses, replace=True)
    if not changes:
        return
    ids = [change.id for change in changes]
    current = {
        row.id: row
        for row in conn.execute(
            sa.select(articles.c.id, articles.c.title, articles.c.body, articles.c.duplicate_of).where(
                articles.c.id.in_(ids)
            )
        )
    }
    stale: list[IndexRow] = []
    fresh: list[IndexRow] = []
    for change in changes:
        old = current[change.id]
        if change.duplicate_of is not None:
            continue  # a duplicate is not in the index, before or after
        if old.duplicate_of is None:
            if (old.title, old.body or "") == (change.title, change.body or ""):
                continue
            stale.append(IndexRow(change.id, old.title, old.body or ""))
        fresh.append(IndexRow(change.id, change.title, change.body or ""))
    index.remove(conn, stale)
    conn.execute(_UPDATE, [_parameters(change) for change in changes])
    index.add(conn, fresh)


def _parameters(change: ArticleChange) -> dict[str, Any]:
    values = change._asdict()
    values["article"] = values.pop("id")
    values["date_alternatives"] = [d.isoformat() for d in change.date_alternatives] or None
    return values
