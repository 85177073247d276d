"""Reading dates: a date field's value, the first date in a text, a KCNA dateline.

Pure functions over strings, no I/O. The written forms (numeric, month names in English,
Spanish, French and Russian, Korean ``년/월/일``, Juche years, kcna.kp's datemark
``[Juche113.8.4.]``) are kept as data below, apart from the code that applies them. Text
is NFKC-normalised first, so full-width digits (``２０１２``) read as ASCII ones. Nothing
here raises on any ``str``: a date that cannot be used comes back as
``ParsedDate.unknown(note)`` with the reason in ``note``.

A dateline (``Pyongyang, October 11 (KCNA) --``) gives a month and day without a year;
:func:`apply_year` dates it from the record's own date.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass

from wirewatch.models import DateOrder, DatePrecision, ParsedDate

__all__ = [
    "DEFAULT_DATE_ORDER",
    "EARLIEST",
    "JUCHE_OFFSET",
    "MONTHS",
    "Dateline",
    "apply_year",
    "find_date",
    "month_number",
    "parse_date",
    "parse_dateline",
]

DEFAULT_DATE_ORDER: DateOrder = "DMY"
"""How ``11/10/2018`` is read when nothing else decides: day first.

North Korean state media and the aggregators that republish them outside the US write the
day first. The reference article dated ``11/10/2018`` is 11 October 2018: it announces the
anniversary of 12 October as coming, so it cannot be from 10 November.
"""

EARLIEST = dt.date(1900, 1, 1)
"""Dates before this are not article dates (a misread number, a historical reference)."""

JUCHE_OFFSET = 1911
"""Juche year + 1911 = Gregorian year (Juche 1 is 1912, Kim Il Sung's birth year)."""

_MONTH_ROWS: tuple[tuple[str, ...], ...] = (
    (
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ),
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"),
    (
        "enero",
        "febrero",
        "marzo",
        "abril",
        "mayo",
        "junio",
        "julio",
        "agosto",
        "septiembre",
        "octubre",
        "noviembre",
        "diciembre",
    ),
    ("ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sep", "oct", "nov", "dic"),
    (
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ),
    ("janv", "févr", "mars", "avr", "mai", "juin", "juil", "août", "sept", "oct", "nov", "déc"),
    # Russian: genitive ("11 октября 2018") and nominative ("октябрь 2018").
    (
        "января",
        "февраля",
        "марта",
        "апреля",
        "мая",
        "июня",
        "июля",
        "августа",
        "сентября",
        "октября",
        "ноября",
        "декабря",
    ),
    (
        "январь",
        "февраль",
        "март",
        "апрель",
        "май",
        "июнь",
        "июль",
        "август",
        "сентябрь",
        "октябрь",
        "ноябрь",
        "декабрь",
    ),
)
MONTHS: dict[str, int] = {name: i + 1 for row in _MONTH_ROWS for i, name in enumerate(row)}
"""Lower-case month names and abbreviations (without their dot) → month number."""
MONTHS.update({"sept": 9, "setiembre": 9, "fevrier": 2, "fevr": 2, "aout": 8, "decembre": 12})

_WEEKDAYS: tuple[str, ...] = (
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "mon",
    "tue",
    "tues",
    "wed",
    "thu",
    "thur",
    "thurs",
    "fri",
    "sat",
    "sun",
    "lunes",
    "martes",
    "miércoles",
    "miercoles",
    "jueves",
    "viernes",
    "sábado",
    "sabado",
    "domingo",
    "lundi",
    "mardi",
    "mercredi",
    "jeudi",
    "vendredi",
    "samedi",
    "dimanche",
    "понедельник",
    "вторник",
    "среда",
    "четверг",
    "пятница",
    "суббота",
    "воскресенье",
)

_LETTER_BEFORE = r"(?<![^\W\d_])"
_LETTER_AFTER = r"(?![^\W\d_])"
_Node = dict[str, "_Node"]


def _trie(words: Iterable[str]) -> str:
    """An alternation of ``words`` shaped as a trie, the longest word first.

    ``re`` tries the branches of ``a|b|c`` one by one at every position; a trie tries one
    branch per letter, which makes the month patterns several times faster on long text.
    """
    root: _Node = {}
    for word in words:
        node = root
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def build(node: _Node) -> str:
        branches = [re.escape(char) + build(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        inner = branches[0] if len(branches) == 1 else f"(?:{'|'.join(branches)})"
        return f"(?:{inner})?" if "" in node else inner

    return build(root)


def _whole_word(words: Collection[str]) -> str:
    """Any of ``words`` as a whole word (use with ``re.IGNORECASE``).

    The leading look-ahead on first letters lets ``re`` pass over other letters cheaply.
    """
    first = "".join(sorted({word[0] for word in words}))
    return f"(?=[{first}]){_LETTER_BEFORE}(?:{_trie(words)}){_LETTER_AFTER}"


# A number that starts here and does not continue a longer one. The look-behind sits after
# the first digit, not before it: a pattern that starts with a digit lets ``re`` jump from
# digit to digit when scanning, where a leading look-behind is tried at every position.
_D4 = r"\d(?<!\d\d)\d{3}(?!\d)"
_D2 = r"\d(?<!\d\d)\d?(?!\d)"
_NUMBER_END = r"(?!\d|[-/.]\d)"  # not followed by more of a number chain (an IP, a version)

_MONTH_WORD = rf"(?P<month>{_whole_word(MONTHS)})\.?"
_DAY = rf"(?P<day>{_D2})(?:st|nd|rd|th|er|º)?"
_JUCHE = r"j(?<![^\W\d_]j)uche\s*(?P<juche>\d{1,3})(?:\s*\(\s*(?P<jyear>\d{4})\s*\))?(?!\d)"
_YEAR = rf"(?:(?P<year>{_D4})|{_JUCHE})"
_JUCHE_NUMERIC = (
    r"(?:j(?<![^\W\d_]j)uche|주체)\s*(?P<juche>\d{1,3})(?P<sep>[-/.])(?P<jmonth>\d{1,2})(?P=sep)(?P<jday>\d{1,2})"
    + _NUMBER_END
)
_KOREAN_MONTH_DAY = r"(?:\s*(?P<kmonth>\d{1,2})\s*월(?:\s*(?P<kday>\d{1,2})\s*일)?)?"

_TIME = r"t?\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:z|[+-]\d{2}:?\d{2})?"
_NOISE = re.compile(
    r"(?:[\s\[\](){}<>,.;:|/\\'\"*_\-–—]"
    rf"|{_TIME}|{_whole_word(_WEEKDAYS)}|[월화수목금토일]요일|오전|오후"
    rf"|{_LETTER_BEFORE}(?:a\.?m\.?|p\.?m\.?|utc|gmt|kst|г\.|года?){_LETTER_AFTER})*",
    re.IGNORECASE,
)
"""What a date field may hold besides its date: brackets, punctuation, a weekday, a time."""

_ISO_DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
# ISO 8601's year and month (2012-05). Read only as a whole field: in running text
# "2011-12" is as often a span of years as a month.
_ISO_MONTH = re.compile(r"(\d{4})-(\d{2})")

_LABELS = {"DMY": "day-month", "MDY": "month-day", "YMD": "year-month-day"}


@dataclass(frozen=True, slots=True)
class _Reading:
    """What one match says: its possible dates in order of preference, and how precise."""

    dates: tuple[tuple[DateOrder, int, int, int], ...]
    precision: DatePrecision
    note: str | None = None


_Reader = Callable[[re.Match[str], DateOrder], _Reading]


def _year_of(m: re.Match[str]) -> tuple[int, str | None]:
    """The Gregorian year of a match with groups ``year`` or ``juche`` (+ optional ``jyear``),
    and a note when a Juche year and the Gregorian year written beside it disagree."""
    groups = m.groupdict()
    if groups.get("year"):
        return int(groups["year"]), None
    juche = int(groups["juche"]) + JUCHE_OFFSET
    if not groups.get("jyear"):
        return juche, None
    written = int(groups["jyear"])
    note = None if written == juche else f"Juche {groups['juche']} is {juche}; used the written {written}"
    return written, note


def month_number(name: str) -> int:
    """The month a month name or abbreviation (of ``MONTHS``, with or without its dot)
    means, folding case the way ``re.IGNORECASE`` does; KeyError for another word."""
    name = name.rstrip(".")
    number = MONTHS.get(name.lower())
    if number is None:  # 'ı', 'ſ', 'İ' match 'i', 's' under re.IGNORECASE but not str.lower()
        number = next((n for key, n in MONTHS.items() if re.fullmatch(re.escape(key), name, re.IGNORECASE)), None)
    if number is None:
        raise KeyError(name)
    return number


def _two_digit_year(digits: str) -> int:
    """00–69 → 2000–2069, 70–99 → 1970–1999 (the POSIX ``%y`` pivot); 4 digits as written."""
    year = int(digits)
    if len(digits) != 2:
        return year
    return year + (2000 if year < 70 else 1900)


def _read_year_first(m: re.Match[str], order: DateOrder) -> _Reading:
    return _Reading((("YMD", int(m[1]), int(m[3]), int(m[4])),), "day")


def _read_year_last(m: re.Match[str], order: DateOrder) -> _Reading:
    a, b, c = int(m[1]), int(m[3]), m[4]
    year = _two_digit_year(c)
    day_first: tuple[DateOrder, int, int, int] = ("DMY", year, b, a)
    month_first: tuple[DateOrder, int, int, int] = ("MDY", year, a, b)
    if order == "MDY":
        return _Reading((month_first, day_first), "day")
    if order == "YMD" and len(c) == 2 and len(m[1]) == 2:
        # "18/10/11" under YMD: year first, but the year-last readings stay possible.
        return _Reading((("YMD", _two_digit_year(m[1]), b, int(c)), day_first, month_first), "day")
    return _Reading((day_first, month_first), "day")  # DMY, and YMD with a year written last


def _read_month_first(m: re.Match[str], order: DateOrder) -> _Reading:
    year, note = _year_of(m)
    if m["day"] is None:
        return _Reading((("YMD", year, month_number(m["month"]), 1),), "month", note)
    return _Reading((("MDY", year, month_number(m["month"]), int(m["day"])),), "day", note)


def _read_day_first(m: re.Match[str], order: DateOrder) -> _Reading:
    year, note = _year_of(m)
    return _Reading((("DMY", year, month_number(m["month"]), int(m["day"])),), "day", note)


def _read_korean(m: re.Match[str], order: DateOrder) -> _Reading:
    """``2002년 1월 1일``, ``주체101(2012)년 1월 1일``: as precise as the parts written."""
    year, note = _year_of(m)
    month, day = int(m["kmonth"] or 1), int(m["kday"] or 1)
    precision: DatePrecision = "day" if m["kday"] else "month" if m["kmonth"] else "year"
    return _Reading((("YMD", year, month, day),), precision, note)


def _read_juche_numeric(m: re.Match[str], order: DateOrder) -> _Reading:
    year, note = _year_of(m)
    return _Reading((("YMD", year, int(m["jmonth"]), int(m["jday"])),), "day", note)


def _read_year(m: re.Match[str], order: DateOrder) -> _Reading:
    year, note = _year_of(m)
    return _Reading((("YMD", year, 1, 1),), "year", note)


# Each written form and its reader. Order matters only for matches of equal start and length.
_FORMS: tuple[tuple[re.Pattern[str], _Reader], ...] = (
    # 2018-10-11, 2018/10/11, 2018.10.11 (the same separator twice)
    (re.compile(rf"(\d(?<!\d\d)(?<!\d[-/.]\d)\d{{3}})([-/.])(\d{{1,2}})\2(\d{{1,2}}){_NUMBER_END}"), _read_year_first),
    # 11/10/2018, 11.10.2018, 11-10-2018, 10/11/18
    (re.compile(rf"(\d(?<!\d\d)(?<!\d[-/.]\d)\d?)([-/.])(\d{{1,2}})\2(\d{{4}}|\d{{2}}){_NUMBER_END}"), _read_year_last),
    # October 11, 2018; Oct. 11 2018; octubre 11, 2018; October 2018; January 3, Juche 81 (1992)
    (re.compile(rf"{_MONTH_WORD}(?:\s*{_DAY}\.?)?,?\s*(?:del?\s+)?{_YEAR}", re.IGNORECASE), _read_month_first),
    # 11 October 2018; 11 Oct. 2018; 11 de octubre de 2018; 1er octobre 2018; 11 октября 2018
    (re.compile(rf"{_DAY}\.?\s*(?:de\s+)?{_MONTH_WORD},?\s*(?:del?\s+)?{_YEAR}", re.IGNORECASE), _read_day_first),
    # 2002년 01월 01일, 2002년 1월, 2012년
    (re.compile(rf"(?P<year>{_D4})\s*년{_KOREAN_MONTH_DAY}"), _read_korean),
    # 주체101(2012)년 1월 1일, 주체107년
    (
        re.compile(rf"주체\s*(?P<juche>\d{{1,3}})(?:\s*\(\s*(?P<jyear>\d{{4}})\s*\))?\s*년{_KOREAN_MONTH_DAY}"),
        _read_korean,
    ),
    # Juche113.8.4. (kcna.kp's datemark), 주체113.8.4.: a Juche year, then month and day
    (re.compile(_JUCHE_NUMERIC, re.IGNORECASE), _read_juche_numeric),
    # Juche 107 (2018), Juche 107
    (re.compile(_JUCHE, re.IGNORECASE), _read_year),
    # 2018 alone; not "1,2012" or "3.2012" (numbers) or "1990s" (a decade)
    (re.compile(rf"(?P<year>\d(?<!\d\d)(?<!\d[.,]\d)\d{{3}})(?!\d|[.,]\d|'?s{_LETTER_AFTER})"), _read_year),
)
_BARE_YEAR = _FORMS[-1][0]  # a bare 4-digit year counts in find_date only within 1900..today


@dataclass(frozen=True, slots=True)
class _Candidate:
    start: int
    end: int
    match: re.Match[str]
    read: _Reader


def _candidates(text: str) -> list[_Candidate]:
    """Every date-looking span in ``text``, by start, longest first."""
    found = [_Candidate(m.start(), m.end(), m, read) for pattern, read in _FORMS for m in pattern.finditer(text)]
    found.sort(key=lambda c: (c.start, -c.end))
    return found


def _quote(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return f"'{text[:limit]}…'" if len(text) > limit else f"'{text}'"


def _out_of_range(value: dt.date, today: dt.date) -> str | None:
    if value > today:
        return "is in the future"
    if value < EARLIEST:
        return f"is before {EARLIEST.year}"
    return None


def _evaluate(reading: _Reading, written: str, today: dt.date) -> ParsedDate:
    """Turn a reading into a ParsedDate: drop impossible and out-of-range readings, note why."""
    q = _quote(written)
    valid: list[tuple[DateOrder, dt.date]] = []
    for kind, year, month, day in reading.dates:
        try:
            value = dt.date(year, month, day)
        except ValueError:
            continue
        if all(value != seen for _, seen in valid):
            valid.append((kind, value))
    if not valid:
        return ParsedDate.unknown(f"{q} is not a valid date")
    problems = [(kind, value, _out_of_range(value, today)) for kind, value in valid]
    usable = [(kind, value) for kind, value, why in problems if why is None]
    if not usable:
        return ParsedDate.unknown(f"date {q} {problems[0][2]}")
    kind, value = usable[0]
    if len(valid) == 1:
        return ParsedDate(value, reading.precision, (), reading.note)
    parts = [f"ambiguous numeric date {q}: read as {_LABELS[kind]} ({kind} order)"]
    for _, other, why in problems:
        if other != value:
            parts.append(f"other reading {other.isoformat()}" + (f" {why}" if why else ""))
    alternatives = tuple(other for _, other in usable[1:])
    return ParsedDate(value, reading.precision, alternatives, "; ".join(parts))


def _normalise(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def parse_date(text: str, *, order: DateOrder = DEFAULT_DATE_ORDER, today: dt.date | None = None) -> ParsedDate:
    """Read a date field's whole value.

    The value must be one date, optionally with brackets, punctuation, a weekday and a time
    of day around it (``[ 2012-01-01 오전 11:52:56 ]``, ``Thursday, October 11, 2018``).
    Ambiguous numeric dates (``11/10/2018``) follow ``order`` and list the other reading in
    ``alternatives``. Dates after ``today`` (default: the real today) or before 1900,
    impossible dates, empty text and anything else come back unknown with a note. Never raises.
    """
    today = today or dt.date.today()
    iso = _ISO_DAY.fullmatch(text)
    if iso:  # the fast path: most date fields are already ISO dates
        try:
            value = dt.date(int(iso[1]), int(iso[2]), int(iso[3]))
        except ValueError:
            return ParsedDate.unknown(f"{_quote(text)} is not a valid date")
        why = _out_of_range(value, today)
        return ParsedDate(value, "day") if why is None else ParsedDate.unknown(f"date {_quote(text)} {why}")
    value_text = _normalise(text).strip()
    if not value_text:
        return ParsedDate.unknown("no date given")
    if month := _ISO_MONTH.fullmatch(value_text):
        return _evaluate(_Reading((("YMD", int(month[1]), int(month[2]), 1),), "month"), value_text, today)
    candidates = _candidates(value_text)
    for c in candidates:
        if _NOISE.fullmatch(value_text[: c.start] + " " + value_text[c.end :]):
            return _evaluate(c.read(c.match, order), c.match[0], today)
    if candidates:
        return ParsedDate.unknown(f"{_quote(value_text)} is not only a date (found {_quote(candidates[0].match[0])})")
    return ParsedDate.unknown(f"no date found in {_quote(value_text)}")


def find_date(text: str, *, order: DateOrder = DEFAULT_DATE_ORDER, today: dt.date | None = None) -> ParsedDate:
    """Find the first usable date written anywhere in ``text``.

    The first date-looking span that gives a usable date wins, among spans precise to the
    day or month; a span that reads as nothing usable is passed over (its reason kept for
    the note) and nothing inside it is read again. Year-only spans (``2012``, ``2012년``,
    ``Juche 107``) count only when no day or month is found, and a bare 4-digit number only
    as a year from 1900 to ``today``'s year, so a file name ``2012.txt`` reads as 2012.
    Never raises.
    """
    today = today or dt.date.today()
    text = _normalise(text)
    if not text.strip():
        return ParsedDate.unknown("no date given")
    first_problem: str | None = None
    years: list[_Candidate] = []
    covered = 0
    for c in _candidates(text):
        if c.start < covered:
            continue
        if c.match.re is _BARE_YEAR and c.match["year"] and not EARLIEST.year <= int(c.match["year"]) <= today.year:
            continue
        covered = c.end
        reading = c.read(c.match, order)
        if reading.precision == "year":
            years.append(c)
            continue
        result = _evaluate(reading, c.match[0], today)
        if result.value is not None:
            return result
        first_problem = first_problem or result.note
    for c in years:
        result = _evaluate(c.read(c.match, order), c.match[0], today)
        if result.value is not None:
            return result
        first_problem = first_problem or result.note
    return ParsedDate.unknown(first_problem or f"no date found in {_quote(text)}")


@dataclass(frozen=True, slots=True)
class Dateline:
    """A dateline opening an article body: ``Pyongyang, October 11 (KCNA) --``.

    ``month`` and ``day`` are as written (None when the dateline has no date); ``rest`` is
    the body after the dateline, leading whitespace stripped.
    """

    place: str
    month: int | None
    day: int | None
    agency: str | None
    rest: str


_PLACE_WORD = r"[A-ZÀ-ÖØ-Þ][\w'’.-]*"
_INLINE_SPACE = r"[^\S\n]"
_DATELINE_DATE = (
    rf"{_MONTH_WORD}\s*(?P<day>\d{{1,2}})(?:st|nd|rd|th)?"  # October 11, Oct. 11
    + r"|(?P<day2>\d{1,2})(?:st|nd|rd|th|er|º)?\.?\s*(?:de\s+)?"  # 11 de octubre, 11 octobre
    + _MONTH_WORD.replace("<month>", "<month2>")
)
_DATELINE = re.compile(
    rf"\s*(?P<place>{_PLACE_WORD}(?:{_INLINE_SPACE}+{_PLACE_WORD}){{0,3}})"
    rf"(?:,{_INLINE_SPACE}*(?i:{_DATELINE_DATE}))?"
    rf"(?:{_INLINE_SPACE}*\((?P<agency>[A-Z]{{2,12}}|[A-Z][a-z]+(?:{_INLINE_SPACE}[A-Z][a-z]+){{0,3}})\))?"
    rf"(?:(?P<dash>{_INLINE_SPACE}*[-–—]{{1,3}})|(?=\s|$))"
)
_DATELINE_LEAD = dt.timedelta(days=7)
"""How far a dateline may fall after the record's date (time zones, late filing)."""


def parse_dateline(body: str) -> Dateline | None:
    """The KCNA-style dateline at the very start of ``body``, or None.

    A dateline is a place of 1–4 capitalised words, then ``, <month> <day>`` or
    ``, <day> [de] <month>``, then ``(AGENCY)``, then optional dashes. To keep ordinary
    sentences out, a dateline without a date needs both the agency and the dashes
    (``Pyongyang (KCNA) --``), and one without an agency needs a date and the dashes
    (``Pyongyang, Oct. 11 --``). One anchored regex match: cheap enough for every article.
    """
    m = _DATELINE.match(body)
    if m is None:
        return None
    month_name = m["month"] or m["month2"]
    has_date = month_name is not None
    if not (has_date and m["agency"]) and not (m["dash"] and (has_date or m["agency"])):
        return None
    return Dateline(
        place=m["place"],
        month=month_number(month_name) if month_name else None,
        day=int(m["day"] or m["day2"]) if has_date else None,
        agency=m["agency"],
        rest=body[m.end() :].lstrip(),
    )


def apply_year(dateline: Dateline, reference: dt.date | None) -> dt.date | None:
    """The dateline's month and day in the year that puts it nearest ``reference``.

    ``reference`` is the record's own date. The year is that of ``reference``, the one
    before or the one after, whichever gives the date nearest ``reference`` without
    falling more than a week after it: a dateline of 31 December on a record dated
    1 January is from the year before. None when there is no reference or no date, or
    the month and day make no date (30 February).
    """
    if reference is None or dateline.month is None or dateline.day is None:
        return None
    best: dt.date | None = None
    for year in (reference.year - 1, reference.year, reference.year + 1):
        try:
            candidate = dt.date(year, dateline.month, dateline.day)
        except ValueError:
            continue
        if candidate - reference > _DATELINE_LEAD:
            continue
        if best is None or abs(candidate - reference) < abs(best - reference):
            best = candidate
    return best
