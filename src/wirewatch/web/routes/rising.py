"""What rose in a week: ``/rising`` (the last full week) and ``/rising/YYYY-MM-DD`` (the
week, Monday to Sunday, that holds the day), the words, phrases and names over-represented
against the weeks before it (``present.trends.emerging``, docs/trends.md)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from starlette.exceptions import HTTPException

from wirewatch.errors import ConfigError
from wirewatch.present.params import parse_day, parse_languages
from wirewatch.present.trends import (
    ENTITY_KINDS,
    MIN_ARTICLES,
    Emerging,
    Rising,
    emerging,
    last_full_week,
    term_query,
    week_start,
)
from wirewatch.web.rendering import entity_path, search_path
from wirewatch.web.routes.common import check_known_sources, in_search_thread, pages_of, stats_of, store_of

router = APIRouter(include_in_schema=False)

#: The statistic's paper (Monroe, Colaresi and Quinn 2008, "Fightin' Words").
STATISTIC_URL = "https://doi.org/10.1093/pan/mpn018"
#: The Mondays a page can show: its baseline (at most 104 weeks, as the rules allow) and
#: the next week's link stay inside the calendar.
FIRST_WEEK = week_start(dt.date.min + dt.timedelta(weeks=105))
LAST_WEEK = week_start(dt.date.max - dt.timedelta(days=14))


@dataclass(frozen=True, slots=True)
class Filters:
    """The sources (as the archive spells them) and languages a week is read in."""

    sources: list[str]
    languages: list[str]

    def path(self, monday: dt.date) -> str:
        """The week's page with these filters."""
        return search_path({"source": self.sources, "language": self.languages}, rising_path(monday))


@dataclass(frozen=True, slots=True)
class TermView:
    """A listed term with its links: its articles of the week, its timeline, and the
    entity's page for a name."""

    term: Rising
    search: str
    timeline: str
    page: str | None


def rising_path(monday: dt.date) -> str:
    return f"/rising/{monday.isoformat()}"


def filters_of(request: Request) -> Filters:
    """``source`` and ``language`` from the address (repeatable), checked: ConfigError
    naming an unknown source or a malformed language code."""
    params = request.query_params
    stored = {name.casefold(): name for name in stats_of(request).sources}
    sources = [stored.get(s.strip().casefold(), s.strip()) for s in params.getlist("source") if s.strip()]
    check_known_sources(request, sources)
    languages = parse_languages((s for s in params.getlist("language") if s.strip()), prefix="")
    return Filters(sources, list(languages))


def parse_week(value: str) -> dt.date:
    """The day an address names (YYYY-MM-DD), or ConfigError naming it; a day whose week
    or baseline leaves the calendar (year 1, year 9999) is refused the same way."""
    day = parse_day(value, "week", whole=True)
    if not FIRST_WEEK <= week_start(day) <= LAST_WEEK:
        raise ConfigError(f"week {value!r}: expected a date from {FIRST_WEEK} to {LAST_WEEK}")
    return day


def term_views(result: Emerging, filters: Filters) -> list[TermView]:
    since, until = result.period.since.isoformat(), result.period.until.isoformat()
    views = []
    for term in result.terms:
        query = term_query(term)
        views.append(
            TermView(
                term,
                search_path(
                    {
                        "q": query,
                        "since": since,
                        "until": until,
                        "source": filters.sources,
                        "language": filters.languages,
                    }
                ),
                search_path({"q": query, "by": "week"}, "/trend"),
                entity_path(term.kind, term.key) if term.kind in ENTITY_KINDS else None,
            )
        )
    return views


@router.get("/rising")
def latest_week(request: Request) -> Response:
    """On to the last full week: the one before the week of the newest article."""
    filters = filters_of(request)
    last = stats_of(request).last_date
    if last is None:
        raise HTTPException(404, "The archive holds no dated article yet: there is no week to compare.")
    return RedirectResponse(filters.path(last_full_week(last)), status_code=302)


@router.get("/rising/{day}")
async def week_page(request: Request, day: str) -> Response:
    # emerging reads the week's and the baseline's texts: seconds on a large archive, so
    # it runs in a search thread, never holding a page thread.
    return await in_search_thread(request, lambda: _week_page(request, day))


def _week_page(request: Request, value: str) -> Response:
    day = parse_week(value)
    filters = filters_of(request)
    monday = week_start(day)
    if day != monday:
        return RedirectResponse(filters.path(monday), status_code=301)
    result = emerging(store_of(request), monday, sources=filters.sources, languages=filters.languages)
    stats = stats_of(request)
    previous, following = monday - dt.timedelta(days=7), monday + dt.timedelta(days=7)
    return pages_of(request).render(
        request,
        "rising.html",
        result=result,
        terms=term_views(result, filters),
        filters=filters,
        sources=sorted(stats.sources, key=str.casefold),
        languages=sorted(stats.languages),
        previous=filters.path(previous) if stats.first_date and stats.first_date < monday else None,
        previous_week=previous,
        next=filters.path(following) if stats.last_date and stats.last_date >= following else None,
        next_week=following,
        statistic_url=STATISTIC_URL,
        min_articles=MIN_ARTICLES,
    )
