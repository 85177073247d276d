"""Running the web reader under uvicorn: one process or several sharing one socket."""

from __future__ import annotations

import os
import socket
from collections.abc import Callable
from dataclasses import dataclass
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


def bind(options: ServeOptions) -> socket.socket:
    """The listening socket (port 0 picks a free port), or a ConfigError that says why not."""
    try:
        infos = socket.getaddrinfo(options.host, options.port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as exc:
        raise ConfigError(f"--host {options.host!r}: {exc.strerror}") from None
    family, kind, proto, _name, address = infos[0]
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(address)
    except OSError as exc:
        sock.close()
        raise ConfigError(f"cannot listen on {options.host}:{options.port}: {exc.strerror}") from None
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


def url_of(sock: socket.socket) -> str:
    host, port = sock.getsockname()[:2]
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/"


def app_from_env() -> FastAPI:
    """The app for each worker process of a multi-process server, from the settings
    the parent left in the environment."""
    from wirewatch.web.app import create_app

    return create_app(Settings.from_env())


def serve(settings: Settings, options: ServeOptions, on_ready: Callable[[str], None]) -> None:
    """Serve the archive ``settings.db`` until interrupted; ``on_ready`` gets the URL.

    The socket is bound here, so that port 0 works and the address is known before
    uvicorn starts; uvicorn takes it by file descriptor, for one process or several.
    """
    import uvicorn

    sock = bind(options)
    common: dict[str, Any] = {
        "log_level": "warning",
        "access_log": options.access_log,
        "proxy_headers": False,
        "fd": sock.fileno(),
    }
    on_ready(url_of(sock))
    if options.workers > 1:
        # Each worker process builds its own app; the settings travel in the environment.
        os.environ["WIREWATCH_DB"] = settings.db
        if settings.base_url:
            os.environ["WIREWATCH_BASE_URL"] = settings.base_url
        uvicorn.run("wirewatch.web.server:app_from_env", factory=True, workers=options.workers, **common)
    else:
        from wirewatch.web.app import create_app

        uvicorn.run(create_app(settings), **common)
    sock.close()
