"""Collection: fetch-to-stored throughput against local sites, and memory under a 20 MB page.

Local HTTP servers (the test suite's ``LocalSite``, one per "host") serve article pages
built from the shared corpus's KCNA stories (synthetic text without it) and an RSS feed
listing them. Politeness is off (``delay = 0``); robots.txt allows everything.

- **crawl**: ``wirewatch crawl`` in-process through the collector, concurrency 1 and 4, on
  a fresh SQLite archive each: pages fetched, extracted, cleaned and stored per second.
- **baseline**, the same run: the same pages fetched with a bare ``httpx.Client`` (one
  thread per host, no extraction, no store): what the network side alone allows.
- **memory**: the collector's process RSS while it is served a 20 MB page (refused at the
  10 MiB cap without holding it), against its RSS before.

    .venv/bin/python bench/bench_collect.py [--articles 400] [--hosts 4] [--latency 0.1]

With ``--latency`` each article page answers after that many seconds, as a far site
does: then fetching several hosts at once pays; on loopback the work per page (extraction,
cleaning, storing: CPU, under one interpreter lock) sets the pace.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import gzip
import json
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx
import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.collect.site import LocalSite, article_html, rss  # noqa: E402

from wirewatch.clean.boilerplate import BoilerplateRules  # noqa: E402
from wirewatch.clean.record import CleanOptions  # noqa: E402
from wirewatch.collect.fetch import Fetcher, FetchOptions  # noqa: E402
from wirewatch.collect.sources import EntryPoint, SourceProfile  # noqa: E402
from wirewatch.pipeline.collector import Collector  # noqa: E402
from wirewatch.store import open_store  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus" / "kcna-2011-2012.jsonl.gz"
MB = 1024 * 1024


def stories(count: int) -> list[tuple[str, list[str], str]]:
    """(title, paragraphs, date) for ``count`` articles: KCNA stories when the corpus is here."""
    found: list[tuple[str, list[str], str]] = []
    if CORPUS.exists():
        with gzip.open(CORPUS, "rt", encoding="utf-8") as lines:
            for line in lines:
                record = json.loads(line)
                body = record.get("body") or ""
                if record.get("title") and len(body) > 400 and body != "<NA>":
                    paragraphs = [p.strip() for p in body.split("\n") if p.strip()]
                    found.append((record["title"], paragraphs, str(record.get("date") or "2012-01-01")[:10]))
                if len(found) == count:
                    return found
    while len(found) < count:
        n = len(found)
        found.append(
            (
                f"Story number {n}",
                [f"Paragraph {k} of story {n}, with enough words to be an article. " * 4 for k in range(5)],
                "2012-01-01",
            )
        )
    return found


def serve(
    sites: list[LocalSite], articles: list[tuple[str, list[str], str]], latency: float = 0.0
) -> dict[LocalSite, list[str]]:
    pages: dict[LocalSite, list[str]] = {site: [] for site in sites}
    for n, (title, paragraphs, date) in enumerate(articles):
        site = sites[n % len(sites)]
        path = f"/news/{n}.html"
        site.set(path, article_html(title, paragraphs, date=date))
        if latency:
            site.hang(path, latency)
        pages[site].append(path)
    for site, paths in pages.items():
        site.robots("User-agent: *\nAllow: /\n")
        site.set(
            "/feed.xml", rss([{"title": p, "link": site.url(p)} for p in paths]), content_type="application/rss+xml"
        )
    return pages


def profiles(sites: list[LocalSite], max_articles: int) -> list[SourceProfile]:
    return [
        SourceProfile(
            name=f"Site {n}",
            homepage=None,
            entry_points=(EntryPoint("feed", site.url("/feed.xml")),),
            delay=0.0,
            allow_private=True,
            max_articles=max_articles,
        )
        for n, site in enumerate(sites)
    ]


def crawl(sites: list[LocalSite], count: int, concurrency: int, workdir: Path) -> tuple[float, dict[str, int]]:
    db = workdir / f"crawl-{concurrency}.db"
    store = open_store(str(db))
    clean = CleanOptions(rules=BoilerplateRules.load())
    with Fetcher(FetchOptions(allow_private=True)) as fetcher:
        collector = Collector(store, fetcher, profiles(sites, count), clean)
        started = time.perf_counter()
        ids = collector.start([p.name for p in collector.profiles.values()])
        summary = collector.run(ids, threading.Event(), concurrency=concurrency)
        seconds = time.perf_counter() - started
    store.close()
    totals: dict[str, int] = {}
    for counts in summary.outcomes.values():
        for outcome, n in counts.items():
            totals[outcome] = totals.get(outcome, 0) + n
    return seconds, totals


def bare(pages: dict[LocalSite, list[str]]) -> float:
    """The same pages with plain httpx, one thread per host, nothing done with them."""

    def fetch_all(site: LocalSite, paths: list[str]) -> None:
        with httpx.Client() as client:
            client.get(site.url("/feed.xml"))
            for path in paths:
                client.get(site.url(path)).raise_for_status()

    threads = [threading.Thread(target=fetch_all, args=item) for item in pages.items()]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return time.perf_counter() - started


def memory_under_big_page(workdir: Path) -> tuple[float, float, str]:
    """RSS before and peak while the collector is served a 20 MB page (MB), and the outcome."""
    process = psutil.Process()
    with LocalSite() as site:
        site.robots("User-agent: *\nAllow: /\n")
        site.big("/news/huge.html", 20 * MB, content_length=False)  # unannounced: the cap must stop the read
        site.set(
            "/feed.xml",
            rss([{"title": "huge", "link": site.url("/news/huge.html")}]),
            content_type="application/rss+xml",
        )
        store = open_store(str(workdir / "big.db"))
        profile = SourceProfile(
            name="Big",
            homepage=None,
            entry_points=(EntryPoint("feed", site.url("/feed.xml")),),
            delay=0.0,
            allow_private=True,
        )
        with Fetcher(FetchOptions(allow_private=True)) as fetcher:
            collector = Collector(store, fetcher, [profile], CleanOptions(rules=BoilerplateRules.load()))
            before = process.memory_info().rss
            peak = [before]
            stop = threading.Event()

            def poll() -> None:
                while not stop.wait(0.01):
                    peak[0] = max(peak[0], process.memory_info().rss)

            poller = threading.Thread(target=poll, daemon=True)
            poller.start()
            summary = collector.run(collector.start(["Big"]), threading.Event())
            stop.set()
            poller.join()
        store.close()
    outcome = ", ".join(f"{o} {n}" for o, n in summary.outcomes["Big"].items())
    return before / MB, peak[0] / MB, outcome


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=400)
    parser.add_argument("--hosts", type=int, default=4)
    parser.add_argument(
        "--latency", type=float, default=0.0, help="seconds each article page waits before answering (a far site)"
    )
    args = parser.parse_args()
    articles = stories(args.articles)
    print(
        f"{len(articles)} articles ({'KCNA stories' if CORPUS.exists() else 'synthetic'}) on {args.hosts} local hosts; "
        f"politeness off; {args.latency * 1000:.0f} ms latency per article page"
    )
    with tempfile.TemporaryDirectory() as tmp, contextlib.ExitStack() as stack:
        workdir = Path(tmp)
        rows = []
        for concurrency in (1, 4):
            # 127.0.0.N: as many host names, each with its own turn.
            sites = [stack.enter_context(LocalSite(f"127.0.0.{n}")) for n in range(1, args.hosts + 1)]
            pages = serve(sites, articles, args.latency)
            bare_seconds = bare(pages)
            seconds, outcomes = crawl(sites, len(articles), concurrency, workdir)
            stored = outcomes.get("added", 0) + outcomes.get("duplicate", 0)
            rows.append((concurrency, seconds, stored, bare_seconds, outcomes))
        print()
        print("| concurrency | pages stored | wirewatch pages/s | bare httpx pages/s | ratio |")
        print("| --- | --- | --- | --- | --- |")
        for concurrency, seconds, stored, bare_seconds, _ in rows:
            ours, theirs = stored / seconds, len(articles) / bare_seconds
            print(f"| {concurrency} | {stored:,} | {ours:,.1f} | {theirs:,.1f} | {ours / theirs:.2f}× |")
        for concurrency, _, _, _, outcomes in rows:
            print(f"outcomes at concurrency {concurrency}: {json.dumps(outcomes, sort_keys=True)}")
        before, peak, outcome = memory_under_big_page(workdir)
        print(
            f"\n20 MB page: RSS {before:,.0f} MB before, peak {peak:,.0f} MB (+{peak - before:,.1f} MB); outcome: {outcome}"
        )
    print(f"measured {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC")


if __name__ == "__main__":
    main()
