"""The local news site every collection test fetches from."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.collect.site import LocalSite


@pytest.fixture
def site() -> Iterator[LocalSite]:
    """A fresh site on 127.0.0.1 with nothing on it; stopped after the test."""
    with LocalSite() as local:
        yield local
