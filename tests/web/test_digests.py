"""The digest on the web: the editions, each story with its score and reasons, the
weekly edition, the Atom feed; through the ASGI app over the analysed sample archive
(and the hand-made edge archive for hostile text)."""

from __future__ import annotations

import re

import feedparser
import lxml.html

from tests.web.conftest import (
    BASE_URL,
    IMG,
    SCRIPT,
    TestClient,
    find_article,
    one,
    page,
    text_of,
)

STORY = "Kim Jong Il Meets with Russian Delegation"  # KCNA, 17 May 2011
WEEK = {
    "Kim Jong Il Visits Amur Region of Russian Federation",
    "Protocol Signed between DPRK and Russia",
    "Kim Jong Il's Visit to Russia Hailed as Historic Event",
}  # 21 to 27 August 2011: each story through its English edition (the Spanish ones are folded in)


def _stories(doc: lxml.html.HtmlElement) -> list[lxml.html.HtmlElement]:
    return list(doc.xpath("//main//ol[contains(@class, 'digest')]/li"))


def test_the_index_lists_the_editions_newest_first(analysed_client: TestClient) -> None:
    doc = page(analysed_client.get("/digests"))
    assert text_of(one(doc, "//h1")) == "The Daily Update"
    days = [a.get("href") for a in doc.xpath("//main//a[@class='title']")]
    assert days[:3] == ["/digests/2018-10-11", "/digests/2018-01-01", "/digests/2012-08-17"]
    assert len(days) == len(set(days)) == 42  # every day holding articles, once
    assert "/digests/2011-08-27/weekly" in doc.xpath("//main//a/@href")
    assert one(doc, "//nav[@aria-label='Sections']//a[@aria-current='page']").text == "Digests"
    assert doc.xpath("//head/link[@type='application/atom+xml']/@href")[-1] == "/digests.atom"
    older = page(analysed_client.get("/digests", params={"before": "2011-02-01"}))
    assert [a.get("href") for a in older.xpath("//main//a[@class='title']")] == [
        "/digests/2011-01-26",
        "/digests/2011-01-01",
    ]


def test_a_day_shows_each_story_with_its_score_and_reasons(analysed_client: TestClient) -> None:
    doc = page(analysed_client.get("/digests/2011-05-17"))
    assert text_of(one(doc, "//h1")) == "Daily Update, 17 May 2011"
    (story,) = _stories(doc)
    ident = find_article(analysed_client, STORY)
    link = one(story, ".//a[@class='title']")
    assert link.get("href") == f"/articles/{ident}" and text_of(link) == STORY
    assert (
        one(story, ".//a[text()='original']").get("href") == "http://www.kcna.co.jp/item/2011/201105/2011-05-17ee.html"
    )
    assert text_of(one(story, ".//p[@class='lead']")).startswith(
        "General Secretary Kim Jong Il met with the visiting delegation"
    )
    reasons = [text_of(li) for li in story.xpath(".//div[@class='reasons']//li")]
    assert "Kim Jong Il (Supreme Leader) in the title +40" in reasons
    points = [int(re.search(r"([+-]\d+)$", r)[1]) for r in reasons]  # type: ignore[index]
    score = int(re.search(r"Score (-?\d+)", text_of(one(story, ".//div[@class='reasons']/p")))[1])  # type: ignore[index]
    assert score == sum(points)
    # The section it is filed in, and why, are said on the page.
    section = story.getparent().getparent()
    assert text_of(one(section, "h2")) == "Foreign relations"
    assert "in Foreign relations: " in text_of(one(story, ".//div[@class='reasons']/p"))
    assert "/days/2011-05-17" in doc.xpath("//main//a/@href")


def test_the_weekly_edition(analysed_client: TestClient) -> None:
    doc = page(analysed_client.get("/digests/2011-08-27/weekly"))
    assert text_of(one(doc, "//h1")) == "Weekly Update, 21–27 August 2011"
    assert {text_of(one(li, ".//a[@class='title']")) for li in _stories(doc)} == WEEK
    pager = {a.get("rel"): a.get("href") for a in doc.xpath("//nav[@aria-label='Editions']/a[@rel]")}
    assert pager == {"prev": "/digests/2011-08-26/weekly", "next": "/digests/2011-08-28/weekly"}
    assert "/digests/2011-08-27" in doc.xpath("//nav[@aria-label='Editions']/a/@href")


def test_every_story_on_request(analysed_client: TestClient) -> None:
    best = page(analysed_client.get("/digests/2011-01-01"))
    every = page(analysed_client.get("/digests/2011-01-01", params={"all": "1"}))
    assert len(_stories(every)) == len(_stories(best)) == 2


def test_a_digest_that_does_not_exist(analysed_client: TestClient) -> None:
    for url in ("/digests/2011-13-01", "/digests/yesterday", "/digests/0999-01-01"):
        doc = page(analysed_client.get(url), status=404)
        assert "digest" in text_of(one(doc, "//main")).casefold(), url
    empty = page(analysed_client.get("/digests/2011-05-18"), status=404)
    assert "no articles are dated 18 May 2011" in text_of(one(empty, "//main"))
    assert {a.get("href") for a in empty.xpath("//nav[@aria-label='Editions']/a[@rel]")} == {
        "/digests/2011-05-17",
        "/digests/2011-06-08",
    }


def test_hostile_text_is_shown_as_text(edge_client: TestClient) -> None:
    doc = page(edge_client.get("/digests/2012-05-09"))
    assert not doc.xpath("//main//script | //main//img")
    assert SCRIPT in text_of(one(doc, "//main//a[@class='title']"))
    assert not [h for h in doc.xpath("//main//a/@href") if h.strip().lower().startswith(("javascript", "data"))]
    evil = page(edge_client.get("/digests/2012-05-10"))
    assert IMG in text_of(one(evil, "//main//span[@class='source']")) and not evil.xpath("//main//img")


def test_the_feed_of_editions(analysed_client: TestClient, based_client: TestClient) -> None:
    response = analysed_client.get("/digests.atom")
    assert response.status_code == 200 and response.headers["content-type"] == "application/atom+xml; charset=utf-8"
    feed = feedparser.parse(response.content)
    assert feed.bozo == 0 and feed.version == "atom10"
    assert [e.link for e in feed.entries] == [
        f"http://testserver/digests/{d}"
        for d in (
            "2018-10-11",
            "2018-01-01",
            "2012-08-17",
            "2012-07-02",
            "2012-05-19",
            "2012-05-18",
            "2012-05-09",
            "2012-04-09",
            "2012-03-07",
            "2012-02-10",
        )
    ]
    assert feed.entries[0].title == "Daily Update, 11 October 2018"
    reference = find_article(analysed_client, "DPRK-Russia friendship goes on")
    content = lxml.html.fromstring(feed.entries[0].content[0].value)
    assert f"http://testserver/articles/{reference}" in content.xpath("//a/@href")
    assert feedparser.parse(analysed_client.get("/digests.atom").content).entries[0].id == feed.entries[0].id
    based = feedparser.parse(based_client.get("/digests.atom").content)
    assert based.entries[0].link == f"{BASE_URL}/digests/2018-10-11"
    assert based.feed.links[0].href == f"{BASE_URL}/digests.atom"


def test_the_editions_kept_are_few_and_fresh() -> None:
    import datetime as dt

    from wirewatch.digest.rules import load_rules
    from wirewatch.digest.selection import Digest
    from wirewatch.web.routes.digests import Editions

    built: list[dt.date] = []

    def make(day: dt.date) -> Digest:
        built.append(day)
        return Digest(day, 1, (), 0, load_rules())

    days = [dt.date(2012, 5, d) for d in (1, 2, 3)]
    kept = Editions(size=2, ttl=60)
    for day in (*days, days[2], days[0]):
        assert kept.get((day, 1), lambda day=day: make(day)).day == day  # type: ignore[misc]
    assert built == [*days, days[0]]  # the third was still there; the first had made way for it
    stale = Editions(size=2, ttl=0)
    stale.get((days[0], 1), lambda: make(days[0]))
    stale.get((days[0], 1), lambda: make(days[0]))
    assert built[-2:] == [days[0], days[0]]
