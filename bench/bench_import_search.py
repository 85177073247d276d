"""Import the shared KCNA corpus and search it, against bare sqlite3 FTS5 in the same run.

Targets on the project's 2-core machine:

- import: wirewatch's wall clock at most 3× a bare FTS5 insert of the same rows;
- import with analysis (entities and events, the default) at most 1.5× the same import
  with ``--no-analysis`` (issue 6), both measured in this run;
- peak memory of the import (resident, its whole process tree) at most 300 MB;
- search: p95 over all query timings at most 2× the bare FTS5 MATCH.

The import is the real command (``wirewatch --db DIR/ww.db import … --json``) in a child
process; the searches run in-process through the public store API, the call the CLI makes.
A MISS is a finding, not an error: the script exits 0 either way (2: the corpus is missing).

    .venv/bin/python bench/bench_import_search.py [--corpus ../shared/corpus] [--workdir DIR] [--repeat N]
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import functools
import gzip
import json
import os
import platform
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import psutil

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
FILES = ("kcna-2011-2012.jsonl.gz", "kcna-headlines-1997-2014.jsonl.gz")
RESULTS = ROOT / "bench" / "results" / "import_search.json"
IMPORT_TARGET, SEARCH_TARGET, PEAK_MB_TARGET, ANALYSIS_TARGET = 3.0, 2.0, 300.0, 1.5
MB = 1024 * 1024
BARE_PAGE = "SELECT rowid, snippet(t, 1, '[', ']', '…', 30) FROM t WHERE t MATCH ? ORDER BY rank LIMIT 20"
BARE_COUNT = "SELECT count(*) FROM t WHERE t MATCH ?"


@dataclass(frozen=True, slots=True)
class Query:
    """A benchmark query: wirewatch's text and filters; the bare table runs the text as its MATCH."""

    text: str
    sources: tuple[str, ...] = ()
    since: dt.date | None = None
    order: Literal["relevance", "newest", "oldest"] = "relevance"

    @property
    def label(self) -> str:
        extra = [f"source {','.join(self.sources)}"] * bool(self.sources) + [f"since {self.since}"] * bool(self.since)
        extra += [self.order] * (self.order != "relevance")
        return self.text + (f" [{', '.join(extra)}]" if extra else "")


# Each text means the same in wirewatch's query syntax and in FTS5's.
QUERIES = (
    Query("Lavrov"),  # a name
    Query("Korea"),  # the most common word: ~17,000 records
    Query('"Federation Council"'),  # phrase
    Query('Lavrov OR "Federation Council"'),
    Query("nuclear AND Japan"),
    Query("nuclear NOT Japan"),
    Query("nucle*"),  # prefix
    Query("Bhutan"),  # rare: three records
    Query("amistad"),  # Spanish
    Query("title:Zimbabwe"),  # one column
    Query("nuclear", sources=("KCNA",), since=dt.date(2011, 6, 1)),  # filtered
    Query("Juche", order="newest"),  # date order
)


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


@contextlib.contextmanager
def peak_rss(pid: int, interval: float = 0.05) -> Iterator[list[int]]:
    """Poll a process and its children every ``interval`` s; yields ``[peak]``, the largest summed RSS in bytes."""
    peak, stop, process = [0], threading.Event(), psutil.Process(pid)

    def poll() -> None:
        while True:
            with contextlib.suppress(psutil.Error):  # a process ended between listing and reading it
                tree = [process, *process.children(recursive=True)]
                peak[0] = max(peak[0], sum(p.memory_info().rss for p in tree))
            if stop.wait(interval):
                return

    thread = threading.Thread(target=poll, daemon=True)
    thread.start()
    try:
        yield peak
    finally:
        stop.set()
        thread.join()


def wirewatch_command() -> list[str]:
    script = Path(sys.executable).with_name("wirewatch")
    return [str(script)] if script.exists() else [sys.executable, "-c", "from wirewatch.cli import main; main()"]


def db_files(db: Path) -> list[Path]:
    return [Path(f"{db}{suffix}") for suffix in ("", "-wal", "-shm")]


def code_version() -> str:
    """The commit measured, '-dirty' when the checkout has changes (the figures change with the code)."""
    try:
        command = ["git", "-C", str(ROOT), "describe", "--always", "--dirty"]
        git = subprocess.run(command, capture_output=True, text=True)
    except OSError:  # no git here
        return "unknown"
    return git.stdout.strip() or "unknown"


def wirewatch_import(db: Path, inputs: Sequence[Path], options: Sequence[str] = ()) -> dict[str, Any]:
    """Run the import command: its wall clock, peak memory and JSON summary."""
    command = [*wirewatch_command(), "--db", str(db), "import", *map(str, inputs), *options, "--json"]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    with peak_rss(child.pid) as polled:
        out, err = child.communicate()
    seconds = time.perf_counter() - start
    # KiB on Linux; the import is the first child this script waits for, so the maximum is its own.
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    rusage = after.ru_maxrss * 1024
    if child.returncode not in (0, 1):  # 1: done, but some records were rejected
        sys.exit(f"wirewatch import failed (exit status {child.returncode}):\n{err[-3000:]}")
    summary = json.loads(out)
    return {
        "seconds": seconds,
        "cpu_seconds": after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime,
        "exit_status": child.returncode,
        "peak_mb": max(polled[0], rusage) / MB,
        "peak_mb_polled": polled[0] / MB,
        "peak_mb_rusage": rusage / MB,
        "summary": {k: v for k, v in summary.items() if k != "errors"},
        "first_errors": summary.get("errors", [])[:5],
    }


def read_rows(inputs: Sequence[Path], clock: list[float]) -> Iterator[tuple[str | None, str | None]]:
    """Title and body of every record; adds the time spent reading and decoding to ``clock[0]``."""
    for path in inputs:
        with gzip.open(path, "rt", encoding="utf-8") as lines:
            start = time.perf_counter()
            for line in lines:
                if line.strip():
                    record = json.loads(line)
                    clock[0] += time.perf_counter() - start
                    yield record.get("title"), record.get("body")
                    start = time.perf_counter()


def bare_insert(db: Path, inputs: Sequence[Path]) -> dict[str, Any]:
    """The baseline: the same rows into a plain FTS5 table, one executemany in one transaction."""
    clock = [0.0]
    with peak_rss(os.getpid()) as polled:
        start, cpu = time.perf_counter(), time.process_time()
        conn = sqlite3.connect(db)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute("CREATE VIRTUAL TABLE t USING fts5(title, body)")
        with conn:
            conn.executemany("INSERT INTO t(title, body) VALUES (?, ?)", read_rows(inputs, clock))
        rows = conn.execute("SELECT count(*) FROM t").fetchone()[0]
        conn.close()
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    rusage = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    return {
        "seconds": seconds,
        "cpu_seconds": cpu,
        "reading_seconds": clock[0],
        "rows": rows,
        "peak_mb": max(polled[0], rusage) / MB,
    }


def timed(call: Callable[[], object]) -> float:
    start = time.perf_counter()
    call()
    return (time.perf_counter() - start) * 1000


def percentile(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    pos = (len(ordered) - 1) * q
    low, high = int(pos), min(int(pos) + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)


def run_queries(ww_db: Path, bare_db: Path, repeat: int) -> list[dict[str, Any]]:
    """Each query once to warm up, then ``repeat`` timed runs on each side, in turn."""
    # Imported only now, so that the bare insert's peak memory holds none of wirewatch.
    from wirewatch.search.base import SearchRequest
    from wirewatch.store import open_store

    store, bare = open_store(str(ww_db)), sqlite3.connect(bare_db)
    results = []
    for query in QUERIES:
        request = SearchRequest(query=query.text, sources=query.sources, since=query.since, order=query.order)

        def bare_search(match: str = query.text) -> int:
            bare.execute(BARE_PAGE, (match,)).fetchall()
            return int(bare.execute(BARE_COUNT, (match,)).fetchone()[0])

        ww_total, bare_total = store.search(request).total, bare_search()
        ww_ms, bare_ms = [], []
        for _ in range(repeat):
            ww_ms.append(timed(functools.partial(store.search, request)))
            bare_ms.append(timed(bare_search))
        results.append(
            {
                "query": query.label,
                "wirewatch_total": ww_total,
                "bare_total": bare_total,
                "wirewatch_p50_ms": percentile(ww_ms, 0.5),
                "wirewatch_p95_ms": percentile(ww_ms, 0.95),
                "bare_p50_ms": percentile(bare_ms, 0.5),
                "bare_p95_ms": percentile(bare_ms, 0.95),
                "wirewatch_ms": ww_ms,
                "bare_ms": bare_ms,
            }
        )
    store.close()
    bare.close()
    return results


def verdict(value: float, target: float) -> str:
    return "PASS" if value <= target else "MISS"


def figures_of(
    ww: dict[str, Any],
    bare: dict[str, Any],
    queries: list[dict[str, Any]],
    meta: dict[str, Any],
    plain: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Ratios and verdicts: what the table shows and the results file keeps."""
    every_ww = [ms for q in queries for ms in q["wirewatch_ms"]]
    every_bare = [ms for q in queries for ms in q["bare_ms"]]
    p95 = (percentile(every_ww, 0.95), percentile(every_bare, 0.95))
    analysis = {}
    if plain is not None:
        ratio = ww["seconds"] / plain["seconds"]
        analysis = {
            "import_without_analysis": plain,
            "analysis_ratio": ratio,
            "analysis_result": verdict(ratio, ANALYSIS_TARGET),
        }
    return {
        **meta,
        **analysis,
        "targets": {
            "import_ratio": IMPORT_TARGET,
            "peak_mb": PEAK_MB_TARGET,
            "search_p95_ratio": SEARCH_TARGET,
            "analysis_ratio": ANALYSIS_TARGET,
        },
        "import_ratio": ww["seconds"] / bare["seconds"],
        "import_result": verdict(ww["seconds"] / bare["seconds"], IMPORT_TARGET),
        "memory_result": verdict(ww["peak_mb"], PEAK_MB_TARGET),
        "search_p50_ms": (percentile(every_ww, 0.5), percentile(every_bare, 0.5)),
        "search_p95_ms": p95,
        "search_p95_ratio": p95[0] / p95[1],
        "search_result": verdict(p95[0] / p95[1], SEARCH_TARGET),
        "wirewatch_import": ww,
        "bare_insert": bare,
        "queries": queries,
    }


def print_table(f: dict[str, Any]) -> None:
    ww, bare, s = f["wirewatch_import"], f["bare_insert"], f["wirewatch_import"]["summary"]
    print(
        f"\nwirewatch {f['code']} import + search: {f['cpus']} CPUs, Python {f['python']}, SQLite {f['sqlite']}, "
        f"{f['repeat']} timed runs per query; load {f['load_before']:.2f} → {f['load_after']:.2f}"
    )
    print(
        f"wirewatch import: read {s['read']:,}, added {s['added']:,}, duplicates {s['duplicates']:,}, "
        f"unchanged {s['unchanged']:,}, rejected {s['rejected']:,} (exit status {ww['exit_status']}); "
        f"bare rows {bare['rows']:,}"
    )
    for error in ww["first_errors"]:
        print(f"  e.g. rejected {error}")
    p50, p95 = f["search_p50_ms"], f["search_p95_ms"]
    rows = [
        ("import (s)", ww["seconds"], bare["seconds"], f["import_ratio"], "≤ 3×", f["import_result"], 1),
        ("import CPU (s)", ww["cpu_seconds"], bare["cpu_seconds"], ww["cpu_seconds"] / bare["cpu_seconds"], "", "", 1),
        *(
            [
                (
                    "with/without analysis (s)",
                    ww["seconds"],
                    f["import_without_analysis"]["seconds"],
                    f["analysis_ratio"],
                    "≤ 1.5×",
                    f["analysis_result"],
                    1,
                )
            ]
            if "analysis_ratio" in f
            else []
        ),
        ("peak memory (MB)", ww["peak_mb"], bare["peak_mb"], None, "≤ 300 MB", f["memory_result"], 0),
        ("search p95, all (ms)", *p95, f["search_p95_ratio"], "≤ 2×", f["search_result"], 2),
        ("search p50, all (ms)", *p50, p50[0] / p50[1], "", "", 2),
        ("DB size (MB)", f["ww_db_mb"], f["bare_db_mb"], f["ww_db_mb"] / f["bare_db_mb"], "", "", 1),
    ]
    print(f"\n{'':26}{'wirewatch':>11}{'bare':>11}{'ratio':>9}  {'target':<10}result")
    for label, mine, base, ratio, target, result, digits in rows:
        shown = f"{ratio:.2f}×" if ratio is not None else ""
        print(f"{label:26}{mine:>11.{digits}f}{base:>11.{digits}f}{shown:>9}  {target:<10}{result}")
    print(f"\n{'query (ms)':52}{'hits ww':>8}{'bare':>8}{'ww p50':>8}{'p95':>8}{'bare p50':>9}{'p95':>7}{'p95 ×':>7}")
    for q in f["queries"]:
        w50, w95, b50, b95 = (q[k] for k in ("wirewatch_p50_ms", "wirewatch_p95_ms", "bare_p50_ms", "bare_p95_ms"))
        print(
            f"{q['query'][:51]:52}{q['wirewatch_total']:>8,}{q['bare_total']:>8,}"
            f"{w50:>8.1f}{w95:>8.1f}{b50:>9.1f}{b95:>7.1f}{w95 / b95:>6.1f}×"
        )
    print(f"""
notes: both import times include reading and JSON-decoding the .gz files (bare: {bare["reading_seconds"]:.1f} s of it);
  wirewatch's also includes starting Python and its imports (~{f["startup_seconds"]:.1f} s, 'wirewatch --version').
  A load average near the CPU count means other work shared the machine: wall clock suffers, CPU seconds less.
  Peak memory: wirewatch, the import's process tree (50 ms RSS polls, ru_maxrss); bare, this script's process.
  Bare search: the FTS5 MATCH for one page of 20 snippets by rank, plus a count(*); wirewatch: the store's
  search (total, facets, 20 snippets). The bare table has only title and body: it runs filtered and date-ordered
  queries as the plain MATCH, and indexes the exact duplicates wirewatch links instead (hence more hits).""")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS, help="the corpus folder (default ../shared/corpus)")
    parser.add_argument("--workdir", type=Path, help="keep the two databases here (default: a temporary folder)")
    parser.add_argument("--repeat", type=int, default=20, help="timed runs of each query (default 20)")
    parser.add_argument(
        "--no-analysis-variant",
        action="store_true",
        help="skip the second import (--no-analysis) that the analysis ratio compares with",
    )
    args = parser.parse_args(argv)
    inputs = [args.corpus / name for name in FILES]
    missing = [str(p) for p in inputs if not p.is_file()]
    if missing:
        print(f"error: corpus file(s) missing: {', '.join(missing)} (use --corpus DIR)", file=sys.stderr)
        return 2
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="wirewatch-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    ww_db, bare_db = workdir / "ww.db", workdir / "bare.db"
    for old in db_files(ww_db) + db_files(bare_db):
        old.unlink(missing_ok=True)
    load_before = os.getloadavg()[0]
    try:
        log(f"1/4 wirewatch import into {ww_db} ...")
        ww = wirewatch_import(ww_db, inputs)
        log(f"    {ww['seconds']:.1f} s, peak {ww['peak_mb']:.0f} MB, {ww['summary']['rejected']:,} rejected")
        plain = None
        if not args.no_analysis_variant:
            log("1b/4 wirewatch import --no-analysis (the analysis ratio's baseline) ...")
            plain_db = workdir / "ww-plain.db"
            for old in db_files(plain_db):
                old.unlink(missing_ok=True)
            plain = wirewatch_import(plain_db, inputs, ["--no-analysis"])
            log(f"    {plain['seconds']:.1f} s, peak {plain['peak_mb']:.0f} MB")
        log("2/4 bare sqlite3 FTS5 insert ...")
        bare = bare_insert(bare_db, inputs)
        log(f"    {bare['seconds']:.1f} s, {bare['rows']:,} rows")
        log(f"3/4 {len(QUERIES)} queries, {args.repeat} timed runs each, on both ...")
        queries = run_queries(ww_db, bare_db, args.repeat)
        log("4/4 start-up time and file sizes ...")
        meta = {
            "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "cpus": psutil.cpu_count(),
            "code": code_version(),
            "python": platform.python_version(),
            "sqlite": sqlite3.sqlite_version,
            "repeat": args.repeat,
            # Starting Python and importing wirewatch: in the import's time, not in the bare insert's.
            "startup_seconds": timed(
                functools.partial(subprocess.run, [*wirewatch_command(), "--version"], check=True, capture_output=True)
            )
            / 1000,
            "load_before": load_before,
            "load_after": os.getloadavg()[0],
            "ww_db_mb": sum(p.stat().st_size for p in db_files(ww_db) if p.exists()) / MB,
            "bare_db_mb": sum(p.stat().st_size for p in db_files(bare_db) if p.exists()) / MB,
        }
    finally:
        if args.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)
    figures = figures_of(ww, bare, queries, meta, plain)
    print_table(figures)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(figures, indent=2, default=str) + "\n", encoding="utf-8")
    log(f"figures written to {RESULTS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
