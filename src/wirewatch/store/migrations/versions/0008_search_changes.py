"""The search index's change log: every write to an article's searchable fields leaves a row.

The search engine (tantivy, ``wirewatch.search.engine``) keeps its index outside the
database, derived from it. Triggers on ``articles`` log the id of each article inserted,
deleted, or updated in a field the index holds (title, body, date, language, status,
source, duplicate_of), whatever code writes it; the index reads the log from its stored
horizon on and so catches up after a crash, on every node that keeps an index of its own.

On SQLite writes are serial, so the log's ``seq`` orders them as they committed. On
PostgreSQL transactions commit in any order, so each row also holds the id of the
transaction that wrote it (``xid``): a reader knows every transaction below its snapshot's
xmin has ended, and reads again from there (see ``search.changes``).

``search_state`` holds the archive's identity (an index built from another archive is
rebuilt) and whether the SQL full-text tables of migrations 0002/0003 are current (the
``sql`` engine's; the tantivy engine leaves them behind, and ``reindex`` brings them up).

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

import uuid

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

#: The fields of an article the search index holds: a change to any of them is logged.
FIELDS = ("title", "body", "date", "language", "status", "source_id", "duplicate_of")


def upgrade() -> None:
    postgresql = op.get_bind().dialect.name == "postgresql"
    columns = [
        sa.Column("seq", sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True, autoincrement=True),
        sa.Column("article_id", sa.Integer, nullable=False),
    ]
    if postgresql:
        columns.append(
            sa.Column(
                "xid", sa.BigInteger, nullable=False, server_default=sa.text("pg_current_xact_id()::text::bigint")
            )
        )
    op.create_table("search_changes", *columns, sqlite_autoincrement=True)
    if postgresql:
        op.create_index("ix_search_changes_xid", "search_changes", ["xid"])
    op.create_table(
        "search_state",
        sa.Column("name", sa.String(40), primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
    )
    op.execute(
        f"INSERT INTO search_state (name, value) VALUES ('archive', '{uuid.uuid4().hex}'), ('sql_index', 'current')"
    )
    if postgresql:
        _postgresql_triggers()
    else:
        _sqlite_triggers()


def _sqlite_triggers() -> None:
    changed = " OR ".join(f"NEW.{f} IS NOT OLD.{f}" for f in FIELDS)
    log = "INSERT INTO search_changes (article_id) VALUES"
    op.execute(f"CREATE TRIGGER search_log_insert AFTER INSERT ON articles BEGIN {log} (NEW.id); END")
    op.execute(f"CREATE TRIGGER search_log_update AFTER UPDATE ON articles WHEN {changed} BEGIN {log} (NEW.id); END")
    op.execute(f"CREATE TRIGGER search_log_delete AFTER DELETE ON articles BEGIN {log} (OLD.id); END")


def _postgresql_triggers() -> None:
    # Statement triggers with transition tables: one INSERT … SELECT per statement, not a
    # call per row, so a batch of 5,000 articles costs one more statement.
    new = ", ".join(f"n.{f}" for f in FIELDS)
    old = ", ".join(f"o.{f}" for f in FIELDS)
    bodies = {
        "insert": "INSERT INTO search_changes (article_id) SELECT id FROM new_rows",
        "update": (
            "INSERT INTO search_changes (article_id) SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id "
            f"WHERE ({new}) IS DISTINCT FROM ({old})"
        ),
        "delete": "INSERT INTO search_changes (article_id) SELECT id FROM old_rows",
    }
    tables = {
        "insert": "NEW TABLE AS new_rows",
        "update": "OLD TABLE AS old_rows NEW TABLE AS new_rows",
        "delete": "OLD TABLE AS old_rows",
    }
    for event, body in bodies.items():
        op.execute(
            f"CREATE FUNCTION search_log_{event}() RETURNS trigger LANGUAGE plpgsql AS $$ "
            f"BEGIN {body}; RETURN NULL; END $$"
        )
        op.execute(
            f"CREATE TRIGGER search_log_{event} AFTER {event.upper()} ON articles REFERENCING {tables[event]} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION search_log_{event}()"
        )


def downgrade() -> None:
    postgresql = op.get_bind().dialect.name == "postgresql"
    for event in ("insert", "update", "delete"):
        op.execute(f"DROP TRIGGER IF EXISTS search_log_{event}" + (" ON articles" if postgresql else ""))
        if postgresql:
            op.execute(f"DROP FUNCTION IF EXISTS search_log_{event}()")
    op.drop_table("search_state")
    op.drop_table("search_changes")
