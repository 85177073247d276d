"""How text is cut into searchable tokens, shared by indexing, querying and snippets.

Latin, Cyrillic and other spaced scripts are split into words, as FTS5's
``unicode61`` tokenizer does. Korean, Chinese and Japanese are written without
spaces between the parts of a word form (``김정은동지께서``), so their runs of
characters are indexed as overlapping bigrams: ``김정 정은 은동 동지 지께 께서``.
A query ``김정은`` becomes the phrase ``김정 정은`` and so finds the name inside
any longer word form, the approach of Lucene's CJK analyser. Korean text is also indexed
a second time, as the South spells it at morpheme starts (``korean``): a query in either
spelling looks there, unless the reader asks for the exact spelling.
"""

from __future__ import annotations

import re
import unicodedata

from wirewatch.search.korean import normalised_tokens

_CJK_CHARS = "\u1100-\u11ff\u3040-\u30ff\u3130-\u318f\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\uff66-\uff9f"
CJK_RUN = re.compile(f"[{_CJK_CHARS}]+")
_WORD = re.compile(f"[{_CJK_CHARS}]+|[^\\W_]+")


def bigrams(run: str) -> list[str]:
    """Overlapping character pairs of a CJK run; a single character stays itself."""
    if len(run) < 2:
        return [run]
    return [run[i : i + 2] for i in range(len(run) - 1)]


def _spaced_bigrams(match: re.Match[str]) -> str:
    return " " + " ".join(bigrams(match.group())) + " "


def index_text(text: str) -> str:
    """The text as the full-text index should see it: CJK runs replaced by bigrams, and
    after them the Korean in the South's spelling at morpheme starts (``korean``)."""
    if text.isascii() or not CJK_RUN.search(text):
        return text
    return " ".join((CJK_RUN.sub(_spaced_bigrams, text), *normalised_tokens(text)))


def query_tokens(word: str) -> list[str]:
    """The index tokens a query word stands for, lower-cased, in order."""
    tokens: list[str] = []
    for piece in _WORD.findall(word):
        if CJK_RUN.fullmatch(piece):
            tokens.extend(bigrams(piece))
        else:
            tokens.append(piece.lower())
    return tokens


def is_cjk(word: str) -> bool:
    """True when the word is written in Korean, Chinese or Japanese characters only."""
    return bool(CJK_RUN.fullmatch(word))


def fold(token: str) -> str:
    """A token as FTS5's unicode61 tokenizer (remove_diacritics 2) stores it: lower case,
    without accents. The PostgreSQL and tantivy indexes store their tokens folded this way."""
    if token.isascii():
        return token.lower()
    decomposed = unicodedata.normalize("NFKD", token.lower())
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if not unicodedata.combining(c)))


def index_tokens(text: str) -> list[str]:
    """The folded tokens of a text, in order: what the PostgreSQL and tantivy indexes hold
    (``query_tokens`` then ``fold``, with the ASCII text most articles are in done at once)."""
    if text.isascii():
        return _WORD.findall(text.lower())
    tokens: list[str] = []
    for piece in _WORD.findall(text):
        if CJK_RUN.fullmatch(piece):
            tokens.extend(bigrams(piece))
        else:
            tokens.append(fold(piece))
    return tokens + normalised_tokens(text)
