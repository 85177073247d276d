"""Trends at scale: a query's timeline over the whole archive, and a week's rising terms.

Targets (issue 16), on the project's 2-core machine at 10^6 articles:

- a timeline (``present.trends.trend``: the query's matches per day and source from the
  search engine, the totals of the same sources, folded into months) in at most 200 ms for
  any of the queries of ``bench_growth.py`` plus a Korean one (the totals are counted once
  per index state and kept; the first timeline of a process, which counts them, is printed
  apart);
- a week's list (``present.trends.emerging``: the week's and the 8 weeks' texts read and
  counted, the log-odds, the entities) in at most 2 s.

The archive is the corpus grown as ``bench_growth.py`` grows it (replicas shifted by whole
weeks, so that a week holds about size / 137,782 times the corpus's weekly volume),
imported with the real command (``--no-analysis`` unless ``--analysis``: without the
analysis the list holds words and phrases only). Beside each figure, measured in the same
run on the same archive: the search of the same query (first page of 20 with facets,
``store.search``), and reading the same weeks' texts alone (``store.trends.texts``).

    .venv/bin/python bench/bench_trends.py [--size 1000000] [--db PATH|URL] [--analysis] [--repeat 10]

A PostgreSQL archive is given by URL, filled beforehand (``wirewatch copy --from
ARCHIVE.db --to postgresql://…`` of the SQLite one built here).

Prints the figures; exit 0 whatever the verdicts (2: no corpus, 1: the import failed).
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from bench_growth import QUERIES, records, write_size  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus"
TIMELINE_MS, WEEK_S = 200.0, 2.0
KOREAN = "조국통일"
WEEKS = ("2011-12-19", "2012-04-09", "2012-07-16")


def timed(call: Callable[[], object], repeat: int) -> list[float]:
    call()  # warm-up: the first call of a process loads tables and opens the index
    out = []
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        out.append(time.perf_counter() - start)
    return out


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument(
        "--db", help="an archive to use: an SQLite file (built there when it does not exist) or a postgresql:// URL"
    )
    parser.add_argument("--analysis", action="store_true", help="import with the analysis (entities in the list)")
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args()
    if not CORPUS.is_dir():
        print("the shared corpus is not here", file=sys.stderr)
        return 2

    from wirewatch.present.trends import emerging, trend
    from wirewatch.search.base import SearchRequest
    from wirewatch.store import open_store
    from wirewatch.store.trends import PeriodScope

    target = args.db or str(Path(tempfile.mkdtemp(prefix="wirewatch-trends-")) / "archive.db")
    db = Path(target)
    if not target.startswith("postgresql") and not db.exists():
        grown = db.with_suffix(".jsonl.gz")
        print(f"growing the corpus to {args.size:,} records…", file=sys.stderr)
        write_size(records(CORPUS), args.size, grown)
        command = [str(Path(sys.executable).with_name("wirewatch")), "--db", str(db), "import", str(grown)]
        if not args.analysis:
            command.append("--no-analysis")
        start = time.perf_counter()
        # Exit 1 says some records were rejected (the corpus has two without title or body).
        if subprocess.run(command, stdout=subprocess.DEVNULL).returncode not in (0, 1):
            print("the import failed", file=sys.stderr)
            return 1
        print(f"imported in {time.perf_counter() - start:.0f} s", file=sys.stderr)

    store = open_store(target)
    store.catch_up_index()
    articles = store.stats().articles
    print(f"archive: {articles:,} articles ({target})")
    # The totals of every article, per day and source, are counted once per index state and
    # kept: the first timeline after a change pays for them.
    cold = open_store(target)
    start = time.perf_counter()
    trend(cold, [SearchRequest(QUERIES[0])], "month")
    print(f"first timeline of a process (its totals counted): {1000 * (time.perf_counter() - start):.1f} ms")
    cold.close()
    print()
    print(f"{'query':<22} {'matches':>9} {'timeline p50/p95 ms':>20} {'search p50/p95 ms':>18} {'ratio p95':>9}")
    worst = 0.0
    for query in [*QUERIES, KOREAN]:
        request = SearchRequest(query)
        line = timed(lambda request=request: trend(store, [request], "month"), args.repeat)
        plain = timed(lambda request=request: store.search(request), args.repeat)
        matches = trend(store, [request], "month")[0].matches
        worst = max(worst, p95(line))
        print(
            f"{query:<22} {matches:>9,} {1000 * statistics.median(line):>9.1f} / {1000 * p95(line):>7.1f}"
            f" {1000 * statistics.median(plain):>8.1f} / {1000 * p95(plain):>7.1f} {p95(line) / p95(plain):>9.2f}"
        )
    verdict = "PASS" if 1000 * worst <= TIMELINE_MS else "MISS"
    print(f"timeline: worst p95 {1000 * worst:.1f} ms (target <= {TIMELINE_MS:.0f} ms): {verdict}")
    print()
    print(f"{'week':<12} {'articles':>9} {'baseline':>9} {'list s':>8} {'texts alone s':>14} {'terms':>6}")
    slowest = 0.0
    for week in WEEKS:
        day = dt.date.fromisoformat(week)
        start = time.perf_counter()
        result = emerging(store, day)
        took = time.perf_counter() - start
        start = time.perf_counter()
        store.trends.texts(PeriodScope(day - dt.timedelta(weeks=8), day + dt.timedelta(days=6)))
        reading = time.perf_counter() - start
        slowest = max(slowest, took)
        print(
            f"{week:<12} {result.articles:>9,} {result.baseline_articles:>9,} {took:>8.2f} {reading:>14.2f}"
            f" {len(result.terms):>6}"
        )
        print("    " + ", ".join(t.term for t in result.terms[:10]))
    verdict = "PASS" if slowest <= WEEK_S else "MISS"
    print(f"week's list: slowest {slowest:.2f} s (target <= {WEEK_S:.0f} s): {verdict}")
    store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
