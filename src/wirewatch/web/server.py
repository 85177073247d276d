"""Running the web reader under uvicorn: one process, or several with a socket each on one port.

Several processes sharing one listening socket split connections unevenly: at a burst of
new connections, the process that wakes first accepts most of them (all 50 of a load
test's, at times), and keep-alive connections stay where they landed. So each worker
process listens on a socket of its own with ``SO_REUSEPORT``, and the kernel spreads new
connections over them by their addresses, as nginx's ``reuseport`` does.
"""

from __future__ import annotations

import gc
import os
import socket
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from wirewatch.config.settings import Settings
from wirewatch.errors import ConfigError

if TYPE_CHECKING:  # fastapi and uvicorn load only when a server starts
    from fastapi import FastAPI

LOOPBACK = ("127.0.0.1", "::1", "localhost")


@dataclass(frozen=True, slots=True)
class ServeOptions:
    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = 1
    access_log: bool = False


BACKLOG = 2048
#: Where the kernel spreads connections over the sockets that share a port (Linux 3.9+;
#: on macOS and the BSDs, SO_REUSEPORT gives them all to one socket).
PER_WORKER = sys.platform.startswith("linux") and hasattr(socket, "SO_REUSEPORT")
LISTENING = "0A"  # the state of a listening socket in /proc/net/tcp


def bind(options: ServeOptions, *, listen: bool = True) -> socket.socket:
    """The socket bound to the address (port 0 picks a free port), listening unless told
    not to, or a ConfigError that says why not. Several processes share the port when
    ``options.workers`` > 1 (``SO_REUSEPORT``)."""
    try:
        infos = socket.getaddrinfo(options.host, options.port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as exc:
        raise ConfigError(f"--host {options.host!r}: {exc.strerror}") from None
    family, kind, proto, _name, address = infos[0]
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if options.workers > 1 and PER_WORKER:
        if options.port and listening_on_port(options.port):
            # another server that shares its port would otherwise take half the connections
            sock.close()
            raise ConfigError(f"cannot listen on {options.host}:{options.port}: Address already in use")
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    try:
        sock.bind(address)
    except OSError as exc:
        sock.close()
        raise ConfigError(f"cannot listen on {options.host}:{options.port}: {exc.strerror}") from None
    if listen:
        sock.listen(BACKLOG)
    sock.set_inheritable(True)
    return sock


def _listening_on(family: int, address: tuple[Any, ...]) -> socket.socket:
    """In a worker process: its own listening socket on the port the server holds."""
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind(address)
    sock.listen(BACKLOG)
    return sock


class PerWorkerSocket(socket.socket):
    """The server's address, handed to each worker process as a socket of its own.

    uvicorn's supervisor passes its sockets to the worker processes it starts (and
    restarts) by pickling them; this one unpickles as a new socket on the same port,
    bound and listening in the worker (``_listening_on``). In the parent it is never
    listened on: the kernel only spreads connections over listening sockets."""

    def __init__(self, holder: socket.socket) -> None:
        super().__init__(holder.family, socket.SOCK_STREAM)
        self.address = holder.getsockname()

    def __reduce__(self) -> tuple[Callable[..., socket.socket], tuple[int, tuple[Any, ...]]]:
        return _listening_on, (int(self.family), self.address)


def listening_on_port(port: int) -> int:
    """How many sockets listen on ``port``, on any address (Linux's /proc/net/tcp*)."""
    found = 0
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            if len(fields) > 3 and fields[3] == LISTENING and int(fields[1].rsplit(":", 1)[1], 16) == port:
                found += 1
    return found


def _announce_when_listening(port: int, workers: int, url: str, on_ready: Callable[[str], None]) -> None:
    """Call ``on_ready`` once every worker process listens: until then connections would be
    refused (nothing listens in the parent) or all go to the workers that started first. A
    worker that does not start in a minute does not hold the others back."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and listening_on_port(port) < workers:
        time.sleep(0.05)
    on_ready(url)


def url_of(sock: socket.socket) -> str:
    host, port = sock.getsockname()[:2]
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/"


def app_from_env() -> FastAPI:
    """The app for each worker process of a multi-process server, from the settings
    the parent left in the environment."""
    from wirewatch.web.app import create_app

    app = create_app(Settings.from_env())
    settle_heap()
    return app


def settle_heap() -> None:
    """Leave what the server has made so far out of the garbage collector's full passes.

    The modules, the app and its routes are about 110,000 objects that live as long as
    the process. A full collection visits every one of them, 50-70 ms on a laptop's
    core, and under load it came every second or so, in whichever thread was running a
    page: every page waiting in that process waited as long again (the search page's
    p95 was 1.6 times its median). Frozen (``gc.freeze``), they are never visited, and a
    full pass covers only what came after. They are still freed when their last
    reference goes; only a reference cycle among them would never be collected, and
    they are made to last as long as the process.
    """
    gc.collect()  # what building the app left behind, freed before the rest is frozen
    gc.freeze()


def serve(settings: Settings, options: ServeOptions, on_ready: Callable[[str], None]) -> None:
    """Serve the archive ``settings.db`` until interrupted; ``on_ready`` gets the URL.

    The socket is bound here, so that port 0 works and the address is known before
    uvicorn starts. One process listens on it; several each listen on their own socket
    on its port (``PerWorkerSocket``), while this one only holds the port.
    """
    import uvicorn
    from uvicorn.supervisors import Multiprocess

    common: dict[str, Any] = {"log_level": "warning", "access_log": options.access_log, "proxy_headers": False}
    if options.workers == 1:
        from wirewatch.web.app import create_app

        sock = bind(options)
        on_ready(url_of(sock))
        # The socket itself, not its descriptor: uvicorn reads a descriptor as a Unix
        # socket's, and the event loop then leaves Nagle's algorithm on for each connection,
        # so every answer after the first on a kept-alive connection waited 40 ms for the
        # client's delayed acknowledgement.
        app = create_app(settings)
        settle_heap()
        try:
            uvicorn.Server(uvicorn.Config(app, **common)).run(sockets=[sock])
        except KeyboardInterrupt:  # uvicorn raises the Ctrl-C again once it has shut down
            pass
        finally:
            sock.close()
        return
    # Each worker process builds its own app; the settings travel in the environment.
    os.environ["WIREWATCH_DB"] = settings.db
    if settings.base_url:
        os.environ["WIREWATCH_BASE_URL"] = settings.base_url
    config = uvicorn.Config("wirewatch.web.server:app_from_env", factory=True, workers=options.workers, **common)
    if not PER_WORKER:
        sock = bind(options)
        on_ready(url_of(sock))
        Multiprocess(config, sockets=[sock]).run()
        sock.close()
        return
    holder = bind(options, listen=False)
    port = holder.getsockname()[1]
    announcer = threading.Thread(
        target=_announce_when_listening, args=(port, options.workers, url_of(holder), on_ready), daemon=True
    )
    announcer.start()
    Multiprocess(config, sockets=[PerWorkerSocket(holder)]).run()
    holder.close()
