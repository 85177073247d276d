"""Reading the stored analysis: an article's entities and events, an entity's profile,
and the timeline of relations between two countries.

Writing happens with the articles (``SQLStore.add_batch``, ``write_analysis``), in the
transaction that stores them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from wirewatch.models import EntityCount, Event, Side
from wirewatch.store.bulk import insert_columns
from wirewatch.store.schema import article_entities, article_events, articles, sources

__all__ = [
    "AnalysisRow",
    "EntityProfile",
    "RelationEvent",
    "Relations",
    "analyses_of",
    "country_pairs",
    "entities_of",
    "entity_profile",
    "events_of",
    "relations",
    "write_analysis",
]


@dataclass(frozen=True, slots=True)
class EntityProfile:
    """What the archive says of one entity: how often, when, with whom."""

    type: str
    id: str
    name: str
    country: str | None
    mentions: int
    articles: int
    first_date: dt.date | None
    last_date: dt.date | None
    #: Articles mentioning it by (year, month) of their date.
    by_month: dict[tuple[int, int], int] = field(default_factory=dict)
    #: Articles naming it only by a title ("the Supreme Leader").
    by_title: int = 0
    #: The entities most often named in the same articles: (type, id, name, articles).
    co_mentioned: list[tuple[str, str, str, int]] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class RelationEvent:
    """An event between the two countries, with the article that reports it."""

    event: Event
    article_id: int
    title: str
    source: str
    article_date: dt.date | None


@dataclass(frozen=True, slots=True)
class Relations:
    """The timeline of two countries: counts by period, type and direction, and events."""

    a: str
    b: str
    #: (period "YYYY-MM" or "YYYY", type, "a>b" | "b>a") -> events
    counts: dict[tuple[str, str, str], int]
    total: int
    events: list[RelationEvent]


#: The longest entity id the tables hold (``article_entities.entity_id``, the event sides' ids).
_ID_TYPE = article_entities.c.entity_id.type
ID_LENGTH = (_ID_TYPE.length if isinstance(_ID_TYPE, sa.String) else None) or 120


def _fit(entity_id: str | None) -> str | None:
    """An id that fits its column: a longer one (an organisation's slug made from a long
    name the actor data does not have) is cut, with a digest of the whole so that two
    long ids stay two."""
    if entity_id is None or len(entity_id) <= ID_LENGTH:
        return entity_id
    return f"{entity_id[: ID_LENGTH - 13]}-{hashlib.sha256(entity_id.encode()).hexdigest()[:12]}"


#: An article's analysis as written: its id, its entities, its events.
AnalysisRow = tuple[int, Sequence[EntityCount], Sequence[Event]]


def write_analysis(conn: sa.Connection, rows: Iterable[AnalysisRow], *, replace: bool = False) -> None:
    """Store the entities and events of articles (``replace``: drop what they had first)."""
    rows = list(rows)
    if not rows:
        return
    if replace:
        ids = [article_id for article_id, _, _ in rows]
        conn.execute(sa.delete(article_entities).where(article_entities.c.article_id.in_(ids)))
        conn.execute(sa.delete(article_events).where(article_events.c.article_id.in_(ids)))
    # column by column, converted once per distinct value, as articles are (store.bulk): the
    # storing process of an import sets its pace, and this is most of its analysis work
    entities = [(i, e) for i, found, _ in rows for e in found]
    if entities:
        insert_columns(
            conn,
            article_entities,
            {
                "article_id": [i for i, _ in entities],
                "entity_type": [e.type for _, e in entities],
                "entity_id": [_fit(e.id) for _, e in entities],
                "name": [e.name for _, e in entities],
                "country": [e.country for _, e in entities],
                "count": [e.count for _, e in entities],
                "by_title": [e.by_title for _, e in entities],
            },
        )
    events = [(i, e) for i, _, found in rows for e in found]
    if events:
        insert_columns(
            conn,
            article_events,
            {
                "article_id": [i for i, _ in events],
                "type": [e.type for _, e in events],
                "cameo": [e.cameo for _, e in events],
                "plover": [e.plover for _, e in events],
                "actor_name": [e.actor.name for _, e in events],
                "actor_id": [_fit(e.actor.id) for _, e in events],
                "actor_country": [e.actor.country for _, e in events],
                "target_name": [e.target.name for _, e in events],
                "target_id": [_fit(e.target.id) for _, e in events],
                "target_country": [e.target.country for _, e in events],
                "date": [e.date for _, e in events],
                "date_precision": [e.date_precision for _, e in events],
                "date_from_text": [e.date_from_text for _, e in events],
                "sentence": [e.sentence for _, e in events],
            },
        )


def _event(row: sa.Row[*tuple[Any, ...]]) -> Event:
    return Event(
        type=row.type,
        cameo=row.cameo,
        plover=row.plover,
        actor=Side(row.actor_name, row.actor_country, row.actor_id),
        target=Side(row.target_name, row.target_country, row.target_id),
        date=row.date,
        date_precision=row.date_precision,
        date_from_text=bool(row.date_from_text),
        sentence=row.sentence,
    )


def entities_of(conn: sa.Connection, article_id: int) -> list[EntityCount]:
    """The article's entities, most mentioned first."""
    rows = conn.execute(
        sa.select(article_entities)
        .where(article_entities.c.article_id == article_id)
        .order_by(article_entities.c.count.desc(), article_entities.c.entity_type, article_entities.c.entity_id)
    )
    return [
        EntityCount(r.entity_type, r.entity_id, r.name, r.country, r._mapping["count"], bool(r.by_title)) for r in rows
    ]


def events_of(conn: sa.Connection, article_id: int) -> list[Event]:
    """The article's events, in the order found."""
    rows = conn.execute(
        sa.select(article_events).where(article_events.c.article_id == article_id).order_by(article_events.c.id)
    )
    return [_event(r) for r in rows]


def entity_profile(
    conn: sa.Connection, entity_type: str, entity_id: str, *, co_mentioned: int = 20
) -> EntityProfile | None:
    """The entity's mentions over time and the entities named with it; None if never mentioned."""
    this = sa.and_(article_entities.c.entity_type == entity_type, article_entities.c.entity_id == entity_id)
    head = conn.execute(
        sa.select(
            sa.func.max(article_entities.c.name),
            sa.func.max(article_entities.c.country),
            sa.func.sum(article_entities.c.count),
            sa.func.count(),
            sa.func.min(articles.c.date),
            sa.func.max(articles.c.date),
            sa.func.count().filter(article_entities.c.by_title.is_(True)),
        )
        .select_from(article_entities.join(articles, articles.c.id == article_entities.c.article_id))
        .where(this)
    ).one()
    name, country, mentions, count, first, last, by_title = head
    if not count:
        return None
    year, month = sa.extract("year", articles.c.date), sa.extract("month", articles.c.date)
    by_month = {
        (int(y), int(m)): n
        for y, m, n in conn.execute(
            sa.select(year, month, sa.func.count())
            .select_from(article_entities.join(articles, articles.c.id == article_entities.c.article_id))
            .where(this, articles.c.date.is_not(None))
            .group_by(year, month)
            .order_by(year, month)
        )
    }
    mine = sa.select(article_entities.c.article_id).where(this).scalar_subquery()
    other = article_entities.alias("other")
    co = conn.execute(
        sa.select(other.c.entity_type, other.c.entity_id, sa.func.max(other.c.name), sa.func.count())
        .where(
            other.c.article_id.in_(mine),
            sa.not_(sa.and_(other.c.entity_type == entity_type, other.c.entity_id == entity_id)),
        )
        .group_by(other.c.entity_type, other.c.entity_id)
        .order_by(sa.func.count().desc(), other.c.entity_type, other.c.entity_id)
        .limit(co_mentioned)
    ).all()
    return EntityProfile(
        entity_type,
        entity_id,
        name,
        country,
        int(mentions or 0),
        int(count),
        first,
        last,
        by_month,
        int(by_title),
        [(t, i, n, c) for t, i, n, c in co],
    )


def relations(
    conn: sa.Connection,
    a: str,
    b: str,
    *,
    since: dt.date | None = None,
    until: dt.date | None = None,
    by: str = "month",
    limit: int = 100,
    types: Sequence[str] = (),
) -> Relations:
    """The events between countries ``a`` and ``b`` (either direction), counted by
    period ("month" or "year") and type, and the newest ``limit`` with their articles.
    By month, an event known only to its year ("visited Russia in 2001") is counted
    under the year ("2001"), not under a month it may not belong to; undated events
    under "undated"."""
    dyad = sa.or_(
        sa.and_(article_events.c.actor_country == a, article_events.c.target_country == b),
        sa.and_(article_events.c.actor_country == b, article_events.c.target_country == a),
    )
    where = [dyad]
    if since is not None:
        where.append(article_events.c.date >= since)
    if until is not None:
        where.append(article_events.c.date <= until)
    if types:
        where.append(article_events.c.type.in_(list(types)))
    counts: Counter[tuple[str, str, str]] = Counter()
    e = article_events.c
    for day, precision, kind, actor, n in conn.execute(
        sa.select(e.date, e.date_precision, e.type, e.actor_country, sa.func.count())
        .where(*where)
        .group_by(e.date, e.date_precision, e.type, e.actor_country)
    ):
        monthly = by == "month" and precision != "year"
        period = "undated" if day is None else (f"{day.year:04d}-{day.month:02d}" if monthly else f"{day.year:04d}")
        counts[(period, kind, "a>b" if actor == a else "b>a")] += n
    rows = conn.execute(
        sa.select(
            article_events, articles.c.title, articles.c.date.label("article_date"), sources.c.name.label("source")
        )
        .join(articles, articles.c.id == article_events.c.article_id)
        .join(sources, sources.c.id == articles.c.source_id)
        .where(*where)
        .order_by(article_events.c.date.desc(), article_events.c.id.desc())
        .limit(limit)
    ).all()
    events = [RelationEvent(_event(r), r.article_id, r.title, r.source, r.article_date) for r in rows]
    return Relations(a, b, dict(sorted(counts.items())), sum(counts.values()), events)


@dataclass(frozen=True, slots=True)
class CountryPair:
    """Two countries (alpha-3, in alphabetical order) and the events between them."""

    a: str
    b: str
    events: int


def country_pairs(conn: sa.Connection, limit: int = 50) -> list[CountryPair]:
    """The ``limit`` pairs with the most events, most first (events within one country and
    events with an unknown side left out)."""
    actor, target = article_events.c.actor_country, article_events.c.target_country
    first = sa.case((actor < target, actor), else_=target)
    second = sa.case((actor < target, target), else_=actor)
    n = sa.func.count().label("n")
    query = (
        sa.select(first.label("a"), second.label("b"), n)
        .where(actor.is_not(None), target.is_not(None), actor != target)
        .group_by(first, second)
        .order_by(n.desc(), first, second)
        .limit(limit)
    )
    return [CountryPair(a, b, int(count)) for a, b, count in conn.execute(query)]


def analyses_of(
    conn: sa.Connection, ids: Sequence[int], chunk: int = 500
) -> tuple[dict[int, list[EntityCount]], dict[int, list[Event]]]:
    """The entities and events of many articles at once (two queries per ``chunk`` ids),
    each list in the order ``entities_of`` and ``events_of`` give; an article without any
    is absent from the maps."""
    entities: dict[int, list[EntityCount]] = {}
    events: dict[int, list[Event]] = {}
    ids = sorted(set(ids))
    e, v = article_entities.c, article_events.c
    for start in range(0, len(ids), chunk):
        part = ids[start : start + chunk]
        for r in conn.execute(
            sa.select(article_entities)
            .where(e.article_id.in_(part))
            .order_by(e.article_id, e.count.desc(), e.entity_type, e.entity_id)
        ):
            entities.setdefault(r.article_id, []).append(
                EntityCount(r.entity_type, r.entity_id, r.name, r.country, r._mapping["count"], bool(r.by_title))
            )
        for r in conn.execute(sa.select(article_events).where(v.article_id.in_(part)).order_by(v.article_id, v.id)):
            events.setdefault(r.article_id, []).append(_event(r))
    return entities, events
