"""The digest's "Rising this week": what rose in the week that ends the edition, sent through
the real path (``send_edition``, the in-process SMTP server) on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from email.message import EmailMessage
from pathlib import Path

import lxml.html
import pytest

from tests.conftest import write_jsonl
from tests.digest.conftest import STORY_DAY, MailBox
from tests.web.conftest import analyse_archive, build_archive
from tests.web.test_rising import WEEK, wire_records
from wirewatch.digest.rising import MOST
from wirewatch.digest.sending import send_edition
from wirewatch.models import Preferences
from wirewatch.store import SQLStore, open_store

SUNDAY = WEEK + dt.timedelta(days=6)
TIDAL_SEARCH = "https://wirewatch.test/search?q=%22tidal+power+station%22&since=2012-05-14&until=2012-05-20"


@pytest.fixture
def wire(db: str, tmp_path: Path) -> Iterator[SQLStore]:
    """The wire of tests/web/test_rising.py, with its entities: a week when a tidal power
    station and a new name rise, after two years of a steady wire."""
    analyse_archive(build_archive(db, [write_jsonl(tmp_path / "wire.jsonl", wire_records())]))
    store = open_store(db)
    yield store
    store.close()


def _parts(mail: EmailMessage) -> tuple[str, lxml.html.HtmlElement]:
    text = mail.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    html = mail.get_body(("html",)).get_content()  # type: ignore[union-attr]
    return text, lxml.html.fromstring(html)


def _section(doc: lxml.html.HtmlElement) -> lxml.html.HtmlElement:
    """The table cell that follows the heading "Rising this week"."""
    [heading] = doc.xpath("//h2[normalize-space()='Rising this week']")
    return heading.xpath("ancestor::tr[1]/following-sibling::tr[1]/td")[0]


def test_the_daily_update_lists_what_rose_in_the_week_with_links(wire: SQLStore, smtp_server: MailBox) -> None:
    wire.add_subscriber("reader@example.org", Preferences(), confirmed=True)
    summary = send_edition(wire, smtp_server.settings(), SUNDAY)
    assert summary.sent == 1
    [mail] = smtp_server.wait_for(1)
    text, doc = _parts(mail)
    # The stories first, then the section: the edition's Sunday ends the whole week.
    assert text.index("Tidal Power Station Completed") < text.index("RISING THIS WEEK")
    section_text = text[text.index("RISING THIS WEEK") : text.index("\n--\n")]
    assert "Named in more of the articles of 14 to 20 May 2012 than of the 8 weeks" in " ".join(section_text.split())
    assert f"* tidal power station: 15 articles, 0 before\n  {TIDAL_SEARCH}\n" in section_text
    assert (
        "* Pak Pong Ju (new): 15 articles, 0 before\n  https://wirewatch.test/search?q=person%3Apak-pong-ju"
        in section_text
    )
    assert "The week's whole list: https://wirewatch.test/rising/2012-05-14" in section_text
    # The HTML: at most eight terms, each a link to its search of the week; the new name marked.
    cell = _section(doc)
    terms = cell.xpath(".//li")
    assert 2 <= len(terms) <= MOST
    links = {" ".join(li.xpath("a")[0].text_content().split()): li.xpath("a")[0].get("href") for li in terms}
    assert links["tidal power station"] == TIDAL_SEARCH
    assert links["Pak Pong Ju"].startswith("https://wirewatch.test/search?q=person%3Apak-pong-ju&since=2012-05-14")
    [new] = [li for li in terms if "new" in li.xpath("span")[0].text_content()]
    assert new.xpath("a")[0].text_content() == "Pak Pong Ju"
    assert cell.xpath('.//a[normalize-space()="The week\'s whole list"]/@href') == [
        "https://wirewatch.test/rising/2012-05-14"
    ]
    # Every style inline, as the rest of the mail.
    assert all(el.get("style") for el in cell.iter("li", "ul", "a", "p"))


def test_a_weekly_reader_gets_the_section_too(wire: SQLStore, smtp_server: MailBox) -> None:
    wire.add_subscriber("weekly@example.org", Preferences(frequency="weekly"), confirmed=True)
    assert send_edition(wire, smtp_server.settings(), SUNDAY, frequency="weekly").sent == 1
    [mail] = smtp_server.wait_for(1)
    text, doc = _parts(mail)
    assert "RISING THIS WEEK" in text and TIDAL_SEARCH in text
    assert _section(doc).xpath(".//li")


def test_too_little_text_for_the_statistic_means_no_section(wire: SQLStore, smtp_server: MailBox) -> None:
    """Monday to Wednesday of the week hold 16 articles: fewer than a comparison of words
    needs, so the edition goes out without the section."""
    wire.add_subscriber("reader@example.org", Preferences(), confirmed=True)
    assert send_edition(wire, smtp_server.settings(), WEEK + dt.timedelta(days=2)).sent == 1
    [mail] = smtp_server.wait_for(1)
    text, doc = _parts(mail)
    assert "Tidal Power Station Completed" in text
    assert "RISING THIS WEEK" not in text and not doc.xpath("//h2[normalize-space()='Rising this week']")


def test_an_archive_without_a_baseline_has_no_section(stories: str, smtp_server: MailBox) -> None:
    """The digest tests' archive: one week of stories and nothing before it to compare with."""
    store = open_store(stories)
    try:
        store.add_subscriber("reader@example.org", Preferences(), confirmed=True)
        assert send_edition(store, smtp_server.settings(), STORY_DAY).sent == 1
    finally:
        store.close()
    [mail] = smtp_server.wait_for(1)
    text, _doc = _parts(mail)
    assert "Munitions Factory" in text and "RISING THIS WEEK" not in text
