"""Trends on the web (issue 16): ``/api/trend``, ``/api/emerging`` and ``/api/companions``,
the timeline page with its CSV and SVG, and the timeline figure of the search page.

The archive is built here (``RECORDS``), on each back end in turn (``location``): three
sources publishing 4, 3 and 2 articles a month from January to June 2011, in which
"deterrent" is rare until it bursts in May and June, "friendship" is in every Pyongyang
Times article, and Kim Jong Un is named with Choe Ryong Hae once a month; "missile" in
February 2011 and March 2016 (a search spanning more than three years); two undated
articles. Every expected figure is counted from ``RECORDS``, never typed in.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import lxml.etree
import pytest

from tests.conftest import write_jsonl
from tests.web.conftest import TestClient, analyse_archive, build_archive, one, page, serve, text_of

SOURCES = {"KCNA": 4, "Rodong Sinmun": 3, "Pyongyang Times": 2}
MONTHS = range(1, 7)
#: How many of a month's articles (KCNA first, then Rodong Sinmun) say "nuclear deterrent".
DETERRENT = {1: 1, 2: 0, 3: 1, 4: 1, 5: 6, 6: 7}
TOPICS = ("harvest", "steel", "textiles", "fishery", "power station", "railway", "school", "hospital", "theatre")
PLACES = ("Pyongyang", "Hamhung", "Chongjin", "Wonsan", "Sinuiju", "Kaesong", "Nampho")
SVG = "{http://www.w3.org/2000/svg}"


def _records() -> list[dict[str, Any]]:
    records: list[dict[str, Any]] = []

    def add(source: str, day: dt.date | None, *sentences: str) -> None:
        n = len(records)
        filler = (
            f"Report {n} tells of the {TOPICS[n % len(TOPICS)]} in {PLACES[n % len(PLACES)]}, "
            f"where output reached {n * 37 % 101} units."
        )
        records.append(
            {
                "source": source,
                "title": f"{source} item {n}",
                "date": day.isoformat() if day else None,
                "language": "en",
                "body": " ".join((filler, *sentences)),
            }
        )

    for month in MONTHS:
        deterrent = DETERRENT[month]
        for source, count in SOURCES.items():
            for i in range(count):
                day = dt.date(2011, month, 3 + 3 * i + (10 if source == "Rodong Sinmun" else 0))
                sentences = []
                if source != "Pyongyang Times" and deterrent:
                    sentences.append("The nuclear deterrent of the country was strengthened.")
                    deterrent -= 1
                if source == "Pyongyang Times":
                    sentences.append("The friendship between the peoples grows.")
                if source == "Rodong Sinmun" and i == 0:
                    sentences.append("Kim Jong Un inspected the unit with Choe Ryong Hae.")
                if source == "KCNA" and month == 2 and i == 1:
                    sentences.append("A missile was shown.")
                add(source, day, *sentences)
    add("KCNA", dt.date(2016, 3, 9), "A missile was launched.")
    add("KCNA", dt.date(2016, 3, 10), "Another missile was launched.")
    add("Pyongyang Times", dt.date(2016, 3, 11), "The friendship endures.")
    add("KCNA", None, "The nuclear deterrent will grow.")
    add("KCNA", None, "The deterrent stands ready.")
    return records


RECORDS = _records()


def _count(word: str = "", source: str | None = None, month: str | None = None, dated: bool = True) -> int:
    """How many records (of ``source``, in ``month``, dated or not) hold ``word``."""
    return sum(
        1
        for r in RECORDS
        if word in r["body"]
        and (source is None or r["source"] == source)
        and (month is None or (r["date"] or "").startswith(month))
        and (r["date"] is not None) == dated
    )


@pytest.fixture(scope="module")
def trend_db(location: Callable[[str], str], tmp_path_factory: pytest.TempPathFactory) -> str:
    folder = tmp_path_factory.mktemp("trends")
    return analyse_archive(build_archive(location("trends"), [write_jsonl(folder / "trends.jsonl", RECORDS)]))


@pytest.fixture(scope="module")
def trend_client(trend_db: str) -> Iterator[TestClient]:
    yield from serve(trend_db)  # type: ignore[arg-type]


def _json(client: TestClient, path: str, params: Any = None) -> Any:
    response = client.get(path, params=params)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/json"
    return response.json()


def _error(client: TestClient, path: str, params: Any = None) -> str:
    response = client.get(path, params=params)
    assert response.status_code == 400, response.text
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert list(body) == ["error"]
    return str(body["error"])


# /api/trend -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "params",
    [
        {"q": "deterrent"},
        {"q": '"nuclear deterrent"', "by": "week"},
        {"q": "deterrent", "by": "day", "source": "KCNA"},
        {"q": "friendship", "by": "year"},
        {"q": "missile", "by": "month"},
        {"q": "deterrent OR friendship", "since": "2011-03", "until": "2011-05"},
        {"q": "person:kim-jong-un", "language": "en"},
    ],
)
def test_a_timeline_adds_up_to_the_search_total(trend_client: TestClient, params: dict[str, str]) -> None:
    found = _json(trend_client, "/api/trend", params)
    searched = _json(trend_client, "/api/search", {k: v for k, v in params.items() if k != "by"})
    assert found["query"] == params["q"] and found["by"] == params.get("by", "month")
    assert found["matches"] == searched["total"] > 0
    assert sum(p["count"] for p in found["series"]) + found["undated"] == found["matches"]
    for point in found["series"]:
        assert point["share"] == (round(point["count"] / point["total"], 6) if point["total"] else None)


def test_the_timeline_counts_each_month_against_all_articles_of_its_sources(trend_client: TestClient) -> None:
    found = _json(trend_client, "/api/trend", {"q": "deterrent"})
    months = [f"2011-{m:02d}" for m in MONTHS]
    assert [p["period"] for p in found["series"]] == months  # from the first match to the last
    assert [p["count"] for p in found["series"]] == [_count("deterrent", month=m) for m in months]
    assert [p["total"] for p in found["series"]] == [_count(month=m) for m in months]
    assert found["undated"] == _count("deterrent", dated=False) == 2
    # "deterrent" is rare until May: the burst is May and June, as the CLI finds it.
    assert [(b["start"], b["end"]) for b in found["bursts"]] == [("2011-05", "2011-06")]

    kcna = _json(trend_client, "/api/trend", {"q": "deterrent", "source": "kcna"})
    assert [p["total"] for p in kcna["series"]] == [_count(source="KCNA", month=m) for m in months]
    assert [p["count"] for p in kcna["series"]] == [_count("deterrent", "KCNA", m) for m in months]


def test_several_queries_share_the_periods(trend_client: TestClient) -> None:
    queries = ["deterrent", "friendship", "missile", "person:choe-ryong-hae"]
    found = _json(trend_client, "/api/trend", {"q": queries, "by": "year"})
    assert set(found) == {"by", "queries"} and found["by"] == "year"
    assert [one["query"] for one in found["queries"]] == queries
    # The periods run from the first match of any query to the last, the same for each.
    periods = [[p["period"] for p in one["series"]] for one in found["queries"]]
    assert periods == [[str(y) for y in range(2011, 2017)]] * 4
    for one_query in found["queries"]:
        alone = _json(trend_client, "/api/search", {"q": one_query["query"]})
        assert one_query["matches"] == alone["total"]
        assert [p["total"] for p in one_query["series"]] == [_count(month=str(y)) for y in range(2011, 2017)]


def test_per_source_timelines_add_up_to_the_query(trend_client: TestClient) -> None:
    found = _json(trend_client, "/api/trend", {"q": "deterrent", "per_source": "1"})
    assert found["query"] == "deterrent"  # named by its query, not by a source
    assert set(found["sources"]) == {"KCNA", "Rodong Sinmun"}
    for i, point in enumerate(found["series"]):
        assert point["count"] == sum(points[i]["count"] for points in found["sources"].values())
    assert [p["total"] for p in found["sources"]["Rodong Sinmun"]] == [
        _count(source="Rodong Sinmun", month=f"2011-{m:02d}") for m in MONTHS
    ]
    assert "sources" not in _json(trend_client, "/api/trend", {"q": "deterrent"})


@pytest.mark.parametrize(
    ("params", "named"),
    [
        ({"q": ["a", "b", "c", "d", "e"]}, "q: 5 queries given; a timeline compares at most 4"),
        ({"q": ""}, "q: give a query"),
        ({"by": "month"}, "q: Field required"),
        ({"q": "x", "by": "decade"}, "by 'decade'"),
        ({"q": '"unclosed'}, "q '\"unclosed': unclosed quote"),
        ({"q": ["fine", "(broken"]}, "q '(broken'"),
        ({"q": "x", "since": "2011-13"}, "since '2011-13'"),
        ({"q": "x", "since": "2012", "until": "2011"}, "since '2012' is after until '2011'"),
        ({"q": "x", "source": "Nope"}, "source 'Nope': no such source"),
        ({"q": "x", "language": "english"}, "language 'english'"),
        ({"q": "x", "status": "gone"}, "status 'gone'"),
    ],
)
def test_bad_trend_parameters_are_400_naming_them(trend_client: TestClient, params: dict[str, Any], named: str) -> None:
    assert named in _error(trend_client, "/api/trend", params)


def test_the_openapi_document_describes_the_trend_operations(trend_client: TestClient) -> None:
    spec = _json(trend_client, "/api/openapi.json")
    for path, answer in (
        ("/api/trend", "TrendAnswer"),
        ("/api/emerging", "EmergingAnswer"),
        ("/api/companions", "CompanionsAnswer"),
    ):
        operation = spec["paths"][path]["get"]
        assert operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].endswith(answer)
        assert "400" in operation["responses"]
    names = [p["name"] for p in spec["paths"]["/api/trend"]["get"]["parameters"]]
    assert names == ["q", "by", "source", "language", "status", "since", "until", "per_source", "exact_spelling"]
    by = next(p for p in spec["paths"]["/api/trend"]["get"]["parameters"] if p["name"] == "by")
    assert by["schema"]["enum"] == ["day", "week", "month", "year"]
    docs = page(trend_client.get("/api/docs"))
    for path in ("/api/trend", "/api/emerging", "/api/companions"):
        assert one(docs, f"//section[h2[normalize-space()='GET {path}']]") is not None


# /api/emerging and /api/companions ---------------------------------------------------------------


def _dated_between(since: str, until: str, source: str | None = None) -> int:
    return sum(
        1 for r in RECORDS if r["date"] and since <= r["date"] <= until and (source is None or r["source"] == source)
    )


def test_emerging_compares_the_week_with_the_eight_before(trend_client: TestClient) -> None:
    found = _json(trend_client, "/api/emerging", {"week": "2011-05-18"})  # a Wednesday
    assert found["period"] == {
        "since": "2011-05-16",
        "until": "2011-05-22",
        "articles": _dated_between("2011-05-16", "2011-05-22"),
        "words_read_from": _dated_between("2011-05-16", "2011-05-22"),  # all: fewer than the sample
    }
    assert found["baseline"] == {
        "since": "2011-03-21",
        "until": "2011-05-15",
        "articles": _dated_between("2011-03-21", "2011-05-15"),
        "words_read_from": _dated_between("2011-03-21", "2011-05-15"),
    }
    assert found["sources"] == [] and "log-odds" in found["statistic"]
    assert all(t["score"] >= 1.96 and t["count"] >= 1 for t in found["terms"])

    kcna = _json(trend_client, "/api/emerging", {"week": "2011-05-18", "source": "kcna"})
    assert kcna["sources"] == ["KCNA"]  # as the archive spells it
    assert kcna["period"]["articles"] == _dated_between("2011-05-16", "2011-05-22", "KCNA")


def test_emerging_defaults_to_the_last_full_week(trend_client: TestClient) -> None:
    newest = max(dt.date.fromisoformat(r["date"]) for r in RECORDS if r["date"])
    monday = newest - dt.timedelta(days=newest.weekday()) - dt.timedelta(days=7)
    found = _json(trend_client, "/api/emerging")
    assert found["period"]["since"] == monday.isoformat()
    assert found["period"]["until"] == (monday + dt.timedelta(days=6)).isoformat()


@pytest.mark.parametrize(
    ("params", "named"),
    [
        ({"week": "2011-05"}, "week '2011-05'"),
        ({"week": "2011-13-01"}, "week '2011-13-01'"),
        ({"week": "0001-01-01"}, "week '0001-01-01': expected a date from"),  # its baseline would precede year 1
        ({"source": "Nope"}, "source 'Nope'"),
        ({"language": "english"}, "language 'english'"),
    ],
)
def test_bad_emerging_parameters_are_400_naming_them(
    trend_client: TestClient, params: dict[str, str], named: str
) -> None:
    assert named in _error(trend_client, "/api/emerging", params)


def test_companions_name_who_appears_with_whom(trend_client: TestClient) -> None:
    found = _json(
        trend_client, "/api/companions", {"id": "Kim Jong Un", "since": "2011-01", "until": "2011-06", "limit": 5}
    )
    assert found["entity"] == {"type": "person", "id": "kim-jong-un"}
    assert found["period"] == {"since": "2011-01-01", "until": "2011-06-30"}
    days = (dt.date(2011, 6, 30) - dt.date(2011, 1, 1)).days + 1
    before = dt.date(2011, 1, 1) - dt.timedelta(days=days)
    assert found["before"] == {"since": before.isoformat(), "until": "2010-12-31"}  # as long, just before
    first = found["companions"][0]
    assert (first["id"], first["name"], first["type"]) == ("choe-ryong-hae", "Choe Ryong Hae", "person")
    assert first["articles"] == _count("Choe Ryong Hae") == len(MONTHS)
    assert (first["rank"], first["rank_before"], first["articles_before"]) == (1, None, 0)
    # Three months of it: half the articles.
    spring = _json(trend_client, "/api/companions", {"id": "kim-jong-un", "since": "2011-04", "until": "2011-06"})
    assert spring["companions"][0]["articles"] == 3 and spring["companions"][0]["rank_before"] == 1


@pytest.mark.parametrize(
    ("params", "named"),
    [
        ({"id": "Nobody At All"}, "id 'Nobody At All': not in the actor data"),
        ({"id": "kim-jong-un", "kind": "country"}, "kind 'country'"),
        ({"id": "kim-jong-un", "since": "2011-06", "until": "2011-01"}, "since '2011-06' is after until '2011-01'"),
        ({"id": "kim-jong-un", "limit": "0"}, "limit '0'"),
        ({"id": "kim-jong-un", "since": "0002", "until": "0100"}, "since '0002-01-01': the period as long just before"),
        ({}, "id: Field required"),
    ],
)
def test_bad_companions_parameters_are_400_naming_them(
    trend_client: TestClient, params: dict[str, str], named: str
) -> None:
    assert named in _error(trend_client, "/api/companions", params)


# The timeline page, its CSV and its SVG -------------------------------------------------------------


def test_the_trend_page_draws_a_line_per_query_with_its_table(trend_client: TestClient) -> None:
    queries = ["deterrent", '"Choe Ryong Hae"']
    doc = page(trend_client.get("/trend", params={"q": queries, "by": "month"}))
    assert text_of(one(doc, "//h1")) == "Timeline"
    boxes = doc.xpath("//form[@action='/trend']//input[@name='q']")
    assert [b.get("value") for b in boxes] == [*queries, "", ""]  # four boxes, the queries in the first
    assert one(doc, "//select[@name='by']/option[@selected]").get("value") == "month"

    svg = one(doc, "//figure[@class='chart']/svg")
    assert [g.get("data-query") for g in svg.xpath("g[@class='line']")] == queries
    for line in svg.xpath("g[@class='line']"):
        assert line.xpath("polyline") and line.xpath("path[@class='mark']")
    styles = {(g.get("stroke"), g.xpath("polyline")[0].get("stroke-dasharray")) for g in svg.xpath("g[@class='line']")}
    assert len(styles) == 2 and len({dash for _, dash in styles}) == 2  # told apart by dashes, not colour alone
    legend = [text_of(t) for t in svg.xpath("g[@class='legend']//text")]
    assert legend[:2] == queries
    api = _json(trend_client, "/api/trend", {"q": queries})
    bursts = sum(len(q["bursts"]) for q in api["queries"])
    assert bursts and len(svg.xpath(".//rect[@class='burst']")) == bursts

    rows = doc.xpath("//table[contains(@class, 'trend-table')]/tbody/tr")
    assert [text_of(r.xpath("th")[0]) for r in rows] == [
        f"{m} 2011" for m in ("January", "February", "March", "April", "May", "June")
    ]
    for row, points in zip(rows, zip(*(q["series"] for q in api["queries"]), strict=True), strict=True):
        cells = [text_of(td) for td in row.xpath("td")]
        assert cells[0::2][:2] == [str(p["count"]) for p in points]
        assert cells[-1] == str(points[0]["total"])
        assert cells[1] == f"{100 * points[0]['count'] / points[0]['total']:.2f}%"

    links = {text_of(a): a.get("href") for a in doc.xpath("//p[@class='exports']/a")}
    same = "q=deterrent&q=%22Choe+Ryong+Hae%22&by=month"
    assert (links["CSV"], links["JSON"], links["SVG image"]) == (
        f"/trend.csv?{same}",
        f"/api/trend?{same}",
        f"/trend.svg?{same}",
    )
    searches = {text_of(a): a.get("href") for a in doc.xpath("//ul[contains(@class, 'trend-queries')]//a")}
    assert searches == {"deterrent": "/search?q=deterrent", '"Choe Ryong Hae"': "/search?q=%22Choe+Ryong+Hae%22"}
    assert "2 undated" in text_of(one(doc, "//ul[contains(@class, 'trend-queries')]/li[1]"))
    assert "May 2011 to June 2011" in text_of(one(doc, "//ul[@class='bursts']"))


def test_the_trend_page_keeps_its_filters_in_its_links(trend_client: TestClient) -> None:
    doc = page(
        trend_client.get("/trend", params={"q": "deterrent", "source": "kcna", "since": "2011-03", "by": "week"})
    )
    assert one(doc, "//select[@name='source']/option[@selected]").get("value") == "KCNA"
    assert one(doc, "//input[@name='since']").get("value") == "2011-03"
    links = {text_of(a): a.get("href") for a in doc.xpath("//p[@class='exports']/a")}
    assert parse_qs(urlsplit(links["JSON"]).query) == {
        "q": ["deterrent"],
        "by": ["week"],
        "source": ["KCNA"],
        "since": ["2011-03"],
    }
    search = one(doc, "//ul[contains(@class, 'trend-queries')]//a").get("href")
    assert parse_qs(urlsplit(search).query) == {"q": ["deterrent"], "source": ["KCNA"], "since": ["2011-03"]}
    assert trend_client.get(search).status_code == 200
    weeks = doc.xpath("//table[contains(@class, 'trend-table')]/tbody/tr/th/time/@datetime")
    assert weeks[0] == "2011-02-28"  # the Monday of the week of 1 March
    assert all(dt.date.fromisoformat(w).weekday() == 0 for w in weeks)


def test_the_trend_page_without_a_query_is_the_form(trend_client: TestClient) -> None:
    for path in ("/trend", "/trend?q=&q=&by=month&source=&since=&until="):
        doc = page(trend_client.get(path))
        assert len(doc.xpath("//form[@action='/trend']//input[@name='q']")) == 4
        assert not doc.xpath("//svg") and not doc.xpath("//*[@role='alert']")


@pytest.mark.parametrize(
    ("params", "named", "field"),
    [
        ({"q": ["a", "b", "c", "d", "e"]}, "at most 4", "q"),
        ({"q": "x", "by": "decade"}, "by 'decade'", "by"),
        ({"q": "x", "since": "2011-13"}, "since '2011-13'", "since"),
        ({"q": "x", "source": "Nope"}, "source 'Nope'", "source"),
        ({"q": '"unclosed'}, "unclosed quote", "q"),
        ({"q": "missile", "by": "day"}, "a chart shows at most 1,000", "by"),  # 2011 to 2016, by day
        ({"q": " ", "source": "KCNA"}, "q: give a query", "q"),
    ],
)
def test_a_bad_trend_page_is_400_with_the_form_and_the_reason(
    trend_client: TestClient, params: dict[str, Any], named: str, field: str
) -> None:
    doc = page(trend_client.get("/trend", params=params), 400)
    assert named in text_of(one(doc, "//*[@role='alert']"))
    marked = doc.xpath("//*[@aria-invalid='true']/@name")
    assert marked and set(marked) == {field}
    typed = params["q"] if isinstance(params["q"], list) else [params["q"]]
    values = [b.get("value") for b in doc.xpath("//form[@action='/trend']//input[@name='q']")]
    assert values[: len(typed)] == typed  # the form keeps what was typed, all five queries too


def test_the_trend_csv_holds_the_table(trend_client: TestClient) -> None:
    queries = ["deterrent", "=friendship"]
    response = trend_client.get("/trend.csv", params={"q": queries})
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["content-disposition"] == 'attachment; filename="wirewatch-trend.csv"'
    rows = list(csv.reader(io.StringIO(response.text)))
    assert rows[0] == ["period", "query", "count", "total", "share"]
    api = _json(trend_client, "/api/trend", {"q": queries})
    expected = [
        [p["period"], "'" + q["query"] if q["query"].startswith("=") else q["query"], str(p["count"]), str(p["total"])]
        for i in range(len(api["queries"][0]["series"]))
        for q in api["queries"]
        for p in [q["series"][i]]
    ]
    dated = [r for r in rows[1:] if r[0] != "undated"]
    assert [r[:4] for r in dated] == expected  # a formula-looking query is kept as text
    for r in dated:  # the share; none for a period without any article (2012 to 2015)
        assert (abs(float(r[4]) - int(r[2]) / int(r[3])) < 1e-6) if r[3] != "0" else r[4] == ""
    assert [r for r in rows[1:] if r[0] == "undated"] == [["undated", "deterrent", "2", "", ""]]
    counts = Counter[str]()
    for r in rows[1:]:
        counts[r[1]] += int(r[2])
    assert counts["deterrent"] == _json(trend_client, "/api/search", {"q": "deterrent"})["total"]


def test_the_trend_svg_is_the_chart_alone(trend_client: TestClient) -> None:
    response = trend_client.get("/trend.svg", params={"q": ["deterrent", "friendship", "missile"], "by": "year"})
    assert response.status_code == 200
    assert response.headers["content-type"] == "image/svg+xml"
    root = lxml.etree.fromstring(response.content)
    assert root.tag == f"{SVG}svg" and root.get("viewBox", "").startswith("0 0 ")
    assert root.get("width") is None  # no fixed size: it fills the figure it is put in
    lines = root.findall(f"{SVG}g[@class='line']")
    assert [g.get("data-query") for g in lines] == ["deterrent", "friendship", "missile"]
    assert len({g.find(f"{SVG}polyline").get("stroke-dasharray") for g in lines}) == 3
    # No article at all from 2012 to 2015: a gap in the line, not a fall to zero.
    friendship = lines[1]
    assert len(friendship.findall(f"{SVG}polyline")) == 2 and len(friendship.findall(f"{SVG}path")) == 2
    assert "deterrent; friendship; missile" in root.findtext(f"{SVG}title")
    assert not list(root.iter(f"{SVG}script"))
    ticks = [t.text for t in root.iter(f"{SVG}text") if t.get("class") == "tick"]
    assert ticks == [str(y) for y in range(2011, 2017)]
    # A bad request is a 400 that names the input, as the page's.
    assert trend_client.get("/trend.svg", params={"q": "x", "by": "decade"}).status_code == 400


# The search page's figure ---------------------------------------------------------------------------


def _figure(client: TestClient, params: dict[str, Any], status: int = 200) -> Any:
    doc = page(client.get("/search", params=params), status)
    found = doc.xpath("//figure[contains(@class, 'timeline')]")
    return found[0] if found else None


def test_the_search_page_shows_the_timeline_as_an_image(trend_client: TestClient) -> None:
    response = trend_client.get("/search", params={"q": "deterrent", "source": "KCNA", "since": "2011-02"})
    assert "<polyline" not in response.text  # the page does not draw it: the image is its own request
    figure = _figure(trend_client, {"q": "deterrent", "source": "KCNA", "since": "2011-02"})
    img = one(figure, ".//img")
    assert img.get("alt").startswith("Timeline of deterrent")
    src = img.get("src")
    assert urlsplit(src).path == "/trend.svg"
    assert parse_qs(urlsplit(src).query) == {
        "q": ["deterrent"],
        "source": ["KCNA"],
        "since": ["2011-02"],
        "by": ["month"],  # its matches lie within 2011
    }
    image = trend_client.get(src)
    assert image.status_code == 200 and image.headers["content-type"] == "image/svg+xml"
    links = {text_of(a): a.get("href") for a in figure.xpath(".//figcaption//a")}
    assert links["as a table"] == src.replace("/trend.svg", "/trend")
    assert links["as CSV"] == src.replace("/trend.svg", "/trend.csv")
    assert page(trend_client.get(links["as a table"])).xpath("//table[contains(@class, 'trend-table')]")


def test_the_search_timeline_counts_by_year_over_more_than_three_years(trend_client: TestClient) -> None:
    img = one(_figure(trend_client, {"q": "missile"}), ".//img")
    assert parse_qs(urlsplit(img.get("src")).query)["by"] == ["year"]  # 2011 to 2016


def test_no_timeline_without_a_query_or_results(trend_client: TestClient) -> None:
    assert _figure(trend_client, {"q": "nothingmatchesthis"}) is None
    assert _figure(trend_client, {"source": "KCNA"}) is None  # a list of a source, not a query
    assert _figure(trend_client, {"q": '"unclosed'}, 400) is None


def test_a_hostile_query_is_text_on_the_page_and_in_the_image(trend_client: TestClient) -> None:
    hostile = 'deterrent OR "<img src=x onerror=alert(1)>" OR "</script><script>alert(2)</script>"'
    response = trend_client.get("/trend", params={"q": hostile})
    doc = page(response)
    assert not doc.xpath("//img | //script[not(@src)]") and "<img src=x" not in response.text
    assert one(doc, "//figure//svg/g[@class='line']").get("data-query") == hostile
    image = trend_client.get("/trend.svg", params={"q": hostile})
    root = lxml.etree.fromstring(image.content)
    assert not list(root.iter(f"{SVG}script")) and not list(root.iter("{http://www.w3.org/1999/xhtml}img"))
    assert [t.text for t in root.iter(f"{SVG}text") if t.text and "onerror" in t.text] == [hostile]
