"""Load the web reader over loopback, with Datasette's full-text search of the same file as the baseline.

Targets on the project's 2-core machine, with the shared KCNA corpus imported, 50 concurrent clients:

- article page: at least 400 requests/s with a p95 of at most 50 ms;
- search page: p95 at most 100 ms, and no slower than Datasette's search of the same SQLite file.

The servers are the real commands (``wirewatch --db DB serve --port 0``, ``datasette serve -i DB``) in child
processes; the load comes from another process: a small asyncio HTTP/1.1 client over keep-alive connections
(or wrk for the closed loops, with ``--client wrk``). A MISS is a finding, not an error: the script exits 0
either way (2: the corpus or the archive is missing, or wrk was asked for and is absent; 1: a server failed).

    .venv/bin/python bench/bench_web.py [--corpus ../shared/corpus] [--workdir DIR] [--db PATH]
        [--duration S] [--concurrency N] [--workers N [N ...]] [--client python|wrk]
    .venv/bin/python bench/bench_web.py --db PATH --profile article|search   # where one page's time goes
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import concurrent.futures
import contextlib
import cProfile
import datetime as dt
import http.client
import importlib.metadata
import json
import math
import multiprocessing
import os
import platform
import pstats
import random
import re
import resource
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import warnings
from collections.abc import Iterator, MutableMapping, Sequence
from dataclasses import dataclass
from importlib.util import find_spec
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlencode

import psutil

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
FILES = ("kcna-2011-2012.jsonl.gz", "kcna-headlines-1997-2014.jsonl.gz")
RESULTS = ROOT / "bench" / "results" / "web.json"
HOST = "127.0.0.1"
MB = 1024 * 1024
SEED = 20261129
ARTICLE_RPS_TARGET, ARTICLE_P95_TARGET, SEARCH_P95_TARGET = 400.0, 50.0, 100.0
#: Percentiles kept for every measurement (the table shows 50, 95 and 99).
LADDER = (50.0, 75.0, 90.0, 95.0, 99.0, 99.9)
#: How long after the end of a closed-loop measurement answers still in flight are waited for.
GRACE = 60.0
#: How long after the end of an open-loop measurement its late requests may still be answered: past that,
#: each counts as unfinished, with the time it had waited as a lower bound of its latency.
OPEN_GRACE = 5.0
#: A closed loop that recorded fewer answers than it has connections runs on, up to this many times its duration.
EXTEND = 3.0
#: Other work on the machine above this (% of one core) during a measurement makes its figures suspect.
DISTURBED = 25.0


@dataclass(frozen=True, slots=True)
class Query:
    """A search: wirewatch's query text, which FTS5 reads the same way (Datasette runs it raw)."""

    text: str
    filtered: bool = False  # only the archive's largest source (KCNA in the shared corpus)

    def label(self, source: str) -> str:
        return self.text + (f" [source {source}]" if self.filtered else "")


SEARCHES = (
    Query("Lavrov"),  # a name
    Query('"Federation Council"'),  # a phrase
    Query("Russia*"),  # a prefix
    Query("missile"),
    Query("Kim Jong Il"),  # three words, all common: thousands of hits
    Query("friendship"),
    Query("nuclear AND test"),
    Query("Putin OR Medvedev"),
    Query("nuclear", filtered=True),  # a source filter: wirewatch joins the articles; Datasette adds source_id = ?
)


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def percentile(values: Sequence[float], q: float) -> float:
    """The q-quantile (0..1), interpolating linearly between the sorted values."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    pos = (len(ordered) - 1) * q
    low, high = int(pos), min(int(pos) + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)


def code_version() -> str:
    """The commit measured, '-dirty' when the checkout has changes (the figures change with the code)."""
    try:
        git = subprocess.run(
            ["git", "-C", str(ROOT), "describe", "--always", "--dirty"], check=False, capture_output=True, text=True
        )
    except OSError:  # no git here
        return "unknown"
    return git.stdout.strip() or "unknown"


def venv_command(name: str, module: str) -> list[str]:
    script = Path(sys.executable).with_name(name)
    return [str(script)] if script.exists() else [sys.executable, "-m", module]


def version_of(package: str) -> str:
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return "absent"


# -- the load generator: a separate process, raw HTTP/1.1 over asyncio ---------------------------------------

CLIENT_ERRORS = (OSError, EOFError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, ValueError)


class Connection:
    """One keep-alive HTTP/1.1 connection that GETs a path and reads the whole answer."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None
        self.opened = 0

    async def get(self, path: str) -> int:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(HOST, self.port, limit=1 << 20)
            self.opened += 1
        assert self.reader is not None
        request = f"GET {path} HTTP/1.1\r\nHost: {HOST}:{self.port}\r\nUser-Agent: wirewatch-bench\r\n\r\n"
        self.writer.write(request.encode("latin-1"))
        head = (await self.reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
        version, status_text = head[0].split(" ", 2)[:2]
        status = int(status_text)
        length, chunked, close = None, False, version == "HTTP/1.0"
        for line in head[1:]:
            name, _, value = line.partition(":")
            name, value = name.strip().lower(), value.strip().lower()
            if name == "content-length":
                length = int(value)
            elif name == "transfer-encoding":
                chunked = value.endswith("chunked")
            elif name == "connection":
                close = "close" in value
        if status in (204, 304) or 100 <= status < 200:
            pass
        elif chunked:
            await self._read_chunked()
        elif length is not None:
            await self.reader.readexactly(length)
        else:  # neither: the body runs to the end of the connection
            await self.reader.read()
            close = True
        if close:
            self.close()
        return status

    async def _read_chunked(self) -> None:
        assert self.reader is not None
        while True:
            size = int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16)
            if size == 0:
                while await self.reader.readuntil(b"\r\n") != b"\r\n":  # trailers, then the empty line
                    pass
                return
            await self.reader.readexactly(size + 2)

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


async def _closed_loop(
    port: int, paths: Sequence[str], concurrency: int, warmup: float, duration: float
) -> dict[str, Any]:
    """Each connection sends its next request when the previous answer is in, for ``warmup`` + ``duration`` s.

    One continuous run: the latencies of requests sent during the warm-up are not recorded, so the
    measurement starts in the steady state; the answers in flight at the end are waited for (up to ``GRACE``
    s) and recorded. A server so slow that fewer than ``concurrency`` answers were recorded by then gets
    more time, up to ``EXTEND`` times the duration: at 50 connections, a page of 0.5 s takes 25 s to come
    back. Throughput is the answers received (whenever sent) from the end of the warm-up to the last send.
    """
    latencies: list[float] = []
    answered_at: list[float] = []
    statuses: collections.Counter[int] = collections.Counter()
    failures: collections.Counter[str] = collections.Counter()
    begin = time.perf_counter()
    start = begin + warmup
    deadline, last_sent = start + duration, [start]
    extended = start + duration * EXTEND
    connections = [Connection(port) for _ in range(concurrency)]

    async def worker(k: int) -> None:
        conn, i = connections[k], k * len(paths) // concurrency
        while (sent := time.perf_counter()) < deadline or (len(latencies) < concurrency and sent < extended):
            path, i = paths[i % len(paths)], i + 1
            last_sent[0] = max(last_sent[0], sent)
            try:
                status = await conn.get(path)
            except CLIENT_ERRORS as exc:
                failures[type(exc).__name__] += sent >= start
                conn.close()
                await asyncio.sleep(0.01)  # not a busy loop when the server is gone
                continue
            if (now := time.perf_counter()) >= start:
                answered_at.append(now)
            if sent >= start:
                latencies.append((now - sent) * 1000)
                statuses[status] += 1

    tasks = [asyncio.ensure_future(worker(k)) for k in range(concurrency)]
    _done, pending = await asyncio.wait(tasks, timeout=warmup + duration * EXTEND + GRACE)
    for task in pending:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    for conn in connections:
        conn.close()
    window = max(deadline, last_sent[0]) - start
    return {
        "latencies_ms": latencies,
        "statuses": dict(statuses),
        "failures": dict(failures),
        "unfinished": len(pending),
        "elapsed": window,
        "from_send_ms": [],
        "answered_in_window": sum(t <= start + window for t in answered_at),
        "connections_opened": sum(c.opened for c in connections),
    }


async def _open_loop(
    port: int, paths: Sequence[str], concurrency: int, warmup: float, duration: float, rate: float
) -> dict[str, Any]:
    """A fixed offered rate: each connection has a schedule (rate / concurrency requests/s, staggered).

    A late connection sends at once, but its latency counts from the scheduled time, so that a slow
    answer is charged for the requests it held up (no coordinated omission). The requests scheduled in
    the first ``warmup`` s are not recorded. Those still unanswered ``OPEN_GRACE`` s after the end count as
    unfinished, with the time they had waited as a lower bound of their latency. Throughput is the answers
    received (whenever scheduled) from the end of the warm-up to the end of the schedule.
    """
    interval = concurrency / rate
    latencies: list[float] = []
    from_send: list[float] = []
    lower_bounds: list[float] = []
    statuses: collections.Counter[int] = collections.Counter()
    failures: collections.Counter[str] = collections.Counter()
    begin = time.perf_counter() + 0.05
    start = begin + warmup
    end = start + duration
    answered_at: list[float] = []
    connections = [Connection(port) for _ in range(concurrency)]

    async def worker(k: int) -> None:
        conn, first, j = connections[k], begin + k * interval / concurrency, 0
        try:
            while (due := first + j * interval) < end:
                if (delay := due - time.perf_counter()) > 0:
                    await asyncio.sleep(delay)
                sent = time.perf_counter()
                try:
                    status = await conn.get(paths[(k * len(paths) // concurrency + j) % len(paths)])
                except CLIENT_ERRORS as exc:
                    failures[type(exc).__name__] += due >= start
                    conn.close()
                else:
                    if (now := time.perf_counter()) >= start:
                        answered_at.append(now)
                    if due >= start:
                        latencies.append((now - due) * 1000)
                        from_send.append((now - sent) * 1000)
                        statuses[status] += 1
                j += 1
        except asyncio.CancelledError:
            stopped = time.perf_counter()
            while (due := first + j * interval) < end:
                if due >= start:
                    lower_bounds.append((stopped - due) * 1000)
                j += 1
            raise

    tasks = [asyncio.ensure_future(worker(k)) for k in range(concurrency)]
    _done, pending = await asyncio.wait(tasks, timeout=warmup + duration + OPEN_GRACE)
    for task in pending:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    for conn in connections:
        conn.close()
    return {
        "latencies_ms": latencies + lower_bounds,
        "from_send_ms": from_send,
        "statuses": dict(statuses),
        "failures": dict(failures),
        "unfinished": len(lower_bounds),
        "elapsed": duration,
        "answered_in_window": sum(t <= end for t in answered_at),
        "connections_opened": sum(c.opened for c in connections),
    }


def run_load(
    port: int, paths: Sequence[str], concurrency: int, warmup: float, duration: float, rate: float | None = None
) -> dict[str, Any]:
    """In the load process: one closed-loop (``rate`` None) or open-loop run, with the CPU it took here."""
    coroutine = (
        _closed_loop(port, paths, concurrency, warmup, duration)
        if rate is None
        else _open_loop(port, paths, concurrency, warmup, duration, rate)
    )
    cpu, wall = time.process_time(), time.perf_counter()
    try:
        import uvloop

        result = uvloop.run(coroutine)
    except ImportError:
        result = asyncio.run(coroutine)
    # The CPU of the whole run, warm-up included, in proportion to the time measured.
    result["client_cpu_seconds"] = (time.process_time() - cpu) * result["elapsed"] / (time.perf_counter() - wall)
    result["event_loop"] = "uvloop" if "uvloop" in sys.modules else "asyncio"
    return result


# -- wrk: closed loop only ------------------------------------------------------------------------------------

WRK_SCRIPT = """-- written by bench/bench_web.py: GETs the paths of a file in turn; counts answers other than 200
local threads, count = {}, 0
function setup(thread)
  count = count + 1
  thread:set("id", count)
  table.insert(threads, thread)
end
function init(args)
  paths = {}
  for line in io.lines(args[1]) do
    if #line > 0 then paths[#paths + 1] = line end
  end
  i, non200 = (id - 1) * 7, 0
end
function request()
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
end
function response(status, headers, body)
  if status ~= 200 then non200 = non200 + 1 end
end
function done(summary, latency, requests)
  local bad = 0
  for _, thread in ipairs(threads) do bad = bad + thread:get("non200") end
  local e = summary.errors
  io.write(string.format('WRKJSON {"requests": %d, "duration_us": %d, "non200": %d, "connect": %d, "read": %d, ' ..
    '"write": %d, "status": %d, "timeout": %d, "mean_us": %.1f, "max_us": %.1f, "percentiles_us": {',
    summary.requests, summary.duration, bad, e.connect, e.read, e.write, e.status, e.timeout, latency.mean,
    latency.max))
  for n, p in ipairs({LADDER}) do
    io.write(string.format('%s"%s": %.1f', n > 1 and ", " or "", p, latency:percentile(p)))
  end
  io.write("}}\\n")
end
""".replace("{LADDER}", "{" + ", ".join(str(p) for p in LADDER) + "}")


def wrk_version(wrk: str) -> str:
    out = subprocess.run([wrk, "-v"], check=False, capture_output=True, text=True)
    found = re.search(r"wrk (\S+)", out.stdout + out.stderr)
    return found.group(1) if found else "unknown"


def run_wrk(wrk: str, port: int, paths_file: Path, script: Path, concurrency: int, duration: float) -> dict[str, Any]:
    """One closed-loop run of wrk (one thread: the load process must leave the server its core)."""
    command = [
        wrk,
        "-t1",
        f"-c{concurrency}",
        f"-d{max(1, round(duration))}s",
        f"--timeout={int(GRACE)}s",
        "-s",
        str(script),
        f"http://{HOST}:{port}",
        "--",
        str(paths_file),
    ]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    out = subprocess.run(command, check=False, capture_output=True, text=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    line = next((x for x in out.stdout.splitlines() if x.startswith("WRKJSON ")), None)
    if out.returncode != 0 or line is None:
        raise RuntimeError(f"wrk failed (exit status {out.returncode}):\n{out.stdout[-2000:]}\n{out.stderr[-2000:]}")
    raw: dict[str, Any] = json.loads(line.removeprefix("WRKJSON "))
    raw["client_cpu_seconds"] = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return raw


# -- the servers ----------------------------------------------------------------------------------------------


class Server:
    """A server command in its own session: waits for the URL it announces; stops with SIGINT."""

    def __init__(self, name: str, command: list[str], pattern: str) -> None:
        self.name, self.command = name, command
        self.pattern = re.compile(pattern)
        self.lines: collections.deque[str] = collections.deque(maxlen=40)
        self.port: int | None = None
        self.ready = threading.Event()
        self.process: subprocess.Popen[str] | None = None

    def _drain(self, stream: Any) -> None:
        for line in stream:
            self.lines.append(line.rstrip())
            if self.port is None and (found := self.pattern.search(line)):
                self.port = int(found.group(1))
                self.ready.set()
        self.ready.set()  # the stream ended: started or not, stop waiting

    def start(self, timeout: float = 60.0) -> int:
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        self.process = subprocess.Popen(
            self.command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, start_new_session=True
        )
        for stream in (self.process.stdout, self.process.stderr):
            threading.Thread(target=self._drain, args=(stream,), daemon=True).start()
        self.ready.wait(timeout)
        if self.port is None:
            self.stop()
            tail = "\n".join(self.lines)
            raise RuntimeError(f"{self.name} did not announce its address within {timeout:.0f} s:\n{tail}")
        return self.port

    def cpu_seconds(self) -> float:
        """User + system time of the server and its worker processes so far."""
        assert self.process is not None
        total = 0.0
        with contextlib.suppress(psutil.Error):
            parent = psutil.Process(self.process.pid)
            for p in [parent, *parent.children(recursive=True)]:
                with contextlib.suppress(psutil.Error):
                    times = p.cpu_times()
                    total += times.user + times.system
        return total

    def settle(self, limit: float = 120.0) -> float:
        """Wait until the server is idle (under 10 % of a core for 0.5 s): a load generator that stops
        leaves the requests it had sent queued in the server. Returns the seconds waited."""
        start = time.perf_counter()
        while time.perf_counter() - start < limit:
            cpu = self.cpu_seconds()
            time.sleep(0.5)
            if self.cpu_seconds() - cpu < 0.05:
                break
        return time.perf_counter() - start

    def stop(self) -> None:
        """SIGINT (uvicorn finishes the requests it has), a second one (it stops at once), then SIGKILL."""
        if self.process is None or self.process.poll() is not None:
            return
        for _ in range(2):
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(10)
                return
            except subprocess.TimeoutExpired:
                log(f"    {self.name} still runs 10 s after SIGINT")
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)  # its own session: only the server and its workers
        self.process.wait(10)


@contextlib.contextmanager
def serving(server: Server) -> Iterator[Server]:
    """The server, started; stopped in the end whatever happens. A connection that fails becomes a
    RuntimeError that says whether the server is still running, and what it printed last."""
    try:
        server.start()
        yield server
    except (OSError, http.client.HTTPException, json.JSONDecodeError) as exc:
        assert server.process is not None
        with contextlib.suppress(subprocess.TimeoutExpired):
            server.process.wait(1)  # a server that is dying: let it finish saying why
        code = server.process.poll()
        state = "still runs" if code is None else f"stopped (exit status {code})"
        last = server.lines[-1] if server.lines else "nothing"
        tail = "\n".join(server.lines)
        raise RuntimeError(
            f"{server.name}: {type(exc).__name__}: {exc}; the server {state}, saying: {last}\nAll it printed:\n{tail}"
        ) from exc
    finally:
        server.stop()


def fetch(port: int, path: str) -> tuple[int, bytes, float]:
    """One GET on a fresh connection: status, body, milliseconds."""
    conn = http.client.HTTPConnection(HOST, port, timeout=120)
    start = time.perf_counter()
    conn.request("GET", path)
    response = conn.getresponse()
    body = response.read()
    ms = (time.perf_counter() - start) * 1000
    conn.close()
    return response.status, body, ms


# -- measuring ------------------------------------------------------------------------------------------------


def busy_seconds() -> float:
    """CPU seconds the whole machine has spent busy (all cores)."""
    times = psutil.cpu_times()._asdict()  # on Linux, guest time is counted in user time too
    return float(sum(times.get(k, 0.0) for k in ("user", "nice", "system", "irq", "softirq", "steal")))


class Usage:
    """The CPU the server, and the whole machine, spend from now until ``done()``."""

    def __init__(self, server: Server) -> None:
        self.server = server
        self.wall, self.cpu, self.busy = time.perf_counter(), server.cpu_seconds(), busy_seconds()

    def done(self) -> dict[str, float]:
        return {
            "window_seconds": time.perf_counter() - self.wall,
            "server_cpu_seconds": self.server.cpu_seconds() - self.cpu,
            "machine_busy_seconds": busy_seconds() - self.busy,
        }


@dataclass
class Loader:
    """Runs the measurements: the Python client, or wrk for closed loops when asked."""

    pool: concurrent.futures.ProcessPoolExecutor
    wrk: str | None
    workdir: Path
    concurrency: int
    duration: float
    warmup: float

    def closed(self, server: Server, paths: Sequence[str], label: str) -> dict[str, Any]:
        result = self._with_wrk(server, paths, label) if self.wrk else self._with_python(server, paths, None)
        result["settle_seconds"] = self._settle(server)
        return result

    def open(self, server: Server, paths: Sequence[str], rate: float) -> dict[str, Any]:
        result = self._with_python(server, paths, rate)
        result["settle_seconds"] = self._settle(server)
        result["offered_rps"] = rate
        return result

    def _with_python(self, server: Server, paths: Sequence[str], rate: float | None) -> dict[str, Any]:
        assert server.port is not None
        args = (server.port, list(paths), self.concurrency, self.warmup, self.duration, rate)
        future = self.pool.submit(run_load, *args)
        time.sleep(self.warmup + (0.05 if rate else 0.0))  # the measured part starts about now
        usage = Usage(server)
        raw = future.result()
        result = summarize(raw, "closed" if rate is None else "open") | usage.done()
        if rate is not None:
            result["from_send_percentiles_ms"] = {str(p): percentile(raw["from_send_ms"], p / 100) for p in LADDER}
        return result

    def _with_wrk(self, server: Server, paths: Sequence[str], label: str) -> dict[str, Any]:
        assert server.port is not None and self.wrk is not None
        paths_file, script = self.workdir / f"paths-{label}.txt", self.workdir / "bench_web.lua"
        paths_file.write_text("\n".join(paths) + "\n", encoding="utf-8")
        script.write_text(WRK_SCRIPT, encoding="utf-8")
        if self.warmup > 0:
            run_wrk(self.wrk, server.port, paths_file, script, self.concurrency, self.warmup)
            self._settle(server)  # wrk leaves the answers it did not wait for queued in the server
        usage = Usage(server)
        raw = run_wrk(self.wrk, server.port, paths_file, script, self.concurrency, self.duration)
        elapsed = raw["duration_us"] / 1e6
        if not raw["requests"]:  # wrk reports zeros: nothing was answered within the run
            raw["percentiles_us"] = {p: float("nan") for p in raw["percentiles_us"]}
            raw["max_us"] = raw["mean_us"] = float("nan")
        socket_errors = {k: raw[k] for k in ("connect", "read", "write", "timeout") if raw[k]}
        return {
            "client": "wrk",
            "mode": "closed",
            "requests": raw["requests"],
            "elapsed": elapsed,
            "rps": raw["requests"] / elapsed,
            "percentiles_ms": {str(float(p)): v / 1000 for p, v in raw["percentiles_us"].items()},
            "max_ms": raw["max_us"] / 1000,
            "mean_ms": raw["mean_us"] / 1000,
            "non200": raw["non200"],
            "failures": socket_errors,
            "unfinished": 0,
            "client_cpu_seconds": raw["client_cpu_seconds"],
        } | usage.done()

    @staticmethod
    def _settle(server: Server) -> float:
        waited = server.settle()
        if waited > 1.5:
            log(f"      (the server took {waited:.1f} s to finish the requests left queued)")
        return waited


def summarize(raw: dict[str, Any], mode: str) -> dict[str, Any]:
    """Figures of one Python-client run: every latency sorted into the percentile ladder."""
    latencies, statuses = raw["latencies_ms"], raw["statuses"]
    answered = sum(statuses.values())
    return {
        "client": f"python ({raw['event_loop']})",
        "mode": mode,
        "requests": answered,
        "elapsed": raw["elapsed"],
        "rps": raw["answered_in_window"] / raw["elapsed"] if raw["elapsed"] > 0 else 0.0,
        "percentiles_ms": {str(p): percentile(latencies, p / 100) for p in LADDER},
        "max_ms": max(latencies, default=float("nan")),
        "mean_ms": sum(latencies) / len(latencies) if latencies else float("nan"),
        "non200": answered - statuses.get(200, 0),
        "statuses": statuses,
        "failures": raw["failures"],
        "unfinished": raw["unfinished"],
        "connections_opened": raw["connections_opened"],
        "client_cpu_seconds": raw["client_cpu_seconds"],
    }


def probe(port: int, paths: Sequence[str], runs: int = 2) -> list[float]:
    """Each path alone, unloaded: one warm-up GET (which must answer 200), then the median of ``runs``
    timed ones (ms)."""
    medians = []
    for path in paths:
        status, body, _ms = fetch(port, path)
        if status != 200:
            raise RuntimeError(f"the server answered {status} for {path}: {body[:300]!r}")
        medians.append(percentile([fetch(port, path)[2] for _ in range(runs)], 0.5))
    return medians


# -- the archive and what is asked of it ----------------------------------------------------------------------


def import_corpus(db: Path, inputs: Sequence[Path]) -> float:
    """The real import command; its wall clock."""
    command = [*venv_command("wirewatch", "wirewatch"), "--db", str(db), "import", *map(str, inputs), "--json"]
    start = time.perf_counter()
    done = subprocess.run(command, check=False, capture_output=True, text=True)
    if done.returncode not in (0, 1):  # 1: done, but some records were rejected
        sys.exit(f"wirewatch import failed (exit status {done.returncode}):\n{done.stderr[-3000:]}")
    return time.perf_counter() - start


@dataclass(frozen=True, slots=True)
class Workload:
    articles: int
    article_ids: list[int]
    source: str
    source_id: int
    dbname: str

    def article_paths(self) -> list[str]:
        return [f"/articles/{i}" for i in self.article_ids]

    def search_paths(self, api: bool = False) -> list[str]:
        out = []
        for q in SEARCHES:
            params = {"q": q.text, "order": "relevance"} | ({"source": self.source} if q.filtered else {})
            out.append(("/api/search?" if api else "/search?") + urlencode(params))
        return out

    def datasette_paths(self, json_api: bool = False, nofacet: bool = False) -> list[str]:
        """Datasette's table page searching ``article_fts`` (raw: the text is the MATCH), 20 rows;
        with ``nofacet``, without its facet suggestions (``_nofacet=1``)."""
        out = []
        for q in SEARCHES:
            params = {"_search": q.text, "_searchmode": "raw", "_size": 20}
            params |= {"source_id": self.source_id} if q.filtered else {}
            params |= {"_nofacet": 1} if nofacet else {}
            out.append(f"/{self.dbname}/articles{'.json' if json_api else ''}?{urlencode(params)}")
        return out


def workload(db: Path, sample: int) -> Workload:
    conn = sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True)
    try:
        ids = [row[0] for row in conn.execute("SELECT id FROM articles ORDER BY id")]
        source, source_id = conn.execute(
            "SELECT s.name, s.id FROM articles a JOIN sources s ON s.id = a.source_id "
            "GROUP BY s.id ORDER BY count(*) DESC LIMIT 1"
        ).fetchone()
    finally:
        conn.close()
    picked = random.Random(SEED).sample(ids, min(sample, len(ids)))
    return Workload(len(ids), picked, source, source_id, db.stem)


# -- one wirewatch server, one Datasette server -----------------------------------------------------------------


def measure_wirewatch(
    db: Path, workers: int, load: Loader, work: Workload, rate: float, probe_queries: bool
) -> dict[str, Any]:
    command = [
        *venv_command("wirewatch", "wirewatch"),
        "--db",
        str(db),
        "serve",
        "--port",
        "0",
        "--workers",
        str(workers),
    ]
    server = Server(f"wirewatch serve --workers {workers}", command, r"Serving at http://127\.0\.0\.1:(\d+)/")
    out: dict[str, Any] = {"workers": workers}
    with serving(server):
        assert server.port is not None
        log(f"    listening on port {server.port}; checking pages ...")
        for path in work.article_paths()[:20] + work.search_paths():
            status, _body, _ms = fetch(server.port, path)
            if status != 200:
                raise RuntimeError(f"wirewatch answered {status} for {path}")
        out["hits"] = [json.loads(fetch(server.port, p)[1])["total"] for p in work.search_paths(api=True)]
        if probe_queries:
            out["probe_search_ms"] = probe(server.port, work.search_paths())
            out["probe_article_ms"] = probe(server.port, work.article_paths()[:20], runs=1)
        out["settle_seconds"] = server.settle()
        log(f"    article pages, closed loop, {load.concurrency} clients ...")
        out["article_closed"] = load.closed(server, work.article_paths(), "articles")
        log(f"      {brief(out['article_closed'])}")
        log(f"    article pages, open loop at {rate:g} requests/s ...")
        out["article_open"] = load.open(server, work.article_paths(), rate)
        log(f"      {brief(out['article_open'])}")
        log(f"    search pages, closed loop, {load.concurrency} clients ...")
        out["search_closed"] = load.closed(server, work.search_paths(), "searches")
        log(f"      {brief(out['search_closed'])}")
    return out


def full_text_archive(db: Path, workdir: Path) -> Path:
    """The archive for Datasette: ``db`` itself when its FTS5 table holds the articles, else a
    copy (of the same file name, so that Datasette names it the same) with the table filled
    from the articles. With the tantivy engine wirewatch leaves ``article_fts`` empty, and
    Datasette's search of it would find nothing."""
    with contextlib.closing(sqlite3.connect(db)) as conn:
        filled = conn.execute("SELECT 1 FROM article_fts_docsize LIMIT 1").fetchone()
    if filled:
        return db
    folder = workdir / "datasette"
    folder.mkdir(exist_ok=True)
    copy = folder / db.name
    copy.unlink(missing_ok=True)
    started = time.perf_counter()
    with contextlib.closing(sqlite3.connect(db)) as source, contextlib.closing(sqlite3.connect(copy)) as target:
        source.backup(target)
        with target:
            target.execute(
                "INSERT INTO article_fts(rowid, title, body) SELECT id, title, coalesce(body, '') FROM articles"
            )
    log(
        f"    article_fts was empty (the tantivy engine): filled in a copy for Datasette, {time.perf_counter() - started:.1f} s"
    )
    return copy


def measure_datasette(db: Path, load: Loader, work: Workload) -> dict[str, Any]:
    db = full_text_archive(db, load.workdir)
    metadata = load.workdir / "datasette-metadata.json"
    tables = {"articles": {"fts_table": "article_fts", "fts_pk": "id"}}
    metadata.write_text(json.dumps({"databases": {work.dbname: {"tables": tables}}}), encoding="utf-8")
    command = [
        *venv_command("datasette", "datasette"),
        "serve",
        "-i",
        str(db),
        "-m",
        str(metadata),
        "--host",
        HOST,
        "--port",
        "0",
        "--setting",
        "sql_time_limit_ms",
        "5000",
        "--setting",
        "default_page_size",
        "20",
    ]
    server = Server("datasette", command, r"running on http://127\.0\.0\.1:(\d+)")
    out: dict[str, Any] = {}
    with serving(server):
        assert server.port is not None
        log(f"    listening on port {server.port}; checking the searches ...")
        counts = []
        for path in work.datasette_paths(json_api=True):
            status, body, _ms = fetch(server.port, path)
            if status != 200:
                raise RuntimeError(f"Datasette answered {status} for {path}: {body[:500]!r}")
            data = json.loads(body)
            counts.append(data.get("filtered_table_rows_count", len(data["rows"])))
        if not any(counts):
            raise RuntimeError("Datasette's full-text search found nothing: the comparison would not be real")
        out["hits"] = counts
        out["probe_search_ms"] = probe(server.port, work.datasette_paths())
        out["probe_nofacet_ms"] = probe(server.port, work.datasette_paths(nofacet=True))
        out["settle_seconds"] = server.settle()
        log(f"    search pages, closed loop, {load.concurrency} clients ...")
        out["search_closed"] = load.closed(server, work.datasette_paths(), "datasette")
        log(f"      {brief(out['search_closed'])}")
        log(f"    search pages without facet suggestions (_nofacet=1), closed loop, {load.concurrency} clients ...")
        out["nofacet_closed"] = load.closed(server, work.datasette_paths(nofacet=True), "datasette-nofacet")
        log(f"      {brief(out['nofacet_closed'])}")
    return out


def brief(m: dict[str, Any]) -> str:
    p = m["percentiles_ms"]
    return f"{m['rps']:.0f} requests/s, p50 {p['50.0']:.0f} ms, p95 {p['95.0']:.0f} ms, {errors_of(m)} errors"


def errors_of(m: dict[str, Any]) -> int:
    return int(m["non200"] + sum(m["failures"].values()) + m["unfinished"])


# -- verdicts and the table -----------------------------------------------------------------------------------


def p95(m: dict[str, Any]) -> float:
    return float(m["percentiles_ms"]["95.0"])


def ratio(a: float, b: float) -> float:
    return a / b if b > 0 else float("nan")


def verdicts(ww: dict[str, Any], ds: dict[str, Any], rate: float) -> list[dict[str, Any]]:
    """The targets for one wirewatch server; rows without a target are for information."""
    a, o, s = ww["article_closed"], ww["article_open"], ww["search_closed"]
    failed = {"percentiles_ms": {"95.0": float("nan")}, "rps": float("nan")}  # Datasette did not run
    d, lean = ds.get("search_closed", failed), ds.get("nofacet_closed", failed)
    open_ok = p95(o) <= ARTICLE_P95_TARGET and o["rps"] >= 0.95 * rate and not o["unfinished"]
    rows: list[tuple[str, float, str, str, bool | None]] = [
        (
            "article requests/s, closed loop",
            a["rps"],
            "",
            f"≥ {ARTICLE_RPS_TARGET:.0f}",
            a["rps"] >= ARTICLE_RPS_TARGET,
        ),
        ("article p95, closed loop", p95(a), "ms", f"≤ {ARTICLE_P95_TARGET:.0f} ms", p95(a) <= ARTICLE_P95_TARGET),
        (f"article p95, open loop at {rate:g}/s", p95(o), "ms", f"≤ {ARTICLE_P95_TARGET:.0f} ms", open_ok),
        ("search p95, closed loop", p95(s), "ms", f"≤ {SEARCH_P95_TARGET:.0f} ms", p95(s) <= SEARCH_P95_TARGET),
        ("search p95 ÷ Datasette's", ratio(p95(s), p95(d)), "×", "≤ 1×", p95(s) <= p95(d)),
        ("search requests/s ÷ Datasette's", ratio(s["rps"], d["rps"]), "×", "≥ 1×", s["rps"] >= d["rps"]),
        ("search p95 ÷ Datasette's, _nofacet", ratio(p95(s), p95(lean)), "×", "", None),
        ("search requests/s ÷ Datasette's, _nofacet", ratio(s["rps"], lean["rps"]), "×", "", None),
    ]
    out = []
    for figure, value, unit, target, ok in rows:
        result = "" if ok is None else "n/a" if math.isnan(value) else "PASS" if ok else "MISS"  # NaN: nothing answered
        out.append({"figure": figure, "value": value, "unit": unit, "target": target, "result": result})
    return out


def other_cpu(m: dict[str, Any]) -> float:
    """The CPU (% of one core) that neither the server nor the load generator used during a measurement."""
    return max(
        0.0,
        float(
            100 * (m["machine_busy_seconds"] - m["server_cpu_seconds"] - m["client_cpu_seconds"]) / m["window_seconds"]
        ),
    )


def print_table(f: dict[str, Any]) -> None:
    v = f["versions"]
    print(
        f"\nwirewatch {f['code']} web reader: {f['cpus']} CPUs, Python {f['python']}, SQLite {f['sqlite']}; "
        f"wirewatch {v['wirewatch']}, uvicorn {v['uvicorn']} (uvloop {v['uvloop']}, httptools {v['httptools']}), "
        f"datasette {v['datasette']}; load {f['load_before']:.2f} → {f['load_after']:.2f}"
    )
    made = f"imported in {f['import_seconds']:.1f} s" if f["import_seconds"] is not None else "reused"
    print(
        f"archive {f['db']}, {made}: {f['articles']:,} articles, {f['db_mb']:.0f} MB; "
        f"{f['article_sample']} article pages (seed {SEED}), {len(SEARCHES)} searches; {f['concurrency']} "
        f"connections, {f['duration']:g} s per measurement after {f['warmup']:g} s of warm-up; "
        f"{f['client']}"
    )
    print(
        f"\n{'server':14}{'page':18}{'load':13}{'req/s':>7}{'p50':>10}{'p95':>10}{'p99':>10}{'max':>9}"
        f"{'errors':>7}{'server CPU':>11}{'client':>8}{'other':>8}"
    )
    rows = []
    closed = f"closed, {f['concurrency']}"
    ran = [ww for ww in f["wirewatch"] if "error" not in ww]
    ds = f["datasette"]
    for ww in ran:
        name = f"wirewatch ×{ww['workers']}"
        rows += [
            (name, "article", closed, ww["article_closed"]),
            (name, "article", f"open, {f['rate']:g}/s", ww["article_open"]),
            (name, "search", closed, ww["search_closed"]),
        ]
    if "error" not in ds:
        rows += [
            ("datasette", "search", closed, ds["search_closed"]),
            ("datasette", "search, _nofacet", closed, ds["nofacet_closed"]),
        ]
    for server, page, load, m in rows:
        p = m["percentiles_ms"]
        bound = "≥" if m["unfinished"] else ""
        window = m["window_seconds"]
        cpu, client, other = (
            100 * m["server_cpu_seconds"] / window,
            100 * m["client_cpu_seconds"] / window,
            other_cpu(m),
        )
        figures = "".join(f"{bound + format(x, '.1f'):>10}" for x in (p["50.0"], p["95.0"], p["99.0"]))
        print(
            f"{server:14}{page:18}{load:13}{m['rps']:>7.0f}{figures}{bound + format(m['max_ms'], '.0f'):>9}"
            f"{errors_of(m):>7}{cpu:>10.0f}%{client:>7.0f}%{other:>7.0f}%"
        )
    print(
        "(latencies in ms; CPU in % of one core during the measurement: the server's processes, the load "
        "generator, and everything else on the machine)"
    )
    disturbed = [f"{server} {page} ({load})" for server, page, load, m in rows if other_cpu(m) > DISTURBED]
    if disturbed:
        print(
            f"WARNING: other work used more than {DISTURBED:.0f} % of a core during: {'; '.join(disturbed)}. "
            "Those figures are low: run again on a quiet machine."
        )
    for failed in [*(ww for ww in f["wirewatch"] if "error" in ww), *([ds] if "error" in ds else [])]:
        name = f"wirewatch ×{failed['workers']}" if "workers" in failed else "datasette"
        print(f"FAILED: {name}, not measured: {failed['error'].splitlines()[0]}")
    for ww in ran:
        print(f"\n{'target, wirewatch ×' + str(ww['workers']):44}{'value':>10}  {'target':<11}result")
        for row in ww["verdicts"]:
            value = f"{row['value']:.2f}×" if row["unit"] == "×" else f"{row['value']:.1f}"
            value += " ms" if row["unit"] == "ms" else ""
            print(f"{row['figure']:44}{value:>10}  {row['target']:<11}{row['result']}")
    if not ran:
        return
    first = next((ww for ww in ran if "probe_search_ms" in ww), ran[0])
    if "probe_search_ms" in first and "error" not in ds:
        print(
            f"\n{'one client, one request at a time (ms)':40}{'hits ww':>8}{'ds':>8}{'ww':>8}{'ds':>8}"
            f"{'ds _nofacet':>12}"
        )
        for i, q in enumerate(SEARCHES):
            print(
                f"{q.label(f['source'])[:39]:40}{first['hits'][i]:>8,}{ds['hits'][i]:>8,}"
                f"{first['probe_search_ms'][i]:>8.1f}{ds['probe_search_ms'][i]:>8.1f}"
                f"{ds['probe_nofacet_ms'][i]:>12.1f}"
            )
        articles = first["probe_article_ms"]
        print(
            f"{'article page (20 of the sample)':40}{'':16}{percentile(articles, 0.5):>8.1f}"
            f"   median; max {max(articles):.1f}"
        )
    opened = first["article_open"]
    wrk_note = "\n  wrk drops the answers still in flight when its time is up." if f["wrk"] else ""
    print(f"""
notes: closed loop: each connection sends its next request when the answer is in, so latency ≈ connections ÷
  throughput. Open loop: {f["rate"]:g} requests/s offered on a fixed schedule over the same connections, latency
  from the scheduled send (p95 from the actual send: {opened["from_send_percentiles_ms"]["95.0"]:.1f} ms, wirewatch ×{first["workers"]}); "≥": some
  requests were still unanswered {OPEN_GRACE:g} s after the end, counted with the time they had waited. errors:
  answers other than 200, socket errors, unfinished requests.
  Datasette serves the same file read-only (-i), its table page with _search in raw FTS5 mode (the same MATCH
  text), 20 rows ordered by id, a row count and, by default, facet suggestions (_nofacet=1: without);
  wirewatch's page ranks by bm25, counts, and adds facets and snippets. Hits differ where wirewatch's parser
  and FTS5 read a query differently. Other work on the machine ("other" CPU) makes throughput low and
  latencies high.{wrk_note}""")


# -- profiling one page in-process ----------------------------------------------------------------------------


def profile_pages(db: Path, kind: str, requests: int, top: int) -> None:
    """Time ``requests`` GETs through TestClient, then profile them with the app's worker threads inlined."""
    import anyio.to_thread

    with warnings.catch_warnings():  # starlette's note that TestClient will want httpx2
        warnings.simplefilter("ignore")
        from starlette.testclient import TestClient

    from wirewatch.config.settings import Settings
    from wirewatch.web import create_app

    work = workload(db, 500)
    paths = work.article_paths() if kind == "article" else work.search_paths()
    sequence = [paths[i % len(paths)] for i in range(requests)]
    app = create_app(Settings(db=str(db)))
    with TestClient(app) as client:
        for path in paths[:50]:
            assert client.get(path).status_code == 200, path
        start = time.perf_counter()
        for path in sequence:
            client.get(path)
        per_request = (time.perf_counter() - start) * 1000 / requests
    print(f"{kind} pages: {per_request:.2f} ms per request through TestClient, {requests} requests, one at a time")

    async def call(path: str) -> int:
        raw, _, query = path.partition("?")
        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": "GET",
            "scheme": "http",
            "path": unquote(raw),
            "raw_path": raw.encode(),
            "query_string": query.encode(),
            "root_path": "",
            "headers": [(b"host", b"127.0.0.1:8000")],
            "client": (HOST, 50000),
            "server": (HOST, 8000),
            "state": {},
        }
        status: list[int] = []

        async def receive() -> dict[str, Any]:
            return {"type": "http.request", "body": b"", "more_body": False}

        async def send(message: MutableMapping[str, Any]) -> None:
            if message["type"] == "http.response.start":
                status.append(message["status"])

        await app(scope, receive, send)
        return status[0]

    async def inline(func: Any, *args: Any, **_kwargs: Any) -> Any:
        return func(*args)

    async def run_all() -> float:
        start = time.perf_counter()
        for path in sequence:
            await call(path)
        return (time.perf_counter() - start) * 1000 / requests

    threaded = anyio.to_thread.run_sync
    anyio.to_thread.run_sync = inline  # type: ignore[assignment]  # the endpoint runs on this thread, profiled
    try:
        inline_ms = asyncio.run(run_all())
        profiler = cProfile.Profile()
        profiled_ms = profiler.runcall(asyncio.run, run_all())
    finally:
        anyio.to_thread.run_sync = threaded
    print(f"{kind} pages: {inline_ms:.2f} ms per request in-process on one thread, {profiled_ms:.2f} ms profiled\n")
    stats = pstats.Stats(profiler, stream=sys.stdout)
    print("wirewatch's own functions, by cumulative time:")
    stats.sort_stats("cumulative").print_stats("/wirewatch/", top)
    print("every function, by internal time:")
    stats.sort_stats("tottime").print_stats(top)


# -- main -------------------------------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS, help="the corpus folder (default ../shared/corpus)")
    parser.add_argument(
        "--workdir", type=Path, help="keep the archive and the files made here (default: a temporary folder)"
    )
    parser.add_argument("--db", type=Path, help="reuse this archive instead of importing the corpus")
    parser.add_argument("--duration", type=float, default=20.0, help="seconds per measurement (default 20)")
    parser.add_argument("--warmup", type=float, default=3.0, help="seconds of load before each measurement (default 3)")
    parser.add_argument("--concurrency", type=int, default=50, help="connections (default 50)")
    parser.add_argument(
        "--rate", type=float, default=ARTICLE_RPS_TARGET, help="the open loop's offered requests/s (default 400)"
    )
    parser.add_argument(
        "--workers",
        type=int,
        nargs="+",
        default=[1, 2],
        metavar="N",
        help="server processes; several values, one run each (default: 1, then 2, one per core here)",
    )
    parser.add_argument("--articles", type=int, default=500, help="article pages in the sample (default 500)")
    parser.add_argument(
        "--client",
        choices=("python", "wrk"),
        default="python",
        help="the closed-loop load generator (default: the Python client)",
    )
    parser.add_argument(
        "--profile", choices=("article", "search"), help="instead: profile one page type in-process (needs --db)"
    )
    parser.add_argument("--profile-requests", type=int, default=2000, help="requests to profile (default 2000)")
    args = parser.parse_args(argv)

    if args.db is not None and not args.db.is_file():
        print(f"error: --db {args.db}: no such archive", file=sys.stderr)
        return 2
    if args.profile:
        if args.db is None:
            print("error: --profile needs --db PATH", file=sys.stderr)
            return 2
        profile_pages(args.db.resolve(), args.profile, args.profile_requests, 30)
        return 0
    inputs = [args.corpus / name for name in FILES]
    missing = [str(p) for p in inputs if not p.is_file()]
    if args.db is None and missing:
        print(f"error: corpus file(s) missing: {', '.join(missing)} (use --corpus DIR, or --db PATH)", file=sys.stderr)
        return 2
    wrk = shutil.which("wrk") if args.client == "wrk" else None
    if args.client == "wrk" and wrk is None:
        print("error: --client wrk: wrk is not installed (apt-get install wrk)", file=sys.stderr)
        return 2

    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="wirewatch-bench-web-"))
    workdir.mkdir(parents=True, exist_ok=True)
    load_before = os.getloadavg()[0]
    import_seconds = None
    pool = concurrent.futures.ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"))
    try:
        if args.db is None:
            db = workdir / "ww.db"
            for old in (Path(f"{db}{suffix}") for suffix in ("", "-wal", "-shm")):
                old.unlink(missing_ok=True)
            log(f"wirewatch import into {db} ...")
            import_seconds = import_corpus(db, inputs)
            log(f"    {import_seconds:.1f} s")
        else:
            db = args.db.resolve()
            log(f"reusing the archive {db}")
        work = workload(db, args.articles)
        db_mb = sum(p.stat().st_size for p in (Path(f"{db}{s}") for s in ("", "-wal")) if p.exists()) / MB
        load = Loader(pool, wrk, workdir, args.concurrency, args.duration, args.warmup)
        pool.submit(time.sleep, 0).result()  # start the load process now, not during a measurement
        results: list[dict[str, Any]] = []
        for workers in args.workers:
            log(f"wirewatch serve --workers {workers} ...")
            probed = any("probe_search_ms" in r for r in results)
            try:
                results.append(measure_wirewatch(db, workers, load, work, args.rate, probe_queries=not probed))
            except RuntimeError as exc:  # report it, and measure the rest
                log(f"    FAILED: {exc}")
                results.append({"workers": workers, "error": str(exc)})
        log("datasette serve -i ...")
        try:
            datasette = measure_datasette(db, load, work)
        except RuntimeError as exc:
            log(f"    FAILED: {exc}")
            datasette = {"error": str(exc)}
    finally:
        pool.shutdown()
        if args.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)
    for ww in results:
        if "error" not in ww:
            ww["verdicts"] = verdicts(ww, datasette, args.rate)
    figures = {
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "code": code_version(),
        "cpus": psutil.cpu_count(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "versions": {
            p: version_of(p)
            for p in ("wirewatch", "uvicorn", "uvloop", "httptools", "starlette", "fastapi", "datasette")
        },
        "wrk": wrk_version(wrk) if wrk else None,
        "client": f"closed loops by wrk {wrk_version(wrk)}, the open loop by the Python client"
        if wrk
        else f"load by the Python client ({'uvloop' if find_spec('uvloop') else 'asyncio'})",
        "load_before": load_before,
        "load_after": os.getloadavg()[0],
        "db": str(args.db or "ww.db in the work folder"),
        "import_seconds": import_seconds,
        "db_mb": db_mb,
        "articles": work.articles,
        "article_sample": len(work.article_ids),
        "source": work.source,
        "concurrency": args.concurrency,
        "duration": args.duration,
        "warmup": args.warmup,
        "rate": args.rate,
        "searches": [q.label(work.source) for q in SEARCHES],
        "search_paths": work.search_paths(),
        "datasette_paths": work.datasette_paths(),
        "article_ids": work.article_ids,
        "targets": {
            "article_rps": ARTICLE_RPS_TARGET,
            "article_p95_ms": ARTICLE_P95_TARGET,
            "search_p95_ms": SEARCH_P95_TARGET,
            "search_p95_vs_datasette": 1.0,
        },
        "wirewatch": results,
        "datasette": datasette,
    }
    print_table(figures)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(figures, indent=2, default=str) + "\n", encoding="utf-8")
    log(f"figures written to {RESULTS}")
    return 1 if any("error" in r for r in [*results, datasette]) else 0


if __name__ == "__main__":
    sys.exit(main())
