"""A generator run in a worker process: values in order, errors raised here, no process left over."""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterator

import pytest

from wirewatch.errors import ConfigError
from wirewatch.pipeline.worker import WorkerDied, iterate_in_worker


# The worker imports these by name: they must live at module level.
def count(n: int) -> Iterator[list[int]]:
    for start in range(0, n, 10):
        yield list(range(start, min(start + 10, n)))


def fail_after_one() -> Iterator[str]:
    yield "first"
    raise ConfigError("no such rules file")


def die_after_one() -> Iterator[str]:
    yield "first"
    os._exit(3)


def endless() -> Iterator[bytes]:
    while True:
        yield b"x" * 100_000


def test_values_arrive_in_order() -> None:
    assert [n for chunk in iterate_in_worker(count, 1000) for n in chunk] == list(range(1000))
    assert not multiprocessing.active_children()


def test_an_error_in_the_worker_is_raised_here_with_its_traceback() -> None:
    values = iterate_in_worker(fail_after_one)
    assert next(values) == "first"
    with pytest.raises(ConfigError, match="no such rules file") as caught:
        next(values)
    assert "fail_after_one" in "".join(caught.value.__notes__)
    assert not multiprocessing.active_children()


def test_a_worker_that_dies_is_reported() -> None:
    with pytest.raises(WorkerDied, match="exit code 3"):
        list(iterate_in_worker(die_after_one))


def test_stopping_early_stops_the_worker() -> None:
    values = iterate_in_worker(endless)
    for _ in range(3):
        next(values)  # the worker is now blocked: the read-ahead and the pipe are full
    values.close()
    assert not multiprocessing.active_children()
