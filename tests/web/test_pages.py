"""The home page, article pages, sources and the error pages."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote

import pytest

from tests.web.conftest import (
    BASE_URL,
    DERIVED,
    HEADLINE,
    KCNA_STORY,
    KCNA_URL,
    KOREAN_ADDRESS,
    KOREAN_EDITORIAL,
    KOREAN_SOURCE,
    PAGED_COUNT,
    PAGED_SOURCE,
    REFERENCE,
    REPEATED,
    SLASH_SOURCE,
    TestClient,
    article_ids,
    meta,
    one,
    page,
    query_of,
    text_of,
)
from wirewatch.present.shapes import format_date
from wirewatch.store import open_store
from wirewatch.store.base import Browse


def test_sample_archive_is_the_one_described(client: TestClient, sample_ids: dict[str, int]) -> None:
    """The articles the other tests name by title are the ones they mean."""
    article = {title: client.get(f"/api/articles/{ident}").json() for title, ident in sample_ids.items()}
    assert article[REFERENCE]["source"] == "Pyongyang Times" and article[REFERENCE]["url"] is None
    assert article[KCNA_STORY]["url"] == KCNA_URL
    assert article[KOREAN_ADDRESS]["source"] == "KCTV" and article[KOREAN_EDITORIAL]["source"] == "Rodong Sinmun"
    assert article[HEADLINE]["body"] == ""  # "<NA>" in the input: a missing text, not a text
    assert article[DERIVED]["title_derived"] is True
    copy = article[REPEATED + " (copy)"]
    assert copy["title"] == REPEATED and copy["duplicate_of"] == sample_ids[REPEATED]
    assert len(set(sample_ids.values())) == len(sample_ids)


# The home page ----------------------------------------------------------------------------


def test_home_lists_the_latest_originals_grouped_by_day(client: TestClient, sample_db: Path) -> None:
    doc = page(client.get("/"))
    assert text_of(one(doc, "//h1")) == "Latest articles"
    store = open_store(str(sample_db))
    try:
        expected = store.browse(Browse(originals_only=True, limit=60)).articles
    finally:
        store.close()
    assert article_ids(doc) == [a.id for a in expected]
    copies = {
        a["id"] for a in client.get("/api/articles", params={"limit": 500}).json()["articles"] if a["duplicate_of"]
    }
    assert not copies & set(article_ids(doc)), "a repeated text is listed on its original only"
    # Each day heading names and links the day of the articles under it, newest day first.
    headings = doc.xpath("//section[@class='latest']/h2[@class='day']")
    assert text_of(headings[0]) == "11 October 2018"
    days = []
    for heading in headings:
        href = one(heading, "a").get("href")
        day = dt.date.fromisoformat(href.removeprefix("/days/"))
        assert text_of(heading) == format_date(day, "day")
        listed = article_ids(heading.getnext(), ".//a[@class='title']")
        assert listed and all(a.date == day for a in expected if a.id in listed)
        days.append(day)
    assert days == sorted(days, reverse=True)


def test_home_shows_sources_with_counts_and_a_search_box(client: TestClient) -> None:
    doc = page(client.get("/"))
    side = one(doc, "//aside[@aria-labelledby='sources-heading']")
    counts = {text_of(li.xpath("a")[0]): text_of(li.xpath("span[@class='count']")[0]) for li in side.xpath(".//li")}
    assert counts == {"KCNA": "44", "KCTV": "1", "Pyongyang Times": "1", "Rodong Sinmun": "1"}
    assert one(side, ".//a[text()='Pyongyang Times']").get("href") == "/sources/Pyongyang%20Times"
    assert "47 articles, 1 January 2011 to 11 October 2018." in text_of(side)
    form = one(doc, "//form[@role='search']")
    assert form.get("action") == "/search" and form.get("method") == "get"
    assert one(form, ".//input[@type='search']").get("name") == "q"


def test_home_of_an_empty_archive_says_how_to_fill_it(empty_client: TestClient) -> None:
    doc = page(empty_client.get("/"))
    assert article_ids(doc) == []
    assert "The archive is empty. Import articles with wirewatch import FILE…" in text_of(doc)
    assert "0 articles." in text_of(doc)


def _check_day_headings(client: TestClient) -> None:
    """Each dated group's heading on / links to a day page that lists the articles under it."""
    doc = page(client.get("/"))
    headings = doc.xpath("//section[@class='latest']/h2[@class='day'][a[starts-with(@href, '/days/')]]")
    assert headings
    for heading in headings:
        listed = set(article_ids(heading.getnext(), ".//a[@class='title']"))
        on_day = set(article_ids(page(client.get(one(heading, "a").get("href")))))
        assert listed <= on_day, (text_of(heading), listed - on_day)


def test_home_day_headings_lead_to_days_that_list_their_articles(client: TestClient) -> None:
    _check_day_headings(client)


def test_home_groups_imprecise_dates_under_their_own_precision(
    edge_client: TestClient, edge_ids: dict[str, int]
) -> None:
    _check_day_headings(edge_client)
    for url in ("/", "/sources/Month%20Wire"):
        doc = page(edge_client.get(url))
        for title, shown, value in (
            ("Known to the year", "2012", "2012"),
            ("Known to the month", "May 2012", "2012-05"),
        ):
            link = one(doc, f"//a[@href='/articles/{edge_ids[title]}']")
            heading = link.getparent().getparent().getprevious()
            assert heading.tag == "h2" and text_of(heading) == shown, url
            assert heading.xpath(".//a") == [], "a month or a year is not a day to link to"
            assert [t.get("datetime") for t in link.getparent().xpath(".//time")] in ([], [value]), url


def test_home_undated_heading_is_not_a_dead_link(edge_client: TestClient) -> None:
    for url in ("/", "/sources/KCNA"):
        doc = page(edge_client.get(url))
        heading = one(doc, "//h2[@class='day'][normalize-space()='Undated']")
        assert heading.xpath(".//a") == [] and heading.xpath(".//time") == []
        assert heading.getnext().xpath(".//a[@class='title']/text()") == ["Undated piece"]
        assert heading.getnext().getnext() is None or heading.getnext().getnext().tag != "h2", "undated come last"


# Article pages ----------------------------------------------------------------------------


def _dateline(doc: object) -> str:
    """The date line's parts as a reader sees them, joined by the bars the style sheet draws
    between them (the page itself holds no bars: a screen reader would read them out)."""
    line = one(doc, "//p[@class='dateline']")
    assert "|" not in text_of(line)
    return " | ".join(text_of(span) for span in line.xpath("span"))


def test_reference_article_date_line_names_both_readings(client: TestClient, sample_ids: dict[str, int]) -> None:
    doc = page(client.get(f"/articles/{sample_ids[REFERENCE]}"))
    assert text_of(one(doc, "//h1")) == "DPRK-Russia friendship goes on"
    assert _dateline(doc) == (
        "Date: 11 October 2018 (ambiguous: or 10 November 2018) | Source: Pyongyang Times"
        " | Original address not recorded"
    )
    assert doc.xpath("//a[@class='original']") == []
    assert one(doc, "//p[@class='dateline']//time").get("datetime") == "2018-10-11"
    # The date line says "ambiguous" already: the reader's technical note is not repeated.
    assert doc.xpath("//article/header/p[@class='note']") == []
    assert "DMY" not in text_of(doc) and "day-month" not in text_of(doc)
    assert one(doc, "//p[@class='dateline']//a").get("href") == "/sources/Pyongyang%20Times"


def test_kcna_article_links_its_original(client: TestClient, sample_ids: dict[str, int]) -> None:
    doc = page(client.get(f"/articles/{sample_ids[KCNA_STORY]}"))
    original = one(doc, "//a[@class='original']")
    assert original.get("href") == KCNA_URL
    assert text_of(original) == "Read original version at source"
    assert {"noopener", "noreferrer"} <= set(original.get("rel").split())
    assert "Original address not recorded" not in text_of(doc)
    assert _dateline(doc) == "Date: 5 March 2011 | Source: KCNA | Read original version at source"


SHARES = {
    "Email": ("mailto:?", "body"),
    "X": ("https://twitter.com/intent/tweet?", "url"),
    "Facebook": ("https://www.facebook.com/sharer/sharer.php?", "u"),
    "Telegram": ("https://t.me/share/url?", "url"),
    "VK": ("https://vk.com/share.php?", "url"),
    "LinkedIn": ("https://www.linkedin.com/sharing/share-offsite/?", "url"),
}


@pytest.mark.parametrize("service", SHARES)
def test_share_links_carry_the_permalink(client: TestClient, service: str, sample_ids: dict[str, int]) -> None:
    doc = page(client.get(f"/articles/{sample_ids[REFERENCE]}"))
    permalink = f"http://testserver/articles/{sample_ids[REFERENCE]}"
    link = one(doc, f"//section[@class='share']//a[starts-with(normalize-space(), '{service}')]")
    href = link.get("href")
    prefix, param = SHARES[service]
    assert href.startswith(prefix)
    assert quote(permalink, safe="") in href  # encoded, so the service gets the whole address
    assert permalink in query_of(href)[param][0]
    if service != "Email":
        assert link.get("target") == "_blank" and "noopener" in link.get("rel").split()


def test_copy_button_permalink_field_and_citation(client: TestClient, sample_ids: dict[str, int]) -> None:
    doc = page(client.get(f"/articles/{sample_ids[REFERENCE]}"))
    permalink = f"http://testserver/articles/{sample_ids[REFERENCE]}"
    assert one(doc, "//section[@class='share']//button[@class='copy']").get("data-copy") == permalink
    field = one(doc, "//input[@id='permalink']")
    assert field.get("value") == permalink and field.get("readonly") is not None
    assert one(doc, "//label[@for='permalink']") is not None
    citation = text_of(one(doc, "//p[@id='citation']"))
    today = format_date(dt.date.today(), "day")
    assert citation == (
        f"“DPRK-Russia friendship goes on.” Pyongyang Times, 11 October 2018. "
        f"Archived at {permalink} (accessed {today})."
    )
    assert one(doc, "//button[normalize-space()='Copy citation']").get("data-copy") == citation
    kcna = text_of(one(page(client.get(f"/articles/{sample_ids[KCNA_STORY]}")), "//p[@id='citation']"))
    assert kcna.endswith(f"Original: {KCNA_URL}.")


def test_preview_card_and_canonical_address(client: TestClient, sample_ids: dict[str, int]) -> None:
    doc = page(client.get(f"/articles/{sample_ids[REFERENCE]}"))
    permalink = f"http://testserver/articles/{sample_ids[REFERENCE]}"
    assert meta(doc, "og:title") == "DPRK-Russia friendship goes on"
    assert meta(doc, "og:url") == permalink
    assert meta(doc, "og:type") == "article"
    assert meta(doc, "og:description").startswith("The DPRK-Russia friendship with a long history")
    assert len(meta(doc, "og:description")) <= 201
    assert meta(doc, "twitter:card") == "summary"
    assert meta(doc, "twitter:title") == "DPRK-Russia friendship goes on"
    assert one(doc, "//head/link[@rel='canonical']").get("href") == permalink
    assert text_of(one(doc, "//title")) == "DPRK-Russia friendship goes on — Pyongyang Times — wirewatch"


def test_body_paragraphs_without_the_aggregator_boilerplate(client: TestClient, sample_ids: dict[str, int]) -> None:
    body = client.get(f"/api/articles/{sample_ids[REFERENCE]}").json()["body"]
    doc = page(client.get(f"/articles/{sample_ids[REFERENCE]}"))
    shown = [text_of(p) for p in doc.xpath("//div[@class='body']/p")]
    assert shown == body.split("\n\n")
    assert len(shown) == 17
    assert shown[0].startswith("The DPRK-Russia friendship with a long history")
    assert shown[-1] == (
        "The peoples of the two countries will, as ever, intensify cooperation and exchange"
        " for their common interests and prosperity."
    )
    text = text_of(doc)
    for boilerplate in ("Share Button", "Get North Korea headlines", "Subscribe to the NK News"):
        assert boilerplate not in text


def test_korean_article_is_marked_korean(client: TestClient, sample_ids: dict[str, int]) -> None:
    doc = page(client.get(f"/articles/{sample_ids[KOREAN_ADDRESS]}"))
    assert doc.get("lang") == "en"  # the reader's own words stay English
    story = one(doc, "//article[@class='story']")
    assert story.get("lang") == "ko"
    assert text_of(one(story, ".//h1")).startswith("사랑하는 온 나라 인민들과")
    assert one(story, ".//p[@class='dateline']").get("lang") == "en"


def test_derived_title_is_said_so(client: TestClient, sample_ids: dict[str, int]) -> None:
    doc = page(client.get(f"/articles/{sample_ids[DERIVED]}"))
    assert text_of(one(doc, "//h1")) == DERIVED
    assert "The source gave no title; this one is the start of the text." in text_of(doc)
    assert "The source gave no title" not in text_of(page(client.get(f"/articles/{sample_ids[REFERENCE]}")))


def test_original_lists_its_copies(edge_client: TestClient, edge_ids: dict[str, int]) -> None:
    original = edge_ids["Cooperation agreed"]
    copies = [edge_ids["Cooperation agreed, again"], edge_ids["Cooperation agreed, once more"]]
    section = one(page(edge_client.get(f"/articles/{original}")), "//section[@class='other-versions']")
    assert text_of(one(section, "h2")) == "Other versions"
    assert article_ids(section, "ul/li/a[@class='title']") == copies
    assert section.xpath("ul/li/a[@class='compare']/@href") == [f"/compare/{original}/{c}" for c in copies]
    metas = [text_of(span) for span in section.xpath("ul/li/span[@class='meta']")]
    assert metas[0] == "duplicate Uriminzokkiri English 12 May 2012 the same text"  # another source's copy too
    assert "repeats the text" not in text_of(section) and "the original" not in text_of(section)


def test_copy_lists_its_original_and_siblings(edge_client: TestClient, edge_ids: dict[str, int]) -> None:
    original, copy, sibling = (
        edge_ids[t] for t in ("Cooperation agreed", "Cooperation agreed, again", "Cooperation agreed, once more")
    )
    section = one(page(edge_client.get(f"/articles/{copy}")), "//section[@class='other-versions']")
    assert article_ids(section, "ul/li/a[@class='title']") == [original, sibling]
    assert f"This article repeats the text of article {original}." in text_of(section)
    item = one(section, f"ul/li[a/@href='/articles/{original}']")
    assert text_of(one(item, "span[@class='meta']")) == "duplicate KCNA English 8 May 2012 the same text the original"
    other = one(page(edge_client.get(f"/articles/{sibling}")), "//section[@class='other-versions']")
    assert article_ids(other, "ul/li/a[@class='title']") == [original, copy]
    alone = edge_ids["김정은 동지 연설"]
    assert page(edge_client.get(f"/articles/{alone}")).xpath("//section[@class='other-versions']") == [], (
        "no copies, no section"
    )
    # One section names the copies: the exact copies are not listed twice.
    assert page(edge_client.get(f"/articles/{copy}")).xpath("//section[@class='copies']") == []


def test_a_missing_body_is_not_shown_as_text_or_as_a_shared_text(
    client: TestClient, sample_ids: dict[str, int]
) -> None:
    response = client.get(f"/articles/{sample_ids[HEADLINE]}")
    doc = page(response)
    assert text_of(one(doc, "//h1")) == HEADLINE
    assert doc.xpath("//div[@class='body']/p") == []  # a headline: no text, not the text "<NA>"
    assert "<NA>" not in text_of(doc) and "&lt;NA&gt;" not in response.text
    assert doc.xpath("//section[@class='other-versions']") == []  # the seven such headlines are not copies


def test_an_exact_repeat_is_linked_to_its_original(client: TestClient, sample_ids: dict[str, int]) -> None:
    original, copy = sample_ids[REPEATED], sample_ids[REPEATED + " (copy)"]
    section = one(page(client.get(f"/articles/{copy}")), "//section[@class='other-versions']")
    assert article_ids(section, "ul/li/a[@class='title']") == [original]
    assert f"This article repeats the text of article {original}." in text_of(section)
    section = one(page(client.get(f"/articles/{original}")), "//section[@class='other-versions']")
    assert article_ids(section, "ul/li/a[@class='title']") == [copy]
    assert text_of(one(section, "p[@class='thread']")).endswith("; KCNA again the same day.")
    shown = [text_of(p) for p in page(client.get(f"/articles/{copy}")).xpath("//div[@class='body']/p")]
    assert shown and shown == [
        text_of(p) for p in page(client.get(f"/articles/{original}")).xpath("//div[@class='body']/p")
    ]


def _neighbours(client: TestClient, ident: int) -> tuple[int | None, int | None]:
    doc = page(client.get(f"/articles/{ident}"))
    found = []
    for rel in ("prev", "next"):
        links = doc.xpath(f"//nav[@class='neighbours']//a[@rel='{rel}']")
        found.append(int(links[0].get("href").rsplit("/", 1)[1]) if links else None)
    return found[0], found[1]


def _kcna_oldest_first(client: TestClient) -> list[dict[str, Any]]:
    params = {"source": "KCNA", "order": "oldest", "limit": 500}
    return client.get("/api/articles", params=params).json()["articles"]  # type: ignore[no-any-return]


def test_previous_and_next_stay_in_the_source(client: TestClient, sample_ids: dict[str, int]) -> None:
    listed = _kcna_oldest_first(client)
    ids = [a["id"] for a in listed]
    at = ids.index(sample_ids[HEADLINE])
    doc = page(client.get(f"/articles/{ids[at + 1]}"))
    nav = one(doc, "//nav[@class='neighbours']")
    assert nav.get("aria-label") == "More from KCNA"
    assert text_of(one(nav, ".//a[@rel='prev']")) == f"Previous in KCNA {HEADLINE}"
    assert _neighbours(client, ids[at + 1]) == (ids[at], ids[at + 2])
    # Articles on one day follow their numbers; a source's only article has no neighbours.
    assert listed[0]["date"] == listed[1]["date"] and ids[0] < ids[1]
    assert _neighbours(client, ids[0]) == (None, ids[1]) and _neighbours(client, ids[1]) == (ids[0], ids[2])
    original, copy = sample_ids[REPEATED], sample_ids[REPEATED + " (copy)"]
    assert _neighbours(client, original)[1] == copy and _neighbours(client, copy)[0] == original
    assert _neighbours(client, sample_ids[REFERENCE]) == (None, None)


def _walk(client: TestClient, start: int, rel: int) -> list[int]:
    chain, seen = [start], {start}
    while (following := _neighbours(client, chain[-1])[rel]) is not None:
        assert following not in seen, f"the links loop back to {following}"
        chain.append(following)
        seen.add(following)
    return chain


def test_next_links_walk_a_source_in_date_order(client: TestClient) -> None:
    listed = [a["id"] for a in _kcna_oldest_first(client)]
    assert len(listed) == 44  # copies included
    assert _walk(client, listed[0], 1) == listed
    assert _walk(client, listed[-1], 0) == listed[::-1]


def test_previous_links_walk_back_through_undated_articles(paged_client: TestClient) -> None:
    listed = [
        a["id"] for a in paged_client.get("/api/articles", params={"order": "oldest", "limit": 500}).json()["articles"]
    ]
    assert _walk(paged_client, listed[0], 1) == listed  # forwards works
    assert _walk(paged_client, listed[-1], 0) == listed[::-1]


def test_base_url_is_used_for_every_public_address(based_client: TestClient, sample_ids: dict[str, int]) -> None:
    response = based_client.get(f"/articles/{sample_ids[REFERENCE]}")
    doc = page(response)
    permalink = f"{BASE_URL}/articles/{sample_ids[REFERENCE]}"
    assert one(doc, "//link[@rel='canonical']").get("href") == permalink
    assert meta(doc, "og:url") == permalink
    assert one(doc, "//input[@id='permalink']").get("value") == permalink
    assert f"Archived at {permalink} " in text_of(one(doc, "//p[@id='citation']"))
    for link in doc.xpath("//section[@class='share']//a"):
        assert quote(permalink, safe="") in link.get("href")
    assert "testserver" not in response.text


# Sources ----------------------------------------------------------------------------------


def test_sources_page_lists_every_source_with_its_count_and_feed(client: TestClient) -> None:
    doc = page(client.get("/sources"))
    rows = doc.xpath("//table/tbody/tr")
    shown = {text_of(r.xpath("th")[0]): int(text_of(r.xpath("td")[0])) for r in rows}
    assert shown == client.get("/api/stats").json()["sources"]
    for row in rows:
        name = text_of(row.xpath("th")[0])
        assert row.xpath("th/a")[0].get("href") == f"/sources/{quote(name, safe='')}"
        assert row.xpath("td/a")[0].get("href") == f"/sources/{quote(name, safe='')}/feed.atom"


def test_sources_page_of_an_empty_archive(empty_client: TestClient) -> None:
    assert "No sources yet." in text_of(page(empty_client.get("/sources")))


def test_source_page_shows_its_articles_newest_first(client: TestClient, sample_ids: dict[str, int]) -> None:
    doc = page(client.get("/sources/KCNA"))
    assert text_of(one(doc, "//h1")) == "KCNA"
    assert text_of(one(doc, "//main/p[@class='note']")).startswith("44 articles")
    listed = article_ids(doc)
    api = [a["id"] for a in client.get("/api/articles", params={"source": "KCNA", "limit": 500}).json()["articles"]]
    assert listed == api  # all 44, copies included, newest first
    assert sample_ids[REPEATED + " (copy)"] in listed
    assert one(doc, "//head/link[@type='application/atom+xml'][@title='KCNA']").get("href") == "/sources/KCNA/feed.atom"
    years = {text_of(li.xpath("a")[0]): int(text_of(li.xpath("span")[0])) for li in doc.xpath("//aside//li")}
    assert years == {"2012": 10, "2011": 34}  # the copy of 14 January 2012 counted, as it is listed


def test_source_names_match_regardless_of_case(client: TestClient, sample_ids: dict[str, int]) -> None:
    doc = page(client.get("/sources/pyongyang%20TIMES"))
    assert text_of(one(doc, "//h1")) == "Pyongyang Times"
    assert article_ids(doc) == [sample_ids[REFERENCE]]


def test_korean_source_name_is_linked_encoded(edge_client: TestClient, edge_ids: dict[str, int]) -> None:
    href = one(page(edge_client.get("/sources")), f"//a[normalize-space()='{KOREAN_SOURCE}']").get("href")
    assert href == "/sources/" + quote(KOREAN_SOURCE, safe="") and href.isascii()
    doc = page(edge_client.get(href))
    assert text_of(one(doc, "//h1")) == KOREAN_SOURCE
    assert article_ids(doc) == [edge_ids["김정은 동지 연설"]]
    assert one(doc, "//li[@lang='ko']") is not None


def test_source_name_with_a_slash_has_a_page(edge_client: TestClient) -> None:
    href = one(page(edge_client.get("/sources")), f"//a[normalize-space()='{SLASH_SOURCE}']").get("href")
    assert unquote(href) == f"/sources/{SLASH_SOURCE}"
    doc = page(edge_client.get(href))
    assert text_of(one(doc, "//h1")) == SLASH_SOURCE
    assert [text_of(a) for a in doc.xpath("//main//a[@class='title']")] == ["Wire copy"]
    feed = one(doc, f"//head/link[@type='application/atom+xml'][@title='{SLASH_SOURCE}']").get("href")
    assert feed == f"{href}/feed.atom"
    response = edge_client.get(feed)
    assert response.status_code == 200 and response.headers["content-type"].startswith("application/atom+xml")
    assert f"<title>wirewatch: {SLASH_SOURCE}</title>" in response.text and "<title>Wire copy</title>" in response.text


def test_source_pages_continue_without_repeats_or_gaps(paged_client: TestClient, paged_db: Path) -> None:
    url: str | None = "/sources/Big%20Wire"
    seen: list[int] = []
    pages = 0
    while url:
        doc = page(paged_client.get(url))
        pages += 1
        seen += article_ids(doc)
        if pages > 1:
            assert one(doc, "//p[@class='pager']/a[normalize-space()='← Newest']").get("href") == "/sources/Big%20Wire"
        following = doc.xpath("//p[@class='pager']/a[@rel='next']")
        url = following[0].get("href") if following else None
        assert pages < 10
    store = open_store(str(paged_db))
    try:
        count = store.stats().sources[PAGED_SOURCE]
        ordered = [a.id for a in store.browse(Browse(source=PAGED_SOURCE, limit=1000)).articles]
    finally:
        store.close()
    assert pages == 3  # 50 a page
    assert len(seen) == len(set(seen)) == count == PAGED_COUNT
    assert seen == ordered  # dated newest first, then the undated ones
    last = page(paged_client.get("/sources/Big%20Wire?after=" + "_1"))
    assert "No more articles." in text_of(last)


def test_source_page_rejects_a_bad_position(client: TestClient) -> None:
    doc = page(client.get("/sources/KCNA?after=yesterday"), status=400)
    assert "after 'yesterday'" in text_of(one(doc, "//p[@role='alert']"))


def _listed_from(client: TestClient, url: str) -> tuple[list[int], str]:
    """The articles a source page lists from ``url`` on, following its "Older" links; and
    the note of its first page."""
    seen: list[int] = []
    note = ""
    for _ in range(10):
        doc = page(client.get(url))
        note = note or text_of(one(doc, "//main/p[@class='note']"))
        seen += article_ids(doc)
        following = doc.xpath("//p[@class='pager']/a[@rel='next']")
        if not following:
            return seen, note
        url = following[0].get("href")
    raise AssertionError("the pages do not end")


@pytest.mark.parametrize(("which", "source"), [("sample", "KCNA"), ("edge", "KCNA"), ("paged", PAGED_SOURCE)])
def test_source_year_counts_match_the_pages_they_link_to(
    client: TestClient, edge_client: TestClient, paged_client: TestClient, which: str, source: str
) -> None:
    """Each year links to the source's page for that year, which lists as many articles as
    the count says (copies included, as on the source page; over pages when there are many)."""
    reader = {"sample": client, "edge": edge_client, "paged": paged_client}[which]
    path = f"/sources/{quote(source, safe='')}"
    items = page(reader.get(path)).xpath("//aside[@aria-labelledby='years-heading']//li")
    assert items
    everything = reader.get("/api/articles", params={"source": source, "limit": 500}).json()["articles"]
    total = 0
    for item in items:
        year, href = text_of(item.xpath("a")[0]), item.xpath("a")[0].get("href")
        assert href == f"{path}?since={year}&until={year}"
        listed, note = _listed_from(reader, href)
        count = int(text_of(item.xpath("span")[0]))
        assert len(listed) == len(set(listed)) == count, (year, len(listed), count)
        assert listed == [a["id"] for a in everything if (a["date"] or "").startswith(year)]
        assert f"showing {year}" in note
        total += count
    undated = sum(a["date"] is None for a in everything)
    assert total + undated == len(everything)


# Errors -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "named"),
    [
        ("/articles/abc", "'abc'"),
        ("/articles/99999999", "99999999"),
        ("/sources/Nope", "'Nope'"),
        ("/sources/Nope/feed.atom", "'Nope'"),
        ("/days/2012-13", "'2012-13'"),
        ("/days/notadate", "'notadate'"),
        ("/days/2012-02-30", "'2012-02-30'"),
        ("/nope", "/nope"),
    ],
)
def test_not_found_pages_name_what_was_asked(client: TestClient, url: str, named: str) -> None:
    doc = page(client.get(url), status=404)
    assert text_of(one(doc, "//h1")) == "Not found"
    assert named in text_of(one(doc, "//p[@role='alert']"))
    assert meta(doc, "robots") == "noindex"
    assert one(doc, "//main//a[@href='/']") is not None


@pytest.mark.parametrize(
    ("url", "named"),
    [("/api/articles/99999999", "99999999"), ("/api/articles/abc", "'abc'"), ("/api/nope", "/api/nope")],
)
def test_api_not_found_is_json(client: TestClient, url: str, named: str) -> None:
    response = client.get(url)
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert list(body) == ["error"] and named in body["error"]


def test_wrong_method_is_refused_with_its_allowed_methods(client: TestClient) -> None:
    response = client.post("/search")
    assert response.status_code == 405 and response.headers["allow"] == "GET"
    assert text_of(one(page(response, status=405), "//h1")) == "Method not allowed"


@pytest.mark.parametrize(
    "url", ["/", "/articles/1", "/sources/KCNA", "/search?q=Lavrov", "/feed.atom", "/api/stats", "/nope"]
)
def test_head_answers_like_get_without_the_body(client: TestClient, url: str) -> None:
    """Link checkers, feed readers and ``curl -I`` ask with HEAD."""
    got, head = client.get(url), client.head(url)
    assert head.status_code == got.status_code
    assert head.headers["content-type"] == got.headers["content-type"]
    assert head.headers["content-security-policy"] == got.headers["content-security-policy"]
    assert head.content == b""


def test_a_year_month_date_is_read_to_the_month(tmp_path: Path) -> None:
    from tests.conftest import write_jsonl
    from tests.web.conftest import build_archive, serve

    db = build_archive(
        tmp_path / "month.db",
        [
            write_jsonl(
                tmp_path / "m.jsonl",
                [
                    {
                        "source": "KCNA",
                        "title": "Dated to a month",
                        "date": "2012-05",
                        "language": "en",
                        "body": "Text.",
                    },
                ],
            )
        ],
    )
    for reader in serve(db):
        [article] = reader.get("/api/articles").json()["articles"]
        assert (article["date"], article["date_precision"]) == ("2012-05-01", "month")
        doc = page(reader.get(f"/articles/{article['id']}"))
        assert _dateline(doc).startswith("Date: May 2012 |")
        assert one(doc, "//p[@class='dateline']//time").get("datetime") == "2012-05"


def test_robots_keep_crawlers_off_searches(client: TestClient) -> None:
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert "Disallow: /search" in response.text.splitlines() and "Disallow: /api/" in response.text.splitlines()
