"""Word-level differences between two versions of a text."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Literal

# Words, single punctuation marks and runs of white space: a changed comma shows as a
# changed comma, not as a changed word, and the text rebuilds exactly from the pieces.
_TOKENS = re.compile(r"\w+|\s+|[^\w\s]")

Op = Literal["equal", "delete", "insert"]
#: Unchanged words kept on each side of a change when a diff is shortened.
CONTEXT = 12
_SPACES = re.compile(r"(\s+)")


@dataclass(frozen=True, slots=True)
class Piece:
    op: Op
    text: str


def word_diff(old: str, new: str) -> list[Piece]:
    """``old`` turned into ``new`` as pieces kept, deleted and inserted (a replacement is
    a deletion then an insertion). Joining the equal and deleted pieces gives ``old``;
    the equal and inserted ones give ``new``."""
    a, b = _TOKENS.findall(old), _TOKENS.findall(new)
    pieces: list[Piece] = []

    def emit(op: Op, tokens: list[str]) -> None:
        text = "".join(tokens)
        if not text:
            return
        if pieces and pieces[-1].op == op:
            pieces[-1] = Piece(op, pieces[-1].text + text)
        else:
            pieces.append(Piece(op, text))

    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            emit("equal", a[i1:i2])
        else:
            emit("delete", a[i1:i2])
            emit("insert", b[j1:j2])
    return _whole_changes(pieces)


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
#: Past this many tokens on both sides, a replaced stretch of sentences is not diffed word
#: by word (the texts there have nothing in common worth aligning, and the cost grows with
#: the product of the lengths).
WORD_DIFF_LIMIT = 4000


def sentence_diff(old: str, new: str, *, limit: int = WORD_DIFF_LIMIT) -> list[Piece]:
    """As :func:`word_diff`, for texts of any length: sentences are aligned first (equal once
    white space is normalised), then each replaced stretch is diffed word by word when both
    sides hold at most ``limit`` tokens, or shown as one deletion and one insertion."""
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

    matcher = difflib.SequenceMatcher(None, [" ".join(s.split()) for s in a], [" ".join(s.split()) for s in b], False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        left, right = "".join(a[i1:i2]), "".join(b[j1:j2])
        if tag == "equal":
            extend([Piece("equal", left)])
        elif len(_TOKENS.findall(left)) <= limit and len(_TOKENS.findall(right)) <= limit:
            extend(word_diff(left, right))
        else:
            extend([Piece("delete", left), Piece("insert", right)])
    return _whole_changes(pieces)
