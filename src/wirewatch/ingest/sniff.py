"""Which reader a file needs, from its first few KB and its name.

Content wins over the name when it is unambiguous (an HTML doctype, a first line
that opens a JSON object, an aggregator page's ``Date: … | Source: …`` line), so a
``.txt`` holding JSON Lines or a saved page is read as what it is; otherwise the
name decides, and a file with no telling name or content is plain text.
"""

from __future__ import annotations

import codecs
import re

from wirewatch.errors import EmptyRecord, NotAnArticle
from wirewatch.ingest.csvfile import looks_like_csv_header
from wirewatch.ingest.files import format_suffix
from wirewatch.ingest.page import PAGE_HEADER

#: The formats ``sniff`` answers with; each has a reader in ``wirewatch.ingest.reader``.
FORMATS = ("jsonl", "json-array", "csv", "page", "text", "html", "warc")

_HTML_START = re.compile(r"<(?:!doctype\s+html|html|head|body)\b", re.I)
_XML_DECL = re.compile(r"<\?xml\b", re.I)
_CONTROL_BYTES = bytes(range(9)) + bytes(range(14, 32)) + b"\x7f"
#: More than this share of control bytes in the head means the file is not text.
_MAX_CONTROL_SHARE = 0.10


def sniff(path: str, head: bytes, complete: bool) -> str:
    """The format of the file at ``path`` whose first bytes are ``head``.

    ``complete`` says ``head`` is the whole file. Raises EmptyRecord for an empty
    (or all-whitespace) file and NotAnArticle for binary data.
    """
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise NotAnArticle("UTF-16 text is not supported: save the file as UTF-8")
    if head.startswith(codecs.BOM_UTF8):
        head = head[len(codecs.BOM_UTF8) :]
    if complete and not head.strip():
        raise EmptyRecord("empty file")
    if head.startswith(b"WARC/"):  # before the binary test: captures may hold any bytes
        return "warc"
    if is_binary(head):
        raise NotAnArticle("binary data, not text")

    suffix = format_suffix(path)
    text = head.decode("utf-8", errors="replace")
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    first = lines[0] if lines else ""
    second = lines[1] if len(lines) > 1 else ""

    if _HTML_START.match(first) or (_XML_DECL.match(first) and _HTML_START.search(text)):
        return "html"
    if first.startswith("{"):
        return "jsonl"
    if first.startswith("[") and (suffix == ".json" or text.lstrip()[1:].lstrip().startswith(("{", "]"))):
        return "json-array"
    if PAGE_HEADER.match(second) or PAGE_HEADER.match(first):
        return "page"
    if suffix in (".jsonl", ".ndjson", ".json"):
        return "jsonl"
    if suffix in (".csv", ".tsv"):
        return "csv"
    if suffix in (".html", ".htm"):
        return "html"
    if suffix not in (".txt", ".text") and looks_like_csv_header(first):
        return "csv"
    return "text"


def is_binary(head: bytes) -> bool:
    """True for NUL bytes or a head with more than 10% control bytes."""
    if not head:
        return False
    if b"\x00" in head:
        return True
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES))
    return controls / len(head) > _MAX_CONTROL_SHARE
