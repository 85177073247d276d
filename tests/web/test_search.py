"""The search page: query syntax, filters, order, facets, highlighting, pages, exports,
and what a bad search says; the CSV export."""

from __future__ import annotations

import csv
import io
import random
import re
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import feedparser
import pytest

from tests.conftest import write_jsonl
from tests.web.conftest import (
    BASE_URL,
    KCNA_STORY,
    KOREAN_EDITORIAL,
    REFERENCE,
    SCRIPT,
    TestClient,
    article_ids,
    build_archive,
    one,
    page,
    query_of,
    text_of,
)
from wirewatch.config.settings import SearchEngine, Settings
from wirewatch.search.base import SearchOptions
from wirewatch.store import open_store
from wirewatch.web import create_app
from wirewatch.web.routes.search import CSV_COLUMNS

HITS = "//ol[@class='hits']/li"

#: The sample's stories that name Lavrov, besides the reference article.
GREETINGS = "Greetings to Russian Prime Minister"  # KCNA, 12 June 2011
PROTOCOL = "Rubricado protocolo entre Corea y Rusia"  # KCNA, in Spanish, 26 August 2011
PROTOCOL_EN = "Protocol Signed between DPRK and Russia"  # KCNA, its English original, 26 August 2011
LAVROV = {KCNA_STORY, GREETINGS, PROTOCOL, PROTOCOL_EN, REFERENCE}


def _hits(doc: Any) -> list[int]:
    return article_ids(doc, f"{HITS}/a[@class='title']")


def _titles(doc: Any) -> list[str]:
    """The titles of the hits, in page order."""
    return [text_of(a) for a in doc.xpath(f"{HITS}/a[@class='title']")]


def _api_ids(client: TestClient, **params: Any) -> list[int]:
    """Every hit of a search, through the API (every copy of a story: none folded)."""
    data = client.get("/api/search", params={**params, "limit": 1000, "collapse": "false"}).json()
    assert len(data["hits"]) == data["total"]
    return [h["id"] for h in data["hits"]]


def _heading(doc: Any) -> str:
    return text_of(one(doc, "//h2[@id='results-heading']"))


def _search(client: TestClient, **params: Any) -> Any:
    """The search page listing every article that matches: no story's copies folded (the
    fold is tested in test_links.py)."""
    return page(client.get("/search", params={"collapse": "0", **params}))


def test_search_page_before_searching_shows_the_form_only(client: TestClient) -> None:
    doc = _search(client)
    assert text_of(one(doc, "//h1")) == "Search"
    assert doc.xpath("//section[@class='results']") == []
    assert one(doc, "//input[@id='q']").get("value") == ""
    # The syntax help is on the page, and the header's quick search is not repeated.
    assert "title:friendship" in text_of(one(doc, "//details[@class='syntax']"))
    assert doc.xpath("//input[@id='site-q']") == []


def test_search_lists_hits_with_highlighted_snippets(client: TestClient) -> None:
    doc = _search(client, q="Lavrov")
    assert one(doc, "//input[@id='q']").get("value") == "Lavrov"
    assert _heading(doc) == "1–5 of 5 articles"
    assert set(_titles(doc)) == LAVROV and len(_hits(doc)) == 5
    assert one(doc, "//ol[@class='hits']").get("start") == "1"
    for hit in doc.xpath(HITS):
        snippet = one(hit, "p[@class='snippet']")
        marks = snippet.xpath("mark")
        assert marks and {text_of(m) for m in marks} == {"Lavrov"}
        assert [child.tag for child in snippet] == ["mark"] * len(marks)
        assert hit.get("lang") in ("en", "es")
    assert text_of(one(doc, "//title")) == "Lavrov — Search — wirewatch"


MEDVEDEV = {
    # Two titles the source left out, so taken from the start of the text (and cut).
    "Kim Yong Nam, president of the Presidium of the Supreme People's Assembly of the DPRK, sent a message of sympathy to…",
    "Kim Yong Nam, presidente del Presidium de la Asamblea Popular Suprema de la Republica Popular Democratica de Corea…",
    "Kuriles Belong to Russia: Medvedev",  # a headline: its title alone names him
    "Congratulations to Prime Minister of Russia",
}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (
            '"Federation Council"',
            {
                "A reception was given at the DPRK embassy in Moscow on Feb",
                "Event Held at DPRK Embassy in Moscow",
                REFERENCE,
            },
        ),
        ("Lavrov OR Medvedev", LAVROV | MEDVEDEV),
        ("Lavrov Federation", {REFERENCE}),
        ("title:friendship", {"Russian Ambassador Hosts Friendship Meeting", REFERENCE}),
        ("(Lavrov OR Medvedev) AND Russian", None),
    ],
)
def test_query_syntax(client: TestClient, query: str, expected: set[str] | None) -> None:
    doc = _search(client, q=query)
    found = set(_hits(doc))
    if expected is None:  # the grouped query is the intersection of its parts
        either = set(_api_ids(client, q="Lavrov OR Medvedev"))
        russian = set(_api_ids(client, q="Russian"))
        assert found == either & russian and found
    else:
        assert set(_titles(doc)) == expected and len(found) == len(expected)


def test_not_excludes_and_prefix_extends(client: TestClient) -> None:
    russia, kim = set(_api_ids(client, q="Russia")), set(_api_ids(client, q="Kim"))
    excluded = set(_api_ids(client, q="Russia NOT Kim"))
    assert excluded == russia - kim and russia & kim and excluded
    assert set(_hits(_search(client, q="Russia NOT Kim", order="oldest"))) <= excluded
    doc = _search(client, q="cooperat*")
    assert len(_hits(doc)) == 11
    assert all(text_of(m).lower().startswith("cooperat") for m in doc.xpath(f"{HITS}//mark"))
    assert not set(_hits(_search(client, q="cooperat"))) >= set(_hits(doc)), "a word is matched as written"


def test_korean_query_finds_the_korean_address(client: TestClient, sample_ids: dict[str, int]) -> None:
    doc = _search(client, q="김정은", exact_spelling="1")
    assert _hits(doc) == [sample_ids[KOREAN_EDITORIAL]]  # Kim Jong Un does not name himself in his own address
    hit = one(doc, HITS)
    assert hit.get("lang") == "ko"
    assert text_of(one(hit, ".//span[@class='source']")) == "Rodong Sinmun"
    assert {text_of(m) for m in hit.xpath(".//mark")} == {"김정은"}
    # By default his name is also searched as the English stories romanise it (docs/search.md).
    widened = _hits(_search(client, q="김정은"))
    assert sample_ids[KOREAN_EDITORIAL] in widened and len(widened) > 1


def test_filters_narrow_and_stay_filled_in(client: TestClient) -> None:
    doc = _search(client, q="Lavrov", source="KCNA")
    assert set(_titles(doc)) == LAVROV - {REFERENCE}
    assert one(doc, "//select[@id='source']/option[@selected]").get("value") == "KCNA"
    assert _titles(_search(client, q="Lavrov", language="es")) == [PROTOCOL]
    dated = _search(client, q="Lavrov", since="2011-06", until="2018")
    assert set(_titles(dated)) == {GREETINGS, PROTOCOL, PROTOCOL_EN, REFERENCE}
    assert one(dated, "//input[@id='since']").get("value") == "2011-06"
    assert one(dated, "//input[@id='until']").get("value") == "2018"
    assert set(_titles(_search(client, q="Lavrov", until="2011-06-12"))) == {KCNA_STORY, GREETINGS}  # inclusive


def test_filters_alone_list_the_originals_newest_first(client: TestClient, sample_ids: dict[str, int]) -> None:
    doc = _search(client, source="Pyongyang Times")
    assert _hits(doc) == [sample_ids[REFERENCE]]
    assert one(doc, "//select[@id='order']/option[@selected]").get("value") == "newest"
    originals = [
        a
        for a in client.get("/api/articles", params={"source": "KCNA", "limit": 500}).json()["articles"]
        if not a["duplicate_of"]
    ]
    assert len(originals) == 43  # of 44
    assert _heading(_search(client, source="KCNA")) == f"1–20 of {len(originals)} articles"  # copies are left out


@pytest.mark.parametrize("order", ["newest", "oldest", "relevance"])
def test_order(client: TestClient, order: str) -> None:
    doc = _search(client, q="Russia*", order=order)
    assert one(doc, "//select[@id='order']/option[@selected]").get("value") == order
    dates = [t.get("datetime") for t in doc.xpath(f"{HITS}//time")]
    assert len(dates) == 20
    if order == "relevance":
        assert _hits(doc) == [h["id"] for h in client.get("/api/search", params={"q": "Russia*"}).json()["hits"]]
        assert dates not in (sorted(dates), sorted(dates, reverse=True))
    else:
        assert dates == sorted(dates, reverse=order == "newest")


def test_facet_links_refine_to_their_counts(client: TestClient) -> None:
    doc = _search(client, q="Lavrov OR Medvedev")
    total = int(re.search(r"of (\d+) articles", _heading(doc))[1])  # type: ignore[index]
    facets = one(doc, "//aside[@aria-label='Refine']")
    assert [text_of(h) for h in facets.xpath("h3")] == ["Sources", "Years", "Languages"]
    sources = facets.xpath("h3[.='Sources']/following-sibling::ul[1]/li")
    assert sum(int(text_of(li.xpath("span")[0])) for li in sources) == total
    for item in facets.xpath(".//li"):
        link = one(item, "a")
        count = int(text_of(one(item, "span[@class='count']")))
        params = query_of(link.get("href"))
        assert params["q"] == ["Lavrov OR Medvedev"]
        refined = page(client.get(link.get("href")))
        assert len(_hits(refined)) == count, text_of(link)


def test_snippets_escape_the_article_text(edge_client: TestClient, edge_ids: dict[str, int]) -> None:
    doc = _search(edge_client, q="alert")
    assert set(_hits(doc)) == {edge_ids[f"Talks {SCRIPT}"], edge_ids['Evil "><img src=x onerror=alert(1)> headline']}
    for snippet in doc.xpath(f"{HITS}/p[@class='snippet']"):
        assert {child.tag for child in snippet} == {"mark"}
        assert {text_of(m) for m in snippet} == {"alert"}
    assert SCRIPT in text_of(doc)
    # The one image is the query's timeline, drawn by /trend.svg: no image from the text.
    assert doc.xpath("//script[not(@src)]") == [] and doc.xpath("//img[not(starts-with(@src, '/trend.svg?'))]") == []


def test_pages_of_hits_follow_on_without_repeats(client: TestClient) -> None:
    everything = _api_ids(client, q="Russia*")
    assert len(everything) == 35  # the headlines without text count: their titles match
    first = _search(client, q="Russia*")
    second = _search(client, q="Russia*", page=2)
    assert _heading(first) == "1–20 of 35 articles" and _heading(second) == "21–35 of 35 articles"
    assert one(second, "//ol[@class='hits']").get("start") == "21"
    assert _hits(first) + _hits(second) == everything
    following = one(first, "//nav[@class='pages']//a[@rel='next']").get("href")
    assert query_of(following)["page"] == ["2"] and query_of(following)["q"] == ["Russia*"]
    assert _hits(page(client.get(following))) == _hits(second)
    assert query_of(one(second, "//nav[@class='pages']//a[@rel='prev']").get("href"))["page"] == ["1"]
    assert text_of(one(second, "//nav[@class='pages']//a[@aria-current='page']")) == "2"
    assert second.xpath("//nav[@class='pages']//a[@rel='next']") == []
    assert _search(client, q="Lavrov").xpath("//nav[@class='pages']") == []  # one page: no pager


def test_a_page_past_the_last_says_so(client: TestClient) -> None:
    doc = page(client.get("/search", params={"q": "Russia*", "page": 5}), status=200)
    assert _heading(doc) == "Page 5 is past the end: 35 articles fill 2 pages"
    assert _hits(doc) == []
    last = one(doc, "//section[@class='results']//a[starts-with(normalize-space(), 'Go to the last page')]")
    assert query_of(last.get("href"))["page"] == ["2"] and query_of(last.get("href"))["q"] == ["Russia*"]
    assert _hits(page(client.get(last.get("href")))) == _hits(
        page(client.get("/search", params={"q": "Russia*", "page": 2}))
    )
    assert doc.xpath("//nav[@class='pages']//a[@rel='prev']") == []  # page 4 would be empty too
    assert doc.xpath("//nav[@class='pages']//a[@rel='next']") == []
    pages = [int(query_of(link.get("href"))["page"][0]) for link in doc.xpath("//nav[@class='pages']//a")]
    assert pages == [1, 2]
    one_page = page(client.get("/search", params={"q": "Lavrov", "page": 2}))
    assert _heading(one_page) == "Page 2 is past the end: 5 articles fill 1 page"


def test_the_same_search_as_feed_csv_and_json(client: TestClient) -> None:
    doc = _search(client, q="Lavrov", source="KCNA", order="oldest")
    links = {text_of(a): a.get("href") for a in one(doc, "//p[@class='exports']").xpath("a")}
    assert set(links) == {"Atom feed", "CSV", "JSON"}
    hits = _hits(doc)
    data = client.get(links["JSON"]).json()
    assert [h["id"] for h in data["hits"]] == hits and data["page"] == 1
    rows = list(csv.DictReader(io.StringIO(client.get(links["CSV"]).text)))
    assert [int(r["id"]) for r in rows] == hits
    feed = feedparser.parse(client.get(links["Atom feed"]).content)
    titles = [h["title"] for h in data["hits"]]
    assert sorted(e.title for e in feed.entries) == sorted(titles)
    assert query_of(links["Atom feed"])["source"] == ["KCNA"]
    assert (
        one(doc, "//head/link[@type='application/atom+xml'][@title='This search as a feed']").get("href")
        == links["Atom feed"]
    )


@pytest.mark.parametrize(
    ("params", "message", "at_fault"),
    [
        ({"q": '"unclosed'}, 'unclosed quote at position 1: add a closing "', {"q"}),
        ({"q": "AND"}, "expected a word or phrase at position 1", {"q"}),
        ({"q": "NOT Kim"}, "a query cannot only exclude", {"q"}),
        (
            {"q": "Russia", "since": "2012-99"},
            "since '2012-99': expected a date as YYYY, YYYY-MM or YYYY-MM-DD",
            {"since"},
        ),
        ({"q": "Russia", "until": "June"}, "until 'June'", {"until"}),
        ({"q": "Russia", "since": "2013", "until": "2012"}, "since '2013' is after until '2012'", {"since"}),
        ({"q": "Russia", "source": "Nope"}, "source 'Nope': no such source in the archive", {"source"}),
        ({"q": "Russia", "page": "abc"}, "page 'abc': expected a whole number from 1 to 1,000,000", set()),
        ({"q": "Russia", "page": "0"}, "page '0': expected a whole number from 1 to 1,000,000", set()),
        ({"q": "Russia", "page": "1000001"}, "page '1000001': expected a whole number from 1 to 1,000,000", set()),
        ({"q": "Russia", "order": "best"}, "order 'best'", {"order"}),
    ],
)
def test_a_bad_search_is_400_with_the_form_kept(
    client: TestClient, params: dict[str, str], message: str, at_fault: set[str]
) -> None:
    doc = page(client.get("/search", params=params), status=400)
    alert = one(doc, "//div[@class='error'][@role='alert']")
    assert message in text_of(alert)
    field = one(doc, "//input[@id='q']")
    assert field.get("value") == params["q"]
    # The field at fault, and only it, is marked invalid and points to the message (a page
    # number has no field in the form).
    marked = {el.get("id") for el in doc.xpath("//*[@aria-invalid]")}
    assert marked == at_fault
    for element in doc.xpath("//*[@aria-invalid]"):
        assert element.get("aria-invalid") == "true" and element.get("aria-errormessage") == alert.get("id")
    assert alert.get("id") == "search-error"
    for name in ("since", "until"):
        if name in params:
            assert one(doc, f"//input[@id='{name}']").get("value") == params[name]
    assert doc.xpath("//ol[@class='hits']") == []


def test_a_bad_date_marks_the_date_field_invalid(client: TestClient) -> None:
    doc = page(client.get("/search", params={"q": "Russia", "since": "2012-99"}), status=400)
    assert one(doc, "//input[@id='since']").get("aria-invalid") == "true"
    assert one(doc, "//input[@id='q']").get("aria-invalid") is None


def test_filters_matched_regardless_of_case_stay_selected(client: TestClient) -> None:
    doc = _search(client, q="Lavrov", source="kcna", language="EN")
    assert set(_titles(doc)) == {KCNA_STORY, GREETINGS, PROTOCOL_EN}  # the filters are applied...
    assert doc.xpath("//select[@id='source']/option[@selected]/@value") == ["KCNA"]  # ...and shown
    assert doc.xpath("//select[@id='language']/option[@selected]/@value") == ["en"]


@pytest.mark.parametrize("path", ["/search", "/search.atom", "/search.csv"])
def test_a_page_in_other_digits_is_a_bad_request(lenient_client: TestClient, path: str) -> None:
    assert lenient_client.get(path, params={"q": "Russia", "page": "²"}).status_code == 400


@pytest.mark.parametrize("path", ["/search", "/api/search"])
def test_a_huge_page_number_is_a_bad_request(lenient_client: TestClient, path: str) -> None:
    for number in ("99999999999999999999", "1000001"):
        response = lenient_client.get(path, params={"q": "Russia", "page": number})
        assert response.status_code == 400, number
        shown = response.json()["error"] if path.startswith("/api/") else text_of(page(response, status=400))
        assert f"page '{number}'" in shown, shown
    assert lenient_client.get(path, params={"q": "Russia", "page": "1000000"}).status_code == 200


# CSV --------------------------------------------------------------------------------------


def _csv(client: TestClient, **params: Any) -> list[dict[str, str]]:
    response = client.get("/search.csv", params=params)
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["content-disposition"] == 'attachment; filename="wirewatch-search.csv"'
    reader = csv.DictReader(io.StringIO(response.text))
    assert tuple(reader.fieldnames or ()) == CSV_COLUMNS
    return list(reader)


@pytest.mark.parametrize(
    "params",
    [
        {"q": "Lavrov"},
        {"q": "Russia*", "order": "oldest"},
        {"q": "Lavrov", "source": "KCNA"},
        {"q": "김정은"},
        {"source": "KCNA"},
    ],
)
def test_csv_rows_are_the_api_hits(client: TestClient, params: dict[str, str]) -> None:
    rows = _csv(client, **params)
    hits = client.get("/api/search", params={**params, "limit": 1000, "collapse": "false"}).json()["hits"]
    assert len(rows) == len(hits) > 0
    for row, hit in zip(rows, hits, strict=True):
        expected = {key: "" if hit[key] is None else str(hit[key]) for key in CSV_COLUMNS if key in hit}
        assert {key: row[key] for key in expected} == expected
        assert row["permalink"] == f"http://testserver/articles/{hit['id']}"


def test_csv_permalinks_use_the_base_url(based_client: TestClient) -> None:
    rows = _csv(based_client, q="Lavrov")
    assert rows and all(r["permalink"] == f"{BASE_URL}/articles/{r['id']}" for r in rows)


def test_csv_of_no_hits_is_the_header_alone(empty_client: TestClient) -> None:
    assert _csv(empty_client, q="Russia") == []


def test_csv_of_a_bad_query_is_400(lenient_client: TestClient) -> None:
    response = lenient_client.get("/search.csv", params={"q": '"unclosed'})
    assert response.status_code == 400
    assert "unclosed quote" in response.text


def test_csv_cells_a_spreadsheet_would_run_are_text(tmp_path: Path) -> None:
    """A cell starting with = + - or @ would be a formula in a spreadsheet: it gets a
    leading apostrophe (OWASP's advice); other cells are written as they are."""
    from tests.conftest import write_jsonl
    from tests.web.conftest import build_archive, serve

    titles = [
        '=HYPERLINK("http://evil.example","Russia")',
        "+7 Russia",
        "-1 Russia",
        "@SUM(1) Russia",
        "Russia, plainly",
    ]
    records: list[dict[str, object]] = [
        {
            "source": "=Wire",
            "title": title,
            "date": f"2012-05-0{n + 1}",
            "language": "en",
            "body": f"{title} is the body of story {n}.",
        }
        for n, title in enumerate(titles)
    ]
    db = build_archive(tmp_path / "csv.db", [write_jsonl(tmp_path / "csv.jsonl", records)])
    for reader in serve(db):
        rows = {row["id"]: row for row in _csv(reader, q="Russia")}
        hits = {str(h["id"]): h for h in reader.get("/api/search", params={"q": "Russia"}).json()["hits"]}
        assert set(rows) == set(hits) and len(rows) == len(titles)
        for ident, row in rows.items():
            for column in ("title", "source", "snippet"):
                stored = str(hits[ident][column])
                expected = "'" + stored if stored[:1] in ("=", "+", "-", "@") else stored
                assert row[column] == expected, (column, row[column])
        assert {row["title"] for row in rows.values()} == {"'" + t for t in titles[:4]} | {titles[4]}
        assert {row["source"] for row in rows.values()} == {"'=Wire"}
        assert sum(row["snippet"].startswith("'") for row in rows.values()) == 4  # the bodies start as the titles


def test_csv_of_a_bad_filter_is_400(client: TestClient) -> None:
    doc = page(client.get("/search.csv", params={"q": "Russia", "since": "2012-99"}), status=400)
    assert "since '2012-99'" in text_of(one(doc, "//p[@role='alert']"))


# Bounds and time limits ----------------------------------------------------------------

SEARCHES = ("/search", "/search.atom", "/search.csv", "/api/search")


@pytest.mark.parametrize("path", SEARCHES)
@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("Lavrov " * 8500, "characters long: a query may hold at most 1,000"),  # the page strips the last space
        ("(" * 400 + "Lavrov" + ")" * 400, "parentheses nested more than 20 deep"),
    ],
)
def test_a_query_past_its_bounds_is_a_quick_400(client: TestClient, path: str, query: str, message: str) -> None:
    """The audit's 59 KB query took 7.4 s and 400 parentheses gave a 500."""
    started = time.monotonic()
    response = client.get(path, params={"q": query})
    assert response.status_code == 400 and message in response.text, response.text[:300]
    assert time.monotonic() - started < 2


@pytest.fixture(scope="session")
def heavy_db(location: Callable[[str], str], tmp_path_factory: pytest.TempPathFactory) -> str:
    """1,000 articles of 200 words drawn from 40,000 that all start with "t": a query of
    prefixes t1* … t64* makes the index merge most of them (0.26 s on SQLite, 45 ms on
    PostgreSQL), and 64 times t* takes 16 s on SQLite."""
    rng = random.Random(7)
    records: list[dict[str, object]] = [
        {
            "source": "Heavy",
            "title": f"Story {i}",
            "date": "2012-01-01",
            "language": "en",
            "body": " ".join(f"t{rng.randrange(40_000)}" for _ in range(200)),
        }
        for i in range(1000)
    ]
    folder = tmp_path_factory.mktemp("heavy")
    return build_archive(location("heavy"), [write_jsonl(folder / "heavy.jsonl", records)])


@pytest.mark.parametrize("engine", ["tantivy", "sql"])
def test_a_search_past_its_time_limit_is_stopped_with_503(heavy_db: str, engine: SearchEngine) -> None:
    # tantivy checks the limit between its steps; the SQL engines interrupt the statement.
    if engine == "sql":
        store = open_store(heavy_db, SearchOptions("sql"))
        try:
            store.reindex()
        finally:
            store.close()
    app = create_app(Settings(db=heavy_db, search_engine=engine))
    app.state.search_seconds = 0.001  # the limit in force (SEARCH_SECONDS is 5), made tiny
    query = " OR ".join(f"t{i}*" for i in range(1, 65))
    with TestClient(app) as reader:
        for path in SEARCHES:
            started = time.monotonic()
            response = reader.get(path, params={"q": query})
            assert response.status_code == 503, (path, response.status_code, response.text[:300])
            assert "the search took longer than 0.001 seconds and was stopped: narrow it" in response.text
            assert time.monotonic() - started < 3
            assert response.headers["x-frame-options"] == "DENY"
        app.state.search_seconds = 60.0
        assert reader.get("/api/search", params={"q": query}).json()["total"] == 1000


class SlowSearches:
    """The archive with every search SLOW seconds longer: a slow search on any archive."""

    SLOW = 3.0

    def __init__(self, store: Any) -> None:
        self.store = store

    def __getattr__(self, name: str) -> Any:
        return getattr(self.store, name)

    def search(self, request: Any) -> Any:
        time.sleep(self.SLOW)
        return self.store.search(request)


def test_slow_searches_leave_the_pages_free(sample_db: str, sample_ids: dict[str, int]) -> None:
    """Three slow searches at once held every page thread: /articles/1 waited 13 s."""
    store = open_store(sample_db)
    article = f"/articles/{sample_ids[KCNA_STORY]}"
    try:
        app = create_app(Settings(db=sample_db), store=SlowSearches(store))  # type: ignore[arg-type]  # a stand-in for the store
        with TestClient(app) as reader, ThreadPoolExecutor(3) as pool:
            assert reader.get(article).status_code == 200  # the archive's figures, cached
            searches = [pool.submit(reader.get, path, params={"q": "Lavrov"}) for path in SEARCHES[:3]]
            time.sleep(0.5)  # the searches are running
            started = time.monotonic()
            assert reader.get(article).status_code == 200
            waited = time.monotonic() - started
            assert [search.result().status_code for search in searches] == [200, 200, 200]
    finally:
        store.close()
    assert waited < 1.0, f"an article page waited {waited:.1f} s for the searches"
