"""What users type into options, forms and URLs, parsed once for the CLI and the web:
dates, list cursors, source names. Each error names the input and says what was expected."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from wirewatch.errors import ConfigError
from wirewatch.search.base import ORDERS, STATUSES, SearchRequest
from wirewatch.store.base import Cursor

__all__ = ["MAX_PAGE", "check_sources", "format_cursor", "parse_cursor", "parse_day", "parse_number", "search_request"]

#: The largest article number a database stores (a signed 64-bit integer).
MAX_ID = 2**63 - 1
#: Far past any archive's last page at the smallest page size, and safe from overflow.
MAX_PAGE = 1_000_000


def parse_number(value: str, option: str, *, largest: int = MAX_ID) -> int:
    """A whole number as typed: ASCII digits only (not '²' or '４'), from 1 to ``largest``."""
    text = value.strip()
    if not (text.isascii() and text.isdigit()) or not 1 <= int(text) <= largest:
        raise ConfigError(f"{option} {value!r}: expected a whole number from 1 to {largest:,}")
    return int(text)


def parse_day(value: str | None, option: str, *, end: bool = False) -> dt.date | None:
    """A date option: YYYY, YYYY-MM or YYYY-MM-DD (a year or month means its first or last day)."""
    if value is None:
        return None
    parts = value.strip().split("-")
    try:
        if len(parts) == 1:
            year = int(parts[0])
            return dt.date(year, 12, 31) if end else dt.date(year, 1, 1)
        if len(parts) == 2:
            year, month = int(parts[0]), int(parts[1])
            if end:
                following = dt.date(year + month // 12, month % 12 + 1, 1)
                return following - dt.timedelta(days=1)
            return dt.date(year, month, 1)
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise ConfigError(f"{option} {value!r}: expected a date as YYYY, YYYY-MM or YYYY-MM-DD") from None


def format_cursor(cursor: Cursor) -> str:
    """A list position for a URL: ``2012-05-09_36``, or ``_36`` for an undated article."""
    day, ident = cursor
    return f"{day.isoformat() if day else ''}_{ident}"


def parse_cursor(value: str | None, option: str) -> Cursor | None:
    """The inverse of :func:`format_cursor`."""
    if not value:
        return None
    day, sep, ident = value.partition("_")
    try:
        if not sep or not (ident.isascii() and ident.isdigit()) or int(ident) > MAX_ID:
            raise ValueError(value)
        return (dt.date.fromisoformat(day) if day else None, int(ident))
    except ValueError:
        raise ConfigError(f"{option} {value!r}: expected a position such as 2012-05-09_36, as the page's links give") from None


def check_sources(requested: Iterable[str], known: Iterable[str], option: str = "--source") -> None:
    """Fail on a source the archive does not hold (names match regardless of case)."""
    known = list(known)
    folded = {name.casefold() for name in known}
    for name in requested:
        if name.casefold() not in folded:
            listed = ", ".join(known) or "none yet"
            raise ConfigError(f"{option} {name!r}: no such source in the archive (sources: {listed})")


def search_request(
    *,
    query: str = "",
    sources: Iterable[str] = (),
    languages: Iterable[str] = (),
    statuses: Iterable[str] = (),
    since: str | None = None,
    until: str | None = None,
    order: str = "relevance",
    limit: int = 20,
    page: int = 1,
    prefix: str = "--",
) -> SearchRequest:
    """A search from what a user typed; ``prefix`` is how the inputs are named in messages
    ('--' for the CLI's options, '' for a form's fields)."""
    if order not in ORDERS:
        raise ConfigError(f"{prefix}order {order!r}: use one of {', '.join(ORDERS)}")
    if not 1 <= page <= MAX_PAGE:
        raise ConfigError(f"{prefix}page {page}: pages are numbered from 1 to {MAX_PAGE:,}")
    start, end = parse_day(since, f"{prefix}since"), parse_day(until, f"{prefix}until", end=True)
    if start and end and start > end:
        raise ConfigError(f"{prefix}since {since!r} is after {prefix}until {until!r}")
    wanted = tuple(dict.fromkeys(s.strip().lower() for s in statuses if s.strip()))
    for status in wanted:
        if status not in STATUSES:
            raise ConfigError(f"{prefix}status {status!r}: use one of {', '.join(STATUSES)}")
    return SearchRequest(
        query=query,
        sources=tuple(s for s in sources if s),
        languages=tuple(lang.strip().lower() for lang in languages if lang.strip()),
        statuses=wanted,
        since=start,
        until=end,
        order=order,  # type: ignore[arg-type]
        limit=limit,
        offset=(page - 1) * limit,
    )
