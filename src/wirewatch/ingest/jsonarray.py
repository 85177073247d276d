"""A ``.json`` file holding one array of objects, streamed element by element.

The file is decoded and parsed a chunk at a time, so only the element being read is
held in memory. An element that is not an object is rejected and reading goes on; a
syntax error ends the file, since the parser cannot find the next element after it.
Records get kind ``jsonl`` (the same records as JSON Lines) and the line where the
element starts.
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, BinaryIO

from wirewatch.errors import UndecodableRecord
from wirewatch.ingest.jsonl import lone_surrogate, not_an_object
from wirewatch.ingest.lines import describe_size, too_large
from wirewatch.models import RawRecord, Rejected

if TYPE_CHECKING:
    from wirewatch.ingest.options import ReadContext

_CHUNK = 64 * 1024
_SPACE = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()


def read_json_array(stream: BinaryIO, input: str, head: bytes, context: ReadContext) -> Iterator[RawRecord | Rejected]:
    """One record per object in the file's top-level array."""
    limit = context.options.max_record_bytes
    text = _Text(stream)
    if text.next_char() != "[":
        yield Rejected(input, 1, "not a JSON array")
        return
    text.pos += 1
    elements = 0
    while True:
        char = text.next_char()
        if char == "]" and elements == 0:
            text.pos += 1
            break
        if elements:
            if char == "]":
                text.pos += 1
                break
            if char != ",":
                yield _syntax_error(input, text, "expecting ',' or ']' between array elements")
                return
            text.pos += 1
            text.next_char()
        line = text.line_at(text.pos)
        try:
            value, end = text.parse_value(limit)
        except _TooLarge:
            yield Rejected(
                input, line, f"array element over the {describe_size(limit)} limit; the rest of the file is skipped"
            )
            return
        except json.JSONDecodeError as exc:
            yield Rejected(input, text.line_at(exc.pos), f"not valid JSON: {exc.msg}; the rest of the file is skipped")
            return
        elements += 1
        raw, text.pos = text.buffer[text.pos : end], end
        if len(raw) * 4 > limit and (size := len(raw.encode("utf-8"))) > limit:
            yield Rejected(input, line, too_large(size, limit))
        elif not isinstance(value, dict):
            yield Rejected(input, line, not_an_object(value))
        elif (problem := lone_surrogate(value, raw)) is not None:
            yield Rejected(input, line, problem)
        else:
            yield RawRecord(input, line, "jsonl", value, raw)
    if text.next_char() is not None:
        yield _syntax_error(input, text, "unexpected data after the JSON array")
    elif elements == 0:
        yield Rejected(input, None, "empty JSON array")


def _syntax_error(input: str, text: _Text, message: str) -> Rejected:
    return Rejected(input, text.line_at(text.pos), f"not valid JSON: {message}; the rest of the file is skipped")


class _TooLarge(Exception):
    """The element being read is over the size limit."""


class _Text:
    """The decoded text of the stream from the element being read onwards."""

    def __init__(self, stream: BinaryIO) -> None:
        self._stream = stream
        self._decoder = codecs.getincrementaldecoder("utf-8-sig")()
        self._eof = False
        self._dropped_lines = 0  # line breaks in the text already let go
        self.buffer = ""
        self.pos = 0

    def _more(self, size: int = _CHUNK) -> bool:
        """Read on, letting go of the text before ``pos``; False at the end of the stream."""
        if self._eof:
            return False
        data = self._stream.read(size)
        try:
            piece = self._decoder.decode(data, final=not data)
        except UnicodeDecodeError:
            raise UndecodableRecord("not valid UTF-8 (a JSON file must be UTF-8)") from None
        self._eof = not data
        self._dropped_lines += self.buffer.count("\n", 0, self.pos)
        self.buffer = self.buffer[self.pos :] + piece
        self.pos = 0
        return True

    def line_at(self, pos: int) -> int:
        return 1 + self._dropped_lines + self.buffer.count("\n", 0, pos)

    def next_char(self) -> str | None:
        """The next non-space character (``pos`` moved to it), or None at the end."""
        while True:
            spaces = _SPACE.match(self.buffer, self.pos)
            assert spaces is not None  # a run of zero or more spaces matches anywhere
            self.pos = spaces.end()
            if self.pos < len(self.buffer):
                return self.buffer[self.pos]
            if not self._more():
                return None

    def parse_value(self, limit: int) -> tuple[Any, int]:
        """The JSON value at ``pos`` and the offset after it, reading on while it is cut off."""
        size = _CHUNK
        while True:
            try:
                value, end = _DECODER.raw_decode(self.buffer, self.pos)
            except json.JSONDecodeError as exc:
                if self._eof or not self._cut_off(exc):
                    raise
            else:
                # A number at the very end of the buffer may go on in the next chunk.
                if end < len(self.buffer) or self._eof or isinstance(value, (dict, list, str)):
                    return value, end
            if len(self.buffer) - self.pos > limit:
                raise _TooLarge
            self._more(size)
            size = min(size * 2, 16 * _CHUNK)

    def _cut_off(self, exc: json.JSONDecodeError) -> bool:
        """Whether the error may only mean the buffer ends inside the value."""
        return exc.pos >= len(self.buffer) - 8 or exc.msg.startswith("Unterminated string")
