"""The coordinator: walk the inputs, sniff each file's format, run its reader."""

from __future__ import annotations

import gzip
import os
import zlib
from collections.abc import Callable, Iterable, Iterator
from typing import BinaryIO

from wirewatch.errors import RecordError
from wirewatch.ingest.csvfile import read_csv
from wirewatch.ingest.files import (
    SUPPORTED_SUFFIXES,
    compression_error,
    format_suffix,
    open_input,
    open_with_head,
    read_head,
    special_kind,
    walk,
)
from wirewatch.ingest.html import read_html
from wirewatch.ingest.jsonarray import read_json_array
from wirewatch.ingest.jsonl import read_jsonl
from wirewatch.ingest.options import ReadContext, ReadOptions
from wirewatch.ingest.page import read_page
from wirewatch.ingest.sniff import sniff
from wirewatch.ingest.text import read_text
from wirewatch.ingest.warc import read_warc
from wirewatch.models import RawRecord, Rejected

Reader = Callable[[BinaryIO, str, bytes, ReadContext], Iterator[RawRecord | Rejected]]

#: One reader per format ``sniff`` answers with.
READERS: dict[str, Reader] = {
    "jsonl": read_jsonl,
    "json-array": read_json_array,
    "csv": read_csv,
    "page": read_page,
    "text": read_text,
    "html": read_html,
    "warc": read_warc,
}
#: Sizes up to this are counted exactly by ``count_records_hint``; larger ones estimated.
_COUNT_EXACTLY = 32 * 1024 * 1024
_SAMPLE = 4 * 1024 * 1024


def read_inputs(
    paths: Iterable[str | os.PathLike[str]], options: ReadOptions = ReadOptions()
) -> Iterator[RawRecord | Rejected]:
    """Every record of every input, in order; directories walked recursively (sorted,
    hidden files skipped); never raises for bad input: yields Rejected(input, line,
    reason) and goes on.

    A file named in ``paths`` is read whatever its name; a file found by walking a
    directory is read when its name ends in a supported suffix (``.jsonl``, ``.ndjson``,
    ``.json``, ``.csv``, ``.tsv``, ``.txt``, ``.html``, ``.htm``, ``.warc``, each maybe with
    ``.gz``) or has none, and is otherwise rejected as not a supported file type. A named
    pipe named in ``paths`` (``import <(zcat a.jsonl.gz)``) is read once, as a stream; one
    met while walking is rejected as skipped, as sockets and devices are.

    A reader that fails in a way nobody foresaw (a bug, a library's crash) ends its file
    with a rejection ("could not be read: …", the traceback in ``Rejected.detail``); the
    next file is read.
    """
    context = ReadContext(options)
    for item in walk(paths):
        if isinstance(item, Rejected):
            yield item
            continue
        path, named = item
        if not named and format_suffix(path) not in SUPPORTED_SUFFIXES:
            yield Rejected(path, None, f"skipped: {format_suffix(path)} is not a supported file type")
            continue
        yield from _read_file(path, context)


def _read_file(path: str, context: ReadContext) -> Iterator[RawRecord | Rejected]:
    try:
        with open_with_head(path) as (head, complete, stream):
            reader = READERS[sniff(path, head, complete)]
            found = False
            for item in reader(stream, path, head, context):
                found = True
                yield item
        if not found:
            yield Rejected(path, None, "empty file")
    except RecordError as exc:
        yield Rejected(path, None, str(exc))
    except (EOFError, zlib.error, OSError) as exc:
        reason = compression_error(exc) or f"cannot read file: {getattr(exc, 'strerror', None) or exc}"
        yield Rejected(path, None, reason)
    except Exception as exc:  # a reader's bug must cost its file, not the import
        yield Rejected.unexpected(path, None, "read", exc)


def count_records_hint(path: str | os.PathLike[str]) -> int | None:
    """About how many records ``read_inputs([path])`` will yield, for a progress bar.

    A directory sums its files. A page, text or HTML file is one record. A JSON Lines or
    CSV file counts its lines: exactly up to 32 MiB on disk, else from the line length
    of its first 4 MiB. None for a JSON array, or a file that cannot be read or sniffed.
    """
    fspath = os.fspath(path)
    if special_kind(fspath) is not None:
        return None  # a pipe is read once, by the import
    if os.path.isdir(fspath):
        hints = [
            count_records_hint(item[0])
            for item in walk([fspath])
            if not isinstance(item, Rejected) and format_suffix(item[0]) in SUPPORTED_SUFFIXES
        ]
        known = [hint for hint in hints if hint is not None]
        return sum(known) if known else None
    try:
        head, complete = read_head(fspath)
        kind = sniff(fspath, head, complete)
        if kind == "json-array":
            return None  # lines say nothing about the elements of an array
        if kind == "warc":
            return None  # records of every kind, most of them not articles
        if kind not in ("jsonl", "csv"):
            return 1
        return _count_lines(fspath)
    except (RecordError, EOFError, zlib.error, OSError):
        return None  # a hint never fails: reading the file reports the problem


def _count_lines(path: str) -> int:
    disk_size = os.path.getsize(path)
    with open_input(path) as stream:
        if disk_size <= _COUNT_EXACTLY:
            return sum(chunk.count(b"\n") for chunk in iter(lambda: stream.read(1024 * 1024), b""))
        sample = stream.read(_SAMPLE)
        if len(sample) < _SAMPLE:
            return sample.count(b"\n")
        # Lines per byte on disk so far, compressed bytes for a .gz, times the size on disk.
        position = stream.fileobj.tell() if isinstance(stream, gzip.GzipFile) else stream.tell()
        return round(sample.count(b"\n") * disk_size / max(position, 1))
