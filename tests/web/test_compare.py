"""`/compare/A/B` and `/api/compare/{a}/{b}`: the stories of tests/cli/test_compare.py,
imported into an archive on each back end and read through the ASGI app."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from starlette.testclient import TestClient

from tests.cli.test_compare import RECORDS
from tests.conftest import write_jsonl
from tests.web.conftest import build_archive, serve


@pytest.fixture(scope="module")
def compare_client(location: Callable[[str], str], tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    folder = tmp_path_factory.mktemp("compare")
    db = build_archive(location("compare"), [write_jsonl(folder / "stories.jsonl", RECORDS)])
    yield from serve(db)


def test_the_api_gives_the_cli_contract(compare_client: TestClient) -> None:
    found = compare_client.get("/api/compare/3/4").json()
    assert set(found) == {"a", "b", "relation", "similarity", "changes", "slots"}
    assert (found["a"], found["b"], found["relation"]) == (3, 4, "template")
    assert {"kind": "country", "a": "Benin", "b": "Cyprus"} in found["slots"]
    assert compare_client.get("/api/compare/1/2").json()["relation"] == "translation"
    assert compare_client.get("/api/compare/3/5").json()["relation"] == "duplicate"
    assert compare_client.get("/api/compare/3/6").json()["relation"] == "reprint"
    paths = compare_client.get("/api/openapi.json").json()["paths"]
    assert "/api/compare/{a}/{b}" in paths


@pytest.mark.parametrize(
    ("path", "status", "message"),
    [
        ("/api/compare/99/1", 404, "no article 99"),
        ("/api/compare/1/1", 400, "compared with itself"),
        ("/api/compare/1/7", 400, "headline without text"),
        ("/api/compare/one/2", 404, ""),
    ],
)
def test_bad_input_is_answered_with_a_message(compare_client: TestClient, path: str, status: int, message: str) -> None:
    answer = compare_client.get(path)
    assert answer.status_code == status
    assert message.lower() in answer.json()["error"].lower()


def test_the_page_shows_both_texts_the_changes_and_the_slots(compare_client: TestClient) -> None:
    page = compare_client.get("/compare/3/4")
    assert page.status_code == 200
    html = page.text
    assert "Greetings to President of Benin" in html and "Greetings to President of Cyprus" in html
    assert '<del class="sub">Monday</del>' in html and '<ins class="sub">Thursday</ins>' in html
    assert "Slots that differ" in html and "<td>Benin</td><td>Cyprus</td>" in html
    assert 'href="/api/compare/3/4"' in html
    translation = compare_client.get("/compare/1/2").text
    assert "Pak Ui Chun se reune con Valerie Amos" in translation and "<del" not in translation.split("side-by-side")[1]
    assert compare_client.get("/compare/1/1").status_code == 400
    assert compare_client.get("/compare/1/99").status_code == 404
