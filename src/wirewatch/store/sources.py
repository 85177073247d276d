"""Sources by name: the number of each, made on first use, and their names matched
regardless of letter case.

Sources are only ever added, so what is known of them is kept in a :class:`SourceCache`
and read again only when a name is not in it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import sqlalchemy as sa

from wirewatch.errors import ConfigError
from wirewatch.store.schema import sources

__all__ = ["SourceCache", "first_id", "folded_ids", "ids_of", "named_ids", "source_id", "source_names"]


class SourceCache:
    """What the archive's sources are called: the id of each name as stored, and the ids
    of each name folded to one letter case. One per open archive; the folded map is
    replaced whole, never edited, so that threads reading it at once see one or the other."""

    def __init__(self) -> None:
        self.ids: dict[str, int] = {}
        self.folded: dict[str, list[int]] = {}

    def forget_new(self) -> None:
        """Forget the ids of sources made lately: a rolled-back transaction may have made some."""
        self.ids.clear()


def source_id(conn: sa.Connection, name: str, now: dt.datetime, cache: SourceCache | None = None) -> int:
    """The id of the source called ``name`` (exactly), made now when there is none."""
    if cache is not None and name in cache.ids:
        return cache.ids[name]
    found = conn.scalar(sa.select(sources.c.id).where(sources.c.name == name))
    if found is None:
        found = conn.scalar(sa.insert(sources).values(name=name, created_at=now).returning(sources.c.id))
    if cache is not None:
        cache.ids[name] = int(found)
    return int(found)


def folded_ids(conn: sa.Connection, name: str, cache: SourceCache | None = None) -> list[int]:
    """The ids of the sources called ``name`` regardless of case, in the order they were made.
    Matched in Python: SQLite's lower() folds ASCII only ("Минджу Чосон")."""
    cache = cache if cache is not None else SourceCache()
    key = name.casefold()
    if key not in cache.folded:
        folded: dict[str, list[int]] = {}
        for sid, stored in conn.execute(sa.select(sources.c.id, sources.c.name).order_by(sources.c.id)):
            folded.setdefault(stored.casefold(), []).append(sid)
        cache.folded = folded
    return cache.folded.get(key, [])


def first_id(conn: sa.Connection, name: str, cache: SourceCache | None = None) -> int | None:
    """The first source called ``name`` regardless of case; None when there is none."""
    found = folded_ids(conn, name, cache)
    return found[0] if found else None


def ids_of(conn: sa.Connection, names: Sequence[str], cache: SourceCache | None = None) -> list[int]:
    """The ids of every source called one of ``names`` regardless of case."""
    return [sid for name in names for sid in folded_ids(conn, name, cache)]


def named_ids(conn: sa.Connection, names: Sequence[str]) -> list[int]:
    """The ids of the sources named (in any letter case, around spaces ignored), sorted;
    ConfigError naming those the archive does not hold."""
    cache = SourceCache()
    ids: list[int] = []
    missing: list[str] = []
    for name in names:
        found = folded_ids(conn, name.strip(), cache)
        ids += found
        if not found:
            missing.append(name)
    if missing:
        raise ConfigError(f"no source named {', '.join(repr(m) for m in missing)} in the archive")
    return sorted(set(ids))


def source_names(conn: sa.Connection) -> list[str]:
    """Every source's name, in alphabetical order."""
    return list(conn.scalars(sa.select(sources.c.name).order_by(sources.c.name)))
