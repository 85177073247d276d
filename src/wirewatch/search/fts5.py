"""The SQLite back end: an FTS5 index, contentless, with bm25 ranking."""

from __future__ import annotations

import contextlib
import datetime as dt
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import cast

import sqlalchemy as sa

from wirewatch.errors import QueryError, SearchTimeout
from wirewatch.search.base import DayCount, IndexRow, SearchRequest, SearchResult
from wirewatch.search.query import Filter, Node, Or, Term, positive_terms
from wirewatch.search.results import facets_of, filters, hits_of, require_current, words_and_filters
from wirewatch.search.tokens import index_text

TABLE = "article_fts"
#: bm25 column weights: a word in the title counts for more than one in the body.
TITLE_WEIGHT, BODY_WEIGHT = 5.0, 1.0
#: How often, in SQLite virtual machine steps, a search with a time limit looks at the
#: clock. FTS5 reads its index through steps of its own, so even one long prefix* merge
#: is stopped within a few hundredths of a second past the limit.
CHECK_STEPS = 1000


def _quote(token: str) -> str:
    return '"' + token.replace('"', '""') + '"'


def to_fts5(node: Node) -> str:
    """The FTS5 MATCH expression for a parsed query."""
    if isinstance(node, Term):
        expr = _quote(" ".join(node.tokens))
        if node.prefix:
            expr += " *"
        return f"{node.field} : {expr}" if node.field else expr
    if isinstance(node, Filter):
        raise TypeError("a filter is applied as SQL beside the text query, never inside it")
    if isinstance(node, Or):
        return "(" + " OR ".join(to_fts5(child) for child in node.options) + ")"
    included = " AND ".join(to_fts5(child) for child in node.include)
    expr = f"({included})"
    for child in node.exclude:
        expr = f"({expr} NOT {to_fts5(child)})"
    return expr


def _interrupted(exc: sa.exc.OperationalError) -> bool:
    return getattr(exc.orig, "sqlite_errorcode", None) == sqlite3.SQLITE_INTERRUPT


@contextlib.contextmanager
def time_limit(conn: sa.Connection, seconds: float | None) -> Iterator[None]:
    """Stops what runs on ``conn`` inside once ``seconds`` have passed: SearchTimeout."""
    if seconds is None:
        yield
        return
    driver = cast(sqlite3.Connection, conn.connection.driver_connection)
    deadline = time.monotonic() + seconds
    driver.set_progress_handler(lambda: time.monotonic() > deadline, CHECK_STEPS)
    try:
        yield
    except sa.exc.OperationalError as exc:
        if _interrupted(exc):
            raise SearchTimeout(seconds) from exc
        raise
    finally:
        driver.set_progress_handler(None, 0)


def _matches(
    request: SearchRequest, source_ids: Sequence[int]
) -> tuple[Node | None, str, dict[str, object], SearchRequest]:
    """The query's words, the FROM … WHERE of its matches over ``articles a``, its
    parameters, and the request with the query's typed filters in ``filters``."""
    tree, request = words_and_filters(request)
    where, params = filters(request, source_ids)
    if tree is None:  # filters alone: every original article that passes them
        return tree, f"articles a WHERE a.duplicate_of IS NULL{where}", params, request
    params["q"] = to_fts5(tree)
    # CROSS JOIN keeps FTS5 the outer loop: started from a filter's index, SQLite would
    # run the MATCH once per candidate row (500x slower). Duplicates are never indexed,
    # so they need no filter here.
    return tree, f"{TABLE} CROSS JOIN articles a ON a.id = {TABLE}.rowid WHERE {TABLE} MATCH :q{where}", params, request


class FTS5Backend:
    """Search on SQLite with FTS5 (created by migration 0002)."""

    name = "sqlite-fts5"

    def add(self, conn: sa.Connection, rows: Iterable[IndexRow]) -> None:
        # Straight to the driver: this back end is SQLite's alone, and SQLAlchemy's
        # per-row parameter handling would add nothing but time to every import.
        params = [(r.id, index_text(r.title), index_text(r.body)) for r in rows]
        if params:
            conn.exec_driver_sql(f"INSERT INTO {TABLE}(rowid, title, body) VALUES (?, ?, ?)", params)

    def remove(self, conn: sa.Connection, rows: Iterable[IndexRow]) -> None:
        # A contentless table forgets a row only when told the text it indexed.
        params = [{"id": r.id, "title": index_text(r.title), "body": index_text(r.body)} for r in rows]
        if params:
            conn.execute(
                sa.text(f"INSERT INTO {TABLE}({TABLE}, rowid, title, body) VALUES ('delete', :id, :title, :body)"),
                params,
            )

    def clear(self, conn: sa.Connection) -> None:
        conn.exec_driver_sql(f"INSERT INTO {TABLE}({TABLE}) VALUES ('delete-all')")

    def catch_up(self, *, wait: bool = True, progress: Callable[[int], None] | None = None) -> int:
        return 0  # written in each write's transaction: always current

    def search(self, conn: sa.Connection, request: SearchRequest, source_ids: Sequence[int]) -> SearchResult:
        require_current(conn)
        with time_limit(conn, request.time_limit):
            return self._search(conn, request, source_ids)

    def day_counts(self, conn: sa.Connection, request: SearchRequest, source_ids: Sequence[int]) -> list[DayCount]:
        require_current(conn)
        _, matches, params, _ = _matches(request, source_ids)
        with time_limit(conn, request.time_limit):
            try:
                rows = conn.execute(
                    sa.text(f"SELECT a.date, a.source_id, count(*) FROM {matches} GROUP BY 1, 2"), params
                ).all()
            except sa.exc.OperationalError as exc:
                if _interrupted(exc):
                    raise
                raise QueryError(f"the search index cannot run this query: {exc.orig}") from exc
        return [DayCount(dt.date.fromisoformat(d) if d else None, s, n) for d, s, n in rows]

    def _search(self, conn: sa.Connection, request: SearchRequest, source_ids: Sequence[int]) -> SearchResult:
        tree, matches, params, request = _matches(request, source_ids)
        where = filters(request, source_ids)[0]
        score = "0" if tree is None else f"bm25({TABLE}, {TITLE_WEIGHT}, {BODY_WEIGHT})"
        try:
            groups = conn.execute(
                sa.text(
                    f"SELECT a.source_id, substr(a.date, 1, 4), a.language, count(*) FROM {matches} GROUP BY 1, 2, 3"
                ),
                params,
            ).all()
            total = sum(g[3] for g in groups)
            if not total:
                return SearchResult(total=0, hits=[], facets=facets_of(conn, groups))
            if tree is not None and request.order == "relevance" and not where:
                # Nothing to filter on outside the index: rank inside it alone, without
                # looking up every match's article row.
                page_sql = f"SELECT rowid, {score} FROM {TABLE} WHERE {TABLE} MATCH :q ORDER BY {score}, rowid"
            else:
                if tree is not None and request.order == "relevance":
                    order = f"{score}, a.id"
                elif request.order == "oldest":
                    order = "a.date IS NULL, a.date, a.id"
                else:
                    order = "a.date IS NULL, a.date DESC, a.id DESC"
                page_sql = f"SELECT a.id, {score} FROM {matches} ORDER BY {order}"
            page = conn.execute(
                sa.text(page_sql + " LIMIT :limit OFFSET :offset"),
                {**params, "limit": request.limit, "offset": request.offset},
            ).all()
        except sa.exc.OperationalError as exc:  # FTS5 rejects what the parser let through
            if _interrupted(exc):
                raise  # the time limit: see time_limit
            raise QueryError(f"the search index cannot run this query: {exc.orig}") from exc
        scores = {r[0]: -r[1] for r in page} if tree is not None else {}
        hits = hits_of(conn, [r[0] for r in page], scores, positive_terms(tree))
        return SearchResult(total=total, hits=hits, facets=facets_of(conn, groups))
