"""Lists of articles by date, for pages and feeds: one statement per shape of list,
built once and run with parameters; and the counts by day and month that calendars show.

Building a SQLAlchemy statement costs more than SQLite takes to answer it (an article
page's previous/next spent 80% of its time constructing selects), so the statements of
each shape (order, filters, run) are made once and cached; each call binds its values.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from wirewatch.store.articles import ARTICLE_COLUMNS, article_of
from wirewatch.store.base import Browse, Page
from wirewatch.store.schema import articles, sources
from wirewatch.store.sources import SourceCache, first_id, folded_ids

#: A listing's lead: the start of the text, enough for a line or two under a title.
LEAD_CHARS = 320


@dataclass(frozen=True, slots=True)
class Shape:
    """What makes two lists need different SQL (values are bound, not built in)."""

    newest: bool
    source: bool
    since: bool
    until: bool
    day_precise: bool
    originals_only: bool
    with_body: bool
    dated: bool  # the run of dated articles, or of undated ones
    positioned: bool  # continues after a position


def text_column(with_body: bool) -> Any:
    return articles.c.body if with_body else sa.func.substr(articles.c.body, 1, LEAD_CHARS)


@functools.lru_cache(maxsize=512)
def statement(shape: Shape) -> sa.Select[Any]:
    """The select for one run of a list, with parameters sid, since, until, after_date,
    after_id and n (how many rows)."""
    date, ident = articles.c.date, articles.c.id
    where: list[Any] = []
    order: tuple[Any, ...]
    if shape.source:
        where.append(articles.c.source_id == sa.bindparam("sid"))
    if shape.originals_only:
        # "+ 0" keeps SQLite off the duplicate_of index (see articles._ORIGINALS): with it, a
        # list by date read every original and sorted them.
        where.append((articles.c.duplicate_of + 0).is_(None))
    if shape.since:
        where.append(date >= sa.bindparam("since", type_=sa.Date))
    if shape.until:
        where.append(date <= sa.bindparam("until", type_=sa.Date))
    if shape.day_precise:
        where.append(articles.c.date_precision == "day")
    if shape.dated:
        where.append(date.is_not(None))
        if shape.positioned:
            # A row value, not "date < d OR (date = d AND id < i)": SQLite walks the
            # (source, date) index from the position only for the row value.
            position = sa.tuple_(date, ident)
            after = sa.tuple_(sa.bindparam("after_date", type_=sa.Date), sa.bindparam("after_id"))
            where.append(position < after if shape.newest else position > after)
        order = (date.desc(), ident.desc()) if shape.newest else (date.asc(), ident.asc())
    else:
        where.append(date.is_(None))
        if shape.positioned:
            where.append(ident < sa.bindparam("after_id") if shape.newest else ident > sa.bindparam("after_id"))
        order = (ident.desc(),) if shape.newest else (ident.asc(),)
    return (
        sa.select(*ARTICLE_COLUMNS, text_column(shape.with_body).label("body"))
        .join(sources, sources.c.id == articles.c.source_id)
        .where(*where)
        .order_by(*order)
        .limit(sa.bindparam("n"))
    )


def runs(request: Browse, source_id: int | None) -> list[tuple[sa.Select[Any], dict[str, Any]]]:
    """The statements that give ``request``'s list, in order, with their parameters.

    Undated articles count as older than any dated one: last when newest come first,
    first when oldest do, so that one order is the other reversed (and an article's
    previous and next are each other's inverse). Two runs rather than one ORDER BY …
    NULLS LAST: each follows an index, and NULLs sort the same on every database.
    """
    newest = request.order == "newest"
    after_date, after_id = request.after if request.after else (None, None)
    base = {
        "newest": newest,
        "source": request.source is not None,
        "since": request.since is not None,
        "until": request.until is not None,
        "day_precise": request.day_precise,
        "originals_only": request.originals_only,
        "with_body": request.with_body,
    }
    values = {
        "sid": source_id,
        "since": request.since,
        "until": request.until,
        "after_date": after_date,
        "after_id": after_id,
    }
    with_undated = request.since is None and request.until is None  # a date range leaves them out

    def run(dated: bool, positioned: bool) -> list[tuple[sa.Select[Any], dict[str, Any]]]:
        if not dated and not with_undated:
            return []
        shape = Shape(**base, dated=dated, positioned=positioned)
        return [(statement(shape), values)]

    if request.after is None:
        order = [(True, False), (False, False)] if newest else [(False, False), (True, False)]
    elif after_date is not None:
        order = [(True, True), (False, False)] if newest else [(True, True)]
    else:
        order = [(False, True)] if newest else [(False, True), (True, False)]
    return [item for dated, positioned in order for item in run(dated, positioned)]


def browse(conn: sa.Connection, request: Browse, cache: SourceCache | None = None) -> Page:
    """Articles by date (see :class:`Browse`)."""
    source_id = None
    if request.source is not None:
        source_id = first_id(conn, request.source, cache)
        if source_id is None:
            return Page([])
    rows: list[sa.Row[*tuple[Any, ...]]] = []
    for query, values in runs(request, source_id):
        if len(rows) > request.limit:
            break
        rows += conn.execute(query, {**values, "n": request.limit + 1 - len(rows)}).all()
    bodies: dict[int, str] = {}
    wanted = {r._mapping["duplicate_of"] for r in rows[: request.limit] if r._mapping["duplicate_of"]}
    if wanted:  # a copy's text is kept once, on its original
        text = text_column(request.with_body)
        bodies = dict(conn.execute(sa.select(articles.c.id, text).where(articles.c.id.in_(wanted))).all())
    found = [article_of(row, bodies.get(row._mapping["duplicate_of"])) for row in rows[: request.limit]]
    following = None
    if len(rows) > request.limit and found:
        following = (found[-1].date, int(found[-1].id or 0))
    return Page(found, following)


def _scope(conn: sa.Connection, source: str | None, cache: SourceCache | None) -> list[Any]:
    if source is None:
        return []
    ids = folded_ids(conn, source, cache) or [-1]
    return [articles.c.source_id == ids[0] if len(ids) == 1 else articles.c.source_id.in_(ids)]


def day_counts(
    conn: sa.Connection, since: dt.date, until: dt.date, source: str | None = None, cache: SourceCache | None = None
) -> dict[dt.date, int]:
    """How many articles dated to the day each day between two dates holds."""
    rows = conn.execute(
        sa.select(articles.c.date, sa.func.count())
        .where(*_scope(conn, source, cache), articles.c.date.between(since, until), articles.c.date_precision == "day")
        .group_by(articles.c.date)
        .order_by(articles.c.date)
    ).all()
    return dict(rows)


def month_counts(
    conn: sa.Connection, source: str | None = None, cache: SourceCache | None = None
) -> dict[tuple[int, int], int]:
    """How many dated articles each (year, month) holds."""
    year, month = sa.extract("year", articles.c.date), sa.extract("month", articles.c.date)
    rows = conn.execute(
        sa.select(year, month, sa.func.count())
        .where(*_scope(conn, source, cache), articles.c.date.is_not(None))
        .group_by(year, month)
        .order_by(year, month)
    ).all()
    return {(int(y), int(m)): n for y, m, n in rows}


def adjacent_days(conn: sa.Connection, day: dt.date) -> tuple[dt.date | None, dt.date | None]:
    """The nearest days before and after ``day`` that hold articles dated to the day."""
    date = articles.c.date
    precise = articles.c.date_precision == "day"
    before = conn.scalar(sa.select(date).where(date < day, precise).order_by(date.desc()).limit(1))
    after = conn.scalar(sa.select(date).where(date > day, precise).order_by(date.asc()).limit(1))
    return before, after
