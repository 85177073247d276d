"""Browsing by date: the months, a month's calendar, a day's articles."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tests.web.conftest import REPEATED, TestClient, article_ids, one, page, text_of
from wirewatch.store import open_store
from wirewatch.store.base import Browse


def _store_figures(db: Path) -> tuple[dict[tuple[int, int], int], dict[dt.date, int]]:
    store = open_store(str(db))
    try:
        return store.month_counts(), store.day_counts(dt.date(1900, 1, 1), dt.date(2100, 1, 1))
    finally:
        store.close()


def _calendar_days(doc: object) -> dict[dt.date, int]:
    """The calendar's linked days and the article count each link announces."""
    found = {}
    for link in one(doc, "//section[@class='calendar']").xpath(".//td/a"):
        day = dt.date.fromisoformat(link.get("href").removeprefix("/days/"))
        label = link.get("aria-label")
        assert label.endswith(" articles") and text_of(link) == str(day.day)
        found[day] = int(label.rsplit(": ", 1)[1].split()[0])
    return found


def test_months_page_lists_every_month_with_articles(client: TestClient, sample_db: Path) -> None:
    months, _days = _store_figures(sample_db)
    doc = page(client.get("/days"))
    assert text_of(one(doc, "//h1")) == "The archive by date"
    assert [text_of(h) for h in doc.xpath("//section[@class='year']/h2")] == ["2018", "2012", "2011"]
    shown = {}
    for link in doc.xpath("//ul[@class='months']//a"):
        year, month = map(int, link.get("href").removeprefix("/days/").split("-"))
        shown[(year, month)] = int(text_of(one(link, "span[@class='count']")))
    assert shown == months
    # Months without articles are named but not linked.
    year_2018 = one(doc, "//section[@aria-labelledby='y2018']")
    assert len(year_2018.xpath(".//li")) == 12 and len(year_2018.xpath(".//a")) == 2


def test_months_page_of_an_empty_archive(empty_client: TestClient) -> None:
    assert "No dated articles yet." in text_of(page(empty_client.get("/days")))


def test_month_calendar_links_the_days_that_have_articles(client: TestClient, sample_db: Path) -> None:
    _months, days = _store_figures(sample_db)
    doc = page(client.get("/days/2011-08"))
    assert text_of(one(doc, "//h1")) == "August 2011"
    expected = {d: n for d, n in days.items() if (d.year, d.month) == (2011, 8)}
    assert _calendar_days(doc) == expected
    assert text_of(one(doc, "//main/p[@class='note']")).startswith(f"{sum(expected.values())} articles dated to a day")
    cells = one(doc, "//section[@class='calendar']").xpath(".//td[normalize-space()]")
    assert len(cells) == 31  # every day of the month is shown, linked or not
    # The neighbouring months that hold articles, not merely the next on the calendar.
    assert one(doc, "//section[@class='calendar']//a[@rel='prev']").get("href") == "/days/2011-07"
    assert one(doc, "//section[@class='calendar']//a[@rel='next']").get("href") == "/days/2011-09"
    first = page(client.get("/days/2011-01"))
    assert first.xpath("//section[@class='calendar']//a[@rel='prev']") == []
    jump = page(client.get("/days/2012-08"))
    assert one(jump, "//section[@class='calendar']//a[@rel='next']").get("href") == "/days/2018-01"


def test_day_page_lists_the_articles_of_the_day(client: TestClient, sample_db: Path) -> None:
    store = open_store(str(sample_db))
    try:
        expected = store.browse(Browse(since=dt.date(2011, 1, 26), until=dt.date(2011, 1, 26), order="oldest")).articles
    finally:
        store.close()
    doc = page(client.get("/days/2011-01-26"))
    assert text_of(one(doc, "//h1")) == "26 January 2011"
    assert one(doc, "//h1/time").get("datetime") == "2011-01-26"
    assert article_ids(doc) == [a.id for a in expected] and len(expected) == 2
    assert (expected[0].id or 0) < (expected[1].id or 0)  # one day's articles follow their numbers
    assert [a.title.split(",")[0] for a in expected] == ["Kim Yong Nam"] * 2  # the message, in English and Spanish
    assert text_of(one(doc, "//section[@aria-label='Articles of the day']/p[@class='note']")) == "2 articles"
    current = one(doc, "//section[@class='calendar']//a[@aria-current='date']")
    assert current.get("href") == "/days/2011-01-26"


def test_day_page_count_equals_the_calendar_count(
    client: TestClient, sample_db: Path, sample_ids: dict[str, int]
) -> None:
    _months, days = _store_figures(sample_db)
    for day in (dt.date(2011, 1, 1), dt.date(2011, 8, 20), dt.date(2012, 1, 14), dt.date(2018, 10, 11)):
        doc = page(client.get(f"/days/{day.isoformat()}"))
        assert len(article_ids(doc)) == _calendar_days(doc)[day] == days[day]
    # The day of the repeated story lists and counts the copy as well as its original.
    repeated = page(client.get("/days/2012-01-14"))
    assert article_ids(repeated) == [sample_ids[REPEATED], sample_ids[REPEATED + " (copy)"]]
    assert _calendar_days(repeated)[dt.date(2012, 1, 14)] == days[dt.date(2012, 1, 14)] == 2
    assert int(text_of(one(page(client.get("/days")), "//a[@href='/days/2012-01']/span[@class='count']"))) == sum(
        n for d, n in days.items() if (d.year, d.month) == (2012, 1)
    )


def test_every_day_page_count_equals_the_calendar_count(edge_client: TestClient, edge_ids: dict[str, int]) -> None:
    days = {
        a["date"]
        for a in edge_client.get("/api/articles", params={"limit": 500}).json()["articles"]
        if a["date_precision"] == "day"
    }
    for value in sorted(days):
        doc = page(edge_client.get(f"/days/{value}"))
        assert len(article_ids(doc)) == _calendar_days(doc).get(dt.date.fromisoformat(value), 0), value
    # Days that hold only a copy are days with an article: linked, and counted.
    calendar = _calendar_days(page(edge_client.get("/days/2012-05")))
    for title, day in (
        ("Cooperation agreed, again", dt.date(2012, 5, 12)),
        ("Cooperation agreed, once more", dt.date(2012, 5, 13)),
    ):
        assert calendar[day] == 1
        assert article_ids(page(edge_client.get(f"/days/{day.isoformat()}"))) == [edge_ids[title]]


def test_day_page_links_the_nearest_days_with_articles(client: TestClient) -> None:
    doc = page(client.get("/days/2011-08-19"))  # 18 August has no articles
    pager = one(doc, "//nav[@aria-label='Days']")
    assert one(pager, "a[@rel='prev']").get("href") == "/days/2011-08-17"
    assert text_of(one(pager, "a[@rel='prev']")) == "← 17 August 2011"
    assert one(pager, "a[@rel='next']").get("href") == "/days/2011-08-20"
    last = one(page(client.get("/days/2018-10-11")), "//nav[@aria-label='Days']")
    assert last.xpath("a[@rel='next']") == [] and one(last, "a[@rel='prev']").get("href") == "/days/2018-01-01"


def test_day_without_articles_says_so_and_still_links_on(client: TestClient) -> None:
    doc = page(client.get("/days/2011-08-24"))  # between the articles of 21 and 26 August
    assert article_ids(doc) == []
    assert "No articles are dated 24 August 2011." in text_of(doc)
    pager = one(doc, "//nav[@aria-label='Days']")
    assert one(pager, "a[@rel='prev']").get("href") == "/days/2011-08-21"
    assert one(pager, "a[@rel='next']").get("href") == "/days/2011-08-26"


def test_day_page_lists_only_articles_dated_to_that_day(edge_client: TestClient, edge_ids: dict[str, int]) -> None:
    """An article known only to the month or year is not put on its first day."""
    assert edge_ids["Known to the month"] not in article_ids(page(edge_client.get("/days/2012-05-01")))
    assert edge_ids["Known to the year"] not in article_ids(page(edge_client.get("/days/2012-01-01")))


@pytest.mark.parametrize("value", ["2012-13", "2012-00", "0000-05", "2012-1", "2012-05-1", "20120509", "May-2012"])
def test_malformed_months_and_days_are_not_found(client: TestClient, value: str) -> None:
    doc = page(client.get(f"/days/{value}"), status=404)
    assert f"'{value}'" in text_of(one(doc, "//p[@role='alert']"))


@pytest.mark.parametrize("value", ["9999-12", "9999-12-31", "9999-01", "0999-12", "0999-12-31", "0001-01-01"])
def test_years_a_calendar_cannot_show_are_not_found(lenient_client: TestClient, value: str) -> None:
    """A month's calendar reaches into the weeks around it, so only years 1000–9998 have one."""
    doc = page(lenient_client.get(f"/days/{value}"), status=404)
    assert f"'{value}'" in text_of(one(doc, "//p[@role='alert']"))


@pytest.mark.parametrize("value", ["1000-01", "1000-01-01", "9998-12", "9998-12-31"])
def test_the_first_and_last_years_a_calendar_shows(client: TestClient, value: str) -> None:
    doc = page(client.get(f"/days/{value}"))
    assert article_ids(doc) == []
    assert one(doc, "//section[@class='calendar']") is not None
