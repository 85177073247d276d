"""The ``wirewatch`` command: a root with global options and one module per command group.

The command tree loads on first use, not when this package is imported: the console
script imports it, and so does every worker process an import starts ('spawn' runs
the parent's main script again), which needs none of it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from wirewatch.cli.root import app

__all__ = ["app", "main"]


def main() -> None:
    """Run the command line (the console script's entry point)."""
    from wirewatch.cli.root import main as run

    run()


def __getattr__(name: str) -> Any:
    if name == "app":
        from wirewatch.cli.root import app

        return app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
