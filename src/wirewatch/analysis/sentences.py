"""Sentences: an article's text split where its sentences end, abbreviations and initials
("Oct.", "U.S.", "S. Korea") kept inside."""

from __future__ import annotations

import re

__all__ = ["ABBREVIATIONS", "split_sentences"]

# Words whose period does not end a sentence.
ABBREVIATIONS = frozenset(
    (
        "mr mrs ms dr st mt jan feb mar apr jun jul aug sep sept oct nov dec no nos gen lt col maj capt prof "
        "sen rep gov jr sr co corp inc ltd vs int'l dept fig vol pp ave"
    ).split()
)
# Initials of one sound written with two letters, as names are transliterated from the
# Cyrillic and Mongolian scripts ("Sh. Shabdolov", "Ts. Elbegdorj", "Kh. Battulga").
_DIGRAPHS = frozenset("Sh Ch Zh Kh Ts Yu Ya Yo Ye".split())
# After initials such as "U.S." a new sentence starts only with one of these words.
_SENTENCE_OPENERS = frozenset(
    (
        "The This That These Those It He She They We I In On At But And Meanwhile Such Its His Her Their Our "
        "A An As After Before When While However Yet Also"
    ).split()
)
# A mark ends a sentence only before a capital, a digit, a line break or the end (after
# spaces and opening quotes): checked by the pattern itself, which keeps splitting fast.
_BOUNDARY = re.compile(r"[.!?][\"'”’)]*(?:[ \t]*,)?(?=\s)(?=[ \t\"'“‘(]*(?:[A-Z0-9\nÀ-Þ]|\Z))|\n+")
_NEXT_WORD = re.compile(r"\s*[\"'“‘(]*([\w'-]+)")


def split_sentences(text: str) -> list[tuple[int, int]]:
    """The sentences of ``text`` as ``(start, end)`` spans: split at line breaks, and at
    ``.``, ``!``, ``?`` (KCNA's ``.,`` and ``. ,`` paragraph joins included) unless the period closes an
    abbreviation (``Oct.``, ``Mt.``) or initials (``U.S.``, ``S. Korea``) inside a sentence."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        mark = match.group()
        if mark[0] != "\n" and mark[0] == ".":
            space = max(
                text.rfind(" ", 0, match.start()),
                text.rfind("\n", 0, match.start()),
            )
            token = text[space + 1 : match.start()].lstrip("(\"'“‘")
            bare = token.lower()
            if bare in ABBREVIATIONS and "," not in mark:
                continue
            if (len(token) == 1 and token.isupper()) or "." in token or token in _DIGRAPHS:
                # initials: "S. Korea", "U.S. House", "C.P. Mainali", "Sh. Shabdolov"; with a
                # comma after them a list goes on ("the chairman of the C.C., Nepal Worker-
                # Peasant Party"), unless a sentence's first word follows
                following = _NEXT_WORD.match(text, match.end())
                if (following.group(1) if following else "") not in _SENTENCE_OPENERS:
                    continue
        end = match.end() if mark[0] != "\n" else match.start()
        if text[start:end].strip():
            spans.append(_strip(text, start, end))
        start = match.end()
    if text[start:].strip():
        spans.append(_strip(text, start, len(text)))
    return spans


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1] in " \t\n,":
        end -= 1
    return start, end
