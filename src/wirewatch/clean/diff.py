"""Word-level differences between two versions of a text."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import Literal

from cydifflib import SequenceMatcher

Op = Literal["equal", "delete", "insert"]
#: Unchanged words kept on each side of a change when a diff is shortened.
CONTEXT = 12
_SPACES = re.compile(r"(\s+)")
#: Up to this many words and marks on each side (or the same product of the two counts), a
#: stretch is aligned by difflib at once; longer ones are first cut at the passages both carry.
#: difflib's cost grows with the product of the lengths: a 300-word report against a
#: 6,000-word editorial took 25 ms at once, two unrelated 40,000-character stories seconds.
WORD_DIFF_LIMIT = 1000


@dataclass(frozen=True, slots=True)
class Piece:
    op: Op
    text: str


def word_diff(old: str, new: str, *, limit: int = WORD_DIFF_LIMIT) -> list[Piece]:
    """``old`` turned into ``new`` as pieces kept, deleted and inserted (a replacement is
    a deletion then an insertion). Joining the equal and deleted pieces gives ``old``;
    the equal and inserted ones give ``new``.

    Up to ``limit`` squared in the product of the two texts' counts of words and marks, they
    are aligned word by word; longer texts are first cut at the passages both carry (``_opcodes``)."""
    a, b = _units(old), _units(new)
    pieces: list[Piece] = []

    def emit(op: Op, text: str) -> None:
        if not text:
            return
        if pieces and pieces[-1].op == op:
            pieces[-1] = Piece(op, pieces[-1].text + text)
        else:
            pieces.append(Piece(op, text))

    # Words and marks are aligned without the white space between them: a space is every other
    # token, and difflib's longest-match search scans each occurrence of a token in the other
    # text, so aligning spaces cost most of the time (30 times as much) and decided nothing.
    for tag, i1, i2, j1, j2 in _opcodes([u[0] for u in a], [u[0] for u in b], limit * limit):
        if tag == "equal" and a[i1:i2] == b[j1:j2]:
            emit("equal", "".join(w + s for w, s in a[i1:i2]))
            continue
        if tag == "equal":
            for (word, space_a), (_, space_b) in zip(a[i1:i2], b[j1:j2], strict=True):
                if space_a == space_b:
                    emit("equal", word + space_a)
                else:  # the same word, spaced otherwise ("\n\n" against " ")
                    emit("equal", word)
                    emit("delete", space_a)
                    emit("insert", space_b)
            continue
        left, right = "".join(w + s for w, s in a[i1:i2]), "".join(w + s for w, s in b[j1:j2])
        # The space after a replaced stretch, when both sides have it, is kept: "[-Monday-]{+Friday+} ".
        space = a[i2 - 1][1] if i2 > i1 and j2 > j1 and a[i2 - 1][1] == b[j2 - 1][1] else ""
        emit("delete", left[: len(left) - len(space)])
        emit("insert", right[: len(right) - len(space)])
        emit("equal", space)
    return _whole_changes(pieces)


_Opcode = tuple[str, int, int, int, int]
#: Words in the sequences that anchor the alignment of long texts.
ANCHOR = 5
#: How many times a stretch between anchors is cut again at the sequences it holds once.
ANCHOR_DEPTH = 8


def _opcodes(a: list[str], b: list[str], direct: int, at_a: int = 0, at_b: int = 0, depth: int = 0) -> list[_Opcode]:
    """difflib's opcodes turning ``a`` into ``b`` (offsets from ``at_a``, ``at_b``). Past
    ``direct`` in the product of the lengths, difflib's search (which grows with that product)
    runs only between anchors: the ``ANCHOR``-word sequences each text holds once and both
    hold, in an order both agree on (the longest such chain, as patience diff takes it). A
    long stretch with no anchor has nothing worth aligning and is one replacement."""
    if not a or not b or len(a) * len(b) <= direct:
        codes = SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
        return [(tag, i1 + at_a, i2 + at_a, j1 + at_b, j2 + at_b) for tag, i1, i2, j1, j2 in codes]
    anchors = _anchors(a, b) if depth < ANCHOR_DEPTH else []
    if not anchors:
        return [("replace", at_a, at_a + len(a), at_b, at_b + len(b))]
    out: list[_Opcode] = []
    i = j = 0
    for ai, bj, size in [*anchors, (len(a), len(b), 0)]:
        if i < ai or j < bj:
            out.extend(_opcodes(a[i:ai], b[j:bj], direct, at_a + i, at_b + j, depth + 1))
        if size:
            out.append(("equal", at_a + ai, at_a + ai + size, at_b + bj, at_b + bj + size))
        i, j = ai + size, bj + size
    return out


def _anchors(a: list[str], b: list[str]) -> list[tuple[int, int, int]]:
    """Runs (start in ``a``, start in ``b``, length) of the sequences of ``ANCHOR`` words each
    text holds once and both hold, in increasing order on both sides, as many as can be."""
    once_a, once_b = _once(a), _once(b)
    pairs = sorted((once_a[gram], once_b[gram]) for gram in once_a.keys() & once_b.keys())
    # The longest chain increasing in ``b`` (patience sorting, with the predecessor of each).
    tails: list[int] = []
    tail_at: list[int] = []
    before = [-1] * len(pairs)
    for n, (_, j) in enumerate(pairs):
        k = bisect.bisect_left(tails, j)
        before[n] = tail_at[k - 1] if k else -1
        if k == len(tails):
            tails.append(j)
            tail_at.append(n)
        else:
            tails[k], tail_at[k] = j, n
    chain: list[tuple[int, int]] = []
    n = tail_at[-1] if tail_at else -1
    while n >= 0:
        chain.append(pairs[n])
        n = before[n]
    runs: list[tuple[int, int, int]] = []
    for i, j in reversed(chain):
        if runs:
            start_a, start_b, size = runs[-1]
            if i - start_a == j - start_b and i <= start_a + size:  # the same run, one word on
                runs[-1] = (start_a, start_b, i + ANCHOR - start_a)
                continue
            if i < start_a + size or j < start_b + size:  # overlaps the run before it
                continue
        runs.append((i, j, ANCHOR))
    return runs


def _once(words: list[str]) -> dict[tuple[str, ...], int]:
    """The ``ANCHOR``-word sequences that occur once in ``words``, and where."""
    seen: dict[tuple[str, ...], int] = {}
    for n, gram in enumerate(zip(*(words[k:] for k in range(ANCHOR)), strict=False)):
        seen[gram] = -1 if gram in seen else n
    return {gram: n for gram, n in seen.items() if n >= 0}


# A word or a single mark with the white space after it: a changed comma shows as a changed
# comma, not as a changed word, and the text rebuilds exactly from the pieces.
_UNITS = re.compile(r"(\w+|[^\w\s])(\s*)")


def _units(text: str) -> list[tuple[str, str]]:
    """The text as (word or mark, white space after it); white space that opens the text is a
    unit of its own with no word, so the units rebuild the text exactly."""
    lead = len(text) - len(text.lstrip())
    units: list[tuple[str, str]] = _UNITS.findall(text, lead)
    return [("", text[:lead]), *units] if lead else units


def _whole_changes(pieces: list[Piece]) -> list[Piece]:
    """Changes separated only by white space read as one: "visited Russia [-in 2001, 2002
    and 2011-]{+three times+}", not "[-in-]{+three+} [-2001, 2002 and 2011-]{+times+}"."""
    out: list[Piece] = []
    i = 0
    while i < len(pieces):
        if pieces[i].op == "equal":
            out.append(pieces[i])
            i += 1
            continue
        deleted: list[str] = []
        inserted: list[str] = []
        while i < len(pieces):
            piece = pieces[i]
            if piece.op == "delete":
                deleted.append(piece.text)
            elif piece.op == "insert":
                inserted.append(piece.text)
            elif piece.text.isspace() and i + 1 < len(pieces) and pieces[i + 1].op != "equal":
                deleted.append(piece.text)
                inserted.append(piece.text)
            else:
                break
            i += 1
        if deleted:
            out.append(Piece("delete", "".join(deleted)))
        if inserted:
            out.append(Piece("insert", "".join(inserted)))
    return out


def render_text(pieces: list[Piece], *, context: int | None = CONTEXT) -> str:
    """The diff as text, ``[-deleted-]`` and ``{+inserted+}`` as wdiff writes them.

    With ``context``, unchanged stretches keep that many words at each side of a
    change and the rest is shown as "…"."""
    out = []
    for n, piece in enumerate(pieces):
        if piece.op == "delete":
            out.append(f"[-{piece.text}-]")
        elif piece.op == "insert":
            out.append(f"{{+{piece.text}+}}")
        elif context is None:
            out.append(piece.text)
        else:
            head, left_out, tail = shorten(piece.text, context, first=n == 0, last=n == len(pieces) - 1)
            out.append(f"{head}…{tail}" if left_out else head)
    return "".join(out)


def shorten(text: str, context: int, *, first: bool, last: bool) -> tuple[str, str, str]:
    """An unchanged stretch as (head, left out, tail): ``context`` words after the change
    before it and before the change after it (none at the start or the end of the text).
    Short stretches come back whole, as the head."""
    words = _SPACES.split(text)  # words and the spaces between them
    keep = 2 * context
    if len(words) <= 2 * keep + 1 or (first and last):
        return text, "", ""
    start = 0 if first else keep
    end = len(words) if last else len(words) - keep
    return "".join(words[:start]), "".join(words[start:end]), "".join(words[end:])


# Sentences, with the white space after them: the text rebuilds exactly from the pieces.
_SENTENCES = re.compile(r"[^.!?\n]*(?:[.!?]+[\"'”’»)]*|\n|$)\s*")


def sentence_diff(old: str, new: str, *, limit: int = WORD_DIFF_LIMIT) -> list[Piece]:
    """As :func:`word_diff`, sentences aligned first (equal once white space is normalised),
    then each replaced stretch diffed word by word (``limit`` as there)."""
    a = [s for s in _SENTENCES.findall(old) if s]
    b = [s for s in _SENTENCES.findall(new) if s]
    pieces: list[Piece] = []

    def extend(more: list[Piece]) -> None:
        for piece in more:
            if not piece.text:
                continue
            if pieces and pieces[-1].op == piece.op:
                pieces[-1] = Piece(piece.op, pieces[-1].text + piece.text)
            else:
                pieces.append(piece)

    matcher = SequenceMatcher(None, [" ".join(s.split()) for s in a], [" ".join(s.split()) for s in b], False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        left, right = "".join(a[i1:i2]), "".join(b[j1:j2])
        if tag == "equal" and left == right:
            extend([Piece("equal", left)])
        else:  # replaced, or spaced otherwise
            extend(word_diff(left, right, limit=limit))
    return _whole_changes(pieces)
