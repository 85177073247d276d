"""The store on a real SQLite file and a real PostgreSQL database: schema, WAL, atomic batches."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
import sqlalchemy as sa

from wirewatch.errors import ConfigError, StoreError
from wirewatch.models import Article, RawRecord
from wirewatch.search import SearchRequest
from wirewatch.store import Incoming, open_store
from wirewatch.store.engine import HEAD, database_url


def _incoming(n: int, body: str = "", source: str = "KCNA") -> Incoming:
    body = body or f"Body {n}."
    article = Article(source=source, title=f"Title {n}", body=body, body_hash=f"{n:064d}")
    return Incoming(article, RawRecord("in.jsonl", n, "jsonl", {"title": f"Title {n}"}, "{}"), f"key-{n}")


def test_new_archive_is_at_the_newest_migration_in_wal_mode(tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    open_store(str(db)).close()
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] == HEAD
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"sources", "articles", "article_raw", "imports", "article_fts"} <= tables
    open_store(str(db)).close()  # opening again is a no-op


def test_a_new_postgresql_archive_is_at_the_newest_migration(postgresql_db: str) -> None:
    open_store(postgresql_db).close()
    engine = sa.create_engine(database_url(postgresql_db))
    with engine.connect() as conn:
        assert conn.scalar(sa.text("SELECT version_num FROM alembic_version")) == HEAD
        tables = set(sa.inspect(conn).get_table_names())
        indexes = {i["name"] for i in sa.inspect(conn).get_indexes("article_index")}
    engine.dispose()
    assert {"sources", "articles", "article_raw", "imports", "article_index"} <= tables
    assert "ix_article_index_vector" in indexes
    open_store(postgresql_db).close()  # opening again is a no-op


def test_a_failed_batch_leaves_nothing_behind(db: str) -> None:
    store = open_store(db)
    store.add_batch([_incoming(1)])
    bad = _incoming(3)
    broken = Incoming(Article(source="KCNA", title=None, body="x", body_hash="f" * 64), bad.raw, "key-x")  # type: ignore[arg-type]
    with pytest.raises(StoreError, match="could not write"):
        store.add_batch([_incoming(2), broken])
    assert store.stats().articles == 1
    assert store.search(SearchRequest("body")).total == 1  # the index rolled back with the rows
    counts = store.add_batch([_incoming(2)])
    assert counts.added == 1 and store.stats().articles == 2
    store.close()


def test_each_new_article_gets_its_own_raw_record_whatever_ids_the_database_gives(sqlite_db: Path) -> None:
    store = open_store(str(sqlite_db))
    store.add_batch([_incoming(1)])
    with sqlite3.connect(sqlite_db) as conn:
        # With the highest id taken, SQLite numbers new rows at random, below it: the ids of
        # a batch are then not a range above the last one, and are found by their keys.
        conn.execute(
            "INSERT INTO articles (id, source_id, title, title_derived, language_detected, record_key, created_at) "
            "VALUES (9223372036854775807, 1, 'Top', 0, 0, 'key-top', '2011-12-19')"
        )
    assert store.add_batch([_incoming(2), _incoming(3)]).added == 2
    for n in (2, 3):
        article_id = store.article_id_by_key(f"key-{n}")
        assert article_id is not None and article_id < 9223372036854775807
        raw = store.raw_record(article_id)
        article = store.get_article(article_id)
        assert raw is not None and raw["line"] == n and article is not None and article.title == f"Title {n}"
    store.close()


def test_an_unreachable_server_is_a_store_error() -> None:
    with pytest.raises(StoreError, match="cannot reach the database postgresql"):
        open_store("postgresql://postgres@127.0.0.1:1/nothing")


def test_a_database_wirewatch_does_not_keep_archives_on_is_named() -> None:
    with pytest.raises(ConfigError, match="SQLite or PostgreSQL, not mysql"):
        open_store("mysql://root@127.0.0.1/test")


def test_missing_folder_is_a_store_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="does not exist"):
        open_store(str(tmp_path / "no" / "such" / "a.db"))


def test_a_password_in_a_database_url_is_never_shown() -> None:
    with pytest.raises(ConfigError) as refused:
        open_store("mysql://root:hunter2@127.0.0.1/test")
    with pytest.raises(StoreError) as unreachable:
        open_store("postgresql://postgres:hunter2@127.0.0.1:1/nothing")
    assert "hunter2" not in str(refused.value) and "hunter2" not in str(unreachable.value)
