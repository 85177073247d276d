"""The digest's score and sections as data: ``wirewatch/data/digest.toml``, read and
checked once (the format is in the file's header and in docs/digest.md).

The schema is ``wirewatch.config.rules.DigestFile``: a bad file stops with a ConfigError
naming the file, the table and the key of every problem, as every user file does.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path

import ahocorasick

from wirewatch.config.rules import DigestFile, SectionEntry
from wirewatch.config.toml import check_file, parse_toml, read_toml

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
    keywords: KeywordMatcher = field(compare=False, repr=False, default=None)  # type: ignore[assignment]  # built by __post_init__ when not given

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


def _section(entry: SectionEntry) -> SectionRule:
    return SectionRule(
        id=entry.id,
        name=entry.name,
        keywords=entry.keywords,
        leaders=entry.leaders,
        countries=frozenset(entry.countries),
        country_signal=entry.country_signal,
        events=entry.events,
        event_types=frozenset(entry.event_types),
        event_signal=entry.event_signal,
        fallback=entry.fallback,
    )


def parse_rules(text: str, file: str) -> DigestRules:
    """The rules from a TOML text; ``file`` names it in errors."""
    return _rules(check_file(DigestFile, parse_toml(text, file), file))


def _rules(data: DigestFile) -> DigestRules:
    edition, lead, events, outlets = data.edition, data.leadership, data.events, data.outlets
    novelty, topics, classify = data.novelty, data.topics, data.classify
    return DigestRules(
        per_section=edition.per_section,
        headline_only=edition.headline_only,
        leader_roles=lead.roles,
        leader_persons=lead.persons,
        leader_in_title=lead.in_title,
        leader_max=lead.max,
        event_points=events.points,
        event_max=events.max,
        per_outlet=outlets.per_outlet,
        outlet_max=outlets.max,
        novelty_days=novelty.days,
        novelty_min_articles=novelty.min_articles,
        novelty_person=novelty.person,
        novelty_term=novelty.term,
        novelty_max=novelty.max,
        stopwords=frozenset(w.casefold() for w in novelty.stopwords),
        per_topic=topics.per_topic,
        topic_max=topics.max,
        title_keyword=classify.title_keyword,
        body_keyword=classify.body_keyword,
        sections=tuple(_section(entry) for entry in data.section),
    )


@cache
def _packaged() -> DigestRules:
    text = (resources.files("wirewatch.data") / "digest.toml").read_text(encoding="utf-8")
    return parse_rules(text, "wirewatch/data/digest.toml")


def load_rules(path: Path | None = None) -> DigestRules:
    """The packaged rules (read once per process), or those of the file ``path``."""
    if path is None:
        return _packaged()
    return _rules(check_file(DigestFile, read_toml(path, what="the digest rules"), str(path)))
