"""Text comparison (issue 14) measured on the labelled pairs: precision and recall per
relation, the confusion matrix, the template siblings linked as one story, and the time per
pair in both modes and for a 40,000-character story.

    PYTHONPATH=src python bench/bench_compare.py              # the development pairs
    PYTHONPATH=src python bench/bench_compare.py --held-out   # also the held-out pairs, once

Each pair is compared twice: as the ``/compare`` page and ``wirewatch compare`` ask (each
side's language detected from its text, since the corpus labels some Spanish stories ``en``;
the diff kept as evidence), and as the archive links candidates (each story's language
detected once beforehand and passed in, ``evidence=False``). The two must find the same
relations; the figures are those of the first. Entities come from ``analyse`` with the
packaged actor data, as at import.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

from tests.analysis.compare_scoring import evaluate, print_figures  # noqa: E402  (the paths above first)
from tests.eval.pairs import load_pairs  # noqa: E402

from wirewatch.analysis.actors import Actors  # noqa: E402
from wirewatch.analysis.compare import ComparedText, compare_texts  # noqa: E402

#: A pair slower than this (in either mode) is listed.
SLOW = 0.050


def report(name: str, shown: dict[str, Any], linked: dict[str, Any]) -> None:
    rows = shown["rows"]
    print(f"\n{name}: {len(rows)} pairs with text on both sides")
    for mode, result in (("as /compare shows them (evidence)", shown), ("as the archive links them", linked)):
        times = result["times"]
        slow = sum(1 for t in times if t > SLOW)
        print(
            f"  {mode:<36} mean {1000 * statistics.fmean(times):5.2f} ms, median "
            f"{1000 * statistics.median(times):5.2f} ms, max {1000 * max(times):5.1f} ms, over 50 ms: {slow}"
        )
    differ = [
        i
        for i, (x, y) in enumerate(zip(shown["found"], linked["found"], strict=True))
        if (x.relation, x.score, x.rule, x.slots) != (y.relation, y.score, y.rule, y.slots)
    ]
    print(f"  pairs decided otherwise in the two modes: {len(differ)}")
    print()
    print_figures(rows)


def long_story() -> None:
    """A 40,000-character story against an edited copy and against another long story."""
    pairs = load_pairs(ROOT / "tests" / "eval" / "pairs-dev.jsonl")
    texts = sorted({p[s]["text"] for p in pairs for s in ("a", "b") if p[s]["text"]}, key=len)
    long = "\n\n".join(texts[-1:] * 3)[:40_000]
    other = "\n\n".join(texts[-2:-1] * 3)[:40_000]
    edited = long[:20_000] + " and a few words added " + long[20_000:]
    for name, b in (("edited copy", edited), ("another long story", other)):
        for evidence in (True, False):
            start = time.perf_counter()
            found = compare_texts(
                ComparedText("", long), ComparedText("", b), languages=("en", "en"), evidence=evidence
            )
            took = time.perf_counter() - start
            print(f"40,000 characters against {name} (evidence={evidence}): {found.relation} in {took:.3f} s")


def run(name: str, path: Path, actors: Actors) -> None:
    report(name, evaluate(path, actors), evaluate(path, actors, linking=True))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--held-out", action="store_true", help="also score the held-out pairs (report once)")
    args = parser.parse_args()
    actors = Actors.load()
    # The language model loads on first use (half a second): not a pair's time.
    compare_texts(ComparedText("", "The model loads once."), ComparedText("", "El modelo se carga una vez."))
    run("development", ROOT / "tests" / "eval" / "pairs-dev.jsonl", actors)
    long_story()
    if args.held_out:
        run("held out", ROOT / "tests" / "eval" / "pairs-test.jsonl", actors)


if __name__ == "__main__":
    main()
