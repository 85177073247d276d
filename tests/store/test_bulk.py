"""Bulk inserts store each value exactly as SQLAlchemy's own insert does."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest
import sqlalchemy as sa

from wirewatch.store.bulk import insert_columns

metadata = sa.MetaData()
table = sa.Table(
    "t",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("day", sa.Date),
    sa.Column("at", sa.DateTime(timezone=True)),
    sa.Column("flag", sa.Boolean, nullable=False, default=False),
    sa.Column("doc", sa.JSON(none_as_null=True)),
    sa.Column("legacy", sa.JSON),
    sa.Column("name", sa.Text),
)
AT = dt.datetime(2011, 12, 19, 8, 30, 5, 123456, tzinfo=dt.UTC)
ROWS = [
    {"day": dt.date(2011, 12, 19), "at": AT, "flag": True, "doc": ["2011-12-19"], "legacy": None, "name": "Kim"},
    {"day": None, "at": AT, "flag": False, "doc": None, "legacy": {"a": 1}, "name": "조선"},
    {"day": dt.date(999, 1, 2), "at": AT, "flag": True, "doc": {"k": [1, 2]}, "legacy": [], "name": None},
    {"day": dt.date(2011, 12, 19), "at": AT, "flag": True, "doc": ["2011-12-19"], "legacy": None, "name": "Kim"},
]


def test_values_are_stored_as_sqlalchemy_stores_them(tmp_path: Path) -> None:
    engine = sa.create_engine(f"sqlite:///{tmp_path / 't.db'}")
    metadata.create_all(engine)
    with engine.begin() as conn:
        conn.execute(sa.insert(table), ROWS)
        insert_columns(conn, table, {key: [row[key] for row in ROWS] for key in ROWS[0]})
    with sqlite3.connect(tmp_path / "t.db") as conn:
        stored = conn.execute("SELECT day, at, flag, doc, legacy, name, typeof(doc) FROM t ORDER BY id").fetchall()
    assert stored[len(ROWS) :] == stored[: len(ROWS)]
    assert stored[1][3] is None and stored[1][4] == '{"a": 1}' and stored[0][4] == "null"


def test_every_column_to_fill_needs_values(tmp_path: Path) -> None:
    engine = sa.create_engine(f"sqlite:///{tmp_path / 't.db'}")
    metadata.create_all(engine)
    with engine.begin() as conn, pytest.raises(ValueError, match=r"no values for \['flag'\]"):
        insert_columns(conn, table, {"name": ["Kim"]})
