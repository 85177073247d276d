"""Checks for configuration values read from a file or an option.

Each check returns the value (normalised where said) or raises ``ValueError`` whose
message is the reason, written for a user; the caller adds the file, section and field.
"""

from __future__ import annotations

import datetime as dt
import difflib
import math
import re
from collections.abc import Iterable
from urllib.parse import urlsplit

from cssselect import GenericTranslator, SelectorError

from wirewatch.config.settings import DATE_ORDERS
from wirewatch.models import DateOrder

_UNITS = {"d": 86400, "h": 3600, "m": 60, "s": 1}
_DURATION = re.compile(r"(?:\d+[dhms])+")
_LANGUAGE = re.compile(r"[a-z]{2,3}(?:-[A-Za-z0-9]{1,8})*")
CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_CSS = GenericTranslator()


def show(value: object) -> str:
    """A value as a user wrote it: strings quoted, booleans as TOML writes them."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value) if isinstance(value, str) else str(value)


def unknown_key(key: str, known: Iterable[str]) -> str:
    """ "unknown key 'intervall' (did you mean 'interval'?)"."""
    close = difflib.get_close_matches(key, list(known), n=1)
    return f"unknown key {key!r}" + (f" (did you mean {close[0]!r}?)" if close else "")


def duration(value: object) -> dt.timedelta:
    """``"30m"``, ``"6h"``, ``"1d"``, ``"1h30m"``, or whole seconds (a number or digits)."""
    if isinstance(value, int) and not isinstance(value, bool):
        seconds = value
    elif isinstance(value, str) and value.strip().isdigit():
        seconds = int(value.strip())
    elif isinstance(value, str) and _DURATION.fullmatch(text := value.strip().lower().replace(" ", "")):
        seconds = sum(int(n) * _UNITS[u] for n, u in re.findall(r"(\d+)([dhms])", text))
    else:
        raise ValueError("expected a duration such as 30m, 6h or 1d")
    if seconds <= 0:
        raise ValueError("must be longer than 0 seconds")
    return dt.timedelta(seconds=seconds)


def format_duration(value: dt.timedelta) -> str:
    """The duration in the largest unit that states it exactly: ``"90m"``, ``"6h"``, ``"1d"``;
    ``duration`` reads it back equal (for whole seconds)."""
    seconds = int(value.total_seconds())
    unit, size = next((u, s) for u, s in _UNITS.items() if seconds % s == 0)
    return f"{seconds // size}{unit}"


def http_url(value: object) -> str:
    if isinstance(value, str) and not re.search(r"\s", value):
        parts = urlsplit(value)
        if parts.scheme in ("http", "https") and parts.hostname:
            return value
    raise ValueError("expected an http(s) address with a host, such as https://example.org/news")


def regex(value: object) -> str:
    """A regular expression that compiles (module ``re``)."""
    if not isinstance(value, str) or not value:
        raise ValueError("expected a regular expression (a string)")
    try:
        re.compile(value)
    except re.error as exc:
        raise ValueError(f"not a regular expression: {exc}") from None
    return value


def css_selector(value: object) -> str:
    """A CSS selector that translates to XPath (what lxml applies)."""
    if not isinstance(value, str) or not value.strip():
        raise ValueError("expected a CSS selector (a string)")
    try:
        _CSS.css_to_xpath(value)
    except SelectorError as exc:
        raise ValueError(f"not a CSS selector: {exc}") from None
    return value


def flag(value: object) -> bool:
    if not isinstance(value, bool):
        raise ValueError("expected true or false")
    return value


def count(value: object) -> int:
    """A whole number, 1 or more (TOML's true is not 1)."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError("expected a whole number, 1 or more")
    return value


def seconds(value: object) -> float:
    """A finite number of seconds, 0 or more, as a float."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value) or value < 0:
        raise ValueError("expected a number of seconds, 0 or more")
    return float(value)


def date_order(value: object) -> DateOrder:
    """DMY, MDY or YMD, in any case; returned in capitals."""
    if isinstance(value, str) and value.strip().upper() in DATE_ORDERS:
        return value.strip().upper()  # type: ignore[return-value]
    raise ValueError("expected DMY, MDY or YMD")


def language_codes(value: object) -> tuple[str, ...]:
    """A list of distinct language codes (``en``, ``ko``, ``zh-Hant``)."""
    if not isinstance(value, list):
        raise ValueError('expected a list of language codes such as ["en", "ko"]')
    for code in value:
        if not isinstance(code, str) or not _LANGUAGE.fullmatch(code):
            raise ValueError(f"{show(code)} is not a language code (use ISO 639 codes such as en, ko)")
    if len(set(value)) < len(value):
        raise ValueError("a language is listed twice")
    return tuple(value)


def text(value: object) -> str:
    if not isinstance(value, str):
        raise ValueError("expected a string")
    return value
