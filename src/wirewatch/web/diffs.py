"""Word-level differences as HTML: removed words in ``<del>``, added ones in ``<ins>``,
long unchanged stretches shortened to the words around each change."""

from __future__ import annotations

import re
from dataclasses import dataclass

from markupsafe import Markup, escape

from wirewatch.clean.diff import CONTEXT, Piece, shorten

__all__ = ["CONTEXT", "SideBySide", "TextDiff", "inline_diff", "side_by_side", "text_diff"]

#: A blank line between paragraphs, as ``clean.text.paragraphs`` reads it.
_PARAGRAPH_BREAK = re.compile(r"\n[^\S\n]*\n\s*")
_ELIDED = '<span class="elided" title="unchanged text left out">…</span>'


def _mark(op: str, text: str) -> str:
    if op == "delete":
        return f"<del>{escape(text)}</del>"
    if op == "insert":
        return f"<ins>{escape(text)}</ins>"
    return str(escape(text))


def inline_diff(pieces: list[Piece]) -> Markup:
    """A one-line diff (a title) in full."""
    return Markup("".join(_mark(p.op, p.text) for p in pieces))


@dataclass(frozen=True, slots=True)
class TextDiff:
    html: Markup
    #: Some unchanged text was left out (the page then offers the whole texts).
    shortened: bool


def text_diff(pieces: list[Piece], *, context: int | None = CONTEXT) -> TextDiff:
    """A text's diff as paragraphs (``<p>``); with ``context``, unchanged stretches keep
    that many words at each side of a change and the rest shows as "…" (a paragraph of
    its own when whole paragraphs were left out)."""
    paragraphs: list[list[str]] = [[]]
    shortened = False

    def add(op: str, text: str) -> None:
        for n, part in enumerate(_PARAGRAPH_BREAK.split(text)):
            if n:
                paragraphs.append([])
            if part:
                paragraphs[-1].append(_mark(op, part))

    for n, piece in enumerate(pieces):
        if piece.op != "equal" or context is None:
            add(piece.op, piece.text)
            continue
        head, left_out, tail = shorten(piece.text, context, first=n == 0, last=n == len(pieces) - 1)
        add("equal", head)
        if left_out:
            shortened = True
            if _PARAGRAPH_BREAK.search(left_out):
                paragraphs += [[_ELIDED], []]
                tail = tail.lstrip()
            else:
                paragraphs[-1].append(_ELIDED)
            add("equal", tail)
    html = "".join(
        f'<p class="elided-paragraph">{_ELIDED}</p>' if p == [_ELIDED] else f"<p>{''.join(p)}</p>"
        for p in paragraphs
        if p
    )
    return TextDiff(Markup(html), shortened)


@dataclass(frozen=True, slots=True)
class SideBySide:
    """Two texts as paragraphs, each with what the other lacks marked: ``a`` with its
    removed words in ``<del>``, ``b`` with its added ones in ``<ins>``; a substitution (a
    removal where the other has an addition) carries ``class="sub"`` on both sides."""

    a: Markup
    b: Markup


def side_by_side(pieces: list[Piece], *, marked: bool = True) -> SideBySide:
    """The two texts of a diff side by side; without ``marked``, as plain paragraphs (texts
    in two languages, whose word diff says nothing)."""
    sides: dict[str, list[list[str]]] = {"a": [[]], "b": [[]]}

    def add(side: str, text: str, tag: str | None, substituted: bool) -> None:
        for n, part in enumerate(_PARAGRAPH_BREAK.split(text)):
            if n:
                sides[side].append([])
            if not part:
                continue
            if tag is None or not marked:
                sides[side][-1].append(str(escape(part)))
            else:
                css = ' class="sub"' if substituted else ""
                sides[side][-1].append(f"<{tag}{css}>{escape(part)}</{tag}>")

    for n, piece in enumerate(pieces):
        if piece.op == "equal":
            add("a", piece.text, None, False)
            add("b", piece.text, None, False)
        elif piece.op == "delete":
            add("a", piece.text, "del", n + 1 < len(pieces) and pieces[n + 1].op == "insert")
        else:
            add("b", piece.text, "ins", n > 0 and pieces[n - 1].op == "delete")
    html = {
        side: Markup("".join(f"<p>{''.join(p)}</p>" for p in paragraphs if p)) for side, paragraphs in sides.items()
    }
    return SideBySide(html["a"], html["b"])
