"""CSV cells a spreadsheet shows as text, for every CSV wirewatch writes (``export --format
csv`` and the web's ``/search.csv``)."""

from __future__ import annotations

from wirewatch.ingest.csvfile import FORMULA_STARTS

__all__ = ["spreadsheet_safe"]


def spreadsheet_safe(value: object) -> str:
    """A cell a spreadsheet shows as text: one starting with = + - @ (or a tab or carriage
    return) would be run as a formula, so it gets a leading apostrophe (OWASP's advice),
    which ``wirewatch import`` takes off again."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text
