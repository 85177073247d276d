"""Physical lines of a binary stream, each at most ``limit`` bytes held in memory."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

#: How much of an over-long line is read at a time while skipping it.
_SKIP_CHUNK = 1024 * 1024


@dataclass(frozen=True, slots=True)
class Oversized:
    """A line longer than the limit, skipped: only its size (without the line end) is kept."""

    size: int


def iter_lines(stream: BinaryIO, limit: int) -> Iterator[tuple[int, bytes | Oversized]]:
    """Each line with its 1-based number, line end included; a line over ``limit`` bytes
    (line end excluded) is read through in chunks, never whole, and given as ``Oversized``.
    """
    number = 0
    while True:
        line = stream.readline(limit + 1)
        if not line:
            return
        number += 1
        if len(line) <= limit or line.endswith(b"\n"):
            yield number, line
            continue
        # limit + 1 bytes and no line end yet: read through the rest, counting, keeping none.
        size, last = len(line), line[-1:]
        while chunk := stream.readline(_SKIP_CHUNK):
            size += len(chunk)
            if chunk.endswith(b"\n"):
                size -= 2 if (chunk[-2:-1] if len(chunk) > 1 else last) == b"\r" else 1
                break
            last = chunk[-1:]
        if size <= limit:  # only a "\r\n" straddling the cut
            yield number, line + b"\n"
        else:
            yield number, Oversized(size)


def too_large(size: int, limit: int) -> str:
    """The reason given for a record over the size limit."""
    return f"record is {size:,} bytes, over the {describe_size(limit)} limit"


def describe_size(size: int) -> str:
    """``8388608`` → ``8 MiB``; sizes that are not whole MiB or KiB in bytes."""
    for unit, name in ((1024 * 1024, "MiB"), (1024, "KiB")):
        if size >= unit and size % unit == 0:
            return f"{size // unit:,} {name}"
    return f"{size:,} bytes"
