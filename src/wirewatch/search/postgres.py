"""The PostgreSQL back end: a tsvector per article in ``article_index``, with a GIN index.

The vector is written from the same tokens FTS5 indexes (``tokens.py``): words folded
to lower case without diacritics, and Korean, Chinese and Japanese runs as bigrams, so a
query finds the same articles on both databases. The tokens go in as a tsvector literal
with their positions (for phrases) and a weight (A: title, D: body); PostgreSQL's own
parser and dictionaries are not used, so nothing about them can differ.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Iterator, Sequence

import sqlalchemy as sa

from wirewatch.errors import QueryError, SearchTimeout
from wirewatch.search.base import DayCount, IndexRow, SearchRequest, SearchResult
from wirewatch.search.query import Filter, Node, Or, Term, positive_terms
from wirewatch.search.results import facets_of, filters, hits_of, require_current, words_and_filters
from wirewatch.search.tokens import fold, index_tokens

TABLE = "article_index"
#: ts_rank weights for {D, C, B, A}: a title word counts five times a body word, as in FTS5.
WEIGHTS = "{0.2, 0.2, 0.2, 1.0}"
#: PostgreSQL keeps word positions up to 16,383; later words share the last position.
MAX_POSITION = 16383
#: Positions between the title and the body, so that no phrase runs from one into the other.
FIELD_GAP = 8
#: The SQLSTATE of a statement cancelled by statement_timeout (query_canceled).
QUERY_CANCELED = "57014"


def _lexeme(token: str) -> str:
    return "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"


def tsvector_literal(title: str, body: str) -> str:
    """The tsvector of an article, as text: each token with its positions and weight."""
    positions: dict[str, list[str]] = {}
    position = 0
    for text, weight in ((title, "A"), (body, "")):
        for token in index_tokens(text):
            position = min(position + 1, MAX_POSITION)
            positions.setdefault(token, []).append(f"{position}{weight}")
        position = min(position + FIELD_GAP, MAX_POSITION)
    return " ".join(f"{_lexeme(token)}:{','.join(places)}" for token, places in positions.items())


def to_tsquery(node: Node) -> str:
    """The tsquery text for a parsed query (cast with ``::tsquery``, no dictionary)."""
    if isinstance(node, Term):
        tokens = [fold(t) for t in node.tokens]
        field = "A" if node.field == "title" else ""
        parts = [_lexeme(t) + (f":{field}" if field else "") for t in tokens]
        if node.prefix:
            parts[-1] = _lexeme(tokens[-1]) + f":*{field}"
        return "(" + " <-> ".join(parts) + ")" if len(parts) > 1 else parts[0]
    if isinstance(node, Filter):
        raise TypeError("a filter is applied as SQL beside the text query, never inside it")
    if isinstance(node, Or):
        return "(" + " | ".join(to_tsquery(child) for child in node.options) + ")"
    expr = "(" + " & ".join(to_tsquery(child) for child in node.include) + ")"
    for child in node.exclude:
        expr = f"({expr} & !{to_tsquery(child)})"
    return expr


@contextlib.contextmanager
def time_limit(conn: sa.Connection, seconds: float | None) -> Iterator[None]:
    """Stops each statement run on ``conn`` inside past ``seconds``: SearchTimeout.

    ``SET LOCAL`` lasts until the end of the transaction the connection is in (the
    store's search reads in one, rolled back when the connection goes back to the pool)."""
    if seconds is None:
        yield
        return
    conn.execute(sa.text(f"SET LOCAL statement_timeout = {max(1, round(seconds * 1000))}"))
    try:
        yield
    except sa.exc.OperationalError as exc:
        if getattr(exc.orig, "sqlstate", None) == QUERY_CANCELED:
            raise SearchTimeout(seconds) from exc
        raise


def _matches(
    request: SearchRequest, source_ids: Sequence[int]
) -> tuple[Node | None, str, dict[str, object], SearchRequest]:
    """The query's words, the FROM … WHERE of its matches over ``articles a``, its
    parameters, and the request with the query's typed filters in ``filters``."""
    tree, request = words_and_filters(request)
    where, params = filters(request, source_ids)
    if tree is None:  # filters alone: every original article that passes them
        return tree, f"articles a WHERE a.duplicate_of IS NULL{where}", params, request
    params["q"] = to_tsquery(tree)
    # Duplicates are never indexed, so they need no filter here.
    return (
        tree,
        f"{TABLE} i JOIN articles a ON a.id = i.article_id WHERE i.vector @@ CAST(:q AS tsquery){where}",
        params,
        request,
    )


class PostgresBackend:
    """Search on PostgreSQL with tsvector and GIN (created by migration 0003)."""

    name = "postgresql-tsvector"

    def add(self, conn: sa.Connection, rows: Iterable[IndexRow]) -> None:
        params = [{"id": r.id, "vector": tsvector_literal(r.title, r.body)} for r in rows]
        if params:
            conn.execute(
                sa.text(f"INSERT INTO {TABLE} (article_id, vector) VALUES (:id, CAST(:vector AS tsvector))"), params
            )

    def remove(self, conn: sa.Connection, rows: Iterable[IndexRow]) -> None:
        ids = [r.id for r in rows]
        if ids:
            conn.execute(sa.text(f"DELETE FROM {TABLE} WHERE article_id = ANY(:ids)"), {"ids": ids})

    def clear(self, conn: sa.Connection) -> None:
        conn.execute(sa.text(f"DELETE FROM {TABLE}"))

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
            except sa.exc.DataError as exc:  # a tsquery PostgreSQL rejects
                raise QueryError(f"the search index cannot run this query: {exc.orig}") from exc
        return [DayCount(d, s, n) for d, s, n in rows]

    def _search(self, conn: sa.Connection, request: SearchRequest, source_ids: Sequence[int]) -> SearchResult:
        tree, matches, params, request = _matches(request, source_ids)
        score = "0" if tree is None else f"ts_rank('{WEIGHTS}', i.vector, CAST(:q AS tsquery))"
        if tree is not None and request.order == "relevance":
            order = f"{score} DESC, a.id"
        elif request.order == "oldest":
            order = "a.date ASC NULLS LAST, a.id"
        else:
            order = "a.date DESC NULLS LAST, a.id DESC"
        try:
            groups = conn.execute(
                sa.text(
                    f"SELECT a.source_id, to_char(a.date, 'YYYY'), a.language, count(*) FROM {matches} GROUP BY 1, 2, 3"
                ),
                params,
            ).all()
            total = sum(g[3] for g in groups)
            if not total:
                return SearchResult(total=0, hits=[], facets=facets_of(conn, groups))
            page = conn.execute(
                sa.text(f"SELECT a.id, {score} FROM {matches} ORDER BY {order} LIMIT :limit OFFSET :offset"),
                {**params, "limit": request.limit, "offset": request.offset},
            ).all()
        except sa.exc.DataError as exc:  # a tsquery PostgreSQL rejects
            raise QueryError(f"the search index cannot run this query: {exc.orig}") from exc
        scores = {r[0]: float(r[1]) for r in page} if tree is not None else {}
        hits = hits_of(conn, [r[0] for r in page], scores, positive_terms(tree))
        return SearchResult(total=total, hits=hits, facets=facets_of(conn, groups))
