"""Text normalisation: Unicode, whitespace, paragraphs, HTML fragments, titles."""

from __future__ import annotations

import hashlib
import html
import re
import unicodedata

#: Characters that carry no text: zero-width spaces and joiners, BOM, soft hyphen.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
#: Every kind of horizontal space becomes one ASCII space.
_SPACES = re.compile(r"[^\S\n]+")
_BLANK_LINE = re.compile(r"\n[^\S\n]*\n\s*")
_NEWLINES = re.compile(r"\r\n?|[\u2028\u2029\x0b\x0c\x85]")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")

#: A paragraph break that the KCNA scrape turned into "., " inside a paragraph
#: ("on Friday., The audience ..."): a sentence end directly followed by a comma
#: and a capitalised word. Two lower-case letters before the full stop keep
#: abbreviations such as "U.S., Japan" intact.
_SCRAPE_BREAK = re.compile(r"(?<=[a-z]{2}[.!?])([\"”’]?),[^\S\n]+(?=[\"“]?[A-Z])")

_TAG = re.compile(r"<(?:p|br|div|span|a|b|i|em|strong|h[1-6]|li|ul|ol|table|tr|td|font|img)\b[^>]*>|</[a-z][a-z0-9]*\s*>", re.I)
_ENTITY = re.compile(r"&(?:#\d{1,7}|#x[0-9a-f]{1,6}|[a-z][a-z0-9]{1,31});", re.I)

_SENTENCE_END = re.compile(r"(?<=[.!?。])[\"”’)]?\s|(?<=다\.)\s")
TITLE_MAX_CHARS = 120


def looks_like_html(text: str) -> bool:
    """True when the text carries HTML tags or entities rather than plain prose."""
    return bool(_TAG.search(text) or _ENTITY.search(text))


def html_to_text(fragment: str) -> str:
    """Plain text of an HTML fragment, with block elements as paragraph breaks."""
    import lxml.html  # lxml comes with trafilatura; imported here to keep start-up light

    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except Exception:  # noqa: BLE001 - lxml raises several types for broken markup
        return html.unescape(_TAG.sub(" ", fragment))
    for br in root.iter("br"):
        br.tail = "\n" + (br.tail or "")
    for block in root.iter("p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "blockquote"):
        block.tail = "\n\n" + (block.tail or "")
        block.text = "\n\n" + (block.text or "")
    for dead in root.iter("script", "style"):
        dead.drop_tree()
    return root.text_content()


def normalize_text(text: str) -> str:
    """Unicode NFC, one space between words, paragraphs separated by one blank line.

    A text with blank lines keeps them as the paragraph breaks and joins the lines
    inside a paragraph; a text without any treats each line as a paragraph.
    """
    if looks_like_html(text):
        text = html_to_text(text)
    text = unicodedata.normalize("NFC", text).translate(_INVISIBLE)
    text = _CONTROL.sub("", _NEWLINES.sub("\n", text))
    text = _SCRAPE_BREAK.sub(r"\1\n\n", text)
    return "\n\n".join(paragraphs(text))


def paragraphs(text: str) -> list[str]:
    """The non-empty paragraphs of a text, each on one line with single spaces."""
    if _BLANK_LINE.search(text):
        blocks = _BLANK_LINE.split(text)
    else:
        blocks = text.split("\n")
    out = []
    for block in blocks:
        line = _SPACES.sub(" ", block.replace("\n", " ")).strip()
        if line:
            out.append(line)
    return out


def normalize_line(text: str) -> str:
    """A one-line value (title, source, place) cleaned like body text."""
    if looks_like_html(text):
        text = html_to_text(text)
    text = unicodedata.normalize("NFC", text).translate(_INVISIBLE)
    return _SPACES.sub(" ", _CONTROL.sub("", text.replace("\n", " ").replace("\r", " "))).strip()


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
