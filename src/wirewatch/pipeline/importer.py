"""The import coordinator: read → clean → analyse → store (the store keeps the index
and the analysis in step).

One flow for every input: files today, fetched pages when collection lands. Reading,
cleaning and analysis (``pipeline.prepare``) run in a worker process for large inputs, so
that they overlap with storing; analysis runs on both sides, wherever a core is free.
"""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Callable, Generator, Iterable
from typing import TYPE_CHECKING, Literal

from wirewatch.clean.record import CleanOptions
from wirewatch.ingest import ReadOptions, input_bytes, read_inputs
from wirewatch.models import Incoming
from wirewatch.pipeline.linking import COMPARE, LinkOptions, link_pending
from wirewatch.pipeline.prepare import ImportSummary, prepare, prepare_chunks, record_key, unpack
from wirewatch.pipeline.worker import iterate_in_worker, shared_count
from wirewatch.store import BatchCounts, SQLStore

if TYPE_CHECKING:
    from wirewatch.analysis.actors import Actors

__all__ = ["BATCH_SIZE", "WORKER_MIN_BYTES", "ImportSummary", "prepare", "record_key", "run_import"]

#: A batch (one transaction) ends at BATCH_SIZE records or BATCH_TEXT characters of
#: input, whichever comes first: big enough to amortise a commit (many short records
#: touch as many index pages as a few long ones), small enough that an interrupted
#: import loses little work and that the first batch, which a worker does not
#: overlap, comes quickly.
BATCH_SIZE = 5000
BATCH_TEXT = 2 * 1024 * 1024
#: Inputs this large on disk are read and cleaned in a worker process while this one
#: stores. Below it the overlap saves less than the worker costs: its start (~0.2 s)
#: and the first batch, which nothing overlaps. (Measured: even at about 4 MiB of
#: JSON Lines; a compressed file of that size holds three times the work.)
WORKER_MIN_BYTES = 4 * 1024 * 1024


def run_import(
    store: SQLStore,
    paths: Iterable[str],
    clean: CleanOptions,
    read: ReadOptions | None = None,
    *,
    batch_size: int = BATCH_SIZE,
    progress: Callable[[int], None] | None = None,
    workers: Literal[0, 1] | None = None,
    actors: Actors | None = None,
    compare: LinkOptions | None = COMPARE,
    compare_progress: Callable[[int], None] | None = None,
) -> ImportSummary:
    """Import every record of ``paths`` into ``store``, a batch per transaction.

    A batch is stored whole or not at all, so an import stopped at any point leaves a
    consistent archive, and running it again stores what is missing and nothing twice.

    ``workers=1`` reads and cleans in a second process while this one stores; ``0``
    does everything here (simpler to debug); None (the default) picks 1 for inputs of
    ``WORKER_MIN_BYTES`` or more. The archive comes out the same either way. A script
    that imports with a worker must guard its entry point (``if __name__ ==
    "__main__":``), as for any multiprocessing 'spawn' process.

    With ``actors`` (the actor data, ``Actors.load``), every article is analysed as it
    is cleaned and its entities and events are stored with it; without, none are.

    Then, with ``compare`` (None: not now), the articles not compared yet are compared with
    those of their window and linked (``pipeline.linking``; ``compare_progress`` counts them):
    this import's, and any an interrupted run left.
    """
    paths = list(paths)
    read = read or ReadOptions(boilerplate=clean.rules)
    if workers is None:
        workers = 1 if input_bytes(paths) >= WORKER_MIN_BYTES else 0
    summary = ImportSummary()
    import_id = store.begin_import(paths)
    counts = BatchCounts()
    batch: list[Incoming] = []
    text = 0
    if workers:
        prepared = _prepare_in_worker(paths, read, clean, summary, actors)
    else:
        prepared = prepare(read_inputs(paths, read), clean, summary, actors)
    with contextlib.closing(prepared):  # on an error, stop the worker now, not when garbage is collected
        for incoming in prepared:
            batch.append(incoming)
            text += len(incoming.raw.raw)
            if len(batch) >= batch_size or text >= BATCH_TEXT:
                counts += store.add_batch(batch, import_id)
                if progress:
                    progress(len(batch))
                batch, text = [], 0
    if batch:
        counts += store.add_batch(batch, import_id)
        if progress:
            progress(len(batch))
    summary.added, summary.duplicates, summary.unchanged = counts.added, counts.duplicates, counts.unchanged
    summary.edited, summary.restored = counts.edited, counts.restored
    # A derived search index (tantivy) takes the new articles in now, not at the first search.
    store.catch_up_index()
    if compare is not None:
        summary.compared = link_pending(store, compare, progress=compare_progress).as_dict()
    store.finish_import(import_id, summary.as_dict())
    return summary


def _prepare_in_worker(
    paths: list[str], read: ReadOptions, clean: CleanOptions, summary: ImportSummary, actors: Actors | None
) -> Generator[Incoming, None, None]:
    """What ``prepare`` yields, prepared in a worker process; ``summary`` filled at the end.

    Analysis is shared: the worker analyses a chunk only while this process is behind
    (storing), else sends it as cleaned and it is analysed here (``prepare_chunks``),
    so that neither core waits for the other. The count of chunks done here tells it."""
    done = None if actors is None else shared_count()
    # the data, not the matcher built from it: the worker builds its own
    data = None if actors is None else dataclasses.replace(actors, cache={})
    messages = iterate_in_worker(prepare_chunks, paths, read, clean, data, done, name="wirewatch-clean")
    with contextlib.closing(messages):
        for message in messages:
            if isinstance(message, ImportSummary):  # the last message: what the worker counted
                for f in dataclasses.fields(summary):
                    setattr(summary, f.name, getattr(message, f.name))
                continue
            for packed in message:
                yield unpack(packed, actors)
            if done is not None:
                done.value += 1
