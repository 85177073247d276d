"""The sources file's schema (docs/sources.md): one ``[sources."NAME"]`` table per outlet.

``check_sources`` checks a whole document and ``check_source`` one outlet's table, adding
every problem to a ``Problems`` (file, source, key, a line each); the collector builds its
``SourceProfile`` values from the checked tables (``wirewatch.collect.sources``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from pydantic import Field, field_validator, model_validator

from wirewatch.config.toml import Problems, Table, unknown_key
from wirewatch.config.values import (
    CONTROL,
    Count,
    CssSelector,
    Duration,
    Flag,
    HttpUrl,
    LanguageCodes,
    Order,
    Regex,
    Seconds,
    Text,
    show,
)

__all__ = ["ENTRY_KEYS", "EntryKind", "EntryTable", "SelectorsTable", "SourceTable", "check_source", "check_sources"]

EntryKind = Literal["feed", "sitemap", "index"]
#: The TOML key listing each kind of entry point, in the order a profile keeps them.
ENTRY_KEYS: dict[EntryKind, str] = {"feed": "feeds", "sitemap": "sitemaps", "index": "index_pages"}


class EntryTable(Table):
    """An entry point: a URL, or a table ``{url = ..., link_pattern = ...}``."""

    url: HttpUrl
    link_pattern: Regex | None = Field(None, validate_default=True)

    @model_validator(mode="before")
    @classmethod
    def _a_url_alone(cls, value: Any) -> Any:
        if isinstance(value, str):
            return {"url": value}
        if not isinstance(value, dict):
            raise ValueError("expected a URL or a table {url = ..., link_pattern = ...}")
        return value


class FeedEntry(EntryTable):
    @field_validator("link_pattern", mode="before")
    @classmethod
    def _takes_none(cls, value: Any) -> Any:
        if value is not None:
            raise ValueError("a feed takes none (every item of a feed is an article)")
        return value


class IndexEntry(EntryTable):
    @field_validator("link_pattern", mode="before")
    @classmethod
    def _needs_one(cls, value: Any) -> Any:
        if value is None:
            raise ValueError("required for an index page (a regular expression its article links match)")
        return value


class SelectorsTable(Table):
    """CSS selectors for a page the generic extractor reads wrongly."""

    title: CssSelector | None = None
    date: CssSelector | None = None
    body: CssSelector | None = None

    @model_validator(mode="before")
    @classmethod
    def _a_table(cls, value: Any) -> Any:
        if not isinstance(value, dict):
            raise ValueError("expected a table of title, date and body CSS selectors")
        return value


class SourceTable(Table):
    """One ``[sources."NAME"]`` table; a key left out is None (the profile's default)."""

    homepage: HttpUrl | None = None
    languages: LanguageCodes | None = None
    date_order: Order | None = None
    interval: Duration | None = None
    delay: Seconds | None = None
    enabled: Flag | None = None
    allow_private: Flag | None = None
    missing_after: Count | None = None
    max_articles: Count | None = None
    needs_confirmation: Flag | None = None
    notes: Text | None = None
    feeds: tuple[FeedEntry, ...] = ()
    sitemaps: tuple[EntryTable, ...] = ()
    index_pages: tuple[IndexEntry, ...] = ()
    selectors: SelectorsTable | None = None

    @field_validator(*ENTRY_KEYS.values(), mode="before")
    @classmethod
    def _a_list(cls, value: Any, info: Any) -> Any:
        if not isinstance(value, list):
            raise ValueError(f'expected a list, such as {info.field_name} = ["https://example.org/..."]')
        return value

    @model_validator(mode="after")
    def _each_url_once(self) -> SourceTable:
        for key in ENTRY_KEYS.values():
            seen: set[str] = set()
            for number, entry in enumerate(getattr(self, key), 1):
                if entry.url in seen:
                    raise ValueError(f"{key} entry {number}: url {show(entry.url)}: listed twice")
                seen.add(entry.url)
        return self


def _name_problem(name: str) -> str | None:
    if not name.strip():
        return "the name is empty"
    if name != name.strip() or CONTROL.search(name):
        return "the name must not start or end with spaces or hold control characters"
    return None


def check_source(
    name: str, table: object, problems: Problems, *, label: str = "source", require_entry_points: bool = True
) -> SourceTable | None:
    """One outlet's table, checked; None with its problems added (named ``LABEL 'NAME'``)."""
    where = f"{label} {name!r}"
    if not isinstance(table, dict):
        problems.add(where, f'expected a table: [sources."{name}"] with its fields below it')
        return None
    before = len(problems.lines)
    if (problem := _name_problem(name)) is not None:
        problems.add(where, problem)
    checked = problems.check(SourceTable, table, table=where)
    if require_entry_points and not any(table.get(key) for key in ENTRY_KEYS.values()):
        problems.add(where, "no entry point: give feeds, sitemaps or index_pages")
    return checked if len(problems.lines) == before else None


def check_sources(document: Mapping[str, Any], problems: Problems) -> list[tuple[str, SourceTable]]:
    """The outlets of a sources file, in file order, with the problems of the rest added."""
    for key in document:
        if key != "sources":
            problems.add(unknown_key(key, ("sources",)) + ' (a sources file holds [sources."NAME"] tables)')
    sources = document.get("sources", {})
    if not isinstance(sources, dict):
        problems.add('sources: expected [sources."NAME"] tables')
        sources = {}
    checked: list[tuple[str, SourceTable]] = []
    seen: dict[str, str] = {}
    for name, table in sources.items():
        if (other := seen.setdefault(name.casefold(), name)) != name:
            problems.add(f"source {name!r}", f"the name is used twice (also as {other!r}; case does not count)")
        if (source := check_source(name, table, problems)) is not None:
            checked.append((name, source))
    return checked
