"""Word-level differences as HTML: removed words in ``<del>``, added ones in ``<ins>``,
long unchanged stretches shortened to the words around each change."""

from __future__ import annotations

import re
from dataclasses import dataclass

from markupsafe import Markup, escape

from wirewatch.clean.diff import CONTEXT, Piece, shorten

__all__ = ["CONTEXT", "TextDiff", "inline_diff", "text_diff"]

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
