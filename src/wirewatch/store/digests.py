"""What the digest reads of the archive for one edition, in a handful of queries: the
edition's articles with their analysis, the outlets that carry each story, and what the
days before held (for novelty). ``wirewatch.digest.selection`` scores it without I/O.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

import sqlalchemy as sa

from wirewatch.models import Article, EntityCount, Event
from wirewatch.store.analysis import analyses_of
from wirewatch.store.base import Browse
from wirewatch.store.browsing import browse
from wirewatch.store.schema import article_entities, articles, sources

__all__ = ["EditionData", "read_edition"]

#: Articles read per page of the edition's list.
PAGE = 1000


@dataclass(frozen=True, slots=True)
class EditionData:
    """An edition's raw material: the articles dated to a day from ``since`` to ``until``
    (copies too, each with its original's text), oldest first, and what goes with them."""

    since: dt.date
    until: dt.date
    articles: list[Article]
    entities: dict[int, list[EntityCount]] = field(default_factory=dict)
    events: dict[int, list[Event]] = field(default_factory=dict)
    #: Per story (an original's id): the sources of the original and of all its copies.
    outlets: dict[int, frozenset[str]] = field(default_factory=dict)
    #: The ``history_days`` before ``since``: how many articles, their titles, the persons named.
    history_days: int = 30
    history_articles: int = 0
    history_titles: list[str] = field(default_factory=list)
    history_persons: frozenset[str] = frozenset()


def story_of(article: Article) -> int:
    """The story an article belongs to: its original's number (its own for an original)."""
    return int(article.duplicate_of or article.id or 0)


def _outlets(conn: sa.Connection, roots: Sequence[int], chunk: int = 500) -> dict[int, frozenset[str]]:
    found: dict[int, set[str]] = {}
    roots = sorted(set(roots))
    for start in range(0, len(roots), chunk):
        part = roots[start : start + chunk]
        query = (
            sa.select(articles.c.id, articles.c.duplicate_of, sources.c.name)
            .join(sources, sources.c.id == articles.c.source_id)
            .where(sa.or_(articles.c.id.in_(part), articles.c.duplicate_of.in_(part)))
        )
        for ident, original, name in conn.execute(query):
            found.setdefault(int(original or ident), set()).add(name)
    return {root: frozenset(names) for root, names in found.items()}


def _history(conn: sa.Connection, since: dt.date, until: dt.date) -> tuple[int, list[str], frozenset[str]]:
    """Articles dated from ``since`` to ``until``: how many, their titles, the persons they name."""
    window = articles.c.date.between(since, until)
    titles = list(conn.scalars(sa.select(articles.c.title).where(window)))
    persons = conn.scalars(
        sa.select(article_entities.c.entity_id)
        .distinct()
        .join(articles, articles.c.id == article_entities.c.article_id)
        .where(window, article_entities.c.entity_type == "person")
    )
    return len(titles), titles, frozenset(persons)


def read_edition(conn: sa.Connection, since: dt.date, until: dt.date, *, history_days: int = 30) -> EditionData:
    """The edition of the days from ``since`` to ``until`` (both included)."""
    found: list[Article] = []
    after = None
    while True:
        page = browse(
            conn,
            Browse(since=since, until=until, day_precise=True, with_body=True, order="oldest", after=after, limit=PAGE),
        )
        found += page.articles
        if page.next is None:
            break
        after = page.next
    entities, events = analyses_of(conn, [int(a.id or 0) for a in found])
    outlets = _outlets(conn, [story_of(a) for a in found])
    count, titles, persons = _history(conn, since - dt.timedelta(days=history_days), since - dt.timedelta(days=1))
    return EditionData(since, until, found, entities, events, outlets, history_days, count, titles, persons)
