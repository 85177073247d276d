"""The digest's score and sections as data: ``wirewatch/data/digest.toml``, read and
checked once (the format is in the file's header and in docs/digest.md).

A bad file stops with a ConfigError naming the file, the table and the field, as the
actor data do.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import ahocorasick

from wirewatch.errors import ConfigError

__all__ = ["DigestRules", "SectionRule", "load_rules"]


@dataclass(frozen=True, slots=True)
class SectionRule:
    """One section: its heading, and the signals that draw a story to it."""

    id: str
    name: str
    keywords: tuple[str, ...] = ()
    leaders: int = 0
    countries: frozenset[str] = frozenset()
    country_signal: int = 0
    events: int = 0
    event_types: frozenset[str] = frozenset()
    event_signal: int = 0
    fallback: bool = False


@dataclass(frozen=True, slots=True)
class DigestRules:
    """Every weight of the score and the sections, in the file's order."""

    per_section: int
    headline_only: int
    leader_roles: Mapping[str, int]
    leader_persons: Mapping[str, int]
    leader_in_title: int
    leader_max: int
    event_points: Mapping[str, int]
    event_max: int
    per_outlet: int
    outlet_max: int
    novelty_days: int
    novelty_min_articles: int
    novelty_person: int
    novelty_term: int
    novelty_max: int
    stopwords: frozenset[str]
    per_topic: int
    topic_max: int
    title_keyword: int
    body_keyword: int
    sections: tuple[SectionRule, ...]
    #: The sections' keywords, ready to find in a text.
    keywords: KeywordMatcher = field(compare=False, repr=False, default=None)  # type: ignore[assignment]

    def __post_init__(self) -> None:
        if self.keywords is None:
            object.__setattr__(self, "keywords", KeywordMatcher(self.sections))

    def section(self, section_id: str) -> SectionRule:
        return next(s for s in self.sections if s.id == section_id)

    @property
    def fallback(self) -> SectionRule:
        return next(s for s in self.sections if s.fallback)

    @property
    def claimed_countries(self) -> frozenset[str]:
        """Countries some section claims (their events count there, not for ``events``)."""
        return frozenset(c for s in self.sections for c in s.countries)


class KeywordMatcher:
    """Every section's keywords in one Aho-Corasick automaton: a text is read once for
    all of them. A keyword matches whole ("war", not "warm" or "award") in any case, a
    trailing ``*`` for any ending; a keyword in another script (Korean) also matches
    inside a word, since Korean words carry their particles attached."""

    def __init__(self, sections: tuple[SectionRule, ...]) -> None:
        self.automaton = ahocorasick.Automaton()
        entries: dict[str, list[tuple[int, int, bool, bool]]] = {}
        for s, section in enumerate(sections):
            for k, word in enumerate(section.keywords):
                stem = _fold(word.removesuffix("*"))
                whole_start = stem[:1].isascii()
                whole_end = not word.endswith("*") and stem[-1:].isascii()
                entries.setdefault(stem, []).append((s, k, whole_start, whole_end))
        for stem, found in entries.items():
            self.automaton.add_word(stem, (len(stem), found))
        self.empty = not entries
        if not self.empty:
            self.automaton.make_automaton()

    def find(self, text: str) -> dict[int, set[int]]:
        """Section index -> the indexes of its keywords found in ``text``."""
        found: dict[int, set[int]] = {}
        if self.empty or not text:
            return found
        folded = _fold(text)
        size = len(folded)
        for end, (length, entries) in self.automaton.iter(folded):
            start = end - length + 1
            before = start == 0 or not folded[start - 1].isalnum()
            after = end + 1 >= size or not folded[end + 1].isalnum()
            for s, k, whole_start, whole_end in entries:
                if (before or not whole_start) and (after or not whole_end):
                    found.setdefault(s, set()).add(k)
        return found


def _fold(text: str) -> str:
    """Text as keywords are matched in it: lower case, every run of spaces one space."""
    return " ".join(text.split()).lower()


class _Table:
    """A table of the file being read, to name it in errors."""

    def __init__(self, file: str, name: str, data: Any) -> None:
        if not isinstance(data, dict):
            raise ConfigError(f"{file}: [{name}] is missing or not a table")
        self.file, self.name, self.data = file, name, data

    def fail(self, key: str, problem: str) -> ConfigError:
        return ConfigError(f"{self.file}: [{self.name}] field {key!r}: {problem}")

    def check_keys(self, allowed: set[str]) -> None:
        for key in self.data:
            if key not in allowed:
                raise self.fail(key, f"unknown field (expected one of {', '.join(sorted(allowed))})")

    def number(self, key: str, default: int | None = None) -> int:
        value = self.data.get(key, default)
        if value is None:
            raise self.fail(key, "missing")
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.fail(key, f"expected a whole number, got {value!r}")
        return value

    def positive(self, key: str) -> int:
        value = self.number(key)
        if value < 1:
            raise self.fail(key, f"expected 1 or more, got {value}")
        return value

    def points(self, key: str) -> dict[str, int]:
        value = self.data.get(key, {})
        if not isinstance(value, dict) or not all(
            isinstance(k, str) and isinstance(v, int) and not isinstance(v, bool) for k, v in value.items()
        ):
            raise self.fail(key, "expected a table of name = whole number")
        return dict(value)

    def strings(self, key: str) -> tuple[str, ...]:
        value = self.data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise self.fail(key, "expected a list of non-empty strings")
        return tuple(v.strip() for v in value)

    def string(self, key: str) -> str:
        value = self.data.get(key)
        if not isinstance(value, str) or not value.strip():
            raise self.fail(key, "expected a non-empty string")
        return value.strip()


SECTION_KEYS = {
    "id",
    "name",
    "keywords",
    "leaders",
    "countries",
    "country_signal",
    "events",
    "event_types",
    "event_signal",
    "fallback",
}


def _section(file: str, number: int, data: Any) -> SectionRule:
    label = f"section #{number}" + (
        f" ({data.get('id')!r})" if isinstance(data, dict) and isinstance(data.get("id"), str) else ""
    )
    table = _Table(file, label, data)
    table.check_keys(SECTION_KEYS)
    fallback = data.get("fallback", False)
    if not isinstance(fallback, bool):
        raise table.fail("fallback", "expected true or false")
    countries = table.strings("countries")
    for code in countries:
        if not (len(code) == 3 and code.isalpha() and code.isupper()):
            raise table.fail("countries", f"expected ISO alpha-3 codes, got {code!r}")
    keywords = table.strings("keywords")
    return SectionRule(
        id=table.string("id"), name=table.string("name"), keywords=keywords,
        leaders=table.number("leaders", 0), countries=frozenset(countries),
        country_signal=table.number("country_signal", 0), events=table.number("events", 0),
        event_types=frozenset(table.strings("event_types")), event_signal=table.number("event_signal", 0),
        fallback=fallback,
    )  # fmt: skip


def parse_rules(text: str, file: str) -> DigestRules:
    """The rules from a TOML text; ``file`` names it in errors."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{file}: not valid TOML: {error}") from error
    known = {"edition", "leadership", "events", "outlets", "novelty", "topics", "classify", "section"}
    unknown = set(data) - known
    if unknown:
        raise ConfigError(f"{file}: unknown table(s) {', '.join(sorted(unknown))}")
    edition = _Table(file, "edition", data.get("edition"))
    edition.check_keys({"per_section", "headline_only"})
    lead = _Table(file, "leadership", data.get("leadership"))
    lead.check_keys({"roles", "persons", "in_title", "max"})
    events = _Table(file, "events", data.get("events"))
    events.check_keys({"points", "max"})
    outlets = _Table(file, "outlets", data.get("outlets"))
    outlets.check_keys({"per_outlet", "max"})
    novelty = _Table(file, "novelty", data.get("novelty"))
    novelty.check_keys({"days", "min_articles", "person", "term", "max", "stopwords"})
    topics = _Table(file, "topics", data.get("topics"))
    topics.check_keys({"per_topic", "max"})
    classify = _Table(file, "classify", data.get("classify"))
    classify.check_keys({"title_keyword", "body_keyword"})
    raw_sections = data.get("section")
    if not isinstance(raw_sections, list) or not raw_sections:
        raise ConfigError(f"{file}: [[section]] is missing: the digest needs at least one section")
    sections = tuple(_section(file, n, s) for n, s in enumerate(raw_sections, 1))
    ids = [s.id for s in sections]
    if len(set(ids)) != len(ids):
        raise ConfigError(f"{file}: [[section]] ids repeat: {', '.join(ids)}")
    if sum(s.fallback for s in sections) != 1:
        raise ConfigError(
            f"{file}: exactly one [[section]] needs fallback = true (the section of stories with no signal)"
        )
    return DigestRules(
        per_section=edition.positive("per_section"), headline_only=edition.number("headline_only"),
        leader_roles=lead.points("roles"), leader_persons=lead.points("persons"),
        leader_in_title=lead.number("in_title"), leader_max=lead.number("max"),
        event_points=events.points("points"), event_max=events.number("max"),
        per_outlet=outlets.number("per_outlet"), outlet_max=outlets.number("max"),
        novelty_days=novelty.positive("days"), novelty_min_articles=novelty.number("min_articles"),
        novelty_person=novelty.number("person"), novelty_term=novelty.number("term"), novelty_max=novelty.number("max"),
        stopwords=frozenset(w.casefold() for w in novelty.strings("stopwords")),
        per_topic=topics.number("per_topic"), topic_max=topics.number("max"),
        title_keyword=classify.number("title_keyword"), body_keyword=classify.number("body_keyword"),
        sections=sections,
    )  # fmt: skip


@cache
def _packaged() -> DigestRules:
    text = (resources.files("wirewatch.data") / "digest.toml").read_text(encoding="utf-8")
    return parse_rules(text, "wirewatch/data/digest.toml")


def load_rules(path: Path | None = None) -> DigestRules:
    """The packaged rules (read once per process), or those of the file ``path``."""
    if path is None:
        return _packaged()
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as error:
        raise ConfigError(f"{path}: cannot read the digest rules: {error.strerror or error}") from error
    return parse_rules(text, str(path))
