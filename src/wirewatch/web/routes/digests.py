"""The digest on the web: each edition with every story's score and its reasons
(``/digests/2012-05-09``, the weekly ``/digests/2012-05-09/weekly``), a list of editions
(``/digests``) and their Atom feed (``/digests.atom``)."""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections import OrderedDict
from collections.abc import Callable

from fastapi import APIRouter, Request
from fastapi.responses import Response
from markupsafe import escape
from starlette.exceptions import HTTPException

from wirewatch.digest.rendering import digest_path
from wirewatch.digest.selection import Digest, build_digest
from wirewatch.present.shapes import format_date
from wirewatch.web.atom import stable_id
from wirewatch.web.rendering import article_path
from wirewatch.web.routes.common import month_counts_of, pages_of, store_of
from wirewatch.web.routes.days import YEARS

router = APIRouter(include_in_schema=False)

#: Editions the index lists per page, and the feed holds.
INDEX_EDITIONS = 60
FEED_EDITIONS = 10
ATOM = "application/atom+xml; charset=utf-8"


class Editions:
    """The editions built lately, each kept ``ttl`` seconds (an import shows within that
    while), the ``size`` most recently used at most: a crawler walking every day does not
    keep them all in memory."""

    def __init__(self, size: int = 32, ttl: float = 30.0) -> None:
        self.size, self.ttl = size, ttl
        self._built: OrderedDict[tuple[dt.date, int], tuple[float, Digest]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple[dt.date, int], build: Callable[[], Digest]) -> Digest:
        now = time.monotonic()
        with self._lock:
            hit = self._built.get(key)
            if hit is not None and now - hit[0] < self.ttl:
                self._built.move_to_end(key)
                return hit[1]
        digest = build()  # outside the lock: another edition need not wait for this one
        with self._lock:
            self._built[key] = (time.monotonic(), digest)
            self._built.move_to_end(key)
            while len(self._built) > self.size:
                self._built.popitem(last=False)
        return digest


_EDITIONS_LOCK = threading.Lock()


def edition(request: Request, day: dt.date, days: int = 1) -> Digest:
    """The edition, scored once and kept a short while: every reader of the page, and
    the feed, share it."""
    state = request.app.state
    with _EDITIONS_LOCK:
        if not hasattr(state, "digest_editions"):
            state.digest_editions = Editions()
    editions: Editions = state.digest_editions
    actors = state.actors
    return editions.get((day, days), lambda: build_digest(store_of(request), day, days=days, actors=actors.get()))


def edition_days(request: Request, before: dt.date | None, limit: int) -> list[tuple[dt.date, int]]:
    """The latest ``limit`` days holding articles (before ``before``), newest first, with their counts."""
    store = store_of(request)
    found: list[tuple[dt.date, int]] = []
    for year, month in sorted(month_counts_of(request), reverse=True):
        first = dt.date(year, month, 1)
        if before is not None and first >= before:
            continue
        last = (dt.date(year + month // 12, month % 12 + 1, 1)) - dt.timedelta(days=1)
        if before is not None:
            last = min(last, before - dt.timedelta(days=1))
        counts = store.day_counts(first, last)
        found += sorted(counts.items(), reverse=True)
        if len(found) >= limit:
            break
    return found[:limit]


def _day(value: str) -> dt.date:
    try:
        day = dt.date.fromisoformat(value) if len(value) == 10 else None
    except ValueError:
        day = None
    if day is None:
        raise HTTPException(
            404, f"{value!r} is not a date: digests are at /digests/YYYY-MM-DD, e.g. /digests/2012-05-09."
        )
    if day.year not in YEARS:
        raise HTTPException(404, f"{value!r}: the archive has no digest for the year {day.year}.")
    return day


@router.get("/digests")
def digests_index(request: Request, before: str | None = None) -> Response:
    start = _day(before) if before else None
    days = edition_days(request, start, INDEX_EDITIONS + 1)
    more = days[INDEX_EDITIONS][0] if len(days) > INDEX_EDITIONS else None
    return pages_of(request).render(
        request,
        "digests.html",
        editions=days[:INDEX_EDITIONS],
        older=days[INDEX_EDITIONS - 1][0] if more else None,
        before=start,
        digest_path=digest_path,
    )


def _page(request: Request, value: str, days: int) -> Response:
    day = _day(value)
    digest = edition(request, day, days)
    every = request.query_params.get("all") == "1"
    shown = digest.for_reader(cap=0 if every else None)
    store = store_of(request)
    # The neighbours are the editions of the nearest days holding articles (for a week too:
    # the week to that day), so that the pages link only to editions that exist.
    previous_day, next_day = store.adjacent_days(day)
    status = 200 if digest.articles else 404
    return pages_of(request).render(
        request,
        "digest.html",
        status=status,
        digest=shown,
        full=digest,
        every=every,
        day=day,
        days=days,
        previous_day=previous_day,
        next_day=next_day,
        digest_path=digest_path,
        hidden=len(digest.items) - len(shown.items),
    )


@router.get("/digests/{value}")
def daily(request: Request, value: str) -> Response:
    return _page(request, value, 1)


@router.get("/digests/{value}/weekly")
def weekly(request: Request, value: str) -> Response:
    return _page(request, value, 7)


def _content(digest: Digest, base_url: str) -> str:
    """An edition as HTML for a feed entry: its sections and stories, linked."""
    out: list[str] = []
    for section in digest.sections:
        if not section.items:
            continue
        out.append(f"<h2>{escape(section.name)}</h2><ul>")
        for item in section.items:
            link = (
                f' (<a href="{escape(item.url)}">original</a>)' if item.url else ""
            )  # http(s) only, as selection keeps it
            lead = f"<br>{escape(item.lead)}" if item.lead else ""
            out.append(
                f'<li><a href="{escape(base_url + article_path(item.article_id))}">{escape(item.title)}</a>'
                f" — {escape(item.source)}, {escape(format_date(item.date, 'day'))}{link}{lead}</li>"
            )
        out.append("</ul>")
    return "".join(out)


@router.get("/digests.atom")
def digests_feed(request: Request) -> Response:
    pages = pages_of(request)
    base = pages.url(request, "")
    entries = []
    for day, _ in edition_days(request, None, FEED_EDITIONS):
        digest = edition(request, day).for_reader()
        entries.append(
            {
                "id": stable_id("digest", day.isoformat()),
                "title": digest.title,
                "page_url": base + digest_path(day),
                "original": None,
                "updated": f"{day.isoformat()}T00:00:00Z",
                "source": "wirewatch",
                "content": _content(digest, base),
            }
        )
    head = {
        "id": stable_id("feed", "digests"),
        "title": "wirewatch: the Daily Update",
        "subtitle": "The must-read stories of each day",
        "updated": entries[0]["updated"] if entries else "1970-01-01T00:00:00Z",
        "self_url": pages.url(request, "/digests.atom"),
        "page_url": pages.url(request, "/digests"),
    }
    body = pages.env.get_template("feed.atom.xml").render(feed=head, entries=entries).encode()
    return Response(body, media_type=ATOM)
