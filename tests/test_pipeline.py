"""The import coordinator: with or without a worker process, the same archive and summary."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.conftest import write_jsonl
from wirewatch.clean.boilerplate import BoilerplateRules
from wirewatch.clean.record import CleanOptions
from wirewatch.pipeline.importer import ImportSummary, run_import
from wirewatch.store import open_store


def explode(text: str) -> str | None:
    raise ValueError("the language model is broken")


def _records() -> list[dict[str, object]]:
    records: list[dict[str, object]] = []
    for i in range(700):
        body = f"Story {i % 50} about the harvest in Kangwon Province, Pyongyang., The farmers met. Ünïcode."
        records.append(
            {
                "source": ["KCNA", "Rodong Sinmun"][i % 2],
                "title": f"Story {i}",
                "date": "2011-03-04",
                "language": "en",
                "body": body,
            }
        )
    records[10] = records[3]  # the same record twice: two rows, keys ":0" and ":1"
    records[20] = {"source": "KCNA", "title": "", "body": ""}  # no text: rejected
    records.append({"source": "Minju Joson", "title": "Last", "language": "en", "body": "Short."})
    return records


def _import(tmp_path: Path, name: str, path: Path, workers: int) -> tuple[ImportSummary, ImportSummary]:
    store = open_store(str(tmp_path / name))
    clean = CleanOptions(rules=BoilerplateRules.load())
    try:
        first = run_import(store, [str(path)], clean, batch_size=64, workers=workers)  # type: ignore[arg-type]
        again = run_import(store, [str(path)], clean, batch_size=64, workers=workers)  # type: ignore[arg-type]
    finally:
        store.close()
    return first, again


def _snapshot(db: Path) -> list[tuple[object, ...]]:
    with sqlite3.connect(db) as conn:
        return conn.execute(
            "SELECT a.id, s.name, a.title, a.body, a.body_hash, a.duplicate_of, a.record_key, r.line, r.raw "
            "FROM articles a JOIN sources s ON s.id = a.source_id JOIN article_raw r ON r.article_id = a.id "
            "ORDER BY a.id"
        ).fetchall()


def test_a_worker_process_makes_the_same_archive(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "in.jsonl", _records())
    with path.open("a", encoding="utf-8") as out:
        out.write("{not json\n")
    here, here_again = _import(tmp_path, "here.db", path, workers=0)
    worker, worker_again = _import(tmp_path, "worker.db", path, workers=1)

    assert worker.as_dict() == here.as_dict()
    assert worker_again.as_dict() == here_again.as_dict()
    assert (here.read, here.added, here.duplicates, here.rejected) == (701, 51, 649, 2)
    assert (here_again.unchanged, here_again.added) == (700, 0)
    rows = _snapshot(tmp_path / "here.db")
    assert _snapshot(tmp_path / "worker.db") == rows
    assert [row[6][-2:] for row in rows if row[2] == "Story 3"] == [":0", ":1"]
    assert "Pyongyang.\n\nThe farmers met." in rows[0][3]


@pytest.mark.parametrize("workers", [0, 1])
def test_an_unexpected_error_in_cleaning_rejects_its_record_and_the_import_goes_on(
    tmp_path: Path, workers: int
) -> None:
    """A bug met in one record (here a language detector that raises) is that record's
    rejection, in the worker process as here: the rest is stored, the traceback kept."""
    records = [
        {"title": f"T{i}", "body": f"Story {i}: a body with enough letters to detect.", "language": "en"}
        for i in range(300)
    ]
    records[7] = records[250] = {"title": "No language", "body": "A body whose language is detected."}
    path = write_jsonl(tmp_path / "in.jsonl", records)
    store = open_store(str(tmp_path / "a.db"))
    clean = CleanOptions(rules=BoilerplateRules.load(), detect=explode)
    try:
        summary = run_import(store, [str(path)], clean, batch_size=64, workers=workers)  # type: ignore[arg-type]
    finally:
        store.close()
    assert (summary.read, summary.added, summary.rejected) == (300, 298, 2)
    assert [(e.line, e.reason) for e in summary.errors] == [
        (line, "could not be cleaned: ValueError: the language model is broken") for line in (8, 251)
    ]
    assert all(e.detail and "Traceback" in e.detail and "explode" in e.detail for e in summary.errors)


def test_translation_candidates_tied_on_anchors_go_to_the_lower_ids() -> None:
    """The same archive gets the same links on every run: an article's translation candidates
    tied on shared anchors are the lowest ids, not whichever the hashing of the anchors (which
    changes between processes) counted first."""
    import datetime as dt

    from wirewatch.pipeline.linking import TRANSLATION_CANDIDATES, _Translations
    from wirewatch.store.links import Signed

    day = dt.date(2011, 8, 1)
    english = Signed(1, day, "en", b"", frozenset("abcdef"))
    # Five Spanish stories, each sharing two different anchors with the English one.
    shared = {2: "ef", 3: "cd", 4: "ab", 5: "ac", 6: "bd"}
    everyone = {1: english} | {i: Signed(i, day, "es", b"", frozenset(anchors)) for i, anchors in shared.items()}
    by_anchor: dict[tuple[str, dt.date], list[int]] = {}
    for s in sorted(everyone.values(), key=lambda s: s.id):
        for anchor in s.anchors:
            by_anchor.setdefault((anchor, day), []).append(s.id)
    assert TRANSLATION_CANDIDATES == 3
    assert _Translations(everyone, by_anchor).of(1) == {2, 3, 4}
