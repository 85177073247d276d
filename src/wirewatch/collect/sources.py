"""Sources as configuration: the outlets wirewatch collects from, declared in TOML.

The format is documented in docs/sources.md. ``load_sources`` reads and checks a file and
reports every problem at once (one ConfigError, a line each, naming the file, the source
and the field); ``save_sources`` writes profiles back, atomically, leaving defaults out;
``builtin_profiles`` gives the shipped profiles (data/sources/dprk.toml); ``import_opml``
turns a feed reader's export into profiles. Pure: no database, no network.
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
import tomllib
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from importlib.resources import files
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

import tomli_w

from wirewatch.config import checks as check
from wirewatch.errors import ConfigError
from wirewatch.models import DateOrder

__all__ = [
    "EntryKind",
    "EntryPoint",
    "Selectors",
    "SourceProfile",
    "builtin_profiles",
    "format_interval",
    "import_opml",
    "load_sources",
    "parse_interval",
    "profile_table",
    "save_sources",
    "source_from_table",
]

EntryKind = Literal["feed", "sitemap", "index"]
#: The TOML key listing each kind of entry point, in the order a profile keeps them.
ENTRY_KEYS: dict[EntryKind, str] = {"feed": "feeds", "sitemap": "sitemaps", "index": "index_pages"}

DEFAULT_INTERVAL = dt.timedelta(hours=6)
DEFAULT_DELAY = 5.0
DEFAULT_MISSING_AFTER = 3
DEFAULT_MAX_ARTICLES = 200

HEADER = """\
# The sources wirewatch collects from: one [sources."NAME"] table per outlet.
# Every field and its default: docs/sources.md. `wirewatch source add`, `remove` and
# `import-opml` rewrite this file and keep only this header: put remarks in `notes`.

"""


@dataclass(frozen=True, slots=True)
class EntryPoint:
    """Where a crawl starts. ``index``: an HTML page whose article links match
    ``link_pattern`` (a regex searched in each link's absolute URL); for a ``sitemap`` the
    pattern, if any, filters its URLs; a ``feed`` takes none."""

    kind: EntryKind
    url: str
    link_pattern: str | None = None


@dataclass(frozen=True, slots=True)
class Selectors:
    """CSS selectors for a page the generic extractor reads wrongly."""

    title: str | None = None
    date: str | None = None
    body: str | None = None


@dataclass(frozen=True, slots=True)
class SourceProfile:
    """One outlet: where to start, how often and how politely to crawl it.

    Entry points are kept feeds first, then sitemaps, then index pages (each kind in the
    order given), as the file lists them; empty selectors are ``None``.
    """

    name: str
    homepage: str | None
    entry_points: tuple[EntryPoint, ...]
    languages: tuple[str, ...] = ()
    date_order: DateOrder | None = None
    selectors: Selectors | None = None
    interval: dt.timedelta = DEFAULT_INTERVAL
    delay: float = DEFAULT_DELAY  # seconds between two requests to one host
    enabled: bool = True
    allow_private: bool = False  # may reach loopback and private addresses (tests, intranets)
    missing_after: int = DEFAULT_MISSING_AFTER  # crawls absent from the index before "deleted"
    max_articles: int = DEFAULT_MAX_ARTICLES  # new article pages fetched per crawl at most
    needs_confirmation: bool = False
    notes: str = ""

    def __post_init__(self) -> None:
        rank = list(ENTRY_KEYS)
        ordered = sorted(self.entry_points, key=lambda e: rank.index(e.kind) if e.kind in rank else len(rank))
        object.__setattr__(self, "entry_points", tuple(ordered))
        object.__setattr__(self, "languages", tuple(self.languages))
        if self.selectors == Selectors():
            object.__setattr__(self, "selectors", None)


def parse_interval(value: object, what: str = "--interval") -> dt.timedelta:
    """A crawl interval from ``"6h"``-style text or seconds; ConfigError naming ``what`` if bad."""
    try:
        return check.duration(value)
    except ValueError as exc:
        raise ConfigError(f"{what} {check.show(value)}: {exc}") from None


def format_interval(interval: dt.timedelta) -> str:
    """The interval as the file writes it: ``"90m"``, ``"6h"``, ``"1d"``."""
    return check.format_duration(interval)


# --- reading and checking ----------------------------------------------------------------

_SOURCE_KEYS = (
    "homepage",
    *ENTRY_KEYS.values(),
    "languages",
    "date_order",
    "selectors",
    "interval",
    "delay",
    "enabled",
    "allow_private",
    "missing_after",
    "max_articles",
    "needs_confirmation",
    "notes",
)


class _Problems:
    """Every problem found in one file, raised together, a line each."""

    def __init__(self, origin: str) -> None:
        self.origin = origin
        self.lines: list[str] = []

    def add(self, *parts: str) -> None:
        self.lines.append(": ".join((self.origin, *parts)))

    def raise_any(self) -> None:
        if self.lines:
            raise ConfigError("\n".join(self.lines))


_CHECKS = {
    "homepage": check.http_url,
    "languages": check.language_codes,
    "date_order": check.date_order,
    "interval": check.duration,
    "delay": check.seconds,
    "enabled": check.flag,
    "allow_private": check.flag,
    "missing_after": check.count,
    "max_articles": check.count,
    "needs_confirmation": check.flag,
    "notes": check.text,
}


def _name_problem(name: str) -> str | None:
    if not name.strip():
        return "the name is empty"
    if name != name.strip() or check.CONTROL.search(name):
        return "the name must not start or end with spaces or hold control characters"
    return None


def _entry_points(kind: EntryKind, items: object, where: str, problems: _Problems) -> list[EntryPoint]:
    key = ENTRY_KEYS[kind]
    if not isinstance(items, list):
        problems.add(where, f'{key}: expected a list, such as {key} = ["https://example.org/..."]')
        return []
    found: list[EntryPoint] = []
    for number, item in enumerate(items, 1):
        label = f"{key} entry {number}"
        table = {"url": item} if isinstance(item, str) else item
        if not isinstance(table, dict):
            problems.add(where, label, "expected a URL or a table {url = ..., link_pattern = ...}")
            continue
        for extra in sorted(set(table) - {"url", "link_pattern"}):
            problems.add(where, label, check.unknown_key(extra, ("url", "link_pattern")))
        url, pattern, ok = table.get("url"), table.get("link_pattern"), True
        try:
            check.http_url(url)
        except ValueError as exc:
            problems.add(where, label, f"url {check.show(url)}: {exc}" if url is not None else "url: required")
            ok = False
        if kind == "feed" and pattern is not None:
            problems.add(where, label, "link_pattern: a feed takes none (every item of a feed is an article)")
            ok = False
        elif kind == "index" and pattern is None:
            problems.add(
                where, label, "link_pattern: required for an index page (a regular expression its article links match)"
            )
            ok = False
        elif pattern is not None:
            try:
                check.regex(pattern)
            except ValueError as exc:
                problems.add(where, label, f"link_pattern {check.show(pattern)}: {exc}")
                ok = False
        if ok and any(e.url == url for e in found):
            problems.add(where, label, f"url {check.show(url)}: listed twice")
        elif ok:
            found.append(EntryPoint(kind, url, pattern))  # type: ignore[arg-type]
    return found


def _selectors(value: object, where: str, problems: _Problems) -> Selectors | None:
    if not isinstance(value, dict):
        problems.add(where, "selectors: expected a table of title, date and body CSS selectors")
        return None
    for extra in sorted(set(value) - {"title", "date", "body"}):
        problems.add(where, "selectors", check.unknown_key(extra, ("title", "date", "body")))
    checked: dict[str, str] = {}
    for key in ("title", "date", "body"):
        if key in value:
            try:
                checked[key] = check.css_selector(value[key])
            except ValueError as exc:
                problems.add(where, f"selectors.{key} {check.show(value[key])}: {exc}")
    return Selectors(**checked)


def _source(
    name: str, table: object, problems: _Problems, *, label: str = "source", require_entry_points: bool = True
) -> SourceProfile | None:
    where = f"{label} {name!r}"
    if not isinstance(table, dict):
        problems.add(where, f'expected a table: [sources."{name}"] with its fields below it')
        return None
    before = len(problems.lines)
    if (problem := _name_problem(name)) is not None:
        problems.add(where, problem)
    for key in table:
        if key not in _SOURCE_KEYS:
            problems.add(where, check.unknown_key(key, _SOURCE_KEYS))
    values: dict[str, Any] = {}
    for key, validate in _CHECKS.items():
        if key in table:
            try:
                values[key] = validate(table[key])
            except ValueError as exc:
                problems.add(where, f"{key} {check.show(table[key])}: {exc}")
    entry_points = [
        entry
        for kind, key in ENTRY_KEYS.items()
        if key in table
        for entry in _entry_points(kind, table[key], where, problems)
    ]
    if require_entry_points and not any(table.get(key) for key in ENTRY_KEYS.values()):
        problems.add(where, "no entry point: give feeds, sitemaps or index_pages")
    if "selectors" in table:
        values["selectors"] = _selectors(table["selectors"], where, problems)
    if len(problems.lines) > before:
        return None
    return SourceProfile(name=name, homepage=values.pop("homepage", None), entry_points=tuple(entry_points), **values)


def source_from_table(name: str, table: Mapping[str, Any], origin: str) -> SourceProfile:
    """One source from its TOML table (as a ``[sources."NAME"]`` table holds it), checked as
    ``load_sources`` checks it: ConfigError naming ``origin``, the source and each field."""
    problems = _Problems(origin)
    profile = _source(name, dict(table), problems)
    problems.raise_any()
    assert profile is not None
    return profile


def _parse(document: Mapping[str, Any], origin: str) -> list[SourceProfile]:
    problems = _Problems(origin)
    for key in document:
        if key != "sources":
            problems.add(check.unknown_key(key, ("sources",)) + ' (a sources file holds [sources."NAME"] tables)')
    sources = document.get("sources", {})
    if not isinstance(sources, dict):
        problems.add('sources: expected [sources."NAME"] tables')
        sources = {}
    profiles: list[SourceProfile] = []
    seen: dict[str, str] = {}
    for name, table in sources.items():
        if (other := seen.setdefault(name.casefold(), name)) != name:
            problems.add(f"source {name!r}", f"the name is used twice (also as {other!r}; case does not count)")
        if (profile := _source(name, table, problems)) is not None:
            profiles.append(profile)
    problems.raise_any()
    return profiles


def load_sources(path: str | os.PathLike[str]) -> list[SourceProfile]:
    """The sources a file declares, in file order; a missing file declares none.

    Raises ConfigError listing every problem of the file, a line each."""
    origin = os.fspath(path)
    try:
        raw = Path(origin).read_bytes()
    except FileNotFoundError:
        return []
    except OSError as exc:
        raise ConfigError(f"{origin}: cannot read the file: {exc.strerror or exc}") from exc
    try:
        document = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{origin}: not UTF-8 text (byte {exc.start})") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{origin}: not valid TOML: {exc}") from None
    return _parse(document, origin)


# --- writing -----------------------------------------------------------------------------

_DEFAULTS = {f.name: f.default for f in fields(SourceProfile)}


def profile_table(profile: SourceProfile) -> dict[str, Any]:
    """The profile as its ``[sources."NAME"]`` table holds it, defaults left out."""
    table: dict[str, Any] = {}
    if profile.homepage is not None:
        table["homepage"] = profile.homepage
    for kind, key in ENTRY_KEYS.items():
        items = [
            e.url if e.link_pattern is None and kind != "index" else {"url": e.url, "link_pattern": e.link_pattern}
            for e in profile.entry_points
            if e.kind == kind
        ]
        if items:
            table[key] = items
    if profile.languages:
        table["languages"] = list(profile.languages)
    if profile.interval != DEFAULT_INTERVAL:
        table["interval"] = format_interval(profile.interval)
    for key in (
        "date_order",
        "delay",
        "enabled",
        "allow_private",
        "missing_after",
        "max_articles",
        "needs_confirmation",
        "notes",
    ):
        if (value := getattr(profile, key)) != _DEFAULTS[key]:
            table[key] = float(value) if key == "delay" else value
    if profile.selectors is not None:
        table["selectors"] = {
            k: v for k in ("title", "date", "body") if (v := getattr(profile.selectors, k)) is not None
        }
    return table


def save_sources(path: str | os.PathLike[str], profiles: Iterable[SourceProfile]) -> None:
    """Write the profiles to ``path`` so that ``load_sources`` gives them back equal.

    Checks them first (ConfigError as ``load_sources`` would raise: a file that cannot load
    is never written), then replaces the file atomically: a crash leaves the old one."""
    origin = os.fspath(path)
    problems = _Problems(origin)
    document: dict[str, dict[str, Any]] = {"sources": {}}
    for profile in profiles:
        if profile.name in document["sources"]:
            problems.add(f"source {profile.name!r}", "the name is used twice")
        document["sources"][profile.name] = profile_table(profile)
    problems.raise_any()
    _parse(document, origin)
    _write_atomically(Path(origin), HEADER + tomli_w.dumps(document, multiline_strings=True))


def _write_atomically(path: Path, text: str) -> None:
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    try:
        # os.open applies the umask to a new file's mode, as writing it in place would.
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        with open(descriptor, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        if path.exists():
            os.chmod(temporary, path.stat().st_mode & 0o777)
        os.replace(temporary, path)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise ConfigError(f"{path}: cannot write the file: {exc.strerror or exc}") from exc


# --- shipped profiles and OPML ------------------------------------------------------------

BUILTIN = "wirewatch/data/sources/dprk.toml"


def builtin_profiles() -> dict[str, SourceProfile]:
    """The shipped profiles by id (``kcna``, ``rodong``…). They are templates: one may lack
    entry points, to be given when it is added (``wirewatch source add --profile``)."""
    origin = BUILTIN
    document = tomllib.loads((files("wirewatch") / "data" / "sources" / "dprk.toml").read_text(encoding="utf-8"))
    problems = _Problems(origin)
    profiles: dict[str, SourceProfile] = {}
    for key in set(document) - {"profiles"}:
        problems.add(check.unknown_key(key, ("profiles",)))
    for profile_id, table in document.get("profiles", {}).items():
        table = dict(table)
        name = table.pop("name", None)
        if not isinstance(name, str):
            problems.add(f"profile {profile_id!r}", "name: required (the source name articles are filed under)")
        elif (
            profile := _source(
                name, table, problems, label=f"profile {profile_id!r}: source", require_entry_points=False
            )
        ) is not None:
            profiles[profile_id] = profile
    problems.raise_any()
    return profiles


def import_opml(path: str | os.PathLike[str]) -> list[SourceProfile]:
    """One profile per feed of an OPML file (categories flattened, a feed listed twice kept
    once), each with one feed entry point; names from the outline's title or text, made
    unique with " (2)", " (3)"…

    Raises ConfigError for a file that is not OPML, or listing every unusable feed."""
    origin = os.fspath(path)
    try:
        root = ET.parse(origin).getroot()
    except ET.ParseError as exc:
        raise ConfigError(f"{origin}: not an OPML file: {exc}") from None
    except OSError as exc:
        raise ConfigError(f"{origin}: cannot read the file: {exc.strerror or exc}") from exc
    body = root.find("body")
    if root.tag != "opml" or body is None:
        raise ConfigError(f"{origin}: not an OPML file: expected <opml> with a <body>, found <{root.tag}>")
    problems = _Problems(origin)
    profiles: list[SourceProfile] = []
    used: set[str] = set()
    feeds: set[str] = set()
    for outline in body.iter("outline"):
        feed = (outline.get("xmlUrl") or "").strip()
        if not feed or feed in feeds:
            continue  # a category, a plain note, or a feed filed under a second category
        feeds.add(feed)
        title = outline.get("title") or outline.get("text") or urlsplit(feed).hostname or feed
        name = base = " ".join(check.CONTROL.sub(" ", title).split()) or feed
        copy = 1
        while name.casefold() in used:
            copy += 1
            name = f"{base} ({copy})"
        used.add(name.casefold())
        table: dict[str, Any] = {"feeds": [feed]}
        homepage = (outline.get("htmlUrl") or "").strip()
        try:
            table["homepage"] = check.http_url(homepage)
        except ValueError:
            pass  # a missing or odd htmlUrl only loses the link to the site
        if (profile := _source(name, table, problems, label="feed")) is not None:
            profiles.append(profile)
    problems.raise_any()
    return profiles
