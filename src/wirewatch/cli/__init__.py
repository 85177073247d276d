"""The ``wirewatch`` command: a root with global options and one module per command group."""

from __future__ import annotations

from wirewatch.cli.root import app, main

__all__ = ["app", "main"]
