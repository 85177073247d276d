"""Render one day's Daily Update for 10,000 subscribers with varied preferences.

Target (issue 7): the whole of it in at most 10 s on the project's 2-core machine:
the edition built once (``build_digest``), each distinct topic searched once
(``topic_hits``), then per subscriber their copy (``Digest.for_reader``) and their mail,
HTML and plain text (``render_digest``), with their own links.

The baseline, measured in the same run: the same work for the first ``--baseline``
subscribers with the edition's rendering cache emptied before each one, so that every
story, heading and frame goes through the templates again, as a render of the whole
template per reader would; its time is scaled to all subscribers for the ratio.

The archive: ``--db PATH`` if given; else the shared corpus's KCNA stories
(``../shared/corpus/kcna-2011-2012.jsonl.gz``, imported and analysed into the work
folder, a few minutes the first time; kept with ``--workdir``); else the bundled demo
sample. The edition is ``--date``, or the day holding the most articles. A MISS is a
finding, not an error: the script exits 0 either way (2: an archive that holds nothing).

    .venv/bin/python bench/bench_digest.py [--corpus ../shared/corpus] [--db PATH] [--workdir DIR]
        [--date YYYY-MM-DD] [--readers N] [--baseline N] [--weekly]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
TARGET = 10.0  # seconds for all readers
MAIL_LIMIT = 100_000  # bytes of HTML
BASE = "https://archive.example.org"
TOPICS = (
    "Kim Jong Un",
    "Kim Jong Il",
    "missile",
    "Russia",
    "China",
    "Japan",
    "nuclear",
    "agriculture",
    "country:USA",
    "person:kim-yong-nam",
    "friendship",
    "delegation",
    "satellite OR rocket",
    "Lavrov",
    '"South Korea"',
    "economy",
    "event:visit",
    "Cuba",
    "anniversary",
    "Songun",
)


def _archive(args: argparse.Namespace, workdir: Path) -> str:
    """The archive to read: the one given, else the corpus imported (once), else the demo sample."""
    if args.db:
        return str(args.db)
    from wirewatch.analysis.actors import Actors
    from wirewatch.clean.boilerplate import BoilerplateRules
    from wirewatch.clean.record import CleanOptions
    from wirewatch.pipeline.importer import run_import
    from wirewatch.store import open_store

    corpus = Path(args.corpus) / "kcna-2011-2012.jsonl.gz"
    if corpus.exists():
        db, inputs = workdir / "digest-corpus.db", [str(corpus)]
    else:
        from importlib.resources import files

        print(f"no corpus at {corpus}: using the bundled demo sample", file=sys.stderr)
        db, inputs = workdir / "digest-sample.db", [str(files("wirewatch") / "sample")]
    store = open_store(str(db))
    try:
        if not store.stats().articles:
            print(f"importing {', '.join(inputs)} into {db} (with the analysis)…", file=sys.stderr)
            started = time.perf_counter()
            run_import(store, inputs, CleanOptions(rules=BoilerplateRules.load(())), actors=Actors.load())
            print(f"  imported in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    finally:
        store.close()
    return str(db)


def _busiest_day(store: Any) -> dt.date | None:
    stats = store.stats()
    if stats.first_date is None:
        return None
    counts = store.day_counts(stats.first_date, stats.last_date)
    return max(counts, key=lambda day: (counts[day], day)) if counts else None


def _readers(count: int, sources: list[str], seed: int = 7) -> list[Any]:
    """``count`` varied preferences: 0-3 topics, a source for one in five, a language for one in five."""
    from wirewatch.models import Preferences

    rng = random.Random(seed)
    readers = []
    for _ in range(count):
        topics = tuple(rng.sample(TOPICS, rng.choice((0, 0, 1, 1, 2, 3))))
        chosen = (rng.choice(sources),) if sources and rng.random() < 0.2 else ()
        roll = rng.random()
        languages = ("en",) if roll < 0.15 else ("es",) if roll < 0.2 else ()
        readers.append(Preferences(topics=topics, sources=chosen, languages=languages))
    return readers


def _links(i: int) -> Any:
    from wirewatch.digest.rendering import MailLinks

    token = f"{i:08x}.{(i * 2654435761) % 2**32:08x}"
    return MailLinks(
        f"{BASE}/digests/edition", f"{BASE}/preferences?token=p{token}", f"{BASE}/unsubscribe?token=u{token}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", default=str(ROOT.parent / "shared" / "corpus"))
    parser.add_argument("--db", type=Path, help="an existing archive to read instead of importing one")
    parser.add_argument(
        "--workdir", type=Path, help="where the imported archive goes and stays (default: a temporary folder)"
    )
    parser.add_argument("--date", help="the edition's day (default: the day holding the most articles)")
    parser.add_argument("--weekly", action="store_true", help="the weekly edition: the 7 days ending on the date")
    parser.add_argument("--readers", type=int, default=10_000)
    parser.add_argument("--baseline", type=int, default=500, help="readers rendered without the cache, for the ratio")
    args = parser.parse_args()

    from wirewatch.digest.rendering import render_digest
    from wirewatch.digest.selection import build_digest, topic_hits
    from wirewatch.store import open_store

    with tempfile.TemporaryDirectory() as scratch:
        workdir = args.workdir or Path(scratch)
        workdir.mkdir(parents=True, exist_ok=True)
        store = open_store(_archive(args, workdir))
        day = dt.date.fromisoformat(args.date) if args.date else _busiest_day(store)
        if day is None:
            print("the archive holds no dated articles", file=sys.stderr)
            return 2
        days = 7 if args.weekly else 1
        readers = _readers(args.readers, store.source_names())
        load = os.getloadavg()[0]

        started = time.perf_counter()
        edition = build_digest(store, day, days=days)
        built = time.perf_counter()
        hits = topic_hits(store, {t for r in readers for t in r.topics}, edition.since, edition.day)
        searched = time.perf_counter()
        sizes, texts, stories = [], [], []
        for i, prefs in enumerate(readers):
            mail = render_digest(edition.for_reader(prefs, hits), _links(i), base_url=BASE)
            sizes.append(len(mail.html.encode()))
            texts.append(len(mail.text.encode()))
            stories.append(mail.html.count(f"{BASE}/articles/"))
        finished = time.perf_counter()

        sample = readers[: args.baseline]
        base_started = time.perf_counter()
        for i, prefs in enumerate(sample):
            edition.cache.clear()
            render_digest(edition.for_reader(prefs, hits), _links(i), base_url=BASE)
        base_time = (time.perf_counter() - base_started) * len(readers) / max(len(sample), 1)
        store.close()

    build_s, hits_s, render_s = built - started, searched - built, finished - searched
    total = finished - started
    figures = {
        "archive": str(args.db or "corpus/sample"),
        "edition": day.isoformat(),
        "days": days,
        "articles": edition.articles,
        "stories": len(edition.items),
        "readers": len(readers),
        "distinct_topics": len(hits),
        "build_s": build_s,
        "topics_s": hits_s,
        "render_s": render_s,
        "total_s": total,
        "mails_per_s": len(readers) / render_s,
        "html_bytes_max": max(sizes),
        "html_bytes_mean": statistics.mean(sizes),
        "text_bytes_max": max(texts),
        "stories_per_mail_mean": statistics.mean(stories),
        "baseline_total_s": base_time + build_s + hits_s,
        "load_start": load,
        "load_end": os.getloadavg()[0],
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
    }
    verdict = "PASS" if total <= TARGET else "MISS"
    size_verdict = "PASS" if max(sizes) < MAIL_LIMIT else "MISS"
    print(
        f"edition {day} ({'weekly' if args.weekly else 'daily'}): {edition.articles:,} articles, {len(edition.items):,} stories; "
        f"{len(readers):,} readers, {len(hits)} distinct topics; load {load:.2f} → {figures['load_end']:.2f} on {os.cpu_count()} CPUs"
    )
    print(f"{'':28}{'wirewatch':>12}{'baseline':>12}{'ratio':>9}  {'target':<10}result")
    print(
        f"{'total (s)':28}{total:12.2f}{figures['baseline_total_s']:12.2f}{figures['baseline_total_s'] / total:8.1f}×  {'≤ 10 s':<10}{verdict}"
    )
    print(f"{'  build the edition (s)':28}{build_s:12.3f}")
    print(f"{'  search the topics (s)':28}{hits_s:12.3f}")
    print(f"{'  copies and mails (s)':28}{render_s:12.2f}{base_time:12.2f}{base_time / render_s:8.1f}×")
    print(f"{'mails rendered per s':28}{figures['mails_per_s']:12,.0f}{len(readers) / base_time:12,.0f}")
    print(f"{'HTML per mail, max (KB)':28}{max(sizes) / 1000:12.1f}{'':12}{'':9}  {'< 100 KB':<10}{size_verdict}")
    print(f"{'HTML per mail, mean (KB)':28}{figures['html_bytes_mean'] / 1000:12.1f}")
    print(f"{'stories per mail, mean':28}{figures['stories_per_mail_mean']:12.1f}")
    results = ROOT / "bench" / "results"
    results.mkdir(parents=True, exist_ok=True)
    (results / "digest.json").write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
