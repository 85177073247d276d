"""Links between articles and story threads (issue 14): what ``pipeline.linking`` writes and
the pages, the API and ``wirewatch similar`` read.

A link is kept once, lower id first (``article_links``); looking one article's links up reads
both indexes (``a_id`` by the primary key, ``b_id`` by its own), so ``similar`` costs two index
range scans however large the archive. A story is a connected set of articles under duplicate,
reprint and translation links; each member's row in ``article_stories`` names the story's first
carrier, so a story is one index range scan too. Functions run on the caller's connection.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from wirewatch.clock import now_utc
from wirewatch.models import (
    LINK_RELATIONS,
    STORY_RELATIONS,
    EntityCount,
    SimilarArticle,
    SlotValues,
    Story,
    StoryMember,
)
from wirewatch.search.rows import read_rows
from wirewatch.store.analysis import analyses_of
from wirewatch.store.engine import Writer
from wirewatch.store.schema import (
    article_links,
    article_signatures,
    article_stories,
    articles,
    link_state,
    sources,
)

#: ``link_state`` names.
LINKED_UPTO = "linked_upto"
COMMON_SHINGLES = "common_shingles"
_CHUNK = 500


def _parts(ids: Iterable[int]) -> Iterator[list[int]]:
    """The distinct ``ids`` in order, ``_CHUNK`` at a time (one ``IN (…)`` each)."""
    wanted = sorted(set(ids))
    for start in range(0, len(wanted), _CHUNK):
        yield wanted[start : start + _CHUNK]


#: On one day, which edition of a story counts as first: the outlets' own language, then
#: the first they translate into; any other after.
FIRST_LANGUAGES = {"ko": 0, "en": 1}


@dataclass(frozen=True, slots=True)
class Pending:
    """An article the linking has not compared yet."""

    id: int
    date: dt.date | None
    body: str | None
    duplicate_of: int | None
    source_id: int = 0
    title: str = ""


@dataclass(frozen=True, slots=True)
class Titled:
    """An article as a headline is matched with its story: by outlet, day and title."""

    id: int
    source_id: int
    date: dt.date
    title: str
    #: It has a text (its own, or its original's for a duplicate).
    has_text: bool
    duplicate_of: int | None


@dataclass(frozen=True, slots=True)
class Signed:
    """An article's stored candidate summary."""

    id: int
    date: dt.date | None
    language: str | None
    minhash: bytes
    anchors: frozenset[str]
    passages: frozenset[int] = frozenset()


@dataclass(frozen=True, slots=True)
class Link:
    """A link to write: ``a_id`` < ``b_id``; ``slots`` read from a to b."""

    a_id: int
    b_id: int
    relation: str
    score: float
    rule: str
    slots: tuple[tuple[str, str, str], ...] = ()


def state(conn: sa.Connection, name: str, default: Any) -> Any:
    value = conn.scalar(sa.select(link_state.c.value).where(link_state.c.name == name))
    return default if value is None else value


def set_state(conn: sa.Connection, name: str, value: Any) -> None:
    updated = conn.execute(sa.update(link_state).where(link_state.c.name == name).values(value=value))
    if not updated.rowcount:
        conn.execute(sa.insert(link_state).values(name=name, value=value))


def pending(conn: sa.Connection, after: int, limit: int) -> list[Pending]:
    """The articles above id ``after``, ``limit`` at most, in id order."""
    a = articles.c
    query = (
        sa.select(a.id, a.date, a.body, a.duplicate_of, a.source_id, a.title, a.title_derived)
        .where(a.id > after)
        .order_by(a.id)
        .limit(limit)
    )
    return [
        Pending(r.id, r.date, r.body, r.duplicate_of, r.source_id, "" if r.title_derived else r.title)
        for r in conn.execute(query)
    ]


def titled_between(conn: sa.Connection, since: dt.date, until: dt.date) -> list[Titled]:
    """The articles dated ``since`` to ``until`` whose title is their own (not derived from the text)."""
    a = articles.c
    query = sa.select(
        a.id,
        a.source_id,
        a.date,
        a.title,
        ((a.body.is_not(None)) & (a.body != "")) | a.duplicate_of.is_not(None),
        a.duplicate_of,
    ).where(a.date.between(since, until), a.title_derived.is_(False))
    return [Titled(r[0], r[1], r[2], r[3], bool(r[4]), r[5]) for r in conn.execute(query)]


def copies_of(conn: sa.Connection, originals: Iterable[int]) -> dict[int, list[int]]:
    """The stored exact copies of each original (``duplicate_of``), by original."""
    found: dict[int, list[int]] = {}
    a = articles.c
    for part in _parts(originals):
        for ident, original in conn.execute(sa.select(a.id, a.duplicate_of).where(a.duplicate_of.in_(part))):
            found.setdefault(int(original), []).append(int(ident))
    return found


def count_pending(conn: sa.Connection, after: int) -> int:
    return int(conn.scalar(sa.select(sa.func.count()).select_from(articles).where(articles.c.id > after)) or 0)


def sample_bodies(conn: sa.Connection, after: int, most: int, total: int) -> list[str]:
    """Up to ``most`` texts of the ``total`` articles above ``after``, spread evenly over them."""
    step = max(1, total // most)
    a = articles.c
    query = (
        sa.select(a.body)
        .where(a.id > after, a.body.is_not(None), a.body != "", (a.id % step) == 0)
        .order_by(a.id)
        .limit(most)
    )
    return [str(body) for body in conn.scalars(query)]


def texts(conn: sa.Connection, ids: Iterable[int]) -> dict[int, tuple[str, str, dt.date | None, str | None, str]]:
    """Each article's (title, body, date, language label, source name); duplicates read their
    original's text."""
    out: dict[int, tuple[str, str, dt.date | None, str | None, str]] = {}
    a, original = articles.alias("a"), articles.alias("o")
    for part in _parts(ids):
        query = (
            sa.select(
                a.c.id, a.c.title, sa.func.coalesce(a.c.body, original.c.body), a.c.date, a.c.language, sources.c.name
            )
            .join(sources, sources.c.id == a.c.source_id)
            .outerjoin(original, original.c.id == a.c.duplicate_of)
            .where(a.c.id.in_(part))
        )
        for row in conn.execute(query):
            out[row[0]] = (row[1], row[2] or "", row[3], row[4], row[5])
    return out


def add_signatures(conn: sa.Connection, rows: Sequence[Signed]) -> None:
    if rows:
        conn.execute(
            sa.insert(article_signatures),
            [
                {
                    "article_id": r.id,
                    "date": r.date,
                    "language": r.language,
                    "minhash": r.minhash,
                    "anchors": " ".join(sorted(r.anchors)),
                    "passages": " ".join(map(str, sorted(r.passages))),
                }
                for r in rows
            ],
        )


def signatures_between(conn: sa.Connection, since: dt.date, until: dt.date) -> list[Signed]:
    """The stored summaries of the articles dated ``since`` to ``until``, by the date index."""
    s = article_signatures.c
    query = sa.select(s.article_id, s.date, s.language, s.minhash, s.anchors, s.passages).where(
        s.date.between(since, until)
    )
    return [
        Signed(r[0], r[1], r[2], bytes(r[3]), frozenset(r[4].split()), frozenset(map(int, r[5].split())))
        for r in conn.execute(query)
    ]


def linked_pairs(conn: sa.Connection, ids: Iterable[int]) -> set[tuple[int, int]]:
    """The links that touch any of ``ids``, as (a_id, b_id)."""
    found: set[tuple[int, int]] = set()
    c = article_links.c
    for part in _parts(ids):
        query = sa.select(c.a_id, c.b_id).where(sa.or_(c.a_id.in_(part), c.b_id.in_(part)))
        found.update((int(a), int(b)) for a, b in conn.execute(query))
    return found


def add_links(conn: sa.Connection, links: Sequence[Link]) -> None:
    if not links:
        return
    now = now_utc()
    conn.execute(
        sa.insert(article_links),
        [
            {
                "a_id": link.a_id,
                "b_id": link.b_id,
                "relation": link.relation,
                "score": link.score,
                "rule": link.rule,
                "slots": [{"kind": k, "a": x, "b": y} for k, x, y in link.slots] or None,
                "created_at": now,
            }
            for link in links
        ],
    )


def clear(conn: sa.Connection) -> None:
    """Forget every link, signature, story and the linking's state (``reprocess --stage compare``)."""
    for table in (article_links, article_signatures, article_stories, link_state):
        conn.execute(sa.delete(table))


# -- story threads ------------------------------------------------------------------------


def _stories_by_member(conn: sa.Connection, ids: Iterable[int]) -> dict[int, int]:
    found: dict[int, int] = {}
    c = article_stories.c
    for part in _parts(ids):
        found.update(
            (int(a), int(s)) for a, s in conn.execute(sa.select(c.article_id, c.story_id).where(c.article_id.in_(part)))
        )
    return found


def _members(conn: sa.Connection, story_ids: Iterable[int]) -> dict[int, list[int]]:
    found: dict[int, list[int]] = {}
    c = article_stories.c
    for part in _parts(story_ids):
        for article_id, story_id in conn.execute(sa.select(c.article_id, c.story_id).where(c.story_id.in_(part))):
            found.setdefault(int(story_id), []).append(int(article_id))
    return found


def _language() -> sa.ColumnElement[Any]:
    """An article's language as read from its text (``article_signatures``), else its label:
    archives label some Spanish stories English."""
    return sa.func.coalesce(article_signatures.c.language, articles.c.language)


def join_stories(conn: sa.Connection, pairs: Iterable[tuple[int, int]]) -> int:
    """Join the stories of each pair of articles (a story link): the articles' stories are
    merged, and every member of a merged story names its new first carrier: the earliest
    date; on one day the Korean text, then the English (``FIRST_LANGUAGES``: the outlets
    write in Korean and translate into English first, the other editions from it), then the
    lowest id. Returns how many stories were written."""
    pairs = list(pairs)
    if not pairs:
        return 0
    touched = {i for pair in pairs for i in pair}
    story_of = _stories_by_member(conn, touched)
    members = _members(conn, set(story_of.values()))
    parent: dict[int, int] = {}

    def find(x: int) -> int:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(x: int, y: int) -> None:
        parent[find(x)] = find(y)

    for ids in members.values():
        for other in ids[1:]:
            union(ids[0], other)
    for a, b in pairs:
        union(a, b)
    groups: dict[int, list[int]] = {}
    for x in list(parent):
        groups.setdefault(find(x), []).append(x)
    everyone = list(parent)
    order: dict[int, tuple[dt.date, int, int]] = {}
    for part in _parts(everyone):
        query = (
            sa.select(articles.c.id, articles.c.date, _language())
            .outerjoin(article_signatures, article_signatures.c.article_id == articles.c.id)
            .where(articles.c.id.in_(part))
        )
        order.update(
            (r[0], (r[1] or dt.date.max, FIRST_LANGUAGES.get(r[2] or "", 2), r[0])) for r in conn.execute(query)
        )
    rows = []
    for group in groups.values():
        lead = min(group, key=lambda i: order.get(i, (dt.date.max, 2, i)))
        rows += [{"article_id": i, "story_id": lead} for i in group]
    for part in _parts(everyone):
        conn.execute(sa.delete(article_stories).where(article_stories.c.article_id.in_(part)))
    conn.execute(sa.insert(article_stories), rows)
    return len(groups)


# -- reading -----------------------------------------------------------------------------


def similar_of(conn: sa.Connection, article_id: int) -> list[SimilarArticle]:
    """The articles linked to ``article_id``, strongest relation first, then by score."""
    c, a = article_links.c, articles.c
    found = []
    for mine, other in ((c.a_id, c.b_id), (c.b_id, c.a_id)):
        query = (
            sa.select(
                other, c.relation, c.score, c.rule, c.slots, a.title, a.date, _language(), a.status, sources.c.name
            )
            .join(articles, a.id == other)
            .join(sources, sources.c.id == a.source_id)
            .outerjoin(article_signatures, article_signatures.c.article_id == a.id)
            .where(mine == article_id)
        )
        forward = mine is c.a_id
        for row in conn.execute(query):
            slots = tuple(
                SlotValues(s["kind"], s["a"] if forward else s["b"], s["b"] if forward else s["a"])
                for s in row[4] or ()
            )
            found.append(
                SimilarArticle(
                    int(row[0]), row[1], round(float(row[2]), 4), row[3], row[9], row[7], row[6], row[5], row[8], slots
                )
            )
    order = {relation: n for n, relation in enumerate(LINK_RELATIONS)}
    return sorted(found, key=lambda s: (order.get(s.relation, len(order)), -s.score, s.date or dt.date.min, s.id))


@functools.lru_cache(maxsize=64)
def _stories_query(count: int) -> str:
    marks = ", ".join(f":i{n}" for n in range(count))
    return (
        "SELECT h.article_id, m.story_id, m.article_id, a.title, a.date, coalesce(g.language, a.language), "
        "s.name FROM article_stories h JOIN article_stories m ON m.story_id = h.story_id "
        "JOIN articles a ON a.id = m.article_id JOIN sources s ON s.id = a.source_id "
        f"LEFT JOIN article_signatures g ON g.article_id = a.id WHERE h.article_id IN ({marks})"
    )


def stories_of(conn: sa.Connection, ids: Sequence[int]) -> dict[int, Story]:
    """For each of ``ids`` in a story of two articles or more, its story.

    One query for the page, in SQL text read straight from the driver (``search.rows``): a
    search page asks on every request, and building the same statement as an expression
    cost five times what running it does."""
    story_of: dict[int, int] = {}
    info: dict[int, tuple[str, str | None, dt.date | None, str]] = {}
    members: dict[int, set[int]] = {}
    for part in _parts(ids):
        found = read_rows(conn, _stories_query(len(part)), {f"i{n}": i for n, i in enumerate(part)})
        for asked, story_id, article_id, title, day, language, source in found:
            story_of[asked] = story_id
            members.setdefault(story_id, set()).add(article_id)
            date = dt.date.fromisoformat(day) if isinstance(day, str) else day  # SQLite gives text
            info[article_id] = (title, language, date, source)
    stories: dict[int, Story] = {}
    for story_id, group in members.items():
        lead_date = info[story_id][2] if story_id in info else None
        ordered = sorted(group, key=lambda i: (i != story_id, info[i][2] or dt.date.max, i))
        shown = []
        for i in ordered:
            title, language, date, source = info[i]
            lag = (date - lead_date).days if date and lead_date else None
            shown.append(StoryMember(i, source, language, date, title, lag))
        stories[story_id] = Story(story_id, tuple(shown))
    return {i: stories[s] for i, s in story_of.items()}


class LinkStore:
    """The links' tables behind one object (``SQLStore.links``): reads on a connection of their
    own, and each run of the linking's chunk written in one transaction."""

    def __init__(self, engine: sa.Engine, writer: Writer) -> None:
        self.engine = engine
        self.writer = writer

    def state(self, name: str, default: Any) -> Any:
        with self.engine.connect() as conn:
            return state(conn, name, default)

    def set_state(self, name: str, value: Any) -> None:
        with self.writer.begin() as conn:
            set_state(conn, name, value)

    def pending(self, after: int, limit: int) -> list[Pending]:
        with self.engine.connect() as conn:
            return pending(conn, after, limit)

    def titled_between(self, since: dt.date, until: dt.date) -> list[Titled]:
        with self.engine.connect() as conn:
            return titled_between(conn, since, until)

    def copies_of(self, originals: Iterable[int]) -> dict[int, list[int]]:
        with self.engine.connect() as conn:
            return copies_of(conn, originals)

    def count_pending(self, after: int) -> int:
        with self.engine.connect() as conn:
            return count_pending(conn, after)

    def sample_bodies(self, after: int, most: int, total: int) -> list[str]:
        with self.engine.connect() as conn:
            return sample_bodies(conn, after, most, total)

    def entities(self, ids: Iterable[int]) -> dict[int, list[EntityCount]]:
        """The articles' entities (an article without any is absent)."""
        with self.engine.connect() as conn:
            return analyses_of(conn, list(ids))[0]

    def texts(
        self, ids: Iterable[int]
    ) -> tuple[dict[int, tuple[str, str, dt.date | None, str | None, str]], dict[int, list[EntityCount]]]:
        """Each article's text (``texts``) and its entities (an article without any is absent)."""
        ids = list(ids)
        with self.engine.connect() as conn:
            return texts(conn, ids), analyses_of(conn, ids)[0]

    def signatures_between(self, since: dt.date, until: dt.date) -> list[Signed]:
        with self.engine.connect() as conn:
            return signatures_between(conn, since, until)

    def linked_pairs(self, ids: Iterable[int]) -> set[tuple[int, int]]:
        with self.engine.connect() as conn:
            return linked_pairs(conn, ids)

    def write(self, signed: Sequence[Signed], links: Sequence[Link], after: int, upto: int) -> bool:
        """One chunk's summaries and links, its story threads joined, and the watermark moved
        from ``after`` to ``upto``: all or nothing, so a run stopped at any point resumes where
        it was. False, and nothing written, when the watermark is no longer at ``after``
        (another process compared the chunk first)."""
        try:
            with self.writer.begin(immediate=True) as conn:
                query = sa.select(link_state.c.value).where(link_state.c.name == LINKED_UPTO).with_for_update()
                if int(conn.scalar(query) or 0) != after:
                    return False
                add_signatures(conn, signed)
                add_links(conn, links)
                join_stories(conn, [(link.a_id, link.b_id) for link in links if link.relation in STORY_RELATIONS])
                set_state(conn, LINKED_UPTO, upto)
        except sa.exc.IntegrityError:
            # Another process wrote the chunk first (on PostgreSQL, two first runs can both
            # find no watermark); anything else is a fault, not to be retried.
            if int(self.state(LINKED_UPTO, 0)) != after:
                return False
            raise
        return True

    def clear(self) -> None:
        with self.writer.begin() as conn:
            clear(conn)

    def similar_of(self, article_id: int) -> list[SimilarArticle]:
        with self.engine.connect() as conn:
            return similar_of(conn, article_id)

    def stories_of(self, ids: Sequence[int]) -> dict[int, Story]:
        with self.engine.connect() as conn:
            return stories_of(conn, ids)

    def counts(self) -> dict[str, int]:
        """How many links of each relation the archive holds, and how many stories."""
        with self.engine.connect() as conn:
            c = article_links.c
            found = {
                str(r): int(n) for r, n in conn.execute(sa.select(c.relation, sa.func.count()).group_by(c.relation))
            }
            stories = conn.scalar(sa.select(sa.func.count(sa.distinct(article_stories.c.story_id))))
        return {relation: found.get(relation, 0) for relation in LINK_RELATIONS} | {"stories": int(stories or 0)}
