"""Links between articles in a real browser (Debian's Chromium driven by Playwright), on the
``wirewatch demo`` archive: its import links the packaged sample's KCNA stories to their
Spanish editions, and stories that follow one formula for different events.

An article's "Other versions" and "Same formula as" lead to the comparison page; a search
folds a story's English and Spanish articles into one hit, and "Show every copy" unfolds it.
Which pairs the comparison links is tested elsewhere (tests/analysis, tests/pipeline): here
the first translation and the first template pair of the demo archive are read from the API
and looked for on the pages. Screenshots go to ``$WIREWATCH_ARTIFACTS`` (see
``tests/browser/test_browser.py``) as ``links-*.png``.
"""

from __future__ import annotations

import json
import re
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import pytest

from tests.browser.test_browser import (  # noqa: F401 - fixtures, used by name
    DESKTOP,
    PHONE,
    Server,
    Tab,
    artifacts,
    chromium,
    chromium_path,
    open_tab,
    playwright,
    server,
)

try:
    from playwright.sync_api import Browser, Page, expect
except ImportError:  # pragma: no cover - test_browser.py has skipped (or failed, in CI) already
    pytest.skip("playwright is not installed", allow_module_level=True)

pytestmark = pytest.mark.browser


LANGUAGES = {"en": "English", "es": "Spanish"}


@dataclass(frozen=True)
class Pair:
    """Two linked articles of the demo archive, as ``/api/articles/{id}/similar`` names them:
    ``a`` (for a translation, the first carrier of their story) and ``b``."""

    a: int
    a_title: str
    a_date: str
    a_language: str
    b: int
    b_title: str
    b_date: str
    b_language: str
    #: ``b``'s days after ``a`` in their story (a translation); None for a template pair.
    lag: int | None = None

    def edition(self, which: str) -> str:
        """How the pages name ``a`` or ``b`` beside the other: "Spanish edition"."""
        return f"{LANGUAGES[self.a_language if which == 'a' else self.b_language]} edition"


def _get(demo: Server, path: str) -> Any:
    with urllib.request.urlopen(demo.at(path), timeout=30) as answer:  # the demo server on 127.0.0.1
        return json.load(answer)


@pytest.fixture(scope="module")
def pairs(server: Server) -> dict[str, Pair]:  # noqa: F811
    """The demo archive's first translation (an English story and its Spanish edition, the
    first carrier first) and first template pair."""
    found: dict[str, Pair] = {}
    for listed in _get(server, "/api/articles?limit=500")["articles"]:
        answer = _get(server, f"/api/articles/{listed['id']}/similar")
        for other in answer["similar"]:
            relation = other["relation"]
            if relation not in ("translation", "template") or relation in found:
                continue
            lag = None
            if relation == "translation":
                members = answer["story"]["members"]
                # The first carrier, of an English story and its Spanish edition (the sample
                # labels some Spanish stories "en": the pages can only show the label).
                if members[0]["id"] != listed["id"] or {listed["language"], other["language"]} != {"en", "es"}:
                    continue
                lag = next(m["lag_days"] for m in members if m["id"] == other["id"])
            found[relation] = Pair(
                listed["id"],
                listed["title"],
                listed["date"],
                listed["language"],
                other["id"],
                other["title"],
                other["date"],
                other["language"],
                lag,
            )
    assert set(found) == {"translation", "template"}, f"the demo archive links only {set(found)}"
    return found


@pytest.fixture
def tab(chromium: Browser, server: Server) -> Iterator[Tab]:  # noqa: F811
    context, opened = open_tab(chromium, server, **DESKTOP)
    yield opened
    context.close()


def open_article(tab: Tab, title: str) -> str:
    """Open the article titled ``title`` from a title search, as a reader would; its address."""
    phrase = title.replace('"', " ")
    tab.goto("/search?collapse=0&q=" + quote(f'title:"{phrase}"'))
    tab.page.locator("ol.hits").get_by_role("link", name=title, exact=True).click()
    expect(tab.page).to_have_url(re.compile(r"/articles/\d+$"))
    expect(tab.page.get_by_role("heading", level=1)).to_have_text(title)
    return tab.page.url


def long_date(iso: str) -> str:
    """2011-08-26 as the pages write it: 26 August 2011."""
    year, month, day = (int(part) for part in iso.split("-"))
    months = "January February March April May June July August September October November December".split()
    return f"{day} {months[month - 1]} {year}"


def lag_words(days: int | None) -> str:
    return "the same day" if days == 0 else "1 day later" if days == 1 else f"{days} days later"


def shoot(page: Page, name: str) -> None:
    shot = artifacts() / f"links-{name}.png"
    page.screenshot(path=shot, full_page=True)
    assert shot.stat().st_size > 0


def test_other_versions_name_the_spanish_edition_and_compare_with_it(tab: Tab, pairs: dict[str, Pair]) -> None:
    page = tab.page
    pair = pairs["translation"]
    open_article(tab, pair.a_title)
    versions = page.locator("section.other-versions")
    expect(versions.get_by_role("heading", level=2)).to_have_text("Other versions")
    thread = versions.locator("p.thread")
    expect(thread).to_have_text(
        f"This story was first carried by KCNA (this article) on {long_date(pair.a_date)}; "
        f"{pair.edition('b')} {lag_words(pair.lag)}."
    )
    item = versions.locator("ul.linked > li").filter(has=page.get_by_role("link", name=pair.b_title, exact=True))
    expect(item).to_have_count(1)
    expect(item.get_by_role("link", name=pair.b_title, exact=True)).to_have_attribute("lang", pair.b_language)
    language = LANGUAGES[pair.b_language]
    expect(item.locator(".meta")).to_have_text(
        re.compile(rf"^translation\s+KCNA\s+{language}\s+{long_date(pair.b_date)}\s+translation$")
    )
    compare = item.get_by_role("link", name=f"Compare with “{pair.b_title}”")
    expect(compare).to_have_attribute("href", f"/compare/{pair.a}/{pair.b}")
    shoot(page, "article-other-versions")

    compare.click()
    expect(page).to_have_url(re.compile(rf"/compare/{pair.a}/{pair.b}$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Comparing two articles: translation")
    sides = page.locator(".side-by-side > section.side")
    expect(sides).to_have_count(2)
    expect(sides.nth(0).get_by_role("heading", level=2)).to_have_text(pair.a_title)
    expect(sides.nth(1).get_by_role("heading", level=2)).to_have_text(pair.b_title)
    shoot(page, "compare-translation")

    # The thread leads to the other edition, which names the first carrier.
    page.go_back()
    page.locator("p.thread").get_by_role("link", name=pair.edition("b")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(pair.b_title)
    expect(page.locator("section.other-versions p.thread")).to_have_text(
        f"This story was first carried by KCNA on {long_date(pair.a_date)}; "
        f"{pair.edition('b')} (this article) {lag_words(pair.lag)}."
    )
    tab.assert_clean()


def test_same_formula_lists_the_differing_slots_and_compares(tab: Tab, pairs: dict[str, Pair]) -> None:
    page = tab.page
    pair = pairs["template"]
    open_article(tab, pair.a_title)
    formula = page.locator("section.formula")
    expect(formula.get_by_role("heading", level=2)).to_have_text("Same formula as")
    item = formula.locator("ul.linked > li").filter(has=page.get_by_role("link", name=pair.b_title, exact=True))
    expect(item).to_have_count(1)
    expect(item.locator("ul.slot-values > li").first).to_have_text(re.compile(r"^\w+: .+ → .+"))
    shoot(page, "article-same-formula")

    item.get_by_role("link", name=f"Compare with “{pair.b_title}”").click()
    expect(page).to_have_url(re.compile(rf"/compare/{pair.a}/{pair.b}$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Comparing two articles: template")
    expect(page.get_by_role("heading", name="Slots that differ")).to_be_visible()
    expect(page.locator("table.slots tbody tr").first).to_be_visible()
    shoot(page, "compare-template")
    tab.assert_clean()


def _both_titles(pair: Pair) -> str:
    return " OR ".join(f'title:"{t.replace(chr(34), " ")}"' for t in (pair.a_title, pair.b_title))


def test_search_folds_a_story_and_shows_every_copy_on_request(tab: Tab, pairs: dict[str, Pair]) -> None:
    page = tab.page
    pair = pairs["translation"]
    query = _both_titles(pair)
    tab.goto("/search?order=oldest&q=" + quote(query))
    expect(page.locator("#results-heading")).to_have_text(re.compile(r"1–2 of 2 articles"))
    hits = page.locator("ol.hits > li")
    expect(hits).to_have_count(1)
    # The higher of the two on the page stays (of one day, either may be), naming the other.
    shown = "a" if hits.first.locator("a.title").inner_text() == pair.a_title else "b"
    other, other_date = ("b", pair.b_date) if shown == "a" else ("a", pair.a_date)
    also = hits.first.locator("p.also")
    expect(also).to_have_text(f"Also in {pair.edition(other)} ({long_date(other_date)})")
    expect(page.locator("p.folding")).to_contain_text("1 more copy of a story on this page is folded")
    expect(page.locator("aside.facets")).to_contain_text("Counts of articles")
    shoot(page, "search-folded")

    page.get_by_role("link", name="Show every copy").click()
    expect(page).to_have_url(re.compile(r"collapse=0"))
    expect(hits).to_have_count(2)
    assert set(page.locator("ol.hits > li a.title").all_inner_texts()) == {pair.a_title, pair.b_title}
    expect(page.locator("#q")).to_have_value(query)
    shoot(page, "search-every-copy")

    # Back to folded, and from the fold to the other edition.
    page.get_by_role("link", name="Fold a story's copies into one hit").click()
    expect(hits).to_have_count(1)
    also.get_by_role("link", name=pair.edition(other)).click()
    expect(page).to_have_url(re.compile(rf"/articles/{pair.b if other == 'b' else pair.a}$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(pair.b_title if other == "b" else pair.a_title)
    tab.assert_clean()


def test_the_links_fit_a_phone(chromium: Browser, server: Server, pairs: dict[str, Pair]) -> None:  # noqa: F811
    context, tab = open_tab(chromium, server, **PHONE)
    try:
        page = tab.page
        size = PHONE["viewport"]["width"]  # type: ignore[index]
        for name, pair in pairs.items():
            open_article(tab, pair.a_title)
            shoot(page, f"phone-article-{name}")
            scroll = page.evaluate("document.documentElement.scrollWidth")
            assert scroll <= size, f"the {name} article at {size} px scrolls sideways: {scroll} px of content"
        query = quote(_both_titles(pairs["translation"]))
        for path in (f"/search?q={query}", f"/search?collapse=0&q={query}"):
            tab.goto(path)
            scroll = page.evaluate("document.documentElement.scrollWidth")
            assert scroll <= size, f"{path} at {size} px scrolls sideways: {scroll} px of content"
        shoot(page, "phone-search-every-copy")
        tab.assert_clean()
    finally:
        context.close()
