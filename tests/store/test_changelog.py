"""The search index's change log after bulk inserts: the rows the triggers would have written,
the triggers as the archive had them, and never a moment when another connection sees them gone."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
import sqlalchemy as sa

from wirewatch.clean.text import body_hash
from wirewatch.models import Article, RawRecord
from wirewatch.store import Incoming, open_store
from wirewatch.store.changelog import inserts_unlogged
from wirewatch.store.engine import database_url


def _incoming(n: int, body: str | None = None) -> Incoming:
    text = f"Body {n}." if body is None else body
    article = Article(source="KCNA", title=f"Title {n}", body=text, body_hash=body_hash(text) if text else "")
    return Incoming(article, RawRecord("in.jsonl", n, "jsonl", {"title": f"Title {n}"}, "{}"), f"key-{n}")


def _log_and_schema(db: str) -> tuple[list[tuple[int, int]], list[tuple[int, int]], list[tuple[str, ...]]]:
    engine = sa.create_engine(database_url(db))
    with engine.connect() as conn:
        log = [tuple(r) for r in conn.execute(sa.text("SELECT seq, article_id FROM search_changes ORDER BY seq"))]
        ids = [tuple(r) for r in conn.execute(sa.text("SELECT id, duplicate_of FROM articles ORDER BY id"))]
        if conn.dialect.name == "sqlite":
            triggers = [
                tuple(r) for r in conn.execute(sa.text("SELECT type, name, sql FROM sqlite_master ORDER BY rowid"))
            ]
        else:
            triggers = [
                tuple(r) for r in conn.execute(sa.text("SELECT tgname, tgtype FROM pg_trigger ORDER BY tgname"))
            ]
    engine.dispose()
    return log, ids, triggers  # type: ignore[return-value]


def test_each_inserted_article_is_logged_once_in_insertion_order(db: str) -> None:
    store = open_store(db)
    _, _, schema_before = _log_and_schema(db)
    # a copy of an earlier article, a headline without text, a copy within the batch
    store.add_batch([_incoming(1), _incoming(2, "")])
    store.add_batch([_incoming(3, "Body 1."), _incoming(4), _incoming(5, "Body 4."), _incoming(1)])
    store.close()
    log, articles, schema_after = _log_and_schema(db)
    assert [i for i, _ in articles] == [1, 2, 3, 4, 5]
    # each insert logged, then 5 again: linked to 4, its original in the same batch, by an update
    logged = [a for _, a in log]
    assert logged == [1, 2, 3, 4, 5, 5] if db.endswith(".db") else sorted(logged) == [1, 2, 3, 4, 5, 5]
    assert schema_after == schema_before


def test_another_connection_never_sees_the_triggers_gone(sqlite_db: Path) -> None:
    open_store(str(sqlite_db)).close()
    engine = sa.create_engine(database_url(str(sqlite_db)))
    with sqlite3.connect(sqlite_db) as reader, engine.begin() as conn:
        conn.exec_driver_sql("PRAGMA journal_mode=WAL")
        with inserts_unlogged(conn) as unlogged:
            assert unlogged
            seen = reader.execute("SELECT count(*) FROM sqlite_master WHERE type = 'trigger'").fetchone()[0]
            assert seen == 3
    with sqlite3.connect(sqlite_db) as after:
        assert after.execute("SELECT count(*) FROM sqlite_master WHERE type = 'trigger'").fetchone()[0] == 3
    engine.dispose()


def test_a_failed_insert_keeps_the_triggers(sqlite_db: Path) -> None:
    open_store(str(sqlite_db)).close()
    engine = sa.create_engine(database_url(str(sqlite_db)))
    with pytest.raises(RuntimeError), engine.begin() as conn, inserts_unlogged(conn):
        raise RuntimeError("the insert failed")
    with engine.begin() as conn:
        # a plain insert after it is logged by the trigger
        conn.exec_driver_sql("INSERT INTO sources (name, created_at) VALUES ('KCNA', '2011-12-19')")
        conn.exec_driver_sql(
            "INSERT INTO articles (source_id, title, title_derived, language_detected, record_key, created_at) "
            "VALUES (1, 't', 0, 0, 'k', '2011-12-19')"
        )
        assert conn.exec_driver_sql("SELECT article_id FROM search_changes").all() == [(1,)]
    engine.dispose()
