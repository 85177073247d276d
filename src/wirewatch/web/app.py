"""``create_app()``: the web reader as one ASGI application over one archive."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator
from typing import Any, TypeVar

from anyio import CapacityLimiter, to_thread
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException
from starlette.responses import Response
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp

from wirewatch import __version__
from wirewatch.config.settings import Settings
from wirewatch.errors import SearchTimeout, WirewatchError
from wirewatch.search.base import SearchOptions
from wirewatch.store import SQLStore, open_store
from wirewatch.web.rendering import Pages
from wirewatch.web.routes.common import SEARCH_SECONDS, SEARCH_THREADS
from wirewatch.web.security import HeadAsGet, SecurityHeaders
from wirewatch.web.state import Lazy, Memo

log = logging.getLogger("wirewatch.web")

#: Threads per server process that run pages (see lifespan); --workers adds processes.
PAGE_THREADS = 2
T = TypeVar("T")

API_DESCRIPTION = """Read the archive as JSON: the same fields as the command line's `--json`.

Lists page with `after` (the `next` value of the previous page); search pages with `page`.
Dates are written `2018-10-11`; moments (when a version or a change was seen) in UTC,
`2019-03-01T10:00:00Z`. Errors answer `{"error": "…"}` with status 400 (a bad parameter or query), 404, or
503 (a search that ran past its time limit)."""


class Reader(FastAPI):
    """FastAPI with the security headers and HEAD handling outside everything, Starlette's
    ServerErrorMiddleware included: its 500 answers carry the headers too (middleware
    added with ``add_middleware`` runs inside it)."""

    def build_middleware_stack(self) -> ASGIApp:
        return SecurityHeaders(HeadAsGet(super().build_middleware_stack()))


def create_app(settings: Settings, store: SQLStore | None = None) -> FastAPI:
    """The web reader over ``store`` (by default the archive ``settings.db`` names)."""
    from wirewatch.analysis.actors import Actors
    from wirewatch.web import api
    from wirewatch.web.routes import (
        analysis,
        compare,
        days,
        digests,
        feeds,
        pages,
        rising,
        search,
        subscribe,
        trends,
        versions,
    )

    owned = store is None
    engine = SearchOptions(settings.search_engine, settings.search_index)
    archive: SQLStore = store if store is not None else open_store(settings.db, engine)

    @contextlib.asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        # The pages run in worker threads; their work is SQLite queries and Python that
        # holds the GIL, so threads beyond the cores only take turns at it. With anyio's
        # default of 40, 50 clients made an article page cost 4.3 ms of CPU instead of 2.1.
        to_thread.current_default_thread_limiter().total_tokens = PAGE_THREADS
        yield
        if owned:
            archive.close()

    app = Reader(
        title="wirewatch",
        version=__version__,
        description=API_DESCRIPTION,
        docs_url=None,  # Swagger UI needs a CDN and inline script; /api/docs is our own page
        redoc_url=None,
        openapi_url="/api/openapi.json",
        lifespan=lifespan,
        # No redirect from /path/ to /path: its Location would be built from the Host header.
        redirect_slashes=False,
    )
    app.openapi = lambda: _openapi(app)  # type: ignore[method-assign]  # FastAPI's documented way to extend the schema
    app.state.settings = settings
    app.state.store = archive
    app.state.pages = Pages(settings)
    app.state.memo = Memo()
    app.state.actors = Lazy(Actors.load)
    # Searches run in threads of their own, each stopped past a time limit (routes/common.py).
    app.state.search_threads = Lazy(lambda: CapacityLimiter(SEARCH_THREADS))
    app.state.search_seconds = SEARCH_SECONDS

    app.mount("/static", StaticFiles(packages=[("wirewatch.web", "static")]), name="static")
    # Feeds first: /sources/{name:path}/feed.atom must match before /sources/{name:path}.
    for module in (feeds, pages, days, search, trends, versions, compare, analysis, digests, rising):
        app.include_router(module.router)
    app.include_router(api.router)
    subscribe.install(app)  # the Daily Update's pages, with their rate limit and outbox

    app.add_exception_handler(HTTPException, _http_error)  # type: ignore[arg-type]  # Starlette types handlers for Exception, not a subclass
    app.add_exception_handler(RequestValidationError, _validation_error)  # type: ignore[arg-type]  # Starlette types handlers for Exception, not a subclass
    app.add_exception_handler(WirewatchError, _wirewatch_error)  # type: ignore[arg-type]  # Starlette types handlers for Exception, not a subclass
    app.add_exception_handler(Exception, _unexpected_error)
    return app


def _openapi(app: FastAPI) -> dict[str, Any]:
    """FastAPI's description without the 422 answers it adds to every operation: this API
    answers a bad parameter with 400 and ``{"error": …}``, as the description says."""
    if app.openapi_schema is None:
        from fastapi.openapi.utils import get_openapi

        spec = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
        for operations in spec.get("paths", {}).values():
            for operation in operations.values():
                operation.get("responses", {}).pop("422", None)
        schemas = spec.get("components", {}).get("schemas", {})
        for name in ("HTTPValidationError", "ValidationError"):
            schemas.pop(name, None)
        app.openapi_schema = spec
    return app.openapi_schema


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def error_response(request: Request, status: int, message: str) -> Response:
    """The error page, or ``{"error": …}`` under /api/."""
    if _wants_json(request):
        return JSONResponse({"error": message}, status_code=status)
    titles = {
        400: "Bad request",
        404: "Not found",
        405: "Method not allowed",
        500: "Something went wrong",
        503: "Service unavailable",
    }
    pages: Pages = request.app.state.pages
    return pages.render(
        request, "error.html", status=status, title=titles.get(status, f"Error {status}"), message=message
    )


async def _http_error(request: Request, exc: HTTPException) -> Response:
    message = exc.detail if isinstance(exc.detail, str) else "This page does not exist."
    if exc.status_code == 404 and exc.detail == "Not Found":
        message = f"There is no page at {request.url.path}."
    response = error_response(request, exc.status_code, message)
    if exc.headers:
        response.headers.update(exc.headers)
    return response


async def _validation_error(request: Request, exc: RequestValidationError) -> Response:
    problems = []
    for error in exc.errors():
        where = ".".join(str(part) for part in error.get("loc", ())[1:]) or "request"
        given = error.get("input")
        shown = f" {given!r}" if isinstance(given, str | int) else ""
        problems.append(f"{where}{shown}: {error.get('msg', 'invalid')}")
    return error_response(request, 400, "; ".join(problems) or "bad request")


async def _wirewatch_error(request: Request, exc: WirewatchError) -> Response:
    return error_response(request, 503 if isinstance(exc, SearchTimeout) else 400, str(exc))


async def _unexpected_error(request: Request, exc: Exception) -> Response:
    log.error("error serving %s", request.url.path, exc_info=exc)
    return error_response(request, 500, "The server met an error. It has been logged; please try again later.")
