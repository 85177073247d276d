"""`wirewatch serve`: the options it refuses, with a message and no traceback."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import psutil
import pytest

from tests.conftest import Invoke, server_address, stop, write_jsonl


def test_a_port_out_of_range_is_refused(cli: Invoke) -> None:
    result = cli("serve", "--port", "70000")
    assert result.exit_code == 2
    assert "--port 70000" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("workers", ["1", "2"])
def test_a_busy_port_is_named(cli: Invoke, workers: str) -> None:
    # also when the other server shares its port (SO_REUSEPORT), as a server of several
    # worker processes does: two servers must not split one port between them
    with socket.socket() as taken:
        if hasattr(socket, "SO_REUSEPORT"):
            taken.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = cli("serve", "--port", str(port), "--workers", workers)
    assert result.exit_code == 2
    assert f"cannot listen on 127.0.0.1:{port}" in result.stderr


def test_an_unknown_host_is_named(cli: Invoke) -> None:
    result = cli("serve", "--host", "no-such-host.invalid")
    assert result.exit_code == 2
    assert "--host 'no-such-host.invalid'" in result.stderr


def test_a_bad_base_url_is_refused(cli: Invoke, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("WIREWATCH_BASE_URL", "javascript:alert(1)")
    result = cli("serve")
    assert result.exit_code == 2
    assert "WIREWATCH_BASE_URL" in result.stderr


def serving(tmp_path: Path, workers: int = 2) -> subprocess.Popen[str]:
    """`wirewatch serve --port 0 --workers N`, in its own session, over an archive of one story
    ("Talks Held", article 1)."""
    db = tmp_path / "two.db"
    write_jsonl(
        tmp_path / "in.jsonl",
        [{"source": "KCNA", "title": "Talks Held", "date": "2012-05-09", "body": "Talks were held."}],
    )
    wirewatch = str(Path(sys.executable).with_name("wirewatch"))
    subprocess.run([wirewatch, "--db", str(db), "import", str(tmp_path / "in.jsonl")], check=True, capture_output=True)
    return subprocess.Popen(
        [wirewatch, "--db", str(db), "serve", "--port", "0", "--workers", str(workers)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


def test_two_worker_processes_serve_one_port(tmp_path: Path) -> None:
    """`--workers 2`: both processes answer on the port printed; Ctrl-C stops them all."""
    process = serving(tmp_path)
    try:
        url = server_address(process)
        with httpx.Client(base_url=url, timeout=10) as client:
            # Fresh connections, so that both processes get some of them.
            pages = [httpx.get(url + "articles/1", timeout=10) for _ in range(20)]
            assert all(page.status_code == 200 and "Talks Held" in page.text for page in pages)
            assert client.get("/api/stats").json()["articles"] == 1
        assert process.poll() is None
    finally:
        stop(process)
    assert process.returncode is not None


def test_each_worker_process_takes_a_share_of_a_burst_of_connections(tmp_path: Path) -> None:
    """A burst of keep-alive connections, as a load test or a page's parallel requests open:
    with one shared socket the process that woke first could accept all of them and leave
    the other idle; with a socket per process the kernel spreads them (all 40 on one of
    two processes has a chance of 2**-39)."""
    process = serving(tmp_path)
    clients = []
    try:
        url = server_address(process)
        port = int(url.rstrip("/").rsplit(":", 1)[1])
        clients = [socket.create_connection(("127.0.0.1", port)) for _ in range(40)]
        for client in clients:  # every connection accepted and answered before counting
            client.sendall(b"GET /api/stats HTTP/1.1\r\nHost: x\r\n\r\n")
        for client in clients:
            assert client.recv(12).startswith(b"HTTP/1.1 200")
        workers = psutil.Process(process.pid).children(recursive=True)
        held = {
            worker.pid: sum(1 for c in worker.net_connections("tcp") if c.laddr.port == port and c.raddr)
            for worker in workers
            if worker.is_running()
        }
        assert sum(held.values()) == 40
        assert len([n for n in held.values() if n]) == 2, held
    finally:
        for client in clients:
            client.close()
        stop(process)


@pytest.mark.parametrize("workers", [1, 2])
def test_answers_on_a_kept_alive_connection_are_not_held_back(tmp_path: Path, workers: int) -> None:
    """A browser sends a page's next requests on the connection it keeps open. With Nagle's
    algorithm on, the server's second write of an answer (its body) waits for the client's
    delayed acknowledgement of the first, 40 ms or more on Linux, at every answer after the
    first: the single-process server had it. A robots.txt takes about a millisecond, so the
    fastest of five is far below 40 ms unless each was held back."""
    process = serving(tmp_path, workers)
    try:
        port = int(server_address(process).rstrip("/").rsplit(":", 1)[1])
        with socket.create_connection(("127.0.0.1", port)) as client:
            seconds = []
            for _ in range(6):
                started = time.perf_counter()
                client.sendall(b"GET /robots.txt HTTP/1.1\r\nHost: x\r\n\r\n")
                answer = b""
                while b"\r\n\r\n" not in answer:
                    answer += client.recv(65536)
                head, _, body = answer.partition(b"\r\n\r\n")
                assert head.startswith(b"HTTP/1.1 200")
                length = re.search(rb"(?im)^content-length:\s*(\d+)", head)
                assert length is not None
                while len(body) < int(length.group(1)):
                    body += client.recv(65536)
                seconds.append(time.perf_counter() - started)
        assert min(seconds[1:]) < 0.035, [f"{s * 1000:.1f} ms" for s in seconds]
    finally:
        stop(process)
    if workers == 1:
        assert process.returncode == 0  # Ctrl-C is how a user stops it: not an error


@pytest.mark.parametrize("entry", ["app_from_env()", "serve"])
def test_a_server_process_leaves_its_lasting_objects_out_of_full_collections(tmp_path: Path, entry: str) -> None:
    """The modules and the app live as long as a server process. A full garbage collection
    that visits them all took 50-70 ms and stalled every page waiting in the process, about
    once a second under load; built and frozen before serving, they are left out, and a
    full pass visits only what came after."""
    db = tmp_path / "heap.db"
    script = (
        "import gc, sys\n"
        "from wirewatch.web import server\n"
        "if sys.argv[1] == 'serve':\n"
        "    import uvicorn\n"
        "    from wirewatch.config.settings import Settings\n"
        "    uvicorn.Server.run = lambda self, sockets=None: print(gc.get_freeze_count(), len(gc.get_objects(2)))\n"
        "    server.serve(Settings.from_env(), server.ServeOptions(port=0), on_ready=lambda url: None)\n"
        "else:\n"
        "    server.app_from_env()\n"
        "    print(gc.get_freeze_count(), len(gc.get_objects(2)))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script, entry.removesuffix("()")],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "WIREWATCH_DB": str(db)},
    )
    frozen, left = map(int, out.stdout.split())
    assert frozen > 50_000 and left < 1_000, out.stdout
