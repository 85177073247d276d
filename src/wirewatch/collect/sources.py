"""Sources as configuration: the outlets wirewatch collects from, declared in TOML.

The format is documented in docs/sources.md. ``load_sources`` reads and checks a file and
reports every problem at once (one ConfigError, a line each, naming the file, the source
and the field); ``save_sources`` writes profiles back, atomically, leaving defaults out;
``builtin_profiles`` gives the shipped profiles (data/sources/dprk.toml); ``import_opml``
turns a feed reader's export into profiles. Pure: no database, no network.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import secrets
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from importlib.resources import files
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import tomli_w

from wirewatch.config import values
from wirewatch.config.sources import ENTRY_KEYS, EntryKind, SourceTable, check_source, check_sources
from wirewatch.config.toml import Problems, parse_toml, read_toml, unknown_key
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
        return values.duration(value)
    except ValueError as exc:
        raise ConfigError(f"{what} {values.show(value)}: {exc}") from None


def format_interval(interval: dt.timedelta) -> str:
    """The interval as the file writes it: ``"90m"``, ``"6h"``, ``"1d"``."""
    return values.format_duration(interval)


# --- reading and checking (the schema: wirewatch.config.sources) ------------------------

#: The keys of a source's table that are the profile's fields as they are.
_PLAIN = (
    "homepage",
    "languages",
    "date_order",
    "interval",
    "delay",
    "enabled",
    "allow_private",
    "missing_after",
    "max_articles",
    "needs_confirmation",
    "notes",
)


def _profile(name: str, table: SourceTable) -> SourceProfile:
    """The profile a checked table declares; a key left out keeps the profile's default."""
    given = {key: getattr(table, key) for key in _PLAIN if getattr(table, key) is not None}
    entry_points = tuple(
        EntryPoint(kind, entry.url, entry.link_pattern)
        for kind, key in ENTRY_KEYS.items()
        for entry in getattr(table, key)
    )
    if table.selectors is not None:
        given["selectors"] = Selectors(table.selectors.title, table.selectors.date, table.selectors.body)
    return SourceProfile(name=name, homepage=given.pop("homepage", None), entry_points=entry_points, **given)


def source_from_table(name: str, table: Mapping[str, Any], origin: str) -> SourceProfile:
    """One source from its TOML table (as a ``[sources."NAME"]`` table holds it), checked as
    ``load_sources`` checks it: ConfigError naming ``origin``, the source and each field."""
    problems = Problems(origin)
    checked = check_source(name, dict(table), problems)
    problems.raise_any()
    assert checked is not None
    return _profile(name, checked)


def _parse(document: Mapping[str, Any], origin: str) -> list[SourceProfile]:
    problems = Problems(origin)
    checked = check_sources(document, problems)
    problems.raise_any()
    return [_profile(name, table) for name, table in checked]


def load_sources(path: str | os.PathLike[str]) -> list[SourceProfile]:
    """The sources a file declares, in file order; a missing file declares none.

    Raises ConfigError listing every problem of the file, a line each."""
    return _parse(read_toml(path, missing_ok=True), os.fspath(path))


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
    problems = Problems(origin)
    document: dict[str, dict[str, Any]] = {"sources": {}}
    for profile in profiles:
        if profile.name in document["sources"]:
            problems.add(f"source {profile.name!r}", "the name is used twice")
        document["sources"][profile.name] = profile_table(profile)
    problems.raise_any()
    _parse(document, origin)
    # multi-line strings read back a carriage return as a bare line break: only without one
    _write_atomically(Path(origin), HEADER + tomli_w.dumps(document, multiline_strings=not _has_return(document)))


def _has_return(value: Any) -> bool:
    """Whether a string in ``value`` (a TOML document's tables, arrays, values) holds "\\r"."""
    if isinstance(value, str):
        return "\r" in value
    if isinstance(value, dict):
        return any(_has_return(v) for v in value.values())
    if isinstance(value, list | tuple):
        return any(_has_return(v) for v in value)
    return False


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
    document = parse_toml((files("wirewatch") / "data" / "sources" / "dprk.toml").read_text(encoding="utf-8"), origin)
    problems = Problems(origin)
    profiles: dict[str, SourceProfile] = {}
    for key in set(document) - {"profiles"}:
        problems.add(unknown_key(key, ("profiles",)))
    for profile_id, table in document.get("profiles", {}).items():
        table = dict(table)
        name = table.pop("name", None)
        if not isinstance(name, str):
            problems.add(f"profile {profile_id!r}", "name: required (the source name articles are filed under)")
        elif (
            checked := check_source(
                name, table, problems, label=f"profile {profile_id!r}: source", require_entry_points=False
            )
        ) is not None:
            profiles[profile_id] = _profile(name, checked)
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
    problems = Problems(origin)
    profiles: list[SourceProfile] = []
    used: set[str] = set()
    feeds: set[str] = set()
    for outline in body.iter("outline"):
        feed = (outline.get("xmlUrl") or "").strip()
        if not feed or feed in feeds:
            continue  # a category, a plain note, or a feed filed under a second category
        feeds.add(feed)
        title = outline.get("title") or outline.get("text") or urlsplit(feed).hostname or feed
        name = base = " ".join(values.CONTROL.sub(" ", title).split()) or feed
        copy = 1
        while name.casefold() in used:
            copy += 1
            name = f"{base} ({copy})"
        used.add(name.casefold())
        table: dict[str, Any] = {"feeds": [feed]}
        homepage = (outline.get("htmlUrl") or "").strip()
        with contextlib.suppress(ValueError):  # a missing or odd htmlUrl only loses the link to the site
            table["homepage"] = values.http_url(homepage)
        if (checked := check_source(name, table, problems, label="feed")) is not None:
            profiles.append(_profile(name, checked))
    problems.raise_any()
    return profiles
