"""What one server process keeps between requests: scans of the archive for a short while, and values made once on first use."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any, Generic, TypeVar

T = TypeVar("T")


class Memo:
    """Figures that cost a scan of the archive (counts by source, by month), kept a short while.

    An import in another process shows on the pages within ``ttl`` seconds. When a value
    is stale, one request recomputes it while the others keep getting the old one, so a
    busy server never runs the same scan on every thread at once.
    """

    def __init__(self, ttl: float = 30.0) -> None:
        self.ttl = ttl
        self._values: dict[object, tuple[float, Any]] = {}
        self._refreshing: set[object] = set()
        self._lock = threading.Lock()

    def get(self, key: object, compute: Callable[[], T]) -> T:
        now = time.monotonic()
        with self._lock:
            hit = self._values.get(key)
            if hit is not None and (now - hit[0] < self.ttl or key in self._refreshing):
                cached: T = hit[1]
                return cached
            self._refreshing.add(key)
        try:
            value = compute()
            with self._lock:
                self._values[key] = (time.monotonic(), value)
            return value
        finally:
            with self._lock:
                self._refreshing.discard(key)


class Lazy(Generic[T]):
    """A value made on first use, once, whichever thread asks first (the actor data:
    a server that never shows an entity never reads it)."""

    def __init__(self, make: Callable[[], T]) -> None:
        self._make = make
        self._value: T | None = None
        self._lock = threading.Lock()

    def get(self) -> T:
        with self._lock:
            if self._value is None:
                self._value = self._make()
            return self._value
