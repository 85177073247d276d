"""``wirewatch watch`` as a user runs it: real processes, stopped by SIGTERM or killed,
restarted, and two of them sharing one PostgreSQL archive."""

from __future__ import annotations

import itertools
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.collect.site import LocalSite, article_html, rss
from wirewatch.store.engine import database_url

WIREWATCH = [str(Path(sys.executable).with_name("wirewatch"))]


def publish(site: LocalSite, count: int, *, hang: float = 0.0) -> list[str]:
    """``count`` articles and a feed listing them; each page answers after ``hang`` s."""
    paths = [f"/news/{n}.html" for n in range(1, count + 1)]
    for n, path in enumerate(paths, 1):
        site.set(
            path,
            article_html(
                f"Article number {n}", [f"This is the text of article number {n}, published today."], date="2026-11-20"
            ),
        )
        if hang:
            site.hang(path, hang)
    site.set(
        "/feed.xml",
        rss([{"title": f"Article {n}", "link": site.url(p)} for n, p in enumerate(paths, 1)]),
        content_type="application/rss+xml",
    )
    return paths


def source_entry(name: str, site: LocalSite, delay: float = 0.0) -> str:
    return f"""[sources."{name}"]
feeds = ["{site.url("/feed.xml")}"]
delay = {delay}
interval = "1d"
allow_private = true
"""


class Watch:
    """A ``wirewatch watch`` process, its log in a file."""

    def __init__(self, db: str, sources: Path, log: Path, *args: str, concurrency: int = 1) -> None:
        env = {**os.environ, "WIREWATCH_SOURCES": str(sources), "WIREWATCH_FETCH_TIMEOUT": "5"}
        self.log = log
        self.process = subprocess.Popen(
            [*WIREWATCH, "--db", db, "watch", "--concurrency", str(concurrency), *args],
            stdout=subprocess.DEVNULL,
            stderr=log.open("w"),
            env=env,
        )

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 30) -> int:
        self.process.send_signal(sig)
        return self.process.wait(timeout=timeout)

    def text(self) -> str:
        return self.log.read_text(encoding="utf-8")


@pytest.fixture
def engine_of() -> Iterator[Callable[[str], sa.Engine]]:
    engines: list[sa.Engine] = []

    def make(db: str) -> sa.Engine:
        engines.append(sa.create_engine(database_url(db)))
        return engines[-1]

    yield make
    for engine in engines:
        engine.dispose()


def wait_for(condition: Callable[[], bool], what: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def scalar(engine: sa.Engine, sql: str) -> int:
    with engine.connect() as conn:
        return int(conn.scalar(sa.text(sql)) or 0)


def crawls_done(engine: sa.Engine, expected: int) -> Callable[[], bool]:
    def done() -> bool:
        try:
            return scalar(engine, "SELECT count(*) FROM crawls WHERE finished_at IS NOT NULL") >= expected
        except sa.exc.OperationalError:  # not created yet, or busy
            return False
        except sa.exc.ProgrammingError:
            return False

    return done


def fetches(site: LocalSite, paths: list[str]) -> Counter[str]:
    return Counter(r.path for r in site.requests if r.path in paths)


def test_two_watch_workers_on_postgresql_share_a_crawl_and_do_no_job_twice(
    postgresql_db: str, tmp_path: Path, engine_of: Callable[[str], sa.Engine]
) -> None:
    with LocalSite() as first, LocalSite("127.0.0.2") as second:  # two hosts
        paths = {first: publish(first, 8), second: publish(second, 8)}
        sources = tmp_path / "sources.toml"
        # A pause between requests to a host: each worker has time to take the other host.
        sources.write_text(source_entry("First", first, 0.2) + source_entry("Second", second, 0.2), encoding="utf-8")
        subprocess.run(
            [*WIREWATCH, "--db", postgresql_db, "stats"], check=True, capture_output=True
        )  # the schema, once
        workers = [Watch(postgresql_db, sources, tmp_path / f"w{n}.log", "--worker", f"worker-{n}") for n in (1, 2)]
        engine = engine_of(postgresql_db)
        try:
            wait_for(crawls_done(engine, 2), "both crawls to end")
        finally:
            codes = [w.stop() for w in workers]
        assert codes == [0, 0], [w.text() for w in workers]
        for site, listed in paths.items():
            assert fetches(site, listed) == Counter(dict.fromkeys(listed, 1))  # every page fetched exactly once
        assert scalar(engine, "SELECT count(*) FROM crawls") == 2  # each source crawled once, not once per worker
        assert scalar(engine, "SELECT count(*) FROM articles") == 16
        with engine.connect() as conn:
            by_worker = dict(
                conn.execute(sa.text("SELECT claimed_by, count(*) FROM crawl_jobs GROUP BY claimed_by")).all()
            )
            states = set(conn.scalars(sa.text("SELECT DISTINCT state FROM crawl_jobs")))
        assert set(by_worker) == {"worker-1", "worker-2"}, by_worker  # both took part
        assert sum(by_worker.values()) == 18 and states == {"done"}
        log = workers[0].text() + workers[1].text()
        assert "outcome=added" in log and "status=200" in log and "elapsed=" in log and "Traceback" not in log


def test_watch_stops_cleanly_on_sigterm_and_a_restart_finishes_the_crawl(
    db: str, site: LocalSite, tmp_path: Path, engine_of: Callable[[str], sa.Engine]
) -> None:
    paths = publish(site, 10, hang=0.3)
    sources = tmp_path / "sources.toml"
    sources.write_text(source_entry("Local", site), encoding="utf-8")
    engine = engine_of(db)
    watch = Watch(db, sources, tmp_path / "first.log", "--worker", "w1")
    wait_for(lambda: sum(fetches(site, paths).values()) >= 3, "a few articles fetched")
    started = time.monotonic()
    assert watch.stop() == 0
    assert time.monotonic() - started < 10  # the page in hand, then out
    stored = scalar(engine, "SELECT count(*) FROM articles")
    assert 3 <= stored < 10
    assert scalar(engine, "SELECT count(*) FROM crawl_jobs WHERE state = 'running'") == 0  # nothing left claimed
    assert "watch stopped" in watch.text()

    again = Watch(db, sources, tmp_path / "second.log", "--worker", "w1")
    try:
        wait_for(crawls_done(engine, 1), "the crawl to end")
    finally:
        assert again.stop() == 0
    assert fetches(site, paths) == Counter(dict.fromkeys(paths, 1))  # nothing fetched twice, nothing lost
    assert scalar(engine, "SELECT count(*) FROM articles") == 10
    assert scalar(engine, "SELECT count(*) FROM crawls") == 1  # the restart resumed the crawl


def test_a_killed_watch_loses_nothing_and_stores_nothing_twice(
    db: str, site: LocalSite, tmp_path: Path, engine_of: Callable[[str], sa.Engine]
) -> None:
    paths = publish(site, 8, hang=0.3)
    sources = tmp_path / "sources.toml"
    sources.write_text(source_entry("Local", site), encoding="utf-8")
    engine = engine_of(db)
    watch = Watch(db, sources, tmp_path / "first.log", "--worker", "w1")
    wait_for(lambda: sum(fetches(site, paths).values()) >= 3, "a few articles fetched")
    watch.stop(signal.SIGKILL)
    # The same worker name takes back the job its killed self held, without waiting for the lease.
    again = Watch(db, sources, tmp_path / "second.log", "--worker", "w1")
    try:
        wait_for(crawls_done(engine, 1), "the crawl to end")
    finally:
        assert again.stop() == 0
    counts = fetches(site, paths)
    assert set(counts) == set(paths)
    assert sum(n - 1 for n in counts.values()) <= 1  # at most the page in hand when killed, fetched again
    assert scalar(engine, "SELECT count(*) FROM articles") == 8
    assert scalar(engine, "SELECT count(*) FROM article_revisions") == 8


def test_watch_fetches_several_hosts_at_once(db: str, tmp_path: Path, engine_of: Callable[[str], sa.Engine]) -> None:
    with LocalSite() as first, LocalSite("127.0.0.2") as second:
        paths = {first: publish(first, 3, hang=0.5), second: publish(second, 3, hang=0.5)}
        sources = tmp_path / "sources.toml"
        sources.write_text(source_entry("First", first) + source_entry("Second", second), encoding="utf-8")
        watch = Watch(db, sources, tmp_path / "watch.log", concurrency=2)
        try:
            wait_for(crawls_done(engine_of(db), 2), "both crawls to end")
        finally:
            assert watch.stop() == 0
        arrivals = {site: [r.at for r in site.requests if r.path in listed] for site, listed in paths.items()}
    # A page of one host was asked for while a page of the other was still on its way.
    assert any(abs(a - b) < 0.5 for a in arrivals[first] for b in arrivals[second])
    # and never two at once from one host.
    for times in arrivals.values():
        ordered = sorted(times)
        assert all(later - earlier >= 0.5 for earlier, later in itertools.pairwise(ordered))
