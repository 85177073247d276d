"""The search engines, before and after: /api/search on the SQL full-text tables (FTS5 on
SQLite, tsvector on PostgreSQL) against the tantivy index, at 10^4, 10^5 and 10^6 articles.

Each size is the corpus grown as ``bench_growth.py`` grows it (its KCNA stories and
headlines, with the 73 Korean New Year addresses put first so that every size holds them
and the Korean query finds something), imported with the real command into a fresh
archive: ``wirewatch --db DB import FILE --no-analysis --json`` (the tantivy engine, which
builds its index at the end of the import). Then the SQL tables are filled with
``WIREWATCH_SEARCH_ENGINE=sql wirewatch --db DB reindex --json`` and the tantivy index
is built again with ``wirewatch --db DB reindex --json``, both timed: the two engines'
index builds side by side.

Searches go through the web API in-process: ``create_app(Settings(db, search_engine))``
and Starlette's ``TestClient``, ``GET /api/search?q=…`` (the first page of 20 hits with
snippets, facets and the total), for bench_growth's eight queries and one Korean one.
Per query: one warm-up on each engine, then ``--repeat`` timed runs, the engines taking
turns. Beside them, the floors, timed the same way with no wirewatch code in the timed
part: the bare SQL (FTS5 ``MATCH … ORDER BY rank LIMIT 20``, ``count(*)``, the newest 20
through the articles table; on PostgreSQL ``ORDER BY ts_rank … LIMIT 20``, ``count(*)``,
the newest 20) and the tantivy package on the index directory (``searcher.search(q, 20,
count=True)``, and the engine's own two index calls: the facet aggregation plus the top
20). Each query's totals on both engines are checked against a plain SQL count.

Usage (from the project root):
    .venv/bin/python bench/bench_search_engine.py [--sizes 10000 100000 1000000] [--backends sqlite postgresql]
        [--corpus ../shared/corpus] [--workdir DIR] [--keep] [--repeat 10] [--postgresql URL]

Prints the figures (stdout), progress (stderr), and writes bench/results/search_engine.json.
Exit status 0 when it ran (whatever the verdicts), 2 without the corpus, 1 when a command failed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import unicodedata
import warnings
from collections.abc import Callable, Sequence
from importlib.metadata import version
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from bench_growth import QUERIES, drop_database, new_database, records, size_mb, write_size
from bench_import_search import code_version, log, percentile

from wirewatch.store.engine import database_url

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "search_engine.json"
KOREAN = "nk-new-year-addresses-ko"
#: In 23 of the 73 addresses; three syllables, so the phrase of two bigrams "김정 정일".
KOREAN_QUERY = "김정일"
ALL_QUERIES = [*QUERIES, KOREAN_QUERY]
ENGINES = ("sql", "tantivy")
#: /api/search with the tantivy engine, at TARGET_SIZE articles, on each back end.
TARGET_SIZE = 1_000_000
TARGET_P95_MS, TARGET_P50_MS = 50.0, 10.0
#: The floors, per back end: (key, label).
FLOORS = {
    "sqlite": [
        ("sql_rank", "fts5 MATCH, ORDER BY rank LIMIT 20"),
        ("sql_count", "fts5 MATCH, count(*)"),
        ("sql_newest", "fts5 ⨝ articles, date DESC LIMIT 20"),
    ],
    "postgresql": [
        ("sql_rank", "tsvector @@, ts_rank DESC LIMIT 20"),
        ("sql_count", "tsvector @@, count(*)"),
        ("sql_newest", "tsvector ⨝ articles, date DESC LIMIT 20"),
    ],
}
TANTIVY_FLOORS = [
    ("tantivy_top", "tantivy search(q, 20, count=True)"),
    ("tantivy_facets", "tantivy aggregate(facets) + search(q, 20)"),
]
#: ts_rank's weights as the engine gives them ({D, C, B, A}: a title word counts five times).
PG_WEIGHTS = "{0.2, 0.2, 0.2, 1.0}"
#: The engine's facets, as it asks tantivy for them (search/engine.py).
TANTIVY_FACETS = {
    "source": {"terms": {"field": "source", "size": 10_000}},
    "year": {"terms": {"field": "year", "size": 1_000}},
    "language": {"terms": {"field": "language", "size": 1_000}},
}


def korean_records(corpus: Path) -> list[dict[str, object]]:
    """The New Year addresses as records: the first line the title, the rest the body, dated
    1 January of the file's year (as the project's demo sample converts them). They are
    joint editorials and speeches; the source is given as Rodong Sinmun for all."""
    out: list[dict[str, object]] = []
    for path in sorted((corpus / KOREAN).glob("*.txt")):
        text = path.read_text(encoding="utf-8").replace("\ufeff", "").strip()
        title, _, body = text.partition("\n")
        out.append(
            {
                "source": "Rodong Sinmun",
                "title": title.strip(),
                "date": f"{path.stem}-01-01",
                "language": "ko",
                "body": body.strip(),
            }
        )
    return out


def wirewatch(db: str, args: Sequence[str], env: dict[str, str]) -> tuple[float, float, dict[str, Any]]:
    """Run a wirewatch command with --json: its wall clock, its CPU time and its summary."""
    command = [str(Path(sys.executable).with_name("wirewatch")), "--db", db, *args, "--json"]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    child = subprocess.run(command, capture_output=True, text=True, env={**os.environ, **env})
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if child.returncode not in (0, 1):  # 1: an import that rejected records
        raise RuntimeError(f"{' '.join(args)} exited {child.returncode}: {child.stderr[-2000:]}")
    return seconds, cpu, json.loads(child.stdout)


def pad(text: str, width: int) -> str:
    """``text`` left-aligned in ``width`` terminal columns (a Korean syllable takes two)."""
    wide = sum(1 for c in text if unicodedata.east_asian_width(c) in "WF")
    return text + " " * max(0, width - len(text) - wide)


def folder_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 2**20


def timed(call: Callable[[], object]) -> tuple[float, object]:
    start = time.perf_counter()
    value = call()
    return (time.perf_counter() - start) * 1000, value


class Floors:
    """The bare queries, on their own connections: nothing of wirewatch runs in the timed calls
    (the query texts are made by wirewatch's translators beforehand)."""

    def __init__(self, backend: str, db: str, index_dir: Path) -> None:
        import tantivy

        from wirewatch.search.documents import MAX_TOKEN, TOKENIZER

        self.backend = backend
        if backend == "sqlite":
            self.sql: Any = sqlite3.connect(db, check_same_thread=False)
        else:
            import psycopg

            self.sql = psycopg.connect(db, autocommit=True)
        self.index = tantivy.Index.open(str(index_dir))
        analyzer = tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.whitespace()).filter(
            tantivy.Filter.remove_long(MAX_TOKEN)
        )
        self.index.register_tokenizer(TOKENIZER, analyzer.build())
        self.searcher = self.index.searcher()

    def calls(self, query: str) -> dict[str, Callable[[], int]]:
        """Each floor for ``query``, as a call that returns a count (of rows, or the total)."""
        from wirewatch.search.fts5 import to_fts5
        from wirewatch.search.postgres import to_tsquery
        from wirewatch.search.query import parse_query
        from wirewatch.search.tantivy_query import to_tantivy

        tree = parse_query(query)
        assert tree is not None
        sql = self.sql
        if self.backend == "sqlite":
            match = to_fts5(tree)
            rank = "SELECT rowid FROM article_fts WHERE article_fts MATCH ? ORDER BY rank LIMIT 20"
            count = "SELECT count(*) FROM article_fts WHERE article_fts MATCH ?"
            # CROSS JOIN: FTS5 the outer loop, as the engine writes it (the other way round
            # SQLite may run the MATCH once per article).
            newest = (
                "SELECT a.id FROM article_fts CROSS JOIN articles a ON a.id = article_fts.rowid "
                "WHERE article_fts MATCH ? ORDER BY a.date DESC LIMIT 20"
            )

            def rows(statement: str) -> Callable[[], int]:
                return lambda: len(sql.execute(statement, (match,)).fetchall())

            def counted() -> int:
                return int(sql.execute(count, (match,)).fetchone()[0])

        else:
            tsquery = to_tsquery(tree)
            rank = (
                "SELECT article_id FROM article_index WHERE vector @@ CAST(%(q)s AS tsquery) "
                f"ORDER BY ts_rank('{PG_WEIGHTS}', vector, CAST(%(q)s AS tsquery)) DESC LIMIT 20"
            )
            count = "SELECT count(*) FROM article_index WHERE vector @@ CAST(%(q)s AS tsquery)"
            newest = (
                "SELECT a.id FROM article_index i JOIN articles a ON a.id = i.article_id "
                "WHERE i.vector @@ CAST(%(q)s AS tsquery) ORDER BY a.date DESC NULLS LAST LIMIT 20"
            )

            def rows(statement: str) -> Callable[[], int]:
                return lambda: len(sql.execute(statement, {"q": tsquery}).fetchall())

            def counted() -> int:
                return int(sql.execute(count, {"q": tsquery}).fetchone()[0])

        searcher = self.searcher
        words = to_tantivy(tree, self.index.schema)

        def top() -> int:
            return int(searcher.search(words, 20, count=True).count)

        def facets() -> int:
            found = searcher.aggregate(words, TANTIVY_FACETS)
            searcher.search(words, 20, count=False)
            return sum(int(b["doc_count"]) for b in found["source"]["buckets"])

        return {
            "sql_rank": rows(rank),
            "sql_count": counted,
            "sql_newest": rows(newest),
            "tantivy_top": top,
            "tantivy_facets": facets,
        }

    def close(self) -> None:
        self.sql.close()


def measure_searches(backend: str, db: str, index_dir: Path, repeat: int) -> dict[str, Any]:
    """/api/search on each engine and the floors: per query a warm-up, then ``repeat`` timed
    runs taking turns; the totals, the first page's ids and facets, and the plain counts."""
    with warnings.catch_warnings():  # Starlette's advice to install httpx2 instead of httpx
        warnings.filterwarnings("ignore", message=".*httpx2")
        from fastapi.testclient import TestClient

    from wirewatch.config.settings import Settings
    from wirewatch.web.app import create_app

    apps = {e: create_app(Settings(db=db, search_engine=e, search_index=index_dir, compare_window=0)) for e in ENGINES}
    floors = Floors(backend, db, index_dir)
    per_query: dict[str, dict[str, Any]] = {}
    failures: list[str] = []
    try:
        with TestClient(apps["sql"]) as sql_client, TestClient(apps["tantivy"]) as tantivy_client:
            clients = {"sql": sql_client, "tantivy": tantivy_client}
            for query in ALL_QUERIES:
                entry: dict[str, Any] = {"api": {}, "floors": {}}

                def get(engine: str, q: str = query, order: str = "relevance") -> Any:
                    # As typed: the floors and the plain counts search the words typed, not the
                    # other spellings of a Korean name (issue 19; bench_spelling.py times those).
                    params = {"q": q, "order": order, "exact_spelling": "true"}
                    return clients[engine].get("/api/search", params=params)

                for engine in ENGINES:  # the warm-up, whose answer is the one checked
                    answer = get(engine)
                    if answer.status_code != 200:
                        failures.append(f"{engine} {query!r}: HTTP {answer.status_code} {answer.text[:300]}")
                        data: dict[str, Any] = {"total": None, "hits": [], "facets": {}}
                    else:
                        data = answer.json()
                    entry["api"][engine] = {
                        "status": answer.status_code,
                        "total": data["total"],
                        "ids": [h["id"] for h in data["hits"]],
                        "facets": data["facets"],
                        "runs_ms": [],
                    }
                    newest = get(engine, order="newest")  # a deterministic order: the same page on both
                    ids = [h["id"] for h in newest.json()["hits"]] if newest.status_code == 200 else None
                    entry["api"][engine]["newest_ids"] = ids
                for _ in range(repeat):
                    for engine in ENGINES:
                        ms, answer = timed(lambda e=engine: get(e))
                        entry["api"][engine]["runs_ms"].append(ms)
                        status = getattr(answer, "status_code", None)
                        if status != 200:
                            failures.append(f"{engine} {query!r}: HTTP {status} in a timed run")
                calls = floors.calls(query)
                for key, call in calls.items():
                    entry["floors"][key] = {"value": call(), "runs_ms": []}
                for _ in range(repeat):
                    for key, call in calls.items():
                        ms, _value = timed(call)
                        entry["floors"][key]["runs_ms"].append(ms)
                for side in (*entry["api"].values(), *entry["floors"].values()):
                    side["median_ms"] = percentile(side["runs_ms"], 0.5)
                per_query[query] = entry
            # What the HTTP layer costs alone: a page that reads nothing, through the same
            # client and a worker thread, as many times as the searches of one engine.
            robots = [timed(lambda: tantivy_client.get("/robots.txt"))[0] for _ in range(repeat * len(ALL_QUERIES) + 1)]
    finally:
        floors.close()
    summary: dict[str, Any] = {}
    for engine in ENGINES:
        runs = [ms for e in per_query.values() for ms in e["api"][engine]["runs_ms"]]
        summary[f"api_{engine}"] = {"p50_ms": percentile(runs, 0.5), "p95_ms": percentile(runs, 0.95)}
    for key in per_query[ALL_QUERIES[0]]["floors"]:
        runs = [ms for e in per_query.values() for ms in e["floors"][key]["runs_ms"]]
        summary[key] = {"p50_ms": percentile(runs, 0.5), "p95_ms": percentile(runs, 0.95)}
    robots = robots[1:]  # the first is the warm-up
    summary["http"] = {"p50_ms": percentile(robots, 0.5), "p95_ms": percentile(robots, 0.95), "runs_ms": robots}
    return {"summary": summary, "queries": per_query, "failures": failures}


def check(entry: dict[str, Any]) -> dict[str, Any]:
    """The correctness of one query: totals against the plain count, the first page, the facets."""
    sql, tan = entry["api"]["sql"], entry["api"]["tantivy"]
    plain = entry["floors"]["sql_count"]["value"]
    same = len(set(sql["ids"]) & set(tan["ids"]))
    shown = max(len(sql["ids"]), len(tan["ids"]))
    return {
        "total_sql": sql["total"],
        "total_tantivy": tan["total"],
        "count_sql": plain,
        "count_tantivy": entry["floors"]["tantivy_top"]["value"],
        "totals": "OK" if sql["total"] == tan["total"] == plain else "DIFF",
        "page_same": same,
        "page_size": shown,
        "facets_same": sql["facets"] == tan["facets"],
        "newest_same": sql["newest_ids"] is not None and sql["newest_ids"] == tan["newest_ids"],
    }


def passed(c: dict[str, Any]) -> bool:
    """The engines agree on the query: totals (and the plain count), facets, newest page."""
    return c["totals"] == "OK" and c["facets_same"] and c["newest_same"]


def verdict(value: float, target: float, judged: bool) -> str:
    word = "PASS" if value <= target else "MISS"
    return word if judged else f"({word})"


def print_row(row: dict[str, Any]) -> None:
    size, backend = row["size"], row["backend"]
    print(f"\n== {backend}, {size:,} records: {row['articles']:,} articles, {row['indexed']:,} searchable ==")
    for key, label in (
        ("import", "import, tantivy engine (its index built at the end)"),
        ("reindex_sql", "reindex, sql engine: the SQL tables (before)"),
        ("reindex_tantivy", "reindex, tantivy engine: the index (after)"),
    ):
        print(f"  {label:<52} {row[key + '_s']:8.1f} s   CPU {row[key + '_cpu_s']:.1f} s")
    print(
        f"  database {row['db_mb']:.0f} MB ({row['db_import_mb']:.0f} MB after the import, before the SQL tables); "
        f"tantivy index {row['index_mb']:.0f} MB"
    )
    s = row["summary"]
    print(f"\n  {'all queries, ms':<52} {'p50':>8} {'p95':>8}")
    for engine, label in (
        ("sql", "/api/search, sql engine (before)"),
        ("tantivy", "/api/search, tantivy engine (after)"),
    ):
        print(f"  {label:<52} {s['api_' + engine]['p50_ms']:8.1f} {s['api_' + engine]['p95_ms']:8.1f}")
    ratio50 = s["api_tantivy"]["p50_ms"] / s["api_sql"]["p50_ms"]
    ratio95 = s["api_tantivy"]["p95_ms"] / s["api_sql"]["p95_ms"]
    print(f"  {'  ratio after / before':<52} {ratio50:7.2f}× {ratio95:7.2f}×")
    for key, label in [*FLOORS[backend], *TANTIVY_FLOORS, ("http", "GET /robots.txt, same client (HTTP alone)")]:
        print(f"  {'floor: ' + label:<52} {s[key]['p50_ms']:8.1f} {s[key]['p95_ms']:8.1f}")
    judged = size == TARGET_SIZE
    print(f"\n  {'target (at 10^6 articles)':<52} {'figure':>8} {'target':>8}  result")
    for name, key, target in (("p95", "p95_ms", TARGET_P95_MS), ("p50", "p50_ms", TARGET_P50_MS)):
        value = s["api_tantivy"][key]
        label = f"/api/search tantivy {name} (ms)"
        print(f"  {label:<52} {value:8.1f} {'≤ ' + format(target, '.0f'):>8}  {verdict(value, target, judged)}")
    if not judged:
        print("  (in parentheses: the targets are set at 10^6 articles; this size is shown for reference)")
    header = f"  {'query':<20} {'sql':>8} {'tantivy':>8} {'count':>8} {'tv count':>8} {'totals':>6}  {'first page':<22} {'facets':<6} newest"
    print("\n" + header)
    for query, entry in row["queries"].items():
        c = entry["check"]
        page = f"{c['page_same']}/{c['page_size']} same"
        if c["page_same"] != c["page_size"]:
            page += f" ({c['page_size'] - c['page_same']} differ)"
        print(
            f"  {pad(query, 20)} {c['total_sql'] if c['total_sql'] is not None else 'error':>8} "
            f"{c['total_tantivy'] if c['total_tantivy'] is not None else 'error':>8} {c['count_sql']:>8} "
            f"{c['count_tantivy']:>8} {c['totals']:>6}  {page:<22} {'same' if c['facets_same'] else 'DIFF':<6} {'same' if c['newest_same'] else 'DIFF'}"
        )
    keys = [k for k, _ in FLOORS[backend] + TANTIVY_FLOORS]
    short = {
        "sql_rank": "rank20",
        "sql_count": "count",
        "sql_newest": "newest20",
        "tantivy_top": "tv top20",
        "tantivy_facets": "tv +facets",
    }
    print(f"\n  {'median ms':<20} {'api sql':>9} {'api tv':>9} " + " ".join(f"{short[k]:>10}" for k in keys))
    for query, entry in row["queries"].items():
        api = entry["api"]
        figures = " ".join(f"{entry['floors'][k]['median_ms']:10.2f}" for k in keys)
        print(f"  {pad(query, 20)} {api['sql']['median_ms']:9.2f} {api['tantivy']['median_ms']:9.2f} {figures}")
    for failure in dict.fromkeys(row["failures"]):
        print(f"  FAILED: {failure}")


def print_summary(results: list[dict[str, Any]]) -> None:
    print(
        f"\n{'articles':>10} {'back end':<11} {'import':>8} {'sql idx':>8} {'tv idx':>8} {'db':>7} {'index':>7} "
        f"{'sql p50':>8} {'p95':>8} {'tv p50':>8} {'p95':>8} {'checks':>7}"
    )
    for r in results:
        s = r["summary"]
        diff = sum(1 for e in r["queries"].values() if not passed(e["check"]))
        print(
            f"{r['articles']:>10,} {r['backend']:<11} {r['import_s']:7.1f}s {r['reindex_sql_s']:7.1f}s "
            f"{r['reindex_tantivy_s']:7.1f}s {r['db_mb']:5.0f}MB {r['index_mb']:5.0f}MB "
            f"{s['api_sql']['p50_ms']:6.1f}ms {s['api_sql']['p95_ms']:6.1f}ms "
            f"{s['api_tantivy']['p50_ms']:6.1f}ms {s['api_tantivy']['p95_ms']:6.1f}ms "
            f"{'OK' if not diff else f'{diff} DIFF':>7}"
        )


def vacuum(db: str) -> None:
    """VACUUM ANALYZE a PostgreSQL archive, so that the planner knows the filled tables and
    autovacuum does not run during the searches."""
    engine = sa.create_engine(database_url(db), isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(sa.text("VACUUM ANALYZE"))
    engine.dispose()


def run_size(backend: str, size: int, data: Path, folder: Path, args: argparse.Namespace) -> dict[str, Any]:
    db, handle = new_database(backend, folder, size, args.postgresql)
    name = Path(str(handle)).stem if backend == "sqlite" else str(handle)
    index_dir = folder / f"{name}.search"
    shutil.rmtree(index_dir, ignore_errors=True)
    env = {"WIREWATCH_COMPARE_WINDOW": "0", "WIREWATCH_SEARCH_INDEX": str(index_dir)}
    try:
        log(f"{backend} {size:,}: import into {db}")
        import_s, import_cpu, summary = wirewatch(
            db, ["import", str(data), "--no-analysis"], {**env, "WIREWATCH_SEARCH_ENGINE": "tantivy"}
        )
        log(f"  {import_s:.1f} s; {json.dumps(summary)}")
        db_import_mb = size_mb(backend, db, handle)
        log(f"{backend} {size:,}: reindex, sql engine")
        sql_s, sql_cpu, sql_summary = wirewatch(db, ["reindex"], {**env, "WIREWATCH_SEARCH_ENGINE": "sql"})
        log(f"  {sql_s:.1f} s; {json.dumps(sql_summary)}")
        log(f"{backend} {size:,}: reindex, tantivy engine")
        tv_s, tv_cpu, tv_summary = wirewatch(db, ["reindex"], {**env, "WIREWATCH_SEARCH_ENGINE": "tantivy"})
        log(f"  {tv_s:.1f} s; {json.dumps(tv_summary)}")
        if backend == "postgresql":
            vacuum(db)
        log(f"{backend} {size:,}: {len(ALL_QUERIES)} queries × {args.repeat} runs on each engine and floor")
        searched = measure_searches(backend, db, index_dir, args.repeat)
        for entry in searched["queries"].values():
            entry["check"] = check(entry)
        s = searched["summary"]
        log(
            f"  /api/search p50/p95 ms: sql {s['api_sql']['p50_ms']:.1f}/{s['api_sql']['p95_ms']:.1f}, "
            f"tantivy {s['api_tantivy']['p50_ms']:.1f}/{s['api_tantivy']['p95_ms']:.1f}"
        )
        return {
            "size": size,
            "backend": backend,
            "database": name,
            "index_dir": str(index_dir),
            "import_s": import_s,
            "import_cpu_s": import_cpu,
            "import_summary": summary,
            "articles": int(summary["added"]) + int(summary["duplicates"]),
            "indexed": int(tv_summary["indexed"]),
            "reindex_sql_s": sql_s,
            "reindex_sql_cpu_s": sql_cpu,
            "reindex_sql_summary": sql_summary,
            "reindex_tantivy_s": tv_s,
            "reindex_tantivy_cpu_s": tv_cpu,
            "reindex_tantivy_summary": tv_summary,
            "db_import_mb": db_import_mb,
            "db_mb": size_mb(backend, db, handle),
            "index_mb": folder_mb(index_dir),
            **searched,
        }
    finally:
        if backend == "postgresql" and not args.keep:  # and its index, of no use without it
            drop_database(args.postgresql, str(handle))
            shutil.rmtree(index_dir, ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--backends", nargs="+", default=["sqlite", "postgresql"], choices=["sqlite", "postgresql"])
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    parser.add_argument("--workdir", type=Path, help="keep the records files, archives and indexes here")
    parser.add_argument("--keep", action="store_true", help="keep the PostgreSQL databases (and the temporary folder)")
    parser.add_argument("--repeat", type=int, default=10, help="timed runs of each query on each side (default 10)")
    parser.add_argument(
        "--postgresql",
        default=os.environ.get("WIREWATCH_TEST_POSTGRESQL", "postgresql://postgres@127.0.0.1:5432/postgres"),
    )
    args = parser.parse_args()
    needed = [args.corpus / "kcna-2011-2012.jsonl.gz", args.corpus / "kcna-headlines-1997-2014.jsonl.gz"]
    missing = [str(p) for p in needed if not p.is_file()]
    if not (args.corpus / KOREAN).is_dir():
        missing.append(str(args.corpus / KOREAN))
    if missing:
        print(f"error: corpus missing: {', '.join(missing)} (use --corpus DIR)", file=sys.stderr)
        return 2
    folder = args.workdir or Path(tempfile.mkdtemp(prefix="wirewatch-search-engine-"))
    folder.mkdir(parents=True, exist_ok=True)
    keep_folder = args.workdir is not None or args.keep
    meta: dict[str, Any] = {
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "code": code_version(),
        "machine": f"{platform.node()}, {os.cpu_count()} CPUs, {platform.platform()}",
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "tantivy": version("tantivy"),
        "repeat": args.repeat,
        "queries": ALL_QUERIES,
        "load_before": os.getloadavg()[0],
    }
    print(
        f"code {meta['code']}; {meta['machine']}; Python {meta['python']}, SQLite {meta['sqlite']}, "
        f"tantivy {meta['tantivy']}; load {meta['load_before']:.2f} at the start"
    )
    results: list[dict[str, Any]] = []
    status = 0
    try:
        korean = korean_records(args.corpus)
        base = korean + records(args.corpus)  # the Korean first: every size holds them
        log(f"{len(base):,} base records ({len(korean)} Korean) in {folder}")
        for size in args.sizes:
            data = folder / f"search-engine-{size}.jsonl.gz"
            if not data.exists():
                log(f"writing {size:,} records")
                partial = data.with_name(data.name + ".partial")
                write_size(base, size, partial)
                partial.replace(data)
            for backend in args.backends:
                try:
                    row = run_size(backend, size, data, folder, args)
                except (RuntimeError, sa.exc.SQLAlchemyError, OSError) as exc:
                    print(f"\nFAILED: {backend} {size:,}: {exc}", file=sys.stderr)
                    status = 1
                    continue
                results.append(row)
                print_row(row)
                if row["failures"]:
                    status = 1
                sys.stdout.flush()
    finally:
        if not keep_folder:
            shutil.rmtree(folder, ignore_errors=True)
        elif args.workdir is None:
            log(f"kept {folder}")
    meta["load_after"] = os.getloadavg()[0]
    if results:
        print_summary(results)
    print(f"\nload {meta['load_before']:.2f} at the start, {meta['load_after']:.2f} at the end")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps({**meta, "results": results}, indent=2, default=str) + "\n", encoding="utf-8")
    log(f"figures written to {RESULTS}")
    return status


if __name__ == "__main__":
    sys.exit(main())
