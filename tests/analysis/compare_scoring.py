"""Scoring the text comparison (issue 14) on the labelled pairs: what the dev-set floor test
(tests/analysis/test_compare.py) and bench/bench_compare.py share."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path
from typing import Any

from tests.eval.pairs import RELATIONS, load_pairs
from wirewatch.analysis.actors import Actors
from wirewatch.analysis.analyse import analyse
from wirewatch.analysis.compare import ComparedText, Comparison, compare_texts, language_of
from wirewatch.models import Article

#: Relations that say "the same story": a template sibling must never get one.
SAME_STORY = ("duplicate", "reprint", "translation")


def compared_side(side: dict[str, Any], actors: Actors, cache: dict[Any, ComparedText]) -> ComparedText:
    key = (side["file"], side["line"])
    if key not in cache:
        day = dt.date.fromisoformat(side["date"]) if side["date"] else None
        article = Article(source="KCNA", title=side["title"] or "", body=side["text"], date=day)
        entities = tuple(analyse(article, actors).entities)
        cache[key] = ComparedText(side["title"] or "", side["text"], None, day, "KCNA", entities)
    return cache[key]


def evaluate(path: Path, actors: Actors, *, linking: bool = False) -> dict[str, Any]:
    """Gold and predicted relations of the pairs in ``path`` whose two sides have text, and the
    time each comparison took.

    As the ``/compare`` page asks by default: each side's language detected from its text, the
    evidence (the diff) computed. With ``linking``, as the archive links: each story's language
    detected once beforehand (the archive keeps it) and passed in, ``evidence=False``."""
    cache: dict[Any, ComparedText] = {}
    languages: dict[int, str | None] = {}
    rows = []
    times = []
    found: list[Comparison] = []
    for pair in load_pairs(path):
        if not pair["a"]["text"] or not pair["b"]["text"]:
            continue
        a, b = compared_side(pair["a"], actors, cache), compared_side(pair["b"], actors, cache)
        if linking:
            known = tuple(languages.setdefault(id(side), language_of(side)) for side in (a, b))
            start = time.perf_counter()
            result = compare_texts(a, b, languages=(known[0], known[1]), evidence=False)
        else:
            start = time.perf_counter()
            result = compare_texts(a, b)
        times.append(time.perf_counter() - start)
        found.append(result)
        pair_languages = "".join(sorted({pair["a"]["language"], pair["b"]["language"]}))
        rows.append((pair["relation"], result.relation, pair_languages))
    return {"rows": rows, "seconds": sum(times), "times": times, "found": found}


def figures(rows: list[tuple[str, str, str]]) -> dict[str, tuple[float, float, int]]:
    """Precision, recall and gold count per relation, and for ``translation en-es`` alone."""
    out = {relation: _scores([(g, p) for g, p, _ in rows], relation) for relation in RELATIONS}
    out["translation en-es"] = _scores([(g, p) for g, p, lang in rows if lang == "enes"], "translation")
    return out


def _scores(pairs: list[tuple[str, str]], relation: str) -> tuple[float, float, int]:
    """Precision, recall and gold count of one relation over (gold, predicted) pairs."""
    gold = sum(1 for g, _ in pairs if g == relation)
    said = sum(1 for _, p in pairs if p == relation)
    right = sum(1 for g, p in pairs if g == p == relation)
    return (right / said if said else 1.0, right / gold if gold else 1.0, gold)


def print_figures(rows: list[tuple[str, str, str]], *, said: str = "said", siblings: str = "called") -> None:
    """The figures of ``rows`` as the benches print them: precision and recall per relation,
    the confusion matrix (gold by row), and the template siblings given a same-story relation."""
    from collections import Counter

    print(f"{'relation':<18} {'P':>5} {'R':>5} {'gold':>5}")
    for relation, (p, r, n) in figures(rows).items():
        print(f"{relation:<18} {p:5.2f} {r:5.2f} {n:5}")
    confusion = Counter((g, p) for g, p, _ in rows)
    print(f"gold \\ {said:<6} " + " ".join(f"{r[:6]:>6}" for r in RELATIONS))
    for g in RELATIONS:
        print(f"{g:<13} " + " ".join(f"{confusion[(g, p)]:6}" for p in RELATIONS))
    linked = sum(1 for g, p, _ in rows if g == "template" and p in SAME_STORY)
    print(f"template siblings {siblings} duplicate, reprint or translation: {linked}")
