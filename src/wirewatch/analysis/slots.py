"""The slots of a formula that differ between two texts (C4, C8 of docs/compare-guide.md).

A slot is where a formula puts the event's particulars: who, which country, what number,
which day. A replacement of a few words whose two sides hold different particulars is a
changed slot: ``Greetings to President of Botswana`` / ``… of Cyprus`` (country), the
``Norwegian`` / ``Nepali`` ambassador (name), ``Monday`` / ``Wednesday`` (date). A slot only
one side fills (``Monday`` added) or a corrected spelling changes no slot (C4).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from cydifflib import SequenceMatcher

from wirewatch.models import EntityCount

if TYPE_CHECKING:
    from wirewatch.analysis.compared import Change

__all__ = ["SLOT_WORDS", "Slot", "changed_slots", "name_words", "numbers"]

#: A replacement longer than this (in words, on either side) is rewritten text, not a slot.
SLOT_WORDS = 15
#: Two spellings at least this alike are one name corrected, not two names (C4).
SAME_NAME = 0.8

_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
#: A number in groups of three digits after the first: its separators mark thousands.
_GROUPED = re.compile(r"\d{1,3}(?:([.,])\d{3})(?:\1\d{3})*")
_SEPARATORS = re.compile(r"[.,]")
_WORD = re.compile(r"[^\W\d_][\w'’-]*")
#: A word inside a sentence: after a word, a comma or a quote and a space.
_INSIDE = re.compile(r"(?<=[\w,;:)\"'’] )[^\W\d_][\w'’-]*")
#: Day and month names, English and Spanish: a changed one is a changed date.
DATE_WORDS = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday today yesterday tomorrow "
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec "
    "lunes martes miercoles miércoles jueves viernes sabado sábado domingo hoy ayer "
    "enero febrero marzo abril mayo junio julio agosto septiembre setiembre octubre noviembre diciembre".split()
)
#: Capitalised words that name nobody: sentence openers and titles (a title added or
#: reworded keeps a reprint, C4).
NOT_NAMES = frozenset(
    "the a an he she it its they this that these those his her their there in on at to of for by with "
    "and but as after before when while upon during from according also then "
    "el la los las lo un una uno en de del con por para al y e o que su sus este esta estos estas "
    "president presidente chairman secretary general premier minister leader marshal comrade supreme "
    "commander vice first chief director ambassador embajador ministro dear respected great "
    "mr mrs ms sr sra señor his excellency excelencia".split()
)


@dataclass(frozen=True, slots=True)
class Slot:
    """A slot whose value differs: its kind (``person``, ``country``, ``organization``,
    ``number``, ``date`` or ``name`` for a proper name analysis did not resolve) and the
    value in each text."""

    kind: str
    a: str
    b: str


def numbers(text: str) -> list[str]:
    """The numbers a text writes in figures, as one spelling: thousands separators dropped
    (``1,000`` and the Spanish ``1.000`` are ``1000``), a decimal comma a point (``2,6`` is
    ``2.6``)."""
    return [_one_spelling(n) for n in _NUMBER.findall(text)]


def _one_spelling(number: str) -> str:
    if "," in number and "." in number:  # 1,234.5 or 1.234,5: the last mark is the decimal one
        point = max(number.rfind(","), number.rfind("."))
        return _SEPARATORS.sub("", number[:point]) + "." + number[point + 1 :]
    return _SEPARATORS.sub("", number) if _GROUPED.fullmatch(number) else number.replace(",", ".")


def name_words(text: str) -> list[str]:
    """The capitalised words of a text that may be names (not openers or titles), lower-cased."""
    capitalised = (word.lower() for word in _WORD.findall(text) if word[0].isupper() and len(word) > 1)
    return [word for word in capitalised if word not in NOT_NAMES]


#: Words that give a movement's direction: a delegation that arrived and one that left are
#: two events (C8).
DIRECTION_WORDS = frozenset(
    "arrived arrives arrive left leaves leave leaving departed departs returned returns return back "
    "llego llegó llegaron partio partió partieron salio salió salieron regreso regresó regresaron".split()
)


def _differ(a: Sequence[str], b: Sequence[str]) -> bool:
    """Both sides hold a value, and not the same one respelt."""
    if not a or not b or sorted(a) == sorted(b):
        return False
    similarity: float = SequenceMatcher(None, " ".join(a), " ".join(b)).ratio()
    return similarity < SAME_NAME


def _only(values: Iterable[str], other: set[str]) -> list[str]:
    return list(dict.fromkeys(v for v in values if v not in other))


def changed_slots(
    changes: Iterable[Change],
    entities_a: Sequence[EntityCount],
    entities_b: Sequence[EntityCount],
    texts: tuple[str, str],
) -> list[Slot]:
    """The slots whose values differ between the two texts ``texts`` (their bodies): a kind
    of value each text holds and the other does not — people, countries, bodies (from the
    analysis), numbers, days and months, proper names, a direction — found in the changed
    text. A value only one text holds (a title added, a paragraph cut) changes no slot."""
    changed = list(changes)
    gone = " ".join(c.a for c in changed)
    came = " ".join(c.b for c in changed)
    slots: list[Slot] = []
    ids_a, ids_b = {e.id for e in entities_a}, {e.id for e in entities_b}
    for kind in ("country", "person", "organization"):
        only_a = [e.name for e in entities_a if e.type == kind and e.id not in ids_b]
        only_b = [e.name for e in entities_b if e.type == kind and e.id not in ids_a]
        if only_a and only_b:
            slots.append(Slot(kind, ", ".join(only_a), ", ".join(only_b)))
    tokens_a, tokens_b = _WORD.findall(texts[0]), _WORD.findall(texts[1])
    nums_a = _only(numbers(gone), set(numbers(texts[1])))
    nums_b = _only(numbers(came), set(numbers(texts[0])))
    if nums_a and nums_b:
        slots.append(Slot("number", " ".join(nums_a), " ".join(nums_b)))
    words_a, words_b = {w.lower() for w in tokens_a}, {w.lower() for w in tokens_b}
    dates_a = _only((w for w in _WORD.findall(gone.lower()) if w in DATE_WORDS), words_b)
    dates_b = _only((w for w in _WORD.findall(came.lower()) if w in DATE_WORDS), words_a)
    if dates_a and dates_b:
        slots.append(Slot("date", " ".join(dates_a), " ".join(dates_b)))
    moves_a = _only((w for w in _WORD.findall(gone.lower()) if w in DIRECTION_WORDS), words_b)
    moves_b = _only((w for w in _WORD.findall(came.lower()) if w in DIRECTION_WORDS), words_a)
    if moves_a and moves_b:
        slots.append(Slot("direction", " ".join(moves_a), " ".join(moves_b)))
    if not slots:
        names_a = _only((w for w in name_words(gone) if w not in DATE_WORDS), words_b)
        names_b = _only((w for w in name_words(came) if w not in DATE_WORDS), words_a)
        if _differ(names_a, names_b):
            slots.append(Slot("name", _cased(gone, names_a), _cased(came, names_b)))
        else:
            lower = {w for w in tokens_a if w[0].islower()} | {w for w in tokens_b if w[0].islower()}
            renamed = _renamed(changed, words_a, words_b, _proper_names(texts, lower))
            slots.extend([renamed] if renamed else [])
    return slots


def _proper_names(texts: tuple[str, str], lower: set[str]) -> set[str]:
    """The words (lower-cased) the texts capitalise inside a sentence and never write in lower
    case (``lower``: the words they do): names, not sentence openers (``Many``, ``Ademas``)."""
    inside = _INSIDE.findall(texts[0]) + _INSIDE.findall(texts[1])
    return {w.lower() for w in inside if w[0].isupper() and w.lower() not in lower}


def _renamed(changes: list[Change], words_a: set[str], words_b: set[str], proper: set[str]) -> Slot | None:
    """The first slot-sized replacement that puts a name the other text never writes where that
    text had another name: the giver ``the president of the Asian Olympic Council`` / ``Sheikh Sabah …, emir of
    Kuwait`` (who still appears in both texts, as the one who handed the gift over). Only
    proper names count (``_proper_names``)."""
    for change in changes:
        if change.op != "replace" or max(len(_WORD.findall(change.a)), len(_WORD.findall(change.b))) > SLOT_WORDS:
            continue
        names_a = [w for w in dict.fromkeys(name_words(change.a)) if w in proper and w not in DATE_WORDS]
        names_b = [w for w in dict.fromkeys(name_words(change.b)) if w in proper and w not in DATE_WORDS]
        new = any(w not in words_b for w in names_a) or any(w not in words_a for w in names_b)
        if new and _differ(names_a, names_b):
            return Slot("name", _cased(change.a, names_a), _cased(change.b, names_b))
    return None


def _cased(text: str, lowered: list[str]) -> str:
    """The name words as the text writes them."""
    wanted = set(lowered)
    return " ".join(w for w in _WORD.findall(text) if w.lower() in wanted)
