"""Finding the input files and opening them, gzip-compressed or not."""

from __future__ import annotations

import gzip
import io
import os
import stat
import zlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import BinaryIO, cast

from wirewatch.errors import NotAnArticle, RecordError
from wirewatch.ingest.lines import too_large
from wirewatch.models import Rejected

GZIP_MAGIC = b"\x1f\x8b"
#: How much of a file's (decompressed) start the format sniffer looks at.
HEAD_BYTES = 8192
#: File types read when a directory is walked; others are reported as skipped.
#: A file named explicitly is always read, whatever its name.
SUPPORTED_SUFFIXES = frozenset(
    {".jsonl", ".ndjson", ".json", ".csv", ".tsv", ".txt", ".text", ".html", ".htm", ".warc", ""}
)


def walk(paths: Iterable[str | os.PathLike[str]]) -> Iterator[tuple[str, bool] | Rejected]:
    """Each input file as ``(path, named)``, ``named`` False for files found by walking.

    Directories are walked recursively in name order; hidden files and directories
    (a name starting with ".") are skipped, and each directory is entered once even
    when symbolic links lead to it twice. A path that does not exist is a Rejected, and
    so is a special file (FIFO, socket, device) met while walking: reading one could wait
    forever. A special file named in ``paths`` is given: a named pipe is read as a stream.
    """
    for given in paths:
        path = os.fspath(given)
        if os.path.isdir(path):
            yield from _walk_dir(path, set())
        elif os.path.exists(path):
            yield path, True
        else:
            yield Rejected(path, None, "no such file or directory")


def _walk_dir(path: str, seen: set[str]) -> Iterator[tuple[str, bool] | Rejected]:
    real = os.path.realpath(path)
    if real in seen:
        return
    seen.add(real)
    try:
        names = sorted(os.listdir(path))
    except OSError as exc:
        yield Rejected(path, None, f"cannot list directory: {exc.strerror or exc}")
        return
    for name in names:
        if name.startswith("."):
            continue
        child = os.path.join(path, name)
        if os.path.isdir(child):
            yield from _walk_dir(child, seen)
        elif kind := special_kind(child):
            yield Rejected(child, None, f"skipped: {kind}, not a regular file")
        else:
            yield child, False


#: What a user calls each kind of special file.
_SPECIAL_KINDS = (
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
)


def special_kind(path: str) -> str | None:
    """What ``path`` is when it is neither a regular file nor a directory (symbolic links
    followed): ``"a named pipe (FIFO)"``, a socket or a device; None otherwise, or when it
    cannot be looked at (reading it reports why)."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return None
    return next((name for test, name in _SPECIAL_KINDS if test(mode)), None)


def input_bytes(paths: Iterable[str | os.PathLike[str]]) -> int:
    """The size on disk of every file ``walk`` finds (a compressed file as stored):
    a measure of an import's work that reads nothing."""
    total = 0
    for item in walk(paths):
        if not isinstance(item, Rejected):
            try:
                total += os.path.getsize(item[0])
            except OSError:
                continue  # reading it will report the problem
    return total


def format_suffix(path: str) -> str:
    """The suffix that names the format, under any ``.gz``: ``a.jsonl.gz`` → ``.jsonl``."""
    name = os.path.basename(path).lower()
    if name.endswith(".gz"):
        name = name[:-3]
    return os.path.splitext(name)[1]


@contextmanager
def open_input(path: str) -> Iterator[BinaryIO]:
    """The file's bytes, decompressed when it is gzip (by content, or by a ``.gz`` name).

    A ``.gz`` name on a file that does not start with the gzip magic raises NotAnArticle.
    Errors of a broken gzip stream surface while reading: see ``compression_error``.
    """
    with open(path, "rb") as raw:
        magic = raw.peek(2)[:2]
        if magic == GZIP_MAGIC:
            with gzip.GzipFile(fileobj=raw, mode="rb") as unzipped:
                yield cast(BinaryIO, unzipped)  # a binary stream, though typeshed does not say BinaryIO
        elif path.lower().endswith(".gz"):
            raise NotAnArticle("not a gzip file")
        else:
            yield raw


def read_head(path: str) -> tuple[bytes, bool]:
    """The first ``HEAD_BYTES`` of the (decompressed) file, and whether that is all of it.

    A compressed stream that breaks inside the head gives what came before the break;
    the reader meets the break again and reports it after the records before it.
    """
    with open_input(path) as stream:
        head, complete, _ = _take_head(stream)
    return head, complete


@contextmanager
def open_with_head(path: str) -> Iterator[tuple[bytes, bool, BinaryIO]]:
    """``read_head(path)`` and the file opened with ``open_input``, from its start.

    A file is opened twice, once for its head; a special file (a pipe: ``import
    <(zcat a.gz)``) once, since what is read from it is gone: its stream gives the head
    again, then the rest. No seeking, and no size: a pipe is read as it comes.
    """
    if special_kind(path) is None:
        head, complete = read_head(path)
        with open_input(path) as stream:
            yield head, complete, stream
        return
    with open_input(path) as piped:
        head, complete, taken = _take_head(piped)
        yield head, complete, cast(BinaryIO, io.BufferedReader(_Replay(taken, piped), 1024 * 1024))


def _take_head(stream: BinaryIO) -> tuple[bytes, bool, bytes]:
    """The head, whether it is all, and every byte read to tell (the head and one more)."""
    head = bytearray()
    while len(head) < HEAD_BYTES:
        try:
            piece = stream.read(min(1024, HEAD_BYTES - len(head)))
        except (EOFError, zlib.error, gzip.BadGzipFile):
            if head:
                return bytes(head), False, bytes(head)
            raise
        if not piece:
            return bytes(head), True, bytes(head)
        head += piece
    try:
        more = stream.read(1)
    except (EOFError, zlib.error, gzip.BadGzipFile):
        return bytes(head), False, bytes(head)
    return bytes(head), not more, bytes(head + more)


class _Replay(io.RawIOBase):
    """``prefix``, then the rest of ``stream``: a stream read once, its head given again."""

    def __init__(self, prefix: bytes, stream: BinaryIO) -> None:
        self._prefix = memoryview(prefix)
        self._stream = stream

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]  # typeshed's Buffer
        if self._prefix:
            size = min(len(buffer), len(self._prefix))
            buffer[:size] = self._prefix[:size]
            self._prefix = self._prefix[size:]
            return size
        data = self._stream.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


def compression_error(exc: BaseException) -> str | None:
    """The reason for a gzip failure, or None when ``exc`` is not one."""
    if isinstance(exc, EOFError):
        return "compressed stream ends early (truncated .gz)"
    if isinstance(exc, gzip.BadGzipFile):
        if "Not a gzipped file" in str(exc):
            return "not a gzip file"
        return f"corrupt compressed data ({exc})"
    if isinstance(exc, zlib.error):
        return f"corrupt compressed data ({exc})"
    return None


def read_whole(stream: BinaryIO, limit: int) -> bytes:
    """All of ``stream`` when it holds at most ``limit`` bytes; else RecordError.

    An over-large file is counted in chunks to report its size, never held whole.
    """
    data = stream.read(limit + 1)
    if len(data) <= limit:
        return data
    size = len(data)
    del data
    while chunk := stream.read(1024 * 1024):
        size += len(chunk)
    raise RecordError(too_large(size, limit))
