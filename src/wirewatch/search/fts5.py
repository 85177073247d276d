"""The SQLite back end: an FTS5 index, contentless, with bm25 ranking."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

import sqlalchemy as sa

from wirewatch.errors import QueryError
from wirewatch.search.base import Hit, IndexRow, SearchRequest, SearchResult
from wirewatch.search.query import Node, Or, Term, parse_query, positive_terms
from wirewatch.search.snippets import make_snippet, matcher
from wirewatch.search.tokens import index_text

TABLE = "article_fts"
#: bm25 column weights: a word in the title counts for more than one in the body.
TITLE_WEIGHT, BODY_WEIGHT = 5.0, 1.0


def _quote(token: str) -> str:
    return '"' + token.replace('"', '""') + '"'


def to_fts5(node: Node) -> str:
    """The FTS5 MATCH expression for a parsed query."""
    if isinstance(node, Term):
        expr = _quote(" ".join(node.tokens))
        if node.prefix:
            expr += " *"
        return f"{node.field} : {expr}" if node.field else expr
    if isinstance(node, Or):
        return "(" + " OR ".join(to_fts5(child) for child in node.options) + ")"
    included = " AND ".join(to_fts5(child) for child in node.include)
    expr = f"({included})"
    for child in node.exclude:
        expr = f"({expr} NOT {to_fts5(child)})"
    return expr


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
                sa.text(
                    f"INSERT INTO {TABLE}({TABLE}, rowid, title, body) VALUES ('delete', :id, :title, :body)"
                ),
                params,
            )

    def search(self, conn: sa.Connection, request: SearchRequest, source_ids: Sequence[int]) -> SearchResult:
        tree = parse_query(request.query)
        where, params = _filters(request, source_ids)
        if tree is None:  # filters alone: every original article that passes them
            matches = f"articles a WHERE a.duplicate_of IS NULL{where}"
            score = "0"
        else:
            params["q"] = to_fts5(tree)
            # CROSS JOIN keeps FTS5 the outer loop: started from a filter's index,
            # SQLite would run the MATCH once per candidate row (500x slower).
            # Duplicates are never indexed, so they need no filter here.
            matches = f"{TABLE} CROSS JOIN articles a ON a.id = {TABLE}.rowid WHERE {TABLE} MATCH :q{where}"
            score = f"bm25({TABLE}, {TITLE_WEIGHT}, {BODY_WEIGHT})"
        try:
            groups = conn.execute(
                sa.text(
                    f"SELECT a.source_id, substr(a.date, 1, 4), a.language, count(*) FROM {matches} "
                    "GROUP BY 1, 2, 3"
                ),
                params,
            ).all()
            total = sum(g[3] for g in groups)
            if not total:
                return SearchResult(total=0, hits=[], facets=_facets(conn, groups))
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
            raise QueryError(f"the search index cannot run this query: {exc.orig}") from exc
        scores = {r[0]: -r[1] for r in page} if tree is not None else {}
        hits = _hits(conn, [r[0] for r in page], scores, positive_terms(tree))
        return SearchResult(total=total, hits=hits, facets=_facets(conn, groups))


def _filters(request: SearchRequest, source_ids: Sequence[int]) -> tuple[str, dict[str, Any]]:
    clauses = []
    params: dict[str, Any] = {}
    if request.sources:
        names = ", ".join(f":s{i}" for i in range(len(source_ids)))
        clauses.append(f" AND a.source_id IN ({names or 'NULL'})")
        params.update({f"s{i}": sid for i, sid in enumerate(source_ids)})
    if request.languages:
        names = ", ".join(f":l{i}" for i in range(len(request.languages)))
        clauses.append(f" AND a.language IN ({names})")
        params.update({f"l{i}": lang for i, lang in enumerate(request.languages)})
    if request.since:
        clauses.append(" AND a.date >= :since")
        params["since"] = request.since.isoformat()
    if request.until:
        clauses.append(" AND a.date <= :until")
        params["until"] = request.until.isoformat()
    return "".join(clauses), params


def _facets(conn: sa.Connection, groups: Sequence[Any]) -> dict[str, dict[str, int]]:
    """Counts by source, year and language from (source_id, year, language, count) groups."""
    names = dict(conn.execute(sa.text("SELECT id, name FROM sources")).all())
    source: Counter[str] = Counter()
    year: Counter[str] = Counter()
    language: Counter[str] = Counter()
    for source_id, group_year, group_language, count in groups:
        source[names[source_id]] += count
        if group_year:
            year[group_year] += count
        if group_language:
            language[group_language] += count
    return {
        "source": dict(source.most_common()),
        "year": dict(sorted(year.items())),
        "language": dict(language.most_common()),
    }


def _hits(conn: sa.Connection, ids: list[int], scores: dict[int, float], terms: list[Term]) -> list[Hit]:
    if not ids:
        return []
    marks = ", ".join(f":i{n}" for n in range(len(ids)))
    rows = conn.execute(
        sa.text(
            "SELECT a.id, a.title, a.date, a.date_precision, s.name, a.url, a.language, a.body "
            f"FROM articles a JOIN sources s ON s.id = a.source_id WHERE a.id IN ({marks})"
        ),
        {f"i{n}": i for n, i in enumerate(ids)},
    ).all()
    by_id = {row[0]: row for row in rows}
    pattern = matcher(terms)
    hits = []
    for article_id in ids:
        row = by_id[article_id]
        snippet = make_snippet(row[7] or row[1], pattern)
        hits.append(
            Hit(
                id=row[0],
                title=row[1],
                date=dt.date.fromisoformat(row[2]) if row[2] else None,
                date_precision=row[3],
                source=row[4],
                url=row[5],
                language=row[6],
                snippet=snippet.text,
                highlights=snippet.highlights,
                score=scores.get(article_id),
            )
        )
    return hits
