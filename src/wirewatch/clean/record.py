"""From a record as read to an article as kept: the pure cleaning stage."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from wirewatch.clean.boilerplate import BoilerplateRules
from wirewatch.clean.dates import DEFAULT_DATE_ORDER, Dateline, find_date, parse_date, parse_dateline
from wirewatch.clean.language import detect_language, normalize_language
from wirewatch.clean.text import body_hash, clean_paragraphs, derive_title, normalize_line
from wirewatch.errors import EmptyRecord, NotAnArticle
from wirewatch.models import Article, DateOrder, ParsedDate, RawRecord

#: The fields every reader fills when it can; any other field is kept as metadata.
KNOWN_FIELDS = frozenset({"title", "date", "source", "url", "language", "body"})
UNKNOWN_SOURCE = "Unknown"
#: How far into a body a date written at the top (a byline, a timestamp) may stand.
BODY_DATE_WINDOW = 300


@dataclass(frozen=True, slots=True)
class CleanOptions:
    """What the cleaning stage needs to know beyond the record itself."""

    rules: BoilerplateRules
    default_source: str | None = None
    default_date_order: DateOrder = DEFAULT_DATE_ORDER
    date_orders: Mapping[str, DateOrder] = field(default_factory=dict)
    today: dt.date | None = None
    detect: Callable[[str], str | None] = detect_language

    def date_order(self, source: str) -> DateOrder:
        return self.date_orders.get(source.casefold(), self.default_date_order)


#: Whole-field values that mean "missing" in the data files researchers pass around:
#: R writes <NA>, pandas NaN, spreadsheets #N/A, database dumps NULL.
MISSING_MARKERS = frozenset({"<NA>", "#N/A", "N/A", "NaN", "nan", "NULL", "null", "None"})


def _text_field(raw: RawRecord, name: str) -> str:
    value = raw.fields.get(name)
    if value is None:
        return ""
    if isinstance(value, str):
        return "" if value.strip() in MISSING_MARKERS else value
    if isinstance(value, int | float) and not isinstance(value, bool) and name == "date":
        return str(value)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return "\n\n".join(value)
    raise NotAnArticle(f"field {name!r} holds {type(value).__name__}, not text")


def build_article(raw: RawRecord, options: CleanOptions) -> Article:
    """The article a record stands for. Raises ``RecordError`` when there is none."""
    body = "\n\n".join(options.rules.strip(clean_paragraphs(_text_field(raw, "body"))))
    dateline = parse_dateline(body) if body else None
    if dateline is not None:
        body = dateline.rest

    title = normalize_line(_text_field(raw, "title"))
    if not any(ch.isalnum() for ch in title):  # "," or "-": what a scrape left of a lost title
        title = ""
    title_derived = False
    if not title:
        if not body:
            raise EmptyRecord("no title and no body text")
        title, title_derived = derive_title(body), True

    source = normalize_line(_text_field(raw, "source")) or options.default_source or UNKNOWN_SOURCE
    date = _date(raw, body, options.date_order(source), options.today)
    if dateline is not None and date.value and date.precision != "day":
        date = _with_dateline(date, dateline)

    language = normalize_language(raw.fields.get("language"))
    detected = False
    if language is None:
        language = options.detect(f"{title}\n{body}")
        detected = language is not None

    url = normalize_line(_text_field(raw, "url")) or None
    metadata: dict[str, Any] = {k: v for k, v in raw.fields.items() if k not in KNOWN_FIELDS}
    return Article(
        source=source,
        title=title,
        title_derived=title_derived,
        body=body,
        date=date.value,
        date_precision=date.precision,
        date_alternatives=date.alternatives,
        date_note=date.note,
        url=url,
        language=language,
        language_detected=detected,
        place=dateline.place if dateline else None,
        metadata=metadata,
        body_hash=body_hash(body) if body else "",
    )


def _with_dateline(date: ParsedDate, dateline: Dateline) -> ParsedDate:
    """A year- or month-precise date made exact by the dateline's month and day."""
    assert date.value is not None
    if dateline.month is None or dateline.day is None:
        return date
    if date.precision == "month" and dateline.month != date.value.month:
        return date
    try:
        day = dt.date(date.value.year, dateline.month, dateline.day)
    except ValueError:
        return date
    return ParsedDate(day, "day", (), "month and day from the dateline")


def _date(raw: RawRecord, body: str, order: DateOrder, today: dt.date | None) -> ParsedDate:
    """The record's date: its date field, else a date at the top of the body or in the file name."""
    given = _text_field(raw, "date").strip()
    parsed = parse_date(given, order=order, today=today) if given else ParsedDate.unknown("no date given")
    if parsed.value is not None:
        return parsed
    in_body = find_date(body[:BODY_DATE_WINDOW], order=order, today=today) if body else None
    in_name = None
    if raw.line is None:  # a one-file record: its file name may carry the date (2012.txt)
        in_name = find_date(PurePath(raw.input).name.split(".")[0], order=order, today=today)
    if in_body and in_body.value and (not in_name or not in_name.value or in_body.value.year == in_name.value.year):
        return ParsedDate(
            in_body.value, in_body.precision, in_body.alternatives, f"{parsed.note}; date taken from the text"
        )
    if in_name and in_name.value:
        return ParsedDate(
            in_name.value, in_name.precision, in_name.alternatives, f"{parsed.note}; date taken from the file name"
        )
    return parsed
