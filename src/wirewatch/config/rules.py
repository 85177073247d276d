"""The rule files' schemas: the boilerplate rules (``wirewatch/data/boilerplate.toml``, plus
any the user adds) and the digest's score and sections (``wirewatch/data/digest.toml``,
or the user's copy). Their headers and docs/digest.md document the formats;
``wirewatch.clean.boilerplate`` and ``wirewatch.digest.rules`` build their values from these.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field, field_validator, model_validator

from wirewatch.config.toml import Table, UserFile
from wirewatch.config.values import Count, CountryCodes, Flag, Name, Names, Points, Regex, Whole, checked, one_of

__all__ = ["BoilerplateFile", "BoilerplateRuleEntry", "DigestFile", "SectionEntry", "TrendsFile"]

# --- boilerplate rules --------------------------------------------------------------------

Place = Literal["anywhere", "head", "tail"]
PLACES: tuple[Place, ...] = ("anywhere", "head", "tail")


class BoilerplateRuleEntry(Table):
    """One ``[[rule]]``: a pattern a whole paragraph (or line) of chrome matches."""

    name: Name
    pattern: Regex
    where: Annotated[Place, checked(one_of(*PLACES))] = "anywhere"
    drop_rest: Flag = False


class BoilerplateFile(UserFile):
    """``head`` and ``tail``: how many paragraphs from the start or end such rules look at
    (None: the default)."""

    head: Count | None = None
    tail: Count | None = None
    rule: tuple[BoilerplateRuleEntry, ...] = ()

    @model_validator(mode="after")
    def _names_once(self) -> BoilerplateFile:
        seen: set[str] = set()
        for entry in self.rule:
            if entry.name in seen:
                raise ValueError(f"rule {entry.name!r}: the name is used twice")
            seen.add(entry.name)
        return self


# --- the digest's rules -------------------------------------------------------------------


class Edition(Table):
    per_section: Count
    headline_only: Whole


class Leadership(Table):
    roles: Points = Field(default_factory=dict)
    persons: Points = Field(default_factory=dict)
    in_title: Whole
    max: Whole


class EventPoints(Table):
    points: Points = Field(default_factory=dict)
    max: Whole


class Outlets(Table):
    per_outlet: Whole
    max: Whole


class Novelty(Table):
    days: Count
    min_articles: Whole
    person: Whole
    term: Whole
    max: Whole
    stopwords: Names = ()


class Topics(Table):
    per_topic: Whole
    max: Whole


class Classify(Table):
    title_keyword: Whole
    body_keyword: Whole


class SectionEntry(Table):
    """One ``[[section]]``: its heading, and the signals that draw a story to it."""

    id: Name
    name: Name
    keywords: Names = ()
    leaders: Whole = 0
    countries: CountryCodes = ()
    country_signal: Whole = 0
    events: Whole = 0
    event_types: Names = ()
    event_signal: Whole = 0
    fallback: Flag = False


class DigestFile(UserFile):
    edition: Edition
    leadership: Leadership
    events: EventPoints
    outlets: Outlets
    novelty: Novelty
    topics: Topics
    classify: Classify
    section: tuple[SectionEntry, ...] = Field((), validate_default=True)

    @field_validator("section", mode="before")
    @classmethod
    def _some_sections(cls, value: Any) -> Any:
        if not isinstance(value, list | tuple) or not value:
            raise ValueError("expected at least one [[section]] table (the digest needs a section)")
        return value

    @model_validator(mode="after")
    def _sections_agree(self) -> DigestFile:
        ids = [s.id for s in self.section]
        if len(set(ids)) != len(ids):
            raise ValueError(f"[[section]] ids repeat: {', '.join(ids)}")
        if sum(s.fallback for s in self.section) != 1:
            raise ValueError("exactly one [[section]] needs fallback = true (the section of stories with no signal)")
        return self


# --- rising terms ---------------------------------------------------------------------------


class TrendsFile(UserFile):
    """``wirewatch/data/trends.toml``: the baseline, the list's size and the formulas that
    never enter it (docs/trends.md)."""

    baseline_weeks: Count = 8
    min_count: Count = 3
    top: Count = 30
    keep: Names = ()
    formulas: Names = ()
