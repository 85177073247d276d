"""Links between articles (issue 14): the same story carried again (a duplicate, a reprint, a
translation), a passage quoted, or the same formula about another event (a template), and
the story threads the first three make."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

__all__ = [
    "LINK_RELATIONS",
    "STORY_RELATIONS",
    "LinkRelation",
    "SimilarArticle",
    "SlotValues",
    "Story",
    "StoryMember",
]

LinkRelation = Literal["duplicate", "reprint", "translation", "quotes", "template"]
#: The relations a link can have, strongest first (the order ``similar`` lists them in).
LINK_RELATIONS: tuple[LinkRelation, ...] = ("duplicate", "reprint", "translation", "quotes", "template")
#: The relations that make two articles one story (a thread); quotes and templates never do.
STORY_RELATIONS: tuple[LinkRelation, ...] = ("duplicate", "reprint", "translation")


@dataclass(frozen=True, slots=True)
class SlotValues:
    """A slot of a formula whose value differs: its kind (person, country, organization,
    number, date, name) and the value in the article looked at (``here``) and in the other."""

    kind: str
    here: str
    there: str


@dataclass(frozen=True, slots=True)
class SimilarArticle:
    """An article linked to the one looked at, with how they relate."""

    id: int
    relation: LinkRelation
    #: How alike, 0..1: the share of the shorter text found in the longer (same language),
    #: the translation evidence (two languages), 1.0 for a duplicate.
    score: float
    #: The rule of docs/compare-guide.md that decided (C2…C8).
    rule: str
    source: str
    language: str | None
    date: dt.date | None
    title: str
    status: str = "live"
    #: A template's differing slots (empty for the other relations).
    slots: tuple[SlotValues, ...] = ()


@dataclass(frozen=True, slots=True)
class StoryMember:
    """One article of a story thread."""

    id: int
    source: str
    language: str | None
    date: dt.date | None
    title: str
    #: Days after the story's first carrier published it (0 for the first; None when a date
    #: is missing).
    lag_days: int | None


@dataclass(frozen=True, slots=True)
class Story:
    """Articles that carry one story (joined by duplicate, reprint and translation links),
    the first carrier first, then in order of publication."""

    #: The story's number: its first carrier's article id.
    id: int
    members: tuple[StoryMember, ...]

    @property
    def first(self) -> StoryMember:
        return self.members[0]

    def others(self, article_id: int) -> tuple[StoryMember, ...]:
        """The members other than ``article_id``."""
        return tuple(m for m in self.members if m.id != article_id)
