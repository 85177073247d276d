"""A local news site for the collection tests: a real HTTP server on 127.0.0.1 that tests
rearrange between crawls, and builders for the pages, feeds and sitemaps it serves.

::

    site.set("/news/1.html", article_html("Talks", ["First paragraph."], date="2024-05-01"))
    site.set("/rss.xml", rss([{"title": "Talks", "link": site.url("/news/1.html"), "date": "2024-05-01"}]),
             content_type="application/rss+xml")
    site.fail("/news/1.html", 2)          # two 500s, then the page
    site.delete("/news/1.html")           # now a 404
    assert site.count("/news/1.html") == 3

Pages set with ``set`` carry an ETag and a Last-Modified and answer 304 to a matching
conditional request. Paths match with their query string first, then without it. A path
nobody set answers 404 (``/robots.txt`` included, until ``robots`` sets one).
"""

from __future__ import annotations

import hashlib
import html
import http.server
import sys
import threading
import time
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.message import Message
from email.utils import format_datetime, formatdate, parsedate_to_datetime
from typing import NamedTuple

_CHUNK = 64 * 1024


class Request(NamedTuple):
    """One request the site received. ``headers`` looks names up case-insensitively;
    ``at`` is ``time.monotonic()`` when it arrived."""

    method: str
    path: str
    headers: Message
    at: float


@dataclass
class _Route:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    drip: tuple[int, int, float] | None = None  # total bytes, bytes per chunk, seconds between chunks
    big: tuple[int, bool] | None = None  # size, whether a Content-Length is sent


@dataclass
class _Failure:
    times: int
    status: int
    headers: dict[str, str]


class LocalSite:
    """The server, started on construction; ``close()`` (or leaving the ``with``) stops it."""

    def __init__(self, address: str = "127.0.0.1") -> None:
        self._lock = threading.Lock()
        self._routes: dict[str, _Route] = {}
        self._failures: dict[str, _Failure] = {}
        self._hangs: dict[str, float] = {}
        self._requests: list[Request] = []
        self._closing = threading.Event()
        # Any 127.x.y.z is this machine: another address is another host to the collector.
        self._server = _Server((address, 0), _handler_for(self))
        self._server.daemon_threads = True
        self.port: int = self._server.server_address[1]
        self.address = address
        self.base = f"http://{address}:{self.port}"
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), name="local-site", daemon=True)
        self._thread.start()

    def __enter__(self) -> LocalSite:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        self._closing.set()  # wakes handlers that hang or drip
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def url(self, path: str, *, host: str | None = None) -> str:
        """The absolute URL of ``path``; ``host="localhost"`` gives a name that resolves to loopback."""
        return f"http://{host or self.address}:{self.port}{path}"

    # --- what the site serves ---

    def set(
        self,
        path: str,
        body: str | bytes,
        *,
        status: int = 200,
        content_type: str | None = "text/html; charset=utf-8",
        headers: dict[str, str] | None = None,
        encoding: str = "utf-8",
    ) -> None:
        """Serve ``body`` (a str is encoded with ``encoding``) at ``path``, with an ETag and a
        Last-Modified of now unless ``headers`` gives them; ``content_type=None`` sends none."""
        data = body.encode(encoding) if isinstance(body, str) else body
        sent = {"ETag": '"' + hashlib.sha256(data).hexdigest()[:20] + '"', "Last-Modified": formatdate(usegmt=True)}
        if content_type is not None:
            sent["Content-Type"] = content_type
        sent.update(headers or {})
        self._route(path, _Route(status=status, body=data, headers=sent))

    def delete(self, path: str) -> None:
        """``path`` answers 404 from now on."""
        self._route(path, _Route(status=404, body=b"<h1>Not found</h1>", headers={"Content-Type": "text/html"}))

    def gone(self, path: str) -> None:
        """``path`` answers 410 from now on."""
        self._route(path, _Route(status=410, body=b"<h1>Gone</h1>", headers={"Content-Type": "text/html"}))

    def redirect(self, path: str, to: str, status: int = 301) -> None:
        """``path`` redirects to ``to`` (a path or an absolute URL)."""
        self._route(path, _Route(status=status, headers={"Location": to}))

    def robots(self, text: str) -> None:
        """Serve ``text`` as /robots.txt."""
        self.set("/robots.txt", text, content_type="text/plain; charset=utf-8")

    def drip(self, path: str, total_bytes: int, bytes_per_chunk: int, interval: float) -> None:
        """``path`` sends a page of ``total_bytes`` (announced in Content-Length) a chunk at a
        time, ``interval`` seconds apart."""
        self._route(path, _Route(drip=(total_bytes, bytes_per_chunk, interval)))

    def big(self, path: str, size: int, *, content_length: bool = True) -> None:
        """``path`` streams an HTML page of ``size`` bytes generated on the fly; without
        ``content_length`` it goes out chunked, its size unannounced."""
        self._route(path, _Route(big=(size, content_length)))

    # --- how the site misbehaves, on top of what it serves ---

    def fail(self, path: str, times: int, status: int = 500, *, headers: dict[str, str] | None = None) -> None:
        """The next ``times`` requests for ``path`` answer ``status`` (with ``headers``, say a
        Retry-After); later ones get the normal answer."""
        with self._lock:
            self._failures[path] = _Failure(times, status, dict(headers or {}))

    def hang(self, path: str, seconds: float) -> None:
        """Requests for ``path`` wait ``seconds`` before any answer (0 ends it)."""
        with self._lock:
            self._hangs[path] = seconds

    # --- what the site saw ---

    @property
    def requests(self) -> list[Request]:
        """Every request so far, in order of arrival (a copy)."""
        with self._lock:
            return list(self._requests)

    def count(self, path: str) -> int:
        """How many requests asked for ``path`` (compared with its query string, if it has one)."""
        return sum(
            1
            for request in self.requests
            if request.path == path or ("?" not in path and request.path.partition("?")[0] == path)
        )

    def _route(self, path: str, route: _Route) -> None:
        with self._lock:
            self._routes[path] = route

    def _answer(self, handler: _Handler, send_body: bool) -> None:
        path = handler.path
        bare = path.partition("?")[0]
        with self._lock:
            self._requests.append(Request(handler.command, path, handler.headers, time.monotonic()))
            hang = self._hangs.get(path, self._hangs.get(bare, 0.0))
            failure = self._failures.get(path) or self._failures.get(bare)
            failing = failure is not None and failure.times > 0
            if failure is not None and failing:
                failure.times -= 1
            route = self._routes.get(path) or self._routes.get(bare)
        if hang and self._closing.wait(hang):
            return
        if failure is not None and failing:
            handler.reply(
                failure.status, b"<h1>Server error</h1>", {"Content-Type": "text/html", **failure.headers}, send_body
            )
        elif route is None:
            handler.reply(404, b"<h1>Not found</h1>", {"Content-Type": "text/html"}, send_body)
        elif route.drip is not None:
            total, per_chunk, interval = route.drip
            handler.stream(_dripping(total, per_chunk, interval, self._closing), total, send_body)
        elif route.big is not None:
            size, announced = route.big
            handler.stream(_generated(size), size if announced else None, send_body)
        elif route.status == 200 and _not_modified(handler.headers, route.headers):
            handler.reply(
                304,
                b"",
                {key: value for key, value in route.headers.items() if key in ("ETag", "Last-Modified")},
                False,
            )
        else:
            handler.reply(route.status, route.body, route.headers, send_body)


class _Server(http.server.ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        # A client that hangs up mid-answer (a size cap, a timeout) is what the fault
        # tests provoke, not an error of the site: anything else is still printed.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)  # type: ignore[arg-type]


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body go out in two writes: with Nagle's algorithm on, the body waited for
    # the client's delayed ACK, 40 ms a page on a kept-alive connection.
    disable_nagle_algorithm = True
    site: LocalSite

    def do_GET(self) -> None:
        self._answer(send_body=True)

    def do_HEAD(self) -> None:
        self._answer(send_body=False)

    def _answer(self, send_body: bool) -> None:
        try:
            self.site._answer(self, send_body)
        except OSError:  # the client gave up (a timeout, a size cap): the test wanted that
            self.close_connection = True

    def log_message(self, format: str, *args: object) -> None:
        pass  # the request log is the site's ``requests``

    def reply(self, status: int, body: bytes, headers: dict[str, str], send_body: bool) -> None:
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if send_body:
            self._write(body)

    def stream(self, chunks: Iterator[bytes], length: int | None, send_body: bool) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header(
            "Content-Length" if length is not None else "Transfer-Encoding",
            str(length) if length is not None else "chunked",
        )
        self.end_headers()
        if not send_body:
            return
        for chunk in chunks:
            if not self._write(chunk if length is not None else b"%x\r\n%s\r\n" % (len(chunk), chunk)):
                return
        if length is None:
            self._write(b"0\r\n\r\n")

    def _write(self, data: bytes) -> bool:
        try:
            self.wfile.write(data)
        except OSError:
            self.close_connection = True
            return False
        return True


def _handler_for(site: LocalSite) -> type[_Handler]:
    return type("LocalSiteHandler", (_Handler,), {"site": site})


def _not_modified(request: Message, page: dict[str, str]) -> bool:
    # RFC 9110 13.2.2: If-None-Match, when sent, decides alone.
    if_none_match = request.get("If-None-Match")
    if if_none_match is not None:
        tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
        return "*" in tags or page.get("ETag", "").removeprefix("W/") in tags
    if_modified_since, last_modified = request.get("If-Modified-Since"), page.get("Last-Modified")
    if if_modified_since is None or last_modified is None:
        return False
    try:
        return parsedate_to_datetime(last_modified) <= parsedate_to_datetime(if_modified_since)
    except (TypeError, ValueError):
        return False


def _generated(size: int) -> Iterator[bytes]:
    yield from _pieces(b"<html><body>", size, b"x" * _CHUNK)


def _dripping(total: int, per_chunk: int, interval: float, closing: threading.Event) -> Iterator[bytes]:
    for piece in _pieces(b"", total, b"x" * per_chunk):
        yield piece
        if closing.wait(interval):
            return


def _pieces(first: bytes, size: int, filler: bytes) -> Iterator[bytes]:
    """``size`` bytes: ``first``, then ``filler`` (the same object each time), cut to fit."""
    head = first[:size]
    if head:
        yield head
    left = size - len(head)
    while left > 0:
        piece = filler if left >= len(filler) else filler[:left]
        yield piece
        left -= len(piece)


# --- builders: the pages, feeds and sitemaps a news site serves ---


def article_html(
    title: str,
    paragraphs: list[str],
    *,
    date: str | None = None,
    lang: str = "en",
    charset: str = "utf-8",
    extra_head: str = "",
) -> str:
    """An article page: ``<meta charset>``, the title as ``<title>`` and ``<h1>``, with
    ``date`` (ISO) as ``article:published_time`` and a visible dateline, and the paragraphs."""
    head = [f'<meta charset="{charset}">', f"<title>{html.escape(title)}</title>"]
    dateline = ""
    if date:
        head.append(f'<meta property="article:published_time" content="{html.escape(date)}">')
        dateline = f'<p class="dateline"><time datetime="{html.escape(date)}">{html.escape(date)}</time></p>\n'
    body = "\n".join(f"<p>{html.escape(paragraph)}</p>" for paragraph in paragraphs)
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n' + "\n".join(head) + extra_head + "\n</head>\n"
        f'<body>\n<nav><a href="/">Home</a></nav>\n<article>\n<h1>{html.escape(title)}</h1>\n'
        f"{dateline}{body}\n</article>\n<footer>Local News Agency</footer>\n</body>\n</html>\n"
    )


def index_html(links: list[tuple[str, str]], *, title: str = "Latest news") -> str:
    """A section page listing ``(href, text)`` links."""
    items = "\n".join(f'<li><a href="{html.escape(href)}">{html.escape(text)}</a></li>' for href, text in links)
    return (
        f'<!DOCTYPE html>\n<html lang="en">\n<head><meta charset="utf-8"><title>{html.escape(title)}</title></head>\n'
        f"<body>\n<h1>{html.escape(title)}</h1>\n<ul>\n{items}\n</ul>\n</body>\n</html>\n"
    )


def rss(items: list[dict[str, str]], *, title: str = "Local News Agency", link: str = "http://127.0.0.1/") -> str:
    """An RSS 2.0 feed; each item may have title, link, date (ISO) and description."""
    entries = []
    for item in items:
        parts = [f"<{key}>{html.escape(item[key])}</{key}>" for key in ("title", "link", "description") if key in item]
        if "link" in item:
            parts.append(f'<guid isPermaLink="true">{html.escape(item["link"])}</guid>')
        if "date" in item:
            parts.append(f"<pubDate>{format_datetime(_utc(item['date']), usegmt=True)}</pubDate>")
        entries.append("<item>" + "".join(parts) + "</item>")
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>'
        f"<title>{html.escape(title)}</title><link>{html.escape(link)}</link><description>{html.escape(title)}</description>\n"
        + "\n".join(entries)
        + "\n</channel></rss>\n"
    )


def atom(
    entries: list[dict[str, str]], *, title: str = "Local News Agency", feed_id: str = "urn:wirewatch:local-site"
) -> str:
    """An Atom 1.0 feed; each entry may have title, link, date (ISO) and description."""
    dates = [_utc(entry["date"]) for entry in entries if "date" in entry]
    updated = max(dates) if dates else datetime(2024, 1, 1, tzinfo=UTC)
    rendered = []
    for entry in entries:
        parts = [f"<title>{html.escape(entry.get('title', ''))}</title>"]
        if "link" in entry:
            parts += [f'<link href="{html.escape(entry["link"])}"/>', f"<id>{html.escape(entry['link'])}</id>"]
        if "date" in entry:
            parts.append(f"<updated>{_utc(entry['date']).isoformat()}</updated>")
        if "description" in entry:
            parts.append(f"<summary>{html.escape(entry['description'])}</summary>")
        rendered.append("<entry>" + "".join(parts) + "</entry>")
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">'
        f"<title>{html.escape(title)}</title><id>{html.escape(feed_id)}</id><updated>{updated.isoformat()}</updated>\n"
        + "\n".join(rendered)
        + "\n</feed>\n"
    )


def sitemap(urls: list[str | tuple[str, str]]) -> str:
    """A sitemap of URLs, each a string or ``(url, lastmod)``."""
    rows = []
    for entry in urls:
        url, lastmod = (entry, None) if isinstance(entry, str) else entry
        rows.append(
            f"<url><loc>{html.escape(url)}</loc>"
            + (f"<lastmod>{html.escape(lastmod)}</lastmod>" if lastmod else "")
            + "</url>"
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        + "\n".join(rows)
        + "\n</urlset>\n"
    )


def gzip_bomb() -> bytes:
    """A gzip stream of about 1 MB that inflates to 1 GiB of zero bytes, built in a few
    milliseconds: one MiB of zeros compressed with a full flush (which leaves the
    compressor as it found it, so every such block is the same bytes) repeated 1024 times."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    block = compressor.compress(bytes(1 << 20)) + compressor.flush(zlib.Z_FULL_FLUSH)
    header = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"
    crc = 0x5B64C2B0  # zlib.crc32(bytes(1 << 30)), written out: computing it takes a second
    return header + block * 1024 + compressor.flush() + crc.to_bytes(4, "little") + (1 << 30).to_bytes(4, "little")


def _utc(value: str) -> datetime:
    moment = datetime.fromisoformat(value)
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
