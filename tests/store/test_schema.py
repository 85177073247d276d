"""The migrations build the schema that the code's table descriptions say, on both back ends."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from wirewatch.store import open_store
from wirewatch.store.schema import metadata

#: The search back ends' own tables (FTS5 on SQLite, tsvector on PostgreSQL) are not in
#: ``schema``: they belong to the search back end.
SEARCH_TABLES = ("article_fts", "article_index")


#: PostgreSQL's change log also records each row's transaction (migration 0008): a column
#: SQLite has no use for, so not in ``schema``.
POSTGRESQL_ONLY = {("search_changes", "xid"), ("search_changes", "ix_search_changes_xid")}


def _search_structure(change: tuple) -> bool:
    kind, item = change[0], change[1]
    name = getattr(item, "name", "") or ""
    table = getattr(getattr(item, "table", None), "name", "")
    if kind == "remove_column":  # ("remove_column", schema, table, column)
        return (change[2], change[3].name) in POSTGRESQL_ONLY
    if kind == "remove_index" and (table, name) in POSTGRESQL_ONLY:
        return True
    return kind in ("remove_table", "remove_index") and (name.startswith(SEARCH_TABLES) or table in SEARCH_TABLES)


def test_migrations_match_the_schema(db: str) -> None:
    store = open_store(db)
    try:
        with store.engine.connect() as conn:
            changes = compare_metadata(MigrationContext.configure(conn), metadata)
    finally:
        store.close()
    flat = [c for change in changes for c in (change if isinstance(change, list) else [change])]
    assert [c for c in flat if not _search_structure(c)] == []
