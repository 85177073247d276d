"""Two articles compared: how they relate, and the evidence (issue 14).

``compare_texts(a, b)`` classifies a pair of texts into one relation of the annotation guide
(``docs/compare-guide.md``, rules C1–C12) and keeps what decided it:

- ``duplicate``: the bodies are equal once white space is normalised (C2);
- ``reprint``: one language, the shorter text mostly inside the longer and spread through it,
  no slot changed (C3, C4);
- ``translation``: two languages, the same names and numbers, much of the vocabulary (C5, C6;
  ``translation.py``);
- ``quotes``: a passage of some thirty words or more shared, within a broader text (C7);
- ``template``: the same frame with other people, countries, numbers or dates in its slots (C8);
- ``unrelated``: none of these (C10).

Pure: no I/O, nothing read or downloaded; the entities are the ones analysis found (the
store keeps them), passed in with each text.
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from dataclasses import dataclass
from typing import Literal

from wirewatch.analysis.compared import Change, ComparedText, Span
from wirewatch.analysis.slots import SLOT_WORDS, Slot, changed_slots
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
    "language_of",
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
FRAME_SHARE = 0.3
#: The share of the longer text over which the shared stretches extend (``_extent``) from which
#: the two are one item edited (C3); a shorter text whose shared part lies within less of the
#: longer is a passage of a broader text: it quotes it (C7).
ONE_ITEM = 0.5
#: The share of the shared words ``_extent`` locates (the rest may be formulas anywhere, C9).
MOST_SHARED = 0.8

_WORDS = re.compile(r"\w+")
_LETTERS = re.compile(r"[^\W\d_][\w'’-]*")


@dataclass(frozen=True, slots=True)
class Comparison:
    """How two texts relate, and the evidence kept for a reader."""

    relation: Relation
    #: How alike the texts are, 0..1: the shingle containment in one language, the
    #: translation evidence across two.
    score: float
    #: The language of each text as compared (as the caller gave them, else detected from the
    #: text when it can be).
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
    return set(shingle_counts(tokens, size))


def shingle_counts(tokens: list[str], size: int = SHINGLE) -> Counter[tuple[str, ...]]:
    """The word ``size``-grams of a text and how often each occurs (a text shorter than that
    is one shingle)."""
    if len(tokens) < size:
        return Counter([tuple(tokens)] if tokens else [])
    return Counter(zip(*(tokens[i:] for i in range(size)), strict=False))


def language_of(text: ComparedText) -> str | None:
    """The language the text is written in: detected from it where it is long enough (archives
    label some Spanish stories ``en``), else the article's own label. The words that start in
    lower case decide when there are enough of them: a list of names reads as no language (a
    funeral committee of 230 Korean names came out Indonesian in English and in Spanish)."""
    common = " ".join(w for w in _LETTERS.findall(text.body[:10_000]) if not w[0].isupper())
    return detect_language(common) or detect_language(text.body) or text.language


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


@dataclass(frozen=True, slots=True)
class _Stretch:
    """A stretch of the diff: the same in both texts (white space aside) or changed, with its
    character offsets and its words in each text."""

    same: bool
    a_start: int
    a_end: int
    b_start: int
    b_end: int
    words_a: int
    words_b: int


def _stretches(pieces: list[Piece]) -> list[_Stretch]:
    """The diff as alternating stretches kept and changed. A change of white space alone (a
    paragraph break for a space) does not cut what is kept."""
    out: list[_Stretch] = []
    at_a = at_b = 0
    for piece in pieces:
        size, count = len(piece.text), len(_WORDS.findall(piece.text))
        same = piece.op == "equal" or (piece.text.isspace() and bool(out) and out[-1].same)
        grow_a = size if piece.op != "insert" else 0
        grow_b = size if piece.op != "delete" else 0
        if out and out[-1].same == same:
            last = out[-1]
            out[-1] = _Stretch(
                same,
                last.a_start,
                last.a_end + grow_a,
                last.b_start,
                last.b_end + grow_b,
                last.words_a + (count if grow_a else 0),
                last.words_b + (count if grow_b else 0),
            )
        else:
            out.append(
                _Stretch(same, at_a, at_a + grow_a, at_b, at_b + grow_b, count if grow_a else 0, count if grow_b else 0)
            )
        at_a += grow_a
        at_b += grow_b
    return out


def shared_spans(pieces: list[Piece], min_words: int = QUOTE_WORDS) -> list[Span]:
    """The unchanged stretches of at least ``min_words`` words, longest first."""
    return _spans(_stretches(pieces), min_words)


def _spans(stretches: list[_Stretch], min_words: int) -> list[Span]:
    spans = [
        Span(s.a_start, s.a_end, s.b_start, s.b_end, s.words_a) for s in stretches if s.same and s.words_a >= min_words
    ]
    return sorted(spans, key=lambda s: -s.words)


def _frame_share(stretches: list[_Stretch], shorter: int) -> float:
    """The share of the shorter text's words that are its frame (C8): unchanged stretches of at
    least ``SHINGLE`` words, and the slot-sized replacements beside them, which count for no more
    than the unchanged words. Common words the diff aligns between unrelated sentences ("the",
    "of") are not a frame, nor the gaps between them."""
    anchored = [s.same and s.words_a >= SHINGLE for s in stretches]
    kept = sum(s.words_a for s, anchor in zip(stretches, anchored, strict=True) if anchor)
    slotted = 0
    for i, stretch in enumerate(stretches):
        replaced = not stretch.same and min(stretch.words_a, stretch.words_b) > 0
        beside = (i > 0 and anchored[i - 1]) or (i + 1 < len(stretches) and anchored[i + 1])
        if replaced and beside and max(stretch.words_a, stretch.words_b) <= SLOT_WORDS:
            slotted += min(stretch.words_a, stretch.words_b)
    return (kept + min(slotted, kept)) / shorter if shorter else 0.0


def _extent(stretches: list[_Stretch], longer_is_b: bool) -> float:
    """The share of the longer text spanned by the shortest stretch of it that holds
    ``MOST_SHARED`` of the words both texts carry (in unchanged stretches of ``SHINGLE`` words
    or more): near 1 when the shorter text is spread through the longer (one item edited,
    paragraphs added between its own), small when it is one passage of it."""
    runs: list[tuple[int, int]] = []  # (start in the longer, words)
    at = 0
    for stretch in stretches:
        count = stretch.words_b if longer_is_b else stretch.words_a
        if stretch.same and count >= SHINGLE:
            runs.append((at, count))
        at += count
    wanted = MOST_SHARED * sum(count for _, count in runs)
    best = 1.0
    held, last = 0, 0
    for start, count in runs:
        while last < len(runs) and held < wanted:
            held += runs[last][1]
            last += 1
        if held >= wanted:
            best = min(best, (runs[last - 1][0] + runs[last - 1][1] - start) / at)
        held -= count
    return best if runs else 0.0


def _beyond_reach(shared: int, shorter: int) -> bool:
    """Whether two texts in one language that share ``shared`` shingles (counted with repeats)
    can be neither quotes, nor a reprint, nor a template, before any diff.

    A quoted passage is an unchanged stretch of ``QUOTE_WORDS`` words (C7), which alone gives
    ``QUOTE_WORDS - SHINGLE + 1`` shared shingles. A reprint or a template needs a frame share of
    ``FRAME_SHARE`` (C3, C8): the unchanged stretches of ``SHINGLE`` words or more hold at least
    half of it (the slots beside them count for no more than they do), so ``FRAME_SHARE * shorter
    / 2`` words, and a stretch of ``n >= SHINGLE`` words gives ``n - SHINGLE + 1 >= n / SHINGLE``
    shared shingles. Below both counts the diff cannot find either, so it is not run."""
    return shared < QUOTE_WORDS - SHINGLE + 1 and shared * 2 * SHINGLE < FRAME_SHARE * shorter


def compare_texts(
    a: ComparedText,
    b: ComparedText,
    *,
    languages: tuple[str | None, str | None] | None = None,
    evidence: bool = True,
) -> Comparison:
    """The relation between two texts and its evidence (docs/compare-guide.md). Symmetric in
    the relation; ``changes`` and ``slots`` read from ``a`` to ``b``.

    ``languages``: each text's language when the caller knows it (the archive keeps it), so
    that none is detected. ``evidence=False`` computes only what decides the relation, and the
    slots of a template (a link keeps them): no diff of a duplicate, of two languages or of
    texts too far apart to relate, so ``pieces``, ``changes`` and ``spans`` may be empty. The
    relation, score, rule and slots are the same either way."""
    if languages is None:
        languages = (language_of(a), language_of(b))
    if normalised(a.body) == normalised(b.body):
        return Comparison("duplicate", 1.0, languages, (Piece("equal", a.body),) if a.body else (), (), (), (), "C2")
    if _two_languages(a, b, languages):
        score = translation_score(a, b)
        relation: Relation = "translation" if score.same_story else "unrelated"
        found = Comparison(relation, round(score.value, 4), languages, (), (), (), (), score.rule)
        return _shown(a, b, evidence, found)
    return _one_language(a, b, languages, evidence)


def _shown(a: ComparedText, b: ComparedText, evidence: bool, found: Comparison) -> Comparison:
    """``found`` with the diff of the two texts when the evidence is asked for (a page shows
    any two texts side by side), as it is when not."""
    if not evidence:
        return found
    pieces = sentence_diff(a.body, b.body)
    return dataclasses.replace(found, pieces=tuple(pieces), changes=tuple(changes_of(pieces)))


def _one_language(
    a: ComparedText, b: ComparedText, languages: tuple[str | None, str | None], evidence: bool
) -> Comparison:
    """Two texts in one language: reprint, quotes, template or unrelated (C3, C4, C7–C10)."""
    words_a, words_b = words(a.body), words(b.body)
    counts_a, counts_b = shingle_counts(words_a), shingle_counts(words_b)
    both = counts_a.keys() & counts_b.keys()
    shorter = min(len(counts_a), len(counts_b))
    containment = len(both) / shorter if shorter else 0.0
    shorter_words = min(len(words_a), len(words_b))
    if _beyond_reach(sum(min(counts_a[s], counts_b[s]) for s in both), shorter_words):
        unrelated = Comparison("unrelated", round(containment, 4), languages, (), (), (), (), "C10")
        return _shown(a, b, evidence, unrelated)
    pieces = sentence_diff(a.body, b.body)
    changes = changes_of(pieces)
    slots = changed_slots(changes, a.entities, b.entities, (a.body, b.body))
    stretches = _stretches(pieces)
    spans = _spans(stretches, QUOTE_WORDS)
    found = _Overlap(
        containment,
        _frame_share(stretches, shorter_words),
        _extent(stretches, longer_is_b=len(words_b) >= len(words_a)),
        bool(slots),
        bool(spans),
    )
    relation, rule = _decide(found)
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


@dataclass(frozen=True, slots=True)
class _Overlap:
    """What decides the relation of two texts in one language."""

    #: The share of the shorter text's shingles found in the longer.
    containment: float
    #: ``_frame_share``
    frame: float
    #: ``_extent``
    extent: float
    #: A slot holds another value (``slots.changed_slots``).
    slot_changed: bool
    #: A passage of ``QUOTE_WORDS`` words or more is shared.
    passage: bool


def _decide(found: _Overlap) -> tuple[Relation, str]:
    """The relation of two texts in one language, by the guide's rules in order (C11)."""
    # One text edited or one formula: the shared part spread through the longer text — unless
    # it is a passage of a broader text (C7). A shorter text too short to quote anything ("a
    # first sentence alone against the full report") is the item's lead.
    one_item = found.extent >= ONE_ITEM or not found.passage
    if found.frame >= FRAME_SHARE and found.slot_changed and one_item:
        return "template", "C8"
    if found.containment >= REPRINT_CONTAINMENT and found.frame >= FRAME_SHARE and one_item:
        return "reprint", "C3"
    if found.passage:
        return "quotes", "C7"
    return "unrelated", "C10"
