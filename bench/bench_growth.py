"""How cost grows with the archive: import time, database size and search latency at
10^4, 10^5 and 10^6 articles, on SQLite and on PostgreSQL.

The shared corpus (137,784 KCNA stories and headlines) is replicated to each size with
varied text and dates, so that no replica is a duplicate of another: replica k of a
record moves its date back by k weeks, gets a word of its own in the title and the
body, and a URL of its own. Each size is imported with the real command
(`wirewatch --db … import FILE`) into a fresh database; searches run in-process through
the store (the same code the CLI and the web reader call), a warm-up and then
``--repeat`` timed runs per query.

Usage (from the project root):
    .venv/bin/python bench/bench_growth.py [--sizes 10000 100000 1000000] [--backends sqlite postgresql]
        [--corpus ../shared/corpus] [--workdir DIR] [--repeat 10] [--postgresql URL]

Prints a table (stdout) and writes bench/results/growth.json. Exit status 2 without the corpus.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import sqlalchemy as sa

from wirewatch.store.engine import database_url

ROOT = Path(__file__).resolve().parent.parent
QUERIES = [
    "Lavrov",
    '"Federation Council"',
    "Russia*",
    "missile",
    '"Kim Jong Il"',
    "friendship",
    "nuclear AND test",
    "Putin OR Medvedev",
]
WORDS = [
    "alpha",
    "bravo",
    "cedar",
    "delta",
    "ember",
    "fjord",
    "grove",
    "harbor",
    "indigo",
    "juniper",
    "kestrel",
    "lumen",
]


def replica_word(k: int) -> str:
    """A word of replica k's own (k=0: none), unique per replica: 'alphabravo', 'alphacedar'…"""
    return "" if k == 0 else WORDS[k % len(WORDS)] + WORDS[(k // len(WORDS)) % len(WORDS)] + str(k)


def records(corpus: Path) -> list[dict[str, object]]:
    out: list[dict[str, object]] = []
    for name in ("kcna-2011-2012.jsonl.gz", "kcna-headlines-1997-2014.jsonl.gz"):
        with gzip.open(corpus / name, "rt", encoding="utf-8") as handle:
            out.extend(json.loads(line) for line in handle)
    return out


def write_size(base: list[dict[str, object]], size: int, path: Path) -> None:
    with gzip.open(path, "wt", encoding="utf-8", compresslevel=1) as handle:
        for i in range(size):
            k, record = divmod(i, len(base))
            original = base[record]
            item = dict(original)
            if k:
                word = replica_word(k)
                item["title"] = f"{original.get('title') or ''} {word}".strip()
                body = original.get("body")
                item["body"] = f"{body} {word}" if isinstance(body, str) and body != "<NA>" else body
                item["url"] = f"{original.get('url') or 'http://example.org/'}#r{k}"
                if isinstance(original.get("date"), str):
                    try:
                        day = dt.date.fromisoformat(str(original["date"])[:10]) - dt.timedelta(weeks=k)
                        item["date"] = day.isoformat()
                    except ValueError:
                        pass
            handle.write(json.dumps(item, ensure_ascii=False) + "\n")


def new_database(backend: str, folder: Path, size: int, server: str) -> tuple[str, object]:
    if backend == "sqlite":
        path = folder / f"growth-{size}.db"
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
        return str(path), path
    name = f"wirewatch_growth_{size}_{uuid.uuid4().hex[:6]}"
    engine = sa.create_engine(database_url(server), isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return server.rsplit("/", 1)[0] + "/" + name, name


def drop_database(server: str, name: str) -> None:
    engine = sa.create_engine(database_url(server), isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    engine.dispose()


def size_mb(backend: str, db: str, handle: object) -> float:
    if backend == "sqlite":
        path = Path(str(handle))
        return sum(Path(str(path) + s).stat().st_size for s in ("", "-wal") if Path(str(path) + s).exists()) / 2**20
    engine = sa.create_engine(database_url(db))
    with engine.connect() as conn:
        value = conn.scalar(sa.text("SELECT pg_database_size(current_database())"))
    engine.dispose()
    return float(value or 0) / 2**20


def time_searches(db: str, repeat: int) -> dict[str, object]:
    from wirewatch.search.base import SearchRequest
    from wirewatch.store import open_store

    store = open_store(db)
    timings: list[float] = []
    per_query: dict[str, float] = {}
    try:
        for query in QUERIES:
            store.search(SearchRequest(query))  # warm-up
            runs = []
            for _ in range(repeat):
                start = time.perf_counter()
                store.search(SearchRequest(query))
                runs.append((time.perf_counter() - start) * 1000)
            timings += runs
            per_query[query] = statistics.median(runs)
    finally:
        store.close()
    timings.sort()
    return {
        "p50_ms": statistics.median(timings),
        "p95_ms": timings[min(len(timings) - 1, int(0.95 * len(timings)))],
        "per_query_median_ms": per_query,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--backends", nargs="+", default=["sqlite", "postgresql"], choices=["sqlite", "postgresql"])
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    parser.add_argument("--workdir", type=Path)
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument(
        "--postgresql",
        default=os.environ.get("WIREWATCH_TEST_POSTGRESQL", "postgresql://postgres@127.0.0.1:5432/postgres"),
    )
    args = parser.parse_args()
    if not (args.corpus / "kcna-2011-2012.jsonl.gz").exists():
        print(f"no corpus at {args.corpus}", file=sys.stderr)
        return 2
    folder = args.workdir or Path(tempfile.mkdtemp(prefix="wirewatch-growth-"))
    folder.mkdir(parents=True, exist_ok=True)
    wirewatch = str(Path(sys.executable).with_name("wirewatch"))
    base = records(args.corpus)
    results = []
    for size in args.sizes:
        data = folder / f"growth-{size}.jsonl.gz"
        if not data.exists():
            print(f"[{time.strftime('%H:%M:%S')}] writing {size:,} records", file=sys.stderr)
            write_size(base, size, data)
        for backend in args.backends:
            db, handle = new_database(backend, folder, size, args.postgresql)
            print(f"[{time.strftime('%H:%M:%S')}] {backend}: importing {size:,}", file=sys.stderr)
            start = time.perf_counter()
            child = subprocess.run(
                [wirewatch, "--db", db, "import", str(data), "--json"], capture_output=True, text=True
            )
            seconds = time.perf_counter() - start
            if child.returncode not in (0, 1):
                print(child.stderr[-2000:], file=sys.stderr)
                return 1
            summary = json.loads(child.stdout)
            searched = time_searches(db, args.repeat)
            row = {
                "size": size,
                "backend": backend,
                "import_s": seconds,
                "articles": summary["added"] + summary["duplicates"],
                "rejected": summary["rejected"],
                "db_mb": size_mb(backend, db, handle),
                **searched,
            }
            results.append(row)
            figures = (
                f"{seconds:.1f} s, {row['db_mb']:.0f} MB, search p50 {row['p50_ms']:.1f} ms p95 {row['p95_ms']:.1f} ms"
            )
            print(f"[{time.strftime('%H:%M:%S')}]   {figures}", file=sys.stderr)
            if backend == "postgresql":
                drop_database(args.postgresql, str(handle))
    print(f"{'articles':>10} {'back end':<11} {'import':>9} {'per 1k':>8} {'size':>8} {'search p50':>11} {'p95':>9}")
    for r in results:
        print(
            f"{r['articles']:>10,} {r['backend']:<11} {r['import_s']:>8.1f}s {r['import_s'] / r['articles'] * 1000:>7.2f}s "
            f"{r['db_mb']:>6.0f}MB {r['p50_ms']:>9.1f}ms {r['p95_ms']:>7.1f}ms"
        )
    print(
        "\nmedian ms per query: "
        + "; ".join(
            f"{r['backend']} {r['articles']:,}: "
            + ", ".join(f"{q} {v:.0f}" for q, v in r["per_query_median_ms"].items())
            for r in results
        )
    )
    out = ROOT / "bench" / "results" / "growth.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(
        json.dumps({"when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), "results": results}, indent=2)
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
