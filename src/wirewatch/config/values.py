"""The checked values of the files a user writes, as pydantic types.

Each check takes the value as TOML gives it and returns it (normalised where said) or
raises ``BadValue``, whose message is the reason, written for a user; the file, the table
and the key are added by ``wirewatch.config.toml``. Nothing is coerced: TOML's ``true`` is
not 1, ``"5"`` is not 5. The annotated types (``Duration``, ``HttpUrl``…) are the checks as
a schema's fields use them.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable
from typing import Annotated, Any, TypeGuard
from urllib.parse import urlsplit

from cssselect import GenericTranslator, SelectorError
from pydantic import PlainValidator

from wirewatch.config.settings import DATE_ORDERS
from wirewatch.models import DateOrder

_UNITS = {"d": 86400, "h": 3600, "m": 60, "s": 1}
_DURATION = re.compile(r"(?:\d+[dhms])+")
_LANGUAGE = re.compile(r"[a-z]{2,3}(?:-[A-Za-z0-9]{1,8})*")
CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_CSS = GenericTranslator()


class BadValue(ValueError):
    """A value that fails its check; the message says why (the value is shown beside it)."""


def show(value: object) -> str:
    """A value as a user wrote it: strings quoted, booleans as TOML writes them."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value) if isinstance(value, str) else str(value)


def duration(value: object) -> dt.timedelta:
    """``"30m"``, ``"6h"``, ``"1d"``, ``"1h30m"``, or whole seconds (a number or digits)."""
    if isinstance(value, int) and not isinstance(value, bool):
        seconds = value
    elif isinstance(value, str) and value.strip().isdigit():
        seconds = int(value.strip())
    elif isinstance(value, str) and _DURATION.fullmatch(text := value.strip().lower().replace(" ", "")):
        seconds = sum(int(n) * _UNITS[u] for n, u in re.findall(r"(\d+)([dhms])", text))
    else:
        raise BadValue("expected a duration such as 30m, 6h or 1d")
    if seconds <= 0:
        raise BadValue("must be longer than 0 seconds")
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
    raise BadValue("expected an http(s) address with a host, such as https://example.org/news")


def regex(value: object) -> str:
    """A regular expression that compiles (module ``re``)."""
    if not isinstance(value, str) or not value.strip():
        raise BadValue("expected a regular expression (a string)")
    try:
        re.compile(value)
    except re.error as exc:
        raise BadValue(f"not a regular expression: {exc}") from None
    return value


def css_selector(value: object) -> str:
    """A CSS selector that translates to XPath (what lxml applies)."""
    if not isinstance(value, str) or not value.strip():
        raise BadValue("expected a CSS selector (a string)")
    try:
        _CSS.css_to_xpath(value)
    except SelectorError as exc:
        raise BadValue(f"not a CSS selector: {exc}") from None
    return value


def flag(value: object) -> bool:
    if not isinstance(value, bool):
        raise BadValue("expected true or false")
    return value


def whole(value: object) -> int:
    """A whole number (TOML's true is not 1)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise BadValue("expected a whole number")
    return value


def count(value: object) -> int:
    """A whole number, 1 or more."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise BadValue("expected a whole number, 1 or more")
    return value


def seconds(value: object) -> float:
    """A finite number of seconds, 0 or more, as a float."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value) or value < 0:
        raise BadValue("expected a number of seconds, 0 or more")
    return float(value)


def date_order(value: object) -> DateOrder:
    """DMY, MDY or YMD, in any case; returned in capitals."""
    if isinstance(value, str) and (order := value.strip().upper()) in DATE_ORDERS:
        return order
    raise BadValue("expected DMY, MDY or YMD")


def language_codes(value: object) -> tuple[str, ...]:
    """A list of distinct language codes (``en``, ``ko``, ``zh-Hant``)."""
    if not isinstance(value, list):
        raise BadValue('expected a list of language codes such as ["en", "ko"]')
    for code in value:
        if not isinstance(code, str) or not _LANGUAGE.fullmatch(code):
            raise BadValue(f"{show(code)} is not a language code (use ISO 639 codes such as en, ko)")
    if len(set(value)) < len(value):
        raise BadValue("a language is listed twice")
    return tuple(value)


def text(value: object) -> str:
    """Any string, the empty one too."""
    if not isinstance(value, str):
        raise BadValue("expected a string")
    return value


def name(value: object) -> str:
    """A string with more than spaces in it, stripped of surrounding spaces."""
    if not isinstance(value, str) or not value.strip():
        raise BadValue("expected a non-empty string")
    return value.strip()


def names(value: object) -> tuple[str, ...]:
    """A list of non-empty strings, each stripped."""
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise BadValue("expected a list of non-empty strings")
    return tuple(v.strip() for v in value)


def _is_alpha3(value: object) -> TypeGuard[str]:
    return isinstance(value, str) and len(value) == 3 and value.isalpha() and value.isupper()


def country_code(value: object) -> str:
    """An ISO 3166 alpha-3 country code in capitals: ``PRK``."""
    if not _is_alpha3(value):
        raise BadValue("expected an ISO 3166 alpha-3 code such as PRK")
    return value


def country_codes(value: object) -> tuple[str, ...]:
    """A list of ISO 3166 alpha-3 codes."""
    if not isinstance(value, list) or not all(_is_alpha3(v) for v in value):
        raise BadValue("expected a list of ISO 3166 alpha-3 codes such as PRK")
    return tuple(value)


def points(value: object) -> dict[str, int]:
    """A table of name = whole number."""
    if not isinstance(value, dict) or not all(
        isinstance(k, str) and isinstance(v, int) and not isinstance(v, bool) for k, v in value.items()
    ):
        raise BadValue("expected a table of name = whole number")
    return dict(value)


def date(value: object) -> dt.date:
    """A TOML local date (``2012-04-13``), not a date and time."""
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        raise BadValue("expected a date (YYYY-MM-DD)")
    return value


def one_of(*choices: str) -> Callable[[object], str]:
    """A check that the value is one of ``choices``."""

    def check(value: object) -> str:
        if value not in choices:
            raise BadValue(f"expected one of {', '.join(choices)}")
        return value

    return check


def checked(check: Callable[[object], Any]) -> PlainValidator:
    """A check as a pydantic validator: the value is the check's, never pydantic's coercion."""
    return PlainValidator(check)


Duration = Annotated[dt.timedelta, checked(duration)]
HttpUrl = Annotated[str, checked(http_url)]
Regex = Annotated[str, checked(regex)]
CssSelector = Annotated[str, checked(css_selector)]
Flag = Annotated[bool, checked(flag)]
Whole = Annotated[int, checked(whole)]
Count = Annotated[int, checked(count)]
Seconds = Annotated[float, checked(seconds)]
Order = Annotated[DateOrder, checked(date_order)]
LanguageCodes = Annotated[tuple[str, ...], checked(language_codes)]
Text = Annotated[str, checked(text)]
Name = Annotated[str, checked(name)]
Names = Annotated[tuple[str, ...], checked(names)]
CountryCode = Annotated[str, checked(country_code)]
CountryCodes = Annotated[tuple[str, ...], checked(country_codes)]
Points = Annotated[dict[str, int], checked(points)]
Date = Annotated[dt.date, checked(date)]
