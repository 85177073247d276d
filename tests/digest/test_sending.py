"""Sending editions: each subscriber's copy exactly once, failures, suspension, the schedule."""

from __future__ import annotations

import datetime as dt
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import pytest
from aiosmtpd.smtp import Envelope

from tests.digest.conftest import DROP, STORY_DAY, MailBox, free_port
from wirewatch.config.settings import SmtpServer
from wirewatch.digest.mailer import Mailer, MailOptions, sender_address
from wirewatch.digest.sending import (
    due_editions,
    send_confirmation,
    send_due,
    send_edition,
)
from wirewatch.digest.tokens import subscriber_for
from wirewatch.errors import ConfigError
from wirewatch.models import Preferences, Subscriber
from wirewatch.store import SQLStore, open_store

FAST = MailOptions(retries=2, backoff=0.01, rate=0)
SEOUL, NEW_YORK = "Asia/Seoul", "America/New_York"


@pytest.fixture
def store(stories: str) -> Iterator[SQLStore]:
    s = open_store(stories)
    yield s
    s.close()


def _fast(box: MailBox) -> Mailer:
    return Mailer(box.smtp(), sender_address(box.settings()), FAST, domain="wirewatch.test")


def _token(url: str) -> str:
    return parse_qs(urlsplit(url).query)["token"][0]


def _readers(store: SQLStore, count: int, **prefs: object) -> list[Subscriber]:
    return [
        store.add_subscriber(f"reader{n}@example.org", Preferences.build(**prefs), confirmed=True)[0]
        for n in range(count)
    ]  # type: ignore[arg-type]


def test_an_edition_reaches_each_confirmed_reader_once_with_their_links(store: SQLStore, smtp_server: MailBox) -> None:
    settings = smtp_server.settings()
    plain, _ = store.add_subscriber("plain@example.org", Preferences(), confirmed=True)
    store.add_subscriber("korean@example.org", Preferences(languages=("ko",)), confirmed=True)
    store.add_subscriber("pending@example.org", Preferences())
    gone, _ = store.add_subscriber("gone@example.org", Preferences(), confirmed=True)
    store.unsubscribe(gone.id)
    store.add_subscriber("weekly@example.org", Preferences(frequency="weekly"), confirmed=True)
    seen: list[tuple[str, str]] = []
    summary = send_edition(
        store, settings, STORY_DAY, progress=lambda reader, outcome: seen.append((reader.email, outcome))
    )
    assert (summary.readers, summary.sent, summary.already, summary.failed) == (2, 2, 0, 0)
    assert sorted(seen) == [("korean@example.org", "sent"), ("plain@example.org", "sent")]
    messages = smtp_server.wait_for(2)
    assert sorted(str(m["To"]) for m in messages) == ["korean@example.org", "plain@example.org"]
    [mail] = smtp_server.to("plain@example.org")
    assert mail["Message-ID"] == f"<digest-2024-03-08-{plain.id}@wirewatch.test>"
    assert mail["List-Id"] == "Wirewatch Daily Update <daily.digest.wirewatch.test>"
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe = str(mail["List-Unsubscribe"]).strip("<>")
    assert unsubscribe.startswith("https://wirewatch.test/unsubscribe?token=")
    assert subscriber_for(store, "test-secret", "unsubscribe", _token(unsubscribe)).id == plain.id
    text = mail.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    html = mail.get_body(("html",)).get_content()  # type: ignore[union-attr]
    assert "Kim Jong Un Inspects Munitions Factory (08 March)" in text and "Munitions Factory" in html
    assert "https://wirewatch.test/digests/2024-03-08" in text and unsubscribe in text
    preferences = next(w for w in text.split() if "/preferences?token=" in w)
    assert subscriber_for(store, "test-secret", "preferences", _token(preferences)).id == plain.id
    # Each reader's own cut: Korean only.
    [theirs] = smtp_server.to("korean@example.org")
    korean_text = theirs.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert "농업 생산" in korean_text and "Munitions Factory" not in korean_text
    # Again: nothing more is sent.
    again = send_edition(store, settings, STORY_DAY)
    assert (again.sent, again.already) == (0, 2) and len(smtp_server.messages) == 2
    assert {r.status for r in store.send_log(STORY_DAY, "daily")} == {"sent"}


def test_a_reader_with_nothing_in_their_sources_gets_no_mail(store: SQLStore, smtp_server: MailBox) -> None:
    store.add_subscriber("nothing@example.org", Preferences(sources=("Yonhap",)), confirmed=True)
    summary = send_edition(store, smtp_server.settings(), STORY_DAY)
    assert (summary.sent, summary.empty) == (0, 1) and smtp_server.messages == []
    assert [r.status for r in store.send_log(STORY_DAY)] == ["skipped"]


def test_the_weekly_edition_goes_to_weekly_readers(store: SQLStore, smtp_server: MailBox) -> None:
    store.add_subscriber("daily@example.org", Preferences(), confirmed=True)
    weekly, _ = store.add_subscriber("weekly@example.org", Preferences(frequency="weekly"), confirmed=True)
    summary = send_edition(store, smtp_server.settings(), STORY_DAY, frequency="weekly")
    assert summary.sent == 1
    [mail] = smtp_server.wait_for(1)
    assert (
        mail["To"] == "weekly@example.org" and mail["Message-ID"] == f"<weekly-2024-03-08-{weekly.id}@wirewatch.test>"
    )
    assert str(mail["Subject"]).startswith("Weekly Update, 2–8 March 2024")
    text = mail.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert re.search(r"\(0[2-7] March\)", text)  # stories of the days before too


def test_a_temporary_failure_then_success(store: SQLStore, smtp_server: MailBox) -> None:
    _readers(store, 3)
    smtp_server.answer("reader1@example.org", "451 4.7.1 Greylisted", times=2)
    summary = send_edition(store, smtp_server.settings(), STORY_DAY, mailer=_fast(smtp_server))
    assert (summary.sent, summary.failed) == (3, 0)
    assert sorted(str(m["To"]) for m in smtp_server.wait_for(3)) == [f"reader{n}@example.org" for n in range(3)]


def test_a_lasting_temporary_failure_is_sent_by_the_next_run(store: SQLStore, smtp_server: MailBox) -> None:
    _readers(store, 2)
    smtp_server.answer("reader0@example.org", "452 4.2.2 Mailbox full", times=3)  # the first run's three tries
    first = send_edition(store, smtp_server.settings(), STORY_DAY, mailer=_fast(smtp_server))
    assert (first.sent, first.failed, first.rejected) == (1, 1, 0) and "Mailbox full" in first.errors[0]
    [row] = [r for r in store.send_log(STORY_DAY) if r.status == "failed"]
    assert row.attempts == 1 and row.message_id == f"<digest-2024-03-08-{row.subscriber_id}@wirewatch.test>"
    second = send_edition(store, smtp_server.settings(), STORY_DAY, mailer=_fast(smtp_server))
    assert (second.sent, second.already) == (1, 1)
    assert sorted(str(m["To"]) for m in smtp_server.messages) == ["reader0@example.org", "reader1@example.org"]


def test_permanent_failures_are_counted_and_the_address_suspended(store: SQLStore, smtp_server: MailBox) -> None:
    readers = _readers(store, 2)
    smtp_server.answer("reader0@example.org", "550 5.1.1 No such user")
    settings = smtp_server.settings(suspend_after=2)
    days = [STORY_DAY - dt.timedelta(days=2), STORY_DAY - dt.timedelta(days=1), STORY_DAY]
    results = [send_edition(store, settings, day, mailer=_fast(smtp_server)) for day in days]
    assert [(r.sent, r.rejected) for r in results] == [(1, 1), (1, 1), (1, 0)]
    assert results[1].suspended == ["reader0@example.org"] and results[2].readers == 1
    found = store.get_subscriber(readers[0].id)
    assert found is not None and found.status == "suspended" and found.permanent_failures == 2
    assert "No such user" in (found.last_error or "")
    assert len(smtp_server.to("reader1@example.org")) == 3 and smtp_server.to("reader0@example.org") == []


def test_a_dropped_connection_mid_batch_and_a_rerun_send_each_mail_once(store: SQLStore, smtp_server: MailBox) -> None:
    _readers(store, 5)
    count = iter(range(100))
    smtp_server.on_data = lambda envelope: DROP if next(count) == 2 else None  # the third mail's connection dies
    no_retry = Mailer(
        smtp_server.smtp(), "digest@wirewatch.test", MailOptions(retries=0, rate=0), domain="wirewatch.test"
    )
    first = send_edition(store, smtp_server.settings(), STORY_DAY, mailer=no_retry)
    assert (first.sent, first.failed) == (4, 1) and "connection lost" in first.errors[0]
    second = send_edition(store, smtp_server.settings(), STORY_DAY, mailer=_fast(smtp_server))
    assert (second.sent, second.already) == (1, 4)
    assert sorted(str(m["To"]) for m in smtp_server.messages) == [f"reader{n}@example.org" for n in range(5)]


def test_the_server_going_away_stops_the_run_and_the_rerun_finishes(store: SQLStore, smtp_server: MailBox) -> None:
    _readers(store, 3)
    gone = smtp_server.settings(smtp=SmtpServer("127.0.0.1", free_port()))
    stopped = send_edition(store, gone, STORY_DAY)
    assert stopped.sent == 0 and "cannot reach the mail server" in (stopped.stopped or "")
    assert store.send_log(STORY_DAY) == [] or {r.status for r in store.send_log(STORY_DAY)} == {"claimed"}
    done = send_edition(store, smtp_server.settings(), STORY_DAY)
    assert done.sent == 3 and len(smtp_server.wait_for(3)) == 3


def _wirewatch(db: str, box: MailBox, *args: str) -> subprocess.Popen[str]:
    env = {
        **os.environ,
        "WIREWATCH_DB": db,
        "WIREWATCH_SMTP_URL": box.url(),
        "WIREWATCH_BASE_URL": "https://wirewatch.test",
        "WIREWATCH_MAIL_FROM": "digest@wirewatch.test",
        "WIREWATCH_MAIL_RATE": "0",
        "WIREWATCH_SECRET_KEY": "k",
    }
    command = [str(Path(sys.executable).with_name("wirewatch")), *args]
    return subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_a_killed_send_and_its_rerun_deliver_each_digest_exactly_once(store: SQLStore, smtp_server: MailBox) -> None:
    """`wirewatch digest send` is killed (SIGKILL) while the fourth mail is on the wire,
    before the server accepts it; a second run sends what is missing, nothing twice."""
    _readers(store, 8)
    holder: dict[str, subprocess.Popen[str]] = {}
    arrived = threading.Event()
    seen = iter(range(100))

    def kill_on_fourth(envelope: Envelope) -> str | None:
        if next(seen) == 3:
            holder["run"].send_signal(signal.SIGKILL)
            holder["run"].wait(10)
            arrived.set()
            return "451 4.3.0 Sender gone"
        return None

    smtp_server.on_data = kill_on_fourth
    holder["run"] = _wirewatch(
        store.engine.url.render_as_string(hide_password=False), smtp_server, "digest", "send", "--date", "2024-03-08"
    )
    assert arrived.wait(60), holder["run"].communicate()
    assert holder["run"].returncode == -signal.SIGKILL
    assert len(smtp_server.messages) == 3
    statuses = sorted(r.status for r in store.send_log(STORY_DAY))
    assert statuses == ["claimed", "sent", "sent", "sent"]  # the fourth held by a dead process
    smtp_server.on_data = None
    rerun = _wirewatch(
        store.engine.url.render_as_string(hide_password=False),
        smtp_server,
        "digest",
        "send",
        "--date",
        "2024-03-08",
        "--json",
    )
    _out, err = rerun.communicate(timeout=120)
    assert rerun.returncode == 0, err
    assert sorted(str(m["To"]) for m in smtp_server.messages) == [f"reader{n}@example.org" for n in range(8)]
    assert [r.status for r in store.send_log(STORY_DAY)] == ["sent"] * 8
    assert len({m["Message-ID"] for m in smtp_server.messages}) == 8


def test_mail_needs_a_server_and_a_public_address(store: SQLStore, smtp_server: MailBox) -> None:
    with pytest.raises(ConfigError, match="WIREWATCH_SMTP_URL"):
        send_edition(store, smtp_server.settings(smtp=None), STORY_DAY)
    with pytest.raises(ConfigError, match="WIREWATCH_BASE_URL"):
        send_edition(store, smtp_server.settings(base_url=""), STORY_DAY)


def test_the_confirmation_mail_confirms(store: SQLStore, smtp_server: MailBox) -> None:
    reader, _ = store.add_subscriber("new@example.org", Preferences())
    message_id = send_confirmation(store, smtp_server.settings(), reader)
    [mail] = smtp_server.wait_for(1)
    assert mail["Message-ID"] == message_id and mail["To"] == "new@example.org" and "Confirm" in str(mail["Subject"])
    text = mail.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    url = next(w for w in text.split() if "/confirm?token=" in w)
    assert url.startswith("https://wirewatch.test/confirm?token=") and url in mail.get_body(
        ("html",)
    ).get_content().replace("&amp;", "&")  # type: ignore[union-attr]
    assert subscriber_for(store, "test-secret", "confirm", _token(url)).id == reader.id
    assert send_edition(store, smtp_server.settings(), STORY_DAY).readers == 0  # nothing before confirming


# -- the schedule ------------------------------------------------------------------------


def _reader(
    n: int, zone: str, hour: int, *, frequency: str = "daily", weekday: int = 0, confirmed: dt.datetime | None = None
) -> Subscriber:
    prefs = Preferences.build(timezone=zone, hour=hour, frequency=frequency, weekday=weekday)
    since = confirmed or dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    return Subscriber(n, f"r{n}@example.org", "confirmed", prefs, since, confirmed_at=since)


def _utc(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=dt.UTC)  # type: ignore[misc]


def test_around_midnight_the_edition_is_the_local_yesterday() -> None:
    seoul_midnight = _reader(1, SEOUL, 0)
    # 2024-03-09 15:30 UTC is 00:30 on the 10th in Seoul: due, the edition of the 9th.
    assert due_editions([seoul_midnight], _utc(2024, 3, 9, 15, 30)) == {(dt.date(2024, 3, 9), "daily"): [1]}
    assert due_editions([seoul_midnight], _utc(2024, 3, 9, 14, 59)) == {(dt.date(2024, 3, 8), "daily"): [1]}
    late = _reader(2, "Pacific/Kiritimati", 23)  # UTC+14
    assert due_editions([late], _utc(2024, 3, 9, 8, 59)) == {}
    assert due_editions([late], _utc(2024, 3, 9, 9, 0)) == {(dt.date(2024, 3, 8), "daily"): [2]}  # 23:00 on the 9th


def test_delivery_hours_across_daylight_saving_changes() -> None:
    # New York springs forward on 2024-03-10: 02:00 EST becomes 03:00 EDT; 02:xx never happens.
    two = _reader(1, NEW_YORK, 2)
    assert due_editions([two], _utc(2024, 3, 10, 6, 59)) == {}  # 01:59 EST
    assert due_editions([two], _utc(2024, 3, 10, 7, 0)) == {(dt.date(2024, 3, 9), "daily"): [1]}  # 03:00 EDT
    seven = _reader(2, NEW_YORK, 7)
    assert due_editions([seven], _utc(2024, 3, 10, 10, 59)) == {}  # 06:59 EDT (07:59 the day before, EST)
    assert due_editions([seven], _utc(2024, 3, 10, 11, 0)) == {(dt.date(2024, 3, 9), "daily"): [2]}
    # It falls back on 2024-11-03: 01:00-01:59 happens twice; due from the first, sent once.
    one = _reader(3, NEW_YORK, 1)
    assert due_editions([one], _utc(2024, 11, 3, 4, 59)) == {}
    assert due_editions([one], _utc(2024, 11, 3, 5, 0)) == {(dt.date(2024, 11, 2), "daily"): [3]}  # 01:00 EDT
    assert due_editions([one], _utc(2024, 11, 3, 6, 0)) == {(dt.date(2024, 11, 2), "daily"): [3]}  # 01:00 EST
    assert ZoneInfo(NEW_YORK).utcoffset(dt.datetime(2024, 7, 1)) == dt.timedelta(hours=-4)


def test_weekly_readers_on_their_weekday_and_new_readers_from_the_next_slot() -> None:
    friday = _reader(1, "Europe/Berlin", 8, frequency="weekly", weekday=4)
    assert due_editions([friday], _utc(2024, 3, 7, 9, 0)) == {}  # a Thursday
    assert due_editions([friday], _utc(2024, 3, 8, 7, 0)) == {(dt.date(2024, 3, 7), "weekly"): [1]}  # Fri 08:00 CET
    fresh = _reader(2, "UTC", 7, confirmed=_utc(2024, 3, 9, 7, 30))
    assert due_editions([fresh], _utc(2024, 3, 9, 8, 0)) == {}  # confirmed after today's slot
    assert due_editions([fresh], _utc(2024, 3, 10, 7, 0)) == {(dt.date(2024, 3, 9), "daily"): [2]}


def test_send_due_sends_each_reader_their_local_yesterday_once(store: SQLStore, smtp_server: MailBox) -> None:
    confirmed = _utc(2024, 3, 1)
    seoul, _ = store.add_subscriber(
        "seoul@example.org", Preferences.build(timezone=SEOUL, hour=7), confirmed=True, now=confirmed
    )
    york, _ = store.add_subscriber(
        "york@example.org", Preferences.build(timezone=NEW_YORK, hour=7), confirmed=True, now=confirmed
    )
    settings = smtp_server.settings()
    # 2024-03-08 22:00 UTC: 07:00 on the 9th in Seoul (due: the 8th), 17:00 on the 8th in New York (due: the 7th).
    first = send_due(store, settings, _utc(2024, 3, 8, 22, 0), mailer=_fast(smtp_server))
    assert [(s.edition, s.sent) for s in first] == [(dt.date(2024, 3, 7), 1), (dt.date(2024, 3, 8), 1)]
    assert send_due(store, settings, _utc(2024, 3, 8, 22, 1)) == []  # nothing more: no edition built
    assert [r.subscriber_id for r in store.send_log(dt.date(2024, 3, 8))] == [seoul.id]
    assert [r.subscriber_id for r in store.send_log(dt.date(2024, 3, 7))] == [york.id]
    assert len(smtp_server.messages) == 2


def test_watch_sends_the_digests_that_are_due(tmp_path: Path, smtp_server: MailBox) -> None:
    """A real `wirewatch watch`: a reader whose hour has come gets yesterday's edition
    within its first minute, once; a reader whose hour has not come gets nothing."""
    from tests.digest.conftest import write_stories
    from wirewatch.clean.boilerplate import BoilerplateRules
    from wirewatch.clean.record import CleanOptions
    from wirewatch.pipeline.importer import run_import

    now = dt.datetime.now(dt.UTC)
    yesterday = now.date() - dt.timedelta(days=1)
    db = str(tmp_path / "archive.db")
    store = open_store(db)
    try:
        run_import(
            store,
            [str(write_stories(tmp_path / "s.jsonl", [yesterday]))],
            CleanOptions(rules=BoilerplateRules.load(())),
        )
        before = now - dt.timedelta(days=2)
        due, _ = store.add_subscriber("due@example.org", Preferences(hour=0), confirmed=True, now=before)
        # UTC-12, at 23:00 local: not yet (unless it is 23:xx there now).
        if (now - dt.timedelta(hours=12)).hour < 23:
            later = Preferences(hour=23, timezone="Etc/GMT+12")
            store.add_subscriber("later@example.org", later, confirmed=True, now=before)
    finally:
        store.close()
    sources = tmp_path / "sources.toml"
    sources.write_text(
        '[sources."Quiet"]\nfeeds = ["http://127.0.0.1:9/feed.xml"]\nenabled = false\n', encoding="utf-8"
    )
    env = {
        **os.environ,
        "WIREWATCH_DB": db,
        "WIREWATCH_SMTP_URL": smtp_server.url(),
        "WIREWATCH_BASE_URL": "https://wirewatch.test",
        "WIREWATCH_MAIL_FROM": "digest@wirewatch.test",
        "WIREWATCH_MAIL_RATE": "0",
        "WIREWATCH_SECRET_KEY": "k",
        "WIREWATCH_SOURCES": str(sources),
    }
    log = tmp_path / "watch.log"
    with log.open("w") as err:
        watch = subprocess.Popen(
            [str(Path(sys.executable).with_name("wirewatch")), "watch"], env=env, stdout=subprocess.DEVNULL, stderr=err
        )
        try:
            smtp_server.wait_for(1, timeout=60)
            time.sleep(1.0)
        finally:
            watch.send_signal(signal.SIGTERM)
            assert watch.wait(30) == 0
    assert [str(m["To"]) for m in smtp_server.messages] == ["due@example.org"]
    assert smtp_server.messages[0]["Message-ID"] == f"<digest-{yesterday.isoformat()}-{due.id}@wirewatch.test>"
    text = log.read_text(encoding="utf-8")
    assert "edition sent" in text and f"edition={yesterday.isoformat()}" in text and "sent=1" in text, text


def test_a_refused_sender_stops_the_run_and_counts_against_no_reader(store: SQLStore, smtp_server: MailBox) -> None:
    readers = _readers(store, 2)
    smtp_server.answer("digest@wirewatch.test", "550 5.7.1 Sender not allowed", times=1)
    stopped = send_edition(store, smtp_server.settings(suspend_after=1), STORY_DAY, mailer=_fast(smtp_server))
    assert (stopped.sent, stopped.rejected, stopped.suspended) == (0, 0, []) and "refused the sender" in (
        stopped.stopped or ""
    )
    assert all(
        s.status == "confirmed" and s.permanent_failures == 0
        for s in store.list_subscribers(ids=[r.id for r in readers])
    )
    done = send_edition(store, smtp_server.settings(), STORY_DAY, mailer=_fast(smtp_server))
    assert done.sent == 2 and len(smtp_server.wait_for(2)) == 2
