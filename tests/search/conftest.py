"""Search runs on both back ends: every test here once on SQLite and once on PostgreSQL."""

from __future__ import annotations

import pytest


@pytest.fixture
def db(any_db: str) -> str:
    return any_db
