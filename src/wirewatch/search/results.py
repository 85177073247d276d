"""What the SQL search back ends share: filters as SQL, facets from grouped counts, and
hits with their snippets cut from the stored text."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa

from wirewatch.search.base import Hit, SearchRequest
from wirewatch.search.query import Term
from wirewatch.search.snippets import make_snippet, matcher


def filters(request: SearchRequest, source_ids: Sequence[int]) -> tuple[str, dict[str, Any]]:
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
    if request.statuses:
        names = ", ".join(f":st{i}" for i in range(len(request.statuses)))
        clauses.append(f" AND a.status IN ({names})")
        params.update({f"st{i}": status for i, status in enumerate(request.statuses)})
    if request.since:
        clauses.append(" AND a.date >= :since")
        params["since"] = request.since.isoformat()  # a string: no driver adapter needed
    if request.until:
        clauses.append(" AND a.date <= :until")
        params["until"] = request.until.isoformat()
    return "".join(clauses), params


def facets_of(conn: sa.Connection, groups: Sequence[Any]) -> dict[str, dict[str, int]]:
    """Counts by source, year and language from (source_id, year, language, count) groups."""
    names: dict[int, str] = dict(conn.execute(sa.text("SELECT id, name FROM sources")).all())
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


def hits_of(conn: sa.Connection, ids: list[int], scores: dict[int, float], terms: list[Term]) -> list[Hit]:
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
                date=dt.date.fromisoformat(row[2]) if isinstance(row[2], str) else row[2],
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
