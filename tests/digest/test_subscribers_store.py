"""Subscribers and the send log in the archive, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from collections.abc import Iterator

import pytest

from wirewatch.clock import worker_name as this_process
from wirewatch.errors import InvalidPreferences
from wirewatch.models import Preferences
from wirewatch.store import SQLStore, open_store
from wirewatch.store.sends import holder_gone

NOW = dt.datetime(2024, 3, 9, 6, 0, tzinfo=dt.UTC)
DAY = dt.date(2024, 3, 8)


@pytest.fixture
def store(db: str) -> Iterator[SQLStore]:
    s = open_store(db)
    yield s
    s.close()


def test_one_subscription_per_address_however_it_is_typed(store: SQLStore) -> None:
    prefs = Preferences.build(topics=["Kim Jong Un"], sources=["KCNA"], languages=["en"], hour=8, timezone="Asia/Seoul")
    reader, created = store.add_subscriber("Reader@Example.ORG", prefs, now=NOW)
    assert created and reader.email == "Reader@example.org" and reader.status == "pending"
    assert reader.preferences == prefs and reader.created_at == NOW and reader.confirmed_at is None
    again, created = store.add_subscriber("reader@example.org", Preferences(topics=("other",)))
    assert not created and again.preferences == prefs  # a stranger cannot change them
    assert store.subscriber_by_email("READER@EXAMPLE.ORG") == reader
    assert store.get_subscriber(reader.id) == reader
    with pytest.raises(InvalidPreferences, match="email"):
        store.add_subscriber("not an address", prefs)


def test_the_life_of_a_subscription(store: SQLStore) -> None:
    reader, _ = store.add_subscriber("r@example.org", Preferences(), now=NOW)
    confirmed = store.confirm_subscriber(reader.id, NOW + dt.timedelta(hours=1))
    assert confirmed.status == "confirmed" and confirmed.confirmed_at == NOW + dt.timedelta(hours=1)
    assert store.confirm_subscriber(reader.id).confirmed_at == confirmed.confirmed_at  # idempotent
    changed = store.update_preferences(reader.id, Preferences(frequency="weekly", weekday=4, hour=18))
    assert changed.preferences.frequency == "weekly" and changed.status == "confirmed"
    gone = store.unsubscribe(reader.id, NOW)
    assert gone.status == "unsubscribed" and gone.unsubscribed_at == NOW
    assert store.unsubscribe(reader.id).unsubscribed_at == NOW  # a second click changes nothing
    assert store.confirm_subscriber(reader.id).status == "unsubscribed"  # an old confirmation does not undo it
    other, _ = store.add_subscriber("o@example.org", Preferences(), confirmed=True, now=NOW)
    assert [s.email for s in store.list_subscribers(["confirmed"])] == ["o@example.org"]
    assert [s.email for s in store.list_subscribers()] == ["r@example.org", "o@example.org"]
    assert [s.id for s in store.list_subscribers(ids=[other.id])] == [other.id]
    assert store.remove_subscriber(reader.id) and not store.remove_subscriber(reader.id)
    assert store.get_subscriber(reader.id) is None


def test_a_send_is_claimed_once_and_never_sent_twice(store: SQLStore) -> None:
    reader, _ = store.add_subscriber("r@example.org", Preferences(), confirmed=True)
    claim = store.claim_send(reader.id, DAY, "daily", now=NOW)
    assert claim is not None and claim.attempts == 1
    assert store.claim_send(reader.id, DAY, "daily", now=NOW) is None  # held by this live process
    assert store.claim_send(reader.id, DAY, "daily", now=NOW, holder="elsewhere:1") is None  # lease not over
    weekly = store.claim_send(reader.id, DAY, "weekly", now=NOW)  # another edition
    assert weekly is not None and weekly.id != claim.id
    store.mark_sent(claim, "<digest-2024-03-08-1@w.test>", NOW)
    later = NOW + dt.timedelta(days=1)
    assert store.claim_send(reader.id, DAY, "daily", now=later, holder="elsewhere:1") is None
    [row, _weekly] = store.send_log(DAY)
    assert (row.status, row.message_id, row.sent_at) == ("sent", "<digest-2024-03-08-1@w.test>", NOW)


def test_a_dead_senders_claim_is_taken_over(store: SQLStore) -> None:
    reader, _ = store.add_subscriber("r@example.org", Preferences(), confirmed=True)
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True, check=True
    )
    corpse = this_process().rsplit(":", 1)[0] + ":" + dead.stdout.strip()
    assert holder_gone(corpse) and not holder_gone(this_process()) and not holder_gone("other-host:1")
    assert store.claim_send(reader.id, DAY, "daily", now=NOW, holder=corpse) is not None
    taken = store.claim_send(reader.id, DAY, "daily", now=NOW)
    assert taken is not None and taken.attempts == 2
    # Another machine's claim ends with its lease.
    other, _ = store.add_subscriber("o@example.org", Preferences(), confirmed=True)
    assert store.claim_send(other.id, DAY, "daily", now=NOW, holder="far-away:1") is not None
    assert store.claim_send(other.id, DAY, "daily", now=NOW + dt.timedelta(minutes=5)) is None
    assert store.claim_send(other.id, DAY, "daily", now=NOW + dt.timedelta(minutes=11)) is not None


def test_failures_temporary_and_permanent(store: SQLStore) -> None:
    reader, _ = store.add_subscriber("r@example.org", Preferences(), confirmed=True)
    claim = store.claim_send(reader.id, DAY, "daily", now=NOW)
    assert claim is not None
    assert not store.mark_failed(claim, "451 try later", permanent=False, suspend_after=3, now=NOW)
    assert store.claim_send(reader.id, DAY, "daily", now=NOW + dt.timedelta(minutes=1)) is None  # not yet
    again = store.claim_send(reader.id, DAY, "daily", now=NOW + dt.timedelta(minutes=11))
    assert again is not None and again.attempts == 2
    assert store.get_subscriber(reader.id).permanent_failures == 0  # type: ignore[union-attr]
    suspended = []
    for n, day in enumerate([DAY, DAY + dt.timedelta(days=1), DAY + dt.timedelta(days=2)]):
        c = again if n == 0 else store.claim_send(reader.id, day, "daily", now=NOW)
        assert c is not None
        suspended.append(store.mark_failed(c, "550 no such user", permanent=True, suspend_after=3, now=NOW))
    assert suspended == [False, False, True]
    found = store.get_subscriber(reader.id)
    assert found is not None and found.status == "suspended" and found.permanent_failures == 3
    assert found.last_error == "550 no such user"
    assert store.claim_send(reader.id, DAY, "daily", now=NOW + dt.timedelta(days=9)) is None  # rejected: final


def test_a_delivery_resets_the_count_of_failures(store: SQLStore) -> None:
    reader, _ = store.add_subscriber("r@example.org", Preferences(), confirmed=True)
    first = store.claim_send(reader.id, DAY, "daily", now=NOW)
    assert first is not None
    store.mark_failed(first, "550 mailbox full", permanent=True, suspend_after=3, now=NOW)
    second = store.claim_send(reader.id, DAY + dt.timedelta(days=1), "daily", now=NOW)
    assert second is not None
    store.mark_sent(second, "<m@x>", NOW)
    assert store.get_subscriber(reader.id).permanent_failures == 0  # type: ignore[union-attr]


def test_an_unsubscribed_address_may_subscribe_again(store: SQLStore) -> None:
    reader, _ = store.add_subscriber("r@example.org", Preferences(), confirmed=True)
    store.unsubscribe(reader.id)
    back, created = store.add_subscriber("r@example.org", Preferences(hour=9), confirmed=True, now=NOW)
    assert not created and back.status == "confirmed" and back.preferences.hour == 9
    assert back.token_version == reader.token_version + 1 and back.unsubscribed_at is None


def test_the_instance_secret_is_made_once(store: SQLStore) -> None:
    made = []

    def make() -> str:
        made.append(1)
        return f"secret-{len(made)}"

    assert store.instance_secret("k", make) == "secret-1"
    assert store.instance_secret("k", make) == "secret-1" and made == [1]


def test_concurrent_senders_claim_each_mail_once(store: SQLStore, db: str) -> None:
    """Senders with connections of their own (as separate processes have) race for the
    same mails: each is claimed by exactly one of them, on SQLite and PostgreSQL."""
    import threading

    readers = [store.add_subscriber(f"r{n}@example.org", Preferences(), confirmed=True)[0] for n in range(6)]
    senders = [open_store(db) for _ in range(4)]
    start = threading.Barrier(len(senders))
    won: list[tuple[int, int]] = []
    errors: list[BaseException] = []

    def race(n: int, sender: SQLStore) -> None:
        try:
            start.wait()
            for reader in readers:
                if sender.claim_send(reader.id, DAY, "daily", now=NOW, holder=f"far-away:{n}") is not None:
                    won.append((reader.id, n))
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=race, args=(n, s)) for n, s in enumerate(senders)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    for s in senders:
        s.close()
    assert errors == []
    assert sorted(r for r, _ in won) == sorted(r.id for r in readers)
    assert {r.status for r in store.send_log(DAY)} == {"claimed"} and len(store.send_log(DAY)) == 6


def test_a_stale_claim_does_not_undo_a_delivery(store: SQLStore) -> None:
    """A sender whose lease ran out, and whose mail another sender then delivered,
    cannot turn the row back into a failure (which a later run would send again)."""
    reader, _ = store.add_subscriber("r@example.org", Preferences(), confirmed=True)
    slow = store.claim_send(reader.id, DAY, "daily", now=NOW, holder="far-away:1")
    taken = store.claim_send(reader.id, DAY, "daily", now=NOW + dt.timedelta(minutes=11), holder="far-away:2")
    assert slow is not None and taken is not None
    store.mark_sent(taken, "<m@x>", NOW)
    assert not store.mark_failed(slow, "550 no such user", permanent=True, suspend_after=1, now=NOW)
    [row] = store.send_log(DAY)
    assert row.status == "sent"
    found = store.get_subscriber(reader.id)
    assert found is not None and found.status == "confirmed" and found.permanent_failures == 0


def test_one_address_subscribed_from_several_places_at_once_is_one_subscriber(store: SQLStore, db: str) -> None:
    import threading

    adders = [open_store(db) for _ in range(4)]
    start = threading.Barrier(len(adders))
    results: list[tuple[int, bool]] = []
    errors: list[BaseException] = []

    def add(adder: SQLStore) -> None:
        try:
            start.wait()
            reader, created = adder.add_subscriber("same@example.org", Preferences())
            results.append((reader.id, created))
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=add, args=(a,)) for a in adders]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    for a in adders:
        a.close()
    assert errors == [] and len({i for i, _ in results}) == 1 and sum(c for _, c in results) == 1
