"""What the trends read from the archive: the texts and entities of a period, when an
entity was first named, and who is named with whom. Every function counts original
articles only (a duplicate's text is its original's), as the search does."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from dataclasses import dataclass

import sqlalchemy as sa

from wirewatch.store.schema import article_entities, articles, sources

__all__ = ["EntityTally", "PeriodScope", "TrendReader", "companions", "entity_tallies", "first_seen", "texts"]


@dataclass(frozen=True, slots=True)
class PeriodScope:
    """Articles dated ``since`` to ``until`` (both included), of ``source_ids`` (empty:
    every source) and ``languages`` (empty: any)."""

    since: dt.date
    until: dt.date
    source_ids: tuple[int, ...] = ()
    languages: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class EntityTally:
    """An entity and in how many articles of a period it is named."""

    entity_type: str
    entity_id: str
    name: str
    articles: int


def _where(scope: PeriodScope) -> list[sa.ColumnElement[bool]]:
    clauses: list[sa.ColumnElement[bool]] = [
        articles.c.duplicate_of.is_(None),
        articles.c.date.between(scope.since, scope.until),
    ]
    if scope.source_ids:
        clauses.append(articles.c.source_id.in_(scope.source_ids))
    if scope.languages:
        clauses.append(articles.c.language.in_(scope.languages))
    return clauses


def texts(conn: sa.Connection, scope: PeriodScope, limit: int | None = None) -> list[tuple[str | None, str]]:
    """(language, title and body) of the period's original articles; past ``limit``
    articles, of a uniform sample of ``limit`` of them, the same on every call (seeded by
    the period): a rate read off 2,000 articles is as good as one read off 40,000 for what
    the list needs, at a twentieth of the time. The sample is drawn from the dated rows'
    ids (read off the date index alone), then the duplicates among them are left out."""
    dated = [articles.c.date.between(scope.since, scope.until)]
    if scope.source_ids:
        dated.append(articles.c.source_id.in_(scope.source_ids))
    # In id order, so that the same archive gives the same sample on either back end.
    ids = sorted(row[0] for row in conn.execute(sa.select(articles.c.id).where(*dated)))
    if limit is not None and len(ids) > limit:
        ids = sorted(random.Random(f"{scope.since}:{scope.until}").sample(ids, limit))
    out: list[tuple[str | None, str]] = []
    for start in range(0, len(ids), 900):
        rows = conn.execute(
            sa.select(articles.c.language, articles.c.title, articles.c.body).where(
                articles.c.id.in_(ids[start : start + 900]), *_where(scope)
            )
        )
        out.extend((language, f"{title}\n{body or ''}") for language, title, body in rows)
    return out


def entity_tallies(conn: sa.Connection, scope: PeriodScope) -> list[EntityTally]:
    """Every entity named in the period, with its number of articles."""
    e = article_entities
    rows = conn.execute(
        sa.select(e.c.entity_type, e.c.entity_id, sa.func.min(e.c.name), sa.func.count())
        .select_from(e.join(articles, articles.c.id == e.c.article_id))
        .where(*_where(scope))
        .group_by(e.c.entity_type, e.c.entity_id)
    ).all()
    return [EntityTally(t, i, n, c) for t, i, n, c in rows]


def first_seen(conn: sa.Connection, keys: Sequence[tuple[str, str]]) -> dict[tuple[str, str], dt.date]:
    """The earliest dated article that names each (type, id) of ``keys``."""
    out: dict[tuple[str, str], dt.date] = {}
    e = article_entities
    for kind in {k for k, _ in keys}:
        ids = [i for k, i in keys if k == kind]
        for start in range(0, len(ids), 500):
            rows = conn.execute(
                sa.select(e.c.entity_id, sa.func.min(articles.c.date))
                .select_from(e.join(articles, articles.c.id == e.c.article_id))
                .where(e.c.entity_type == kind, e.c.entity_id.in_(ids[start : start + 500]))
                .group_by(e.c.entity_id)
            ).all()
            out.update({(kind, i): d for i, d in rows if d is not None})
    return out


def companions(
    conn: sa.Connection, entity_type: str, entity_id: str, scope: PeriodScope, limit: int
) -> list[EntityTally]:
    """The persons and organisations most often named in the same articles as one entity
    in the period, with the number of those articles, most first."""
    me, other = article_entities.alias("me"), article_entities.alias("other")
    together = sa.func.count()
    rows = conn.execute(
        sa.select(other.c.entity_type, other.c.entity_id, sa.func.min(other.c.name), together)
        .select_from(
            me.join(articles, articles.c.id == me.c.article_id).join(other, other.c.article_id == me.c.article_id)
        )
        .where(
            me.c.entity_type == entity_type,
            me.c.entity_id == entity_id,
            other.c.entity_type.in_(("person", "organization")),
            sa.not_(sa.and_(other.c.entity_type == entity_type, other.c.entity_id == entity_id)),
            *_where(scope),
        )
        .group_by(other.c.entity_type, other.c.entity_id)
        .order_by(together.desc(), other.c.entity_id)
        .limit(limit)
    ).all()
    return [EntityTally(t, i, n, c) for t, i, n, c in rows]


class TrendReader:
    """The functions above, each on a connection of its own: what ``SQLStore.trends`` gives."""

    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine

    def texts(self, scope: PeriodScope, limit: int | None = None) -> list[tuple[str | None, str]]:
        with self.engine.connect() as conn:
            return texts(conn, scope, limit)

    def entity_tallies(self, scope: PeriodScope) -> list[EntityTally]:
        with self.engine.connect() as conn:
            return entity_tallies(conn, scope)

    def first_seen(self, keys: Sequence[tuple[str, str]]) -> dict[tuple[str, str], dt.date]:
        with self.engine.connect() as conn:
            return first_seen(conn, keys)

    def companions(self, entity_type: str, entity_id: str, scope: PeriodScope, limit: int = 20) -> list[EntityTally]:
        with self.engine.connect() as conn:
            return companions(conn, entity_type, entity_id, scope, limit)

    def source_labels(self) -> dict[int, str]:
        """Each source's name by its id."""
        with self.engine.connect() as conn:
            return {int(i): str(n) for i, n in conn.execute(sa.select(sources.c.id, sources.c.name))}
