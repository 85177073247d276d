"""A story's lead as a mail shows it: the first sentence of its text."""

from __future__ import annotations

import re

from wirewatch.models import Article

__all__ = ["LEAD_CHARS", "first_sentence", "lead_of"]

#: The longest lead, in characters (a line on a phone, two at most).
LEAD_CHARS = 200
_SENTENCE_END = re.compile(r"([.!?。])[\"”’)]?(?:\s|$)")
#: Words before a full stop that do not end a sentence.
_ABBREVIATIONS = frozenset(
    {
        "Mr.",
        "Mrs.",
        "Ms.",
        "Dr.",
        "St.",
        "Prof.",
        "Gen.",
        "Col.",
        "Lt.",
        "Sr.",
        "Jr.",
        "No.",
        "Vol.",
        "Sra.",
        "Jan.",
        "Feb.",
        "Mar.",
        "Apr.",
        "Jun.",
        "Jul.",
        "Aug.",
        "Sep.",
        "Sept.",
        "Oct.",
        "Nov.",
        "Dec.",
    }
)


def _sentence_end(text: str) -> int:
    """Where the first sentence of ``text`` (whitespace already collapsed) ends. An
    initial or a short abbreviation before a full stop does not end it ("Director M. Y.
    Fradkov", "Mr. Kim", "on Feb. 9")."""
    for match in _SENTENCE_END.finditer(text):
        before = text[: match.start() + 1].rsplit(" ", 1)[-1]
        if match.group(1) == "." and (len(before) <= 2 or before in _ABBREVIATIONS):
            continue
        return match.end()
    return len(text)


def first_sentence(text: str, limit: int = LEAD_CHARS) -> str:
    """The first sentence of ``text``, cut at a word with "…" past ``limit``."""
    text = " ".join(text.split())
    sentence = text[: _sentence_end(text)].strip()
    if len(sentence) > limit:
        cut = sentence[:limit].rsplit(" ", 1)[0] if " " in sentence[:limit] else sentence[:limit]
        sentence = cut.rstrip(" ,;:") + "…"
    return sentence


def lead_of(article: Article, limit: int = LEAD_CHARS) -> str:
    """The first sentence of the text, trimmed; the second when the title was made from
    the first (an input without a title)."""
    for paragraph in [p for p in article.body.split("\n") if p.strip()][:3]:
        text = " ".join(paragraph.split())
        if article.title_derived and text.startswith(article.title.rstrip("…")[:60]):
            text = text[_sentence_end(text) :].strip()
        if text:
            return first_sentence(text, limit)
    return ""
