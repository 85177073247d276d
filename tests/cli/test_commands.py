"""The other commands: help, show, stats, export, errors at the boundary."""

from __future__ import annotations

import csv
import gzip
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import Invoke, write_jsonl
from wirewatch.cli import app

COMMANDS = ["import", "search", "show", "stats", "export", "demo"]

STORIES = [
    {
        "source": "KCNA",
        "title": "Talks Held",
        "date": "2011-05-10",
        "url": "http://example.org/a",
        "language": "en",
        "body": "Talks were held.\n\nBoth sides agreed.",
        "category": "diplomacy",
    },
    {
        "source": "Rodong Sinmun",
        "title": "Editorial",
        "date": "2012-01-01",
        "language": "en",
        "body": "A joint editorial was published.",
    },
    {
        "source": "KCNA",
        "title": "Talks Repeated",
        "date": "2011-05-11",
        "language": "en",
        "body": "Talks were held.\n\nBoth sides agreed.",
    },
]


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(command: str) -> None:
    result = CliRunner().invoke(app, [command, "--help"])
    assert result.exit_code == 0
    assert "Usage:" in result.stdout and "--help" in result.stdout


def test_stats(cli: Invoke, tmp_path: Path) -> None:
    cli("import", str(write_jsonl(tmp_path / "s.jsonl", STORIES)))
    stats = cli("stats", "--json").json()
    assert stats == {
        "articles": 3,
        "duplicates": 1,
        "sources": {"KCNA": 2, "Rodong Sinmun": 1},
        "languages": {"en": 2},
        "first_date": "2011-05-10",
        "last_date": "2012-01-01",
        "undated": 0,
        "derived_titles": 0,
    }
    human = cli("stats").stdout
    assert "3 articles (1 duplicates of another)" in human and "Rodong Sinmun" in human


def test_show_unknown_id(cli: Invoke, tmp_path: Path) -> None:
    cli("import", str(write_jsonl(tmp_path / "s.jsonl", STORIES)))
    result = cli("show", "999")
    assert result.exit_code == 1 and "no article 999" in result.stderr


def test_show_raw_gives_the_input_record(cli: Invoke, tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "s.jsonl", STORIES)
    cli("import", str(path))
    raw = cli("show", "1", "--raw", "--json").json()
    assert raw["input"] == str(path) and raw["line"] == 1 and raw["kind"] == "jsonl"
    assert json.loads(raw["raw"]) == STORIES[0]
    assert cli("show", "1", "--json").json()["metadata"] == {"category": "diplomacy"}


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_export_reads_back_into_an_equal_archive(cli: Invoke, tmp_path: Path, fmt: str) -> None:
    cli("import", str(write_jsonl(tmp_path / "s.jsonl", STORIES)))
    out = tmp_path / f"export.{fmt}.gz"
    result = cli("export", "--format", fmt, "--out", str(out))
    assert result.exit_code == 0 and "exported 3 articles" in result.stderr
    with gzip.open(out, "rt", encoding="utf-8", newline="") as handle:
        rows = [json.loads(line) for line in handle] if fmt == "jsonl" else list(csv.DictReader(handle))
    assert [r["title"] for r in rows] == ["Talks Held", "Editorial", "Talks Repeated"]
    assert rows[2]["body"] == STORIES[2]["body"]  # a duplicate exports its text too

    copy = tmp_path / "copy.db"
    again = cli("import", str(out), "--json", database=copy)
    assert again.exit_code == 0, again.stderr
    assert (again.json()["added"], again.json()["duplicates"]) == (2, 1)
    for i in (1, 2, 3):
        before, after = cli("show", str(i), "--json").json(), cli("show", str(i), "--json", database=copy).json()
        for key in ("title", "source", "date", "url", "language", "body"):
            assert before[key] == after[key]


def test_csv_export_cells_a_spreadsheet_would_run_are_text_and_import_back(cli: Invoke, tmp_path: Path) -> None:
    """As the web's /search.csv: a cell starting with = + - or @ gets a leading apostrophe
    (a spreadsheet would run it as a formula); importing the file takes it off again."""
    formula = '=HYPERLINK("http://evil.example","Russia")'
    records: list[dict[str, object]] = [
        {
            "source": "@Wire",
            "title": formula,
            "date": "2012-05-01",
            "language": "en",
            "body": "- a list item\n\n+7 more",
        },
        {"source": "KCNA", "title": "Plain title", "date": "2012-05-02", "language": "en", "body": "Plain body."},
    ]
    cli("import", str(write_jsonl(tmp_path / "s.jsonl", records)))
    out = tmp_path / "export.csv"
    assert cli("export", "--format", "csv", "--out", str(out)).exit_code == 0
    with out.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert (rows[0]["title"], rows[0]["source"], rows[0]["body"]) == (
        "'" + formula,
        "'@Wire",
        "'- a list item\n\n+7 more",
    )
    assert (rows[1]["title"], rows[1]["body"]) == ("Plain title", "Plain body.")
    copy = tmp_path / "copy.db"
    assert cli("import", str(out), database=copy).exit_code == 0
    for i in (1, 2):
        before, after = cli("show", str(i), "--json").json(), cli("show", str(i), "--json", database=copy).json()
        assert (after["title"], after["source"], after["body"]) == (before["title"], before["source"], before["body"])


def test_export_to_stdout_and_bad_format(cli: Invoke, tmp_path: Path) -> None:
    cli("import", str(write_jsonl(tmp_path / "s.jsonl", STORIES)))
    lines = cli("export").stdout.splitlines()
    assert len(lines) == 3 and json.loads(lines[0])["category"] == "diplomacy"
    bad = cli("export", "--format", "xml")
    assert bad.exit_code == 2 and "--format 'xml'" in bad.stderr


def test_not_an_archive_is_a_message(cli: Invoke, tmp_path: Path) -> None:
    bogus = tmp_path / "bogus.db"
    bogus.write_bytes(b"this is not an sqlite file at all" * 100)
    result = cli("stats", database=bogus)
    assert result.exit_code == 2
    assert "not a wirewatch archive" in result.stderr and "Traceback" not in result.stderr


def test_db_from_environment(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "s.jsonl", STORIES)
    target = tmp_path / "env.db"
    runner = CliRunner(env={"WIREWATCH_DB": str(target)})
    assert runner.invoke(app, ["import", str(path)]).exit_code == 0
    assert target.exists()


def test_bad_date_option(cli: Invoke) -> None:
    result = cli("search", "x", "--since", "June")
    assert result.exit_code == 2 and "--since 'June'" in result.stderr


def test_debug_shows_the_traceback(tmp_path: Path) -> None:
    bogus = tmp_path / "bogus.db"
    bogus.write_bytes(b"x" * 5000)
    result = CliRunner().invoke(app, ["--db", str(bogus), "--debug", "stats"])
    assert result.exception is not None and "not a wirewatch archive" in str(result.exception)
