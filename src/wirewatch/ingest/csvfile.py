"""CSV and TSV files: a header row, then one record per row.

Rows are parsed as the file streams by, one physical line decoded at a time, so one
badly encoded row is rejected without losing the others. Quoted fields may span lines.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import TYPE_CHECKING, BinaryIO

from wirewatch.errors import UndecodableRecord
from wirewatch.ingest.decode import decode_text
from wirewatch.ingest.lines import Oversized, iter_lines, too_large
from wirewatch.models import RawRecord, Rejected

if TYPE_CHECKING:
    from wirewatch.ingest.options import ReadContext

#: The corpus field names; a header names them in any letter case.
FIELDS = ("title", "date", "source", "url", "language", "body")
#: How a cell a spreadsheet would run as a formula starts; wirewatch writes such a cell
#: with a leading apostrophe (present/csvcells.py) and reads it back without.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_DELIMITERS = (",", "\t", ";")


def read_csv(stream: BinaryIO, input: str, head: bytes, context: ReadContext) -> Iterator[RawRecord | Rejected]:
    """One record per row, fields named by the header; ``line`` is where the row starts.

    The delimiter (comma, tab or semicolon) is the one the header line uses most. A row
    with more cells than the header is rejected; a shorter row lacks the last fields.
    """
    options = context.options
    # A field may be as large as a record (the line reader enforces the record limit). The
    # csv module's limit is process-wide, so it is only ever raised: lowering it would break
    # every other CSV read in this process, a web export's or a later import's.
    csv.field_size_limit(max(csv.field_size_limit(), options.max_record_bytes))
    lines = _RowLines(stream, options.max_record_bytes, options.fallback_encodings)
    delimiter = sniff_delimiter(_first_line(head), tab=input.lower().removesuffix(".gz").endswith(".tsv"))
    reader = csv.reader(lines, delimiter=delimiter)

    header: list[str] | None = None
    rows = 0
    while True:
        start = lines.number + 1
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            lines.take()
            yield Rejected(input, start, f"not a valid CSV row: {exc}")
            continue
        raw, problem = lines.take()
        if problem is not None:
            yield Rejected(input, start, problem)
            if header is None:
                return
            continue
        if not any(cell.strip() for cell in row):
            continue
        if header is None:
            header, error = _read_header(row)
            if error:
                yield Rejected(input, start, error)
                return
            continue
        rows += 1
        if len(row) > len(header):
            yield Rejected(input, start, f"row has {len(row)} fields, the header has {len(header)}")
            continue
        cells = (cell[1:] if cell[:1] == "'" and cell[1:].startswith(FORMULA_STARTS) else cell for cell in row)
        yield RawRecord(input, start, "csv", dict(zip(header, cells, strict=False)), raw)
    if header is not None and rows == 0:
        yield Rejected(input, None, "no rows after the header")


def _read_header(row: list[str]) -> tuple[list[str], str | None]:
    names = []
    for index, cell in enumerate(row, 1):
        name = cell.strip()
        names.append(name.lower() if name.lower() in FIELDS else name or f"column {index}")
    if not set(names) & set(FIELDS):
        shown = ", ".join(repr(name) for name in names[:6]) + (", …" if len(names) > 6 else "")
        return names, f"no header row: the first row ({shown}) names none of the columns {', '.join(FIELDS)}"
    duplicates = sorted({name for name in names if names.count(name) > 1})
    if duplicates:
        return names, f"the header names a column twice: {', '.join(duplicates)}"
    return names, None


def sniff_delimiter(line: str, tab: bool = False) -> str:
    """The delimiter ``line`` (a header) uses most, outside quotes; ties go to tab for
    a ``.tsv`` file and to comma otherwise."""
    counts = dict.fromkeys(_DELIMITERS, 0)
    quoted = False
    for char in line:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    preferred = ("\t", ",", ";") if tab else _DELIMITERS
    return max(preferred, key=lambda d: counts[d])


def looks_like_csv_header(line: str) -> bool:
    """True when ``line`` splits, on its likeliest delimiter, into two or more known fields."""
    delimiter = sniff_delimiter(line)
    cells = {cell.strip().strip('"').lower() for cell in line.split(delimiter)}
    return len(cells & set(FIELDS)) >= 2


def _first_line(head: bytes) -> str:
    for line in head.decode("utf-8", errors="replace").lstrip("\ufeff").splitlines():
        if line.strip():
            return line
    return ""


class _RowLines:
    """The decoded lines fed to ``csv.reader``, remembering those of the current row.

    A line that does not decode, or is over the size limit, is replaced so the parser
    keeps its place, and marks the row as a problem for the caller to reject.
    """

    def __init__(self, stream: BinaryIO, limit: int, fallbacks: tuple[str, ...]) -> None:
        self._lines = iter_lines(stream, limit)
        self._limit = limit
        self._fallbacks = fallbacks
        self._parts: list[str] = []
        self._size = 0
        self._problem: str | None = None
        self.number = 0

    def __iter__(self) -> _RowLines:
        return self

    def __next__(self) -> str:
        self.number, line = next(self._lines)
        if isinstance(line, Oversized):
            self._note(too_large(line.size, self._limit))
            return "\n"
        self._size += len(line)
        if self._size > self._limit:
            self._note(too_large(self._size, self._limit))
        try:
            text = decode_text(line, None, self._fallbacks)
        except UndecodableRecord as exc:
            self._note(str(exc))
            text = line.decode("utf-8", errors="replace")
        if self._problem is None:
            self._parts.append(text)
        return text

    def _note(self, problem: str) -> None:
        if self._problem is None:
            self._problem = problem
            self._parts.clear()

    def take(self) -> tuple[str, str | None]:
        """The current row's raw text (without its final line end) and its problem, if any; then forget them."""
        raw, problem = "".join(self._parts).removesuffix("\n").removesuffix("\r"), self._problem
        self._parts, self._size, self._problem = [], 0, None
        return raw, problem
