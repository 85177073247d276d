"""The search index's change log (migration 0008) written once per bulk insert on SQLite.

Triggers log every write to an article's searchable fields, whatever code writes it. On
PostgreSQL they fire once per statement; on SQLite, which has only row triggers, the log
row of each inserted article cost an import a third of its insert time. So a bulk insert
of articles on SQLite drops the log triggers for its one statement and writes the log
rows of the ids it inserted itself, in insertion order, as the trigger would have.

Nothing else can write meanwhile, and nothing sees the triggers gone: the triggers are
dropped and created again, from the SQL the archive holds for them, inside the caller's
write transaction. SQLite lets one connection write at a time, so no other writer can
insert an unlogged article, and readers see the last commit, which has the triggers. A
transaction that fails or is killed rolls the drop back with the rest.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator, Sequence
from typing import cast

import sqlalchemy as sa

from wirewatch.store.bulk import insert_columns
from wirewatch.store.schema import search_changes

#: The log triggers of migration 0008. All three are dropped and created again, in their
#: order: an insert fires only the first, but dropped alone it would come back listed
#: after the other two.
LOG_TRIGGERS = ("search_log_insert", "search_log_update", "search_log_delete")


@contextlib.contextmanager
def inserts_unlogged(conn: sa.Connection) -> Iterator[bool]:
    """Within the caller's transaction, articles inserted in the block are not logged by
    the triggers: True when so (SQLite), and the caller then logs them with ``log_inserted``;
    False where the triggers log them (PostgreSQL's fire once per statement)."""
    driver = conn.connection.dbapi_connection
    if conn.dialect.name != "sqlite" or driver is None:
        yield False
        return
    if not cast(sqlite3.Connection, driver).in_transaction:
        # Python's sqlite3 opens a transaction before the first insert or update, not
        # before a DROP: without this, the triggers would be dropped for good at once.
        conn.exec_driver_sql("BEGIN IMMEDIATE")
    marks = ", ".join(f"'{name}'" for name in LOG_TRIGGERS)
    saved = conn.exec_driver_sql(
        f"SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name IN ({marks}) ORDER BY rowid"
    ).all()
    for name, _ in saved:
        conn.exec_driver_sql(f"DROP TRIGGER {name}")
    try:
        yield any(name == LOG_TRIGGERS[0] for name, _ in saved)
    finally:
        for _, sql in saved:
            conn.exec_driver_sql(sql)


def log_inserted(conn: sa.Connection, article_ids: Sequence[int]) -> None:
    """The log rows of articles inserted by one statement, in the order it inserted them
    (what ``search_log_insert`` writes, a row at a time)."""
    insert_columns(conn, search_changes, {"article_id": article_ids})
