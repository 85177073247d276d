"""The comparison of texts at archive scale (issue 14): what linking costs at import, how long
``reprocess --stage compare`` takes over the whole shared corpus and at what peak memory, how
fast ``similar`` answers, and how right the stored links are on the labelled pairs.

    PYTHONPATH=src python bench/bench_links.py                 # the development pairs
    PYTHONPATH=src python bench/bench_links.py --held-out      # also the held-out pairs, once
    PYTHONPATH=src python bench/bench_links.py --postgresql postgresql://root@127.0.0.1/test

Steps, each in a fresh process (its time, and its peak resident memory from ``getrusage``):

1. the KCNA story file imported with the comparison off, then into a second archive with it
   on: the ratio is the comparison's cost at import (target: at most 1.25);
2. the headline file added to the first archive (the whole corpus, 137,784 records), then
   ``reprocess --stage compare`` over it (``relink_all``; targets: 60 s, 300 MB);
3. ``similar`` (with the story) for 2,000 articles (p50, p95), on that archive and, with
   ``--million``, on an archive of 10^6 articles holding links and stories in the corpus's
   proportions (rows written directly: what is measured is the two index look-ups);
4. the links scored against the pairs: a pair is predicted as the relation of the stored link
   between its two stories, ``unrelated`` when there is none. Only pairs whose two sides have
   a text count; the two files' lines are found through ``article_raw``.
"""

from __future__ import annotations

import argparse
import multiprocessing
import random
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

from tests.analysis.compare_scoring import print_figures  # noqa: E402  (the paths above first)
from tests.eval.pairs import CORPUS, KCNA_FILE, load_pairs  # noqa: E402

HEADLINES = "kcna-headlines-1997-2014.jsonl.gz"


def _import(db: str, paths: list[str], window: int) -> dict[str, Any]:
    from wirewatch.analysis.actors import Actors
    from wirewatch.cli.common import clean_options
    from wirewatch.config.settings import Settings
    from wirewatch.pipeline.importer import run_import
    from wirewatch.pipeline.linking import LinkOptions
    from wirewatch.store import open_store

    store = open_store(db)
    summary = run_import(store, paths, clean_options(Settings()), actors=Actors.load(), compare=LinkOptions(window))
    return {"added": summary.added, "compared": summary.compared}


def _relink(db: str) -> dict[str, Any]:
    from wirewatch.pipeline.linking import relink_all
    from wirewatch.store import open_store

    return relink_all(open_store(db)).as_dict()


def _similar(db: str, count: int) -> dict[str, Any]:
    from wirewatch.store import open_store

    store = open_store(db)
    ids = range(1, store.count_articles() + 1)
    sample = random.Random(1).sample(ids, min(count, len(ids)))
    times = []
    for ident in sample:
        start = time.perf_counter()
        store.similar_of(ident)
        store.story_of(ident)
        times.append(1000 * (time.perf_counter() - start))
    times.sort()
    return {"p50_ms": round(statistics.median(times), 2), "p95_ms": round(times[int(0.95 * len(times))], 2)}


def _grow(db: str, count: int) -> dict[str, Any]:
    """An archive of ``count`` rows with links and stories as the corpus has them: a link
    for about one article in six, a story for one in ten (rows only, no text or index)."""
    import datetime as dt

    import sqlalchemy as sa

    from wirewatch.clock import now_utc
    from wirewatch.store import open_store
    from wirewatch.store.schema import article_links, article_stories, articles, imports, sources

    store = open_store(db)
    now, rng, page = now_utc(), random.Random(7), 20_000
    with store.engine.begin() as conn:
        conn.execute(sa.insert(sources).values(id=1, name="KCNA", created_at=now))
        conn.execute(sa.insert(imports).values(id=1, inputs=[], started_at=now))
    day0 = dt.date(1997, 1, 1)
    storied: set[int] = set()
    for start in range(1, count + 1, page):
        ids = range(start, min(count + 1, start + page))
        rows = [
            {
                "id": i,
                "source_id": 1,
                "title": f"Story {i}",
                "title_derived": False,
                "date": day0 + dt.timedelta(days=i * 6400 // count),
                "language": "en",
                "language_detected": False,
                "record_key": f"k{i}",
                "created_at": now,
                "status": "live",
                "revisions": 1,
            }
            for i in ids
        ]
        links, stories = [], []
        for i in ids:
            if i > 30 and rng.random() < 0.16:
                other = i - rng.randint(1, 30)
                links.append(
                    {
                        "a_id": other,
                        "b_id": i,
                        "relation": rng.choice(["reprint", "translation", "template"]),
                        "score": 0.8,
                        "rule": "C3",
                        "created_at": now,
                    }
                )
                if rng.random() < 0.6 and i not in storied and other not in storied:
                    storied.update((i, other))
                    stories += [{"article_id": i, "story_id": other}, {"article_id": other, "story_id": other}]
        with store.engine.begin() as conn:
            conn.execute(sa.insert(articles), rows)
            if links:
                conn.execute(sa.insert(article_links), links)
            if stories:
                conn.execute(sa.insert(article_stories), stories)
    return {"articles": count}


def _child(function: Callable[..., dict[str, Any]], args: tuple[Any, ...], out: Any) -> None:
    start = time.perf_counter()
    result = function(*args)
    result["seconds"] = round(time.perf_counter() - start, 1)
    result["peak_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    out.send(result)


def measured(function: Callable[..., dict[str, Any]], *args: Any) -> dict[str, Any]:
    """``function(*args)`` in a fresh process: its result, with its seconds and peak memory."""
    context = multiprocessing.get_context("spawn")
    receive, send = context.Pipe(duplex=False)
    child = context.Process(target=_child, args=(function, args, send))
    child.start()
    send.close()
    result: dict[str, Any] = receive.recv()
    child.join()
    return result


def score(db: str, pair_file: Path) -> list[tuple[str, str, str]]:
    """(gold, predicted, languages) for each pair of KCNA stories with text on both sides."""
    import sqlalchemy as sa

    from wirewatch.store import open_store

    store = open_store(db)
    with store.engine.connect() as conn:
        rows = conn.execute(
            sa.text("SELECT line, article_id FROM article_raw WHERE input LIKE :f"), {"f": f"%{KCNA_FILE}"}
        )
        by_line = {int(line): int(ident) for line, ident in rows}
        links = {
            (int(a), int(b)): str(r)
            for a, b, r in conn.execute(sa.text("SELECT a_id, b_id, relation FROM article_links"))
        }
    out = []
    for pair in load_pairs(pair_file):
        a, b = pair["a"], pair["b"]
        if a["file"] != KCNA_FILE or b["file"] != KCNA_FILE or not a["text"] or not b["text"]:
            continue
        x, y = sorted((by_line[a["line"]], by_line[b["line"]]))
        languages = "".join(sorted({a["language"], b["language"]}))
        out.append((pair["relation"], links.get((x, y), "unrelated"), languages))
    return out


def report(name: str, rows: list[tuple[str, str, str]]) -> None:
    print(f"\n{name}: {len(rows)} pairs of KCNA stories with text")
    print_figures(rows, said="linked", siblings="linked as")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--held-out", action="store_true", help="also score the held-out pairs (report once)")
    parser.add_argument("--postgresql", metavar="URL", help="use this empty PostgreSQL database for step 2 and 3")
    parser.add_argument("--keep", metavar="DIR", help="keep the archives in this folder")
    parser.add_argument("--million", action="store_true", help="also time similar at 10^6 articles")
    parser.add_argument("--only-million", action="store_true", help="only that")
    args = parser.parse_args()
    if not (CORPUS / KCNA_FILE).exists():
        sys.exit(f"the shared corpus is not at {CORPUS}")
    folder = Path(args.keep or tempfile.mkdtemp(prefix="wirewatch-links-"))
    folder.mkdir(parents=True, exist_ok=True)
    if args.million or args.only_million:
        for target in [str(folder / "million.db"), *([args.postgresql] if args.postgresql else [])]:
            if target.endswith(".db"):
                Path(target).unlink(missing_ok=True)
            grown = measured(_grow, target, 1_000_000)
            print(
                f"10^6 articles ({target.split('@')[-1]}): written in {grown['seconds']} s; similar {measured(_similar, target, 2000)}"
            )
        if args.only_million:
            return
    stories, headlines = str(CORPUS / KCNA_FILE), str(CORPUS / HEADLINES)
    off, on = str(folder / "off.db"), str(folder / "on.db")
    for path in (off, on):
        Path(path).unlink(missing_ok=True)
    without = measured(_import, off, [stories], 0)
    with_links = measured(_import, on, [stories], 14)
    ratio = with_links["seconds"] / without["seconds"]
    print(f"import of the KCNA stories: {without['seconds']} s without the comparison, {with_links['seconds']} s with")
    print(
        f"  ratio {ratio:.2f} (target ≤ 1.25: {'PASS' if ratio <= 1.25 else 'MISS'}); peak {with_links['peak_mb']} MB"
    )
    print(f"  {with_links['compared']}")
    whole = args.postgresql or off
    if args.postgresql:
        measured(_import, whole, [stories], 0)
    measured(_import, whole, [headlines], 0)
    relinked = measured(_relink, whole)
    print(f"reprocess --stage compare over the whole corpus: {relinked['seconds']} s, peak {relinked['peak_mb']} MB")
    print(f"  (targets 60 s, 300 MB: {'PASS' if relinked['seconds'] <= 60 and relinked['peak_mb'] <= 300 else 'MISS'})")
    print(f"  {relinked}")
    print(f"similar: {measured(_similar, whole, 2000)}")
    report("development", score(whole, ROOT / "tests" / "eval" / "pairs-dev.jsonl"))
    if args.held_out:
        report("held out", score(whole, ROOT / "tests" / "eval" / "pairs-test.jsonl"))


if __name__ == "__main__":
    main()
