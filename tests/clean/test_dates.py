"""Dates: field values, dates inside text, KCNA datelines."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wirewatch.clean import dates
from wirewatch.clean.dates import (
    DEFAULT_DATE_ORDER,
    Dateline,
    apply_year,
    find_date,
    parse_date,
    parse_dateline,
)
from wirewatch.models import ParsedDate

TODAY = dt.date(2024, 6, 1)
CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"
D = dt.date


# --- parse_date: every written form ---------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value", "precision"),
    [
        ("2018-10-11", D(2018, 10, 11), "day"),
        ("2018-10-11T08:30:00Z", D(2018, 10, 11), "day"),
        ("2018-10-11T08:30:00+09:00", D(2018, 10, 11), "day"),
        ("2018-10-11 08:30", D(2018, 10, 11), "day"),
        ("2018/10/11", D(2018, 10, 11), "day"),
        ("2018.10.11", D(2018, 10, 11), "day"),
        ("Oct. 11, 2018", D(2018, 10, 11), "day"),
        ("Oct 11, 2018", D(2018, 10, 11), "day"),
        ("October 11, 2018", D(2018, 10, 11), "day"),
        ("October 11 2018", D(2018, 10, 11), "day"),
        ("October 11th, 2018", D(2018, 10, 11), "day"),
        ("11 October 2018", D(2018, 10, 11), "day"),
        ("11 Oct. 2018", D(2018, 10, 11), "day"),
        ("11 Oct 2018", D(2018, 10, 11), "day"),
        ("Thursday, October 11, 2018", D(2018, 10, 11), "day"),
        ("Thu 11 Oct 2018", D(2018, 10, 11), "day"),
        ("13/10/2018", D(2018, 10, 13), "day"),
        ("13.10.2018", D(2018, 10, 13), "day"),
        ("13-10-2018", D(2018, 10, 13), "day"),
        ("October 2018", D(2018, 10, 1), "month"),
        ("Oct. 2018", D(2018, 10, 1), "month"),
        ("2018", D(2018, 1, 1), "year"),
        ("2002년 01월 01일", D(2002, 1, 1), "day"),
        ("2002년 1월 1일", D(2002, 1, 1), "day"),
        ("2002년1월1일", D(2002, 1, 1), "day"),
        ("2012-01-01 오전 11:52:56", D(2012, 1, 1), "day"),
        ("[ 2012-01-01 오전 11:52:56 ]", D(2012, 1, 1), "day"),
        ("- 1950년 01월 01일", D(1950, 1, 1), "day"),
        ("2002년 1월", D(2002, 1, 1), "month"),
        ("2012년", D(2012, 1, 1), "year"),
        ("Juche 107 (2018)", D(2018, 1, 1), "year"),
        ("Juche 107", D(2018, 1, 1), "year"),
        ("January 3, Juche 81 (1992)", D(1992, 1, 3), "day"),
        ("주체101(2012)년 1월 1일", D(2012, 1, 1), "day"),
        # kcna.kp's datemark beside each headline and article: Juche year, month, day
        ("[Juche113.5.3.]", D(2024, 5, 3), "day"),
        ("Juche112.12.31.", D(2023, 12, 31), "day"),
        ("Juche 113.5.3", D(2024, 5, 3), "day"),
        ("JUCHE101.1.1.", D(2012, 1, 1), "day"),
        ("[주체113.5.3.]", D(2024, 5, 3), "day"),
        ("주체107년", D(2018, 1, 1), "year"),
        ("주체１０１(２０１２)년", D(2012, 1, 1), "year"),
        ("11 de octubre de 2018", D(2018, 10, 11), "day"),
        ("octubre 11, 2018", D(2018, 10, 11), "day"),
        ("octubre de 2018", D(2018, 10, 1), "month"),
        ("jueves, 11 de octubre de 2018", D(2018, 10, 11), "day"),
        ("11 octobre 2018", D(2018, 10, 11), "day"),
        ("1er janvier 2018", D(2018, 1, 1), "day"),
        ("25 décembre 2018", D(2018, 12, 25), "day"),
        ("11 октября 2018", D(2018, 10, 11), "day"),
        ("11 октября 2018 г.", D(2018, 10, 11), "day"),
        ("1 мая 2018 года", D(2018, 5, 1), "day"),
        ("２０１２", D(2012, 1, 1), "year"),
        ("２０１２-０１-０５", D(2012, 1, 5), "day"),
        ("２０１２년 １월 ５일", D(2012, 1, 5), "day"),
    ],
)
def test_parse_date_reads_each_form(text: str, value: dt.date, precision: str) -> None:
    assert parse_date(text, today=TODAY) == ParsedDate(value, precision)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "text",
    ["OCTOBER 11, 2018", "october 11, 2018", "oCt. 11, 2018", "11 OCT 2018", "Oct 11, 2018", "11 OCTUBRE 2018"],
)
def test_month_names_ignore_case_and_dot(text: str) -> None:
    assert parse_date(text, today=TODAY).value == D(2018, 10, 11)


@pytest.mark.parametrize("text", ["Sept. 5, 2018", "Sept 5, 2018", "Sep. 5, 2018", "5 Sept. 2018", "5 sept 2018"])
def test_sept_abbreviation(text: str) -> None:
    assert parse_date(text, today=TODAY).value == D(2018, 9, 5)


def test_month_names_folded_the_way_the_regex_folds_them() -> None:
    # re.IGNORECASE matches dotless 'ı' as 'i'; the month must still be found, not raise.
    assert parse_date("aprıl 5, 2018", today=TODAY).value == D(2018, 4, 5)


# --- ambiguous numeric dates ------------------------------------------------------------


def test_default_order_is_day_first() -> None:
    assert DEFAULT_DATE_ORDER == "DMY"


def test_reference_date_reads_as_11_october_with_the_other_reading_kept() -> None:
    result = parse_date("11/10/2018", today=TODAY)
    assert result.value == D(2018, 10, 11)
    assert result.precision == "day"
    assert result.alternatives == (D(2018, 11, 10),)
    assert result.note == (
        "ambiguous numeric date '11/10/2018': read as day-month (DMY order); other reading 2018-11-10"
    )


@pytest.mark.parametrize(
    ("text", "order", "value", "other"),
    [
        ("11/10/2018", "DMY", D(2018, 10, 11), D(2018, 11, 10)),
        ("11/10/2018", "MDY", D(2018, 11, 10), D(2018, 10, 11)),
        ("11.10.2018", "DMY", D(2018, 10, 11), D(2018, 11, 10)),
        ("11-10-2018", "MDY", D(2018, 11, 10), D(2018, 10, 11)),
        ("10/11/18", "DMY", D(2018, 11, 10), D(2018, 10, 11)),
        ("10/11/18", "MDY", D(2018, 10, 11), D(2018, 11, 10)),
        ("11/10/2018", "YMD", D(2018, 10, 11), D(2018, 11, 10)),  # year written last: day first
    ],
)
def test_ambiguous_dates_follow_order(text: str, order: str, value: dt.date, other: dt.date) -> None:
    result = parse_date(text, order=order, today=TODAY)  # type: ignore[arg-type]
    assert (result.value, result.precision, result.alternatives) == (value, "day", (other,))
    assert result.note is not None and result.note.startswith(f"ambiguous numeric date '{text}'")


def test_ymd_order_reads_two_digit_year_first_and_keeps_other_readings() -> None:
    result = parse_date("18/10/11", order="YMD", today=TODAY)
    assert result.value == D(2018, 10, 11)
    assert result.alternatives == (D(2011, 10, 18),)  # 2011-18-10 is no date
    assert "year-month-day (YMD order)" in (result.note or "")


def test_mdy_note_names_the_reading() -> None:
    note = parse_date("11/10/2018", order="MDY", today=TODAY).note
    assert note == "ambiguous numeric date '11/10/2018': read as month-day (MDY order); other reading 2018-10-11"


@pytest.mark.parametrize("order", ["DMY", "MDY", "YMD"])
def test_same_day_and_month_is_not_ambiguous(order: str) -> None:
    result = parse_date("05/05/2018", order=order, today=TODAY)  # type: ignore[arg-type]
    assert result == ParsedDate(D(2018, 5, 5), "day")


@pytest.mark.parametrize("order", ["DMY", "MDY", "YMD"])
@pytest.mark.parametrize("text", ["13/10/2018", "10/13/2018"])
def test_a_number_over_12_decides_whatever_the_order(text: str, order: str) -> None:
    assert parse_date(text, order=order, today=TODAY) == ParsedDate(D(2018, 10, 13), "day")  # type: ignore[arg-type]


def test_alternative_in_the_future_is_dropped() -> None:
    result = parse_date("10/11/2018", today=D(2018, 10, 20))  # 10 Nov would be after today
    assert result.value == D(2018, 10, 11)
    assert result.alternatives == ()
    assert result.note == (
        "ambiguous numeric date '10/11/2018': read as month-day (MDY order); other reading 2018-11-10 is in the future"
    )


def test_future_preferred_reading_gives_way_to_the_other() -> None:
    result = parse_date("11/10/2018", today=D(2018, 10, 15), order="MDY")  # 10 Nov is after today
    assert result.value == D(2018, 10, 11)
    assert result.alternatives == ()


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("05/05/00", D(2000, 5, 5)),
        ("05/05/69", D(2069, 5, 5)),
        ("05/05/70", D(1970, 5, 5)),
        ("05/05/99", D(1999, 5, 5)),
    ],
)
def test_two_digit_year_pivot(text: str, value: dt.date) -> None:
    assert parse_date(text, today=D(2100, 1, 1)).value == value


# --- what is not used -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "note"),
    [
        ("2099-01-01", "date '2099-01-01' is in the future"),
        ("1850-03-01", "date '1850-03-01' is before 1900"),
        ("1 March 1850", "date '1 March 1850' is before 1900"),
        ("1850", "date '1850' is before 1900"),
        ("Juche 999", "date 'Juche 999' is in the future"),
        ("[Juche113.8.4.]", "date 'Juche113.8.4' is in the future"),
        ("[Juche113.2.30.]", "'Juche113.2.30' is not a valid date"),
        ("2018-02-30", "'2018-02-30' is not a valid date"),
        ("30 February 2018", "'30 February 2018' is not a valid date"),
        ("13/13/2018", "'13/13/2018' is not a valid date"),
        ("2018-13-01", "'2018-13-01' is not a valid date"),
        ("xyz", "no date found in 'xyz'"),
        ("", "no date given"),
        ("   \n\t", "no date given"),
        ("Date: 11/10/2018", "'Date: 11/10/2018' is not only a date (found '11/10/2018')"),
    ],
)
def test_unusable_values_are_unknown_with_a_note(text: str, note: str) -> None:
    assert parse_date(text, today=TODAY) == ParsedDate.unknown(note)


def test_today_defaults_to_the_real_today() -> None:
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    assert parse_date(tomorrow.isoformat()).value is None
    assert parse_date(dt.date.today().isoformat()).value == dt.date.today()


def test_iso_date_takes_the_fast_path(monkeypatch: pytest.MonkeyPatch) -> None:
    def heavy(text: str) -> list[object]:
        raise AssertionError("the general scanner ran for a plain ISO date")

    monkeypatch.setattr(dates, "_candidates", heavy)
    monkeypatch.setattr(dates, "_normalise", heavy)
    assert parse_date("2011-12-01", today=TODAY) == ParsedDate(D(2011, 12, 1), "day")
    assert parse_date("2011-02-30", today=TODAY).note == "'2011-02-30' is not a valid date"


def test_juche_year_disagreeing_with_written_year_uses_the_written_one() -> None:
    result = parse_date("Juche 107 (2019)", today=TODAY)
    assert result.value == D(2019, 1, 1)
    assert result.note == "Juche 107 is 2018; used the written 2019"


# --- find_date ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value", "precision"),
    [
        ("2012", D(2012, 1, 1), "year"),
        ("2012.txt", D(2012, 1, 1), "year"),
        ("kcna-2012-01-05", D(2012, 1, 5), "day"),
        ("kcna-2012-01-05.html", D(2012, 1, 5), "day"),
        ("북한 신년사설 전문\n[ 2012-01-01 오전 11:52:56 ]\n", D(2012, 1, 1), "day"),
        ("<로동신문>，<조선인민군> 공동사설 - 2002년 01월 01일 \n해 제", D(2002, 1, 1), "day"),
        ("Date: 11/10/2018 | Source: Pyongyang Times", D(2018, 10, 11), "day"),
        ("In 1998 talks began; on 5 May 2003 they ended.", D(2003, 5, 5), "day"),
        ("The plan for 1998 was set in October 2003.", D(2003, 10, 1), "month"),
        ("새해 주체１０１(２０１２)년을 맞이한다", D(2012, 1, 1), "year"),
        ("Juche 100 (2011) is a significant year", D(2011, 1, 1), "year"),
        ("Press Review [Juche113.5.3.]", D(2024, 5, 3), "day"),  # not 2024-01-01 from "Juche113" alone
        ("from 1998 to 2003", D(1998, 1, 1), "year"),
    ],
)
def test_find_date(text: str, value: dt.date, precision: str) -> None:
    result = find_date(text, today=TODAY)
    assert (result.value, result.precision) == (value, precision)


def test_find_date_first_precise_date_wins() -> None:
    assert find_date("on 1 May 2003 and on 2 June 2004", today=TODAY).value == D(2003, 5, 1)


def test_find_date_keeps_ambiguity() -> None:
    result = find_date("Date: 11/10/2018 | Source: Pyongyang Times", order="MDY", today=TODAY)
    assert (result.value, result.alternatives) == (D(2018, 11, 10), (D(2018, 10, 11),))


@pytest.mark.parametrize("text", ["about 1850 soldiers", "in 2999 maybe", "1,2012 tons", "in the 1990s", "3.2012"])
def test_find_date_ignores_numbers_that_are_not_years(text: str) -> None:
    assert find_date(text, today=TODAY).value is None


def test_find_date_passes_over_an_unusable_date() -> None:
    assert find_date("13/13/2018 then 5 May 2003", today=TODAY).value == D(2003, 5, 5)
    # the year inside an impossible date is not read on its own
    assert find_date("13/13/2018", today=TODAY) == ParsedDate.unknown("'13/13/2018' is not a valid date")
    assert find_date("filed 2099-01-01", today=TODAY) == ParsedDate.unknown("date '2099-01-01' is in the future")


@pytest.mark.parametrize(
    ("text", "note"), [("", "no date given"), ("  ", "no date given"), ("abc", "no date found in 'abc'")]
)
def test_find_date_without_a_date(text: str, note: str) -> None:
    assert find_date(text, today=TODAY) == ParsedDate.unknown(note)


def test_find_date_bare_year_limited_to_today() -> None:
    assert find_date("2024", today=TODAY).value == D(2024, 1, 1)
    assert find_date("2025", today=TODAY).value is None


# --- never raises ---------------------------------------------------------------------


@given(st.text())
def test_never_raises_on_any_text(text: str) -> None:
    for result in (parse_date(text, today=TODAY), find_date(text, today=TODAY)):
        assert isinstance(result, ParsedDate)
        assert (result.value is None) == (result.precision is None)
        assert result.value is not None or result.note
    line = parse_dateline(text)
    assert line is None or isinstance(line, Dateline)


@given(st.text(alphabet="0123456789/-.:, ()[]년월일주체JucheOctoberdeMay오전T\n", max_size=60))
def test_never_raises_on_date_like_text(text: str) -> None:
    for order in ("DMY", "MDY", "YMD"):
        for result in (parse_date(text, order=order, today=TODAY), find_date(text, order=order, today=TODAY)):
            if result.value is not None:
                assert dates.EARLIEST <= result.value <= TODAY
                assert all(dates.EARLIEST <= alt <= TODAY for alt in result.alternatives)


@given(st.dates(min_value=D(1900, 1, 1), max_value=TODAY))
def test_written_dates_round_trip(value: dt.date) -> None:
    month = value.strftime("%B")
    for text in (
        value.isoformat(),
        f"{month} {value.day}, {value.year}",
        f"{value.day} {month} {value.year}",
        f"{value.year}년 {value.month}월 {value.day}일",
    ):
        assert parse_date(text, today=TODAY).value == value
    numeric = parse_date(f"{value.day:02}/{value.month:02}/{value.year}", today=TODAY)
    assert numeric.value == value
    other = D(value.year, value.day, value.month) if value.day <= 12 else None
    assert numeric.alternatives == ((other,) if other is not None and value != other <= TODAY else ())


# --- datelines ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "place", "month", "day", "agency", "rest"),
    [
        ("Pyongyang, October 11 (KCNA) -- The DPRK ...", "Pyongyang", 10, 11, "KCNA", "The DPRK ..."),
        ("Pyongyang, Oct. 11 (KCNA) -- The DPRK", "Pyongyang", 10, 11, "KCNA", "The DPRK"),
        ("Pyongyang, October 11 (KCNA) The DPRK", "Pyongyang", 10, 11, "KCNA", "The DPRK"),
        ("Beijing, January 3 (KCNA) -- Chinese", "Beijing", 1, 3, "KCNA", "Chinese"),
        ("Pyongyang, January 3 (KCNA)--The", "Pyongyang", 1, 3, "KCNA", "The"),
        ("Pyongyang, January 3 (KCNA) — The", "Pyongyang", 1, 3, "KCNA", "The"),
        ("Pyongyang, January 3 (KCNA) – The", "Pyongyang", 1, 3, "KCNA", "The"),
        ("Pyongyang, January 3 (KCNA)—The", "Pyongyang", 1, 3, "KCNA", "The"),
        ("Pyongyang, 11 de octubre (ACNC) -- El Dirigente", "Pyongyang", 10, 11, "ACNC", "El Dirigente"),
        ("Pyongyang, 11 octobre (KCNA) -- Le", "Pyongyang", 10, 11, "KCNA", "Le"),
        ("Pyongyang (KCNA) -- The DPRK", "Pyongyang", None, None, "KCNA", "The DPRK"),
        ("Ulan Bator, May 5 (KCNA) -- A", "Ulan Bator", 5, 5, "KCNA", "A"),
        ("Phnom Penh, Sept. 9 (KCNA) -- A", "Phnom Penh", 9, 9, "KCNA", "A"),
        ("PYONGYANG, Oct. 11 (KCNA) -- A", "PYONGYANG", 10, 11, "KCNA", "A"),
        ("Pyongyang, October 11 (Rodong Sinmun) -- A", "Pyongyang", 10, 11, "Rodong Sinmun", "A"),
        ("Pyongyang, Oct. 11 -- A", "Pyongyang", 10, 11, None, "A"),
        ("  Pyongyang, October 11 (KCNA) --\n\nThe DPRK", "Pyongyang", 10, 11, "KCNA", "The DPRK"),
        ("Pyongyang, October 11 (KCNA)", "Pyongyang", 10, 11, "KCNA", ""),
    ],
)
def test_parse_dateline(
    body: str, place: str, month: int | None, day: int | None, agency: str | None, rest: str
) -> None:
    assert parse_dateline(body) == Dateline(place, month, day, agency, rest)


@pytest.mark.parametrize(
    "body",
    [
        "The DPRK-Russia friendship with a long history and tradition was forged",
        "Kim Yong Nam, president of the Presidium of the SPA, sent a message",
        "La Agencia Central de Noticias de Corea (ACNC) hizo publico",
        "Korean Central News Agency (KCNA) released a report",  # no date and no dashes
        "Pyongyang (KCNA) The DPRK",
        "Pyongyang, Mayor (KCNA) -- x",
        "the Pyongyang, October 11 (KCNA) -- x",
        "",
        "Pyongyang, October 11 (KCNA)The",
    ],
)
def test_no_dateline(body: str) -> None:
    assert parse_dateline(body) is None


@pytest.mark.parametrize(
    ("month", "day", "reference", "expected"),
    [
        (10, 11, D(2018, 10, 11), D(2018, 10, 11)),
        (10, 10, D(2018, 10, 11), D(2018, 10, 10)),
        (12, 31, D(2012, 1, 1), D(2011, 12, 31)),
        (1, 1, D(2011, 12, 31), D(2012, 1, 1)),
        (7, 1, D(2011, 12, 31), D(2011, 7, 1)),
        (2, 29, D(2012, 3, 1), D(2012, 2, 29)),
        (2, 30, D(2012, 3, 1), None),
    ],
)
def test_apply_year(month: int, day: int, reference: dt.date, expected: dt.date | None) -> None:
    assert apply_year(Dateline("Pyongyang", month, day, "KCNA", ""), reference) == expected


def test_apply_year_needs_a_reference_and_a_date() -> None:
    assert apply_year(Dateline("Pyongyang", 10, 11, "KCNA", ""), None) is None
    assert apply_year(Dateline("Pyongyang", None, None, "KCNA", ""), D(2018, 10, 11)) is None


def test_dateline_round_trip_with_apply_year() -> None:
    line = parse_dateline("Pyongyang, December 31 (KCNA) -- Kim Jong Il")
    assert line is not None
    assert apply_year(line, D(2012, 1, 1)) == D(2011, 12, 31)


# --- the real corpus (skipped when ../shared/corpus is absent) ---------------------------


@pytest.mark.corpus
@pytest.mark.skipif(not CORPUS.is_dir(), reason="needs ../shared/corpus")
def test_reference_article_date_line() -> None:
    text = (CORPUS / "pyongyang-times-dprk-russia-friendship.txt").read_text(encoding="utf-8")
    head = "\n".join(text.splitlines()[:4])
    result = find_date(head, today=TODAY)
    assert result.value == D(2018, 10, 11)
    assert result.alternatives == (D(2018, 11, 10),)


@pytest.mark.corpus
@pytest.mark.skipif(not CORPUS.is_dir(), reason="needs ../shared/corpus")
def test_new_year_address_file_names_give_their_year() -> None:
    files = sorted((CORPUS / "nk-new-year-addresses-ko").glob("*.txt"))
    assert files
    for path in files:
        assert find_date(path.name, today=TODAY) == ParsedDate(D(int(path.stem), 1, 1), "year")


def test_an_iso_year_and_month_is_read_to_the_month() -> None:
    assert parse_date("2012-05") == ParsedDate(dt.date(2012, 5, 1), "month")
    assert parse_date("2012-13").value is None  # no 13th month
    # In running text "2011-12" is as often a span of years: only the year is taken.
    assert find_date("during the 2011-12 season").precision == "year"
