"""Reading inputs: files and directories of JSON Lines, CSV, saved pages, text and HTML.

``read_inputs`` walks the paths, sniffs each file's format and yields its records as
``RawRecord`` (or ``Rejected``, with the reason, for what cannot be read); nothing
about bad input raises. ``count_records_hint`` sizes a progress bar; ``input_bytes``
sizes an import without reading anything.
"""

from __future__ import annotations

from wirewatch.ingest.files import input_bytes
from wirewatch.ingest.options import ReadOptions
from wirewatch.ingest.reader import count_records_hint, read_inputs

__all__ = ["ReadOptions", "count_records_hint", "input_bytes", "read_inputs"]
