"""Fetching one URL for collection: within policy, politely, within time and size bounds.

``Fetcher.fetch`` returns a ``FetchResult`` for every HTTP answer, error statuses included
(a 404 or 410 tells the collector an article was deleted; a 5xx comes back once the retries
are spent). It raises a ``FetchError`` (the tree is drawn in ``wirewatch.errors``) only when
there is no answer to return. Every hop of a redirect chain passes, in this order:

1. policy: an http(s) URL with a host, whose addresses are all public unless private ones
   are allowed (checked again as the connection opens, so DNS rebinding cannot slip a
   private address in between), and that robots.txt allows (``wirewatch.collect.robots``);
2. politeness: one request at a time per host, ``delay`` seconds between their starts;
3. retries with backoff on timeouts, connection errors, 429 and 5xx;
4. bounds on the body (``max_bytes``, ``max_time``) and its content type; a compressed
   body is inflated a bounded step at a time (``wirewatch.collect.compression``), so
   ``max_bytes`` holds for what it inflates to, and a gzip bomb is cut off at the limit;
5. decoding, by ``wirewatch.ingest.decode.decode_body``: the one decoder of pages, fetched
   or read from a WARC capture, so the same bytes give the same text either way.
"""

from __future__ import annotations

import contextvars
import ipaddress
import logging
import random
import socket
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

import httpcore
import httpx

from wirewatch import __version__
from wirewatch.collect.compression import ACCEPT_ENCODING, decoded
from wirewatch.collect.robots import RobotsCache
from wirewatch.errors import (
    ConfigError,
    FetchError,
    FetchRefused,
    FetchTimeout,
    NetworkError,
    ResponseTooLarge,
    TooManyRedirects,
    UnwantedContent,
)
from wirewatch.ingest.decode import BOMS, decode_body, split_content_type

__all__ = [
    "ACCEPTED_TYPES",
    "DEFAULT_USER_AGENT",
    "FetchOptions",
    "FetchResult",
    "Fetcher",
    "check_address",
    "guarded_transport",
]

log = logging.getLogger("wirewatch.fetch")

DEFAULT_USER_AGENT = f"wirewatch/{__version__} (self-hosted news archive)"

#: Media types the collector reads: pages, feeds and other XML, plain text.
ACCEPTED_TYPES = frozenset(
    {
        "text/html",
        "application/xhtml+xml",
        "application/rss+xml",
        "application/atom+xml",
        "application/rdf+xml",
        "application/xml",
        "text/xml",
        "text/plain",
    }
)

_ACCEPT = (
    "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,application/xml;q=0.9,text/plain;q=0.8"
)
_REDIRECTS = frozenset({301, 302, 303, 307, 308})


@dataclass(frozen=True)
class FetchOptions:
    """How the collector fetches: who it says it is, its time and size bounds, its retries."""

    user_agent: str = DEFAULT_USER_AGENT
    connect_timeout: float = 10.0
    read_timeout: float = 30.0
    #: Seconds for one whole answer, so a slow drip of bytes cannot hold a worker forever.
    max_time: float = 120.0
    max_bytes: int = 10 * 1024 * 1024
    max_redirects: int = 5
    retries: int = 3
    backoff: float = 1.0
    backoff_cap: float = 60.0
    allow_private: bool = False
    robots: bool = True

    def __post_init__(self) -> None:
        for name in ("connect_timeout", "read_timeout", "max_time", "max_bytes"):
            if getattr(self, name) <= 0:
                raise ConfigError(f"fetch option {name} must be positive, not {getattr(self, name)}")
        for name in ("max_redirects", "retries", "backoff", "backoff_cap"):
            if getattr(self, name) < 0:
                raise ConfigError(f"fetch option {name} cannot be negative, not {getattr(self, name)}")
        if not self.user_agent.strip():
            raise ConfigError("fetch option user_agent cannot be empty")


@dataclass(frozen=True)
class FetchResult:
    """One HTTP answer. ``text`` is "" for a 304, for a 429/5xx (whose body is not read) and for
    a body that is neither a page, a feed nor text; ``content_type`` is the media type alone
    (sniffed as text/html or application/xml when the header was missing); ``attempts``
    counts the tries of the last URL requested; ``redirects`` lists each URL a redirect led
    to, the last being ``final_url``."""

    url: str
    final_url: str
    status: int
    content: bytes
    text: str
    charset: str | None
    content_type: str | None
    etag: str | None
    last_modified: str | None
    not_modified: bool
    elapsed: float
    attempts: int
    redirects: tuple[str, ...]


class Fetcher:
    """Fetches URLs with one connection pool; safe to share between threads. Close it (or use
    it as a context manager) when done.

    ``sleep`` is called for every wait (backoff, politeness), so tests can record them.
    A ``transport`` replaces the network (an ``httpx.MockTransport`` in tests); the address
    check then happens only before each request, not as the connection opens. Proxies from
    the environment are not used: the address check needs to know where it connects.
    """

    def __init__(
        self,
        options: FetchOptions | None = None,
        *,
        sleep: Callable[[float], object] = time.sleep,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.options = options or FetchOptions()
        self._sleep = sleep
        self._client = httpx.Client(
            transport=transport or _GuardedTransport(),
            # Only the codings ``decoded`` undoes in bounded steps are asked for.
            headers={"User-Agent": self.options.user_agent, "Accept": _ACCEPT, "Accept-Encoding": ACCEPT_ENCODING},
            timeout=httpx.Timeout(self.options.read_timeout, connect=self.options.connect_timeout),
            follow_redirects=False,
            trust_env=False,
        )
        self._robots = RobotsCache(self.options.user_agent)
        self._hosts: dict[str, _Host] = {}
        self._hosts_lock = threading.Lock()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        self._client.close()

    def fetch(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        allow_private: bool | None = None,
        delay: float = 0.0,
    ) -> FetchResult:
        """The answer for ``url``, redirects followed; a 304 when ``etag``/``last_modified``
        still match. ``allow_private`` overrides the options for this call; ``delay`` is the
        least time between the starts of two requests to one host.

        Raises FetchRefused, FetchTimeout, NetworkError, TooManyRedirects, ResponseTooLarge
        or UnwantedContent when there is no answer to return.
        """
        started = time.monotonic()
        call = _Call(etag, last_modified, self.options.allow_private if allow_private is None else allow_private, delay)
        try:
            result = self._follow(url, call, started, robots=self.options.robots, any_type=False)
        except FetchError as error:
            fields = {"url": url, "status": None, "elapsed": time.monotonic() - started, "attempts": call.attempts}
            log.warning("fetch failed: %s", error, extra={**fields, "outcome": error.outcome})
            raise
        fields = {"url": url, "status": result.status, "elapsed": result.elapsed, "attempts": result.attempts}
        log.info(
            "fetched %s %s",
            result.status,
            url,
            extra={**fields, "outcome": "not_modified" if result.not_modified else "ok"},
        )
        return result

    def _follow(self, url: str, call: _Call, started: float, *, robots: bool, any_type: bool) -> FetchResult:
        chain = [url]
        while True:
            current = chain[-1]
            self._admit(current, call, robots=robots)
            answer = self._request(current, call, any_type=any_type)
            location = answer.headers.get("location")
            if answer.status not in _REDIRECTS or not location:
                return _result(url, current, answer, call, tuple(chain[1:]), time.monotonic() - started, any_type)
            try:
                target = str(httpx.URL(current).join(location).copy_with(fragment=None))
            except httpx.InvalidURL:
                raise FetchError(url, f"redirect to an unusable URL: {location!r}") from None
            if target in chain:
                raise TooManyRedirects(url, "redirect loop: " + " -> ".join([*chain, target]))
            chain.append(target)
            if len(chain) - 1 > self.options.max_redirects:
                raise TooManyRedirects(url, f"more than {self.options.max_redirects} redirects: " + " -> ".join(chain))

    def _admit(self, url: str, call: _Call, *, robots: bool) -> None:
        """Raises FetchRefused unless policy lets ``url`` be requested."""
        try:
            parsed = httpx.URL(url)
        except httpx.InvalidURL as error:
            raise FetchRefused(url, f"not a usable URL ({error})") from None
        if parsed.scheme not in ("http", "https"):
            raise FetchRefused(url, f"only http and https URLs are fetched, not {parsed.scheme or 'scheme-less'} ones")
        if not parsed.raw_host:
            raise FetchRefused(url, "the URL has no host")
        if not call.allow_private:
            check_address(url, parsed)
        if robots and not self._robots.allows(url, lambda robots_url: self._load_robots(robots_url, call)):
            raise FetchRefused(url, "disallowed by the site's robots.txt")

    def _load_robots(self, robots_url: str, call: _Call) -> tuple[int, str]:
        result = self._follow(
            robots_url,
            _Call(None, None, call.allow_private, call.delay),
            time.monotonic(),
            robots=False,
            any_type=True,
        )
        return result.status, result.text

    def _request(self, url: str, call: _Call, *, any_type: bool) -> _Answer:
        """One URL's answer, retried on timeouts, connection errors, 429 and 5xx, while
        holding its host's turn so nothing else of this Fetcher asks that host meanwhile."""
        headers = {}
        if call.etag:
            headers["If-None-Match"] = call.etag
        if call.last_modified:
            headers["If-Modified-Since"] = call.last_modified
        host = self._host(httpx.URL(url).host)
        options = self.options
        with host.lock:
            for attempt in range(options.retries + 1):
                call.attempts = attempt + 1
                last = attempt == options.retries
                host.wait_turn(call.delay, self._sleep)
                try:
                    answer = self._attempt(url, headers, call.allow_private, any_type=any_type)
                except httpx.TimeoutException:
                    if last:
                        raise FetchTimeout(url, f"no answer in time, after {call.attempts} attempts") from None
                    retry_after = ""
                except httpx.TransportError as error:
                    if last:
                        raise NetworkError(
                            url, f"{error or type(error).__name__}, after {call.attempts} attempts"
                        ) from None
                    retry_after = ""
                except httpx.HTTPError as error:  # an answer that cannot be read, such as a broken gzip stream
                    raise NetworkError(url, f"unreadable answer ({error or type(error).__name__})") from None
                else:
                    if last or not (answer.status == 429 or answer.status >= 500):
                        return answer
                    retry_after = answer.headers.get("retry-after", "").strip()  # seconds; an HTTP date is not honoured
                if retry_after and retry_after.isdigit():
                    self._sleep(min(float(retry_after), options.backoff_cap))
                else:
                    # Full jitter: clients that failed together do not come back together.
                    self._sleep(random.uniform(0, min(options.backoff_cap, options.backoff * 2.0 ** min(attempt, 32))))
        raise AssertionError("unreachable: the last attempt returns or raises")

    def _attempt(self, url: str, headers: dict[str, str], allow_private: bool, *, any_type: bool) -> _Answer:
        token = _allow_private.set(allow_private)
        try:
            started = time.monotonic()
            with self._client.stream("GET", url, headers=headers) as response:
                status = response.status_code
                if status in _REDIRECTS or status in (304, 429) or status >= 500:
                    return _Answer(status, response.headers, b"")
                media, _ = split_content_type(response.headers.get("content-type"))
                if 200 <= status < 300 and not any_type and media is not None and media not in ACCEPTED_TYPES:
                    raise UnwantedContent(url, f"the content type {media} is not a page, a feed or text")
                content = self._read(url, response, started)
        except _Refused as error:
            raise FetchRefused(url, str(error)) from None
        finally:
            _allow_private.reset(token)
        if 200 <= status < 300 and not any_type and media is None and _sniff(content) is None:
            raise UnwantedContent(url, "no content type, and the body does not look like HTML or XML")
        return _Answer(status, response.headers, content)

    def _read(self, url: str, response: httpx.Response, started: float) -> bytes:
        """The body, read in chunks and inflated a bounded step at a time, so memory stays
        bounded by ``max_bytes`` on the wire and after decompression alike. Raises
        httpx.DecodingError for a coding that cannot be undone or a corrupt stream."""
        limit = self.options.max_bytes
        length = response.headers.get("content-length", "").strip()
        if length.isdigit() and int(length) > limit:
            raise ResponseTooLarge(url, f"the answer announces {int(length)} bytes, over the limit of {limit}")
        coding = response.headers.get("content-encoding", "identity").strip() or "identity"
        chunks: list[bytes] = []
        size = 0
        for chunk in decoded(self._received(url, response, started), coding):
            size += len(chunk)
            if size > limit:
                raise ResponseTooLarge(
                    url,
                    f"the answer, decompressed ({coding}), passed the limit of {limit} bytes; reading stopped there",
                )
            chunks.append(chunk)
        return b"".join(chunks)

    def _received(self, url: str, response: httpx.Response, started: float) -> Iterator[bytes]:
        """The body's bytes as they arrive, before any decompression, within ``max_bytes``
        and ``max_time``."""
        limit = self.options.max_bytes
        deadline = started + self.options.max_time
        size = 0
        for chunk in response.iter_raw():
            size += len(chunk)
            if size > limit:
                raise ResponseTooLarge(url, f"the answer passed the limit of {limit} bytes; reading stopped there")
            # A drip that never pauses long enough for the read timeout is caught here.
            if time.monotonic() > deadline:
                raise FetchTimeout(url, f"the answer took longer than {self.options.max_time:g} s (max_time)")
            yield chunk

    def _host(self, name: str) -> _Host:
        with self._hosts_lock:
            return self._hosts.setdefault(name, _Host())


@dataclass
class _Call:
    """What one fetch call asked for, and how many tries its current URL has taken."""

    etag: str | None
    last_modified: str | None
    allow_private: bool
    delay: float
    attempts: int = 0


@dataclass(frozen=True)
class _Answer:
    status: int
    headers: httpx.Headers
    content: bytes


class _Host:
    """One host's turn: a lock held for a request and its retries, and when the last began."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.last_start: float | None = None

    def wait_turn(self, delay: float, sleep: Callable[[float], object]) -> None:
        if self.last_start is not None and delay > 0:
            wait = self.last_start + delay - time.monotonic()
            if wait > 0:
                sleep(wait)
        self.last_start = time.monotonic()


def _result(
    url: str,
    final_url: str,
    answer: _Answer,
    call: _Call,
    redirects: tuple[str, ...],
    elapsed: float,
    any_type: bool,
) -> FetchResult:
    media, header_charset = split_content_type(answer.headers.get("content-type"))
    if media is None and answer.content:
        media = _sniff(answer.content)
    text, charset = "", None
    if answer.content and (any_type or media in ACCEPTED_TYPES):
        text, charset = decode_body(answer.content, header_charset)
    return FetchResult(
        url=url,
        final_url=final_url,
        status=answer.status,
        content=answer.content,
        text=text,
        charset=charset,
        content_type=media,
        etag=answer.headers.get("etag"),
        last_modified=answer.headers.get("last-modified"),
        not_modified=answer.status == 304,
        elapsed=elapsed,
        attempts=call.attempts,
        redirects=redirects,
    )


def _sniff(content: bytes) -> str | None:
    """application/xml or text/html when the body starts with ``<`` (after a BOM and
    whitespace), else None."""
    head = content[:512]
    for bom, name in BOMS:
        if head.startswith(bom):
            text = head[len(bom) :].decode(name, "ignore").lstrip()
            break
    else:
        text = head.decode("latin-1").lstrip()
    if not text.startswith("<"):
        return None
    return "application/xml" if text.startswith("<?xml") else "text/html"


# --- addresses: the policy on where a connection may go ---

#: Whether the request this thread is making may connect to a private address.
_allow_private: contextvars.ContextVar[bool] = contextvars.ContextVar("wirewatch_fetch_allow_private", default=False)


class _Refused(Exception):
    """A host resolved to an address policy refuses; becomes FetchRefused with the URL."""


def check_address(url: str, parsed: httpx.URL | None = None) -> None:
    """Raises FetchRefused when the host of ``url`` (an http(s) URL with a host) is, or
    resolves to, an address that is not public; NetworkError when it does not resolve.
    The check before a request: the guarded transport checks again as it connects."""
    parsed = parsed or httpx.URL(url)
    host = parsed.raw_host.decode("ascii")
    try:
        _checked_addresses(host, parsed.port or (443 if parsed.scheme == "https" else 80), allow_private=False)
    except _Refused as error:
        raise FetchRefused(url, str(error)) from None
    except (OSError, UnicodeError) as error:
        raise NetworkError(url, f"cannot resolve {host} ({error})") from None


def guarded_transport(*, allow_private: bool = False) -> httpx.BaseTransport:
    """The collector's transport for another client (the alerts' webhooks): it connects
    only to addresses it resolved and checked itself, public ones unless ``allow_private``.
    A refused address raises before any connection is opened; give the client
    ``trust_env=False``, as a proxy would hide where it connects."""
    return _GuardedTransport(allow_private=allow_private)


def _checked_addresses(host: str, port: int, *, allow_private: bool) -> list[str]:
    """The addresses ``host`` resolves to. Raises _Refused when any is not public and private
    ones are not allowed, OSError when the name does not resolve."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))
    if not allow_private:
        for address in addresses:
            if not _public(address):
                raise _Refused(f"{host} resolves to {address}, a private or reserved address")
    return addresses


def _public(address: str) -> bool:
    ip = ipaddress.ip_address(address.partition("%")[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not (
        ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_reserved or ip.is_multicast or ip.is_unspecified
    )


class _GuardedBackend(httpcore.SyncBackend):
    """Opens connections only to addresses it has itself resolved and checked: the check and
    the connection use the same lookup, which closes the DNS-rebinding gap. With
    ``allow_private`` None, the request's own policy (``_allow_private``) decides."""

    def __init__(self, allow_private: bool | None = None) -> None:
        self._allow_private = allow_private

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        try:
            allowed = _allow_private.get() if self._allow_private is None else self._allow_private
            addresses = _checked_addresses(host, port, allow_private=allowed)
        except (OSError, UnicodeError) as error:
            raise httpcore.ConnectError(f"cannot resolve {host} ({error})") from error
        failure: Exception = httpcore.ConnectError(f"{host} has no address")
        for address in addresses:
            try:
                return super().connect_tcp(address, port, timeout, local_address, socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as error:
                failure = error
        raise failure


class _GuardedTransport(httpx.HTTPTransport):
    """httpx's own transport, connecting through _GuardedBackend. A pooled connection is
    reused only for the same scheme, host and port, so it was checked when it opened."""

    def __init__(self, *, allow_private: bool | None = None) -> None:
        ssl_context = httpx.create_ssl_context()
        super().__init__(verify=ssl_context, trust_env=False)
        # httpx takes no network backend, so its pool is replaced by one built the same way.
        if not isinstance(getattr(self, "_pool", None), httpcore.ConnectionPool):
            raise RuntimeError("this httpx keeps its connection pool elsewhere: wirewatch.collect.fetch needs updating")
        self._pool = httpcore.ConnectionPool(
            ssl_context=ssl_context,
            max_connections=100,
            max_keepalive_connections=20,
            keepalive_expiry=5.0,
            network_backend=_GuardedBackend(allow_private),
        )
