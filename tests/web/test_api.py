"""The JSON API: the same shapes as the command line's ``--json``, its OpenAPI description
and its documentation page, and its errors."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from tests.web.conftest import (
    BASE_URL,
    KOREAN_ADDRESS,
    REFERENCE,
    REPEATED,
    TestClient,
    one,
    page,
    run_cli,
    text_of,
)
from wirewatch.present.shapes import listing_json
from wirewatch.store import open_store
from wirewatch.store.base import Browse

API_PATHS = {
    "/api/articles",
    "/api/articles/{article_id}",
    "/api/articles/{article_id}/history",
    "/api/articles/{article_id}/similar",
    "/api/changes",
    "/api/companions",
    "/api/compare/{a}/{b}",
    "/api/emerging",
    "/api/entities/{entity_type}/{entity_id}",
    "/api/relations/{a}/{b}",
    "/api/search",
    "/api/sources",
    "/api/stats",
    "/api/trend",
}


def _as_json(value: Any) -> Any:
    """``value`` as it reads back from JSON (dates as ISO strings)."""
    return json.loads(json.dumps(value, default=lambda d: d.isoformat() if isinstance(d, dt.date) else None))


def _browse(db: Path, **request: Any) -> list[dict[str, Any]]:
    store = open_store(str(db))
    try:
        return _as_json([listing_json(a) for a in store.browse(Browse(**request)).articles])  # type: ignore[no-any-return]
    finally:
        store.close()


def _walk(client: TestClient, **params: Any) -> list[dict[str, Any]]:
    """Every article of a listing, following ``next_url`` page by page."""
    response = client.get("/api/articles", params=params)
    articles: list[dict[str, Any]] = []
    for _ in range(100):
        assert response.status_code == 200 and response.headers["content-type"] == "application/json"
        data = response.json()
        assert len(data["articles"]) <= params.get("limit", 50)
        articles += data["articles"]
        if data["next"] is None:
            assert data["next_url"] is None
            return articles
        assert f"after={data['next']}" in data["next_url"]
        response = client.get(data["next_url"])
    raise AssertionError("the listing does not end")


def test_articles_list_has_the_listing_fields(client: TestClient, sample_db: Path) -> None:
    data = client.get("/api/articles").json()
    assert data["articles"] == _browse(sample_db, limit=50)
    assert len(data["articles"]) == 47 and data["next"] is None
    assert set(data["articles"][0]) == {
        "id",
        "title",
        "date",
        "date_precision",
        "source",
        "url",
        "language",
        "duplicate_of",
    }


@pytest.mark.parametrize(
    ("params", "request_"),
    [
        ({}, {}),
        ({"order": "oldest"}, {"order": "oldest"}),
        ({"source": "kcna"}, {"source": "KCNA"}),
        ({"since": "2011-08", "until": "2012"}, {"since": dt.date(2011, 8, 1), "until": dt.date(2012, 12, 31)}),
        (
            {"source": "KCNA", "until": "2011-03-08", "order": "oldest"},
            {"source": "KCNA", "until": dt.date(2011, 3, 8), "order": "oldest"},
        ),
    ],
)
def test_articles_list_pages_on_with_next(
    client: TestClient, sample_db: Path, params: dict[str, str], request_: dict[str, Any]
) -> None:
    walked = _walk(client, limit=4, **params)
    assert walked == _browse(sample_db, limit=1000, **request_)
    assert len({a["id"] for a in walked}) == len(walked) > 0


def test_articles_list_pages_through_undated_articles(paged_client: TestClient, paged_db: Path) -> None:
    walked = {}
    for order in ("newest", "oldest"):
        walked[order] = _walk(paged_client, limit=7, order=order)
        assert walked[order] == _browse(paged_db, limit=1000, order=order)
        assert len({a["id"] for a in walked[order]}) == 130
    # Undated articles count as older than any dated one: last newest first, first oldest
    # first, by number among themselves; so each order is the other reversed.
    newest, oldest = walked["newest"], walked["oldest"]
    undated = [a["id"] for a in newest if a["date"] is None]
    assert len(undated) == 8 and undated == sorted(undated, reverse=True)
    assert [a["id"] for a in newest[-8:]] == undated
    assert [a["id"] for a in oldest[:8]] == undated[::-1]
    assert oldest == newest[::-1]


def test_article_equals_the_cli_show_json(client: TestClient, sample_db: Path) -> None:
    """Every article of the sample: stories, headlines without text, derived titles, the
    copy and its original, Korean, the reference article."""
    listed = client.get("/api/articles", params={"limit": 500}).json()["articles"]
    assert len(listed) == 47
    for ident in (a["id"] for a in listed):
        data = client.get(f"/api/articles/{ident}").json()
        assert data.pop("permalink") == f"http://testserver/articles/{ident}"
        assert data == run_cli(sample_db, "show", str(ident), "--json")


def test_article_json_of_a_copy_and_of_a_headline(client: TestClient, sample_ids: dict[str, int]) -> None:
    original, copy = sample_ids[REPEATED], sample_ids[REPEATED + " (copy)"]
    first, second = (client.get(f"/api/articles/{i}").json() for i in (original, copy))
    assert (first["duplicate_of"], first["duplicates"]) == (None, [copy])
    assert (second["duplicate_of"], second["duplicates"]) == (original, [])
    assert second["body"] == first["body"] and first["body"]
    assert first["url"] != second["url"] and first["date"] == second["date"] == "2012-01-14"
    listed = client.get("/api/articles", params={"limit": 500}).json()["articles"]
    headlines = [a for a in (client.get(f"/api/articles/{h['id']}").json() for h in listed) if not a["body"]]
    assert len(headlines) == 7  # the stories whose text the scrape lost ("<NA>")
    assert all(a["body"] == "" and a["duplicate_of"] is None and a["duplicates"] == [] for a in headlines)


def test_article_with_hostile_text_equals_the_cli(
    edge_client: TestClient, edge_db: Path, edge_ids: dict[str, int]
) -> None:
    for ident in edge_ids.values():
        data = edge_client.get(f"/api/articles/{ident}").json()
        data.pop("permalink")
        assert data == run_cli(edge_db, "show", str(ident), "--json")


def test_article_json_keeps_korean_as_written_and_uses_the_base_url(
    based_client: TestClient, sample_ids: dict[str, int]
) -> None:
    korean = sample_ids[KOREAN_ADDRESS]
    response = based_client.get(f"/api/articles/{korean}")
    assert "사랑하는 온 나라 인민들과".encode() in response.content  # not \\u escapes
    assert response.json()["source"] == "KCTV"
    assert response.json()["permalink"] == f"{BASE_URL}/articles/{korean}"
    assert response.json()["date_alternatives"] == []
    reference = based_client.get(f"/api/articles/{sample_ids[REFERENCE]}").json()
    assert (reference["date"], reference["date_alternatives"]) == ("2018-10-11", ["2018-11-10"])


@pytest.mark.parametrize(
    "params",
    [
        {"q": "Lavrov"},
        {"q": "Lavrov OR Medvedev", "order": "newest"},
        {"q": "Russia*", "order": "oldest", "limit": "5", "page": "3"},
        {"q": "Russia", "source": "kcna", "since": "2011-06", "until": "2012"},
        {"q": "Rusia", "language": "ES"},
        {"q": "김정은"},
        {"q": "", "source": "KCNA", "order": "newest", "limit": "100"},
    ],
)
def test_search_equals_the_cli_search_json(client: TestClient, sample_db: Path, params: dict[str, str]) -> None:
    args = [params.get("q", "")]
    for key in ("source", "language", "since", "until", "order", "limit", "page"):
        if key in params:
            args += [f"--{key}", params[key]]
    data = client.get("/api/search", params={**params, "collapse": "false"}).json()
    assert (data.pop("page"), data.pop("limit")) == (int(params.get("page", 1)), int(params.get("limit", 20)))
    # The API adds each hit's story and whether a story's copies were folded (every copy here).
    assert data.pop("collapsed") is False
    assert all(set(hit.pop("story") or {"id": 0, "also": []}) == {"id", "also"} for hit in data["hits"])
    assert data == run_cli(sample_db, "search", *args, "--json")
    assert data["total"] > 0


def test_search_pages_have_no_repeats(client: TestClient) -> None:
    query = {"q": "Russia OR Kim", "collapse": "false"}  # pages of articles: every copy listed
    everything = client.get("/api/search", params={**query, "limit": 1000}).json()
    seen = []
    for number in range(1, 20):
        hits = client.get("/api/search", params={**query, "limit": 4, "page": number}).json()["hits"]
        if not hits:
            break
        seen += [h["id"] for h in hits]
    assert seen == [h["id"] for h in everything["hits"]] and len(set(seen)) == everything["total"] > 20


def test_sources_and_stats_equal_the_cli_stats(client: TestClient, sample_db: Path) -> None:
    stats = run_cli(sample_db, "stats", "--json")
    assert client.get("/api/stats").json() == stats
    assert stats["articles"] == 47 and stats["duplicates"] == 1 and stats["first_date"] == "2011-01-01"
    sources = client.get("/api/sources").json()["sources"]
    assert sources == [{"name": name, "articles": n} for name, n in stats["sources"].items()]


def test_stats_of_an_empty_archive(empty_client: TestClient) -> None:
    assert empty_client.get("/api/stats").json() == {
        "articles": 0,
        "duplicates": 0,
        "sources": {},
        "languages": {},
        "first_date": None,
        "last_date": None,
        "undated": 0,
        "derived_titles": 0,
    }
    assert empty_client.get("/api/articles").json() == {"articles": [], "next": None, "next_url": None}


def _resolve(spec: dict[str, Any], ref: str) -> Any:
    node: Any = spec
    for part in ref.removeprefix("#/").split("/"):
        node = node[part]
    return node


def test_openapi_description_is_valid_and_complete(client: TestClient) -> None:
    spec = client.get("/api/openapi.json").json()
    assert spec["openapi"].startswith("3.")
    assert spec["info"]["title"] == "wirewatch" and spec["info"]["version"]
    assert set(spec["paths"]) == API_PATHS  # the pages and feeds are not part of the API
    refs: list[str] = []

    def collect(node: Any) -> None:
        if isinstance(node, dict):
            refs.extend(v for k, v in node.items() if k == "$ref")
            for value in node.values():
                collect(value)
        elif isinstance(node, list):
            for value in node:
                collect(value)

    collect(spec)
    assert refs and all(_resolve(spec, ref) for ref in refs)
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            assert method == "get" and operation["summary"] and "200" in operation["responses"]
            for parameter in operation.get("parameters", []):
                assert parameter["in"] in ("query", "path")
                if parameter["in"] == "path":
                    assert "{" + parameter["name"] + "}" in path and parameter["required"]
                else:
                    assert parameter.get("description") or parameter["schema"].get("description"), parameter["name"]
    search = {p["name"] for p in spec["paths"]["/api/search"]["get"]["parameters"]}
    assert search == {
        "q",
        "source",
        "language",
        "status",
        "since",
        "until",
        "order",
        "page",
        "limit",
        "collapse",
        "exact_spelling",
    }


def test_openapi_describes_the_errors_the_api_gives(client: TestClient) -> None:
    spec = client.get("/api/openapi.json").json()
    problem = spec["components"]["schemas"]["Problem"]
    assert set(problem["properties"]) == {"error"} and problem["required"] == ["error"]
    assert problem["properties"]["error"]["type"] == "string"
    assert not {"HTTPValidationError", "ValidationError"} & set(spec["components"]["schemas"])
    for path, operations in spec["paths"].items():
        responses = operations["get"]["responses"]
        assert "422" not in responses, path
        errors = ("400", "404") if operations["get"].get("parameters") else ()
        for status in errors:
            schema = responses[status]["content"]["application/json"]["schema"]
            assert _resolve(spec, schema["$ref"]) == problem, (path, status)
    assert "404" in spec["paths"]["/api/articles/{article_id}"]["get"]["responses"]


def test_docs_page_lists_every_path_and_parameter(client: TestClient) -> None:
    spec = client.get("/api/openapi.json").json()
    doc = page(client.get("/api/docs"))
    assert text_of(one(doc, "//h1")) == "JSON API"
    headings = {text_of(h) for h in doc.xpath("//section[@class='endpoint']/h2")}
    assert headings == {f"GET {path}" for path in API_PATHS}
    for path, operations in spec["paths"].items():
        section = one(doc, f"//section[h2[normalize-space()='GET {path}']]")
        assert operations["get"]["summary"] in text_of(section)
        parameters = section.xpath(".//table[caption[starts-with(normalize-space(), 'Parameters of')]]//tbody/tr/th")
        names = [text_of(th).removesuffix(" (required)") for th in parameters]
        assert names == [p["name"] for p in operations["get"].get("parameters", [])]
        # The answer's fields, nested lists spelled out: the same names as the JSON itself.
        answer = [text_of(th) for th in section.xpath(".//table[caption='The answer']//tbody/tr/th")]
        schema = operations["get"]["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[
            1
        ]
        assert set(spec["components"]["schemas"][schema]["properties"]) <= set(answer)
    search = one(doc, "//section[h2[normalize-space()='GET /api/search']]")
    assert {"hits[].snippet", "hits[].highlights"} <= {text_of(th) for th in search.xpath(".//tbody/tr/th")}
    assert one(doc, "//a[@href='/api/openapi.json']") is not None


@pytest.mark.parametrize(
    ("url", "named"),
    [
        ("/api/articles?after=garbage", "after 'garbage'"),
        ("/api/articles?since=2012-99", "since '2012-99'"),
        ("/api/articles?until=June", "until 'June'"),
        ("/api/articles?order=best", "order 'best'"),
        ("/api/articles?limit=0", "limit '0'"),
        ("/api/articles?limit=501", "limit '501'"),
        ("/api/articles?limit=many", "limit 'many'"),
        ('/api/search?q="unclosed', "unclosed quote"),
        ("/api/search?q=AND", "expected a word or phrase"),
        ("/api/search?q=x&since=2012-99", "since '2012-99'"),
        ("/api/search?q=x&since=2013&until=2012", "since '2013' is after until '2012'"),
        ("/api/search?q=x&source=Nope", "source 'Nope'"),
        ("/api/search?q=x&page=abc", "page 'abc'"),
        ("/api/search?q=x&page=0", "page '0'"),
        ("/api/search?q=x&limit=1001", "limit '1001'"),
        ("/api/search?q=x&order=best", "order 'best'"),
    ],
)
def test_bad_parameters_are_400_json_naming_them(client: TestClient, url: str, named: str) -> None:
    response = client.get(url)
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert list(body) == ["error"] and named in body["error"], body


def test_the_description_declares_what_the_parameters_accept(client: TestClient) -> None:
    """The OpenAPI document and the API agree (tests/web/test_openapi_fuzz.py checks it
    at large): dates, languages, statuses, kinds, countries and entity types are declared
    with the patterns and lists the API reads, and what they leave out answers 400."""
    spec = client.get("/api/openapi.json").json()

    def accepts(path: str, name: str) -> dict[str, Any]:
        found = [p["schema"] for p in spec["paths"][path]["get"]["parameters"] if p["name"] == name]
        schema = found[0]
        options = [o for o in schema.get("anyOf", [schema]) if o.get("type") != "null"]
        return options[0] if len(options) == 1 else {"anyOf": options}

    day = {
        "anyOf": [
            {"type": "string", "pattern": r"^(?!0000)[0-9]{4}(-(0[1-9]|1[0-2]))?$"},
            {"type": "string", "format": "date"},
        ]
    }
    for path in ("/api/articles", "/api/search", "/api/relations/{a}/{b}"):
        assert accepts(path, "since") == accepts(path, "until") == day, path
    assert accepts("/api/search", "language")["items"] == {"type": "string", "pattern": "^[A-Za-z]{2,3}$"}
    assert accepts("/api/search", "status")["items"]["enum"] == ["live", "edited", "deleted"]
    assert accepts("/api/search", "source")["items"] == {"type": "string", "minLength": 1}
    assert accepts("/api/changes", "kind")["items"]["enum"] == ["edited", "deleted", "restored"]
    assert accepts("/api/relations/{a}/{b}", "a")["pattern"] == "^[A-Za-z]{3}$"
    assert "visit" in accepts("/api/relations/{a}/{b}", "type")["items"]["enum"]
    assert accepts("/api/entities/{entity_type}/{entity_id}", "entity_type")["enum"] == [
        "person",
        "organization",
        "country",
    ]
    assert (accepts("/api/search", "limit")["minimum"], accepts("/api/search", "limit")["maximum"]) == (1, 1000)
    refused = {
        "/api/search?language=true": "language 'true'",
        "/api/search?language=": "language ''",
        "/api/search?status=": "status ''",
        "/api/search?source=": "source ''",
        "/api/search?since=": "since ''",
        "/api/articles?since=": "since ''",
        "/api/articles?source=": "source ''",
        "/api/articles?until=1": "until '1'",  # a year is four digits, as declared
        "/api/articles?since=%D9%A2%D9%A0%D9%A1%D9%A2": "since '٢٠١٢'",  # and ASCII ones
        "/api/changes?kind=": "kind ''",
    }
    for url, named in refused.items():
        response = client.get(url)
        assert response.status_code == 400 and named in response.json()["error"], (url, response.text)
    for url in ("/api/search?language=EN&since=2011&until=2012-03", "/api/articles?since=2011-03-05"):
        assert client.get(url).status_code == 200, url


def test_unknown_source_filter_is_a_bad_parameter(client: TestClient) -> None:
    response = client.get("/api/articles", params={"source": "Nope"})
    assert response.status_code == 400 and "source 'Nope'" in response.json()["error"]


@pytest.mark.parametrize("url", ["/articles/²", "/api/articles/²", "/articles/４１"])
def test_article_number_in_other_digits_is_not_found(lenient_client: TestClient, url: str) -> None:
    assert lenient_client.get(url).status_code == 404


@pytest.mark.parametrize("url", ["/api/articles", "/sources/KCNA"])
def test_a_huge_list_position_is_a_bad_request(lenient_client: TestClient, url: str) -> None:
    """An article number in a position is at most 2**63 - 1, what a database stores."""
    for ident in ("99999999999999999999", str(2**63), "１２"):
        assert lenient_client.get(url, params={"after": f"2012-01-01_{ident}"}).status_code == 400, ident
    assert lenient_client.get(url, params={"after": f"2012-01-01_{2**63 - 1}"}).status_code == 200


def test_a_source_imported_while_the_server_runs_is_searchable_at_once(tmp_path: Path) -> None:
    """The figures are cached for 30 s; a filter on a source imported meanwhile must not 400."""
    from tests.conftest import write_jsonl
    from tests.web.conftest import build_archive, serve

    db = build_archive(
        tmp_path / "live.db",
        [
            write_jsonl(
                tmp_path / "a.jsonl", [{"source": "KCNA", "title": "One", "date": "2012-01-01", "body": "First text."}]
            )
        ],
    )
    for client in serve(db):
        assert client.get("/api/stats").json()["sources"] == {"KCNA": 1}  # now cached
        build_archive(
            db,
            [
                write_jsonl(
                    tmp_path / "b.jsonl",
                    [{"source": "New Wire", "title": "Two", "date": "2012-01-02", "body": "Second text."}],
                )
            ],
        )
        assert client.get("/api/search", params={"q": "Second", "source": "new wire"}).json()["total"] == 1
        assert client.get("/api/articles", params={"source": "New Wire"}).json()["articles"][0]["title"] == "Two"
        assert client.get("/search", params={"q": "Second", "source": "New Wire"}).status_code == 200
        assert client.get("/api/search", params={"source": "Old Wire"}).status_code == 400
