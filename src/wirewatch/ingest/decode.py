"""Bytes to text, one way for pages and one for records.

- ``decode_body`` reads a web page or feed, wherever its bytes come from: a body the
  collector fetched (``wirewatch.collect.fetch``), a WARC capture's payload, a saved HTML
  file. The same bytes with the same Content-Type give the same text, so a page does not
  change when it is re-read from an archive. It never fails: the last rule replaces what
  no charset decodes.
- ``decode_text`` reads a record that has no way to declare its charset (a JSON line, a CSV
  row, a text file, a page saved from an aggregator): UTF-8, then the fallbacks the options
  name, strictly, so a record no charset decodes is rejected with the charsets tried.
"""

from __future__ import annotations

import codecs
import functools
import re
from typing import NamedTuple

from wirewatch.errors import UndecodableRecord

__all__ = ["BOMS", "Decoded", "declared_charset", "decode_body", "decode_text", "split_content_type"]

#: The byte-order marks a body may start with, and the charset each one names.
BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
#: How far into a body a ``<meta>`` or XML declaration is looked for.
_DECLARATION_BYTES = 4096

_META_CHARSET = re.compile(rb"""<meta\s[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.I)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml\s[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']""", re.I)
#: Charsets sites declare and the supersets they actually write, as browsers read them.
_WIDER = {"euc_kr": "cp949"}


class Decoded(NamedTuple):
    """A body's text and the charset (Python's name) that decoded it."""

    text: str
    charset: str


def decode_body(content: bytes, header_charset: str | None = None) -> Decoded:
    """The text of a page or feed, given the charset its transport named (the charset of
    the HTTP Content-Type, fetched or recorded in a WARC capture), if any.

    The order:

    1. a byte-order mark (UTF-8, UTF-16) decides, and is dropped;
    2. among ``header_charset``, the document's own declaration (``<meta charset>``,
       ``<meta http-equiv>`` or ``<?xml encoding>``, in its first 4 KiB) and UTF-8, in
       that order, the first multi-byte charset that decodes the bytes strictly;
    3. the header's or the declaration's single-byte charset, strictly;
    4. charset_normalizer's guess;
    5. UTF-8 with replacement characters.

    Every name is widened to the superset sites write while declaring the narrower one
    (EUC-KR becomes CP949), and a declaration of UTF-16 or UTF-32 that could be read as
    ASCII means UTF-8 (as WHATWG has it). Multi-byte charsets come first because a strict
    decode can prove them wrong, whereas ISO-8859-1 decodes any bytes: a server's default
    latin-1 header must not win over a page's ``<meta charset="euc-kr">``, nor over bytes
    that are valid UTF-8.
    """
    for bom, name in BOMS:
        if content.startswith(bom):
            return Decoded(content[len(bom) :].decode(name, "replace"), name)
    declared = _charset(declared_charset(content[:_DECLARATION_BYTES]))
    if declared is not None and declared.startswith(("utf-16", "utf-32")):
        declared = "utf-8"
    named = [charset for charset in (_charset(header_charset), declared) if charset]
    candidates = [name for name in (*named, "utf-8") if _multibyte(name)] + [
        name for name in named if not _multibyte(name)
    ]
    for name in dict.fromkeys(candidates):
        try:
            return Decoded(content.decode(name), name)
        except UnicodeDecodeError:
            continue
    import charset_normalizer  # paid only by a body no declaration decodes

    guess = charset_normalizer.from_bytes(content).best()
    guessed = _charset(guess.encoding) if guess is not None else None
    if guessed is not None:
        return Decoded(content.decode(guessed, "replace"), guessed)
    return Decoded(content.decode("utf-8", "replace"), "utf-8")


def declared_charset(head: bytes) -> str | None:
    """The charset an HTML ``<meta>`` (charset or http-equiv) or XML declaration names.

    None when the head declares none or names one Python does not know.
    """
    match = _XML_ENCODING.search(head) or _META_CHARSET.search(head)
    if match is None:
        return None
    name = match.group(1).decode("ascii").lower()
    try:
        codecs.lookup(name)
    except LookupError:
        return None
    return name


def split_content_type(value: str | None) -> tuple[str | None, str | None]:
    """The media type (lower case) and the charset parameter of a Content-Type header."""
    if not value:
        return None, None
    media, _, parameters = value.partition(";")
    charset = None
    for parameter in parameters.split(";"):
        key, _, parameter_value = parameter.partition("=")
        if key.strip().lower() == "charset":
            charset = parameter_value.strip().strip("\"'") or None
    return media.strip().lower() or None, charset


def decode_text(data: bytes, declared: str | None, fallbacks: tuple[str, ...]) -> str:
    """The text of ``data``: UTF-8 (a BOM stripped), else ``declared``, else each fallback.

    Raises UndecodableRecord naming every charset tried when none decodes the bytes.
    """
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    tried = ["utf-8"]
    seen = {codecs.lookup("utf-8").name}
    for name in ((declared,) if declared else ()) + fallbacks:
        key = codecs.lookup(name).name
        if key in seen:
            continue
        seen.add(key)
        tried.append(name)
        try:
            return data.decode(name)
        except UnicodeDecodeError:
            continue
    raise UndecodableRecord("not valid " + _names(tried))


def _charset(name: str | None) -> str | None:
    """Python's name for a text charset, widened (see ``_WIDER``), or None."""
    if not name:
        return None
    try:
        canonical = codecs.lookup(name.strip().strip("\"'")).name
        "".encode(canonical)  # refuses codecs that are not text encodings (base64, rot13)
    except LookupError:
        return None
    return _WIDER.get(canonical, canonical)


@functools.lru_cache(maxsize=64)
def _multibyte(name: str) -> bool:
    # A multi-byte decoder holds back a lone lead byte; a single-byte one turns every byte into a character.
    decoder = codecs.getincrementaldecoder(name)
    return any(decoder("replace").decode(bytes([byte]), final=False) == "" for byte in range(0x80, 0x100))


def _names(names: list[str]) -> str:
    shown = [name.upper() for name in names]
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " or " + shown[-1]
