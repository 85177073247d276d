"""Inserting many rows in one statement without SQLAlchemy's per-row work.

``conn.execute(sa.insert(table), rows)`` builds and checks each row's parameters in
Python, and for an import that took longer than SQLite's own insert. ``insert_columns``
compiles the statement once, converts each column's values with the column type's
bind processor (the conversion SQLAlchemy itself applies, so the stored values are the
same on every back end) and hands all rows to the driver's executemany.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import sqlalchemy as sa


def insert_columns(conn: sa.Connection, table: sa.Table, columns: Mapping[str, Sequence[Any]]) -> None:
    """Insert one row per position of ``columns`` (column name → its values, all equally
    long). The names cover every column to fill: Python-side column defaults do not apply.
    """
    keys = list(columns)
    dialect = conn.dialect
    # inline(): neither RETURNING nor defaults computed ahead, as befits an executemany.
    compiled = sa.insert(table).inline().compile(dialect=dialect, column_keys=keys)
    names = list(compiled.positiontup or ()) if compiled.positional else keys
    if sorted(names) != sorted(keys):
        raise ValueError(f"insert into {table.name}: no values for {sorted(set(names) - set(keys))}")
    converted = [
        _bound(table.c[name].type.dialect_impl(dialect).bind_processor(dialect), columns[name]) for name in names
    ]
    rows = list(zip(*converted, strict=True))
    if rows:
        conn.exec_driver_sql(
            compiled.string, rows if compiled.positional else [dict(zip(names, r, strict=True)) for r in rows]
        )


def _bound(process: Callable[[Any], Any] | None, values: Sequence[Any]) -> Sequence[Any]:
    """``values`` through ``process``, each distinct value converted once: a batch repeats
    its dates, flags and timestamp, and a bind processor is a pure conversion."""
    if process is None:
        return values
    memo: dict[tuple[type, Any], Any] = {}
    out = []
    for value in values:
        key = (value.__class__, value)  # the class too: True == 1, but they convert apart
        try:
            out.append(memo[key])
        except KeyError:
            memo[key] = converted = process(value)
            out.append(converted)
        except TypeError:  # unhashable (a JSON list or object): convert it each time
            out.append(process(value))
    return out
