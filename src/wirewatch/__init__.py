"""wirewatch: a self-hosted archive, search and monitor for state media and news wires."""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__"]
