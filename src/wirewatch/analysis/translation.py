"""Is one text the other in another language? (C5, C6 of docs/compare-guide.md)

Across languages the words differ, but a translation keeps what the slots hold: the same
people, bodies and countries (the ids analysis resolved them to), the same proper names
(romanised names are written alike in English and Spanish), the same numbers, and a
similar shape (length, paragraphs). A template sibling in another language keeps the shape
and changes the names: the names and numbers decide.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from wirewatch.analysis.slots import name_words, numbers

if TYPE_CHECKING:
    from wirewatch.analysis.compared import ComparedText

__all__ = ["TranslationScore", "translation_score"]

#: Entities every story names: sharing them says nothing.
FURNITURE = frozenset({"PRK", "KOR"})
#: The evidence from which two texts are one story.
SAME_STORY = 0.51
#: A translation is dated the same day as its original or the day after (the Spanish
#: edition); from this many days apart, only very strong evidence counts.
DAYS_APART = 2
#: Names nearly every story carries in both languages: sharing them says nothing.
UBIQUITOUS = frozenset(
    "kim jong il un sung korea korean koreans pyongyang dprk wpk kpa juche songun rodong sinmun kcna".split()
)
#: What the evidence is worth when each text names people the other does not.
OTHER_PEOPLE = 0.75
_PARAGRAPH = re.compile(r"\n\s*\n|\n")


@dataclass(frozen=True, slots=True)
class TranslationScore:
    value: float
    same_story: bool
    rule: str
    names: float
    numbers: float
    shape: float


def _overlap(a: set[str], b: set[str]) -> float:
    """The share of the smaller set found in the larger one (0 when either is empty)."""
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


def _jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def _paragraphs(text: str) -> int:
    return max(1, sum(1 for part in _PARAGRAPH.split(text) if part.strip()))


def translation_score(a: ComparedText, b: ComparedText) -> TranslationScore:
    """How strongly two texts in different languages look like one story, 0..1."""
    ids_a = {e.id for e in a.entities if e.id not in FURNITURE}
    ids_b = {e.id for e in b.entities if e.id not in FURNITURE}
    names_a = set(name_words(a.body)) - UBIQUITOUS
    names_b = set(name_words(b.body)) - UBIQUITOUS
    names = max(_jaccard(ids_a, ids_b), _overlap(names_a, names_b) * min(1.0, len(names_a & names_b) / 3))
    nums_a = {n for n in numbers(a.body) if len(n) > 1}
    nums_b = {n for n in numbers(b.body) if len(n) > 1}
    figures = _overlap(nums_a, nums_b) if nums_a and nums_b else 0.5
    length = min(len(a.body), len(b.body)) / max(len(a.body), len(b.body), 1)
    pa, pb = _paragraphs(a.body), _paragraphs(b.body)
    shape = (length + min(pa, pb) / max(pa, pb)) / 2
    value = 0.55 * names + 0.25 * figures + 0.2 * shape
    # Other people named on both sides (names are written alike in both languages): another
    # event, or the same formula for another guest (C8).
    people_a = {e.id for e in a.entities if e.type == "person" and not e.by_title}
    people_b = {e.id for e in b.entities if e.type == "person" and not e.by_title}
    if people_a - people_b and people_b - people_a:
        value *= OTHER_PEOPLE
    if a.date and b.date and abs((a.date - b.date).days) >= DAYS_APART:
        value *= 0.6
    same = value >= SAME_STORY
    return TranslationScore(value, same, "C5" if same else "C10", names, figures, shape)
