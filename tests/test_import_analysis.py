"""Analysis at import: every new article stored with its entities and events, in the
worker process too; none with --no-analysis; a capture's new text replaces its
analysis; `reprocess --stage analyse` redoes it with today's actor data; `copy` carries it."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest

from tests.conftest import Invoke, write_jsonl
from wirewatch.analysis.actors import Actors
from wirewatch.clean.boilerplate import BoilerplateRules
from wirewatch.clean.record import CleanOptions
from wirewatch.models import RawRecord
from wirewatch.pipeline.importer import run_import
from wirewatch.pipeline.prepare import ImportSummary, prepare
from wirewatch.store import open_store

LAVROV = "Kim Jong Un met Russian Foreign Minister Sergei Lavrov in Pyongyang on Thursday."
RECORDS = [
    {"source": "KCNA", "title": "Talks Held", "date": "2018-05-31", "body": LAVROV},
    {
        "source": "KCNA",
        "title": "Harvest Gathered",
        "date": "2012-10-01",
        "body": "Farmers in Pak Chol-su's county gathered maize.",
    },
    # The same text under another title and date: a duplicate, analysed on its own.
    {"source": "Rodong Sinmun", "title": "Talks In Pyongyang", "date": "2018-06-01", "body": LAVROV},
]
#: An extra actor file: a person the packaged data does not know.
EXTRA = """
[[person]]
id = "pak-chol-su"
name = "Pak Chol Su"
country = "PRK"
aliases = ["Pak Chol-su"]
"""


def _entities(db: str) -> dict[int, set[tuple[str, str]]]:
    store = open_store(db)
    try:
        ids = range(1, store.stats().articles + 1)
        return {i: {(e.type, e.id) for e in store.entities_of(i)} for i in ids}
    finally:
        store.close()


def _events(db: str, article_id: int) -> list[tuple[str, str | None, str | None]]:
    store = open_store(db)
    try:
        return [(e.type, e.actor.country, e.target.country) for e in store.events_of(article_id)]
    finally:
        store.close()


def test_an_import_stores_each_articles_analysis(cli: Invoke, db: str, tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "news.jsonl", RECORDS)
    summary = cli("import", str(path), "--json").json()
    assert (summary["added"], summary["duplicates"]) == (2, 1)  # type: ignore[index]
    found = _entities(db)
    assert {("person", "kim-jong-un"), ("person", "sergey-lavrov"), ("country", "RUS")} <= found[1]
    assert found[3] == found[1]  # the duplicate has its own rows
    assert ("meeting", "PRK", "RUS") in _events(db, 1) and _events(db, 3) == _events(db, 1)
    assert ("person", "pak-chol-su") not in found[2]
    # Imported again: nothing new, no second set of rows.
    cli("import", str(path))
    assert _entities(db) == found and len(_events(db, 1)) == len(set(_events(db, 1)))


def test_no_analysis_stores_none_and_reprocess_analyses_with_new_actor_data(
    cli: Invoke, db: str, tmp_path: Path
) -> None:
    path = write_jsonl(tmp_path / "news.jsonl", RECORDS)
    extra = tmp_path / "people.toml"
    extra.write_text(EXTRA, encoding="utf-8")
    assert cli("import", str(path), "--no-analysis").exit_code == 0
    assert _entities(db) == {1: set(), 2: set(), 3: set()} and _events(db, 1) == []
    assert cli("import", str(path), "--no-analysis", "--actors", str(extra)).exit_code == 2

    dry = cli("reprocess", "--stage", "analyse", "--workers", "0", "--dry-run", "--json").json()
    assert (dry["examined"], dry["analysed"], dry["changed"]) == (3, 3, 0)  # type: ignore[index]
    assert _entities(db)[1] == set()
    run = cli("reprocess", "--stage", "analyse", "--workers", "0", "--actors", str(extra), "--json").json()
    assert run["analysed"] == 3  # type: ignore[index]
    found = _entities(db)
    assert ("person", "pak-chol-su") in found[2] and ("person", "sergey-lavrov") in found[
        3
    ]  # a duplicate: its original's text
    # Without the extra file the person is gone again: the analysis is replaced, not added to.
    cli("reprocess", "--stage", "analyse", "--stage", "clean", "--workers", "0")
    assert ("person", "pak-chol-su") not in _entities(db)[2]
    assert _entities(db)[1] == found[1] and len(_events(db, 1)) == len(set(_events(db, 1)))


def test_the_worker_process_analyses_the_same(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "news.jsonl", RECORDS)
    actors, clean = Actors.load([]), CleanOptions(rules=BoilerplateRules.load())
    results = []
    for workers in (0, 1):
        db = str(tmp_path / f"w{workers}.db")
        store = open_store(db)
        run_import(store, [str(path)], clean, workers=workers, actors=actors)  # type: ignore[arg-type]
        results.append(([store.entities_of(i) for i in (1, 2, 3)], [store.events_of(i) for i in (1, 2, 3)]))
        store.close()
    assert results[0] == results[1] and results[0][1][0]


@pytest.mark.parametrize("behind", [True, False])
def test_a_chunk_is_analysed_by_whichever_process_has_time(tmp_path: Path, behind: bool) -> None:
    """The worker analyses a chunk only while the importing process is behind; else the
    importing process does, on unpacking it. The articles come out the same either way."""
    from types import SimpleNamespace

    from wirewatch.ingest import ReadOptions, read_inputs
    from wirewatch.pipeline.prepare import prepare_chunks, unpack

    paths = [str(write_jsonl(tmp_path / "news.jsonl", RECORDS))]
    actors, clean = Actors.load([]), CleanOptions(rules=BoilerplateRules.load())
    read = ReadOptions(boilerplate=clean.rules)
    done = SimpleNamespace(value=-100 if behind else 100)  # chunks the importing process has done
    *chunks, summary = prepare_chunks(paths, read, clean, actors, done)  # type: ignore[arg-type]
    packed = [item for chunk in chunks for item in chunk]
    assert all((item[3] is not None) is behind for item in packed)  # its entities: analysed in the worker
    inline = list(prepare(read_inputs(paths, read), clean, ImportSummary(), actors))
    # the records' fields stay in the worker: the store keeps a record's text as read
    inline = [dataclasses.replace(i, raw=dataclasses.replace(i.raw, fields={})) for i in inline]
    assert [unpack(item, actors) for item in packed] == inline and summary.read == len(RECORDS)


def test_a_captures_new_text_replaces_its_analysis(db: str) -> None:
    actors, clean = Actors.load([]), CleanOptions(rules=BoilerplateRules.load())
    store = open_store(db)
    try:
        for day, body in ((1, LAVROV), (2, "Kim Jong Un received a delegation of China.")):
            fields = {
                "source": "KCNA",
                "title": "Talks",
                "date": "2018-05-31",
                "body": body,
                "url": "http://kcna.example/1",
            }
            seen = dt.datetime(2018, 6, day, tzinfo=dt.UTC)
            record = RawRecord("crawl", None, "page", fields, body, captured_at=seen)
            store.add_batch(list(prepare([record], clean, ImportSummary(), actors)))
        found = {(e.type, e.id) for e in store.entities_of(1)}
        assert ("country", "CHN") in found and ("person", "sergey-lavrov") not in found
        assert store.history(1)[-1].body.startswith("Kim Jong Un received")
    finally:
        store.close()


@pytest.mark.parametrize("db", ["sqlite"], indirect=True)
def test_copy_carries_the_analysis(cli: Invoke, db: str, tmp_path: Path, postgresql_db: str) -> None:
    path = write_jsonl(tmp_path / "news.jsonl", RECORDS)
    assert cli("import", str(path)).exit_code == 0
    copied = cli("copy", "--from", db, "--to", postgresql_db, "--json").json()
    assert copied["verified"]  # type: ignore[index]
    assert copied["counts"]["article_entities"]["from"] == copied["counts"]["article_entities"]["to"] > 0  # type: ignore[index]
    assert copied["counts"]["article_events"]["from"] == copied["counts"]["article_events"]["to"] > 0  # type: ignore[index]
    assert _entities(postgresql_db) == _entities(db)
    assert _events(postgresql_db, 3) == _events(db, 3)


def test_an_id_too_long_for_its_column_is_cut_and_stays_distinct(db: str) -> None:
    from wirewatch.models import EntityCount
    from wirewatch.store.analysis import ID_LENGTH, write_analysis

    store = open_store(db)
    try:
        records = [RawRecord("x", 1, "jsonl", {"title": "Council Meets", "body": "A council met."}, "{}")]
        store.add_batch(list(prepare(records, CleanOptions(rules=BoilerplateRules.load()), ImportSummary())))
        long = ["council-" + "of-the-volunteers-corps-" * 10 + suffix for suffix in ("a", "b")]
        with store.writer.begin() as conn:
            write_analysis(conn, [(1, [EntityCount("organization", i, i, None, 1) for i in long], [])], replace=True)
        stored = [e.id for e in store.entities_of(1)]
        assert len(set(stored)) == 2 and all(len(i) == ID_LENGTH for i in stored)
    finally:
        store.close()
