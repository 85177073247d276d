"""`wirewatch copy`: SQLite → PostgreSQL → SQLite, with nothing lost, changed or renumbered."""

from __future__ import annotations

import importlib.resources
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.conftest import Invoke, write_jsonl
from wirewatch.store.engine import database_url

_FOLDER = Path(str(importlib.resources.files("wirewatch") / "sample"))
#: The sample's articles (the folder also holds its PROVENANCE.md).
SAMPLE = [str(p) for p in sorted(_FOLDER.iterdir()) if p.suffix in (".jsonl", ".txt")]


@pytest.fixture
def db(tmp_path: Path) -> str:
    """These tests name both archives themselves: the cli fixture's own goes unused."""
    return str(tmp_path / "unused.db")


QUERIES = ["Russia", '"Federation Council"', "Lavrov OR Medvedev", "Russia* NOT Soviet", "김정은", "países"]


def _searches(cli: Invoke, db: str) -> list[object]:
    return [cli("search", q, "--order", "newest", "--limit", "50", "--json", database=db).json() for q in QUERIES]  # type: ignore[arg-type]


def _scoreless(results: list[object]) -> list[object]:
    return [{**r, "hits": [{k: v for k, v in h.items() if k != "score"} for h in r["hits"]]} for r in results]  # type: ignore[index,union-attr,attr-defined]


def test_a_round_trip_through_postgresql_keeps_everything(cli: Invoke, tmp_path: Path, postgresql_db: str) -> None:
    first, back = str(tmp_path / "first.db"), str(tmp_path / "back.db")
    assert cli("import", *SAMPLE, database=first).exit_code == 0  # type: ignore[arg-type]
    there = cli("copy", "--from", first, "--to", postgresql_db, "--json")
    engine = sa.create_engine(database_url(postgresql_db))
    with engine.connect() as conn:  # the planner knows the copied rows at once (ANALYZE)
        planned = conn.scalar(sa.text("SELECT reltuples FROM pg_class WHERE relname = 'articles'"))
    engine.dispose()
    assert planned == 47
    assert there.exit_code == 0, there.stderr
    summary = there.json()
    assert summary["verified"] and summary["copied"] == 47 and summary["already"] == 0
    assert summary["counts"]["articles"] == {"from": 47, "to": 47}
    assert summary["checksums"]["from"] == summary["checksums"]["to"]
    home = cli("copy", "--from", postgresql_db, "--to", back, "--json")
    assert home.exit_code == 0 and home.json()["checksums"] == summary["checksums"]

    searched = _searches(cli, first)
    assert _scoreless(_searches(cli, postgresql_db)) == _scoreless(searched)
    assert _searches(cli, back) == searched
    for db in (postgresql_db, back):  # the same numbers, texts and links
        for ident in ("1", "33", "42"):
            assert (
                cli("show", ident, "--json", database=db).json() == cli("show", ident, "--json", database=first).json()
            )  # type: ignore[arg-type]

    # The copy is a working archive: the next article imported gets the next number.
    more = write_jsonl(
        tmp_path / "more.jsonl",
        [{"source": "KCNA", "title": "After the Move", "date": "2012-09-01", "body": "A new story."}],
    )
    assert cli("import", str(more), "--json", database=postgresql_db).json()["added"] == 1  # type: ignore[arg-type]
    assert cli("search", "title:move", "--json", database=postgresql_db).json()["hits"][0]["id"] == 48  # type: ignore[arg-type]


def test_a_second_copy_adds_only_what_is_new(cli: Invoke, tmp_path: Path, postgresql_db: str) -> None:
    """What makes an interrupted copy resumable: a run starts after the last article copied."""
    source = str(tmp_path / "a.db")
    cli("import", *SAMPLE, database=source)  # type: ignore[arg-type]
    assert cli("copy", "--from", source, "--to", postgresql_db, "--batch", "5").exit_code == 0
    more = write_jsonl(
        tmp_path / "more.jsonl",
        [{"source": "Naenara", "title": f"Story {n}", "date": "2012-09-01", "body": f"Text {n}."} for n in range(3)],
    )
    cli("import", str(more), database=source)  # type: ignore[arg-type]
    again = cli("copy", "--from", source, "--to", postgresql_db, "--json").json()
    assert (again["copied"], again["already"], again["verified"]) == (3, 47, True)
    assert again["counts"]["sources"] == {"from": 5, "to": 5}


def test_copying_onto_another_archive_is_refused(cli: Invoke, tmp_path: Path) -> None:
    one, other = str(tmp_path / "one.db"), str(tmp_path / "other.db")
    cli("import", *SAMPLE, database=one)  # type: ignore[arg-type]
    cli(
        "import",
        str(write_jsonl(tmp_path / "x.jsonl", [{"source": "KCNA", "title": "Else", "body": "Other text."}])),
        database=other,
    )  # type: ignore[arg-type]
    result = cli("copy", "--from", one, "--to", other)
    assert result.exit_code == 2 and "not an earlier copy of this archive" in " ".join(result.stderr.split())
    assert cli("copy", "--from", one, "--to", one).exit_code == 2
