"""Versions of collected articles: an article's versions with their differences, the
archive's recent changes, and what the article page says about its status."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import groupby, pairwise
from pathlib import PurePath
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from markupsafe import Markup

from wirewatch.clean.diff import word_diff
from wirewatch.errors import ConfigError
from wirewatch.models import Article, Change, Revision
from wirewatch.present.params import MAX_ID
from wirewatch.present.shapes import HISTORY_CHANGES, format_date, utc_iso
from wirewatch.web.diffs import CONTEXT, TextDiff, inline_diff, text_diff
from wirewatch.web.rendering import search_path
from wirewatch.web.routes.common import (
    article_or_404,
    check_known_sources,
    known_source,
    pages_of,
    stats_of,
    store_of,
)

router = APIRouter(include_in_schema=False)

#: What the change log records, in the order the filters offer them.
KINDS = ("edited", "deleted", "restored")
CHANGES_PAGE = 50
#: How many of an article's changes a history holds: as many as ``wirewatch history`` shows.

ChangeCursor = tuple[dt.datetime, int]


# Lists of changes: filters and positions -------------------------------------------------


def format_change_cursor(change: Change) -> str:
    """A position in a list of changes for a URL: when the change was seen and its number,
    ``2019-03-01T10:00:00Z_36`` (the counterpart of ``params.format_cursor``)."""
    return f"{utc_iso(change.seen_at)}_{change.id}"


def parse_change_cursor(value: str | None, option: str = "after") -> ChangeCursor | None:
    """The inverse of :func:`format_change_cursor`."""
    if not value:
        return None
    when, sep, ident = value.rpartition("_")
    try:
        if not sep or not (ident.isascii() and ident.isdigit()) or int(ident) > MAX_ID:
            raise ValueError(value)
        moment = dt.datetime.fromisoformat(when)
        moment = (moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)).astimezone(dt.UTC)
    except (ValueError, OverflowError):
        raise ConfigError(
            f"{option} {value!r}: expected a position such as 2019-03-01T10:00:00Z_36, as the page's links give"
        ) from None
    return moment, int(ident)


@dataclass(frozen=True, slots=True)
class ChangeFilter:
    """Which changes a list holds: some kinds (none: all), one source (as the archive spells it)."""

    kinds: tuple[str, ...] = ()
    source: str | None = None

    def params(self) -> dict[str, Any]:
        return {"kind": list(self.kinds), "source": self.source}


def change_filter(request: Request, kinds: Iterable[str], source: str | None) -> ChangeFilter:
    """The filters as typed (any case), or a ConfigError naming the bad one."""
    wanted: dict[str, None] = {}
    for typed in kinds:
        kind = typed.strip().lower()
        if kind not in KINDS:  # blank too: the page's boxes never send one, and the API declares the three
            raise ConfigError(f"kind {typed!r}: use one of {', '.join(KINDS)}")
        wanted[kind] = None
    stored = None
    if source and source.strip():
        check_known_sources(request, [source.strip()])
        stored = known_source(request, source.strip())
    return ChangeFilter(tuple(wanted), stored)


def list_changes(
    request: Request, chosen: ChangeFilter, after: ChangeCursor | None, limit: int
) -> tuple[list[Change], str | None]:
    """A page of changes, newest first, and the position that continues it (None at the end)."""
    found = store_of(request).changes(kinds=chosen.kinds, source=chosen.source, before=after, limit=limit + 1)
    following = format_change_cursor(found[limit - 1]) if len(found) > limit else None
    return found[:limit], following


# The article page -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StatusNotice:
    """What the article page says about an article that changed: ``deleted``, ``edited``,
    or ``restored`` (back on the site, never edited)."""

    kind: str
    when: dt.datetime | None
    detail: str | None


def status_notice(request: Request, article: Article) -> StatusNotice | None:
    """None for an article as first seen (no query is made for it)."""
    if article.status == "live" and article.status_at is None:
        return None
    kind = "restored" if article.status == "live" else article.status
    latest = store_of(request).changes(article_id=article.id, kinds=(kind,), limit=1)
    if latest:
        return StatusNotice(kind, latest[0].seen_at, latest[0].detail)
    return StatusNotice(kind, article.status_at, None)


# The versions page ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Version:
    """A version as the page shows it, with what changed from the one before."""

    revision: Revision
    title: Markup | None = None
    date: tuple[str, str] | None = None
    body: TextDiff | None = None


def origin_label(origin: str | None) -> str:
    """Where a version was seen, without the server's folders."""
    if origin == "crawl":
        return "collected by the crawler"
    if origin:
        return f"imported from the web archive file {PurePath(origin).name}"
    return "not recorded"


def compare(revisions: list[Revision], *, whole: bool) -> list[Version]:
    """The versions with what changed from the one before; ``whole`` keeps unchanged text in full."""
    shown = [Version(revisions[0])] if revisions else []
    for previous, revision in pairwise(revisions):
        title: Markup | None = None
        date: tuple[str, str] | None = None
        body: TextDiff | None = None
        if "title" in revision.changes:
            title = inline_diff(word_diff(previous.title, revision.title))
        if "date" in revision.changes:
            date = (
                format_date(previous.date, previous.date_precision),
                format_date(revision.date, revision.date_precision),
            )
        if "body" in revision.changes:
            body = text_diff(word_diff(previous.body, revision.body), context=None if whole else CONTEXT)
        shown.append(Version(revision, title, date, body))
    return shown


def _when(entry: tuple[str, Version | Change]) -> tuple[dt.datetime, int, int]:
    _kind, item = entry
    if isinstance(item, Version):
        return item.revision.seen_at, 0, item.revision.number
    return item.seen_at, 1, item.id or 0


@router.get("/articles/{article_id}/versions")
def versions(request: Request, article_id: str) -> Response:
    found = article_or_404(request, article_id)
    full = request.query_params.get("full", "")
    if full not in ("", "0", "1"):
        raise ConfigError(f"full {full!r}: use full=1 for the whole texts, or leave it out")
    whole = full == "1"
    ident = int(found.id or 0)
    store = store_of(request)
    shown = compare(store.history(ident), whole=whole)
    # Edits are the versions themselves; deletions and returns go between them, by time.
    events = [c for c in store.changes(article_id=ident, limit=HISTORY_CHANGES) if c.kind != "edited"]
    timeline: list[tuple[str, Version | Change]] = [
        *(("version", v) for v in shown),
        *(("event", c) for c in events),
    ]
    timeline.sort(key=_when)
    return pages_of(request).render(
        request,
        "versions.html",
        article=found,
        timeline=timeline,
        versions=len(shown),
        whole=whole,
        shortened=any(v.body is not None and v.body.shortened for v in shown),
        json_url=f"/api/articles/{ident}/history",
        origin=origin_label,
    )


# The archive's changes ------------------------------------------------------------------


@router.get("/changes")
def changes(request: Request) -> Response:
    params = request.query_params
    chosen = change_filter(request, params.getlist("kind"), params.get("source"))
    after = parse_change_cursor(params.get("after"))
    found, following = list_changes(request, chosen, after, CHANGES_PAGE)
    days = [(day, list(group)) for day, group in groupby(found, key=lambda c: c.seen_at.astimezone(dt.UTC).date())]
    filters = chosen.params()
    return pages_of(request).render(
        request,
        "changes.html",
        days=days,
        chosen=chosen,
        kinds=KINDS,
        stats=stats_of(request),
        filtered=bool(chosen.kinds or chosen.source),
        continued=after is not None,
        newest=search_path(filters, "/changes"),
        older=search_path(filters | {"after": following}, "/changes") if following else None,
        links={
            "atom": search_path(filters, "/changes.atom"),
            "json": search_path(filters | {"after": params.get("after")}, "/api/changes"),
        },
    )
