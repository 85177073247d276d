"""The timeline of up to four queries (issue 16): ``/trend`` (a form, the chart and the
figures as a table), ``/trend.csv`` (the table), ``/trend.svg`` (the chart alone: the
search page shows it as an image). ``/api/trend`` (web/api.py) reads its parameters here."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from wirewatch.analysis.trends import BY, By
from wirewatch.errors import ConfigError, QueryError, SearchTimeout
from wirewatch.present.csvcells import spreadsheet_safe
from wirewatch.present.params import search_request
from wirewatch.present.trends import MAX_QUERIES, TrendSeries, trend
from wirewatch.search.base import SearchRequest
from wirewatch.web.charts import LineChart, Series, line_chart, line_period_label, percent
from wirewatch.web.rendering import search_path
from wirewatch.web.routes.common import check_known_sources, in_search_thread, pages_of, stats_of, store_of
from wirewatch.web.routes.search import parse_exact_spelling

__all__ = ["MAX_PERIODS", "TrendAsk", "router", "timelines", "trend_ask"]

router = APIRouter(include_in_schema=False)

#: The most periods a chart (and the table beside it) shows: 1,000 days are nearly three
#: years. The API and the CSV give any number.
MAX_PERIODS = 1000
CSV_COLUMNS = ("period", "query", "count", "total", "share")
#: The inputs of the form, as named in error messages.
FIELDS = ("q", "by", "source", "language", "status", "since", "until", "exact_spelling")


@dataclass(frozen=True, slots=True)
class TrendAsk:
    """A timeline as asked for: the queries as typed, the search each one is, the period
    counted by, and the filters as typed (for the links that repeat them)."""

    queries: tuple[str, ...]
    requests: tuple[SearchRequest, ...]
    by: By
    filters: dict[str, Any]

    def params(self, **more: Any) -> dict[str, Any]:
        """The URL parameters that ask for the same timeline."""
        return {"q": list(self.queries), "by": self.by, **self.filters, **more}

    def search_params(self, query: str) -> dict[str, Any]:
        """The URL parameters of one query's search, with the same filters."""
        return {"q": query, **self.filters}


def trend_ask(
    request: Request,
    queries: Iterable[str],
    by: str = "month",
    *,
    sources: Sequence[str] = (),
    languages: Sequence[str] = (),
    statuses: Sequence[str] = (),
    since: str | None = None,
    until: str | None = None,
    exact_spelling: bool = False,
) -> TrendAsk:
    """The timeline asked for, checked: ConfigError or QueryError naming the input (blank
    queries are left out; one to MAX_QUERIES remain)."""
    typed = tuple(q.strip() for q in queries if q.strip())
    if not typed:
        raise ConfigError(f"q: give a query, or up to {MAX_QUERIES} to compare")
    if len(typed) > MAX_QUERIES:
        raise ConfigError(f"q: {len(typed)} queries given; a timeline compares at most {MAX_QUERIES}")
    if by not in BY:
        raise ConfigError(f"by {by!r}: use one of {', '.join(BY)}")
    requests = []
    for query in typed:
        try:
            requests.append(
                search_request(
                    query=query,
                    sources=sources,
                    languages=languages,
                    statuses=statuses,
                    since=since,
                    until=until,
                    prefix="",
                    exact_spelling=exact_spelling,
                )
            )
        except QueryError as error:
            raise QueryError(f"q {query!r}: {error}", error.position) from None
    check_known_sources(request, requests[0].sources)
    filters = {
        "source": list(sources),
        "language": [lang.strip().lower() for lang in languages],
        "status": [s.strip().lower() for s in statuses],
        "since": since or "",
        "until": until or "",
        "exact_spelling": "1" if exact_spelling else "",
    }
    return TrendAsk(typed, tuple(requests), by, filters)


def timelines(request: Request, ask: TrendAsk, *, per_source: bool = False) -> list[TrendSeries]:
    """The timelines of ``ask``, each search stopped past the app's time limit (SearchTimeout).
    Call it in a search thread (routes.common.in_search_thread)."""
    seconds: float = request.app.state.search_seconds
    found = trend(
        store_of(request),
        [replace(r, time_limit=seconds) for r in ask.requests],
        ask.by,
        per_source=per_source,
        labels=ask.queries,
    )
    # Each series named by its query as typed (with per_source, trend() names it otherwise).
    return [replace(s, query=q) for s, q in zip(found, ask.queries, strict=True)]


def _page_ask(request: Request) -> TrendAsk:
    """The timeline the page's address asks for."""
    params = request.query_params
    stored = {name.casefold(): name for name in stats_of(request).sources}
    return trend_ask(
        request,
        params.getlist("q"),
        params.get("by", "").strip() or "month",
        sources=[stored.get(s.casefold(), s) for s in params.getlist("source") if s],
        languages=[s for s in params.getlist("language") if s.strip()],
        statuses=[s for s in params.getlist("status") if s.strip()],
        since=params.get("since", "").strip() or None,
        until=params.get("until", "").strip() or None,
        exact_spelling=parse_exact_spelling(params.get("exact_spelling")),
    )


def _charted(ask: TrendAsk, series: list[TrendSeries]) -> list[TrendSeries]:
    """``series``, or ConfigError when they have more periods than a chart shows."""
    points = series[0].points if series else []
    if len(points) > MAX_PERIODS:
        raise ConfigError(
            f"by {ask.by!r}: {len(points):,} periods from {points[0].period} to {points[-1].period}, and a chart "
            f"shows at most {MAX_PERIODS:,}: count by a longer period, or narrow since and until"
        )
    return series


def chart_of(ask: TrendAsk, series: Sequence[TrendSeries]) -> LineChart:
    """The chart of the shares: a line per query, its bursts marked."""
    periods = [p.period for p in series[0].points] if series else []
    index = {period: i for i, period in enumerate(periods)}
    lines = [
        Series(
            s.query,
            [p.share for p in s.points],
            [(index[b.start], index[b.end]) for b in s.bursts if b.start in index and b.end in index],
        )
        for s in series
    ]
    return line_chart(periods, lines, ask.by)


def chart_words(ask: TrendAsk, series: Sequence[TrendSeries]) -> tuple[str, str]:
    """The chart's title and its description."""
    names = "; ".join(ask.queries)
    title = f"Timeline of {names}: share of articles per {ask.by}"
    points = series[0].points if series else []
    if not points:
        return title, "No dated article matches."
    first, last = line_period_label(points[0].period, ask.by), line_period_label(points[-1].period, ask.by)
    summary = (
        f"A line per query: the share of all articles of the same sources that match, per {ask.by}, "
        f"from {first} to {last}"
    )
    return title, summary + ("; shaded spans are bursts." if any(s.bursts for s in series) else ".")


def _failed_field(error: Exception) -> str:
    name = str(error).split(" ", 1)[0].rstrip(":")
    return name if name in FIELDS else "q"


@router.get("/trend")
async def trend_page(request: Request) -> Response:
    return await in_search_thread(request, lambda: _trend_page(request))


def _trend_page(request: Request) -> Response:
    pages = pages_of(request)
    typed = request.query_params
    form: dict[str, Any] = {
        "q": typed.getlist("q"),
        "by": typed.get("by", "") or "month",
        "source": typed.getlist("source"),
        "language": typed.getlist("language"),
        "status": typed.getlist("status"),
        "since": typed.get("since", ""),
        "until": typed.get("until", ""),
        "exact_spelling": typed.get("exact_spelling", ""),
    }
    context: dict[str, Any] = {"stats": stats_of(request), "periods": BY, "boxes": max(MAX_QUERIES, len(form["q"]))}
    if not any(value.strip() for name, value in typed.multi_items() if name != "by"):
        return pages.render(request, "trend.html", form=form, **context)  # the form alone
    try:
        ask = _page_ask(request)
        series = _charted(ask, timelines(request, ask))
    except (ConfigError, QueryError) as exc:
        status = 503 if isinstance(exc, SearchTimeout) else 400
        return pages.render(
            request, "trend.html", status=status, form=form, error=str(exc), error_field=_failed_field(exc), **context
        )
    form.update(ask.params())
    title, summary = chart_words(ask, series)
    return pages.render(
        request,
        "trend.html",
        form=form,
        ask=ask,
        series=series,
        chart=chart_of(ask, series),
        chart_title=title,
        chart_summary=summary,
        rows=[(p.period, [s.points[i] for s in series]) for i, p in enumerate(series[0].points)],
        period_label=lambda period: line_period_label(period, ask.by),
        percent=percent,
        links={
            "csv": search_path(ask.params(), "/trend.csv"),
            "json": search_path(ask.params(), "/api/trend"),
            "svg": search_path(ask.params(), "/trend.svg"),
            "search": [search_path(ask.search_params(q)) for q in ask.queries],
        },
        query=ask.queries[0],
        **context,
    )


@router.get("/trend.csv")
async def trend_csv(request: Request) -> Response:
    series = await in_search_thread(request, lambda: timelines(request, _page_ask(request)))
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    for i in range(len(series[0].points) if series else 0):
        for s in series:
            p = s.points[i]
            share = "" if p.share is None else f"{p.share:.6f}"
            writer.writerow([spreadsheet_safe(cell) for cell in (p.period, s.query, p.count, p.total, share)])
    for s in series:
        if s.undated:
            writer.writerow([spreadsheet_safe(cell) for cell in ("undated", s.query, s.undated, "", "")])
    return Response(
        buffer.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"content-disposition": 'attachment; filename="wirewatch-trend.csv"'},
    )


@router.get("/trend.svg")
async def trend_svg(request: Request) -> Response:
    def draw() -> tuple[TrendAsk, list[TrendSeries]]:
        ask = _page_ask(request)
        return ask, _charted(ask, timelines(request, ask))

    ask, series = await in_search_thread(request, draw)
    title, summary = chart_words(ask, series)
    macro = pages_of(request).env.get_template("_line_chart.html").module.line_chart  # type: ignore[attr-defined]  # a template's macros are its module's attributes
    svg = macro(chart_of(ask, series), title, summary, standalone=True)
    return Response(str(svg).strip(), media_type="image/svg+xml")
