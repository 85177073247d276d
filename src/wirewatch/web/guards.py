"""What protects the forms that write: a rate limit per client, a same-origin check, and
an outbox that does a form's slow work (mail) after the answer has gone.

All three are in-process: a server run with ``--workers N`` keeps N of each, so the rate
limit a client meets is per worker process (N times the figure at most).
"""

from __future__ import annotations

import ipaddress
import logging
import math
import queue
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable
from urllib.parse import urlsplit

from starlette.requests import Request

log = logging.getLogger("wirewatch.web")

__all__ = ["Outbox", "RateLimiter", "client_address", "cross_site", "loopback"]


class RateLimiter:
    """At most ``limit`` hits per key in any ``window`` seconds (a sliding window).

    Keeps the hits of at most ``max_keys`` keys, forgetting the least recently seen
    first, so a flood of new addresses cannot grow it without end.
    """

    def __init__(self, limit: int, window: float, *, max_keys: int = 100_000) -> None:
        self.limit = limit
        self.window = window
        self.max_keys = max_keys
        self._hits: OrderedDict[str, deque[float]] = OrderedDict()
        self._lock = threading.Lock()

    def hit(self, key: str, now: float | None = None) -> float:
        """Count a hit for ``key``: 0.0 when allowed, else the seconds until the next one is."""
        now = time.monotonic() if now is None else now
        with self._lock:
            hits = self._hits.get(key)
            if hits is None:
                hits = self._hits[key] = deque()
                while len(self._hits) > self.max_keys:
                    self._hits.popitem(last=False)
            else:
                self._hits.move_to_end(key)
            while hits and hits[0] <= now - self.window:
                hits.popleft()
            if len(hits) >= self.limit:
                return max(hits[0] + self.window - now, 0.001)
            hits.append(now)
            return 0.0


def loopback(host: str) -> bool:
    """A host that is this machine (a reverse proxy in front of the server, a demo)."""
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


def client_address(request: Request) -> str:
    """Who sent the request: the peer's address, or, when the peer is this machine (a
    reverse proxy such as Caddy or nginx in front), the last address the proxy added to
    ``X-Forwarded-For``. A client cannot forge it from outside: the proxy appends the
    address it saw, and only the last entry is read."""
    peer = request.client.host if request.client else ""
    if loopback(peer):
        forwarded = request.headers.get("x-forwarded-for", "")
        last = forwarded.rsplit(",", 1)[-1].strip()
        if last:
            return last
    return peer or "unknown"


def cross_site(request: Request, base_url: str = "") -> bool:
    """True when a browser sent this request from a page of another site (cross-site
    request forgery), by the headers every current browser sends with a form:
    ``Sec-Fetch-Site``, else ``Origin``, compared with the request's own host and
    ``base_url``'s. A request with neither (curl, a mail provider's one-click POST) is
    not a browser's cross-site request and passes."""
    site = request.headers.get("sec-fetch-site")
    if site is not None:
        return site.strip().lower() not in ("same-origin", "none")
    origin = request.headers.get("origin")
    if origin is None:
        return False
    if origin.strip().lower() == "null":
        return True
    allowed = {request.headers.get("host", "").lower()}
    if base_url:
        allowed.add(urlsplit(base_url).netloc.lower())
    try:
        return urlsplit(origin.strip()).netloc.lower() not in allowed
    except ValueError:
        return True


def retry_minutes(seconds: float) -> int:
    """A wait as whole minutes for a page: at least one."""
    return max(1, math.ceil(seconds / 60))


class Outbox:
    """Jobs run one after another in a thread of their own, so that a form's answer goes
    out at once and takes the same time whatever the job then finds (a known address or
    a new one) and however slow the mail server is.

    The thread starts with the first job and ends when the box has been empty for
    ``idle`` seconds. At most ``capacity`` jobs wait; more are refused and logged.
    """

    def __init__(self, *, capacity: int = 1000, idle: float = 2.0) -> None:
        self._jobs: queue.Queue[Callable[[], None]] = queue.Queue(maxsize=capacity)
        self._idle = idle
        self._worker: threading.Thread | None = None
        self._lock = threading.Lock()

    def put(self, job: Callable[[], None]) -> bool:
        """Queue ``job``; False (and a warning logged) when the box is full."""
        with self._lock:
            try:
                self._jobs.put_nowait(job)
            except queue.Full:
                log.warning("outbox full: a job was dropped", extra={"job": getattr(job, "__name__", repr(job))})
                return False
            if self._worker is None:
                self._worker = threading.Thread(target=self._run, name="wirewatch-outbox", daemon=True)
                self._worker.start()
            return True

    def join(self, timeout: float = 10.0) -> bool:
        """Wait until every queued job has run; False if ``timeout`` passed first."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._jobs.unfinished_tasks == 0:
                return True
            time.sleep(0.01)
        return self._jobs.unfinished_tasks == 0

    def _run(self) -> None:
        while True:
            try:
                job = self._jobs.get(timeout=self._idle)
            except queue.Empty:
                with self._lock:
                    if self._jobs.empty():
                        self._worker = None
                        return
                continue
            try:
                job()
            except Exception:
                log.exception("outbox job failed", extra={"job": getattr(job, "__name__", repr(job))})
            finally:
                self._jobs.task_done()
