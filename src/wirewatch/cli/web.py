"""``wirewatch serve``: the web reader over an archive."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from wirewatch.cli.common import stderr, user_errors
from wirewatch.errors import ConfigError

if TYPE_CHECKING:
    from wirewatch.web.server import ServeOptions

# The web server's modules (FastAPI and the app) are imported by the commands that serve,
# not at start-up: every other command, an import first, would pay 0.3 s and 9 MB for them.


def serve_options(host: str, port: int, workers: int = 1, access_log: bool = False) -> ServeOptions:
    from wirewatch.web.server import ServeOptions

    if not 0 <= port <= 65535:
        raise ConfigError(f"--port {port}: use a port number from 1 to 65535 (0 picks a free one)")
    return ServeOptions(host=host, port=port, workers=workers, access_log=access_log)


HostOption = Annotated[
    str, typer.Option(metavar="HOST", help="The address to listen on; 0.0.0.0 opens it to the network.")
]
PortOption = Annotated[int, typer.Option(metavar="PORT", help="The port (0 picks a free one).")]


def announce(url: str, host: str) -> None:
    from wirewatch.web.server import LOOPBACK

    typer.echo(f"Serving at {url}  (Ctrl-C to stop)")
    if host not in LOOPBACK:
        stderr.print(
            f"note: listening on {host}: other machines can reach this archive. "
            "Put it behind a proxy with TLS and set WIREWATCH_BASE_URL to its public address."
        )


def serve_command(
    ctx: typer.Context,
    host: HostOption = "127.0.0.1",
    port: PortOption = 8000,
    workers: Annotated[int, typer.Option(min=1, max=64, metavar="N", help="Server processes sharing the port.")] = 1,
    access_log: Annotated[bool, typer.Option("--access-log", help="Log every request to stderr.")] = False,
) -> None:
    """Serve the archive on the web: articles, browsing, search, Atom feeds and a JSON API.

    Example: wirewatch --db kcna.db serve --port 8080, then open http://127.0.0.1:8080/.
    """
    with user_errors(ctx) as state:
        from wirewatch.web.server import serve

        options = serve_options(host, port, workers, access_log)
        state.store()  # open (and upgrade) the archive once, before any worker starts
        state.close()
        serve(state.settings, options, lambda url: announce(url, host))


def register(app: typer.Typer) -> None:
    app.command("serve")(serve_command)
