"""Re-processing: the archive's articles cleaned again with today's rules, in partitions,
on a Dask cluster or in this process (``wirewatch reprocess``).

This process (the client) reads a partition of articles with their raw input (keyset
by id, ``store.rewriting``), hands it to a worker, and writes back what changed as
each result comes in: one transaction per partition, the search index with it, so an
interrupted run leaves a consistent archive. At most ``IN_FLIGHT`` partitions per
worker are out at a time, so memory stays bounded whatever the archive's size.
Workers only compute (``process_partition`` is a pure function of its arguments) and
never open the archive: a remote cluster needs no access to an SQLite file, only
wirewatch (the same version) installed on its workers.

Re-cleaning (``pipeline.reclean``) rebuilds each record from its raw input and cleans it with
today's rules; the rules for each kind of input and for duplicates are stated there.

Stages
    ``STAGES`` names what a run can do to a partition: "clean" (above) and "analyse",
    the entities and events of every article found again with today's actor data
    (``pipeline.reclean.analyse_partition``, over the same rows and their stored texts, or
    over the articles as cleaned again when both stages run). Every article examined
    gets a new analysis, those imported without one too; the client stores it in the
    partition's transaction, in place of what the article had. "compare", after the
    others: every link between articles forgotten and made again over the whole archive
    (``pipeline.linking.relink_all``), whatever ``sources`` says, since links cross outlets;
    it runs in this process, a chunk per transaction (measured: the shared corpus in well
    under a minute, so a cluster would not pay for its start).
"""

from __future__ import annotations

import contextlib
import dataclasses
import itertools
import logging
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from wirewatch.clean.record import CleanOptions
from wirewatch.errors import ConfigError
from wirewatch.pipeline.linking import LinkOptions, relink_all
from wirewatch.pipeline.reclean import (
    STAGES,
    Partition,
    PartitionResult,
    StageOptions,
    process_partition,
    reclean_partition,
)

if TYPE_CHECKING:
    from distributed import Client, Future

    from wirewatch.analysis.actors import Actors
    from wirewatch.store.sql import SQLStore

__all__ = [
    "ALL_STAGES",
    "STAGES",
    "Partition",
    "PartitionResult",
    "ReprocessOptions",
    "ReprocessSummary",
    "process_partition",
    "reclean_partition",
    "run_reprocess",
]

#: The stages a run can do: the partitioned ones, then the comparison of texts.
ALL_STAGES = (*STAGES, "compare")
PARTITION_SIZE = 5000
DEFAULT_WORKERS = 2
#: Partitions out per worker: one being worked on, one waiting, so that no worker
#: idles while the client writes a result and reads the next partition.
IN_FLIGHT = 2
#: How long to keep trying to reach a scheduler, and to wait for its first worker.
CONNECT_TIMEOUT = 10.0


@dataclass(frozen=True, slots=True)
class ReprocessOptions:
    """How a run goes. ``workers`` 0 works in this process without Dask; above 0 it
    starts a local cluster of that many single-threaded worker processes, unless
    ``cluster`` names a scheduler to use instead. ``dask_log_level`` (e.g. WARNING)
    quiets Dask's own logging for the run; None leaves it as configured."""

    stages: tuple[str, ...] = ALL_STAGES
    sources: tuple[str, ...] = ()
    partition_size: int = PARTITION_SIZE
    workers: int = DEFAULT_WORKERS
    cluster: str | None = None
    dry_run: bool = False
    connect_timeout: float = CONNECT_TIMEOUT
    dask_log_level: int | None = None
    #: The compare stage's window, in days either side (``Settings.compare_window``).
    compare_window: int = LinkOptions().window_days

    def __post_init__(self) -> None:
        unknown = [stage for stage in self.stages if stage not in ALL_STAGES]
        if unknown or not self.stages:
            raise ConfigError(f"stage {', '.join(unknown) or '(none)'}: the stages are {', '.join(ALL_STAGES)}")
        if self.partition_size < 1:
            raise ConfigError(f"partition size {self.partition_size}: must be 1 or more")
        if self.workers < 0:
            raise ConfigError(f"workers {self.workers}: must be 0 (this process) or more")


@dataclass(slots=True)
class ReprocessSummary:
    """What a run did; ``as_dict`` is the ``reprocess --json`` contract."""

    stages: tuple[str, ...] = ALL_STAGES
    dry_run: bool = False
    examined: int = 0
    changed: int = 0
    unchanged: int = 0
    unlinked: int = 0
    skipped_reasons: Counter[str] = field(default_factory=Counter)
    #: Articles given a new analysis (would be, with ``dry_run``).
    analysed: int = 0
    partitions: int = 0
    workers: int = 0
    seconds: float = 0.0
    start_seconds: float = 0.0
    #: The compare stage's summary (``LinkSummary.as_dict``); None when it did not run.
    compared: dict[str, Any] | None = None

    @property
    def skipped(self) -> int:
        return sum(self.skipped_reasons.values())

    def add(self, result: PartitionResult) -> None:
        self.partitions += 1
        self.examined += result.examined
        self.changed += len(result.changes)
        self.unchanged += result.unchanged
        self.unlinked += result.unlinked
        self.skipped_reasons.update(result.skipped)
        self.analysed += len(result.analyses)

    def as_dict(self) -> dict[str, Any]:
        return {
            "stages": list(self.stages),
            "dry_run": self.dry_run,
            "examined": self.examined,
            "changed": self.changed,
            "unchanged": self.unchanged,
            "skipped": self.skipped,
            "skipped_reasons": dict(self.skipped_reasons.most_common()),
            "unlinked": self.unlinked,
            "analysed": self.analysed,
            "partitions": self.partitions,
            "workers": self.workers,
            "seconds": round(self.seconds, 3),
            "start_seconds": round(self.start_seconds, 3),
            "articles_per_second": round(self.examined / self.seconds, 1) if self.seconds else 0.0,
        } | ({"compared": self.compared} if self.compared is not None else {})


# -- where the work runs ----------------------------------------------------------


class _Runner(Protocol):
    workers: int

    def map(
        self, function: Callable[..., PartitionResult], partitions: Iterable[Partition], shared: Any, *args: Any
    ) -> Iterator[PartitionResult]:
        """``function(partition, shared, *args)`` for each partition, as results come in."""
        ...


class _InProcess:
    """Every partition worked on here, one after the other: no Dask."""

    workers = 0

    def map(
        self, function: Callable[..., PartitionResult], partitions: Iterable[Partition], shared: Any, *args: Any
    ) -> Iterator[PartitionResult]:
        for partition in partitions:
            yield function(partition, shared, *args)


class _OnDask:
    """Partitions worked on by a Dask cluster's workers, a bounded number at a time."""

    def __init__(self, client: Client, workers: int) -> None:
        self.client = client
        self.workers = workers

    def map(
        self, function: Callable[..., PartitionResult], partitions: Iterable[Partition], shared: Any, *args: Any
    ) -> Iterator[PartitionResult]:
        from distributed import as_completed

        client = self.client
        common = client.scatter(shared, broadcast=True, hash=False)  # once per worker, not once per partition
        waiting = iter(partitions)

        def submit(partition: Partition) -> Future:
            # Scattered first: the rows go straight to a worker, not through the scheduler's graph.
            data = client.scatter(partition, hash=False)
            return client.submit(function, data, common, *args, pure=False)

        # Submitted before they are handed over: as_completed holds a lock while it takes
        # futures in, which a scatter waiting on the event loop must not be inside.
        first = [submit(partition) for partition in itertools.islice(waiting, max(1, IN_FLIGHT * self.workers))]
        running = as_completed(loop=client.loop)  # this client's loop: it is not the default client
        running.update(first)
        for future in running:
            result = future.result()
            future.release()
            for partition in itertools.islice(waiting, 1):
                running.add(submit(partition))
            yield result


@contextlib.contextmanager
def _runner(options: ReprocessOptions) -> Iterator[_Runner]:
    """Where the partitions are worked on: here, a local cluster started and closed
    around the run, or the scheduler ``options.cluster`` names."""
    if not options.workers and not options.cluster:
        yield _InProcess()
        return
    try:
        import distributed
    except ImportError:
        raise ConfigError("Dask is not installed: pip install 'wirewatch[cluster]' (or run with --workers 0)") from None
    with _logging_level("distributed", options.dask_log_level), contextlib.ExitStack() as stack:
        if options.cluster:
            address = options.cluster
            try:
                client = distributed.Client(address, timeout=options.connect_timeout, set_as_default=False)
            except (OSError, ValueError, TypeError) as exc:
                raise ConfigError(f"cannot reach the Dask scheduler at {address}: {exc}") from None
            stack.callback(client.close)
            try:
                client.wait_for_workers(1, timeout=options.connect_timeout)
            except (TimeoutError, OSError):
                raise ConfigError(f"the Dask scheduler at {address} has no workers") from None
            workers = len(client.nthreads())
        else:
            cluster = distributed.LocalCluster(
                n_workers=options.workers,
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
                silence_logs=options.dask_log_level or logging.WARNING,
            )
            stack.callback(cluster.close)
            client = distributed.Client(cluster, set_as_default=False)
            stack.callback(client.close)
            workers = options.workers
        yield _OnDask(client, workers)


@contextlib.contextmanager
def _logging_level(name: str, level: int | None) -> Iterator[None]:
    """The logger ``name`` at ``level`` for the block (no change for None)."""
    logger = logging.getLogger(name)
    before = logger.level
    if level is not None:
        logger.setLevel(level)
    try:
        yield
    finally:
        logger.setLevel(before)


# -- the coordinator --------------------------------------------------------------


def run_reprocess(
    store: SQLStore,
    clean: CleanOptions,
    options: ReprocessOptions = ReprocessOptions(),
    *,
    progress: Callable[[int, int], None] | None = None,
    actors: Actors | None = None,
) -> ReprocessSummary:
    """Clean the archive's articles again (those of ``options.sources``, or all) and
    write back those that change, and/or analyse them again with ``actors`` (the
    packaged actor data when None), as ``options.stages`` say, a partition per
    transaction (none with ``dry_run``).

    ``progress`` is called with the articles examined so far and the total, after each
    partition. A script that starts a local cluster must guard its entry point (``if
    __name__ == "__main__":``): Dask's worker processes are spawned.
    """
    start = time.perf_counter()
    summary = ReprocessSummary(stages=options.stages, dry_run=options.dry_run)
    scope = store.source_ids(options.sources) if options.sources else []
    total = store.count_articles(scope)
    if any(stage in STAGES for stage in options.stages):
        _run_partitions(store, clean, options, summary, scope, total, progress, actors)
        if not options.dry_run:  # the rewritten articles go into a derived search index now
            store.catch_up_index()
    if "compare" in options.stages and not options.dry_run:
        everything = store.count_articles()
        done = [0]

        def compared(n: int) -> None:
            done[0] += n
            if progress:
                progress(done[0], everything)

        summary.compared = relink_all(store, LinkOptions(options.compare_window), progress=compared).as_dict()
    summary.seconds = time.perf_counter() - start
    return summary


def _run_partitions(
    store: SQLStore,
    clean: CleanOptions,
    options: ReprocessOptions,
    summary: ReprocessSummary,
    scope: list[int],
    total: int,
    progress: Callable[[int, int], None] | None,
    actors: Actors | None,
) -> None:
    """The partitioned stages (clean, analyse), on the runner ``options`` ask for."""
    start = time.perf_counter()
    stages = tuple(stage for stage in options.stages if stage in STAGES)
    analysing = "analyse" in options.stages
    if analysing and actors is None:
        from wirewatch.analysis.actors import Actors

        actors = Actors.load()
    # The data, not the matcher built from it (each worker builds its own once).
    shared = StageOptions(clean, dataclasses.replace(actors, cache={}) if analysing and actors else None)
    with _runner(options) as runner:
        summary.workers = runner.workers
        summary.start_seconds = time.perf_counter() - start
        partitions = (
            Partition(rows, texts)
            for rows, texts in store.read_partitions(scope, options.partition_size, texts=analysing)
        )
        for result in runner.map(process_partition, partitions, shared, stages):
            if not options.dry_run:
                store.write_changes(result.changes, result.analyses)
            summary.add(result)
            if progress:
                progress(summary.examined, total)
