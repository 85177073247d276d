"""The search page and its CSV export."""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator
from dataclasses import replace
from functools import partial
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response, StreamingResponse

from wirewatch.errors import ConfigError, QueryError, SearchTimeout
from wirewatch.present.csvcells import spreadsheet_safe
from wirewatch.present.params import MAX_PAGE, parse_number, search_request
from wirewatch.present.stories import fold_hits
from wirewatch.search.base import ORDERS, STATUSES, SearchRequest, SearchResult
from wirewatch.web.rendering import search_path
from wirewatch.web.routes.common import (
    check_known_sources,
    in_search_thread,
    pages_of,
    search_archive,
    search_archive_stories,
    stats_of,
)

router = APIRouter(include_in_schema=False)

PER_PAGE = 20
#: The most rows a CSV export of a search holds; the CLI's export has the whole archive.
CSV_LIMIT = 10_000
CSV_PAGE = 500
CSV_COLUMNS = ("id", "title", "date", "date_precision", "source", "language", "url", "permalink", "snippet")


#: The inputs of the search form, as named in error messages (see params.search_request).
FIELDS = ("q", "source", "language", "status", "since", "until", "order", "page", "collapse", "exact_spelling")
#: What ``collapse`` accepts, as the API reads a boolean: fold a story's copies into one hit, or show every copy.
COLLAPSE = dict.fromkeys(("", "1", "true", "on", "yes"), True) | dict.fromkeys(("0", "false", "off", "no"), False)


def parse_exact_spelling(value: str | None) -> bool:
    """The ``exact_spelling`` parameter: Korean names only as typed (1), or in their other
    spellings too (empty or 0, the default)."""
    exact = COLLAPSE.get((value or "0").strip().lower())
    if exact is None:
        raise ConfigError(
            f"exact_spelling {value!r}: expected 1 (names only as typed) or 0 (their other spellings too)"
        )
    return exact


def parse_collapse(value: str | None) -> bool:
    """The ``collapse`` parameter of the search page (1 by default; 0 shows every copy)."""
    folded = COLLAPSE.get((value or "").strip().lower())
    if folded is None:
        raise ConfigError(f"collapse {value!r}: expected 1 (a story's copies as one hit) or 0 (every copy)")
    return folded


def form_request(
    request: Request, *, limit: int = PER_PAGE, order: str | None = None
) -> tuple[dict[str, object], SearchRequest]:
    """The form's values, and the search they ask for (ConfigError/QueryError when bad).

    Source names are given back as the archive spells them and languages in lower case,
    so that the form shows the filters that matched whatever case they were typed in.
    """
    params = request.query_params
    stored = {name.casefold(): name for name in stats_of(request).sources}
    form: dict[str, Any] = {
        "q": params.get("q", "").strip(),
        "source": [stored.get(s.casefold(), s) for s in params.getlist("source") if s],
        "language": [s.strip().lower() for s in params.getlist("language") if s.strip()],
        "status": [s.strip().lower() for s in params.getlist("status") if s.strip()],
        "since": params.get("since", "").strip(),
        "until": params.get("until", "").strip(),
        "order": params.get("order", "") or ("relevance" if params.get("q", "").strip() else "newest"),
    }
    exact_spelling = parse_exact_spelling(params.get("exact_spelling"))
    form["exact_spelling"] = "1" if exact_spelling else ""  # kept by the page's links and its form
    search = search_request(
        query=str(form["q"]),
        sources=form["source"],
        languages=form["language"],
        statuses=form["status"],
        since=str(form["since"]) or None,
        until=str(form["until"]) or None,
        order=order or str(form["order"]),
        limit=limit,
        page=parse_number(params.get("page", "").strip() or "1", "page", largest=MAX_PAGE),
        prefix="",
        exact_spelling=exact_spelling,
    )
    check_known_sources(request, search.sources)
    return form, search


def _failed_field(error: Exception) -> str:
    """Which input an error is about: its message starts with the input's name."""
    if isinstance(error, QueryError):
        return "q"
    name = str(error).split(" ", 1)[0]
    return name if name in FIELDS else "q"


def _page_links(current: int, last: int) -> list[int | None]:
    """Page numbers to show: the first, the last, and those around the current (None is a gap)."""
    shown = sorted({1, last, *range(max(1, current - 2), min(last, current + 2) + 1)})
    out: list[int | None] = []
    for number in shown:
        if out and number - (out[-1] or 0) > 1:
            out.append(None)
        out.append(number)
    return out


@router.get("/search")
async def search_page(request: Request) -> Response:
    return await in_search_thread(request, lambda: _search_page(request))


def _search_page(request: Request) -> Response:
    pages = pages_of(request)
    stats = stats_of(request)
    context: dict[str, Any] = {"stats": stats, "orders": ORDERS, "statuses": STATUSES}
    try:
        form, search = form_request(request)
        collapse = parse_collapse(request.query_params.get("collapse"))
        form["collapse"] = "" if collapse else "0"  # kept by the page's links and its form
        searched = any(form[k] for k in ("q", "source", "language", "status", "since", "until"))
        result, stories = search_archive_stories(request, search) if searched else (None, {})
        hits = fold_hits(result.hits, stories, collapse=collapse) if result else []
    except (ConfigError, QueryError) as exc:
        typed = request.query_params
        form = {k: typed.get(k, "") for k in ("q", "since", "until", "order", "collapse", "exact_spelling")}
        form.update(source=typed.getlist("source"), language=typed.getlist("language"), status=typed.getlist("status"))
        status = 503 if isinstance(exc, SearchTimeout) else 400  # stopped past its time limit: not the form's fault
        return pages.render(
            request,
            "search.html",
            status=status,
            form=form,
            error=str(exc),
            error_field=_failed_field(exc),
            query=form["q"],
            **context,
        )
    # The feed and the CSV hold every article: no order (the feed's is newest), no folding.
    feed_params = {k: v for k, v in form.items() if k not in ("order", "collapse")}
    page = search.offset // search.limit + 1
    last = max(1, -(-result.total // search.limit)) if result else 1
    return pages.render(
        request,
        "search.html",
        form=form,
        query=form["q"],
        result=result,
        hits=hits,
        collapse=collapse,
        folded=sum(len(h.folded) for h in hits),
        page=page,
        page_links=_page_links(min(page, last), last),
        last_page=last,
        past_end=bool(result and result.total and search.offset >= result.total),
        first_shown=search.offset + 1,
        links={
            "atom": search_path(feed_params, "/search.atom"),
            "csv": search_path(feed_params | {"order": form["order"]}, "/search.csv"),
            "json": search_path(
                feed_params | {"order": form["order"], "page": page, "collapse": form["collapse"]}, "/api/search"
            ),
        },
        timeline=timeline_links(feed_params, result.facets) if result and result.total and form["q"] else None,
        facet_links=facet_links(form, result.facets) if result else {},
        **context,
    )


def facet_links(form: dict[str, Any], facets: dict[str, dict[str, int]]) -> dict[str, list[tuple[str, int, str]]]:
    """Each facet's values with their counts and the search narrowed to each: a year as
    since and until, any other value as that filter; back to the first page."""
    out: dict[str, list[tuple[str, int, str]]] = {}
    for name, counts in facets.items():
        links = out[name] = []
        for value, count in counts.items():
            narrowed = {"since": value, "until": value} if name == "year" else {name: [value]}
            links.append((value, count, search_path({**form, **narrowed, "page": ""})))
    return out


def timeline_links(params: dict[str, Any], facets: dict[str, dict[str, int]]) -> dict[str, str]:
    """The search's timeline (routes/trends.py) as an image, a table and CSV: by year when
    its matches span more than three years, else by month. The span is read from the year
    facet the search counted anyway: the timeline itself is the image's own request."""
    years = sorted(int(year) for year in facets.get("year", {}) if year.isdigit())
    by = "year" if years and years[-1] - years[0] > 3 else "month"
    asked = {k: params.get(k) for k in ("q", "source", "language", "status", "since", "until", "exact_spelling")}
    asked["by"] = by
    return {
        "by": by,
        "svg": search_path(asked, "/trend.svg"),
        "page": search_path(asked, "/trend"),
        "csv": search_path(asked, "/trend.csv"),
    }


async def _csv_rows(request: Request, search: SearchRequest, first: SearchResult, base: str) -> AsyncIterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    step = search.limit
    result = first
    offset = 0
    while True:
        for hit in result.hits:
            row = (
                hit.id,
                hit.title,
                hit.date or "",
                hit.date_precision or "",
                hit.source,
                hit.language or "",
                hit.url or "",
                f"{base}/articles/{hit.id}",
                hit.snippet,
            )
            writer.writerow([spreadsheet_safe(cell) for cell in row])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        offset += step
        if offset >= min(result.total, CSV_LIMIT):
            return
        result = await in_search_thread(request, partial(search_archive, request, replace(search, offset=offset)))


@router.get("/search.csv")
async def search_csv(request: Request) -> Response:
    def first_page() -> tuple[SearchRequest, SearchResult]:
        _form, search = form_request(request, limit=CSV_PAGE)
        return search, search_archive(request, replace(search, offset=0))

    # The first page runs before the response starts, so a bad query is still a 400.
    search, first = await in_search_thread(request, first_page)
    base = pages_of(request).url(request, "")
    return StreamingResponse(
        _csv_rows(request, replace(search, offset=0), first, base),
        media_type="text/csv; charset=utf-8",
        headers={"content-disposition": 'attachment; filename="wirewatch-search.csv"'},
    )
