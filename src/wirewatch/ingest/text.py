"""Plain text files: the first non-blank line is the title, the rest the body."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, BinaryIO

from wirewatch.errors import RecordError
from wirewatch.ingest.decode import decode_body, decode_text
from wirewatch.ingest.files import read_whole
from wirewatch.models import RawRecord, Rejected

if TYPE_CHECKING:
    from wirewatch.ingest.options import ReadContext

_BLANK_LINES = re.compile(r"\n[^\S\n]*(?:\n[^\S\n]*)+")


def read_text(stream: BinaryIO, input: str, head: bytes, context: ReadContext) -> Iterator[RawRecord | Rejected]:
    """One record: ``title`` (the first non-blank line) and, when there is more, ``body``."""
    text = read_file_text(stream, context)
    title, rest = split_first_line(text)
    fields: dict[str, str] = {"title": title}
    body = "\n\n".join(split_paragraphs(rest))
    if body:
        fields["body"] = body
    yield RawRecord(input, None, "text", fields, text)


def read_file_text(stream: BinaryIO, context: ReadContext, *, page: bool = False) -> str:
    """The whole file as text, within the size limit; RecordError when it is empty.

    A ``page`` (HTML) is decoded as the collector decodes a fetched page (``decode_body``);
    other text strictly, UTF-8 then the options' fallbacks (``decode_text``).
    """
    options = context.options
    data = read_whole(stream, options.max_record_bytes)
    text = decode_body(data).text if page else decode_text(data, None, options.fallback_encodings)
    if not text.strip():
        raise RecordError("empty file")
    return text


def split_first_line(text: str) -> tuple[str, str]:
    """The first non-blank line (stripped) and everything after it."""
    stripped = text.lstrip()
    first, _, rest = stripped.partition("\n")
    return first.strip(), rest


def split_paragraphs(text: str) -> list[str]:
    """The blocks of ``text`` between blank lines, stripped; line breaks inside a block kept."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return [block.strip() for block in _BLANK_LINES.split(text) if block.strip()]
