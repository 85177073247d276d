"""Text normalisation: Unicode, whitespace, paragraphs, HTML fragments, titles."""

from __future__ import annotations

import hashlib
import html
import re
import unicodedata

#: One pass of str.translate does the per-character work: line separators become
#: "\n"; control characters and invisible ones (zero-width spaces and joiners,
#: BOM, soft hyphen) go. Tab and newline stay for the paragraph logic.
_CHAR_MAP: dict[int, str | None] = {
    **dict.fromkeys(map(ord, "\r\u2028\u2029\x0b\x0c\x85"), "\n"),
    **dict.fromkeys((c for c in range(32) if chr(c) not in "\t\n\r\x0b\x0c"), None),
    0x7F: None,
    **dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None),
}
#: Any character ``_CHAR_MAP`` changes. Most texts hold none, and one search for them
#: is cheaper than a translate that copies the text unchanged.
_MAPPED = re.compile("[" + "".join(re.escape(chr(c)) for c in _CHAR_MAP) + "]")
_BLANK_LINE = re.compile(r"\n[^\S\n]*\n\s*")
#: What lxml refuses in a tree's text ("All strings must be XML compatible") that
#: ``_CHAR_MAP`` leaves: lone surrogates, U+FFFE and U+FFFF.
_NOT_XML = re.compile("[\ud800-\udfff\ufffe\uffff]")

#: A paragraph break that the KCNA scrape turned into "., " inside a paragraph
#: ("on Friday., The audience ..."): a sentence end directly followed by a comma
#: and a capitalised word. Two lower-case letters before the full stop keep
#: abbreviations such as "U.S., Japan" intact. The pattern starts at the comma, with
#: the sentence end as look-behinds, so the regex engine can skip from comma to comma:
#: led by a look-behind it would try every position of every body.
_SCRAPE_BREAK = re.compile(r",(?:(?<=[a-z]{2}[.!?],)|(?<=[a-z]{2}[.!?][\"”’],))[^\S\n]+(?=[\"“]?[A-Z])")

_TAG = re.compile(
    r"<(?:p|br|div|span|a|b|i|em|strong|h[1-6]|li|ul|ol|table|tr|td|font|img)\b[^>]*>|</[a-z][a-z0-9]*\s*>", re.I
)
_ENTITY = re.compile(r"&(?:#\d{1,7}|#x[0-9a-f]{1,6}|[a-z][a-z0-9]{1,31});", re.I)

_SENTENCE_END = re.compile(r"(?<=[.!?。])[\"”’)]?\s|(?<=다\.)\s")
TITLE_MAX_CHARS = 120


def looks_like_html(text: str) -> bool:
    """True when the text carries HTML tags or entities rather than plain prose."""
    # The membership tests find the common answer (no "<", no "&") without a regex.
    return bool(("<" in text and _TAG.search(text)) or ("&" in text and _ENTITY.search(text)))


def html_to_text(fragment: str) -> str:
    """Plain text of an HTML fragment, with block elements as paragraph breaks."""
    import lxml.html  # lxml comes with trafilatura; imported here to keep start-up light

    # Control characters go first, as normalisation would drop them anyway: lxml refuses
    # a tree whose text holds one, and one such character must not cost the text.
    fragment = _NOT_XML.sub("", _map_chars(fragment))
    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except Exception:
        return html.unescape(_TAG.sub(" ", fragment))
    for br in root.iter("br"):
        br.tail = "\n" + (br.tail or "")
    for block in root.iter("p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "blockquote"):
        block.tail = "\n\n" + (block.tail or "")
        block.text = "\n\n" + (block.text or "")
    for dead in root.iter("script", "style"):
        dead.drop_tree()
    return str(root.text_content())


def normalize_text(text: str) -> str:
    """Unicode NFC, one space between words, paragraphs separated by one blank line.

    A text with blank lines keeps them as the paragraph breaks and joins the lines
    inside a paragraph; a text without any treats each line as a paragraph.
    """
    return "\n\n".join(clean_paragraphs(text))


def clean_paragraphs(text: str) -> list[str]:
    """The paragraphs of ``normalize_text(text)``, before they are joined: each non-empty,
    on one line, with single spaces (so ``paragraphs`` would give them back unchanged)."""
    if looks_like_html(text):
        text = html_to_text(text)
    text = _map_chars(unicodedata.normalize("NFC", text.replace("\r\n", "\n")))
    text = _SCRAPE_BREAK.sub("\n\n", text)
    return paragraphs(text)


def paragraphs(text: str) -> list[str]:
    """The non-empty paragraphs of a text, each on one line with single spaces."""
    blocks = _BLANK_LINE.split(text) if _BLANK_LINE.search(text) else text.split("\n")
    # str.split() without arguments splits on every Unicode space, in C.
    return [line for line in (" ".join(block.split()) for block in blocks) if line]


def normalize_line(text: str) -> str:
    """A one-line value (title, source, place) cleaned like body text."""
    if looks_like_html(text):
        text = html_to_text(text)
    return " ".join(_map_chars(unicodedata.normalize("NFC", text)).split())


def _map_chars(text: str) -> str:
    return text.translate(_CHAR_MAP) if _MAPPED.search(text) else text


def derive_title(body: str, *, limit: int = TITLE_MAX_CHARS) -> str:
    """A title from the body's first sentence, cut at a word boundary with '…' past ``limit``."""
    first = body.split("\n", 1)[0].strip()
    match = _SENTENCE_END.search(first)
    sentence = first[: match.start()].strip() if match else first
    sentence = sentence.rstrip(" .")
    if len(sentence) <= limit:
        return sentence
    cut = sentence[:limit].rsplit(" ", 1)[0] if " " in sentence[:limit] else sentence[:limit]
    return cut.rstrip(" ,;:") + "…"


def body_hash(body: str) -> str:
    """The key under which exact duplicates meet: a digest of the normalised body."""
    return hashlib.sha256(body.encode("utf-8")).hexdigest()
