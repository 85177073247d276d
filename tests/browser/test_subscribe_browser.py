"""The Daily Update's forms in a real browser (Debian's Chromium driven by Playwright), as
a new reader meets them: the footer form, the confirmation mail (received by an SMTP
server in the test process), its link, the preferences, one-click unsubscribe.

The ``wirewatch demo`` server is started as ``tests/browser/test_browser.py`` starts it,
with WIREWATCH_SMTP_URL pointing at the test's SMTP server; the browser set-up (the
Chromium fixtures, a tab that records console errors and CSP violations and refuses
requests off the machine) is that module's.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser.test_browser import (  # noqa: F401 - fixtures, used by name
    DESKTOP,
    PHONE,
    Server,
    artifacts,
    chromium,
    chromium_path,
    demo_server,
    open_tab,
    playwright,
)
from tests.mailserver import MailBox
from wirewatch.models import Preferences
from wirewatch.store import open_store

try:
    from playwright.sync_api import Browser, expect
except ImportError:  # pragma: no cover - test_browser.py has skipped (or failed, in CI) already
    pytest.skip("playwright is not installed", allow_module_level=True)

pytestmark = pytest.mark.browser
READER = "new.reader@example.org"


@pytest.fixture
def mail_server(tmp_path: Path, smtp_server: MailBox) -> Iterator[tuple[Server, Path]]:
    """``wirewatch --db TMP demo --port 0`` sending mail to ``smtp_server``; the server and its archive."""
    db = tmp_path / "demo.db"
    env = {k: v for k, v in os.environ.items() if not k.startswith("WIREWATCH_")}
    env |= {
        "WIREWATCH_SMTP_URL": smtp_server.url(),
        "WIREWATCH_MAIL_RATE": "0",
        "WIREWATCH_MAIL_FROM": "Wirewatch <digest@wirewatch.test>",
    }
    with demo_server(db, env) as running:
        yield running, db


def test_subscribe_confirm_choose_preferences_and_unsubscribe(
    chromium: Browser,  # noqa: F811
    mail_server: tuple[Server, Path],
    smtp_server: MailBox,
) -> None:
    server, db = mail_server
    context, tab = open_tab(chromium, server, **DESKTOP)
    try:
        page = tab.page
        tab.goto("/")
        # The footer form, as a reader finds it at the end of any page.
        footer = page.locator("footer.site")
        box = footer.get_by_label("The Daily Update: the must-read stories by email each morning")
        box.fill(READER)
        footer.get_by_role("button", name="Subscribe").click()
        expect(page).to_have_url(server.at("/subscribe"))
        expect(page.get_by_role("heading", level=1)).to_have_text("Check your inbox")
        expect(page.get_by_role("status")).to_contain_text(READER)

        # The confirmation mail, and its link.
        [mail] = smtp_server.wait_for(1, timeout=30)
        assert mail["To"] == READER
        text = mail.get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]
        links = re.findall(rf"{re.escape(server.origin)}/confirm\?token=\S+", text)
        assert len(links) == 1, text
        tab.page.goto(links[0])
        expect(page.get_by_role("heading", level=1)).to_have_text("Confirm your subscription")
        expect(page.get_by_role("main")).to_contain_text(READER)
        page.get_by_role("button", name="Confirm my subscription").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Subscription confirmed")
        expect(page.get_by_role("status")).to_contain_text(
            f"{READER} receives the Daily Update every day at 07:00 (UTC)"
        )

        # The preferences, from the confirmation page's link.
        page.get_by_role("link", name="Choose topics, sources, languages and the hour").click()
        expect(page).to_have_url(re.compile(r"/preferences\?token="))
        expect(page.get_by_role("heading", level=1)).to_have_text("Your Daily Update")
        page.get_by_label("Topics and saved searches, one a line").fill('Lavrov\n"Federation Council"')
        page.get_by_role("checkbox", name="KCNA", exact=True).check()
        page.get_by_role("radio", name="Once a week").check()
        page.get_by_label("Day of the weekly digest").select_option(label="Friday")
        page.get_by_label("Hour of delivery").select_option(label="06:00")
        page.get_by_label("Time zone").select_option("Asia/Seoul")
        page.get_by_role("button", name="Save preferences").click()
        expect(page.get_by_role("status")).to_contain_text("Saved")
        expect(page.get_by_label("Time zone")).to_have_value("Asia/Seoul")
        expect(page.get_by_role("checkbox", name="KCNA", exact=True)).to_be_checked()

        # A topic that cannot run as a search: named, marked, nothing saved.
        page.get_by_label("Topics and saved searches, one a line").fill('"unclosed')
        page.get_by_role("button", name="Save preferences").click()
        expect(page.get_by_role("alert")).to_contain_text("cannot run as a search")
        expect(page.get_by_label("Topics and saved searches, one a line")).to_have_attribute("aria-invalid", "true")
        # The browser logs the 400 of that answer, as it should: that one is expected.
        assert len(tab.problems) == 1 and "status of 400" in tab.problems[0], tab.problems
        tab.problems.clear()
        store = open_store(str(db))
        try:
            subscriber = store.subscriber_by_email(READER)
            assert subscriber is not None and subscriber.status == "confirmed"
            assert subscriber.preferences == Preferences(
                topics=("Lavrov", '"Federation Council"'),
                sources=("KCNA",),
                frequency="weekly",
                hour=6,
                timezone="Asia/Seoul",
                weekday=4,
            )

            # At phone width the form fits without sideways scrolling.
            phone_context, phone = open_tab(chromium, server, **PHONE)
            try:
                phone.page.goto(page.url)
                expect(phone.page.get_by_role("heading", level=1)).to_have_text("Your Daily Update")
                phone.page.screenshot(path=artifacts() / "phone-390-preferences.png", full_page=True)
                width = phone.page.evaluate("document.documentElement.scrollWidth")
                assert width <= 390, f"the preferences page scrolls sideways at 390 px: {width} px"
                phone.assert_clean()
            finally:
                phone_context.close()

            # Unsubscribe in one click from the preferences page's link.
            page.get_by_role("link", name="Unsubscribe").click()
            expect(page.get_by_role("heading", level=1)).to_have_text("Unsubscribe")
            page.get_by_role("button", name="Unsubscribe").click()
            expect(page.get_by_role("heading", level=1)).to_have_text("Unsubscribed")
            expect(page.get_by_role("status")).to_contain_text(f"{READER} receives no more mail")
            subscriber = store.subscriber_by_email(READER)
            assert subscriber is not None and subscriber.status == "unsubscribed"
        finally:
            store.close()
        assert len(smtp_server.messages) == 1  # the confirmation, nothing else
        page.screenshot(path=artifacts() / "desktop-1280-unsubscribed.png", full_page=True)
        tab.assert_clean()
    finally:
        context.close()
