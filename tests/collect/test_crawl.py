"""Collection through ``wirewatch crawl`` against a local site that changes between
crawls: new, edited, retitled, deleted and restored articles, and faults."""

from __future__ import annotations

import json
from pathlib import Path

import lxml.html
import pytest
from fastapi.testclient import TestClient

from tests.collect.site import LocalSite, article_html, index_html, rss, sitemap
from tests.conftest import Invoke
from wirewatch.config.settings import Settings
from wirewatch.web import create_app

PARAGRAPHS = {
    "/news/1.html": (
        "Talks held between DPRK and Russia",
        [
            "Kim Jong Un held talks with the Russian delegation in Pyongyang on Sunday.",
            "The talks dealt with expanding cooperation in the fields of economy and culture.",
        ],
    ),
    "/news/2.html": (
        "Floral basket sent",
        [
            "A floral basket was sent to the statue on the anniversary of its unveiling.",
        ],
    ),
    "/news/3.html": (
        "Delegation leaves for Moscow",
        [
            "A delegation of the Supreme People's Assembly left Pyongyang for Moscow.",
        ],
    ),
}


def serve_articles(site: LocalSite, pages: dict[str, tuple[str, list[str]]], date: str = "2026-11-20") -> None:
    for path, (title, paragraphs) in pages.items():
        site.set(path, article_html(title, paragraphs, date=date))
    site.set(
        "/feed.xml",
        rss([{"title": t, "link": site.url(p), "date": date} for p, (t, _) in pages.items()]),
        content_type="application/rss+xml",
    )


def write_sources(path: Path, site: LocalSite, *, extra: str = "", missing_after: int = 1) -> Path:
    path.write_text(
        f"""[sources."Local News"]
feeds = ["{site.url("/feed.xml")}"]
languages = ["en"]
delay = 0
allow_private = true
missing_after = {missing_after}
{extra}""",
        encoding="utf-8",
    )
    return path


@pytest.fixture
def local(site: LocalSite, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> LocalSite:
    site.robots("User-agent: *\nDisallow: /private/\n")
    serve_articles(site, PARAGRAPHS)
    monkeypatch.setenv("WIREWATCH_SOURCES", str(write_sources(tmp_path / "sources.toml", site)))
    monkeypatch.setenv("WIREWATCH_FETCH_TIMEOUT", "1")
    monkeypatch.setenv("WIREWATCH_FETCH_RETRIES", "1")
    return site


def ids_by_url(cli: Invoke) -> dict[str, int]:
    hits = cli("search", "", "--limit", "100", "--json").json()["hits"]  # type: ignore[index]
    found = {h["url"]: h["id"] for h in hits}
    deleted = cli("search", "", "--status", "deleted", "--limit", "100", "--json").json()["hits"]  # type: ignore[index]
    return found | {h["url"]: h["id"] for h in deleted}


def crawl(cli: Invoke, *args: str) -> dict:
    result = cli("crawl", "--json", *args)
    assert result.exit_code in (0, 1), result.stderr
    return result.json()  # type: ignore[return-value]


def test_two_crawls_around_an_edit_and_a_deletion(cli: Invoke, local: LocalSite, db: str) -> None:
    first = crawl(cli)
    assert first["sources"]["Local News"]["outcomes"] == {"added": 3, "listed": 1}
    ids = ids_by_url(cli)
    one, two, three = (ids[local.url(f"/news/{n}.html")] for n in (1, 2, 3))

    # Between the crawls the site edits a paragraph, retitles an article, deletes one
    # (404) and publishes a new one.
    edited = dict(PARAGRAPHS)
    edited["/news/1.html"] = (
        "Talks held between DPRK and Russia",
        [
            "Kim Jong Un held talks with the Russian delegation in Pyongyang on Sunday.",
            "The talks dealt with expanding cooperation in the fields of trade, science and culture.",
        ],
    )
    edited["/news/2.html"] = ("Floral basket sent to statue", PARAGRAPHS["/news/2.html"][1])
    edited["/news/4.html"] = ("Message of greeting", ["A message of greeting was sent to the Russian President."])
    serve_articles(local, edited)
    local.delete("/news/3.html")

    second = crawl(cli)
    assert second["sources"]["Local News"]["outcomes"] == {"added": 1, "deleted": 1, "edited": 2, "listed": 1}

    history = cli("history", str(one), "--json").json()
    assert history["status"] == "edited"
    assert [r["changes"] for r in history["revisions"]] == [[], ["body"]]
    body_diff = history["revisions"][1]["diff"]["body"]
    assert {"op": "delete", "text": "economy"} in body_diff
    assert {"op": "insert", "text": "trade, science"} in body_diff
    assert history["revisions"][0]["diff"] == {}
    # The old text is kept, the article shows the new one, search finds the new words.
    assert cli("show", str(one), "--json").json()["body"].endswith("trade, science and culture.")
    assert [h["id"] for h in cli("search", "science", "--json").json()["hits"]] == [one]

    retitled = cli("history", str(two), "--json").json()
    assert [r["title"] for r in retitled["revisions"]] == ["Floral basket sent", "Floral basket sent to statue"]
    assert retitled["revisions"][1]["changes"] == ["title"]
    assert retitled["revisions"][1]["diff"]["title"][-1] == {"op": "insert", "text": " to statue"}

    gone = cli("show", str(three), "--json").json()
    assert gone["status"] == "deleted" and gone["status_at"]
    assert [c["kind"] for c in cli("history", str(three), "--json").json()["changes"]] == ["deleted"]
    assert [h["id"] for h in cli("search", "delegation", "--status", "deleted", "--json").json()["hits"]] == [three]

    # Each version is analysed: the article's entities follow its newest text.
    assert {e["id"] for e in cli("show", str(one), "--json").json()["entities"]} >= {"kim-jong-un", "PRK", "RUS"}

    text = cli("history", str(one)).stdout
    assert "[-economy-]" in text and "{+trade, science+}" in text

    # The same on the web: the notices, the versions with their marks, the list of changes.
    with TestClient(create_app(Settings(db=db))) as web:
        versions = lxml.html.fromstring(web.get(f"/articles/{one}/versions").text)
        assert [m.text_content() for m in versions.xpath("//del")] == ["economy"]
        assert [m.text_content() for m in versions.xpath("//ins")] == ["trade, science"]
        notice = "//section[contains(@class, 'status-notice')]/h2"
        assert (
            lxml.html.fromstring(web.get(f"/articles/{one}").text).xpath(notice)[0].text_content()
            == "Changed since it was first collected"
        )
        assert (
            lxml.html.fromstring(web.get(f"/articles/{three}").text).xpath(notice)[0].text_content()
            == "Deleted from the source's site"
        )
        changes = web.get("/api/changes").json()["changes"]
        assert sorted((c["article_id"], c["kind"]) for c in changes) == sorted(
            [(one, "edited"), (two, "edited"), (three, "deleted")]
        )
        assert web.get(f"/api/articles/{one}/history").json() == history

    # The article comes back: restored, with the same single version.
    serve_articles(local, {"/news/3.html": PARAGRAPHS["/news/3.html"]} | edited)
    third = crawl(cli)
    assert third["sources"]["Local News"]["outcomes"].get("restored") == 1
    back = cli("history", str(three), "--json").json()
    assert back["status"] == "live" and len(back["revisions"]) == 1
    assert [c["kind"] for c in back["changes"]] == ["restored", "deleted"]


def test_an_article_that_leaves_the_index_is_deleted_after_missing_after_crawls(
    cli: Invoke, local: LocalSite, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WIREWATCH_SOURCES", str(write_sources(tmp_path / "two.toml", local, missing_after=2)))
    crawl(cli)
    ids = ids_by_url(cli)
    local.set(
        "/feed.xml",
        rss(
            [
                {"title": "Talks", "link": local.url("/news/1.html")},
                {"title": "Basket", "link": local.url("/news/2.html")},
            ]
        ),
        content_type="application/rss+xml",
    )
    crawl(cli)
    dropped = ids[local.url("/news/3.html")]
    assert cli("show", str(dropped), "--json").json()["status"] == "live"  # one absence is not enough
    summary = crawl(cli)
    assert summary["sources"]["Local News"]["deleted_as_missing"] == 1
    assert cli("show", str(dropped), "--json").json()["status"] == "deleted"
    changes = cli("history", str(dropped), "--json").json()["changes"]
    assert changes[0]["kind"] == "deleted" and "absent from the source's index in 2 crawls" in changes[0]["detail"]
    # Listed again: its page is fetched again, and it is back.
    serve_articles(local, PARAGRAPHS)
    crawl(cli)
    assert cli("show", str(dropped), "--json").json()["status"] == "live"


def test_an_unchanged_site_is_fetched_conditionally_and_changes_nothing(cli: Invoke, local: LocalSite) -> None:
    crawl(cli)
    before = len(local.requests)
    again = crawl(cli)
    assert again["sources"]["Local News"]["outcomes"] == {"listed": 1, "not_modified": 3}
    article_requests = [r for r in local.requests[before:] if r.path.startswith("/news/")]
    assert len(article_requests) == 3
    assert all(r.headers.get("If-None-Match") for r in article_requests)
    for article_id in ids_by_url(cli).values():
        history = cli("history", str(article_id), "--json").json()
        assert len(history["revisions"]) == 1 and history["status"] == "live"


def test_index_pages_and_sitemaps_list_articles(
    cli: Invoke, site: LocalSite, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    serve_articles(site, PARAGRAPHS)
    site.set(
        "/latest", index_html([("/news/1.html", "Talks"), ("/news/2.html", "Basket"), ("/about.html", "About us")])
    )
    # A sitemap index: the sitemap it lists is read with the index's link pattern.
    site.set(
        "/sitemap.xml",
        (
            '<?xml version="1.0" encoding="UTF-8"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            f"<sitemap><loc>{site.url('/sitemap-news.xml')}</loc></sitemap></sitemapindex>"
        ),
        content_type="application/xml",
    )
    site.set(
        "/sitemap-news.xml",
        sitemap([site.url("/news/3.html"), site.url("/contact.html")]),
        content_type="application/xml",
    )
    sources = tmp_path / "sources.toml"
    sources.write_text(
        f"""[sources."Local News"]
delay = 0
allow_private = true
index_pages = [{{ url = "{site.url("/latest")}", link_pattern = '/news/\\d+\\.html$' }}]
sitemaps = [{{ url = "{site.url("/sitemap.xml")}", link_pattern = '/news/' }}]
""",
        encoding="utf-8",
    )
    monkeypatch.setenv("WIREWATCH_SOURCES", str(sources))
    summary = crawl(cli)
    assert summary["sources"]["Local News"]["outcomes"] == {"added": 3, "listed": 3}
    assert site.count("/about.html") == 0 and site.count("/contact.html") == 0
    titles = {h["title"] for h in cli("search", "", "--json").json()["hits"]}
    assert titles == {title for title, _ in PARAGRAPHS.values()}


def test_faults_are_recorded_and_the_crawl_goes_on(cli: Invoke, local: LocalSite) -> None:
    faults = {
        "/news/flaky.html": "added",  # 500 once, then the page
        "/news/hang.html": "timeout",
        "/news/drip.html": "timeout",
        "/news/huge.html": "too_large",
        "/news/loop.html": "redirects",
        "/private/secret.html": "refused",
        "/news/korean.html": "added",  # EUC-KR sent with a header that says UTF-8
        "/news/image.png": "content_type",
    }
    serve_articles(local, PARAGRAPHS)
    local.set("/news/flaky.html", article_html("Flaky page", ["It failed once and then answered with its text."]))
    local.fail("/news/flaky.html", 1)
    local.set("/news/hang.html", article_html("Hanging page", ["Never seen."]))
    local.hang("/news/hang.html", 3)
    local.drip("/news/drip.html", 2000, 10, 0.1)
    local.big("/news/huge.html", 20 * 1024 * 1024)
    local.redirect("/news/loop.html", "/news/loop2.html")
    local.redirect("/news/loop2.html", "/news/loop.html")
    local.set("/private/secret.html", article_html("Secret", ["Disallowed by robots.txt."]))
    korean = article_html(
        "조선민주주의인민공화국 창건 기념",
        ["조선민주주의인민공화국 창건 75돐을 성대히 경축하였다."],
        charset="euc-kr",
        lang="ko",
    )
    local.set("/news/korean.html", korean, encoding="euc-kr", content_type="text/html; charset=utf-8")
    local.set("/news/image.png", b"\x89PNG\r\n\x1a\n" + bytes(100), content_type="image/png")
    links = [{"title": t, "link": local.url(p)} for p, (t, _) in PARAGRAPHS.items()]
    links += [{"title": p, "link": local.url(p)} for p in faults]
    local.set("/feed.xml", rss(links), content_type="application/rss+xml")

    result = cli("crawl", "--json")
    assert result.exit_code == 1  # some pages failed: a partial success
    summary = json.loads(result.stdout)
    errors = {e["url"].split(str(local.port))[1]: e["outcome"] for e in summary["errors"]}
    assert errors == {p: o for p, o in faults.items() if o != "added"}
    assert summary["sources"]["Local News"]["outcomes"]["added"] == 5  # the three, the flaky one, the Korean one
    assert [h["title"] for h in cli("search", "경축", "--json").json()["hits"]] == ["조선민주주의인민공화국 창건 기념"]
    assert local.count("/private/secret.html") == 0
    # The failures are recorded on the jobs, and a later crawl tries those pages again.
    local.hang("/news/hang.html", 0)
    retried = crawl(cli)
    assert retried["sources"]["Local News"]["outcomes"]["added"] == 1  # the page that hung


def test_crawl_errors_name_the_problem(cli: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WIREWATCH_SOURCES", str(tmp_path / "none.toml"))
    result = cli("crawl")
    assert result.exit_code == 2 and "no sources to collect from" in result.stderr
    (tmp_path / "one.toml").write_text('[sources.KCNA]\nfeeds = ["http://127.0.0.1:9/feed"]\n', encoding="utf-8")
    monkeypatch.setenv("WIREWATCH_SOURCES", str(tmp_path / "one.toml"))
    result = cli("crawl", "Nope")
    assert result.exit_code == 2 and "no source 'Nope'" in result.stderr and "KCNA" in result.stderr
    # A private address without allow_private is refused, recorded, and reported.
    result = cli("crawl", "--json")
    assert result.exit_code == 1
    assert json.loads(result.stdout)["errors"][0]["outcome"] == "refused"
    assert "Traceback" not in result.stderr


def test_a_page_that_answers_410_is_deleted_and_a_page_never_stored_is_only_missing(
    cli: Invoke, local: LocalSite
) -> None:
    crawl(cli)
    article = ids_by_url(cli)[local.url("/news/2.html")]
    local.gone("/news/2.html")
    links = [{"title": t, "link": local.url(p)} for p, (t, _) in PARAGRAPHS.items()]
    local.set(
        "/feed.xml",
        rss([*links, {"title": "Never there", "link": local.url("/news/never.html")}]),
        content_type="application/rss+xml",
    )
    local.delete("/news/never.html")
    summary = crawl(cli)
    outcomes = summary["sources"]["Local News"]["outcomes"]
    assert (outcomes["deleted"], outcomes["missing"]) == (1, 1)
    changes = cli("history", str(article), "--json").json()["changes"]
    assert [(c["kind"], c["detail"]) for c in changes] == [("deleted", "HTTP 410")]


def test_max_articles_caps_new_pages_per_crawl_and_the_rest_come_next_time(
    cli: Invoke, local: LocalSite, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(
        "WIREWATCH_SOURCES", str(write_sources(tmp_path / "capped.toml", local, extra="max_articles = 2\n"))
    )
    assert crawl(cli)["sources"]["Local News"]["outcomes"] == {"added": 2, "listed": 1}
    # The two known pages are checked again (unchanged), and the third is new.
    assert crawl(cli)["sources"]["Local News"]["outcomes"] == {"added": 1, "listed": 1, "not_modified": 2}
