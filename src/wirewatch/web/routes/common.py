"""What the page modules share: the archive, its cached figures, and lookups that 404."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from itertools import groupby
from typing import TypeVar

from anyio import CapacityLimiter, to_thread
from starlette.exceptions import HTTPException
from starlette.requests import Request

from wirewatch.models import Article, Story
from wirewatch.present.params import check_sources
from wirewatch.search.base import SearchRequest, SearchResult
from wirewatch.store import ArchiveStats, SQLStore
from wirewatch.web.rendering import Pages
from wirewatch.web.state import Lazy, Memo

T = TypeVar("T")

#: Threads per server process that run searches, apart from the page threads
#: (app.PAGE_THREADS): however slow the searches, a page never waits for one.
SEARCH_THREADS = 2
#: Seconds a search may run before it is stopped and answered 503 (the slowest query the
#: bounds of search/query.py allow takes about 15 s on a 23,000-article SQLite archive;
#: ordinary ones take milliseconds).
SEARCH_SECONDS = 5.0


def store_of(request: Request) -> SQLStore:
    store: SQLStore = request.app.state.store
    return store


def search_archive(request: Request, search: SearchRequest) -> SearchResult:
    """The archive's answer to ``search``, stopped past ``app.state.search_seconds``
    (SearchTimeout). Call it in a search thread: see :func:`in_search_thread`."""
    seconds: float = request.app.state.search_seconds
    return store_of(request).search(replace(search, time_limit=seconds))


def search_archive_stories(request: Request, search: SearchRequest) -> tuple[SearchResult, dict[int, Story]]:
    """:func:`search_archive`, with the stories of the page's hits (``SQLStore.search_stories``)."""
    seconds: float = request.app.state.search_seconds
    return store_of(request).search_stories(replace(search, time_limit=seconds))


async def in_search_thread(request: Request, work: Callable[[], T]) -> T:
    """``work()`` run in one of the search threads (SEARCH_THREADS), not a page thread."""
    threads: Lazy[CapacityLimiter] = request.app.state.search_threads
    return await to_thread.run_sync(work, limiter=threads.get())


def pages_of(request: Request) -> Pages:
    pages: Pages = request.app.state.pages
    return pages


def stats_of(request: Request) -> ArchiveStats:
    memo: Memo = request.app.state.memo
    return memo.get("stats", store_of(request).stats)


def month_counts_of(request: Request, source: str | None = None) -> dict[tuple[int, int], int]:
    memo: Memo = request.app.state.memo
    return memo.get(("months", source), lambda: store_of(request).month_counts(source))


def known_source(request: Request, name: str) -> str:
    """The source's name as stored (names match regardless of case), or a 404."""
    names = stats_of(request).sources
    for known in names:
        if known.casefold() == name.casefold():
            return known
    # A source added since the figures were cached.
    for known in store_of(request).source_names():
        if known.casefold() == name.casefold():
            return known
    raise HTTPException(404, f"There is no source {name!r} in this archive.")


def check_known_sources(request: Request, names: Iterable[str], option: str = "source") -> None:
    """ConfigError for a source the archive does not hold; the cached list is checked
    first, the archive itself only when a name is not in it (a source just imported)."""
    names = list(names)
    cached = {name.casefold() for name in stats_of(request).sources}
    if all(name.casefold() in cached for name in names):
        return
    check_sources(names, store_of(request).source_names(), option=option)


def parse_article_id(value: str) -> int:
    # ASCII digits only: '４１' must not be a second address for article 41.
    if not (value.isascii() and value.isdigit()) or len(value) > 18:
        raise HTTPException(404, f"There is no article {value!r}: articles are numbered (e.g. /articles/42).")
    return int(value)


@dataclass(frozen=True, slots=True)
class DayGroup:
    """Articles that share a date; ``precision`` says whether it is a day, a month or a year."""

    date: dt.date | None
    precision: str | None
    articles: list[Article]

    @property
    def is_day(self) -> bool:
        return self.date is not None and self.precision in (None, "day")


def article_or_404(request: Request, value: str) -> Article:
    """The article numbered ``value`` (as written in the address), or a 404 that names it."""
    ident = parse_article_id(value)
    found = store_of(request).get_article(ident)
    if found is None:
        raise HTTPException(404, f"There is no article {ident} in this archive.")
    return found


def by_day(articles: list[Article]) -> list[DayGroup]:
    """Articles grouped by their date and its precision, in the order given: an article
    known only to May 2012 is not filed under 1 May 2012."""
    return [
        DayGroup(date, precision, list(group))
        for (date, precision), group in groupby(articles, key=lambda a: (a.date, a.date_precision))
    ]
