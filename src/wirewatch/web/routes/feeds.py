"""Atom feeds: the whole archive, one source, one search."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from wirewatch.store.base import Browse
from wirewatch.web.atom import Feed, atom_feed
from wirewatch.web.rendering import search_path, source_path
from wirewatch.web.routes.common import known_source, pages_of, store_of
from wirewatch.web.routes.search import form_request

router = APIRouter(include_in_schema=False)

FEED_ENTRIES = 50
ATOM = "application/atom+xml; charset=utf-8"


def _atom(request: Request, *, key: str, title: str, page_path: str, browse: Browse | None = None, ids: list[int] | None = None) -> Response:
    store = store_of(request)
    pages = pages_of(request)
    if browse is not None:
        articles = store.browse(browse).articles
    else:
        articles = [a for a in (store.get_article(i) for i in ids or []) if a is not None]
    feed = Feed(
        key=key,
        title=title,
        self_url=pages.url(request, request.url.path + (f"?{request.url.query}" if request.url.query else "")),
        page_url=pages.url(request, page_path),
    )
    body = atom_feed(pages, feed, pages.url(request, ""), articles)
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
def search_feed(request: Request) -> Response:
    form, search = form_request(request, limit=FEED_ENTRIES, order="newest")
    hits = store_of(request).search(search).hits
    described = form["q"] or "all articles"
    params = {k: v for k, v in form.items() if k != "order"}
    return _atom(
        request,
        key="search:" + search_path(params, ""),
        title=f"wirewatch search: {described}",
        page_path=search_path(params),
        ids=[hit.id for hit in hits],
    )

