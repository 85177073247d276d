"""The reader over the same sample on PostgreSQL gives, byte for byte, what it gives on SQLite
(the rest of tests/web runs on each back end in turn; this compares the two directly)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from tests.web.conftest import build_archive, serve


@pytest.fixture
def both(postgresql_db: str, tmp_path: Path) -> Iterator[tuple[TestClient, TestClient]]:
    """The sample on an SQLite file and on a PostgreSQL database, each behind a reader."""
    import importlib.resources

    sample = Path(str(importlib.resources.files("wirewatch") / "sample"))
    build_archive(postgresql_db, [sample])
    build_archive(tmp_path / "sample.db", [sample])
    for sqlite in serve(tmp_path / "sample.db"):
        for pg in serve(postgresql_db):  # type: ignore[arg-type]
            yield sqlite, pg


def _without_scores(answer: dict[str, object]) -> dict[str, object]:
    # bm25 (FTS5) and ts_rank (PostgreSQL) score on different scales; the order is compared.
    hits = [{k: v for k, v in hit.items() if k != "score"} for hit in answer["hits"]]  # type: ignore[union-attr]
    return {**answer, "hits": hits}


@pytest.mark.parametrize(
    "query",
    [
        "Russia",
        '"Federation Council"',
        "Lavrov OR Medvedev",
        "Russia* NOT Soviet",
        "title:friendship",
        "김정은",
        "países",
    ],
)
def test_searches_find_the_same_articles(both: tuple[TestClient, TestClient], query: str) -> None:
    sqlite, pg = both
    for order in ("newest", "oldest"):
        params = {"q": query, "order": order, "limit": 50, "collapse": "false"}
        assert _without_scores(pg.get("/api/search", params=params).json()) == _without_scores(
            sqlite.get("/api/search", params=params).json()
        )
    # Ranked, with every copy listed: which copy of a story ranks first may differ by back end.
    ranked = {"q": query, "limit": 50, "collapse": "false"}
    assert {h["title"] for h in pg.get("/api/search", params=ranked).json()["hits"]} == {
        h["title"] for h in sqlite.get("/api/search", params=ranked).json()["hits"]
    }


def test_pages_lists_and_feeds_agree(both: tuple[TestClient, TestClient]) -> None:
    sqlite, pg = both
    assert pg.get("/api/stats").json() == sqlite.get("/api/stats").json()
    for path in ("/api/articles?limit=7", "/api/articles?source=KCNA&order=oldest&limit=100", "/api/articles/42"):
        ours, theirs = pg.get(path).json(), sqlite.get(path).json()
        if "permalink" in ours:
            assert ours == theirs
        else:
            assert ours["articles"] == theirs["articles"] and ours["next"] == theirs["next"]
    for path in ("/", "/articles/42", "/sources/KCNA", "/days", "/days/2012-01", "/days/2012-01-14", "/feed.atom"):
        answer = pg.get(path)
        assert answer.status_code == 200, path
        assert answer.text == sqlite.get(path).text, path
