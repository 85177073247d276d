"""Article pages saved from a state-media aggregator.

The layout, as a reader's browser saves it::

    DPRK-Russia friendship goes on

    Date: 11/10/2018 | Source: Pyongyang Times | Read original version at source

    Share Button

    The DPRK-Russia friendship ...

    Get North Korea headlines delivered to your inbox daily

The first non-blank line is the title, the second the header line; the body is what
follows, less the aggregator's chrome (the boilerplate rules).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, BinaryIO

from wirewatch.ingest.text import read_file_text, split_first_line, split_paragraphs
from wirewatch.models import RawRecord, Rejected

if TYPE_CHECKING:
    from wirewatch.ingest.options import ReadContext

#: The header line: ``Date: <date> | Source: <source>[ | <anything, maybe a link>]``.
PAGE_HEADER = re.compile(
    r"^\s*Date:\s*(?P<date>[^|]*?)\s*\|\s*Source:\s*(?P<source>[^|]*?)\s*(?:\|\s*(?P<rest>.*?))?\s*$",
    re.IGNORECASE,
)
_URL = re.compile(r"""https?://[^\s<>"'()\[\]]+""")
_MARKDOWN_LINK = re.compile(r"^\[(?P<text>[^\]]*)\]\((?P<url>[^)\s]+)\)$")
_HTML_LINK = re.compile(r"""^<a\s[^>]*href=["'](?P<url>[^"']+)["'][^>]*>(?P<text>.*?)</a>$""", re.I)


def read_page(stream: BinaryIO, input: str, head: bytes, context: ReadContext) -> Iterator[RawRecord | Rejected]:
    """One record: ``title``, ``date`` and ``source`` as the header gives them, ``url``
    when the header carries a link, and ``body`` without the aggregator's chrome."""
    text = read_file_text(stream, context)
    yield RawRecord(input, None, "page", parse_page(text, context), text)


def parse_page(text: str, context: ReadContext) -> dict[str, str]:
    """The fields of a saved page (see the module docstring)."""
    first, rest = split_first_line(text)
    fields: dict[str, str] = {}
    header = PAGE_HEADER.match(first)
    if header is None:
        fields["title"] = first
        header_line, rest = split_first_line(rest)
        header = PAGE_HEADER.match(header_line)
    if header is not None:
        fields.update(_header_fields(header))
    body = "\n\n".join(context.boilerplate.strip(split_paragraphs(rest)))
    if body:
        fields["body"] = body
    return fields


def _header_fields(header: re.Match[str]) -> dict[str, str]:
    """``date`` and ``source`` as written (a linked source gives its text); ``url`` from
    the rest of the line (the "Read original version" link), else from the source's link."""
    fields: dict[str, str] = {}
    source, url = header["source"], None
    for link in (_MARKDOWN_LINK, _HTML_LINK):
        if match := link.match(source):
            source, url = match["text"].strip(), match["url"]
            break
    if header["rest"] and (match := _URL.search(header["rest"])):
        url = match.group(0).rstrip(".,;")
    if header["date"]:
        fields["date"] = header["date"]
    if source:
        fields["source"] = source
    if url:
        fields["url"] = url
    return fields
