"""Snippets: the stretch of an article around the words a search matched.

Cut in Python from the stored text, so every back end gives the same snippet
and the index can stay contentless.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from wirewatch.search.korean import MARK, SPANNING, highlight_pattern
from wirewatch.search.query import Term
from wirewatch.search.tokens import is_cjk


@dataclass(frozen=True, slots=True)
class Snippet:
    text: str
    highlights: tuple[tuple[int, int], ...]  # [start, end) offsets into text


def term_pattern(term: Term) -> str:
    """A regex that finds the term in plain text the way the index matches it."""
    if all(is_cjk(word) for word in term.words):
        if term.tokens and term.tokens[0].startswith((MARK, SPANNING)):  # either Korea's spelling (search.korean)
            return highlight_pattern("".join(term.words))
        # Bigram matching finds the characters inside longer word forms.
        return r"\s*".join(map(re.escape, "".join(term.words)))
    parts = [re.escape(token) for token in term.tokens]
    tail = r"\w*" if term.prefix else r"(?!\w)"
    if not term.tokens or not term.tokens[0]:
        return r"(?<!\w)" + r"[\W_]+".join(parts) + tail
    # "not after a letter", asserted after the first character rather than before it: a
    # pattern that opens with a character is searched for it, three times as fast as one
    # that opens with a lookbehind tried at every position
    first = re.escape(term.tokens[0][:1])
    head = first + r"(?<!\w" + first + ")" + re.escape(term.tokens[0][1:])
    return r"[\W_]+".join([head, *parts[1:]]) + tail


def matcher(terms: Sequence[Term]) -> re.Pattern[str] | None:
    """One compiled pattern finding any of the terms, longest first."""
    if not terms:
        return None
    patterns = sorted({term_pattern(t) for t in terms}, key=len, reverse=True)
    return re.compile("|".join(patterns), re.IGNORECASE)


def make_snippet(text: str, pattern: re.Pattern[str] | None, *, width: int = 240) -> Snippet:
    """About ``width`` characters of ``text`` around its first match, with the matches marked.

    Without a match (or a pattern) the snippet is the text's beginning.
    """
    flat = text.replace("\n\n", " ¶ ") if "\n\n" in text[: width * 40] else text
    first = pattern.search(flat) if pattern else None
    if first is None:
        start = 0
    else:
        start = max(0, first.start() - width // 3)
        if start:
            space = flat.find(" ", start)
            start = space + 1 if 0 <= space < first.start() else start
    end = min(len(flat), start + width)
    if end < len(flat):
        space = flat.rfind(" ", start, end)
        end = space if space > (first.end() if first else start) else end
    piece = flat[start:end]
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(flat) else ""
    text_out = prefix + piece + suffix
    spans: list[tuple[int, int]] = []
    if pattern:
        offset = len(prefix)
        spans = [(m.start() + offset, m.end() + offset) for m in pattern.finditer(piece) if m.end() > m.start()]
    return Snippet(text_out, tuple(spans))
