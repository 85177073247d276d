"""The week of rising terms in a real browser (Debian's Chromium driven by Playwright): a
reader opens ``/rising``, lands on the last full week, and each term of the list leads to a
search with results. The server is ``wirewatch serve`` over the wire archive of
tests/web/test_rising.py (a week when a tidal power station and a new name rise). A
screenshot goes to ``$WIREWATCH_ARTIFACTS`` (see ``tests/browser/test_browser.py``) as
``rising-week.png``."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser.test_browser import (  # noqa: F401 - fixtures, used by name
    DESKTOP,
    Server,
    Tab,
    artifacts,
    chromium,
    chromium_path,
    open_tab,
    playwright,
)
from tests.conftest import server_address, stop, write_jsonl
from tests.web.conftest import analyse_archive, build_archive
from tests.web.test_rising import WEEK, wire_records

try:
    from playwright.sync_api import Browser, expect
except ImportError:  # pragma: no cover - test_browser.py has skipped (or failed, in CI) already
    pytest.skip("playwright is not installed", allow_module_level=True)

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def wire_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """``wirewatch --db WIRE serve --port 0`` over the analysed wire archive, stopped with Ctrl-C."""
    folder = tmp_path_factory.mktemp("rising-browser")
    db = analyse_archive(build_archive(folder / "wire.db", [write_jsonl(folder / "wire.jsonl", wire_records())]))
    stderr_path = folder / "serve.stderr"
    env = {k: v for k, v in os.environ.items() if not k.startswith("WIREWATCH_")} | {"PYTHONUNBUFFERED": "1"}
    command = [sys.executable, "-c", "from wirewatch.cli import main; main()", "--db", db, "serve", "--port", "0"]
    with stderr_path.open("w") as stderr:
        process = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=stderr, stdin=subprocess.DEVNULL, text=True, env=env
        )
    try:
        yield Server(server_address(process), process, [], Path(stderr_path))
    finally:
        stop(process)


@pytest.fixture
def tab(chromium: Browser, wire_server: Server) -> Iterator[Tab]:  # noqa: F811
    context, tab = open_tab(chromium, wire_server, **DESKTOP)
    yield tab
    context.close()


def test_each_rising_term_leads_to_a_search_with_results(tab: Tab) -> None:
    page = tab.page
    tab.goto("/rising")
    # The newest article is of 23 May 2012: the last full week is the one before.
    expect(page).to_have_url(tab.server.at(f"/rising/{WEEK}"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Rising in the week of 14 May 2012 to 20 May 2012")
    terms = page.locator("table.rising tbody a.term")
    names = terms.all_inner_texts()
    assert "tidal power station" in names and "Pak Pong Ju" in names
    page.screenshot(path=str(artifacts() / "rising-week.png"), full_page=True)
    for name in names:
        tab.goto(f"/rising/{WEEK}")
        page.locator("table.rising tbody a.term", has_text=name).first.click()
        page.wait_for_load_state()
        assert page.url.startswith(tab.server.at("/search?")), page.url
        heading = page.locator("#results-heading")
        expect(heading).to_contain_text(" articles")
        assert "No articles match" not in heading.inner_text(), name
        assert page.locator("main .hits li").count() > 0, name
    # The form narrows the week to one source, and the links keep to it.
    tab.goto(f"/rising/{WEEK}")
    page.get_by_label("Source").select_option("KCNA")
    page.get_by_role("button", name="Show").click()
    expect(page).to_have_url(tab.server.at(f"/rising/{WEEK}?source=KCNA&language="))
    page.locator("table.rising tbody a.term", has_text="Pak Pong Ju").click()
    expect(page.locator("#results-heading")).to_contain_text(" articles")
    assert "source=KCNA" in page.url
    tab.assert_clean()
