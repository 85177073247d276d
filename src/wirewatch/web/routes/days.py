"""The archive by date: a list of months, a month's calendar, a day's articles."""

from __future__ import annotations

import calendar
import datetime as dt
import re

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.exceptions import HTTPException

from wirewatch.store.base import Browse
from wirewatch.web.routes.common import month_counts_of, pages_of, store_of

router = APIRouter(include_in_schema=False)

#: More than any outlet publishes in a day; a day page is never paged.
DAY_LIMIT = 1000
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
#: The years a calendar can show: its weeks reach into the months around it.
YEARS = range(1000, 9999)


@router.get("/days")
def months(request: Request) -> Response:
    counts = month_counts_of(request)
    years: dict[int, dict[int, int]] = {}
    for (year, month), n in counts.items():
        years.setdefault(year, {})[month] = n
    return pages_of(request).render(
        request, "months.html", years=dict(sorted(years.items(), reverse=True)), month_names=calendar.month_abbr
    )


@router.get("/days/{value}")
def day_or_month(request: Request, value: str) -> Response:
    if match := _MONTH.match(value):
        year, month = int(match[1]), int(match[2])
        if not 1 <= month <= 12:
            raise HTTPException(404, f"{value!r} is not a month: use YYYY-MM, e.g. /days/2012-05.")
        if year not in YEARS:
            raise HTTPException(404, f"{value!r}: the archive has no calendar for the year {year}.")
        return _month(request, year, month)
    try:
        day = dt.date.fromisoformat(value) if len(value) == 10 else None
    except ValueError:
        day = None
    if day is None:
        raise HTTPException(404, f"{value!r} is not a date: use YYYY-MM-DD or YYYY-MM, e.g. /days/2012-05-09.")
    if day.year not in YEARS:
        raise HTTPException(404, f"{value!r}: the archive has no calendar for the year {day.year}.")
    return _day(request, day)


def _calendar(request: Request, year: int, month: int) -> dict[str, object]:
    """A month as weeks of (day, count) for the calendar, with the months before and after that hold articles."""
    store = store_of(request)
    first = dt.date(year, month, 1)
    last = dt.date(year, month, calendar.monthrange(year, month)[1])
    counts = store.day_counts(first, last)
    weeks = [
        [(day, counts.get(day, 0)) if day.month == month else None for day in week]
        for week in calendar.Calendar().monthdatescalendar(year, month)
    ]
    before, _ = store.adjacent_days(first)
    _, after = store.adjacent_days(last)
    return {
        "year": year,
        "month": month,
        "month_name": first.strftime("%B %Y"),
        "weeks": weeks,
        "weekdays": [calendar.day_abbr[i] for i in range(7)],
        "total": sum(counts.values()),
        "previous_month": before,
        "next_month": after,
    }


def _month(request: Request, year: int, month: int) -> Response:
    return pages_of(request).render(request, "month.html", cal=_calendar(request, year, month))


def _day(request: Request, day: dt.date) -> Response:
    store = store_of(request)
    page = store.browse(Browse(since=day, until=day, day_precise=True, order="oldest", limit=DAY_LIMIT))
    before, after = store.adjacent_days(day)
    return pages_of(request).render(
        request,
        "day.html",
        day=day,
        articles=page.articles,
        cal=_calendar(request, day.year, day.month),
        previous_day=before,
        next_day=after,
    )
