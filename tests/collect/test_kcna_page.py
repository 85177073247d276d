"""A real kcna.kp page, collected with the shipped ``kcna`` profile: the English home page
saved on 2024-08-04 (in the shared corpus), served from the local site. Its links are
root-relative, so served from there they lead to the local site."""

from __future__ import annotations

import datetime as dt
import html
import re
from collections import Counter
from pathlib import Path

import pytest

from tests.collect.site import LocalSite
from tests.conftest import CORPUS, Invoke
from wirewatch.clean.dates import parse_date
from wirewatch.collect.fetch import Fetcher, FetchOptions
from wirewatch.collect.links import index_links
from wirewatch.collect.sources import builtin_profiles

PAGE = CORPUS / "pages" / "kcna.kp-en-home-2024-08-04.html"
D = dt.date

#: How many of the page's 39 articles carry each datemark.
LISTING_DATES = {
    D(2024, 8, 4): 14,
    D(2024, 8, 3): 4,
    D(2024, 8, 2): 1,
    D(2024, 7, 31): 3,
    D(2024, 7, 29): 1,
    D(2024, 7, 27): 1,
    D(2024, 7, 26): 1,
    D(2024, 7, 25): 4,
    D(2024, 7, 23): 2,
    D(2024, 7, 16): 2,
    D(2024, 7, 8): 1,
    D(2024, 7, 1): 3,
    D(2024, 6, 25): 2,
}

#: Headlines with a leader's name in <nobr><span class='fSpecCs'>, and their datemarks.
WHOLE = {
    "81b428e9e01fa31050caddd520d587d6": (
        "Respected Comrade Kim Jong Un Receives Message of Sympathy from Russian President",
        D(2024, 8, 4),
    ),
    "f2a01e3c3cfa2ca8e90d163c8c1b743f": (
        "Respected Comrade Kim Jong Un Pays Congratulatory Visit to Helicopter Unit of KPA Air Force",
        D(2024, 8, 3),
    ),
    "848a79246638fea551c652a56ef75ade": ("Chairman Kim Jong Il Pays Deep Attention to Farmers' Life", D(2024, 7, 1)),
    "370a8a935b6df671eaeba88e36410a4f": ("Site for School Chosen Personally by President Kim Il Sung", D(2024, 7, 23)),
    "5067aff7216f883bf1e9fe1e5df57ab8": (
        '"Tripartite Cooperation" Will Hasten "Tripartite Ruin": KCNA Commentary',
        D(2024, 8, 3),
    ),
}


@pytest.fixture
def home(site: LocalSite) -> str:
    """The saved home page, served at /en as kcna.kp serves it."""
    if not PAGE.is_file():
        pytest.skip(f"the saved kcna.kp page ({PAGE.name}) is not in the shared corpus")
    site.set("/en", PAGE.read_bytes())
    return site.url("/en")


def _english_home_pattern() -> re.Pattern[str]:
    [entry] = [e for e in builtin_profiles()["kcna"].entry_points if e.url == "http://www.kcna.kp/en"]
    assert entry.kind == "index" and entry.link_pattern
    return re.compile(entry.link_pattern)


def test_the_kcna_profile_reads_the_home_page(site: LocalSite, home: str) -> None:
    with Fetcher(FetchOptions(allow_private=True, robots=False)) as fetcher:
        page = fetcher.fetch(home)
    links = index_links(page.text, page.final_url, _english_home_pattern())

    assert len(links) == 39 and len({link.url for link in links}) == 39
    assert all(re.fullmatch(re.escape(site.url("/en/article/q/")) + r"[0-9a-f]{32}\.kcmsf", link.url) for link in links)
    order = builtin_profiles()["kcna"].date_order or "YMD"
    dates = {link.url: parse_date(link.date or "", order=order).value for link in links}
    assert Counter(dates.values()) == LISTING_DATES  # every headline dated, none by its year alone
    by_hash = {link.url.rsplit("/", 1)[1].removesuffix(".kcmsf"): link for link in links}
    for key, (headline, date) in WHOLE.items():
        assert (by_hash[key].title, dates[by_hash[key].url]) == (headline, date)
    assert by_hash["81b428e9e01fa31050caddd520d587d6"].date == "[Juche113.8.4.]"  # as written
    assert all(link.title and "Juche" not in link.title for link in links)


def _article(headline: str) -> str:
    """An article page laid out as the profile's selectors expect, with no date of its own."""
    marked = html.escape(headline).replace("Kim Jong Un", "<nobr><span class='fSpecCs'>Kim Jong Un</span></nobr>")
    return (
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>KCNA</title></head><body>"
        f"<h1 class='article-main-title'>{marked}</h1>"
        "<div class='article-content-body'><div class='content-wrapper'>"
        f"<p>{html.escape(headline)}, the Korean Central News Agency reported.</p>"
        "<p>The report was carried in full by the national newspapers and broadcast on radio and television.</p>"
        "</div></div></body></html>"
    )


def test_a_crawl_from_the_home_page_dates_articles_by_their_datemarks(
    cli: Invoke, site: LocalSite, home: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pattern = _english_home_pattern()
    with Fetcher(FetchOptions(allow_private=True, robots=False)) as fetcher:
        listed = index_links(fetcher.fetch(home).text, home, pattern)
    for link in listed:
        site.set(link.url.removeprefix(site.base), _article(link.title or ""))
    monkeypatch.setenv("WIREWATCH_SOURCES", str(tmp_path / "sources.toml"))
    added = cli(
        "source",
        "add",
        "KCNA",
        "--profile",
        "kcna",
        "--index",
        home,
        "--link-pattern",
        pattern.pattern,
        "--delay",
        "0",
        "--allow-private",
        "--language",
        "en",
    )
    assert added.exit_code == 0, added.stderr

    crawled = cli("crawl", "--json")
    assert crawled.exit_code == 0, crawled.stderr
    assert crawled.json()["sources"]["KCNA"]["outcomes"] == {"added": 39, "listed": 1}  # type: ignore[index]
    hits = cli("search", "", "--limit", "100", "--json").json()["hits"]  # type: ignore[index]
    stored = {hit["url"]: (hit["title"], hit["date"]) for hit in hits}
    assert len(stored) == 39
    assert Counter(D.fromisoformat(date) if date else None for _, date in stored.values()) == LISTING_DATES
    for key, (headline, date) in WHOLE.items():
        assert stored[site.url(f"/en/article/q/{key}.kcmsf")] == (headline, date.isoformat())
