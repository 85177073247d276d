"""Articles: storing a batch of new ones (their raw input, analysis and index rows with
them), and reading them back; the import runs they came in.

Writing runs on the caller's connection, inside the transaction that stores the batch
(see ``SQLStore.add_batch``); captures of known addresses go through ``store.versions``,
which stores a new address with :func:`add`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa

from wirewatch.clock import aware, now_utc
from wirewatch.models import Article, Incoming
from wirewatch.search.base import IndexRow, SearchBackend
from wirewatch.store.analysis import write_analysis
from wirewatch.store.base import ArchiveStats, BatchCounts
from wirewatch.store.bulk import insert_columns
from wirewatch.store.changelog import inserts_unlogged, log_inserted
from wirewatch.store.schema import article_raw, articles, imports, sources
from wirewatch.store.sources import SourceCache, source_id

#: What an article is read with (its text is added by the query that needs it).
ARTICLE_COLUMNS = (
    articles.c.id,
    sources.c.name.label("source"),
    articles.c.title,
    articles.c.title_derived,
    articles.c.date,
    articles.c.date_precision,
    articles.c.date_alternatives,
    articles.c.date_note,
    articles.c.url,
    articles.c.language,
    articles.c.language_detected,
    articles.c.place,
    articles.c.body_hash,
    articles.c.duplicate_of,
    articles.c.metadata,
    articles.c.record_key,
    articles.c.status,
    articles.c.status_at,
    articles.c.revisions,
)

# The lookups of every batch, built once; the lists go in as expanding parameters,
# which SQLAlchemy renders at execution instead of building a parameter per item.
_KNOWN_KEYS = sa.select(articles.c.record_key).where(articles.c.record_key.in_(sa.bindparam("keys", expanding=True)))
_IDS_BY_KEY = sa.select(articles.c.record_key, articles.c.id).where(
    articles.c.record_key.in_(sa.bindparam("keys", expanding=True))
)
_LAST_ID = sa.select(sa.func.max(articles.c.id))
_IDS_ABOVE = sa.select(articles.c.record_key, articles.c.id).where(articles.c.id > sa.bindparam("after"))
# "duplicate_of + 0": the same test as "duplicate_of IS NULL", but one SQLite cannot
# answer from the duplicate_of index. With that index it walked every original in the
# archive instead of looking up the hashes, so each batch took longer than the last.
_ORIGINALS = sa.select(articles.c.body_hash, articles.c.id).where(
    articles.c.body_hash.in_(sa.bindparam("hashes", expanding=True)), (articles.c.duplicate_of + 0).is_(None)
)

# Built once: constructing a select costs more than SQLite takes to answer it.
_SELECT = sa.select(*ARTICLE_COLUMNS, articles.c.body).join(sources, sources.c.id == articles.c.source_id)
_GET = _SELECT.where(articles.c.id == sa.bindparam("id"))
_BODY = sa.select(articles.c.body).where(articles.c.id == sa.bindparam("id"))
_DUPLICATES = sa.select(articles.c.id).where(articles.c.duplicate_of == sa.bindparam("id")).order_by(articles.c.id)


# -- writing -----------------------------------------------------------------------


def add(
    conn: sa.Connection,
    index: SearchBackend,
    batch: Sequence[Incoming],
    counts: BatchCounts,
    *,
    import_id: int | None = None,
    cache: SourceCache | None = None,
) -> None:
    """Store the records of ``batch`` whose keys the archive does not hold, in input order:
    a text already stored becomes a duplicate of it, the others go into ``index``.
    ``counts`` gains what was added, duplicated and left unchanged."""
    keys = [item.record_key for item in batch]
    known = set(conn.scalars(_KNOWN_KEYS, {"keys": keys}))
    fresh: list[Incoming] = []
    for item in batch:
        if item.record_key in known:
            counts.unchanged += 1
        else:
            known.add(item.record_key)  # a key twice in one batch is stored once
            fresh.append(item)
    if not fresh:
        return
    hashes = {item.article.body_hash for item in fresh if item.article.body_hash}
    originals: dict[str, int] = dict(conn.execute(_ORIGINALS, {"hashes": list(hashes)}).all()) if hashes else {}
    # Rows go in input order, so article numbers follow the input. A duplicate of
    # an article earlier in this same batch is linked once that article has an id.
    links: list[int | None] = []
    first_at: dict[str, int] = {}  # body hash -> position of its original in this batch
    later: dict[int, int] = {}  # position of a duplicate -> position of its original
    for position, item in enumerate(fresh):
        h = item.article.body_hash
        links.append(originals.get(h) if h else None)
        if h and h not in originals:
            if h in first_at:
                later[position] = first_at[h]
            else:
                first_at[h] = position
    ids = _insert(conn, fresh, links, set(later), import_id, now_utc(), cache)
    # Every new row, duplicates too: each has its own title and date.
    write_analysis(
        conn,
        ((ids[pos], item.entities, item.events or ()) for pos, item in enumerate(fresh) if item.entities is not None),
    )
    if later:
        conn.execute(
            sa.update(articles).where(articles.c.id == sa.bindparam("dup")).values(duplicate_of=sa.bindparam("orig")),
            [{"dup": ids[p], "orig": ids[o]} for p, o in later.items()],
        )
    firsts = [(item, ids[pos]) for pos, item in enumerate(fresh) if links[pos] is None and pos not in later]
    index.add(conn, (IndexRow(i, item.article.title, item.article.body) for item, i in firsts))
    counts.added += len(firsts)
    counts.duplicates += len(fresh) - len(firsts)


def _insert(
    conn: sa.Connection,
    items: list[Incoming],
    links: list[int | None],
    later_dupes: set[int],
    import_id: int | None,
    now: dt.datetime,
    cache: SourceCache | None,
) -> list[int]:
    # In order of first appearance, so that new sources are numbered as they come.
    names = dict.fromkeys(item.article.source for item in items)
    source_ids = {name: source_id(conn, name, now, cache) for name in names}
    new_articles = [item.article for item in items]
    copies = [link is not None or position in later_dupes for position, link in enumerate(links)]
    keys = [item.record_key for item in items]
    # One executemany, then the ids by record key (``_ids_of``): RETURNING with ordered
    # rows would make SQLAlchemy insert one row per statement on SQLite. The rows go column
    # by column: no dict per row, and each column's values converted in one go.
    last = conn.scalar(_LAST_ID) or 0
    with inserts_unlogged(conn) as unlogged:
        insert_columns(
            conn,
            articles,
            {
                "source_id": [source_ids[a.source] for a in new_articles],
                "title": [a.title for a in new_articles],
                "title_derived": [a.title_derived for a in new_articles],
                "date": [a.date for a in new_articles],
                "date_precision": [a.date_precision for a in new_articles],
                "date_alternatives": [[d.isoformat() for d in a.date_alternatives] or None for a in new_articles],
                "date_note": [a.date_note for a in new_articles],
                "url": [a.url for a in new_articles],
                "language": [a.language for a in new_articles],
                "language_detected": [a.language_detected for a in new_articles],
                "place": [a.place for a in new_articles],
                "body": [None if copy else a.body for a, copy in zip(new_articles, copies, strict=True)],
                "body_hash": [a.body_hash or None for a in new_articles],
                "duplicate_of": links,
                "metadata": [a.metadata or None for a in new_articles],
                "record_key": keys,
                "import_id": [import_id] * len(items),
                "created_at": [now] * len(items),
            },
        )
    ids = _ids_of(conn, keys, last)
    if unlogged:
        log_inserted(conn, ids)
    insert_columns(
        conn,
        article_raw,
        {
            "article_id": ids,
            "input": [item.raw.input for item in items],
            "line": [item.raw.line for item in items],
            "kind": [item.raw.kind for item in items],
            "raw": [item.raw.raw for item in items],
        },
    )
    return ids


def _ids_of(conn: sa.Connection, keys: list[str], last: int) -> list[int]:
    """The ids of the rows just inserted with ``keys``, in their order; ``last``: the highest
    id before the insert. New rows are numbered above it (SQLite takes the highest id plus
    one, PostgreSQL a sequence that only grows), so they are read as a range of the table,
    which costs a third of looking each key up in its index; a key not found there (an id
    given by hand) is looked up."""
    by_key = dict(conn.execute(_IDS_ABOVE, {"after": last}).all())
    missing = [key for key in keys if key not in by_key]
    if missing:
        by_key.update(conn.execute(_IDS_BY_KEY, {"keys": missing}).all())
    return [by_key[key] for key in keys]


def begin_import(conn: sa.Connection, inputs: Sequence[str]) -> int:
    """Record the start of an import of ``inputs``; its number."""
    return int(
        conn.scalar(sa.insert(imports).values(inputs=list(inputs), started_at=now_utc()).returning(imports.c.id))
    )


def finish_import(conn: sa.Connection, import_id: int, summary: dict[str, object]) -> None:
    conn.execute(sa.update(imports).where(imports.c.id == import_id).values(finished_at=now_utc(), summary=summary))


# -- reading -----------------------------------------------------------------------


def article_of(row: sa.Row[*tuple[Any, ...]], body: str | None = None) -> Article:
    """The article a row of ``ARTICLE_COLUMNS`` and a body holds; ``body``: its original's
    text, for a duplicate."""
    m = row._mapping
    return Article(
        id=m["id"],
        source=m["source"],
        title=m["title"],
        title_derived=bool(m["title_derived"]),
        date=m["date"],
        date_precision=m["date_precision"],
        date_alternatives=tuple(dt.date.fromisoformat(d) for d in m["date_alternatives"] or ()),
        date_note=m["date_note"],
        url=m["url"],
        language=m["language"],
        language_detected=bool(m["language_detected"]),
        place=m["place"],
        body=body if body is not None else (m["body"] or ""),
        body_hash=m["body_hash"] or "",
        duplicate_of=m["duplicate_of"],
        metadata=m["metadata"] or {},
        record_key=m["record_key"],
        status=m["status"],
        status_at=aware(m["status_at"]) if m["status_at"] else None,
        revisions=m["revisions"],
    )


def get(conn: sa.Connection, article_id: int) -> Article | None:
    """The article numbered ``article_id`` (a duplicate with its original's text)."""
    row = conn.execute(_GET, {"id": article_id}).first()
    if row is None:
        return None
    body = None
    if row._mapping["duplicate_of"] is not None:
        body = conn.scalar(_BODY, {"id": row._mapping["duplicate_of"]})
    return article_of(row, body)


def id_by_key(conn: sa.Connection, record_key: str) -> int | None:
    return conn.scalar(sa.select(articles.c.id).where(articles.c.record_key == record_key))


def duplicates_of(conn: sa.Connection, article_id: int) -> list[int]:
    return list(conn.scalars(_DUPLICATES, {"id": article_id}))


def raw_record(conn: sa.Connection, article_id: int) -> dict[str, Any] | None:
    """The input an article was read from: file, line, kind and text as read."""
    row = conn.execute(sa.select(article_raw).where(article_raw.c.article_id == article_id)).first()
    if row is None:
        return None
    m = row._mapping
    return {"input": m["input"], "line": m["line"], "kind": m["kind"], "raw": m["raw"]}


def articles_after(conn: sa.Connection, last: int, page: int, *, include_duplicates: bool = True) -> list[Article]:
    """The next ``page`` articles numbered above ``last``, in id order (duplicates carry
    their original's text)."""
    query = _SELECT.where(articles.c.id > last).order_by(articles.c.id).limit(page)
    if not include_duplicates:
        query = query.where(articles.c.duplicate_of.is_(None))
    rows = conn.execute(query).all()
    wanted = {r._mapping["duplicate_of"] for r in rows if r._mapping["duplicate_of"]}
    bodies = (
        dict(conn.execute(sa.select(articles.c.id, articles.c.body).where(articles.c.id.in_(wanted))).all())
        if wanted
        else {}
    )
    return [article_of(row, bodies.get(row._mapping["duplicate_of"])) for row in rows]


def stats(conn: sa.Connection) -> ArchiveStats:
    """How many articles and duplicates, by source and language; the range of their dates."""
    originals = articles.c.duplicate_of.is_(None)
    total, dupes, undated, derived, first, last = conn.execute(
        sa.select(
            sa.func.count(),
            sa.func.count(articles.c.duplicate_of),
            sa.func.count().filter(articles.c.date.is_(None)),
            sa.func.count().filter(articles.c.title_derived.is_(True)),
            sa.func.min(articles.c.date),
            sa.func.max(articles.c.date),
        )
    ).one()
    by_source = conn.execute(
        sa.select(sources.c.name, sa.func.count(articles.c.id))
        .join(articles, articles.c.source_id == sources.c.id)
        .group_by(sources.c.name)
        .order_by(sa.func.count(articles.c.id).desc())
    ).all()
    by_language = conn.execute(
        sa.select(articles.c.language, sa.func.count())
        .where(originals)
        .group_by(articles.c.language)
        .order_by(sa.func.count().desc())
    ).all()
    return ArchiveStats(
        articles=total,
        duplicates=dupes,
        sources=dict(by_source),
        languages={(lang or "unknown"): n for lang, n in by_language},
        first_date=first,
        last_date=last,
        undated=undated,
        derived_titles=derived,
    )
