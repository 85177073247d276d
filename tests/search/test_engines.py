"""The tantivy engine against the SQL one, on SQLite and PostgreSQL: the same articles for
every query and filter, the same counts and facets; the index follows the archive (edits,
deletions, another process's writes, a second node) and rebuilds itself when it must."""

from __future__ import annotations

import datetime as dt
import importlib.resources
import json
import os
import shutil
from pathlib import Path

import pytest
import sqlalchemy as sa
import tantivy

from tests.conftest import Invoke, write_jsonl
from tests.search.test_search import ARTICLES
from wirewatch.errors import ConfigError, StoreError
from wirewatch.search.base import AnalysisFilter, SearchOptions, SearchRequest, SearchResult
from wirewatch.search.engine import STATE_FILE, TantivyBackend
from wirewatch.search.query import parse_query, split_filters
from wirewatch.store import SQLStore, open_store

SAMPLE = importlib.resources.files("wirewatch") / "sample"

#: Queries over the whole language: words, phrases, prefixes, boolean, fields, Korean,
#: analysis filters typed in the query, and filters alone.
QUERIES = [
    "Korea",
    "friendship",
    '"Kim Jong Il"',
    '"Federation Council"',
    "Russia*",
    "nucl*",
    '"Kim Jong*"',
    "nuclear AND test",
    "Putin OR Medvedev OR Lavrov",
    "Korea NOT Russia",
    "(Russia OR China) -Japan",
    "title:Kim",
    'title:"Kim Jong Il"',
    "조선",
    "김정은",
    "country:RUS",
    "country:RUS visit",
    "event:visit",
    "-country:USA",
    "Korea -event:denounce",
    "zzzznothing",
]


def _requests() -> list[SearchRequest]:
    out = [SearchRequest(q, limit=1000) for q in QUERIES]
    out += [
        SearchRequest(q, order=order, limit=7) for q in ("Korea", "", "country:RUS") for order in ("newest", "oldest")
    ]
    out += [
        SearchRequest("Korea", sources=("KCNA",), limit=1000),
        SearchRequest("council", sources=("Rodong Sinmun", "Minju Joson"), limit=1000),
        SearchRequest("Korea", sources=("Nobody",), limit=1000),
        SearchRequest("amistad OR Rusia", languages=("es",), limit=1000),
        SearchRequest("", statuses=("deleted",), limit=1000),
        SearchRequest("Korea", statuses=("live", "edited"), limit=1000),
        SearchRequest("Korea", since=dt.date(2011, 6, 1), until=dt.date(2011, 12, 31), limit=1000),
        SearchRequest("", since=dt.date(2012, 1, 1), order="oldest", limit=1000),
        SearchRequest("Korea", id_range=(5, 30), limit=1000),
        SearchRequest("Korea", article_ids=(1, 2, 3, 4, 10, 11, 12), limit=1000),
        SearchRequest("Korea", filters=(AnalysisFilter("country", "RUS"),), limit=1000),
        SearchRequest("", filters=(AnalysisFilter("event", "message", exclude=True),), limit=1000),
        SearchRequest("Korea", order="newest", limit=5, offset=10),
        SearchRequest("Korea", order="oldest", limit=5, offset=3),
    ]
    return out


@pytest.fixture
def engines(cli: Invoke, db: str, tmp_path: Path) -> tuple[SQLStore, SQLStore]:
    """One archive (the bundled sample, the search tests' articles, an edit and a deletion)
    opened with each engine; the SQL tables rebuilt since the tantivy engine kept it."""
    extra = write_jsonl(tmp_path / "a.jsonl", ARTICLES)
    result = cli("import", str(Path(str(SAMPLE))), str(extra), "--json")
    assert result.exit_code in (0, 1), result.stderr
    tantivy = open_store(db, SearchOptions("tantivy", tmp_path / "index"))
    tantivy.mark_deleted([3], dt.datetime(2012, 5, 1, tzinfo=dt.UTC), "404")
    with tantivy.writer.begin() as conn:
        conn.execute(sa.text("UPDATE articles SET title = 'Korea renamed story' WHERE id = 4"))
    sql = open_store(db, SearchOptions("sql"))
    sql.reindex()
    yield tantivy, sql
    tantivy.close()
    sql.close()


def _ids(result: SearchResult) -> list[int]:
    return [hit.id for hit in result.hits]


def test_both_engines_find_the_same_articles_with_the_same_counts_and_facets(
    engines: tuple[SQLStore, SQLStore],
) -> None:
    tantivy, sql = engines
    matched = 0
    for request in _requests():
        fast, plain = tantivy.search(request), sql.search(request)
        assert fast.total == plain.total, request
        assert fast.facets == plain.facets, request
        words, _ = split_filters(parse_query(request.query))
        if request.order == "relevance" and words is not None:
            assert sorted(_ids(fast)) == sorted(_ids(plain)), request  # the ranking function differs
        else:
            assert _ids(fast) == _ids(plain), request  # by date, then id: the same order
        assert len(set(_ids(fast))) == len(fast.hits)
        matched += fast.total > 0
    assert matched == len(_requests()) - 2  # all but "zzzznothing" and the unknown source find something


def test_the_count_is_a_plain_count_of_the_matches(engines: tuple[SQLStore, SQLStore]) -> None:
    tantivy, _ = engines
    with tantivy.engine.connect() as conn:
        plain = conn.scalar(
            sa.text(
                "SELECT count(*) FROM articles WHERE duplicate_of IS NULL AND "
                "(lower(title) LIKE '%friendship%' OR lower(body) LIKE '%friendship%')"
            )
        )
    assert plain and tantivy.search(SearchRequest("friendship")).total == plain


def test_title_matches_rank_first_and_hits_carry_snippets(engines: tuple[SQLStore, SQLStore]) -> None:
    tantivy, _ = engines
    found = tantivy.search(SearchRequest("Lavrov"))
    assert "Lavrov" in found.hits[0].title
    assert found.hits[0].score and found.hits[0].score > 0
    assert all(hit.highlights for hit in found.hits)


def test_an_edit_a_deletion_and_a_new_article_are_found_at_the_next_search(
    engines: tuple[SQLStore, SQLStore], tmp_path: Path
) -> None:
    tantivy, _ = engines
    assert _ids(tantivy.search(SearchRequest('title:"renamed story"'))) == [4]
    assert 3 in _ids(tantivy.search(SearchRequest("", statuses=("deleted",))))
    # Another process's write (here: another store on the same archive) is logged by the
    # database's triggers, whatever code wrote it.
    other = open_store(str(tantivy.engine.url.render_as_string(hide_password=False)), SearchOptions("sql"))
    try:
        with other.writer.begin() as conn:
            conn.execute(sa.text("UPDATE articles SET body = 'Quokkas visited the zoo.' WHERE id = 4"))
            conn.execute(sa.text("UPDATE articles SET status = 'live' WHERE id = 3"))
    finally:
        other.close()
    assert _ids(tantivy.search(SearchRequest("quokkas"))) == [4]
    assert 3 not in _ids(tantivy.search(SearchRequest("", statuses=("deleted",), limit=100)))


def test_two_nodes_keep_an_index_each_fed_from_the_archive(db: str, cli: Invoke, tmp_path: Path) -> None:
    result = cli("import", str(write_jsonl(tmp_path / "a.jsonl", ARTICLES)), "--json")
    assert result.exit_code == 0, result.stderr
    first = open_store(db, SearchOptions("tantivy", tmp_path / "node-1"))
    second = open_store(db, SearchOptions("tantivy", tmp_path / "node-2"))
    try:
        assert first.search(SearchRequest("council")).total == second.search(SearchRequest("council")).total == 3
        with first.writer.begin() as conn:
            conn.execute(sa.text("UPDATE articles SET title = 'Council of wombats' WHERE id = 1"))
        assert _ids(second.search(SearchRequest("wombats"))) == [1]
        assert _ids(first.search(SearchRequest("wombats"))) == [1]
        assert (tmp_path / "node-1" / STATE_FILE).exists() and (tmp_path / "node-2" / STATE_FILE).exists()
    finally:
        first.close()
        second.close()


def test_reindex_builds_the_index_anew_with_progress(cli: Invoke, tmp_path: Path) -> None:
    assert cli("import", str(write_jsonl(tmp_path / "a.jsonl", ARTICLES)), "--json").exit_code == 0
    result = cli("reindex", "--json")
    assert result.exit_code == 0, result.stderr
    assert result.json() == {"engine": "tantivy", "indexed": len(ARTICLES), "seconds": result.json()["seconds"]}
    assert "indexed 6 articles with the tantivy engine" in cli("reindex").stderr
    assert cli("search", "Lavrov", "--json").json()["total"] == 1


def test_the_sql_tables_left_behind_are_refused_until_reindex(cli: Invoke, db: str, tmp_path: Path) -> None:
    assert cli("import", str(write_jsonl(tmp_path / "a.jsonl", ARTICLES)), "--json").exit_code == 0
    sql = open_store(db, SearchOptions("sql"))
    try:
        with pytest.raises(StoreError, match="run 'wirewatch reindex'"):
            sql.search(SearchRequest("Lavrov"))
        assert sql.reindex() == len(ARTICLES)
        assert sql.search(SearchRequest("Lavrov")).total == 1
    finally:
        sql.close()


def _backend(store: SQLStore) -> TantivyBackend:
    assert isinstance(store.index, TantivyBackend)
    return store.index


def test_a_build_cut_short_goes_on_from_where_it_stopped(
    cli: Invoke, db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    records = [
        {"source": "KCNA", "title": f"Story {i}", "date": "2011-05-01", "body": f"Wombat number {i} was seen."}
        for i in range(120)
    ]
    assert cli("import", str(write_jsonl(tmp_path / "a.jsonl", records)), "--json").exit_code == 0
    store = open_store(db, SearchOptions("tantivy", tmp_path / "index"))
    backend = _backend(store)
    monkeypatch.setattr("wirewatch.search.engine.BUILD_PAGE", 10)
    monkeypatch.setattr("wirewatch.search.engine.BUILD_COMMIT", 30)
    stopped: list[int] = []

    def crash(done: int) -> None:
        stopped.append(done)
        if len(stopped) == 7:  # 70 articles read, 60 committed and recorded
            raise KeyboardInterrupt

    try:
        with pytest.raises(KeyboardInterrupt):
            backend.rebuild(progress=crash)
        state = json.loads((tmp_path / "index" / STATE_FILE).read_text())
        assert state["built_upto"] == 60
        # The next search finishes the build from article 61 on: each article once.
        found = store.search(SearchRequest("wombat", limit=500))
        assert found.total == 120 and len({hit.id for hit in found.hits}) == 120
        assert json.loads((tmp_path / "index" / STATE_FILE).read_text())["built_upto"] is None
    finally:
        store.close()


def test_an_index_of_another_archive_or_without_a_state_is_built_again(tmp_path: Path, cli: Invoke) -> None:
    index = tmp_path / "index"
    first, second = tmp_path / "first.db", tmp_path / "second.db"
    for db, rows in ((first, ARTICLES), (second, ARTICLES[:2])):
        store = open_store(str(db), SearchOptions("tantivy", index))
        try:
            assert cli("import", str(write_jsonl(tmp_path / "a.jsonl", rows)), "--json", database=db).exit_code == 0
            assert store.search(SearchRequest("Pyongyang")).total == (2 if rows is ARTICLES else 1)
        finally:
            store.close()
    (index / STATE_FILE).unlink()
    store = open_store(str(first), SearchOptions("tantivy", index))
    try:
        assert store.search(SearchRequest("Pyongyang")).total == 2
    finally:
        store.close()


def test_a_search_while_another_process_holds_the_writer_answers_from_the_last_commit(
    cli: Invoke, db: str, tmp_path: Path
) -> None:
    assert cli("import", str(write_jsonl(tmp_path / "a.jsonl", ARTICLES)), "--json").exit_code == 0
    reader = open_store(db, SearchOptions("tantivy", tmp_path / "index"))
    holder = open_store(db, SearchOptions("tantivy", tmp_path / "index"))
    try:
        assert reader.search(SearchRequest("council")).total == 3
        with reader.writer.begin() as conn:
            conn.execute(sa.text("UPDATE articles SET title = 'Wombats' WHERE id = 1"))
        with _backend(holder)._writer(wait=False) as writer:  # another "process" is writing
            assert writer is not None
            assert reader.search(SearchRequest("wombats")).total == 0  # not applied yet: no wait
        assert reader.search(SearchRequest("wombats")).total == 1  # the writer is free again
    finally:
        reader.close()
        holder.close()


def test_an_in_memory_archive_keeps_its_index_in_memory(tmp_path: Path) -> None:
    store = open_store(":memory:")
    try:
        backend = _backend(store)
        assert backend.path is None
        assert store.search(SearchRequest("anything")).total == 0
    finally:
        store.close()


def test_the_engine_setting_is_checked() -> None:
    from wirewatch.config.settings import Settings

    assert Settings.from_env({}).search_engine == "tantivy"
    assert Settings.from_env({"WIREWATCH_SEARCH_ENGINE": "SQL"}).search_engine == "sql"
    assert Settings.from_env({"WIREWATCH_SEARCH_INDEX": "~/idx"}).search_index == Path("~/idx").expanduser()
    with pytest.raises(ConfigError, match="WIREWATCH_SEARCH_ENGINE='lucene': expected tantivy or sql"):
        Settings.from_env({"WIREWATCH_SEARCH_ENGINE": "lucene"})


def test_a_process_starting_during_another_ones_first_build_leaves_its_index_alone(tmp_path: Path, cli: Invoke) -> None:
    """Two workers started together both open a new index: the second must not remove the
    one the first has just created and not yet described (no state file until its build
    records progress), or the first writes into a directory that is gone."""
    db, index = tmp_path / "a.db", tmp_path / "index"
    assert cli("import", str(write_jsonl(tmp_path / "a.jsonl", ARTICLES)), "--json", database=db).exit_code == 0
    shutil.rmtree(index, ignore_errors=True)
    first = open_store(str(db), SearchOptions("tantivy", index))
    second = open_store(str(db), SearchOptions("tantivy", index))
    try:
        # The first worker's build has committed a segment and saved no state yet.
        with _backend(first)._writer(wait=True) as writer:
            assert writer is not None
            started = tantivy.Document()
            started.add_unsigned("id", 1)
            writer.add_document(started)
            writer.commit()
        assert not (index / STATE_FILE).exists()
        files = set(os.listdir(index))
        _backend(second)._open()
        assert files <= set(os.listdir(index))  # the first one's segments are still there
        assert first.catch_up_index() == len(ARTICLES)
        assert second.search(SearchRequest("Pyongyang")).total == first.search(SearchRequest("Pyongyang")).total == 2
    finally:
        first.close()
        second.close()
