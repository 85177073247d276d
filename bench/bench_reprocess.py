"""Re-processing throughput: `wirewatch reprocess` over the shared corpus in this process
(``--workers 0``, the same-run baseline) and on a local Dask cluster of 1 and 2 workers.

The corpus (137,784 KCNA stories and headlines) is imported once with the real command.
Each measurement is the real command in a child process (`wirewatch --db DB
[--boilerplate RULES] reprocess --workers N --json`), and the runs alternate: with a
rules file that strips five transition lines ("It went on:", "The message said:"…),
then without it. Every run so rewrites the same articles (there, then back) and starts
from the archive the run before left. Figures per worker count are the medians of its
runs: the run's own seconds (from its summary: cluster start included), the seconds
after the cluster was up, the CPU seconds of every process of the run (the command and
its Dask workers), and articles per second with its ratio to the baseline. ``other`` is
the check on the run: the most cores other work on the machine kept busy during any of
its runs (from /proc/stat; on PostgreSQL the server's own work counts there too);
above a quarter of a core the figures are suspect. ``best`` is the fastest run, the
figure least moved by a noisy machine.

Usage (from the project root):
    .venv/bin/python bench/bench_reprocess.py [--workers 0 1 2] [--repeat 2] [--partition-size 5000]
        [--backends sqlite postgresql] [--postgresql URL] [--corpus ../shared/corpus] [--workdir DIR]

On PostgreSQL the runs go on a fresh database on the --postgresql server, dropped at the end. Prints a table (stdout) and writes bench/results/reprocess.json. Exit status 2
without the corpus, 1 when a command failed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from wirewatch.store.engine import database_url

ROOT = Path(__file__).resolve().parent.parent
FILES = ("kcna-2011-2012.jsonl.gz", "kcna-headlines-1997-2014.jsonl.gz")
#: The changed rule: lines that introduce a quotation, kept until now.
RULES = """
[[rule]]
name = "transitions"
pattern = '''(?:it|he|she|they) (?:goes|went) on:|the message said:|speeches were made there\\.'''
"""
#: Other work on the machine above this many cores during a run makes its figures suspect.
DISTURBED = 0.25


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def code_version() -> str:
    try:
        git = subprocess.run(
            ["git", "-C", str(ROOT), "describe", "--always", "--dirty"], capture_output=True, text=True
        )
    except OSError:
        return "unknown"
    return git.stdout.strip() or "unknown"


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def machine_busy() -> float:
    """CPU seconds the whole machine has been busy since boot (Linux; 0 elsewhere)."""
    try:
        fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
    except OSError:
        return 0.0
    user, nice, system, _idle, _iowait, irq, softirq, steal = (int(v) for v in fields[:8])
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def run(command: list[str]) -> tuple[dict[str, Any], float, float, float]:
    """The command's JSON summary, its wall clock, the CPU seconds of its whole process
    tree, and the cores other work kept busy meanwhile (the check on the run)."""
    cpu, busy, start = children_cpu(), machine_busy(), time.perf_counter()
    child = subprocess.run(command, capture_output=True, text=True)
    wall, cpu, busy = time.perf_counter() - start, children_cpu() - cpu, machine_busy() - busy
    if child.returncode not in (0, 1):
        raise RuntimeError(f"{' '.join(command[1:6])}… exited {child.returncode}: {child.stderr[-2000:]}")
    return json.loads(child.stdout), wall, cpu, max(0.0, busy - cpu) / wall


def new_database(backend: str, folder: Path, server: str) -> str:
    if backend == "sqlite":
        path = folder / "reprocess.db"
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
        return str(path)
    name = f"wirewatch_reprocess_{uuid.uuid4().hex[:8]}"
    engine = sa.create_engine(database_url(server), isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return server.rsplit("/", 1)[0] + "/" + name


def drop_database(server: str, db: str) -> None:
    engine = sa.create_engine(database_url(server), isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{db.rsplit("/", 1)[1]}" WITH (FORCE)'))
    engine.dispose()


def settle(db: str) -> None:
    """VACUUM ANALYZE after the import, so that autovacuum does not do it during the first runs."""
    engine = sa.create_engine(database_url(db), isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(sa.text("VACUUM ANALYZE"))
    engine.dispose()


def measure(
    wirewatch: str, db: str, rules: Path, workers: list[int], repeat: int, partition_size: int
) -> list[dict[str, Any]]:
    runs: list[dict[str, Any]] = []
    for round_ in range(repeat):
        for count in workers:
            for with_rule in (True, False):
                command = [wirewatch, "--db", db, *(["--boilerplate", str(rules)] if with_rule else [])]
                command += ["reprocess", "--workers", str(count), "--partition-size", str(partition_size), "--json"]
                summary, wall, cpu, other = run(command)
                runs.append(
                    {
                        "workers": count,
                        "rule": with_rule,
                        "round": round_,
                        "wall_s": wall,
                        "cpu_s": cpu,
                        "other_cores": other,
                        **summary,
                    }
                )
                log(
                    f"  workers {count}, {'with' if with_rule else 'without'} the rule: {summary['seconds']:.1f} s "
                    f"({summary['start_seconds']:.1f} s starting), {summary['changed']:,} changed, CPU {cpu:.1f} s, "
                    f"other work {other:.2f} cores" + ("  WARNING: disturbed" if other > DISTURBED else "")
                )
    return runs


def figures(runs: list[dict[str, Any]], workers: list[int]) -> list[dict[str, Any]]:
    rows = []
    for count in workers:
        mine = [r for r in runs if r["workers"] == count]
        seconds = statistics.median(r["seconds"] for r in mine)
        working = statistics.median(r["seconds"] - r["start_seconds"] for r in mine)
        examined = mine[0]["examined"]
        rows.append(
            {
                "workers": count,
                "runs": len(mine),
                "examined": examined,
                "changed": sorted({r["changed"] for r in mine}),
                "seconds": seconds,
                "start_seconds": statistics.median(r["start_seconds"] for r in mine),
                "working_seconds": working,
                "wall_s": statistics.median(r["wall_s"] for r in mine),
                "cpu_s": statistics.median(r["cpu_s"] for r in mine),
                "other_cores": max(r["other_cores"] for r in mine),
                "articles_per_second": examined / seconds,
                "working_articles_per_second": examined / working,
                "best_seconds": min(r["seconds"] for r in mine),
            }
        )
    base = next((r for r in rows if r["workers"] == 0), rows[0])
    for row in rows:
        row["ratio"] = row["articles_per_second"] / base["articles_per_second"]
        row["working_ratio"] = row["working_articles_per_second"] / base["working_articles_per_second"]
        row["best_ratio"] = base["best_seconds"] / row["best_seconds"]
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument(
        "--repeat", type=int, default=2, help="rounds; each runs every worker count with the rule and without"
    )
    parser.add_argument("--partition-size", type=int, default=5000)
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    parser.add_argument("--workdir", type=Path)
    parser.add_argument("--backends", nargs="+", default=["sqlite"], choices=["sqlite", "postgresql"])
    parser.add_argument(
        "--postgresql",
        metavar="URL",
        default=os.environ.get("WIREWATCH_TEST_POSTGRESQL", "postgresql://postgres@127.0.0.1:5432/postgres"),
        help="the PostgreSQL server on which a fresh database is made (and dropped) for --backends postgresql",
    )
    args = parser.parse_args()
    if not all((args.corpus / name).exists() for name in FILES):
        print(f"no corpus at {args.corpus}", file=sys.stderr)
        return 2
    folder = args.workdir or Path(tempfile.mkdtemp(prefix="wirewatch-reprocess-"))
    folder.mkdir(parents=True, exist_ok=True)
    rules = folder / "transitions.toml"
    rules.write_text(RULES, encoding="utf-8")
    wirewatch = str(Path(sys.executable).with_name("wirewatch"))
    meta = {
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "code": code_version(),
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}",
        "load_before": os.getloadavg()[0],
    }
    results: dict[str, Any] = {}
    try:
        for backend in args.backends:
            db = new_database(backend, folder, args.postgresql)
            try:
                log(f"{backend}: importing the corpus")
                imported, seconds, _, _ = run(
                    [wirewatch, "--db", db, "import", *(str(args.corpus / n) for n in FILES), "--json"]
                )
                log(f"  {imported['added'] + imported['duplicates']:,} articles in {seconds:.1f} s")
                if backend == "postgresql":
                    settle(db)
                runs = measure(wirewatch, db, rules, args.workers, args.repeat, args.partition_size)
                results[backend] = {"runs": runs, "figures": figures(runs, args.workers)}
            finally:
                if backend == "postgresql":
                    drop_database(args.postgresql, db)
    except RuntimeError as exc:
        print(exc, file=sys.stderr)
        return 1
    finally:
        if args.workdir is None:
            shutil.rmtree(folder, ignore_errors=True)
    meta["load_after"] = os.getloadavg()[0]
    print(f"wirewatch {meta['code']}, {meta['machine']}; load {meta['load_before']:.1f} → {meta['load_after']:.1f}")
    print(
        f"{'back end':<11} {'workers':>7} {'runs':>4} {'seconds':>8} {'start':>6} {'articles/s':>11} {'vs 0':>6} "
        f"{'after start':>12} {'vs 0':>6} {'best':>6} {'vs 0':>6} {'CPU s':>6} {'other':>6} {'changed':>8}"
    )
    for backend, result in results.items():
        for r in result["figures"]:
            print(
                f"{backend:<11} {r['workers']:>7} {r['runs']:>4} {r['seconds']:>7.1f}s {r['start_seconds']:>5.1f}s "
                f"{r['articles_per_second']:>11,.0f} {r['ratio']:>5.2f}× {r['working_articles_per_second']:>10,.0f}/s "
                f"{r['working_ratio']:>5.2f}× {r['best_seconds']:>5.1f}s {r['best_ratio']:>5.2f}× {r['cpu_s']:>6.1f} {r['other_cores']:>6.2f} {','.join(f'{c:,}' for c in r['changed']):>8}"
            )
    disturbed = [
        f"{b} ×{r['workers']}"
        for b, result in results.items()
        for r in result["figures"]
        if r["other_cores"] > DISTURBED
    ]
    if disturbed:
        print(
            f"WARNING: other work used more than {DISTURBED} of a core during {', '.join(disturbed)}: run again when the machine is quiet"
        )
    out = ROOT / "bench" / "results" / "reprocess.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps({**meta, "results": results}, indent=2, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
