"""What the page modules share: the archive, its cached figures, and lookups that 404."""

from __future__ import annotations

import datetime as dt
from itertools import groupby

from starlette.exceptions import HTTPException
from starlette.requests import Request

from wirewatch.models import Article
from wirewatch.store import ArchiveStats, Store
from wirewatch.web.app import Memo
from wirewatch.web.rendering import Pages


def store_of(request: Request) -> Store:
    return request.app.state.store  # type: ignore[no-any-return]


def pages_of(request: Request) -> Pages:
    return request.app.state.pages  # type: ignore[no-any-return]


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


def parse_article_id(value: str) -> int:
    if not value.isdigit() or len(value) > 18:
        raise HTTPException(404, f"There is no article {value!r}: articles are numbered (e.g. /articles/42).")
    return int(value)


def by_day(articles: list[Article]) -> list[tuple[dt.date | None, list[Article]]]:
    """Articles grouped by their date, in the order given."""
    return [(day, list(group)) for day, group in groupby(articles, key=lambda a: a.date)]
