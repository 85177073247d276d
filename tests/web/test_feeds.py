"""Atom feeds of the archive, of a source and of a search, read back with feedparser."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import feedparser
import lxml.etree
import lxml.html
import pytest

from tests.web.conftest import (
    BASE_URL,
    IMG,
    KOREAN_SOURCE,
    REFERENCE,
    REPEATED,
    SCRIPT,
    TestClient,
)

ATOM = "{http://www.w3.org/2005/Atom}"


def _feed(client: TestClient, url: str, **params: Any) -> Any:
    response = client.get(url, params=params)
    assert response.status_code == 200, response.text[:300]
    assert response.headers["content-type"] == "application/atom+xml; charset=utf-8"
    feed = feedparser.parse(response.content)
    assert feed.bozo == 0, feed.get("bozo_exception")
    assert feed.version == "atom10"
    return feed


def _xml(client: TestClient, url: str, **params: Any) -> Any:
    return lxml.etree.fromstring(client.get(url, params=params).content)


def _entry_pages(root: Any) -> list[int]:
    """Per entry, the article number its link to this archive names."""
    numbers = []
    for entry in root.iter(f"{ATOM}entry"):
        hrefs = [link.get("href") for link in entry.iter(f"{ATOM}link") if "/articles/" in link.get("href")]
        assert len(hrefs) == 1, hrefs
        numbers.append(int(hrefs[0].rsplit("/", 1)[1]))
    return numbers


def _contents(client: TestClient, url: str) -> dict[int, str | None]:
    """Per entry, by the article number its link names: its content's HTML, None without one."""
    contents = {}
    for entry, number in zip(_xml(client, url).iter(f"{ATOM}entry"), _entry_pages(_xml(client, url)), strict=True):
        content = entry.find(f"{ATOM}content")
        contents[number] = None if content is None else content.text
    return contents


def test_archive_feed_has_the_latest_originals(client: TestClient, sample_ids: dict[str, int]) -> None:
    feed = _feed(client, "/feed.atom")
    assert feed.feed.title == "wirewatch: latest articles"
    links = {link.rel: link.href for link in feed.feed.links}
    assert links == {"self": "http://testserver/feed.atom", "alternate": "http://testserver/"}
    originals = [
        a for a in client.get("/api/articles", params={"limit": 500}).json()["articles"] if a["duplicate_of"] is None
    ]
    assert len(originals) == 46  # fewer than a feed holds
    assert [e.title for e in feed.entries] == [a["title"] for a in originals]
    assert _entry_pages(_xml(client, "/feed.atom")) == [a["id"] for a in originals]
    updated = [e.updated for e in feed.entries]
    assert updated == sorted(updated, reverse=True)
    assert feed.feed.updated.startswith("2018-10-11")
    for entry in feed.entries:
        assert entry.id.startswith("urn:uuid:")
        assert entry.title and entry.updated and entry.author
    reference = feed.entries[0]
    assert reference.title == "DPRK-Russia friendship goes on" and reference.author == "Pyongyang Times"
    assert reference.link == f"http://testserver/articles/{sample_ids[REFERENCE]}"
    assert reference.content[0].type == "text/html"
    assert reference.content[0].value.startswith("<p>The DPRK-Russia friendship with a long history")


@pytest.mark.parametrize("which", ["sample", "edge"])
def test_entries_link_to_their_article_page_and_their_original(
    client: TestClient, edge_client: TestClient, which: str
) -> None:
    """rel="alternate" is the article's page here; rel="related" the original, when it is an
    http or https address (the edge archive has javascript: and data: ones)."""
    reader = client if which == "sample" else edge_client
    related_seen = 0
    for url in ("/feed.atom", "/sources/KCNA/feed.atom", "/search.atom?q=Lavrov", "/search.atom?q=Russia"):
        feed = _feed(reader, url)
        for entry, number in zip(feed.entries, _entry_pages(_xml(reader, url)), strict=True):
            assert entry.link == f"http://testserver/articles/{number}"
            rels = sorted(link.rel for link in entry.links)
            alternates = [link.href for link in entry.links if link.rel == "alternate"]
            assert alternates == [entry.link]
            original = reader.get(f"/api/articles/{number}").json()["url"] or ""
            related = [link.href for link in entry.links if link.rel == "related"]
            if original.strip().lower().startswith(("http://", "https://")):
                assert related == [original] and rels == ["alternate", "related"], (url, number)
                related_seen += 1
            else:
                assert related == [] and rels == ["alternate"], (url, number, original)
    assert related_seen > 0


def test_entry_ids_are_stable(client: TestClient, based_client: TestClient, sample_ids: dict[str, int]) -> None:
    archive = {e.title: e.id for e in _feed(client, "/feed.atom").entries}
    assert archive == {e.title: e.id for e in _feed(client, "/feed.atom").entries}
    assert len(set(archive.values())) == len(archive)
    source = {e.title: e.id for e in _feed(client, "/sources/KCNA/feed.atom").entries}
    shared = set(archive) & set(source)
    assert len(shared) > 20 and all(archive[t] == source[t] for t in shared)
    search = {e.title: e.id for e in _feed(client, "/search.atom", q="Lavrov").entries}
    assert search and all(archive[t] == search[t] for t in search)
    # The site moving does not make a reader see every article again.
    moved = _feed(based_client, "/feed.atom")
    assert {e.title: e.id for e in moved.entries} == archive
    assert moved.feed.id == _feed(client, "/feed.atom").feed.id
    assert all(str(n) for n in _entry_pages(_xml(based_client, "/feed.atom")))
    hrefs = [link.get("href") for link in _xml(based_client, "/feed.atom").iter(f"{ATOM}link")]
    assert f"{BASE_URL}/feed.atom" in hrefs and f"{BASE_URL}/articles/{sample_ids[REFERENCE]}" in hrefs
    assert not any("testserver" in h for h in hrefs)


def test_source_feed(client: TestClient) -> None:
    feed = _feed(client, "/sources/kcna/feed.atom")
    assert feed.feed.title == "wirewatch: KCNA"
    links = {link.rel: link.href for link in feed.feed.links}
    assert links["alternate"] == "http://testserver/sources/KCNA"
    listed = [a["id"] for a in client.get("/api/articles", params={"source": "KCNA", "limit": 500}).json()["articles"]]
    assert _entry_pages(_xml(client, "/sources/kcna/feed.atom")) == listed  # copies included
    assert {e.author for e in feed.entries} == {"KCNA"}
    # A story has its text as content; a headline whose text the scrape lost has none.
    headlines = 0
    for number, content in _contents(client, "/sources/kcna/feed.atom").items():
        body = client.get(f"/api/articles/{number}").json()["body"]
        if body:
            assert content and content.startswith("<p>"), number
        else:
            assert content is None, number
            headlines += 1
    assert headlines == 7


def test_source_feed_entries_of_copies_carry_the_text(
    client: TestClient, edge_client: TestClient, sample_ids: dict[str, int], edge_ids: dict[str, int]
) -> None:
    original, copy = sample_ids[REPEATED], sample_ids[REPEATED + " (copy)"]
    contents = _contents(client, "/sources/KCNA/feed.atom")
    assert contents[copy] and contents[copy] == contents[original]
    # A copy in another source's feed than its original's.
    wire = _contents(edge_client, "/sources/Uriminzokkiri/feed.atom")
    assert list(wire) == [edge_ids["Cooperation agreed, again"]]
    assert wire[edge_ids["Cooperation agreed, again"]] == (
        "<p>The two sides agreed on cooperation in trade and culture.</p>"
    )


def test_korean_source_feed(edge_client: TestClient) -> None:
    feed = _feed(edge_client, f"/sources/{quote(KOREAN_SOURCE, safe='')}/feed.atom")
    assert feed.feed.title == f"wirewatch: {KOREAN_SOURCE}"
    assert [e.title for e in feed.entries] == ["김정은 동지 연설"]
    assert "김정은 동지께서 연설하시였다." in feed.entries[0].content[0].value


def test_search_feed(client: TestClient) -> None:
    feed = _feed(client, "/search.atom", q="Lavrov", order="relevance")
    assert feed.feed.title == "wirewatch search: Lavrov"
    links = {link.rel: link.href for link in feed.feed.links}
    assert links["alternate"] == "http://testserver/search?q=Lavrov"
    every = {"q": "Lavrov", "order": "newest", "collapse": "false"}  # a feed folds no story's copies
    newest = [h["id"] for h in client.get("/api/search", params=every).json()["hits"]]
    assert _entry_pages(_xml(client, "/search.atom", q="Lavrov")) == newest  # a feed is newest first
    assert all(e.content[0].value for e in feed.entries)
    other = _feed(client, "/search.atom", q="Medvedev")
    assert other.feed.id != feed.feed.id


def test_search_feed_of_a_bad_query_is_400(client: TestClient) -> None:
    response = client.get("/search.atom", params={"q": '"unclosed'})
    assert response.status_code == 400 and "unclosed quote" in response.text


def test_feed_of_an_empty_archive(empty_client: TestClient) -> None:
    feed = _feed(empty_client, "/feed.atom")
    assert feed.entries == [] and feed.feed.title == "wirewatch: latest articles"


def test_feed_text_is_escaped(edge_client: TestClient) -> None:
    root = _xml(edge_client, "/feed.atom")
    feed = _feed(edge_client, "/feed.atom")
    assert f"Talks {SCRIPT}" in [e.title for e in feed.entries]
    assert f"Evil {IMG}" in {e.author for e in feed.entries}
    for entry in root.iter(f"{ATOM}entry"):
        content = entry.find(f"{ATOM}content")
        assert content.get("type") == "html"
        fragment = lxml.html.fragment_fromstring(content.text, create_parent="div")
        assert {child.tag for child in fragment} == {"p"}, content.text
        assert not [el for el in fragment.iter() if el.tag not in ("div", "p")]
    contents = [e.find(f"{ATOM}content").text for e in root.iter(f"{ATOM}entry")]
    assert any(SCRIPT in lxml.html.fragment_fromstring(c, create_parent="div").text_content() for c in contents)


def test_feeds_never_link_a_script_address(edge_client: TestClient) -> None:
    for url in ("/feed.atom", "/sources/KCNA/feed.atom", "/search.atom?q=Russia"):
        hrefs = [link.get("href") for link in _xml(edge_client, url).iter(f"{ATOM}link")]
        assert hrefs
        assert not [h for h in hrefs if not h.strip().lower().startswith(("http://", "https://"))]
