"""Reading the archive for the derived index: the change log (migration 0008) and the
articles it names, as the documents the index holds.

A *horizon* is where a reader of the log starts: every row at or past it is read.
- SQLite writes one transaction at a time, so rows commit in ``seq`` order: the horizon
  is the next ``seq``, and nothing can appear below it later.
- PostgreSQL commits transactions in any order, so a row with a low ``seq`` may become
  visible after one with a higher. Each row holds its transaction's id (``xid``); every
  transaction below a snapshot's xmin has ended, so the horizon is that xmin and the
  reader reads ``xid >= horizon``. Rows of transactions that ended after the xmin are
  read again next time: applying a change twice gives the same index.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from wirewatch.search.rows import read_rows

#: Article ids per query when the documents of a list of changes are read.
READ_CHUNK = 2000


@dataclass(frozen=True, slots=True)
class Tail:
    """What the log holds at or past a horizon: how many rows, and the highest ``seq``.
    A reader that recorded it knows nothing was written since when it finds the same."""

    rows: int = 0
    last: int | None = None


@dataclass(frozen=True, slots=True)
class Changes:
    """The articles changed from a horizon on, as seen in one snapshot of the archive."""

    article_ids: list[int]
    #: Where the next reader starts (see the module's docstring).
    horizon: int
    #: The log from that horizon on, as this snapshot saw it (on SQLite always empty).
    tail: Tail


@dataclass(frozen=True, slots=True)
class Document:
    """What the index holds of an article (None: it is not searchable, a duplicate)."""

    id: int
    title: str
    body: str
    date: dt.date | None
    source_id: int
    language: str | None
    status: str


def _position(conn: sa.Connection) -> str:
    return "xid" if conn.dialect.name == "postgresql" else "seq"


def tail(conn: sa.Connection, horizon: int) -> Tail:
    """The log at or past ``horizon`` now: compared with the tail the index recorded, it
    says whether the index is behind, in one indexed query."""
    ((count, last),) = read_rows(
        conn, f"SELECT count(*), max(seq) FROM search_changes WHERE {_position(conn)} >= :h", {"h": horizon}
    )
    return Tail(int(count), None if last is None else int(last))


def horizon_now(conn: sa.Connection) -> int:
    """The horizon of the connection's snapshot (see the module's docstring)."""
    if conn.dialect.name == "postgresql":
        return int(conn.scalar(sa.text("SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint")) or 0)
    return int(conn.scalar(sa.text("SELECT coalesce(max(seq), 0) + 1 FROM search_changes")) or 1)


def changes_since(conn: sa.Connection, horizon: int) -> Changes:
    """The articles changed at or past ``horizon``, and the horizon and tail after them.

    ``conn`` must read one snapshot throughout (REPEATABLE READ on PostgreSQL; a read
    transaction on SQLite), so that the rows and the new horizon agree."""
    new_horizon = horizon_now(conn)
    ids = conn.scalars(
        sa.text(f"SELECT DISTINCT article_id FROM search_changes WHERE {_position(conn)} >= :h ORDER BY 1"),
        {"h": horizon},
    ).all()
    after = tail(conn, new_horizon) if conn.dialect.name == "postgresql" else Tail()
    return Changes([int(i) for i in ids], new_horizon, after)


def archive_identity(conn: sa.Connection) -> str:
    """The archive's own id (written by migration 0008): an index of another archive is rebuilt."""
    return str(conn.scalar(sa.text("SELECT value FROM search_state WHERE name = 'archive'")) or "")


_COLUMNS = "id, title, body, date, source_id, language, status, duplicate_of"
_AFTER = f"SELECT {_COLUMNS} FROM articles WHERE id > :after ORDER BY id LIMIT :limit"


def _document(row: Sequence[Any]) -> Document | None:
    if row[7] is not None:
        return None
    day = row[3]
    if isinstance(day, str):
        day = dt.date.fromisoformat(day)
    language = None if row[5] is None else str(row[5])
    return Document(int(row[0]), str(row[1] or ""), str(row[2] or ""), day, int(row[4]), language, str(row[6]))


def documents(conn: sa.Connection, article_ids: Sequence[int]) -> Iterator[tuple[int, Document | None]]:
    """Each id with its document: None for an article that is a duplicate or no more."""
    for start in range(0, len(article_ids), READ_CHUNK):
        chunk = list(article_ids[start : start + READ_CHUNK])
        marks = ", ".join(str(int(i)) for i in chunk)  # ints only: no quoting to get wrong
        rows = {int(r[0]): r for r in conn.execute(sa.text(f"SELECT {_COLUMNS} FROM articles WHERE id IN ({marks})"))}
        for article_id in chunk:
            row = rows.get(article_id)
            yield article_id, None if row is None else _document(row)


def documents_after(conn: sa.Connection, after_id: int, limit: int) -> tuple[list[Document], int | None]:
    """The searchable articles among the ``limit`` next ids above ``after_id``, in id order
    (duplicates skipped), and the last id read: None when there was none left."""
    # straight from the driver on SQLite (``read_rows``): a build reads every article, and
    # SQLAlchemy's rows cost it more than the query does
    rows = read_rows(conn, _AFTER, {"after": after_id, "limit": limit})
    found = [doc for doc in map(_document, rows) if doc is not None]
    return found, (int(rows[-1][0]) if rows else None)
