"""Small reads a search page makes on every request, straight from the driver on SQLite.

A search page reads three small results per request (whether the index is behind, its hits'
rows, their stories). SQLAlchemy's statement and result machinery costs more than running
them does on SQLite (about a tenth of the page's CPU), so there they run on the pooled
connection's own ``sqlite3`` cursor, in the connection's transaction; on PostgreSQL through
SQLAlchemy (``sa.text``), which converts the named parameters for the driver.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from typing import Any

import sqlalchemy as sa

__all__ = ["read_rows"]


def read_rows(conn: sa.Connection, sql: str, params: Mapping[str, Any]) -> list[tuple[Any, ...]]:
    """The rows of ``sql`` (parameters named ``:name``), as plain tuples."""
    driver = conn.connection.driver_connection
    if conn.dialect.name == "sqlite" and driver is not None:
        cursor = driver.cursor()
        try:
            found: list[tuple[Any, ...]] = cursor.execute(sql, params).fetchall()
        finally:
            cursor.close()
        return found
    return [tuple(row) for row in conn.execute(_statement(sql), params).all()]


@lru_cache(maxsize=256)
def _statement(sql: str) -> sa.TextClause:
    """``sql`` as a statement, built once (its parameters are found by parsing it)."""
    return sa.text(sql)
