"""Is one text the other in another language? (C5, C6 of docs/compare-guide.md)

Across languages the words differ, but a translation keeps what the slots hold: the same
people, bodies and countries, the same proper names (romanised names are written alike in
English and Spanish, country names nearly so: ``Rusia`` / Russia, ``Japon`` / Japan), the same
numbers (``1.000`` / ``1,000``), and much of its vocabulary (``reunificacion`` /
reunification). A Spanish edition is often shortened or lengthened (C6), so the shape counts
little. A template sibling in another language keeps the shape and the vocabulary and
changes the slots: when each text names a person or a country the other does not, the two
are two events (C8).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING

from wirewatch.analysis.slots import DATE_WORDS, name_words, numbers

if TYPE_CHECKING:
    from collections.abc import Iterable

    from wirewatch.analysis.compared import ComparedText

__all__ = ["TranslationScore", "translation_score"]

#: Entities every story names: sharing them says nothing.
FURNITURE = frozenset({"PRK", "KOR"})
#: Countries so many stories name, and Spanish writes so differently (``EE.UU.``), that one
#: named on one side only says nothing about the event.
EVERYWHERE = FURNITURE | {"USA"}
#: The evidence from which two texts are one story.
SAME_STORY = 0.5
#: How much each kind of evidence counts: names, numbers, shared vocabulary, shape.
WEIGHTS = (0.45, 0.25, 0.15, 0.15)
#: The share of shared word stems at which two texts read as one text (the rest of the
#: vocabulary is translated).
STEMS_ALL = 0.4
#: The Latin-letter stems a text needs for its shared stems to count.
STEMS_MIN = 12
#: A translation is dated the same day as its original or the day after (the Spanish
#: edition); from this many days apart, only very strong evidence counts.
DAYS_APART = 2
#: Names nearly every story carries in both languages: sharing them says nothing.
UBIQUITOUS = frozenset(
    "kim jong il un sung korea korean koreans pyongyang dprk wpk kpa juche songun rodong sinmun kcna".split()
)
#: What the evidence is worth when each text names a person or a country the other does not.
OTHER_VALUES = 0.5
#: Names found in the other text from which the names count fully (one or two may be chance).
NAMES_FOUND = 2
_PARAGRAPH = re.compile(r"\n\s*\n|\n")
_LETTERS = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True, slots=True)
class TranslationScore:
    value: float
    same_story: bool
    rule: str
    names: float
    numbers: float
    shape: float
    #: The share of word stems both texts carry (cognates and names).
    stems: float = 0.0


def _fold(text: str) -> str:
    """Lower case without accents: ``Japón`` -> ``japon`` (and no letters outside the Latin
    alphabet, which the other language cannot share)."""
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return text.lower()


_SOUNDS = str.maketrans({"k": "c", "q": "c", "y": "i", "z": "s"})
_DOUBLED = re.compile(r"([^\W\d_])\1+")
_INNER_VOWELS = re.compile(r"\B[aeiouh]")


def _sound(folded: str) -> str:
    """Folded words as they sound: the consonants after each word's first letter, with the
    spellings English and Spanish write one sound with merged. Russia / Rusia, Syria / Siria,
    Iraq / Irak, Korea / Corea, Brazil / Brasil sound alike. Works on a word or a whole text."""
    return _INNER_VOWELS.sub("", _DOUBLED.sub(r"\1", folded.replace("ph", "f").translate(_SOUNDS)))


@dataclass(frozen=True, slots=True)
class _Reading:
    """What one text offers the other language: its words folded, by sound and by first four
    letters (Cuba / cubano, Viet Nam / vietnamita), and its stems (``_stems``)."""

    sounds: frozenset[str]
    heads: frozenset[str]
    stems: frozenset[str]

    @classmethod
    def of(cls, text: str) -> _Reading:
        folded = _fold(text)
        words = set(_LETTERS.findall(folded))
        return cls(
            frozenset(w for w in _LETTERS.findall(_sound(folded))),
            frozenset(w[:4] for w in words if len(w) >= 4),
            # The first five letters of the longer words: ``internacional`` and
            # ``international`` share ``inter``, ``declaracion`` and ``declaration`` ``decla``.
            frozenset(w[:5] for w in words if len(w) >= 5),
        )

    def has(self, word: str) -> bool:
        word = _fold(word)
        return _sound(word) in self.sounds or (len(word) >= 4 and word[:4] in self.heads)


@functools.lru_cache(maxsize=256)
def _reading(text: str) -> _Reading:
    """``_Reading.of``, kept for the texts compared last: the linking compares an article
    with several others in a row."""
    return _Reading.of(text)


def _overlap(a: set[str], b: set[str]) -> float:
    """The share of the smaller set found in the larger one (0 when either is empty)."""
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


def _jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def _paragraphs(text: str) -> int:
    return max(1, sum(1 for part in _PARAGRAPH.split(text) if part.strip()))


def _names_found(text: ComparedText, other: _Reading) -> float:
    """The share of the text's proper names (less the ubiquitous ones, and the names of days
    and months, which any two stories of a day share) the other text writes too, counted
    fully from ``NAMES_FOUND`` names found."""
    names = _names_of(text.body)
    found = sum(1 for name in names if other.has(name))
    return found / len(names) * min(1.0, found / NAMES_FOUND) if names else 0.0


@functools.lru_cache(maxsize=256)
def _names_of(body: str) -> frozenset[str]:
    """The proper names of a text that ``_names_found`` looks for, kept like ``_reading``."""
    return frozenset(folded for folded in map(_fold, name_words(body)) if len(folded) >= 3) - UBIQUITOUS - DATE_WORDS


def _figures(a: str, b: str, dated: Iterable[dt.date | None] = ()) -> float:
    """How far the numbers agree: the share of the smaller set in the larger, 0.5 when
    neither text has one, 0.25 when only one has (a Spanish edition adds ``dia 22``). The
    numbers of the texts' own dates (the year, the day of the month) are left out: any two
    stories of a day may write them."""
    own = {str(n) for day in dated if day for n in (day.year, day.day, f"{day.day:02d}")}
    nums_a = {n for n in numbers(a) if len(n) > 1} - own
    nums_b = {n for n in numbers(b) if len(n) > 1} - own
    if nums_a and nums_b:
        return _overlap(nums_a, nums_b)
    return 0.25 if nums_a or nums_b else 0.5


def _missing(values: Iterable[tuple[str, str]], ids: set[str], other: _Reading) -> list[str]:
    """The values (id, name) the other text holds neither by id nor by any word of the name."""
    out = []
    for ident, name in values:
        words = [w for w in _LETTERS.findall(name) if len(w) >= 3 and _fold(w) not in UBIQUITOUS]
        if ident not in ids and words and not any(other.has(w) for w in words):
            out.append(name)
    return out


def _slot_values(text: ComparedText) -> list[tuple[str, str]]:
    """The people (named, not only titled) and countries a text names, as slots hold them."""
    return [
        (e.id, e.name)
        for e in text.entities
        if e.id not in EVERYWHERE and (e.type == "country" or (e.type == "person" and not e.by_title))
    ]


def translation_score(a: ComparedText, b: ComparedText) -> TranslationScore:
    """How strongly two texts in different languages look like one story, 0..1."""
    reading_a, reading_b = _reading(a.body), _reading(b.body)
    ids_a = {e.id for e in a.entities if e.id not in FURNITURE}
    ids_b = {e.id for e in b.entities if e.id not in FURNITURE}
    # The names of either text found in the other: the shorter text of a partial translation
    # (C6) has its names in the longer, not the other way round.
    names = max(_jaccard(ids_a, ids_b), _names_found(a, reading_b), _names_found(b, reading_a))
    figures = _figures(a.body, b.body, (a.date, b.date))
    # Shared stems say something only when both texts have enough of them in Latin letters
    # (a Korean text with one English sentence has all its few stems in any English story).
    enough = min(len(reading_a.stems), len(reading_b.stems)) >= STEMS_MIN
    stems = _overlap(set(reading_a.stems), set(reading_b.stems)) if enough else 0.0
    length = min(len(a.body), len(b.body)) / max(len(a.body), len(b.body), 1)
    pa, pb = _paragraphs(a.body), _paragraphs(b.body)
    shape = (length + min(pa, pb) / max(pa, pb)) / 2
    w_names, w_figures, w_stems, w_shape = WEIGHTS
    value = w_names * names + w_figures * figures + w_stems * min(1.0, stems / STEMS_ALL) + w_shape * shape
    # A person or a country on each side that the other does not name: another event, or the
    # same formula for another guest (C8).
    if _missing(_slot_values(a), ids_b, reading_b) and _missing(_slot_values(b), ids_a, reading_a):
        value *= OTHER_VALUES
    if a.date and b.date and abs((a.date - b.date).days) >= DAYS_APART:
        value *= 0.6
    same = value >= SAME_STORY
    return TranslationScore(value, same, "C5" if same else "C10", names, figures, shape, stems)
