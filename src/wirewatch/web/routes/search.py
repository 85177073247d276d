"""The search page and its CSV export."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from collections.abc import Iterator

from fastapi import APIRouter, Request
from fastapi.responses import Response, StreamingResponse

from wirewatch.errors import ConfigError, QueryError
from wirewatch.params import check_sources, search_request
from wirewatch.search.base import ORDERS, SearchRequest
from wirewatch.store import Store
from wirewatch.web.rendering import search_path
from wirewatch.web.routes.common import pages_of, stats_of, store_of

router = APIRouter(include_in_schema=False)

PER_PAGE = 20
#: The most rows a CSV export of a search holds; the CLI's export has the whole archive.
CSV_LIMIT = 10_000
CSV_COLUMNS = ("id", "title", "date", "date_precision", "source", "language", "url", "permalink", "snippet")


def form_request(request: Request, *, limit: int = PER_PAGE, order: str | None = None) -> tuple[dict[str, object], SearchRequest]:
    """The form's values as typed, and the search they ask for (ConfigError/QueryError when bad)."""
    params = request.query_params
    form: dict[str, object] = {
        "q": params.get("q", "").strip(),
        "source": [s for s in params.getlist("source") if s],
        "language": [s for s in params.getlist("language") if s],
        "since": params.get("since", "").strip(),
        "until": params.get("until", "").strip(),
        "order": params.get("order", "") or ("relevance" if params.get("q", "").strip() else "newest"),
    }
    page_text = params.get("page", "1").strip() or "1"
    if not page_text.isdigit():
        raise ConfigError(f"page {page_text!r}: expected a page number")
    search = search_request(
        query=str(form["q"]),
        sources=form["source"],  # type: ignore[arg-type]
        languages=form["language"],  # type: ignore[arg-type]
        since=str(form["since"]) or None,
        until=str(form["until"]) or None,
        order=order or str(form["order"]),
        limit=limit,
        page=int(page_text),
        prefix="",
    )
    check_sources(search.sources, stats_of(request).sources, option="source")
    return form, search


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
def search_page(request: Request) -> Response:
    pages = pages_of(request)
    stats = stats_of(request)
    context: dict[str, object] = {"stats": stats, "orders": ORDERS}
    try:
        form, search = form_request(request)
    except (ConfigError, QueryError) as exc:
        form = {k: request.query_params.get(k, "") for k in ("q", "since", "until", "order")}
        form.update(source=request.query_params.getlist("source"), language=request.query_params.getlist("language"))
        return pages.render(request, "search.html", status=400, form=form, error=str(exc), query=form["q"], **context)
    searched = bool(form["q"] or form["source"] or form["language"] or form["since"] or form["until"])
    try:
        result = store_of(request).search(search) if searched else None
    except QueryError as exc:
        return pages.render(request, "search.html", status=400, form=form, error=str(exc), query=form["q"], **context)
    feed_params = {k: v for k, v in form.items() if k != "order"}
    page = search.offset // search.limit + 1
    last = max(1, -(-result.total // search.limit)) if result else 1
    return pages.render(
        request,
        "search.html",
        form=form,
        query=form["q"],
        result=result,
        page=page,
        page_links=_page_links(page, last),
        last_page=last,
        first_shown=search.offset + 1,
        links={
            "atom": search_path(feed_params, "/search.atom"),
            "csv": search_path(feed_params | {"order": form["order"]}, "/search.csv"),
            "json": search_path(feed_params | {"order": form["order"], "page": page}, "/api/search"),
        },
        **context,
    )


def _csv_rows(store: Store, search: SearchRequest, base: str) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    step = 500
    for offset in range(0, CSV_LIMIT, step):
        result = store.search(replace(search, limit=step, offset=offset))
        for hit in result.hits:
            writer.writerow(
                (hit.id, hit.title, hit.date or "", hit.date_precision or "", hit.source, hit.language or "",
                 hit.url or "", f"{base}/articles/{hit.id}", hit.snippet)
            )  # fmt: skip
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        if offset + step >= result.total:
            return


@router.get("/search.csv")
def search_csv(request: Request) -> Response:
    _form, search = form_request(request, limit=CSV_LIMIT)
    base = pages_of(request).url(request, "")
    return StreamingResponse(
        _csv_rows(store_of(request), search, base),
        media_type="text/csv; charset=utf-8",
        headers={"content-disposition": 'attachment; filename="wirewatch-search.csv"'},
    )
