"""Accessibility basics, checked in the HTML of every page the sites link to: one <h1>,
labelled fields, a language, a skip link, named navigation, headings in order."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from itertools import pairwise
from typing import Any

import lxml.html
import pytest

from tests.web.conftest import TestClient, one, page, text_of
from wirewatch.present.shapes import format_date


def _html_pages(site: dict[str, Any]) -> dict[str, Any]:
    return {
        url: lxml.html.fromstring(r.text)
        for url, r in site.items()
        if r.headers["content-type"].startswith("text/html")
    }


@pytest.fixture(scope="module")
def every_page(
    sample_site: dict[str, Any],
    edge_site: dict[str, Any],
    versions_site: dict[str, Any],
    empty_client: TestClient,
    analysed_site: dict[str, Any],
) -> dict[str, Any]:
    pages = {f"sample {u}": d for u, d in _html_pages(sample_site).items()}
    pages |= {f"edge {u}": d for u, d in _html_pages(edge_site).items()}
    # Versions, status notices, the changes and search by status (see test_versions.py).
    pages |= {f"versions {u}": d for u, d in _html_pages(versions_site).items()}
    # Entities beside articles, entity pages, relations and their charts (see test_analysis.py).
    pages |= {f"analysed {u}": d for u, d in _html_pages(analysed_site).items()}
    for url in (
        "/",
        "/sources",
        "/days",
        "/days/2012-05",
        "/days/2012-05-09",
        "/search?q=x",
        "/search?source=Nope",
        "/changes",
        "/changes?kind=nope",
    ):
        pages[f"empty {url}"] = lxml.html.fromstring(empty_client.get(url).text)
    assert len(pages) > 200
    return pages


def test_one_h1_per_page(every_page: dict[str, Any]) -> None:
    for url, doc in every_page.items():
        assert len(doc.xpath("//h1")) == 1, url
        assert text_of(doc.xpath("//h1")[0]), url


def test_headings_do_not_skip_levels(every_page: dict[str, Any]) -> None:
    for url, doc in every_page.items():
        levels = [int(h.tag[1]) for h in doc.iter("h1", "h2", "h3", "h4", "h5", "h6")]
        assert levels[0] == 1, (url, levels)
        assert all(b <= a + 1 for a, b in pairwise(levels)), (url, levels)


def test_every_field_has_a_label(every_page: dict[str, Any]) -> None:
    fields = 0
    for url, doc in every_page.items():
        labels = {label.get("for") for label in doc.iter("label")}
        for field in doc.xpath(
            "//input[not(@type='hidden' or @type='submit' or @type='button')] | //select | //textarea"
        ):
            fields += 1
            assert field.get("id") in labels, (url, field.get("name") or field.get("id"))
            label = one(doc, f"//label[@for='{field.get('id')}']")
            assert text_of(label), url
    assert fields > 400


def test_ids_are_unique(every_page: dict[str, Any]) -> None:
    for url, doc in every_page.items():
        ids = Counter(el.get("id") for el in doc.iter() if isinstance(el.tag, str) and el.get("id"))
        assert [i for i, n in ids.items() if n > 1] == [], url


def test_language_skip_link_and_landmarks(every_page: dict[str, Any]) -> None:
    for url, doc in every_page.items():
        assert doc.get("lang") == "en", url
        assert all(el.get("lang") for el in doc.xpath("//*[@lang]")), url
        skip = doc.xpath("//body//a")[0]
        assert skip.get("href") == "#main" and text_of(skip) == "Skip to content", url
        assert one(doc, "//main").get("id") == "main"
        navs = doc.xpath("//nav")
        labels = [nav.get("aria-label") for nav in navs]
        assert all(labels) and len(set(labels)) == len(labels), (url, labels)
        assert "Sections" in labels, url
        assert len(doc.xpath("//header[@class='site']")) == 1 and len(doc.xpath("//footer[@class='site']")) == 1
        assert text_of(one(doc, "//head/title")), url


def test_no_navigation_landmark_is_empty(every_page: dict[str, Any]) -> None:
    for url, doc in every_page.items():
        for nav in doc.xpath("//nav"):
            assert nav.xpath(".//a"), (url, nav.get("aria-label"))


def test_current_section_is_marked(client: TestClient) -> None:
    for url, section in (
        ("/", "Latest"),
        ("/sources/KCNA", "Sources"),
        ("/days/2011-08", "By date"),
        ("/search?q=x", "Search"),
    ):
        doc = page(client.get(url))
        current = doc.xpath("//nav[@aria-label='Sections']//a[@aria-current='page']")
        assert [text_of(a) for a in current] == [section], url


def test_tables_have_captions_and_header_scopes(client: TestClient) -> None:
    for url in ("/sources", "/days/2011-08", "/api/docs"):
        doc = page(client.get(url))
        tables = doc.xpath("//table")
        assert tables, url
        for table in tables:
            assert text_of(one(table, "caption")), url
            assert all(th.get("scope") in ("col", "row") for th in table.iter("th")), url


def test_results_announce_themselves(client: TestClient) -> None:
    doc = page(client.get("/search", params={"q": "Lavrov"}))
    assert one(doc, "//h2[@id='results-heading']").get("aria-live") == "polite"
    assert one(doc, "//section[@class='results']").get("aria-labelledby") == "results-heading"
    bad = page(client.get("/search", params={"q": "AND"}), status=400)
    assert one(bad, "//div[@role='alert']") is not None
    assert one(bad, "//input[@id='q']").get("aria-describedby") == "syntax-summary"


def test_time_elements_carry_a_valid_datetime(
    sample_site: dict[str, Any], edge_site: dict[str, Any], analysed_site: dict[str, Any]
) -> None:
    """Every <time> has a machine-readable date as precise as the date it shows: 2012-05-09,
    2012-05 or 2012 (the edge archive has month and year dates), never an empty one."""
    precisions: set[str] = set()
    for site in (sample_site, edge_site, analysed_site):
        for url, doc in _html_pages(site).items():
            for time in doc.iter("time"):
                value = time.get("datetime") or ""
                assert re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", value), (url, value, text_of(time))
                precision = {4: "year", 7: "month", 10: "day"}[len(value)]
                day = dt.date.fromisoformat((value + "-01-01")[:10])
                assert text_of(time).startswith(format_date(day, precision)), (url, value, text_of(time))
                precisions.add(precision)
    assert precisions == {"day", "month", "year"}


def test_charts_have_a_text_alternative_and_a_table(analysed_client: TestClient) -> None:
    """Each chart is an image with a title and a description, and its figures are in a
    table with a caption and header scopes beside it."""
    for url in (
        "/entities/person/kim-jong-un",
        "/entities/country/RUS?by=month",
        "/relations/PRK/RUS",
        "/relations/PRK/RUS?by=month",
        "/relations",
    ):
        doc = page(analysed_client.get(url))
        for svg in doc.xpath("//svg"):
            assert svg.get("role") == "img", url
            named = [one(doc, f"//*[@id='{i}']") for i in svg.get("aria-labelledby").split()]
            assert [el.tag for el in named] == ["title", "desc"] and all(text_of(el) for el in named), url
        tables = doc.xpath("//table")
        assert tables, url
        for table in tables:
            assert text_of(one(table, "caption")), url
            assert all(th.get("scope") in ("col", "row") for th in table.iter("th")), url
