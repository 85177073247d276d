"""Text comparison (issue 14) measured on the labelled pairs: precision and recall per
relation, the confusion matrix, the template siblings linked as one story, and the time per
pair and for a 40,000-character story.

    PYTHONPATH=src python bench/bench_compare.py              # the development pairs
    PYTHONPATH=src python bench/bench_compare.py --held-out   # also the held-out pairs, once

Each side's language is detected from its text (the corpus labels some Spanish stories
``en``); its entities come from ``analyse`` with the packaged actor data, as at import.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

from tests.analysis.compare_scoring import SAME_STORY, evaluate, figures  # noqa: E402  (the paths above first)
from tests.eval.pairs import RELATIONS, load_pairs  # noqa: E402

from wirewatch.analysis.actors import Actors  # noqa: E402
from wirewatch.analysis.compare import ComparedText, compare_texts  # noqa: E402


def report(name: str, result: dict[str, Any]) -> None:
    rows = result["rows"]
    print(f"\n{name}: {len(rows)} pairs with text on both sides, {1000 * result['seconds'] / len(rows):.1f} ms a pair")
    print(f"{'relation':<18} {'P':>5} {'R':>5} {'gold':>5}")
    for relation, (p, r, n) in figures(rows).items():
        print(f"{relation:<18} {p:5.2f} {r:5.2f} {n:5}")
    confusion = Counter((g, p) for g, p, _ in rows)
    print("\ngold \\ said  " + " ".join(f"{r[:6]:>6}" for r in RELATIONS))
    for g in RELATIONS:
        print(f"{g:<12} " + " ".join(f"{confusion[(g, p)]:6}" for p in RELATIONS))
    linked = sum(1 for g, p, _ in rows if g == "template" and p in SAME_STORY)
    print(f"template siblings called duplicate, reprint or translation: {linked}")


def long_story(actors: Actors) -> None:
    """A 40,000-character story against an edited copy and against another long story."""
    pairs = load_pairs(ROOT / "tests" / "eval" / "pairs-dev.jsonl")
    texts = sorted({p[s]["text"] for p in pairs for s in ("a", "b") if p[s]["text"]}, key=len)
    long = "\n\n".join(texts[-1:] * 3)[:40_000]
    other = "\n\n".join(texts[-2:-1] * 3)[:40_000]
    edited = long[:20_000] + " and a few words added " + long[20_000:]
    for name, b in (("edited copy", edited), ("another long story", other)):
        start = time.perf_counter()
        found = compare_texts(ComparedText("", long), ComparedText("", b))
        print(f"40,000 characters against {name}: {found.relation} in {time.perf_counter() - start:.3f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--held-out", action="store_true", help="also score the held-out pairs (report once)")
    args = parser.parse_args()
    actors = Actors.load()
    report("development", evaluate(ROOT / "tests" / "eval" / "pairs-dev.jsonl", actors))
    long_story(actors)
    if args.held_out:
        report("held out", evaluate(ROOT / "tests" / "eval" / "pairs-test.jsonl", actors))


if __name__ == "__main__":
    main()
