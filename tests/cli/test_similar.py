"""`wirewatch similar ID`, and the links the import makes for it: copies, reprints, translations
and formula siblings found among the articles of one import, story threads with their lags, and
`reprocess --stage compare` for an archive imported with the comparison off. On both back ends."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.cli.test_compare import EN, ES, GREETING, REPRINT, SIBLING
from tests.conftest import Invoke, write_jsonl

RECORDS = [
    {"source": "KCNA", "title": "Pak Ui Chun Meets UN Official", "date": "2011-10-18", "language": "en", "body": EN},
    {"source": "KCNA", "title": "Pak Ui Chun se reune con Valerie Amos", "date": "2011-10-18", "body": ES},
    {"source": "KCNA", "title": "Greetings to President of Benin", "date": "2011-08-01", "body": GREETING},
    {"source": "KCNA", "title": "Greetings to President of Cyprus", "date": "2011-08-08", "body": SIBLING},
    {"source": "KCNA", "title": "Message to Benin", "date": "2011-08-05", "body": GREETING},
    {"source": "Rodong Sinmun", "title": "Greetings to Benin", "date": "2011-08-02", "body": REPRINT},
    {"source": "KCNA", "title": "Headline Only", "date": "2011-08-03"},
    # The same greeting three months later: outside the window (14 days), so not compared.
    {"source": "KCNA", "title": "Greetings Again", "date": "2011-11-20", "body": REPRINT + " Again."},
]


def _similar(cli: Invoke, ident: int) -> dict[str, Any]:
    result = cli("similar", str(ident), "--json")
    assert result.exit_code == 0, result.stderr
    found = result.json()
    assert isinstance(found, dict)
    return found


def _links(found: dict[str, Any]) -> dict[int, str]:
    return {item["id"]: item["relation"] for item in found["similar"]}


def test_the_import_links_copies_reprints_translations_and_formulas(cli: Invoke, tmp_path: Path) -> None:
    result = cli("import", str(write_jsonl(tmp_path / "stories.jsonl", RECORDS)), "--json")
    assert result.exit_code == 0, result.stderr
    compared = result.json()["compared"]  # type: ignore[index]
    assert compared["examined"] == len(RECORDS) and compared["links"]["translation"] == 1

    greeting = _similar(cli, 3)
    assert set(greeting) == {"id", "similar", "story"} and greeting["id"] == 3
    assert _links(greeting) == {5: "duplicate", 6: "reprint", 4: "template"}
    assert [item["relation"] for item in greeting["similar"]] == ["duplicate", "reprint", "template"]  # strongest first
    for item in greeting["similar"]:
        assert set(item) == {"id", "relation", "score", "source", "language", "date", "title", "rule", "slots"}
        assert isinstance(item["score"], float) and 0 < item["score"] <= 1
    reprint = next(item for item in greeting["similar"] if item["id"] == 6)
    assert (reprint["source"], reprint["date"], reprint["title"]) == (
        "Rodong Sinmun",
        "2011-08-02",
        "Greetings to Benin",
    )
    template = next(item for item in greeting["similar"] if item["id"] == 4)
    assert {"kind": "country", "here": "Benin", "there": "Cyprus"} in template["slots"]

    # The story: the first carrier, then each outlet that followed, with its lag in days.
    story = greeting["story"]
    assert story["id"] == 3
    assert [(m["id"], m["source"], m["lag_days"]) for m in story["members"]] == [
        (3, "KCNA", 0),
        (6, "Rodong Sinmun", 1),
        (5, "KCNA", 4),
    ]
    # The formula sibling is never in the story; its own view names the greeting as a template.
    sibling = _similar(cli, 4)
    assert sibling["story"] is None and _links(sibling) == {3: "template", 6: "template"}
    assert {"kind": "country", "here": "Cyprus", "there": "Benin"} in next(
        s for s in sibling["similar"] if s["id"] == 3
    )["slots"]

    english = _similar(cli, 1)
    assert _links(english) == {2: "translation"}
    assert [m["id"] for m in english["story"]["members"]] == [1, 2]
    assert _similar(cli, 8)["similar"] == []  # outside the window
    assert _similar(cli, 7) == {"id": 7, "similar": [], "story": None}  # a headline has no text to compare


def test_similar_reads_for_a_person(cli: Invoke, tmp_path: Path) -> None:
    assert cli("import", str(write_jsonl(tmp_path / "stories.jsonl", RECORDS))).exit_code == 0
    result = cli("similar", "3")
    assert result.exit_code == 0, result.stderr
    assert "first carried by KCNA" in " ".join(result.stdout.split())
    assert "reprint" in result.stdout and "Rodong Sinmun" in result.stdout and "template" in result.stdout
    missing = cli("similar", "999")
    assert missing.exit_code != 0 and "no article 999" in missing.stderr and "Traceback" not in missing.stderr


@pytest.fixture
def without_comparison(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WIREWATCH_COMPARE_WINDOW", "0")


def test_reprocess_compare_links_an_archive_imported_without(
    cli: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WIREWATCH_COMPARE_WINDOW", "0")
    result = cli("import", str(write_jsonl(tmp_path / "stories.jsonl", RECORDS)), "--json")
    assert result.exit_code == 0 and "compared" in result.json()  # type: ignore[operator]
    assert _similar(cli, 3)["similar"] == []
    monkeypatch.delenv("WIREWATCH_COMPARE_WINDOW")
    first = cli("reprocess", "--stage", "compare", "--json")
    assert first.exit_code == 0, first.stderr
    summary = first.json()
    assert summary["stages"] == ["compare"] and summary["compared"]["examined"] == len(RECORDS)  # type: ignore[index]
    linked = _similar(cli, 3)
    assert _links(linked) == {5: "duplicate", 6: "reprint", 4: "template"}
    # Again: every link forgotten and made again, the same.
    assert cli("reprocess", "--stage", "compare").exit_code == 0
    assert _similar(cli, 3) == linked
    # A later import compares only its own articles, against those already there.
    later = [{"source": "Minju Joson", "title": "Greetings", "date": "2011-08-03", "body": GREETING}]
    more = cli("import", str(write_jsonl(tmp_path / "later.jsonl", later)), "--json")
    assert more.json()["compared"]["examined"] == 1  # type: ignore[index]
    # An exact copy: linked to its original and to the original's other copy.
    assert _links(_similar(cli, 9)) == {3: "duplicate", 5: "duplicate"}
    assert [m["id"] for m in _similar(cli, 3)["story"]["members"]] == [3, 6, 9, 5]


def test_a_window_of_0_turns_the_comparison_off(cli: Invoke, tmp_path: Path, without_comparison: None) -> None:
    result = cli("import", str(write_jsonl(tmp_path / "stories.jsonl", RECORDS)), "--json")
    assert result.json()["compared"]["examined"] == 0  # type: ignore[index]
    assert _similar(cli, 1) == {"id": 1, "similar": [], "story": None}
