"""Timelines in a real browser (Debian's Chromium driven by Playwright), on the ``wirewatch
demo`` archive: the search page's timeline image loads, the timeline page draws a line per
search with the figures as a table, and its CSV link downloads the rows. The figures
expected are read from the demo's own API. Screenshots of the charts go to
``$WIREWATCH_ARTIFACTS`` (see ``tests/browser/test_browser.py``) as ``trend-*.png``.
"""

from __future__ import annotations

import csv
import json
import re
import urllib.request
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

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
    from playwright.sync_api import Browser, expect
except ImportError:  # pragma: no cover - test_browser.py has skipped (or failed, in CI) already
    pytest.skip("playwright is not installed", allow_module_level=True)

pytestmark = pytest.mark.browser

QUERIES = ("Russia", "Korea")


def _get(demo: Server, path: str) -> Any:
    with urllib.request.urlopen(demo.at(path), timeout=30) as answer:  # the demo server on 127.0.0.1
        return json.load(answer)


@pytest.fixture
def tab(chromium: Browser, server: Server) -> Iterator[Tab]:  # noqa: F811
    context, opened = open_tab(chromium, server, accept_downloads=True, **DESKTOP)
    yield opened
    context.close()


@pytest.fixture
def phone(chromium: Browser, server: Server) -> Iterator[Tab]:  # noqa: F811
    context, opened = open_tab(chromium, server, **PHONE)
    yield opened
    context.close()


def _image_loaded(tab: Tab, selector: str) -> dict[str, float]:
    """The image's natural and shown size, once the browser has decoded it."""
    image = tab.page.locator(selector)
    expect(image).to_be_visible()
    tab.page.wait_for_function("(img) => img.complete", arg=image.element_handle(), timeout=15_000)  # loaded or failed
    size: dict[str, float] = image.evaluate(
        "(img) => ({natural: img.naturalWidth, width: img.getBoundingClientRect().width,"
        " height: img.getBoundingClientRect().height})"
    )
    return size


def test_the_search_page_shows_the_timeline_image(tab: Tab, server: Server) -> None:  # noqa: F811
    page = tab.page
    with page.expect_response(re.compile(r"/trend\.svg\?")) as answered:
        tab.goto("/search?q=Russia")
    image = answered.value
    assert image.status == 200 and image.headers["content-type"] == "image/svg+xml"
    figure = page.locator("figure.timeline")
    img = figure.locator("img")
    expect(img).to_have_attribute("alt", re.compile(r"^Timeline of Russia"))
    expect(img).to_have_attribute("src", re.compile(r"^/trend\.svg\?q=Russia&by=year$"))  # 2011 to 2018: by year
    size = _image_loaded(tab, "figure.timeline img")
    assert size["natural"] > 0 and size["width"] > 300 and size["height"] > 100, size
    figure.screenshot(path=artifacts() / "trend-search-figure.png")

    # The caption leads to the same timeline as a table.
    figure.get_by_role("link", name="as a table").click()
    expect(page).to_have_url(re.compile(r"/trend\?q=Russia&by=year$"))
    expect(page.locator("table.trend-table tbody tr").first).to_be_visible()
    tab.assert_clean()


def test_the_search_timeline_fits_a_phone(phone: Tab) -> None:
    phone.goto("/search?q=Russia")
    size = _image_loaded(phone, "figure.timeline img")
    width = phone.page.evaluate("() => document.documentElement.clientWidth")
    assert size["natural"] > 0 and size["width"] <= width, (size, width)
    assert phone.page.evaluate("() => document.documentElement.scrollWidth") <= width  # no sideways scrolling
    phone.assert_clean()


def test_the_trend_page_draws_a_line_per_query_and_the_table(tab: Tab, server: Server) -> None:  # noqa: F811
    page = tab.page
    tab.goto("/trend")
    form = page.locator("form.trend-form")
    for n, query in enumerate(QUERIES, start=1):
        form.get_by_label(f"Search {n}", exact=True).fill(query)
    form.get_by_label("Count by").select_option("year")
    form.get_by_role("button", name="Show").click()
    expect(page).to_have_url(re.compile(r"/trend\?q=Russia&q=Korea&q=&q=&by=year"))

    expected = _get(server, "/api/trend?" + urlencode({"q": QUERIES, "by": "year"}, doseq=True))
    chart = page.locator("figure.chart svg")
    expect(chart).to_be_visible()
    lines = chart.locator("g.line")
    expect(lines).to_have_count(len(QUERIES))
    for n, (query, found) in enumerate(zip(QUERIES, expected["queries"], strict=True)):
        expect(lines.nth(n)).to_have_attribute("data-query", query)
        box = lines.nth(n).locator("polyline").first.bounding_box()
        assert box is not None and box["width"] > 50, box  # drawn from one year to the next
        # A marker on each year with articles (a year without any is a gap in the line).
        shown = [p for p in found["series"] if p["share"] is not None]
        expect(lines.nth(n).locator("path.mark")).to_have_count(len(shown))
    expect(chart.locator("g.legend text").first).to_have_text(QUERIES[0])

    periods = [p["period"] for p in expected["queries"][0]["series"]]
    rows = page.locator("table.trend-table tbody tr")
    expect(rows).to_have_count(len(periods))
    first = [p["count"] for p in (q["series"][0] for q in expected["queries"])]
    cells = rows.first.locator("td")
    expect(cells.nth(0)).to_have_text(str(first[0]))
    expect(cells.nth(2)).to_have_text(str(first[1]))
    expect(page.locator("table.trend-table thead th").nth(1)).to_have_text(f"{QUERIES[0]}: articles")
    page.locator("figure.chart").screenshot(path=artifacts() / "trend-chart.png")
    tab.assert_clean()


def test_the_csv_link_downloads_the_rows(tab: Tab, server: Server) -> None:  # noqa: F811
    page = tab.page
    tab.goto("/trend?" + urlencode({"q": QUERIES, "by": "year"}, doseq=True))
    with page.expect_download() as started:
        page.locator("p.exports").get_by_role("link", name="CSV", exact=True).click()
    download = started.value
    assert download.suggested_filename == "wirewatch-trend.csv"
    with open(download.path(), newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["period", "query", "count", "total", "share"]
    expected = _get(server, "/api/trend?" + urlencode({"q": QUERIES, "by": "year"}, doseq=True))
    dated = [r for r in rows[1:] if r[0] != "undated"]
    assert [(r[0], r[1], int(r[2]), int(r[3])) for r in dated] == [
        (p["period"], q["query"], p["count"], p["total"])
        for points in zip(*(q["series"] for q in expected["queries"]), strict=True)
        for q, p in zip(expected["queries"], points, strict=True)
    ]
    for q in expected["queries"]:
        assert sum(int(r[2]) for r in rows[1:] if r[1] == q["query"]) == q["matches"]
    tab.assert_clean()
