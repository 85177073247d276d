"""The reader over the full shared corpus: KCNA stories 2011–2012 and headlines 1997–2014
(about 138,000 articles of one source), imported once for this module."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import feedparser
import pytest

from tests.conftest import CorpusArchives
from tests.web.conftest import (
    TestClient,
    article_ids,
    one,
    page,
    query_of,
    serve,
    text_of,
)

pytestmark = [pytest.mark.corpus, pytest.mark.slow]


@pytest.fixture(scope="module")
def corpus_client(corpus_archives: CorpusArchives, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    yield from serve(corpus_archives.copy("kcna+headlines", tmp_path_factory.mktemp("corpus") / "corpus.db"))


def _total(doc: Any) -> int:
    heading = text_of(one(doc, "//h2[@id='results-heading']"))
    return int(re.search(r"of ([\d,]+) articles", heading)[1].replace(",", ""))  # type: ignore[index]


def _facets(doc: Any, name: str) -> dict[str, tuple[int, str]]:
    items = doc.xpath(f"//aside[@aria-label='Refine']/h3[.='{name}']/following-sibling::ul[1]/li")
    return {
        text_of(li.xpath("a")[0]): (int(text_of(li.xpath("span")[0]).replace(",", "")), li.xpath("a")[0].get("href"))
        for li in items
    }


def test_home_and_stats(corpus: Path, corpus_client: TestClient) -> None:
    stats = corpus_client.get("/api/stats").json()
    assert stats["sources"] == {"KCNA": stats["articles"]} and stats["articles"] > 130_000
    assert (stats["first_date"], stats["last_date"]) == ("1997-01-01", "2014-09-25")
    doc = page(corpus_client.get("/"))
    assert len(article_ids(doc)) == 60
    assert text_of(doc.xpath("//h2[@class='day']")[0]) == "25 September 2014"
    side = one(doc, "//aside[@aria-labelledby='sources-heading']")
    assert text_of(one(side, ".//li[a='KCNA']/span")) == f"{stats['articles']:,}"


def test_stories_whose_text_was_lost_are_headlines_not_copies(corpus: Path, corpus_client: TestClient) -> None:
    """The corpus gives 2,389 stories the text "<NA>" (R's missing-value marker): they are
    headlines without text, not 2,389 copies of one text; 88 stories are real repeats."""
    assert corpus_client.get("/api/stats").json()["duplicates"] == 88
    title = "Kuriles Belong to Russia: Medvedev"  # "<NA>" in the stories, a headline in the headlines
    hits = corpus_client.get("/api/search", params={"q": f'title:"{title}"'}).json()["hits"]
    assert len(hits) == 2 and {h["title"] for h in hits} == {title}
    for hit in hits:
        article = corpus_client.get(f"/api/articles/{hit['id']}").json()
        assert (article["body"], article["duplicate_of"], article["duplicates"]) == ("", None, [])
        response = corpus_client.get(f"/articles/{hit['id']}")
        doc = page(response)
        assert doc.xpath("//section[@class='other-versions']") == [] and doc.xpath("//div[@class='body']/p") == []
        assert "<NA>" not in text_of(doc) and len(response.content) < 50_000


def test_article_page_of_a_story(corpus: Path, corpus_client: TestClient) -> None:
    hits = corpus_client.get("/api/search", params={"q": '"Federation Council"', "order": "oldest"}).json()["hits"]
    stories = [a for a in (corpus_client.get(f"/api/articles/{h['id']}").json() for h in hits) if a["body"]]
    article = stories[0]  # a story, not a headline (headlines have no text)
    hit = {"id": article["id"]}
    doc = page(corpus_client.get(f"/articles/{hit['id']}"))
    assert text_of(one(doc, "//h1")) == article["title"]
    assert one(doc, "//a[@class='original']").get("href") == article["url"]
    assert [text_of(p) for p in doc.xpath("//div[@class='body']/p")] == article["body"].split("\n\n")
    assert "Federation Council" in text_of(one(doc, "//div[@class='body']"))
    older = doc.xpath("//nav[@class='neighbours']//a[@rel='prev']")
    assert (
        older
        and one(page(corpus_client.get(older[0].get("href"))), "//nav[@class='neighbours']//a[@rel='next']").get("href")
        == f"/articles/{hit['id']}"
    )


def test_search_with_facets_that_add_up(corpus: Path, corpus_client: TestClient) -> None:
    doc = page(corpus_client.get("/search", params={"q": "Lavrov"}))
    total = _total(doc)
    assert total > 10
    assert sum(n for n, _ in _facets(doc, "Sources").values()) == total
    years = _facets(doc, "Years")
    assert sum(n for n, _ in years.values()) == total  # every article here is dated
    languages = _facets(doc, "Languages")
    assert set(languages) <= {"en", "es"} and sum(n for n, _ in languages.values()) == total
    for year in list(years)[:3]:
        count, href = years[year]
        assert _total(page(corpus_client.get(href))) == count
    filtered = page(corpus_client.get("/search", params={"q": "Lavrov", "source": "KCNA", "collapse": "0"}))
    assert _total(filtered) == total
    assert corpus_client.get("/api/search", params={"q": "Lavrov", "source": "KCNA"}).json()["total"] == total
    first = article_ids(filtered, "//ol[@class='hits']/li/a[@class='title']")
    following = one(filtered, "//nav[@class='pages']//a[@rel='next']").get("href")
    second = article_ids(page(corpus_client.get(following)), "//ol[@class='hits']/li/a[@class='title']")
    assert len(first) == 20 and len(second) == min(20, total - 20) > 0 and not set(first) & set(second)
    rows = list(csv.DictReader(io.StringIO(corpus_client.get("/search.csv", params={"q": "Lavrov"}).text)))
    assert len(rows) == total


def test_source_pages_continue_where_the_last_stopped(corpus: Path, corpus_client: TestClient) -> None:
    listed = [
        a["id"] for a in corpus_client.get("/api/articles", params={"source": "KCNA", "limit": 250}).json()["articles"]
    ]
    url: str | None = "/sources/KCNA"
    seen: list[int] = []
    for _ in range(5):
        assert url
        doc = page(corpus_client.get(url))
        seen += article_ids(doc)
        url = one(doc, "//p[@class='pager']/a[@rel='next']").get("href")
    assert seen == listed and len(set(seen)) == 250
    assert url and query_of(url)["after"][0].count("_") == 1


def _calendar(doc: Any) -> dict[dt.date, int]:
    return {
        dt.date.fromisoformat(a.get("href").removeprefix("/days/")): int(
            a.get("aria-label").rsplit(": ", 1)[1].split()[0].replace(",", "")
        )
        for a in doc.xpath("//section[@class='calendar']//td/a")
    }


def test_month_figures_agree(corpus: Path, corpus_client: TestClient) -> None:
    months = page(corpus_client.get("/days"))
    may = one(months, "//a[@href='/days/2011-05']")
    month = page(corpus_client.get("/days/2011-05"))
    calendar = _calendar(month)
    assert len(calendar) >= 28
    note = text_of(one(month, "//main/p[@class='note']"))
    assert note.startswith(f"{sum(calendar.values()):,} articles dated to a day")
    assert int(text_of(one(may, "span")).replace(",", "")) == sum(calendar.values())
    day = page(corpus_client.get("/days/2011-05-09"))
    assert _calendar(day) == calendar  # the day page's calendar is the month's
    assert text_of(one(day, "//h1")) == "9 May 2011"
    assert len(article_ids(day)) > 20


def test_day_page_count_equals_the_calendar_count(corpus: Path, corpus_client: TestClient) -> None:
    calendar = _calendar(page(corpus_client.get("/days/2011-05")))
    for day in (dt.date(2011, 5, 9), max(calendar, key=calendar.get)):  # type: ignore[arg-type]
        doc = page(corpus_client.get(f"/days/{day.isoformat()}"))
        assert len(article_ids(doc)) == calendar[day]
        assert (
            text_of(one(doc, "//section[@aria-label='Articles of the day']/p[@class='note']"))
            == f"{calendar[day]} articles"
        )


def test_feeds(corpus: Path, corpus_client: TestClient) -> None:
    lavrov = corpus_client.get("/api/search", params={"q": "Lavrov"}).json()["total"]
    for url, entries in (
        ("/feed.atom", 50),
        ("/sources/KCNA/feed.atom", 50),
        ("/search.atom?q=Lavrov", min(50, lavrov)),
    ):
        feed = feedparser.parse(corpus_client.get(url).content)
        assert feed.bozo == 0 and len(feed.entries) == entries, url
        updated = [e.updated for e in feed.entries]
        assert updated == sorted(updated, reverse=True), url
        assert all(e.title and e.id.startswith("urn:uuid:") for e in feed.entries), url


def test_api_lists_page_on(corpus: Path, corpus_client: TestClient) -> None:
    data = corpus_client.get("/api/articles", params={"order": "oldest", "limit": 100}).json()
    seen = [a["id"] for a in data["articles"]]
    for _ in range(2):
        data = corpus_client.get(data["next_url"]).json()
        seen += [a["id"] for a in data["articles"]]
    assert len(seen) == len(set(seen)) == 300
    dates = [
        a["date"]
        for a in corpus_client.get("/api/articles", params={"order": "oldest", "limit": 300}).json()["articles"]
    ]
    assert dates == sorted(dates) and dates[0] == "1997-01-01"
