"""JSON Lines: one JSON object per line, the object's keys becoming the record's fields."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, BinaryIO

from wirewatch.errors import UndecodableRecord
from wirewatch.ingest.decode import decode_text
from wirewatch.ingest.lines import Oversized, iter_lines, too_large
from wirewatch.models import RawRecord, Rejected

if TYPE_CHECKING:
    from wirewatch.ingest.options import ReadContext


def read_jsonl(stream: BinaryIO, input: str, head: bytes, context: ReadContext) -> Iterator[RawRecord | Rejected]:
    """One record per non-blank line; a line that is too long, does not decode, is not
    JSON or is not an object is rejected with its line number, and reading goes on."""
    options = context.options
    for number, line in iter_lines(stream, options.max_record_bytes):
        if isinstance(line, Oversized):
            yield Rejected(input, number, too_large(line.size, options.max_record_bytes))
            continue
        if not line.strip():
            continue
        try:
            text = decode_text(line, None, options.fallback_encodings).rstrip("\r\n")
        except UndecodableRecord as exc:
            yield Rejected(input, number, str(exc))
            continue
        if not text.strip():  # a line holding only a BOM
            continue
        try:
            value = json.loads(text)
        except json.JSONDecodeError as exc:
            yield Rejected(input, number, f"not valid JSON: {exc.msg} (column {exc.colno})")
            continue
        except RecursionError:
            yield Rejected(input, number, "not valid JSON: nested too deeply")
            continue
        if not isinstance(value, dict):
            yield Rejected(input, number, not_an_object(value))
            continue
        if (problem := lone_surrogate(value, text)) is not None:
            yield Rejected(input, number, problem)
            continue
        yield RawRecord(input, number, "jsonl", value, text)


def not_an_object(value: Any) -> str:
    """The reason for a JSON value that is not an object."""
    kinds = {list: "an array", str: "a string", bool: "a boolean", int: "a number", float: "a number"}
    return f"not a JSON object (found {kinds.get(type(value), 'null')})"


_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")


def lone_surrogate(value: dict[str, Any], text: str) -> str | None:
    """The reason to reject an object that holds a lone surrogate (``"\\ud800"``, valid
    JSON but no character: no UTF-8 text holds one), or None. Pairs (an emoji written
    as two escapes) are characters and pass."""
    if "\\u" not in text or not _SURROGATE_ESCAPE.search(text):
        return None
    try:
        json.dumps(value, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return "not valid text: a \\u escape names half a character (a lone surrogate)"
    return None
