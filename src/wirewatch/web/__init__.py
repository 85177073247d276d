"""The web reader: article pages, browsing, search, Atom feeds and a JSON API."""

from __future__ import annotations

from wirewatch.web.app import create_app

__all__ = ["create_app"]
