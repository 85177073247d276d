"""A generator run in a second process, its values read back in order.

The import reads and cleans records on one core while it stores them on the other.
The child only ever writes to a pipe whose read end only the parent holds, so each
side notices when the other dies: if the parent is killed (even by SIGKILL) the
child's next write fails with a broken pipe and it exits; if the child dies, the
parent reads the end of the pipe and raises ``WorkerDied``.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import pickle
import queue
import threading
import traceback
from collections.abc import Callable, Generator, Iterator
from multiprocessing.connection import Connection
from typing import Any, Protocol

#: Values read ahead of the consumer. A pipe holds only 64 KiB, so without this the
#: child would wait while the parent is busy (storing a batch) instead of working on.
READ_AHEAD = 16
#: Messages the child produces ahead of the one it is sending.
OUTBOX = 2
_GONE = ("gone", None)  # what the relay reports when the child's end of the pipe closes


class SharedCount(Protocol):
    """An integer both processes see: one writes it, the other reads it."""

    value: int


def shared_count() -> SharedCount:
    """A SharedCount at 0, for ``iterate_in_worker``'s ``args`` (passed when the child
    starts: it cannot be sent later)."""
    count: SharedCount = multiprocessing.get_context("spawn").RawValue("q", 0)
    return count


class WorkerDied(RuntimeError):
    """The child process ended before its generator did (killed, or out of memory)."""


def iterate_in_worker(
    produce: Callable[..., Iterator[Any]], *args: Any, name: str = "wirewatch-worker"
) -> Generator[Any, None, None]:
    """The values of ``produce(*args)``, computed in a child process.

    The child is started with 'spawn' on every platform: unlike 'fork' it is safe when
    the parent runs threads (the CLI's progress bar does), and it shows at once that
    ``produce`` (a module-level function), ``args`` and the values pickle. Yield values
    worth a trip through a pipe: chunks, not single small items. An exception raised by
    ``produce`` is raised here, with the child's traceback as a note; a child that dies
    (killed, out of memory) raises ``WorkerDied``. Closing the generator early stops
    the child.

    As with any 'spawn' process, a script that calls this must guard its entry point
    with ``if __name__ == "__main__":``: the child runs the main module again.
    """
    context = multiprocessing.get_context("spawn")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_run_child, args=(produce, args, sender), name=name, daemon=True)
    child.start()
    sender.close()  # the child's copy is now the only write end: when it goes, we read EOF
    inbox: queue.Queue[tuple[str, Any]] = queue.Queue(maxsize=READ_AHEAD)
    relay = threading.Thread(target=_relay, args=(receiver, inbox), name=f"{name}-relay", daemon=True)
    relay.start()
    try:
        while True:
            kind, value = inbox.get()
            if kind == "value":
                yield value
            elif kind == "raise":
                raise value
            elif kind == "end":
                child.join()
                return
            else:
                child.join()
                raise WorkerDied(f"the {name} process ended unexpectedly (exit code {child.exitcode})")
    finally:
        if child.is_alive():
            child.terminate()
        while relay.is_alive():  # a relay waiting for room in the inbox would never see EOF
            with contextlib.suppress(queue.Empty):
                inbox.get(timeout=0.05)
        child.join()
        receiver.close()


def _relay(receiver: Connection, inbox: queue.Queue[tuple[str, Any]]) -> None:
    """Move messages from the pipe to the inbox until the last one or the end of the pipe."""
    while True:
        try:
            message = receiver.recv()
        except (EOFError, OSError):
            inbox.put(_GONE)
            return
        inbox.put(message)
        if message[0] != "value":
            return


def _run_child(produce: Callable[..., Iterator[Any]], args: tuple[Any, ...], sender: Connection) -> None:
    """The child's side: send each message of ``_messages`` until the last one.

    Messages go out from a thread of their own: a message is larger than the pipe holds,
    and the parent reads it only as its own work leaves its reading thread time, so a
    send waits; meanwhile this thread produces the next ones (``OUTBOX`` at most)."""
    outbox: queue.Queue[tuple[str, Any] | None] = queue.Queue(maxsize=OUTBOX)
    gone = threading.Event()
    thread = threading.Thread(target=_send_all, args=(outbox, sender, gone), name="send", daemon=True)
    thread.start()
    try:
        for message in _messages(produce, args):
            outbox.put(message)
            if gone.is_set():
                return  # the parent is gone (killed, or it stopped reading): nobody to tell
    except KeyboardInterrupt:
        return  # Ctrl-C reaches the whole process group; the parent reports it
    finally:
        outbox.put(None)
        thread.join()
        sender.close()


def _send_all(outbox: queue.Queue[tuple[str, Any] | None], sender: Connection, gone: threading.Event) -> None:
    """Send what ``outbox`` holds until None; once the parent is gone, only empty it."""
    while (message := outbox.get()) is not None:
        if gone.is_set():
            continue
        try:
            sender.send(message)
        except BrokenPipeError:
            gone.set()


def _messages(produce: Callable[..., Iterator[Any]], args: tuple[Any, ...]) -> Iterator[tuple[str, Any]]:
    """("value", v) for each value of ``produce(*args)``, then ("end", None), or
    ("raise", exception) when it fails."""
    try:
        for value in produce(*args):
            yield "value", value
    except Exception as exc:
        yield "raise", _portable(exc)
        return
    yield "end", None


def _portable(exc: Exception) -> Exception:
    """``exc`` with the child's traceback as a note, or a RuntimeError saying as much when
    it does not pickle (an exception type with a custom constructor, say)."""
    note = "raised in the worker process:\n" + traceback.format_exc()
    try:
        exc.add_note(note)
        pickle.loads(pickle.dumps(exc))
    except Exception:
        return RuntimeError(f"{type(exc).__name__}: {exc}\n{note}")
    return exc
