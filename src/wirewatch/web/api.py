"""The JSON API under /api/: the CLI's ``--json`` shapes, with an OpenAPI description.

``/api/docs`` is a page rendered here from that description: Swagger UI would need a
CDN and inline script, which the reader's Content-Security-Policy (and no internet) rule out.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field

from wirewatch.errors import ConfigError
from wirewatch.present.params import (
    MAX_PAGE,
    format_cursor,
    parse_cursor,
    parse_day,
    parse_languages,
    resolve_filter,
    search_request,
)
from wirewatch.present.shapes import (
    HISTORY_CHANGES,
    article_json,
    change_json,
    comparison_json,
    history_json,
    json_default,
    listing_json,
    relations_json,
    stats_json,
)
from wirewatch.present.stories import fold_hits, search_json, similar_json, story_json
from wirewatch.present.trends import (
    MAX_QUERIES,
    companions,
    companions_json,
    emerging,
    emerging_json,
    last_full_week,
    trend_json,
)
from wirewatch.search.query import MAX_QUERY_CHARS, MAX_QUERY_DEPTH, MAX_QUERY_TERMS
from wirewatch.store.analysis import EntityProfile
from wirewatch.store.base import Browse
from wirewatch.web import schemas
from wirewatch.web.rendering import search_path
from wirewatch.web.routes.analysis import (
    actors_of,
    entity_search,
    profile_or_404,
    read_relations,
    roles_of,
)
from wirewatch.web.routes.common import (
    article_or_404,
    check_known_sources,
    in_search_thread,
    known_source,
    pages_of,
    search_archive_stories,
    stats_of,
    store_of,
)
from wirewatch.web.routes.compare import compared
from wirewatch.web.routes.rising import parse_week
from wirewatch.web.routes.trends import timelines, trend_ask
from wirewatch.web.routes.versions import (
    change_filter,
    list_changes,
    parse_change_cursor,
)


class Problem(BaseModel):
    """What every error answers."""

    error: str = Field(description="What was wrong, naming the parameter or the article.")


#: The errors the API gives, described once for every operation (FastAPI's own 422 is
#: never sent: bad parameters answer 400, see app._validation_error).
ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": Problem, "description": "A bad parameter or query; the message names it."},
    404: {"model": Problem, "description": "No such article or page."},
}

router = APIRouter(prefix="/api", tags=["archive"], responses=ERRORS)


class JSON(JSONResponse):
    """JSON with dates as ISO strings, moments in UTC with "Z" (as the CLI writes them),
    and text as written (no \\u escapes for Korean)."""

    def render(self, content: Any) -> bytes:
        return json.dumps(content, ensure_ascii=False, default=json_default).encode()


@router.get(
    "/articles", summary="List articles by date, newest first", response_class=JSON, response_model=schemas.ArticleList
)
def list_articles(
    request: Request,
    source: Annotated[schemas.SourceName | None, Query(description="Only this source.")] = None,
    since: Annotated[schemas.Day | None, Query(description="From this date on: YYYY, YYYY-MM or YYYY-MM-DD.")] = None,
    until: Annotated[schemas.Day | None, Query(description="Up to this date: YYYY, YYYY-MM or YYYY-MM-DD.")] = None,
    order: Annotated[Literal["newest", "oldest"], Query(description="newest or oldest first.")] = "newest",
    after: Annotated[
        str | None, Query(description="Continue after this position: the `next` of the previous page.")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=500, description="Articles per page.")] = 50,
) -> JSON:
    """Articles without their text; `next` continues the list (null on the last page)."""
    if source is not None:  # blank too: it names no source
        check_known_sources(request, [source])
    stored = known_source(request, source) if source else None
    page = store_of(request).browse(
        Browse(
            source=stored,
            since=parse_day(since, "since"),
            until=parse_day(until, "until", end=True),
            order=order,
            after=parse_cursor(after, "after"),
            limit=limit,
        )
    )
    following = format_cursor(page.next) if page.next else None
    next_url = None
    if following:
        params = {"source": source, "since": since, "until": until, "order": order, "limit": limit, "after": following}
        next_url = search_path(params, "/api/articles")
    return JSON({"articles": [listing_json(a) for a in page.articles], "next": following, "next_url": next_url})


@router.get(
    "/articles/{article_id}",
    summary="One article with its text",
    response_class=JSON,
    response_model=schemas.ArticleDetail,
)
def get_article(request: Request, article_id: str) -> JSON:
    """The fields of `wirewatch show --json`; 404 for an unknown number."""
    store = store_of(request)
    article = article_or_404(request, article_id)
    ident = int(article.id or 0)
    duplicates = [d for d in store.duplicates_of(article.duplicate_of or ident) if d != ident]
    data = article_json(article, duplicates, store.entities_of(ident), store.events_of(ident))
    data["permalink"] = pages_of(request).url(request, f"/articles/{ident}")
    return JSON(data)


@router.get(
    "/articles/{article_id}/history",
    summary="One article's versions and changes",
    response_class=JSON,
    response_model=schemas.History,
)
def get_history(request: Request, article_id: str) -> JSON:
    """The fields of `wirewatch history --json`: every version seen with its word-level
    differences from the one before, and the article's edits, deletions and returns."""
    article = article_or_404(request, article_id)
    store = store_of(request)
    ident = int(article.id or 0)
    return JSON(history_json(article, store.history(ident), store.changes(article_id=ident, limit=HISTORY_CHANGES)))


@router.get(
    "/articles/{article_id}/similar",
    summary="The articles linked to one: its other versions, quotations and formula siblings",
    response_class=JSON,
    response_model=schemas.SimilarAnswer,
)
def get_similar(request: Request, article_id: str) -> JSON:
    """The fields of `wirewatch similar ID --json`: the articles linked to this one as a
    duplicate, reprint, translation, quotation or the same formula about another event
    (template, with the slot values that differ), strongest first; and the story thread it
    belongs to (null for none). 404 for an unknown number."""
    article = article_or_404(request, article_id)
    store = store_of(request)
    ident = int(article.id or 0)
    return JSON(similar_json(ident, store.similar_of(ident)) | {"story": story_json(store.story_of(ident))})


@router.get(
    "/compare/{a}/{b}",
    summary="How two articles relate, and what differs",
    response_class=JSON,
    response_model=schemas.Comparison,
)
def get_comparison(request: Request, a: str, b: str) -> JSON:
    """The fields of `wirewatch compare A B --json`: duplicate, reprint, translation, quotes,
    template or unrelated, the similarity, the word-level changes and a template's slots.
    404 for an unknown article; 400 for an article compared with itself or a headline
    without text."""
    first, second, found = compared(request, a, b)
    return JSON(comparison_json(int(first.id or 0), int(second.id or 0), found))


@router.get(
    "/changes",
    summary="Edits, deletions and returns across the archive, newest first",
    response_class=JSON,
    response_model=schemas.ChangeList,
)
def changes(
    request: Request,
    kind: Annotated[
        list[schemas.ChangeKind] | None, Query(description="Only edited, deleted or restored; repeatable.")
    ] = None,
    source: Annotated[str | None, Query(description="Only this source.")] = None,
    after: Annotated[
        str | None, Query(description="Continue after this position: the `next` of the previous page.")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=500, description="Changes per page.")] = 50,
) -> JSON:
    """The changes as `wirewatch history --json` lists an article's; `next` continues the list."""
    chosen = change_filter(request, kind or (), source)
    found, following = list_changes(request, chosen, parse_change_cursor(after), limit)
    next_url = (
        search_path(chosen.params() | {"limit": limit, "after": following}, "/api/changes") if following else None
    )
    return JSON({"changes": [change_json(c) for c in found], "next": following, "next_url": next_url})


@router.get("/search", summary="Search the archive", response_class=JSON, response_model=schemas.SearchAnswer)
async def search(
    request: Request,
    q: Annotated[
        str,
        Query(
            description='Words, "phrases", prefix*, AND/OR/NOT, (groups), title:word: at most '
            f"{MAX_QUERY_CHARS:,} characters, {MAX_QUERY_TERMS} terms, parentheses {MAX_QUERY_DEPTH} deep.",
            # Documented, not checked here: the query language refuses a longer one, with its own message.
            json_schema_extra={"maxLength": MAX_QUERY_CHARS},
        ),
    ] = "",
    source: Annotated[list[schemas.SourceName] | None, Query(description="Only this source; repeatable.")] = None,
    language: Annotated[
        list[schemas.Language] | None, Query(description="Only this language code (en, ko); repeatable.")
    ] = None,
    since: Annotated[schemas.Day | None, Query(description="From this date on: YYYY, YYYY-MM or YYYY-MM-DD.")] = None,
    until: Annotated[schemas.Day | None, Query(description="Up to this date: YYYY, YYYY-MM or YYYY-MM-DD.")] = None,
    status: Annotated[
        list[schemas.Status] | None, Query(description="Only articles live, edited or deleted; repeatable.")
    ] = None,
    order: Annotated[
        Literal["relevance", "newest", "oldest"], Query(description="relevance, newest or oldest.")
    ] = "relevance",
    page: Annotated[int, Query(ge=1, le=MAX_PAGE, description="Page of hits, from 1.")] = 1,
    limit: Annotated[int, Query(ge=1, le=1000, description="Hits per page.")] = 20,
    exact_spelling: Annotated[
        bool,
        Query(
            description="Find Korean names only as typed (true), not also in their other romanisations "
            "(Ch'oe T'ae-bok, Choe Thae Bok, Kim Jeong-eun: the default, listed in `also_searched`)."
        ),
    ] = False,
    collapse: Annotated[
        bool,
        Query(
            description="Fold the copies of a story on the page (reprints, translations) into its first hit, "
            "named in that hit's `story.also` (true), or list every copy as its own hit (false)."
        ),
    ] = True,
) -> JSON:
    """The fields of `wirewatch search --json`, plus `page` and `limit`, each hit's `story`
    (the other articles of its story, or null) and `collapsed`. `total` and `facets` count
    articles, every copy included, folded or not."""

    def answer() -> JSON:
        request_ = search_request(
            query=q,
            sources=source or (),
            languages=language or (),
            statuses=status or (),
            since=since,
            until=until,
            order=order,
            limit=limit,
            page=page,
            prefix="",
            exact_spelling=exact_spelling,
        )
        check_known_sources(request, request_.sources)
        result, stories = search_archive_stories(request, request_)
        data = search_json(result, fold_hits(result.hits, stories, collapse=collapse), collapsed=collapse)
        data.update(page=page, limit=limit)
        return JSON(data)

    return await in_search_thread(request, answer)


@router.get(
    "/trend",
    summary="How often up to four searches match over time",
    response_class=JSON,
    response_model=schemas.TrendAnswer,
)
async def get_trend(
    request: Request,
    q: Annotated[
        list[schemas.NotBlank],
        Query(
            description=f"A search (the syntax of `q` in /api/search, filters included); repeat it to compare up to "
            f"{MAX_QUERIES} on the same periods.",
            # Documented, not checked here: trend_ask refuses more, naming the limit.
            json_schema_extra={"minItems": 1, "maxItems": MAX_QUERIES},
        ),
    ],
    by: Annotated[Literal["day", "week", "month", "year"], Query(description="Count per day, week, month or year.")] = (
        "month"
    ),
    source: Annotated[list[schemas.SourceName] | None, Query(description="Only this source; repeatable.")] = None,
    language: Annotated[
        list[schemas.Language] | None, Query(description="Only this language code (en, ko); repeatable.")
    ] = None,
    status: Annotated[
        list[schemas.Status] | None, Query(description="Only articles live, edited or deleted; repeatable.")
    ] = None,
    since: Annotated[schemas.Day | None, Query(description="From this date on: YYYY, YYYY-MM or YYYY-MM-DD.")] = None,
    until: Annotated[schemas.Day | None, Query(description="Up to this date: YYYY, YYYY-MM or YYYY-MM-DD.")] = None,
    per_source: Annotated[bool, Query(description="Also give each source's own timeline (`sources`).")] = False,
    exact_spelling: Annotated[
        bool, Query(description="Find Korean names only as typed, not also in their other romanisations.")
    ] = False,
) -> JSON:
    """The fields of `wirewatch trend --json`: per period, the articles that match, all
    articles of the same sources, languages and statuses, and the share; the bursts
    (Kleinberg's model). A query's counts plus its `undated` add up to its `matches`, the
    total `/api/search` gives for it. One `q` answers its timeline; several answer `by` and
    `queries`, a timeline each."""

    def answer() -> JSON:
        ask = trend_ask(
            request,
            q,
            by,
            sources=source or (),
            languages=language or (),
            statuses=status or (),
            since=since,
            until=until,
            exact_spelling=exact_spelling,
        )
        return JSON(trend_json(timelines(request, ask, per_source=per_source), by))

    return await in_search_thread(request, answer)


@router.get(
    "/emerging",
    summary="What rose in a week against the weeks before it",
    response_class=JSON,
    response_model=schemas.EmergingAnswer,
)
async def get_emerging(
    request: Request,
    week: Annotated[
        schemas.Week | None,
        Query(
            description="A day of the week (YYYY-MM-DD; weeks run Monday to Sunday). Default: the last full week "
            "before the newest article's."
        ),
    ] = None,
    source: Annotated[list[schemas.SourceName] | None, Query(description="Only this source; repeatable.")] = None,
    language: Annotated[
        list[schemas.Language] | None, Query(description="Only this language code (en, ko); repeatable.")
    ] = None,
) -> JSON:
    """The fields of `wirewatch emerging --json`: the words, phrases, persons,
    organisations and countries most over-represented in the week against the 8 weeks
    before it, by the z-score of the weighted log-odds with an informative Dirichlet prior
    (Monroe, Colaresi and Quinn 2008); names first seen in the week are marked `new`."""

    def answer() -> JSON:
        # As the API's schema says: a blank source or language is refused, not skipped (the page skips it).
        check_known_sources(request, source or ())
        stored = {name.casefold(): name for name in stats_of(request).sources}
        sources = [stored.get(name.casefold(), name) for name in source or ()]
        languages = list(parse_languages(language or (), prefix=""))
        if week is not None:
            day = parse_week(week)
        else:
            last = stats_of(request).last_date
            if last is None:
                raise ConfigError("week: the archive holds no dated article yet; give a week")
            day = last_full_week(last)
        result = emerging(store_of(request), day, sources=sources, languages=languages)
        return JSON(emerging_json(result, sources))

    return await in_search_thread(request, answer)


@router.get(
    "/companions",
    summary="Who is named with a person or organisation, and how that changed",
    response_class=JSON,
    response_model=schemas.CompanionsAnswer,
)
async def get_companions(
    request: Request,
    id: Annotated[
        schemas.NotBlank,
        Query(description="The person or organisation: a name, alias or id of the actor data (Kim Jong Un, wpk)."),
    ],
    kind: Annotated[Literal["person", "organization"], Query(description="person or organization.")] = "person",
    since: Annotated[
        schemas.Day | None,
        Query(description="From this date on (YYYY, YYYY-MM or YYYY-MM-DD); default a year before until."),
    ] = None,
    until: Annotated[
        schemas.Day | None,
        Query(description="Up to this date (YYYY, YYYY-MM or YYYY-MM-DD); default the newest article's."),
    ] = None,
    limit: Annotated[int, Query(ge=1, le=200, description="How many to list.")] = 15,
) -> JSON:
    """The fields of `wirewatch companions --json`: the persons and organisations most often
    named in the same articles as this one in the period, with their articles and rank in
    the period of the same length just before (appearing beside the leader is a classic
    signal of rank)."""

    def answer() -> JSON:
        try:
            ident = resolve_filter(kind, " ".join(id.split()))
        except ValueError as error:
            raise ConfigError(f"id {id!r}: {error}") from None
        end = parse_day(until, "until", end=True) or stats_of(request).last_date
        if end is None:
            raise ConfigError("until: the archive holds no dated article yet; give a period")
        start = parse_day(since, "since") or end - min(dt.timedelta(days=364), end - dt.date.min)
        if start > end:
            raise ConfigError(f"since {since!r} is after until {until!r}")
        if start - dt.date.min <= end - start:
            raise ConfigError(
                f"since {start.isoformat()!r}: the period as long just before it, which the answer compares "
                "with, would start before year 1; give a later since or a shorter period"
            )
        found = companions(store_of(request), kind, ident, start, end, limit=limit)
        return JSON(companions_json({"type": kind, "id": ident}, start, end, found))

    return await in_search_thread(request, answer)


@router.get(
    "/sources", summary="The sources with their article counts", response_class=JSON, response_model=schemas.SourceList
)
def sources(request: Request) -> JSON:
    counts = stats_of(request).sources
    return JSON({"sources": [{"name": name, "articles": n} for name, n in counts.items()]})


@router.get(
    "/stats",
    summary="Counts by source and language, and the dates covered",
    response_class=JSON,
    response_model=schemas.Stats,
)
def stats(request: Request) -> JSON:
    """The fields of `wirewatch stats --json`."""
    return JSON(stats_json(stats_of(request)))


@router.get(
    "/entities/{entity_type}/{entity_id}",
    summary="What the archive says of a person, country or organisation",
    response_class=JSON,
    response_model=schemas.EntityProfile,
)
def get_entity(request: Request, entity_type: schemas.EntityType, entity_id: str) -> JSON:
    """Mentions and articles, first and last dates, articles by month, the offices of a
    person (from the actor data) and the entities named in the same articles. `entity_type`
    is person, country or organization; 404 for an entity no article mentions."""
    profile = profile_or_404(request, entity_type, entity_id)
    return JSON(profile_json(profile, request))


@router.get(
    "/relations/{a}/{b}",
    summary="The timeline of two countries' relations",
    response_class=JSON,
    response_model=schemas.Relations,
)
def get_relations(
    request: Request,
    a: schemas.Country,
    b: schemas.Country,
    by: Annotated[Literal["month", "year"], Query(description="Count per month or year.")] = "month",
    since: Annotated[
        schemas.Day | None, Query(description="Events from this date on: YYYY, YYYY-MM or YYYY-MM-DD.")
    ] = None,
    until: Annotated[
        schemas.Day | None, Query(description="Events up to this date: YYYY, YYYY-MM or YYYY-MM-DD.")
    ] = None,
    type: Annotated[
        list[schemas.EventType] | None,
        Query(description="Only events of this type (visit, meeting, message…); repeatable."),
    ] = None,
    limit: Annotated[
        int, Query(ge=1, le=10_000, description="Events listed (the newest); the counts cover all.")
    ] = 100,
) -> JSON:
    """The fields of `wirewatch relations A B --json`: counts by period, type and direction
    (`a>b`, `b>a`), and the newest events with their articles. `a` and `b` are ISO 3166
    alpha-3 codes (PRK, RUS)."""
    found = read_relations(request, a, b, by=by, since=since, until=until, types=type or (), limit=limit)
    return JSON(relations_json(found))


def profile_json(profile: EntityProfile, request: Request) -> dict[str, Any]:
    """An entity page's figures (``/api/entities/…``)."""
    actors = actors_of(request)
    return {
        "type": profile.type,
        "id": profile.id,
        "name": profile.name,
        "country": profile.country,
        "mentions": profile.mentions,
        "articles": profile.articles,
        "by_title": profile.by_title,
        "first_date": profile.first_date,
        "last_date": profile.last_date,
        "by_month": [{"period": f"{y:04d}-{m:02d}", "articles": n} for (y, m), n in sorted(profile.by_month.items())],
        "roles": [
            {"role": r.id, "name": r.name, "country": r.country, "since": r.since, "until": r.until}
            for r in roles_of(actors, profile.type, profile.id)
        ],
        "co_mentioned": [{"type": t, "id": i, "name": n, "articles": c} for t, i, n, c in profile.co_mentioned],
        "search": entity_search(profile.type, profile.id),
    }


@router.get("/docs", include_in_schema=False)
def docs(request: Request) -> Response:
    spec = request.app.openapi()
    answers = {
        op["operationId"]: _fields(spec, op["responses"]["200"]["content"]["application/json"]["schema"])
        for operations in spec["paths"].values()
        for op in operations.values()
    }
    return pages_of(request).render(request, "api_docs.html", spec=spec, answers=answers)


def _fields(spec: dict[str, Any], schema: dict[str, Any]) -> list[tuple[str, str, str]]:
    """An answer's fields as (name, type, meaning), nested objects spelled out with dots."""
    schemas = spec.get("components", {}).get("schemas", {})

    def resolve(node: dict[str, Any]) -> dict[str, Any]:
        ref = node.get("$ref")
        return schemas[ref.rsplit("/", 1)[1]] if ref else node

    def kind(node: dict[str, Any]) -> str:
        node = resolve(node)
        if "anyOf" in node:
            return " or ".join(kind(option) for option in node["anyOf"])
        if node.get("type") == "array":
            return f"list of {kind(node.get('items', {}))}"
        return str(node.get("format") or node.get("type") or node.get("title") or "object")

    out: list[tuple[str, str, str]] = []

    def walk(node: dict[str, Any], prefix: str) -> None:
        for name, field in resolve(node).get("properties", {}).items():
            out.append((prefix + name, kind(field), field.get("description", "")))
            items = resolve(field).get("items")
            if items and "properties" in resolve(items):
                walk(items, f"{prefix}{name}[].")

    walk(schema, "")
    return out
