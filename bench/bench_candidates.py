"""MinHash/LSH libraries for the comparison's candidate step (issue 14): a measurement, not a choice.

    .venv/bin/pip install datasketch rensa      # measured only: neither is a project dependency
    .venv/bin/python bench/bench_candidates.py [--max-df 100] [--thresholds 0.3 0.5 0.7] [--num-perm 128]

Each KCNA story with a text becomes its set of word 5-shingles, less the shingles that occur in
more than ``--max-df`` stories (formulas and boilerplate). For each library, in a child process
of its own: the MinHash signatures of the 23,143 stories' texts (time), then for each threshold
an LSH index of them (time), its recall of the development set's duplicate and reprint pairs
(either side's query finds the other), how many of its template pairs become candidates, and
the candidate pairs over the whole file (every story queried). Memory is the child's peak
resident size above what it had before building (``VmHWM`` − ``VmRSS`` at the start). Only the
development pairs are read (``tests/eval/pairs-dev.jsonl``), never the held-out ones.
"""

from __future__ import annotations

import argparse
import collections
import json
import multiprocessing
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.eval.build_pairs import load_stories, words  # noqa: E402
from tests.eval.pairs import KCNA_FILE  # noqa: E402

SHINGLE = 5


def memory_kb(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def shingle_sets(max_df: int) -> tuple[list[int], list[list[str]], int]:
    """The stories' lines and their shingle lists without the frequent shingles, and how many
    distinct shingles were dropped."""
    stories = load_stories()
    sets = []
    for story in stories:
        tokens = words(story.text)
        sets.append({" ".join(tokens[i : i + SHINGLE]) for i in range(max(1, len(tokens) - SHINGLE + 1))})
    df: collections.Counter[str] = collections.Counter()
    for shingles in sets:
        df.update(shingles)
    frequent = {s for s, n in df.items() if n > max_df}
    kept = [sorted(s - frequent) or sorted(s) for s in sets]  # a text made only of formulas keeps them
    return [story.line for story in stories], kept, len(frequent)


def dev_pairs(lines: set[int]) -> dict[str, list[tuple[int, int]]]:
    by_relation: dict[str, list[tuple[int, int]]] = collections.defaultdict(list)
    for line in (ROOT / "tests" / "eval" / "pairs-dev.jsonl").read_text(encoding="utf-8").splitlines():
        pair = json.loads(line)
        a, b = pair["a"], pair["b"]
        if a["file"] == b["file"] == KCNA_FILE and a["line"] in lines and b["line"] in lines:
            by_relation[pair["relation"]].append((a["line"], b["line"]))
    return by_relation


def measure(library: str, args: argparse.Namespace, lines: list[int], sets: list[list[str]], out: Any) -> None:
    start_rss = memory_kb("VmRSS")
    t0 = time.perf_counter()
    if library == "datasketch":
        from datasketch import MinHash, MinHashLSH

        sigs = MinHash.bulk([[s.encode() for s in shingles] for shingles in sets], num_perm=args.num_perm, seed=1)
    else:
        from rensa import RMinHash, RMinHashLSH

        sigs = []
        for shingles in sets:
            m = RMinHash(num_perm=args.num_perm, seed=1)
            m.update(shingles)
            sigs.append(m)
    sign_s = time.perf_counter() - t0
    pairs = dev_pairs(set(lines))
    rows = []
    for threshold in args.thresholds:
        t0 = time.perf_counter()
        if library == "datasketch":
            lsh = MinHashLSH(threshold=threshold, num_perm=args.num_perm)
            with lsh.insertion_session() as session:
                for line, sig in zip(lines, sigs, strict=True):
                    session.insert(line, sig)
            bands = lsh.b
        else:
            # rensa takes a band count that divides num_perm: the one whose S-curve midpoint
            # (1/b)^(1/r) is nearest the threshold
            bands = min(
                (b for b in range(1, args.num_perm + 1) if args.num_perm % b == 0),
                key=lambda b: abs((1 / b) ** (b / args.num_perm) - threshold),
            )
            lsh = RMinHashLSH(threshold=threshold, num_perm=args.num_perm, num_bands=bands)
            for line, sig in zip(lines, sigs, strict=True):
                lsh.insert(line, sig)
        index_s = time.perf_counter() - t0
        by_line = dict(zip(lines, sigs, strict=True))
        t0 = time.perf_counter()
        found: dict[int, set[int]] = {line: set(lsh.query(by_line[line])) - {line} for line in lines}
        query_s = time.perf_counter() - t0
        candidates = sum(len(v) for v in found.values()) // 2

        def hit(a: int, b: int, found: dict[int, set[int]] = found) -> bool:
            return b in found[a] or a in found[b]

        copies = pairs["duplicate"] + pairs["reprint"]
        rows.append(
            {
                "threshold": threshold,
                "bands": bands,
                "index_s": round(index_s, 2),
                "query_all_s": round(query_s, 2),
                "candidate_pairs": candidates,
                "copies_found": sum(hit(a, b) for a, b in copies),
                "copies": len(copies),
                "reprints_found": sum(hit(a, b) for a, b in pairs["reprint"]),
                "reprints": len(pairs["reprint"]),
                "templates_found": sum(hit(a, b) for a, b in pairs["template"]),
                "templates": len(pairs["template"]),
                "quotes_found": sum(hit(a, b) for a, b in pairs["quotes"]),
                "quotes": len(pairs["quotes"]),
            }
        )
    out.send(
        {
            "library": library,
            "sign_s": round(sign_s, 2),
            "peak_mb": round((memory_kb("VmHWM") - start_rss) / 1024, 1),
            "rows": rows,
        }
    )


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-df", type=int, default=100, help="drop shingles in more stories than this")
    parser.add_argument("--thresholds", type=float, nargs="+", default=[0.3, 0.5, 0.7])
    parser.add_argument("--num-perm", type=int, default=128)
    parser.add_argument("--libraries", nargs="+", default=["datasketch", "rensa"])
    args = parser.parse_args(argv)
    t0 = time.perf_counter()
    lines, sets, dropped = shingle_sets(args.max_df)
    print(
        f"{len(lines)} stories with a text, {dropped} shingles in more than {args.max_df} stories dropped; "
        f"shingling {time.perf_counter() - t0:.1f} s (shared, not counted below)",
        file=sys.stderr,
    )
    context = multiprocessing.get_context("fork")
    results = []
    for library in args.libraries:
        try:
            __import__(library)
        except ImportError:
            print(f"{library}: not installed (pip install {library}); skipped")
            continue
        receive, send = context.Pipe(duplex=False)
        child = context.Process(target=measure, args=(library, args, lines, sets, send))
        child.start()
        send.close()
        try:
            results.append(receive.recv())
        except EOFError:  # the child died: its traceback is on stderr
            print(f"{library}: the measurement failed")
        child.join()
    print(f"num_perm {args.num_perm}, shingles in more than {args.max_df} stories dropped")
    print(
        f"{'library':<11} {'sign s':>7} {'peak MB':>8} {'thr':>4} {'bands':>5} {'index s':>8} {'query s':>8} "
        f"{'cand. pairs':>11} {'dup+reprint':>11} {'reprint':>7} {'template':>8} {'quotes':>6}"
    )
    for result in results:
        for row in result["rows"]:
            print(
                f"{result['library']:<11} {result['sign_s']:>7} {result['peak_mb']:>8} {row['threshold']:>4} "
                f"{row['bands']:>5} {row['index_s']:>8} {row['query_all_s']:>8} {row['candidate_pairs']:>11} "
                f"{row['copies_found']:>5}/{row['copies']:<5} {row['reprints_found']:>3}/{row['reprints']:<3} "
                f"{row['templates_found']:>4}/{row['templates']:<3} {row['quotes_found']:>3}/{row['quotes']:<2}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
