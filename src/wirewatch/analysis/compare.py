"""Two articles compared: how they relate, and the evidence (issue 14).

``compare_texts(a, b)`` classifies a pair of texts into one relation of the annotation guide
(``docs/compare-guide.md``, rules C1–C12) and keeps what decided it:

- ``duplicate``: the bodies are equal once white space is normalised (C2);
- ``reprint``: one language, the shorter text mostly inside the longer, no slot changed (C3, C4);
- ``translation``: two languages, the same names, numbers and shape (C5, C6; ``translation.py``);
- ``quotes``: a passage of some thirty words or more shared, the rest different (C7);
- ``template``: the same frame with other people, countries, numbers or dates in its slots (C8);
- ``unrelated``: none of these (C10).

Pure: no I/O, nothing read or downloaded; the entities are the ones analysis found (the
store keeps them), passed in with each text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from wirewatch.analysis.compared import Change, ComparedText, Span
from wirewatch.analysis.slots import Slot, changed_slots
from wirewatch.analysis.translation import translation_score
from wirewatch.clean.diff import Piece, sentence_diff
from wirewatch.clean.language import detect_language

__all__ = [
    "RELATIONS",
    "Change",
    "ComparedText",
    "Comparison",
    "Relation",
    "Slot",
    "Span",
    "compare_texts",
]

Relation = Literal["duplicate", "reprint", "translation", "quotes", "template", "unrelated"]
#: The relations in the order the guide applies them (C11).
RELATIONS: tuple[Relation, ...] = ("duplicate", "reprint", "translation", "quotes", "template", "unrelated")

#: Words in a shingle (the candidate step uses the same size).
SHINGLE = 5
#: The share of the shorter text's shingles found in the longer one from which the two are
#: one text edited (C3) — or, with a slot changed, one formula (C8).
REPRINT_CONTAINMENT = 0.5
#: The words a shared passage needs to be quoted (C7: "at least a sentence and some thirty words").
QUOTE_WORDS = 30
#: The share of the shorter text in unchanged stretches or slot-sized changes from which two
#: texts share a frame (C8); below it, titles alike over bodies written differently are unrelated.
FRAME_SHARE = 0.45

_WORDS = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class Comparison:
    """How two texts relate, and the evidence kept for a reader."""

    relation: Relation
    #: How alike the texts are, 0..1: the shingle containment in one language, the
    #: translation evidence across two.
    score: float
    #: The language of each text as compared (detected from the text when it can be).
    languages: tuple[str | None, str | None]
    #: The word-level diff of the bodies (``clean.diff`` pieces), for pages.
    pieces: tuple[Piece, ...]
    changes: tuple[Change, ...]
    #: The slot values that differ (a template's evidence; empty otherwise).
    slots: tuple[Slot, ...]
    #: The passages both carry (a quote's evidence), longest first.
    spans: tuple[Span, ...]
    #: The guide's rule that decided (``C2``…``C10``).
    rule: str


def normalised(text: str) -> str:
    """The text as C2 compares it: runs of white space as one space."""
    return " ".join(text.split())


def words(text: str) -> list[str]:
    return _WORDS.findall(text.lower())


def shingles(tokens: list[str], size: int = SHINGLE) -> set[tuple[str, ...]]:
    """The word ``size``-grams of a text (a text shorter than that is one shingle)."""
    if len(tokens) < size:
        return {tuple(tokens)} if tokens else set()
    return {tuple(tokens[i : i + size]) for i in range(len(tokens) - size + 1)}


def language_of(text: ComparedText) -> str | None:
    """The language the text is written in: detected from it where it is long enough (archives
    label some Spanish stories ``en``), else the article's own label."""
    return detect_language(text.body) or text.language


def _two_languages(a: ComparedText, b: ComparedText, detected: tuple[str | None, str | None]) -> bool:
    """The texts are in two languages by their detected languages, or by their labels when
    both are labelled (a list of names can read as another language)."""
    if detected[0] and detected[1] and detected[0] != detected[1]:
        return True
    return bool(a.language and b.language and a.language != b.language)


def changes_of(pieces: list[Piece]) -> list[Change]:
    """The diff's changes, a deletion followed by an insertion read as one replacement."""
    out: list[Change] = []
    i = 0
    while i < len(pieces):
        piece = pieces[i]
        if piece.op == "delete" and i + 1 < len(pieces) and pieces[i + 1].op == "insert":
            out.append(Change("replace", piece.text, pieces[i + 1].text))
            i += 2
            continue
        if piece.op == "delete":
            out.append(Change("delete", piece.text, ""))
        elif piece.op == "insert":
            out.append(Change("insert", "", piece.text))
        i += 1
    return out


def shared_spans(pieces: list[Piece], min_words: int = QUOTE_WORDS) -> list[Span]:
    """The unchanged stretches of at least ``min_words`` words, longest first."""
    spans: list[Span] = []
    at_a = at_b = 0
    for piece in pieces:
        size = len(piece.text)
        if piece.op == "equal":
            count = len(_WORDS.findall(piece.text))
            if count >= min_words:
                spans.append(Span(at_a, at_a + size, at_b, at_b + size, count))
            at_a += size
            at_b += size
        elif piece.op == "delete":
            at_a += size
        else:
            at_b += size
    return sorted(spans, key=lambda s: -s.words)


def _frame_share(pieces: list[Piece], changes: list[Change], shorter: int) -> float:
    """The share of the shorter text's words that are unchanged or inside a slot-sized
    replacement: how much of it is the other text's frame."""
    from wirewatch.analysis.slots import SLOT_WORDS

    kept = sum(len(_WORDS.findall(p.text)) for p in pieces if p.op == "equal")
    slotted = sum(
        min(len(_WORDS.findall(c.a)), len(_WORDS.findall(c.b)))
        for c in changes
        if c.op == "replace" and max(len(_WORDS.findall(c.a)), len(_WORDS.findall(c.b))) <= SLOT_WORDS
    )
    return (kept + slotted) / shorter if shorter else 0.0


def compare_texts(a: ComparedText, b: ComparedText) -> Comparison:
    """The relation between two texts and its evidence (docs/compare-guide.md). Symmetric in
    the relation; ``changes`` and ``slots`` read from ``a`` to ``b``."""
    languages = (language_of(a), language_of(b))
    if normalised(a.body) == normalised(b.body):
        return Comparison("duplicate", 1.0, languages, (Piece("equal", a.body),) if a.body else (), (), (), (), "C2")
    pieces = sentence_diff(a.body, b.body)
    changes = changes_of(pieces)
    if _two_languages(a, b, languages):
        score = translation_score(a, b)
        relation: Relation = "translation" if score.same_story else "unrelated"
        return Comparison(relation, round(score.value, 4), languages, tuple(pieces), tuple(changes), (), (), score.rule)
    words_a, words_b = words(a.body), words(b.body)
    shingles_a, shingles_b = shingles(words_a), shingles(words_b)
    shorter = min(len(shingles_a), len(shingles_b))
    containment = len(shingles_a & shingles_b) / shorter if shorter else 0.0
    slots = changed_slots(changes, a.entities, b.entities, (a.body, b.body))
    spans = shared_spans(pieces)
    frame = _frame_share(pieces, changes, min(len(words_a), len(words_b)))
    relation, rule = _decide(containment, frame, bool(slots), bool(spans))
    return Comparison(
        relation,
        round(containment, 4),
        languages,
        tuple(pieces),
        tuple(changes),
        tuple(slots) if relation == "template" else (),
        tuple(spans) if relation in ("quotes", "reprint") else (),
        rule,
    )


def _decide(containment: float, frame: float, slot_changed: bool, passage: bool) -> tuple[Relation, str]:
    """The relation of two texts in one language, by the guide's rules in order (C11)."""
    if containment >= REPRINT_CONTAINMENT and frame >= FRAME_SHARE:
        return ("template", "C8") if slot_changed else ("reprint", "C3")
    if slot_changed and frame >= FRAME_SHARE:
        return "template", "C8"
    if passage:
        return "quotes", "C7"
    return "unrelated", "C10"
