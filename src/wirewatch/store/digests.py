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
from wirewatch.store.schema import article_entities, article_stories, articles, sources

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
    #: Per story (see ``story_of``): the sources of every article that carries it.
    outlets: dict[int, frozenset[str]] = field(default_factory=dict)
    #: The ``history_days`` before ``since``: how many articles, their titles, the persons named.
    history_days: int = 30
    history_articles: int = 0
    history_titles: list[str] = field(default_factory=list)
    history_persons: frozenset[str] = frozenset()
    #: The story thread of each article that is in one (``store.links``): its first carrier's id.
    threads: dict[int, int] = field(default_factory=dict)

    def story_of(self, article: Article) -> int:
        """The story an article belongs to: its thread's (the reprints, translations and copies
        the comparison linked), else its original's number (its own for an original)."""
        ident = int(article.id or 0)
        return self.threads.get(ident) or int(article.duplicate_of or ident)


def _threads(conn: sa.Connection, ids: Sequence[int], chunk: int = 500) -> dict[int, int]:
    found: dict[int, int] = {}
    ids = sorted(set(ids))
    for start in range(0, len(ids), chunk):
        part = ids[start : start + chunk]
        query = sa.select(article_stories.c.article_id, article_stories.c.story_id).where(
            article_stories.c.article_id.in_(part)
        )
        found.update((int(a), int(s)) for a, s in conn.execute(query))
    return found


def _outlets(
    conn: sa.Connection, roots: Sequence[int], threads: set[int], chunk: int = 500
) -> dict[int, frozenset[str]]:
    """The sources that carry each story: a thread's members', or an original's and its copies'."""
    found: dict[int, set[str]] = {}
    roots = sorted(set(roots))
    for start in range(0, len(roots), chunk):
        part = [r for r in roots[start : start + chunk] if r not in threads]
        query = (
            sa.select(articles.c.id, articles.c.duplicate_of, sources.c.name)
            .join(sources, sources.c.id == articles.c.source_id)
            .where(sa.or_(articles.c.id.in_(part), articles.c.duplicate_of.in_(part)))
        )
        for ident, original, name in conn.execute(query):
            found.setdefault(int(original or ident), set()).add(name)
        threaded = [r for r in roots[start : start + chunk] if r in threads]
        query = (
            sa.select(article_stories.c.story_id, sources.c.name)
            .join(articles, articles.c.id == article_stories.c.article_id)
            .join(sources, sources.c.id == articles.c.source_id)
            .where(article_stories.c.story_id.in_(threaded))
        )
        for row in conn.execute(query):
            found.setdefault(int(row[0]), set()).add(str(row[1]))
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
    threads = _threads(conn, [int(a.id or 0) for a in found])
    roots = [threads.get(int(a.id or 0)) or int(a.duplicate_of or a.id or 0) for a in found]
    outlets = _outlets(conn, roots, set(threads.values()))
    count, titles, persons = _history(conn, since - dt.timedelta(days=history_days), since - dt.timedelta(days=1))
    return EditionData(since, until, found, entities, events, outlets, history_days, count, titles, persons, threads)
