"""The collection coordinator: entry points → links → article pages → the archive.

A crawl of a source queues a job per entry point (feed, sitemap, index page). A
worker that takes an entry job fetches it, notes which article addresses it lists,
and queues a job per address. A worker that takes an article job fetches the page
(conditionally: ETag, Last-Modified, and the same bytes need no extraction),
extracts its fields, and sends the result through the same cleaning and store path
as a file import (``pipeline.prepare`` → ``SQLStore.add_batch``), as a *capture*: a
known address with a new text becomes a new revision (``store.versions``). A page
that answers 404 or 410 marks its article deleted. When a crawl's last job ends,
articles its entry points no longer list count one more absence; after a source's
``missing_after`` crawls in a row they are marked deleted too.

Jobs live in the database (``store.collection``), so several threads and several
processes share the work and a restart resumes it. Every job ends in one outcome,
recorded on its row and reported to the caller's ``report`` function.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import logging
import re
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from wirewatch.clean.record import CleanOptions
from wirewatch.clock import now_utc, worker_name
from wirewatch.collect.links import Link, feed_links, index_links, sitemap_links
from wirewatch.errors import FetchError, NotAnArticle, RecordError
from wirewatch.ingest.html import extract_page
from wirewatch.models import RawRecord, Rejected
from wirewatch.pipeline.linking import COMPARE, LinkOptions, link_pending
from wirewatch.pipeline.prepare import ImportSummary, prepare
from wirewatch.store.collection import ENTRY_KINDS, CrawlEnd, Job, PageState

if TYPE_CHECKING:
    from wirewatch.analysis.actors import Actors
    from wirewatch.collect.fetch import Fetcher, FetchResult
    from wirewatch.collect.sources import SourceProfile
    from wirewatch.store.sql import SQLStore

log = logging.getLogger("wirewatch.collect")

#: How long an idle worker waits before asking the queue again, at most.
IDLE_WAIT = 1.0


@dataclass(frozen=True, slots=True)
class JobReport:
    """How one job ended: what ``report`` receives, and what ``watch`` logs."""

    source: str
    kind: str
    url: str
    outcome: str
    http_status: int | None = None
    elapsed: float | None = None
    error: str | None = None
    article_id: int | None = None
    listed: int = 0


@dataclass(slots=True)
class CrawlSummary:
    """What a run of crawls did, by source and outcome."""

    outcomes: dict[str, dict[str, int]] = field(default_factory=dict)
    errors: list[JobReport] = field(default_factory=list)
    deleted: dict[str, int] = field(default_factory=dict)
    ended: list[CrawlEnd] = field(default_factory=list)

    def add(self, report: JobReport) -> None:
        counts = self.outcomes.setdefault(report.source, {})
        counts[report.outcome] = counts.get(report.outcome, 0) + 1
        if report.error:
            self.errors.append(report)

    def as_dict(self) -> dict[str, object]:
        return {
            "sources": {
                name: {"outcomes": dict(sorted(counts.items())), "deleted_as_missing": self.deleted.get(name, 0)}
                for name, counts in sorted(self.outcomes.items())
            },
            "errors": [
                {"source": e.source, "url": e.url, "outcome": e.outcome, "http_status": e.http_status, "error": e.error}
                for e in self.errors
            ],
            "crawls": [{"id": e.crawl_id, "source": e.source, "index_complete": e.index_complete} for e in self.ended],
        }


class Collector:
    """Runs crawl jobs for a set of source profiles against one archive."""

    def __init__(
        self,
        store: SQLStore,
        fetcher: Fetcher,
        profiles: Sequence[SourceProfile],
        clean: CleanOptions,
        *,
        worker: str | None = None,
        report: Callable[[JobReport], None] | None = None,
        clock: Callable[[], dt.datetime] = now_utc,
        actors: Actors | None = None,
        compare: LinkOptions | None = COMPARE,
    ) -> None:
        self.store = store
        self.queue = store.queue
        self.fetcher = fetcher
        self.profiles = {p.name: p for p in profiles}
        orders = dict(clean.date_orders)
        for p in profiles:
            if p.date_order:
                orders.setdefault(p.name.casefold(), p.date_order)
        self.clean = replace(clean, date_orders=orders)
        #: The actor data that analyses each page stored (None: no analysis).
        self.actors = actors
        #: How the articles a crawl stored are compared with their window when it ends (None: not).
        self.compare = compare
        self.worker = worker or worker_name()
        self.report = report
        self.clock = clock
        self.summary = CrawlSummary()
        self._lock = threading.Lock()

    # -- starting crawls ------------------------------------------------------------

    def start(self, names: Sequence[str]) -> list[int]:
        """Start a crawl of each named source now; the crawls' ids."""
        now = self.clock()
        return [self.queue.start_crawl(name, self._entry_points(name), now) for name in names]

    def start_due(self) -> list[int]:
        """Start a crawl of each enabled source whose interval has passed (claimed, so
        that two workers do not both start it)."""
        enabled = [p for p in self.profiles.values() if p.enabled]
        if not enabled:
            return []
        due = self.queue.due_sources([p.name for p in enabled], self.clock(), {p.name: p.interval for p in enabled})
        return self.start(due)

    def _entry_points(self, name: str) -> list[tuple[str, str]]:
        return [(e.kind, e.url) for e in self.profiles[name].entry_points]

    # -- working --------------------------------------------------------------------

    def run(
        self,
        crawl_ids: Sequence[int] | None,
        stop: threading.Event,
        *,
        concurrency: int = 1,
        until_done: bool = True,
    ) -> CrawlSummary:
        """Work on jobs (of ``crawl_ids``, or any) in ``concurrency`` threads until the
        crawls end (``until_done``) or, otherwise, until ``stop`` is set. A job in hand
        when ``stop`` is set is finished, not dropped."""
        threads = [
            threading.Thread(
                target=self._work, args=(crawl_ids, stop, until_done), name=f"wirewatch-crawl-{n}", daemon=True
            )
            for n in range(max(1, concurrency))
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            while thread.is_alive():
                thread.join(0.2)  # in short waits, so that Ctrl-C reaches the main thread
        self.end_crawls(crawl_ids)
        return self.summary

    def _work(self, crawl_ids: Sequence[int] | None, stop: threading.Event, until_done: bool) -> None:
        while not stop.is_set():
            job = self.queue.claim(self.worker, self.clock(), crawl_ids)
            if job is None:
                if until_done:
                    self.end_crawls(crawl_ids)
                    if not self.queue.unfinished(crawl_ids):
                        return
                stop.wait(self._idle_wait(crawl_ids))
                continue
            try:
                self.process(job)
            except BaseException:
                # Not an outcome of the page (a database error, an interruption): the job
                # goes back to the queue for this or another worker.
                with contextlib.suppress(Exception):
                    self.queue.release(job, self.clock())
                raise

    def _idle_wait(self, crawl_ids: Sequence[int] | None) -> float:
        ready = self.queue.next_ready_at(crawl_ids)
        if ready is None:
            return IDLE_WAIT
        return min(IDLE_WAIT, max(0.01, (ready - self.clock()).total_seconds()))

    def end_crawls(self, crawl_ids: Sequence[int] | None) -> list[CrawlEnd]:
        """End the crawls (of ``crawl_ids``, or any) that have no job left, and mark
        deleted what their sources stopped listing."""
        ended = []
        for crawl_id in self.queue.unfinished(crawl_ids):
            end = self.queue.end_crawl(crawl_id, self.clock())
            if end is None:
                continue
            ended.append(end)
            profile = self.profiles.get(end.source)
            deleted: list[int] = []
            if profile is not None and end.index_complete:
                missing = self.queue.count_missing(end, profile.missing_after)
                detail = f"absent from the source's index in {profile.missing_after} crawls in a row"
                deleted = self.store.mark_deleted(missing, self.clock(), detail)
            with self._lock:
                self.summary.ended.append(end)
                self.summary.deleted[end.source] = self.summary.deleted.get(end.source, 0) + len(deleted)
            log.info(
                "crawl ended",
                extra={
                    "source": end.source,
                    "crawl": end.crawl_id,
                    "index_complete": end.index_complete,
                    "deleted": len(deleted),
                },
            )
        if ended:
            self.store.catch_up_index()
        if ended and self.compare is not None:
            linked = link_pending(self.store, self.compare)
            log.info("articles compared", extra={"examined": linked.examined, "links": dict(linked.links)})
        return ended

    # -- one job --------------------------------------------------------------------

    def process(self, job: Job) -> JobReport:
        """Do one claimed job and record how it ended."""
        profile = self.profiles.get(job.source)
        if profile is None:
            report = JobReport(
                job.source, job.kind, job.url, "no_source", error=f"source {job.source!r} is not in the sources file"
            )
            return self._finish(job, report, delay=0.0)
        state = self.queue.page_state(job.source_id, job.url) if job.kind == "article" else None
        try:
            result = self.fetcher.fetch(
                job.url,
                etag=state.etag if state else None,
                last_modified=state.last_modified if state else None,
                allow_private=profile.allow_private,
                delay=profile.delay,
            )
        except FetchError as exc:
            report = JobReport(job.source, job.kind, job.url, exc.outcome, error=str(exc))
            return self._finish(job, report, delay=profile.delay)
        if job.kind in ENTRY_KINDS:
            report = self._entry(job, profile, result)
        else:
            report = self._article(job, profile, result, state)
        return self._finish(job, report, delay=profile.delay)

    def _finish(self, job: Job, report: JobReport, *, delay: float) -> JobReport:
        self.queue.finish(
            job,
            self.clock(),
            outcome=report.outcome,
            delay=delay,
            http_status=report.http_status,
            elapsed=report.elapsed,
            error=report.error,
        )
        with self._lock:
            self.summary.add(report)
        log.info(
            "page",
            extra={
                "source": report.source,
                "url": report.url,
                "kind": report.kind,
                "status": report.http_status,
                "outcome": report.outcome,
                "elapsed": report.elapsed,
                "error": report.error,
            },
        )
        if self.report is not None:
            self.report(report)
        return report

    def _entry(self, job: Job, profile: SourceProfile, result: FetchResult) -> JobReport:
        def ended(outcome: str, error: str | None = None, listed: int = 0) -> JobReport:
            return JobReport(
                job.source, job.kind, job.url, outcome, result.status, result.elapsed, error, listed=listed
            )

        if result.status != 200:
            return ended(f"http_{result.status}", f"HTTP {result.status}")
        # A sitemap that a sitemap index listed carries its parent's pattern in its hints.
        declared = job.hints.get("link_pattern") or next(
            (e.link_pattern for e in profile.entry_points if e.url == job.url and e.link_pattern), None
        )
        pattern = re.compile(declared) if declared else None
        children: list[str] = []
        try:
            if job.kind == "feed":
                links = feed_links(result.text, result.final_url)
            elif job.kind == "sitemap":
                links, children = sitemap_links(result.text, result.final_url, pattern)
            else:
                links = index_links(result.text, result.final_url, pattern or re.compile(".")) if pattern else []
        except NotAnArticle as exc:
            return ended("unreadable", str(exc))
        except Exception as exc:  # a parser's bug on this page fails this job, not the worker
            return ended("unreadable", _unexpected(job, "read", exc))
        if not links and not children:
            # An empty list is more likely a broken page than a site that deleted
            # everything: it must not count every article as missing.
            return ended("empty", "the entry point lists no article")
        now = self.clock()
        self.queue.note_listed(job.source_id, [link.url for link in links], now)
        inherited = {"link_pattern": declared} if declared else None
        jobs = [("sitemap", url, inherited) for url in children] + self._article_jobs(job, profile, links)
        self.queue.enqueue(job.crawl_id, job.source_id, jobs, now)
        return ended("listed", listed=len(links))

    def _article_jobs(self, job: Job, profile: SourceProfile, links: list[Link]) -> list[tuple[str, str, dict | None]]:
        """A job for every listed article already in the archive (to see edits and
        deletions) and for new ones up to the source's ``max_articles``."""
        jobs, new = [], 0
        stored = self.queue.stored(job.source_id, [link.url for link in links])
        for link in links:
            if link.url not in stored:
                if new >= profile.max_articles:
                    continue
                new += 1
            jobs.append(("article", link.url, link.hints()))
        return jobs

    def _article(self, job: Job, profile: SourceProfile, result: FetchResult, state: PageState | None) -> JobReport:
        state = state or PageState()
        now = self.clock()

        def ended(outcome: str, error: str | None = None, article_id: int | None = None) -> JobReport:
            return JobReport(job.source, job.kind, job.url, outcome, result.status, result.elapsed, error, article_id)

        if result.not_modified:
            self.queue.note_fetch(job.source_id, job.url, now, http_status=304)
            if state.article_id is None:
                return ended("not_modified")
            outcome = self.store.confirm_seen(state.article_id, now)
            return ended("restored" if outcome == "restored" else "not_modified", article_id=state.article_id)
        if result.status in (404, 410):
            self.queue.note_fetch(job.source_id, job.url, now, http_status=result.status)
            if state.article_id is None:
                return ended("missing", f"HTTP {result.status}")
            deleted = self.store.mark_deleted([state.article_id], now, f"HTTP {result.status}")
            return ended("deleted" if deleted else "still_deleted", article_id=state.article_id)
        if result.status != 200:
            return ended(f"http_{result.status}", f"HTTP {result.status}")
        content_hash = hashlib.sha256(result.content).hexdigest()
        if state.article_id is not None and content_hash == state.content_hash:
            self.queue.note_fetch(job.source_id, job.url, now, http_status=200)
            outcome = self.store.confirm_seen(state.article_id, now)
            return ended("restored" if outcome == "restored" else "unchanged", article_id=state.article_id)
        try:
            fields = extract_page(result.text, profile.selectors)
        except NotAnArticle as exc:
            return ended("not_article", str(exc))
        except Exception as exc:  # an extractor's bug on this page fails this job, not the worker
            return ended("not_article", _unexpected(job, "read", exc))
        for name, value in job.hints.items():
            fields.setdefault(name, value)
        fields["source"] = profile.name
        fields["url"] = job.url
        if result.final_url != job.url:
            fields["final_url"] = result.final_url
        if "language" not in fields and len(profile.languages) == 1:
            fields["language"] = profile.languages[0]
        record = RawRecord(job.url, None, "web", fields, result.text, captured_at=now)
        summary = ImportSummary()
        try:
            prepared = list(prepare([record], self.clean, summary, self.actors))
        except RecordError as exc:  # prepare reports rejections in the summary; this is a safety net
            return ended("rejected", str(exc))
        if not prepared:
            error = summary.errors[0] if summary.errors else Rejected(job.url, None, "rejected by cleaning")
            if error.detail:  # cleaning failed unexpectedly: the traceback, for --debug
                log.debug("page failed", extra={"source": job.source, "url": job.url, "error": error.detail})
            return ended("rejected", error.reason)
        counts = self.store.add_batch(prepared)
        key = prepared[0].record_key
        article_id = self.store.article_id_by_key(key)
        self.queue.note_fetch(
            job.source_id,
            job.url,
            now,
            http_status=200,
            etag=result.etag,
            last_modified=result.last_modified,
            content_hash=content_hash,
            article_id=article_id,
        )
        return ended(counts.outcomes.get(key, "unchanged"), article_id=article_id)


def _unexpected(job: Job, stage: str, exc: Exception) -> str:
    """The job's error for an unexpected failure on its page; the traceback goes to the
    debug log."""
    rejected = Rejected.unexpected(job.url, None, stage, exc)
    log.debug("page failed", extra={"source": job.source, "url": job.url, "error": rejected.reason}, exc_info=exc)
    return rejected.reason
