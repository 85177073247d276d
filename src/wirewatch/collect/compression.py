"""An HTTP answer's Content-Encoding undone in bounded steps, so a size limit holds.

httpx inflates a compressed answer one network read at a time, and one 64 KiB read of a
gzip bomb inflates to some 64 MiB in a single call: the reader's size check comes too late.
Here no call to a decompressor gives more than ``step`` bytes, so a reader that stops at
its limit has held no more than the limit and one step.

gzip and deflate (with a zlib header, or raw as some servers send it) are decoded, and
``identity``; brotli and zstd are not asked for (``ACCEPT_ENCODING``), and an answer that
uses them anyway, or any other coding, is refused with ``httpx.DecodingError``, which is
also what a corrupt stream raises.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Iterator

import httpx

__all__ = ["ACCEPT_ENCODING", "STEP", "decoded"]

#: What the collector asks for: only the codings it can decode in bounded steps.
ACCEPT_ENCODING = "gzip, deflate"

#: The most bytes one decompression step gives.
STEP = 64 * 1024

_CODINGS = {"gzip": "gzip", "x-gzip": "gzip", "deflate": "deflate"}
_AUTO = zlib.MAX_WBITS | 32  # a zlib or a gzip header, whichever the stream has
_RAW = -zlib.MAX_WBITS  # deflate data without a header


def _content_codings(header: str | None) -> list[str]:
    """The codings a Content-Encoding header lists, in the order they were applied,
    ``identity`` left out. httpx.DecodingError for one that is not decoded here."""
    codings = []
    for name in (header or "").split(","):
        name = name.strip().lower()
        if not name or name == "identity":
            continue
        if name not in _CODINGS:
            raise httpx.DecodingError(f"the content-encoding {name} is not supported (only gzip and deflate)")
        codings.append(_CODINGS[name])
    return codings


def decoded(chunks: Iterable[bytes], header: str | None, *, step: int = STEP) -> Iterator[bytes]:
    """The body ``chunks`` carry, with the codings of ``header`` (a Content-Encoding)
    undone, as chunks of at most ``step`` bytes each (the chunks themselves when nothing
    is to be undone). Raises httpx.DecodingError at once for a coding not decoded here,
    and while iterating for a corrupt stream."""
    stream: Iterator[bytes] = iter(chunks)
    for coding in reversed(_content_codings(header)):
        stream = _inflated(stream, coding, step)
    return stream


def _inflated(chunks: Iterator[bytes], coding: str, step: int) -> Iterator[bytes]:
    decompressor = zlib.decompressobj(_AUTO)
    started = later_member = False
    for data in chunks:
        while data:
            if decompressor.eof:  # a complete stream, and more bytes: gzip allows members in a row
                decompressor, started, later_member = zlib.decompressobj(_AUTO), False, True
            try:
                out = decompressor.decompress(data, step)
                if out:
                    yield out
                # A full step out and all input taken: zlib may still owe output from it.
                while len(out) == step and not decompressor.unconsumed_tail and not decompressor.eof:
                    out = decompressor.decompress(b"", step)
                    if out:
                        yield out
            except zlib.error as error:
                if coding == "deflate" and not started and not later_member:
                    decompressor, started = zlib.decompressobj(_RAW), True  # deflate sent without its header
                    continue
                if later_member:
                    return  # bytes after a complete stream that do not start another: ignored, as browsers do
                raise httpx.DecodingError(f"the {coding} stream is corrupt ({error})") from None
            started = True
            data = decompressor.unused_data if decompressor.eof else decompressor.unconsumed_tail
    if not decompressor.eof:
        try:
            rest = decompressor.flush()  # a truncated stream: what it still held, less than a step
        except zlib.error as error:
            raise httpx.DecodingError(f"the {coding} stream is corrupt ({error})") from None
        if rest:
            yield rest
