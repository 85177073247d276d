"""Versions on the web: what the article page says about an article that changed, an
article's versions with their word-level differences, the archive's changes as a page, an
Atom feed and JSON, and search by status. On the versions archive (see conftest), built on
SQLite and on PostgreSQL like the others."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from typing import Any

import feedparser
import lxml.html
import pytest

from tests.conftest import write_jsonl
from tests.web.conftest import (
    DELETED,
    EDITED,
    GONE_IMPORTED,
    LATER,
    PLAIN,
    RESTORED,
    TestClient,
    article_ids,
    build_archive,
    moment,
    one,
    page,
    run_cli,
    serve,
    text_of,
)
from tests.web.test_security import _check_markup
from wirewatch.present.shapes import format_date
from wirewatch.store import open_store

#: Every change of the versions archive, newest first: (title, kind, seen_at, detail).
CHANGES = sorted(
    [
        *LATER,
        (EDITED, "edited", "2019-02-01T10:00:00Z", "title, body"),
        (EDITED, "edited", "2019-03-01T10:00:00Z", "date, body"),
    ],
    key=lambda c: c[2],
    reverse=True,
)


def _marks(element: Any, tag: str) -> list[str]:
    return [m.text_content() for m in element.iter(tag)]


def _version(doc: Any, number: int) -> Any:
    return one(doc, f"//ol[@class='timeline']/li[@id='v{number}']")


def _facts(item: Any) -> dict[str, str]:
    return {text_of(d.find("dt")): text_of(d.find("dd")) for d in item.xpath(".//dl[@class='facts']/div")}


# The article page ------------------------------------------------------------------------


def _notice(client: TestClient, ident: int) -> Any:
    doc = page(client.get(f"/articles/{ident}"))
    notices = doc.xpath("//section[contains(concat(' ', @class, ' '), ' status-notice ')]")
    return notices[0] if notices else None


def test_an_edited_article_says_when_it_last_changed(versions_client: TestClient, versions_ids: dict[str, int]) -> None:
    ident = versions_ids[EDITED]
    notice = _notice(versions_client, ident)
    assert notice.get("class") == "status-notice edited" and notice.get("lang") == "en"
    assert text_of(one(notice, "h2")) == "Changed since it was first collected"
    said = text_of(notice)
    assert "last change was seen on 1 March 2019, 10:00 UTC" in said and "holds 3 versions" in said
    assert one(notice, ".//time").get("datetime") == "2019-03-01T10:00:00Z"
    link = one(notice, ".//a")
    assert link.get("href") == f"/articles/{ident}/versions" and text_of(link) == "Compare its 3 versions"


def test_a_deleted_article_says_when_and_that_the_text_is_the_last_seen(
    versions_client: TestClient, versions_ids: dict[str, int]
) -> None:
    ident = versions_ids[DELETED]
    notice = _notice(versions_client, ident)
    assert notice.get("class") == "status-notice deleted"
    assert text_of(one(notice, "h2")) == "Deleted from the source's site"
    said = text_of(notice)
    assert "found gone on 5 March 2019, 08:00 UTC (HTTP 404)" in said
    assert "The text below is the last version the archive saw." in said
    assert one(notice, ".//a").get("href") == f"/articles/{ident}/versions"
    # An article imported from a file can be deleted too: the notice is the same.
    gone = _notice(versions_client, versions_ids[GONE_IMPORTED])
    assert "found gone on 7 March 2019, 12:00 UTC (HTTP 410)" in text_of(gone)


def test_a_restored_article_says_it_is_back(versions_client: TestClient, versions_ids: dict[str, int]) -> None:
    notice = _notice(versions_client, versions_ids[RESTORED])
    assert notice.get("class") == "status-notice restored"
    assert "seen again on 20 February 2019, 06:00 UTC (listed again)" in text_of(notice)
    assert text_of(one(notice, ".//a")) == "See its history"


def test_a_live_article_with_one_version_has_no_notice(
    versions_client: TestClient, versions_ids: dict[str, int], client: TestClient, sample_ids: dict[str, int]
) -> None:
    for reader, ident in ((versions_client, versions_ids[PLAIN]), (client, next(iter(sample_ids.values())))):
        doc = page(reader.get(f"/articles/{ident}"))
        assert doc.xpath("//*[contains(@class, 'status-notice')]") == []
        assert doc.xpath(f"//a[@href='/articles/{ident}/versions']") == []


# The versions page -----------------------------------------------------------------------


def test_versions_page_lists_every_version_with_what_changed(
    versions_client: TestClient, versions_ids: dict[str, int]
) -> None:
    ident = versions_ids[EDITED]
    doc = page(versions_client.get(f"/articles/{ident}/versions"))
    assert text_of(one(doc, "//h1")) == f"Versions of {EDITED}"
    assert [li.get("id") for li in doc.xpath("//ol[@class='timeline']/li")] == ["v1", "v2", "v3"]
    assert [text_of(h) for h in doc.xpath("//ol[@class='timeline']/li/h2")] == [
        "Version 1",
        "Version 2",
        "Version 3 (newest)",
    ]
    facts = [_facts(_version(doc, n)) for n in (1, 2, 3)]
    assert [f["First seen"] for f in facts] == [
        f"1 {month} 2019, 10:00 UTC" for month in ("January", "February", "March")
    ]
    # The third text was captured again on 10 March: one version, seen twice.
    assert facts[2]["Last seen"] == "10 March 2019, 10:00 UTC" and facts[1]["Last seen"] == facts[1]["First seen"]
    assert [f["Changed"] for f in facts] == ["first version", "title, text", "date, text"]
    # Where each was seen, without the server's folders.
    assert {f["From"] for f in facts} == {"imported from the web archive file kcna.warc.gz"}
    assert one(doc, "//a[text()='The article as the archive shows it now']").get("href") == f"/articles/{ident}"
    assert one(doc, "//a[text()='This history as JSON']").get("href") == f"/api/articles/{ident}/history"
    assert text_of(one(_version(doc, 1), ".//p[@class='version-title']")) == "DPRK-Russia friendship goes on"


def test_diff_marks_hold_exactly_the_changed_words(versions_client: TestClient, versions_ids: dict[str, int]) -> None:
    ident = versions_ids[EDITED]
    doc = page(versions_client.get(f"/articles/{ident}/versions"))
    v2, v3 = _version(doc, 2), _version(doc, 3)
    title = one(v2, ".//h3[text()='Title']/following-sibling::p[1]")
    assert (_marks(title, "del"), _marks(title, "ins")) == (["goes on"], ["grows"])
    assert text_of(title).replace("goes ongrows", "goes on grows") == "DPRK-Russia friendship goes on grows"
    body = one(v2, ".//div[contains(@class, 'text-diff')]")
    assert (_marks(body, "del"), _marks(body, "ins")) == (["in 2001, 2002 and 2011"], ["three times"])
    assert v3.xpath(".//h3[text()='Title']") == []
    date = one(v3, ".//h3[text()='Date']/following-sibling::p[1]")
    assert (_marks(date, "del"), _marks(date, "ins")) == (["11 October 2018"], ["12 October 2018"])
    body = one(v3, ".//div[contains(@class, 'text-diff')]")
    assert (_marks(body, "del"), _marks(body, "ins")) == (["Friday"], ["Saturday"])
    # The same words as the history's JSON diff: one contract, two doors.
    history = versions_client.get(f"/api/articles/{ident}/history").json()
    places = {"title": ".//h3[text()='Title']/following-sibling::p[1]", "body": ".//div[contains(@class, 'text-diff')]"}
    for number in (2, 3):
        diff = history["revisions"][number - 1]["diff"]
        assert set(diff) == ({"title", "body"} if number == 2 else {"body"})
        for field, pieces in diff.items():
            shown = one(_version(doc, number), places[field])
            for op, tag in (("delete", "del"), ("insert", "ins")):
                assert _marks(shown, tag) == [p["text"] for p in pieces if p["op"] == op], (number, field, op)


def test_long_unchanged_text_is_shortened_and_can_be_shown_whole(
    versions_client: TestClient, versions_ids: dict[str, int], versions_db: str
) -> None:
    ident = versions_ids[EDITED]
    short = page(versions_client.get(f"/articles/{ident}/versions"))
    body = one(_version(short, 2), ".//div[contains(@class, 'text-diff')]")
    assert "steadyword3 " in text_of(body) + " " and "steadyword30" not in text_of(body)
    assert body.xpath(".//p[@class='elided-paragraph']") and "…" in text_of(body)
    show_all = one(short, "//p[@class='diff-control']/a")
    assert show_all.get("href") == f"/articles/{ident}/versions?full=1" and text_of(show_all) == "Show the whole texts"

    whole = page(versions_client.get(show_all.get("href")))
    store = open_store(versions_db)
    try:
        revisions = store.history(ident)
    finally:
        store.close()
    for number in (2, 3):
        diff = one(_version(whole, number), ".//div[contains(@class, 'text-diff')]")
        assert diff.xpath(".//*[contains(@class, 'elided')]") == []
        # The kept and removed words give the text before; the kept and added ones the text after.
        for dropped, before in (("ins", revisions[number - 2]), ("del", revisions[number - 1])):
            paragraphs = []
            for p in diff.iter("p"):
                copy = lxml.html.fromstring(lxml.html.tostring(p))
                for mark in copy.xpath(f".//{dropped}"):
                    mark.drop_tree()
                paragraphs.append(" ".join(copy.text_content().split()))
            assert paragraphs == [" ".join(p.split()) for p in before.body.split("\n\n")], (number, dropped)
    first = _version(whole, 1)
    assert "steadyword30" in text_of(first) and "in 2001, 2002 and 2011" in text_of(first)
    back = one(whole, "//p[@class='diff-control']/a")
    assert back.get("href") == f"/articles/{ident}/versions" and "around each change" in text_of(back)


def test_versions_page_puts_deletions_and_returns_between_the_versions(
    versions_client: TestClient, versions_ids: dict[str, int]
) -> None:
    doc = page(versions_client.get(f"/articles/{versions_ids[RESTORED]}/versions"))
    items = doc.xpath("//ol[@class='timeline']/li")
    assert [li.get("class") for li in items] == ["version", "event deleted", "event restored"]
    assert items[0].get("id") == "v1" and all(re.fullmatch(r"change-\d+", li.get("id")) for li in items[1:])
    assert [text_of(li.find("h2")) for li in items[1:]] == [
        "Deleted from the source's site",
        "Back on the source's site",
    ]
    assert text_of(items[1].find("p")) == "Seen 10 February 2019, 06:00 UTC: absent from the index in 3 crawls."
    assert text_of(items[2].find("p")) == "Seen 20 February 2019, 06:00 UTC: listed again."
    assert doc.xpath("//p[@class='diff-control']") == []  # nothing to shorten


def test_versions_page_of_an_article_imported_from_a_file(
    versions_client: TestClient, versions_ids: dict[str, int]
) -> None:
    plain = page(versions_client.get(f"/articles/{versions_ids[PLAIN]}/versions"))
    assert "was imported from a file" in text_of(one(plain, "//main"))
    assert plain.xpath("//ol[@class='timeline']") == []
    gone = page(versions_client.get(f"/articles/{versions_ids[GONE_IMPORTED]}/versions"))
    assert "was imported from a file" in text_of(one(gone, "//main"))
    assert [li.get("class") for li in gone.xpath("//ol[@class='timeline']/li")] == ["event deleted"]


@pytest.mark.parametrize(
    ("url", "status", "named"),
    [
        ("/articles/99999999/versions", 404, "There is no article 99999999"),
        ("/articles/abc/versions", 404, "There is no article 'abc'"),
        ("/articles/４/versions", 404, "There is no article '４'"),
        ("/articles/1/versions?full=yes", 400, "full 'yes'"),
    ],
)
def test_versions_page_errors_name_the_input(versions_client: TestClient, url: str, status: int, named: str) -> None:
    doc = page(versions_client.get(url), status=status)
    assert named in text_of(one(doc, "//p[@role='alert']"))


# The archive's changes ---------------------------------------------------------------------


def _listed(doc: Any) -> list[tuple[str, str, str, str, str]]:
    """Each change of a /changes page: (kind, title, seen at, source, detail), and the links checked."""
    out = []
    for li in doc.xpath("//ul[@class='changes']/li"):
        title = one(li, "a[@class='title']")
        versions = one(li, ".//a[starts-with(text(), 'Versions')]")
        ident = int(title.get("href").rsplit("/", 1)[1])
        assert re.fullmatch(rf"/articles/{ident}/versions#(v\d+|change-\d+)", versions.get("href"))
        detail = li.xpath(".//span[@class='detail']")
        out.append(
            (
                text_of(one(li, "span[contains(@class, 'kind')]")).lower(),
                text_of(title),
                one(li, ".//time").get("datetime"),
                text_of(one(li, ".//span[@class='source']")),
                text_of(detail[0]) if detail else "",
            )
        )
    return out


def _expected(kinds: tuple[str, ...] = (), source: str | None = None) -> list[tuple[str, str, str, str, str]]:
    sources = {EDITED: "KCNA", DELETED: "KCNA", RESTORED: "Rodong Sinmun", GONE_IMPORTED: "Rodong Sinmun"}
    return [
        (
            kind,
            title,
            seen_at,
            sources[title],
            f"changed: {detail.replace('body', 'text')}" if kind == "edited" else detail,
        )
        for title, kind, seen_at, detail in CHANGES
        if (not kinds or kind in kinds) and (source is None or sources[title] == source)
    ]


def test_changes_page_lists_the_changes_newest_first(versions_client: TestClient, versions_ids: dict[str, int]) -> None:
    doc = page(versions_client.get("/changes"))
    assert text_of(one(doc, "//h1")) == "Changes"
    assert _listed(doc) == _expected()
    # Grouped under the day they were seen, in UTC.
    days = [h.find("time").get("datetime") for h in doc.xpath("//h2[@class='day']")]
    assert days == sorted({c[2][:10] for c in CHANGES}, reverse=True)
    edit = one(doc, "//li[.//time/@datetime='2019-02-01T10:00:00Z']//a[starts-with(text(), 'Versions')]")
    assert edit.get("href") == f"/articles/{versions_ids[EDITED]}/versions#v2"
    # The anchor of a deletion is on the versions page.
    deletion = one(doc, "//li[.//time/@datetime='2019-03-05T08:00:00Z']//a[starts-with(text(), 'Versions')]")
    target = page(versions_client.get(deletion.get("href").split("#")[0]))
    assert one(target, f"//li[@id='{deletion.get('href').split('#')[1]}']").get("class") == "event deleted"
    assert doc.xpath("//p[@class='pager']") == []  # one page
    assert one(doc, "//main//a[text()='Atom feed']").get("href") == "/changes.atom"
    assert one(doc, "//main//a[text()='JSON']").get("href") == "/api/changes"


@pytest.mark.parametrize(
    ("params", "kinds", "source"),
    [
        ({"kind": "deleted"}, ("deleted",), None),
        ({"kind": ["deleted", "restored"]}, ("deleted", "restored"), None),
        ({"kind": "EDITED"}, ("edited",), None),
        ({"source": "rodong sinmun"}, (), "Rodong Sinmun"),
        ({"kind": "deleted", "source": "KCNA"}, ("deleted",), "KCNA"),
        ({"kind": "edited", "source": "Rodong Sinmun"}, ("edited",), "Rodong Sinmun"),
    ],
)
def test_changes_page_filters(
    versions_client: TestClient, params: dict[str, Any], kinds: tuple[str, ...], source: str | None
) -> None:
    doc = page(versions_client.get("/changes", params=params))
    expected = _expected(kinds, source)
    assert _listed(doc) == expected
    if not expected:
        assert "No changes match these filters." in text_of(one(doc, "//main"))
    checked = [box.get("value") for box in doc.xpath("//input[@name='kind'][@checked]")]
    assert checked == [k for k in ("edited", "deleted", "restored") if k in kinds]
    assert doc.xpath("//select[@name='source']/option[@selected]/@value") == ([source] if source else [])
    # The feed and the JSON of the same list keep the filters.
    feed = one(doc, "//main//a[text()='Atom feed']").get("href")
    assert feed.startswith("/changes.atom") and all(f"kind={k}" in feed for k in kinds)
    api = versions_client.get(one(doc, "//main//a[text()='JSON']").get("href")).json()
    assert [(c["kind"], c["title"], c["seen_at"]) for c in api["changes"]] == [e[:3] for e in expected]


def test_changes_is_in_the_site_navigation(versions_client: TestClient, client: TestClient) -> None:
    for reader, url, current in ((versions_client, "/changes", ["Changes"]), (client, "/", ["Latest"])):
        doc = page(reader.get(url))
        nav = one(doc, "//nav[@aria-label='Sections']")
        assert nav.xpath(".//a[@href='/changes']")
        assert [text_of(a) for a in nav.xpath(".//a[@aria-current='page']")] == current
    empty = page(client.get("/changes"))  # the sample archive was never collected from the web
    assert "No changes recorded yet" in text_of(one(empty, "//main"))


@pytest.mark.parametrize("path", ["/changes", "/changes.atom", "/api/changes"])
@pytest.mark.parametrize(
    ("params", "named"),
    [
        ({"kind": "moved"}, "kind 'moved'"),
        ({"kind": ["deleted", "gone"]}, "kind 'gone'"),
        ({"source": "Nope"}, "source 'Nope'"),
        ({"after": "garbage"}, "after 'garbage'"),
        ({"after": "2019-13-01T00:00:00Z_3"}, "after '2019-13-01T00:00:00Z_3'"),
        ({"after": "2019-03-01T00:00:00Z_x"}, "after '2019-03-01T00:00:00Z_x'"),
        ({"after": f"2019-03-01T00:00:00Z_{2**63}"}, f"after '2019-03-01T00:00:00Z_{2**63}'"),
        ({"after": "0001-01-01T00:00:00+01:00_3"}, "after '0001-01-01T00:00:00+01:00_3'"),
    ],
)
def test_bad_change_filters_are_400_naming_the_input(
    versions_client: TestClient, path: str, params: dict[str, Any], named: str
) -> None:
    if path == "/changes.atom" and "after" in params:
        return  # a feed has no pages
    response = versions_client.get(path, params=params)
    assert response.status_code == 400
    if path.startswith("/api/"):
        assert named in response.json()["error"]
    else:
        assert named in text_of(one(page(response, status=400), "//p[@role='alert']"))


def _feed(client: TestClient, url: str, **params: Any) -> Any:
    response = client.get(url, params=params or None)  # params={} would drop the URL's own query
    assert response.status_code == 200 and response.headers["content-type"] == "application/atom+xml; charset=utf-8"
    feed = feedparser.parse(response.content)
    assert feed.bozo == 0, feed.get("bozo_exception")
    assert feed.version == "atom10"
    return feed


def test_changes_feed(versions_client: TestClient, versions_ids: dict[str, int]) -> None:
    feed = _feed(versions_client, "/changes.atom")
    assert feed.feed.title == "wirewatch changes: edits, deletions and returns"
    assert feed.feed.link == "http://testserver/changes"
    assert feed.feed.updated == "2019-03-07T12:00:00Z"
    names = {"edited": "Edited", "deleted": "Deleted", "restored": "Restored"}
    assert [e.title for e in feed.entries] == [f"{names[c[1]]}: {c[0]}" for c in CHANGES]
    assert [e.updated for e in feed.entries] == [c[2] for c in CHANGES]
    assert [e.author for e in feed.entries] == [c[3] for c in _expected()]
    for entry, change in zip(feed.entries, CHANGES, strict=True):
        assert re.fullmatch(
            rf"http://testserver/articles/{versions_ids[change[0]]}/versions#(v\d+|change-\d+)", entry.link
        )
        assert {t.term for t in entry.tags} == {change[1], entry.author}
        assert format_date(moment(change[2]).date(), "day") in entry.summary
    ids = [e.id for e in feed.entries]
    assert len(set(ids)) == len(ids) and all(i.startswith("urn:uuid:") for i in ids)
    # Stable: the same change has the same id in every feed of it, filtered or not.
    deleted = _feed(versions_client, "/changes.atom", kind="deleted", source="kcna")
    assert feed.feed.id != deleted.feed.id
    assert [e.id for e in deleted.entries] == [e.id for e in feed.entries if e.title == f"Deleted: {DELETED}"]
    assert deleted.feed.title == "wirewatch changes: deleted in KCNA"
    # Never the id of the article's own entry in the article feeds.
    articles = _feed(versions_client, "/feed.atom")
    assert not {e.id for e in articles.entries} & set(ids)
    # The changes page offers its feed to feed readers.
    doc = page(versions_client.get("/changes", params={"kind": "deleted"}))
    offered = one(doc, "//head/link[@type='application/atom+xml'][@title='wirewatch: changes']")
    assert offered.get("href") == "/changes.atom?kind=deleted"


# JSON --------------------------------------------------------------------------------------


def test_history_equals_the_cli_history_json(
    versions_client: TestClient, versions_db: str, versions_ids: dict[str, int]
) -> None:
    for ident in versions_ids.values():
        data = versions_client.get(f"/api/articles/{ident}/history").json()
        assert data == run_cli(versions_db, "history", str(ident), "--json")  # type: ignore[arg-type]
    edited = versions_client.get(f"/api/articles/{versions_ids[EDITED]}/history").json()
    assert [r["number"] for r in edited["revisions"]] == [1, 2, 3]
    assert (
        edited["status_at"] == "2019-03-01T10:00:00Z"
        and edited["revisions"][2]["last_seen_at"] == "2019-03-10T10:00:00Z"
    )
    assert versions_client.get(f"/api/articles/{versions_ids[PLAIN]}/history").json()["revisions"] == []
    missing = versions_client.get("/api/articles/99999999/history")
    assert missing.status_code == 404 and "99999999" in missing.json()["error"]


def test_article_json_has_the_status_as_the_cli_shows_it(
    versions_client: TestClient, versions_db: str, versions_ids: dict[str, int]
) -> None:
    statuses = {}
    for title, ident in versions_ids.items():
        data = versions_client.get(f"/api/articles/{ident}").json()
        data.pop("permalink")
        assert data == run_cli(versions_db, "show", str(ident), "--json")  # type: ignore[arg-type]
        statuses[title] = (data["status"], data["status_at"], data["revisions"])
    assert statuses == {
        EDITED: ("edited", "2019-03-01T10:00:00Z", 3),
        DELETED: ("deleted", "2019-03-05T08:00:00Z", 1),
        RESTORED: ("live", "2019-02-20T06:00:00Z", 1),
        PLAIN: ("live", None, 1),
        GONE_IMPORTED: ("deleted", "2019-03-07T12:00:00Z", 1),
    }


def test_api_changes_pages_with_next(versions_client: TestClient) -> None:
    everything = versions_client.get("/api/changes").json()
    assert everything["next"] is None and everything["next_url"] is None
    assert [(c["title"], c["kind"], c["seen_at"], c["detail"]) for c in everything["changes"]] == CHANGES
    assert set(everything["changes"][0]) == {"article_id", "title", "source", "kind", "seen_at", "revision", "detail"}
    assert [c["revision"] for c in everything["changes"] if c["kind"] == "edited"] == [3, 2]
    walked: list[dict[str, Any]] = []
    response = versions_client.get("/api/changes", params={"limit": 2})
    while True:
        data = response.json()
        assert len(data["changes"]) <= 2
        walked += data["changes"]
        if data["next"] is None:
            break
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z_\d+", data["next"])
        response = versions_client.get(data["next_url"])
    assert walked == everything["changes"]


def test_openapi_documents_the_versions(versions_client: TestClient, versions_ids: dict[str, int]) -> None:
    spec = versions_client.get("/api/openapi.json").json()
    schemas = spec["components"]["schemas"]
    assert {"History", "Revision", "Change", "ChangeList", "DiffPiece"} <= set(schemas)
    assert {"status", "status_at", "revisions"} <= set(schemas["ArticleDetail"]["properties"])
    history = spec["paths"]["/api/articles/{article_id}/history"]["get"]
    assert history["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].endswith("/History")
    changes = spec["paths"]["/api/changes"]["get"]
    assert {p["name"] for p in changes["parameters"]} == {"kind", "source", "after", "limit"}
    assert "status" in {p["name"] for p in spec["paths"]["/api/search"]["get"]["parameters"]}
    # The answers' fields are what the routes give.
    answer = versions_client.get("/api/changes").json()
    assert set(schemas["ChangeList"]["properties"]) == set(answer)
    assert set(schemas["Change"]["properties"]) == set(answer["changes"][0])
    history_answer = versions_client.get(f"/api/articles/{versions_ids[EDITED]}/history").json()
    assert set(schemas["History"]["properties"]) == set(history_answer)
    assert set(schemas["Revision"]["properties"]) == set(history_answer["revisions"][0])
    docs = page(versions_client.get("/api/docs"))
    headings = {text_of(h) for h in docs.xpath("//section[@class='endpoint']/h2")}
    assert {"GET /api/articles/{article_id}/history", "GET /api/changes"} <= headings


# Search by status --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("statuses", "titles"),
    [
        (["edited"], {EDITED}),
        (["deleted"], {DELETED, GONE_IMPORTED}),
        (["live"], {PLAIN, RESTORED}),
        (["edited", "deleted"], {EDITED, DELETED, GONE_IMPORTED}),
        (["Deleted"], {DELETED, GONE_IMPORTED}),
    ],
)
def test_search_by_status(versions_client: TestClient, versions_db: str, statuses: list[str], titles: set[str]) -> None:
    data = versions_client.get("/api/search", params={"status": statuses, "order": "newest"}).json()
    assert {h["title"] for h in data["hits"]} == titles
    # The API adds what the CLI's search does not: each hit's story, and whether it folded them.
    assert data.pop("collapsed") is True and [h.pop("story") for h in data["hits"]] == [None] * len(titles)
    options = [a for s in statuses for a in ("--status", s)]
    cli = run_cli(versions_db, "search", "", *options, "--order", "newest", "--json")  # type: ignore[arg-type]
    assert {k: v for k, v in data.items() if k not in ("page", "limit")} == cli
    doc = page(versions_client.get("/search", params={"status": statuses}))
    assert {text_of(a) for a in doc.xpath("//ol[@class='hits']//a[@class='title']")} == titles
    ticked = {s.lower() for s in statuses}
    assert doc.xpath("//input[@name='status'][@checked]/@value") == [
        s for s in ("live", "edited", "deleted") if s in ticked
    ]
    for label in doc.xpath("//fieldset[legend='Status']//label"):
        assert one(doc, f"//input[@id='{label.get('for')}']").get("name") == "status"
    # The feed and the exports of the page keep the filter.
    feed_link = one(doc, "//p[@class='exports']/a[text()='Atom feed']").get("href")
    assert all(f"status={s.lower()}" in feed_link for s in statuses)
    feed = _feed(versions_client, feed_link)
    assert {e.title for e in feed.entries} == titles


def test_search_with_a_bad_status_is_400_naming_it(versions_client: TestClient) -> None:
    response = versions_client.get("/api/search", params={"status": "gone"})
    assert response.status_code == 400 and "status 'gone'" in response.json()["error"]
    doc = page(versions_client.get("/search", params={"q": "friendship", "status": "gone"}), status=400)
    assert "status 'gone'" in text_of(one(doc, "//div[@id='search-error']"))
    assert all(box.get("aria-invalid") == "true" for box in doc.xpath("//input[@name='status']"))
    assert one(doc, "//input[@id='q']").get("value") == "friendship"
    assert versions_client.get("/search.atom", params={"status": "gone"}).status_code == 400


# Paging through many changes -----------------------------------------------------------------

CHURN = 130


@pytest.fixture(scope="module")
def churn_db(location: Callable[[str], str], tmp_path_factory: pytest.TempPathFactory) -> str:
    """CHURN articles deleted ten at a time (so ten changes share a moment), every seventh back again."""
    folder = tmp_path_factory.mktemp("churn")
    records: list[dict[str, object]] = [
        {
            "source": "KCNA" if i % 2 else "Rodong Sinmun",
            "title": f"Churned story {i}",
            "date": "2019-01-01",
            "language": "en",
            "body": f"Text of churned story {i}.",
        }
        for i in range(CHURN)
    ]
    db = build_archive(location("churn"), [write_jsonl(folder / "churn.jsonl", records)])
    store = open_store(db)
    try:
        ids = sorted(int(a.id or 0) for a in store.iter_articles())
        start = dt.datetime(2019, 4, 1, 9, 0, tzinfo=dt.UTC)
        for n in range(0, CHURN, 10):
            store.mark_deleted(ids[n : n + 10], start + dt.timedelta(hours=n // 10), "HTTP 404")
        store.restore_listed(ids[::7], start + dt.timedelta(days=2, microseconds=250_000), "listed again")
        expected = [(c.article_id, c.kind) for c in store.changes(limit=1000)]
    finally:
        store.close()
    assert len(expected) == CHURN + len(ids[::7])
    return db


@pytest.fixture(scope="module")
def churn_client(churn_db: str) -> Iterator[TestClient]:
    yield from serve(churn_db)  # type: ignore[arg-type]


def _store_changes(db: str, **filters: Any) -> list[tuple[int, str]]:
    store = open_store(db)
    try:
        return [(c.article_id, c.kind) for c in store.changes(limit=1000, **filters)]
    finally:
        store.close()


@pytest.mark.parametrize("params", [{}, {"kind": "deleted", "source": "KCNA"}])
def test_changes_page_pages_on_with_a_cursor(churn_client: TestClient, churn_db: str, params: dict[str, str]) -> None:
    expected = _store_changes(churn_db, kinds=[params["kind"]] if params else (), source=params.get("source"))
    walked: list[tuple[int, str]] = []
    url: str | None = "/changes"
    first = True
    pages = 0
    while url:
        doc = page(churn_client.get(url, params=params if first else None))
        pages += 1
        numbers = article_ids(doc, "//ul[@class='changes']//a[@class='title']")
        walked += list(zip(numbers, [kind for kind, *_ in _listed(doc)], strict=True))
        newest = doc.xpath("//p[@class='pager']/a[starts-with(text(), '← Newest')]")
        assert bool(newest) == (not first)
        if newest:
            assert newest[0].get("href") == "/changes" + (
                "?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else ""
            )
        older = doc.xpath("//p[@class='pager']/a[@rel='next']")
        url = older[0].get("href") if older else None
        if url:
            assert all(f"{k}={v}" in url for k, v in params.items())
        first = False
    assert walked == expected and len(set(walked)) == len(walked)
    assert pages == -(-len(expected) // 50)


def test_api_changes_pages_through_changes_seen_at_one_moment(churn_client: TestClient, churn_db: str) -> None:
    walked: list[tuple[int, str]] = []
    data = churn_client.get("/api/changes", params={"limit": 7}).json()
    while True:
        walked += [(c["article_id"], c["kind"]) for c in data["changes"]]
        if data["next"] is None:
            break
        data = churn_client.get(data["next_url"]).json()
    assert walked == _store_changes(churn_db)
    # The microseconds of a moment are part of the position.
    restored = churn_client.get("/api/changes", params={"kind": "restored", "limit": 3}).json()
    assert restored["next"].startswith("2019-04-03T09:00:00.250000Z_")


# Accessibility and markup of the new pages ---------------------------------------------------


def test_version_pages_are_crawled_and_well_formed(versions_site: dict[str, Any], versions_ids: dict[str, int]) -> None:
    html = {u: r for u, r in versions_site.items() if r.headers["content-type"].startswith("text/html")}
    assert {f"/articles/{i}/versions" for i in versions_ids.values()} <= set(html)
    assert {"/changes", f"/articles/{versions_ids[EDITED]}/versions?full=1"} <= set(html)
    assert {u: r.status_code for u, r in versions_site.items() if r.status_code != 200} == {}
    for url, response in html.items():
        _check_markup(url, lxml.html.fromstring(response.text))


def test_time_elements_of_moments_are_valid(versions_site: dict[str, Any]) -> None:
    """A moment's <time> is UTC to the second with "Z" and shows that moment; a day's, the day."""
    moments = 0
    for url, response in versions_site.items():
        if not response.headers["content-type"].startswith("text/html"):
            continue
        for time in lxml.html.fromstring(response.text).iter("time"):
            value, shown = time.get("datetime") or "", text_of(time)
            if "T" in value:
                assert re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z", value), (url, value)
                when = moment(value)
                assert shown in (f"{format_date(when.date(), 'day')}, {when:%H:%M} UTC", f"{when:%H:%M} UTC"), (
                    url,
                    value,
                    shown,
                )
                moments += 1
            else:
                assert re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", value), (url, value)
    assert moments > 20
