"""robots.txt (RFC 9309): fetched once per origin, cached for an hour, asked before each URL.

``urllib.robotparser`` reads the file (groups, user-agent lines); the matching follows the
RFC where the standard library does not: ``*`` and ``$`` in paths, and the longest
matching rule wins (``Allow`` on a tie) instead of the first one written.
"""

from __future__ import annotations

import re
import threading
import time
import urllib.parse
import urllib.robotparser
from collections.abc import Callable
from dataclasses import dataclass

from wirewatch.errors import FetchError, TooManyRedirects

#: How long one robots.txt answer is trusted, in seconds (RFC 9309 asks for at most 24 hours).
ROBOTS_TTL = 3600.0

#: Fetches a robots.txt URL: its status and text, or a FetchError when no answer came.
RobotsLoader = Callable[[str], tuple[int, str]]


@dataclass(frozen=True)
class _Rule:
    length: int
    allow: bool
    pattern: re.Pattern[str]


class RobotsRules:
    """What one robots.txt allows, for one user agent."""

    def __init__(self, rules: list[_Rule] | None, *, allow_all: bool = False) -> None:
        self._rules = rules or []
        self._allow_all = allow_all

    @classmethod
    def everything(cls) -> RobotsRules:
        return cls(None, allow_all=True)

    @classmethod
    def nothing(cls) -> RobotsRules:
        return cls([_Rule(0, False, re.compile(""))])

    @classmethod
    def parse(cls, text: str, user_agent: str) -> RobotsRules:
        """The rules of the first group naming ``user_agent``'s product token, else of ``*``."""
        parser = urllib.robotparser.RobotFileParser()
        parser.parse(text.splitlines())
        # The parsed groups: attributes of RobotFileParser that typeshed leaves out.
        parsed = vars(parser)
        group = next((entry for entry in parsed["entries"] if entry.applies_to(user_agent)), parsed["default_entry"])
        if group is None:
            return cls.everything()
        return cls([_compile(line.path, line.allowance) for line in group.rulelines])

    def allows(self, url: str) -> bool:
        """True when the longest rule matching the URL's path and query allows it (or none matches)."""
        if self._allow_all:
            return True
        target = _target(url)
        best: _Rule | None = None
        for rule in self._rules:
            if rule.pattern.match(target) and (best is None or (rule.length, rule.allow) > (best.length, best.allow)):
                best = rule
        return best is None or best.allow


def _compile(path: str, allow: bool) -> _Rule:
    # robotparser has already percent-quoted the path, so "*" and "$" arrive as %2A and %24.
    anchored = path.endswith("%24")
    if anchored:
        path = path[: -len("%24")]
    pattern = ".*".join(re.escape(part) for part in path.split("%2A"))
    return _Rule(len(path), allow, re.compile(pattern + ("$" if anchored else "")))


def _target(url: str) -> str:
    # Quoted the way robotparser quotes rule paths ("?" too), so the two compare byte for byte.
    parts = urllib.parse.urlparse(urllib.parse.unquote(url))
    return urllib.parse.quote(urllib.parse.urlunparse(("", "", parts.path or "/", parts.params, parts.query, "")))


def robots_url(url: str) -> str:
    """The robots.txt URL for ``url``'s scheme, host and port."""
    parts = urllib.parse.urlsplit(url)
    return f"{parts.scheme.lower()}://{parts.netloc.rpartition('@')[2].lower()}/robots.txt"


class _Origin:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.rules: RobotsRules | None = None
        self.loaded_at = 0.0


class RobotsCache:
    """robots.txt rules per origin, each loaded once per ``ttl``; safe to share between threads.

    The answer decides (RFC 9309, 2.3.1): 2xx, the file's rules; 4xx, everything allowed
    (429 aside: that is an overloaded server, treated like a 5xx); 5xx or no answer,
    nothing allowed until the entry expires; more redirects than the fetcher follows,
    everything allowed (the RFC's "unavailable").
    """

    def __init__(
        self, user_agent: str, *, ttl: float = ROBOTS_TTL, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._user_agent = user_agent
        self._ttl = ttl
        self._clock = clock
        self._lock = threading.Lock()
        self._origins: dict[str, _Origin] = {}

    def allows(self, url: str, load: RobotsLoader) -> bool:
        """True when ``url``'s robots.txt lets this user agent fetch it; ``load`` fetches the
        file when the cache has no fresh copy (at most one load per origin at a time)."""
        return self.rules(robots_url(url), load).allows(url)

    def rules(self, robots: str, load: RobotsLoader) -> RobotsRules:
        """The rules in the robots.txt at ``robots``, from the cache while fresh."""
        with self._lock:
            origin = self._origins.setdefault(robots, _Origin())
        with origin.lock:
            if origin.rules is None or self._clock() - origin.loaded_at >= self._ttl:
                origin.rules = self._load(robots, load)
                origin.loaded_at = self._clock()
            return origin.rules

    def _load(self, robots: str, load: RobotsLoader) -> RobotsRules:
        try:
            status, text = load(robots)
        except TooManyRedirects:
            return RobotsRules.everything()
        except FetchError:
            return RobotsRules.nothing()
        if 200 <= status < 300:
            return RobotsRules.parse(text, self._user_agent)
        if 400 <= status < 500 and status != 429:
            return RobotsRules.everything()
        return RobotsRules.nothing()
