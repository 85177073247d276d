"""Atom feeds: the whole archive, one source, one search, the changes."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from wirewatch.store.base import Browse
from wirewatch.web.atom import Feed, atom_feed, changes_feed
from wirewatch.web.rendering import search_path, source_path
from wirewatch.web.routes.common import in_search_thread, known_source, pages_of, search_archive, store_of
from wirewatch.web.routes.search import form_request
from wirewatch.web.routes.versions import change_filter, list_changes

router = APIRouter(include_in_schema=False)

FEED_ENTRIES = 50
ATOM = "application/atom+xml; charset=utf-8"


def _feed(request: Request, key: str, title: str, page_path: str) -> Feed:
    pages = pages_of(request)
    return Feed(
        key=key,
        title=title,
        self_url=pages.url(request, request.url.path + (f"?{request.url.query}" if request.url.query else "")),
        page_url=pages.url(request, page_path),
    )


def _atom(
    request: Request,
    *,
    key: str,
    title: str,
    page_path: str,
    browse: Browse | None = None,
    ids: list[int] | None = None,
) -> Response:
    store = store_of(request)
    pages = pages_of(request)
    if browse is not None:
        articles = store.browse(browse).articles
    else:
        articles = [a for a in (store.get_article(i) for i in ids or []) if a is not None]
    body = atom_feed(pages, _feed(request, key, title, page_path), pages.url(request, ""), articles)
    return Response(body, media_type=ATOM)


@router.get("/feed.atom")
def archive_feed(request: Request) -> Response:
    return _atom(
        request,
        key="archive",
        title="wirewatch: latest articles",
        page_path="/",
        browse=Browse(originals_only=True, limit=FEED_ENTRIES, with_body=True),
    )


@router.get("/sources/{name:path}/feed.atom")
def source_feed(request: Request, name: str) -> Response:
    stored = known_source(request, name)
    return _atom(
        request,
        key=f"source:{stored}",
        title=f"wirewatch: {stored}",
        page_path=source_path(stored),
        browse=Browse(source=stored, limit=FEED_ENTRIES, with_body=True),
    )


@router.get("/search.atom")
async def search_feed(request: Request) -> Response:
    return await in_search_thread(request, lambda: _search_feed(request))


def _search_feed(request: Request) -> Response:
    form, search = form_request(request, limit=FEED_ENTRIES, order="newest")
    hits = search_archive(request, search).hits
    described = form["q"] or "all articles"
    params = {k: v for k, v in form.items() if k != "order"}
    return _atom(
        request,
        key="search:" + search_path(params, ""),
        title=f"wirewatch search: {described}",
        page_path=search_path(params),
        ids=[hit.id for hit in hits],
    )


@router.get("/changes.atom")
def changes_atom(request: Request) -> Response:
    chosen = change_filter(request, request.query_params.getlist("kind"), request.query_params.get("source"))
    found, _ = list_changes(request, chosen, None, FEED_ENTRIES)
    store = store_of(request)
    articles = {i: a for i in dict.fromkeys(c.article_id for c in found) if (a := store.get_article(i)) is not None}
    title = "wirewatch changes: " + (", ".join(chosen.kinds) or "edits, deletions and returns")
    if chosen.source:
        title += f" in {chosen.source}"
    params = chosen.params()
    feed = _feed(request, "changes:" + search_path(params, ""), title, search_path(params, "/changes"))
    pages = pages_of(request)
    return Response(changes_feed(pages, feed, pages.url(request, ""), found, articles), media_type=ATOM)
