"""What the SQL search back ends share: filters as SQL, facets from grouped counts, and
hits with their snippets cut from the stored text."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from functools import lru_cache
from typing import Any

import sqlalchemy as sa

from wirewatch.errors import StoreError
from wirewatch.search.base import AnalysisFilter, Hit, SearchRequest
from wirewatch.search.query import Node, Term, parse_query, split_filters
from wirewatch.search.rows import read_rows
from wirewatch.search.snippets import make_snippet, matcher
from wirewatch.search.spelling import Expansion, expand

#: The articles an analysis filter selects, by the index on (entity_type, entity_id) or
#: on (type, date). As ``a.id IN (…)`` the list is made once per search and each article
#: looked up in it, and SQLite can start from it when the query has no words.
_SELECTS = {
    "event": "SELECT article_id FROM article_events WHERE type = :{name}",
    "entity": "SELECT article_id FROM article_entities WHERE entity_type = :{name}_type AND entity_id = :{name}",
}


def words_and_filters(request: SearchRequest) -> tuple[Node | None, SearchRequest]:
    """The words of the query (None for none), with the other spellings of its Korean
    names unless ``request.spellings`` is off, and the request with every analysis filter
    in ``filters``: its own and those typed in the query, whose values are taken as ids."""
    tree, typed = split_filters(parse_query(request.query))
    if request.spellings:
        tree = expanded(tree)[0]
    if typed:
        found = tuple(AnalysisFilter(f.kind, f.value, f.negated) for f in typed)
        request = replace(request, filters=request.filters + found)
    return tree, request


def also_searched(request: SearchRequest) -> tuple[Expansion, ...]:
    """The names of the request's query that are searched in other spellings too."""
    if not request.spellings or not request.query:
        return ()
    return expanded(split_filters(parse_query(request.query))[0])[1]


@lru_cache(maxsize=512)
def expanded(tree: Node | None) -> tuple[Node | None, tuple[Expansion, ...]]:
    """``spelling.expand`` with the packaged tables, kept for the queries typed lately: a
    search asks twice (its words, then what to tell the reader), and readers page."""
    widened, found = expand(tree)
    return widened, tuple(found)


def require_current(conn: sa.Connection) -> None:
    """Refuse to search the SQL full-text tables when the tantivy engine kept the archive
    and left them behind (``search_state``, migration 0008)."""
    state = conn.scalar(sa.text("SELECT value FROM search_state WHERE name = 'sql_index'"))
    if state == "stale":
        raise StoreError(
            "the database's full-text index is behind the archive (the tantivy engine kept it since): "
            "run 'wirewatch reindex' to bring it up, or set WIREWATCH_SEARCH_ENGINE=tantivy"
        )


def filters(request: SearchRequest, source_ids: Sequence[int]) -> tuple[str, dict[str, Any]]:
    """The request's filters as ``AND …`` clauses on ``articles a``, and their parameters."""
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
    if request.id_range is not None:
        clauses.append(" AND a.id > :id_after AND a.id <= :id_upto")
        params["id_after"], params["id_upto"] = request.id_range
    if request.article_ids is not None:
        names = ", ".join(f":a{i}" for i in range(len(request.article_ids)))
        clauses.append(f" AND a.id IN ({names or 'NULL'})")
        params.update({f"a{i}": article_id for i, article_id in enumerate(request.article_ids)})
    for number, wanted in enumerate(dict.fromkeys(request.filters)):
        name = f"f{number}"
        if wanted.kind == "event":
            select = _SELECTS["event"].format(name=name)
        else:
            select = _SELECTS["entity"].format(name=name)
            params[f"{name}_type"] = wanted.kind
        params[name] = wanted.id
        clauses.append(f" AND a.id {'NOT IN' if wanted.exclude else 'IN'} ({select})")
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


@lru_cache(maxsize=64)
def _hits_query(count: int) -> str:
    """The page's rows for ``count`` ids, built once per page size."""
    marks = ", ".join(f":i{n}" for n in range(count))
    return (
        "SELECT a.id, a.title, a.date, a.date_precision, s.name, a.url, a.language, a.body "
        f"FROM articles a JOIN sources s ON s.id = a.source_id WHERE a.id IN ({marks})"
    )


def hits_of(conn: sa.Connection, ids: list[int], scores: dict[int, float], terms: list[Term]) -> list[Hit]:
    if not ids:
        return []
    by_id = {row[0]: row for row in read_rows(conn, _hits_query(len(ids)), {f"i{n}": i for n, i in enumerate(ids)})}
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
