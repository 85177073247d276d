"""Signed links: confirm (expires), preferences and unsubscribe (revocable), the secret key."""

from __future__ import annotations

import datetime as dt
import multiprocessing
from pathlib import Path

import pytest

from wirewatch.config.settings import Settings
from wirewatch.digest.tokens import (
    CONFIRM_MAX_AGE,
    link,
    make_token,
    read_token,
    secret_key,
    subscriber_for,
)
from wirewatch.errors import TokenError
from wirewatch.models import Preferences
from wirewatch.store import SQLStore, open_store

NOW = dt.datetime(2024, 3, 9, 12, 0, tzinfo=dt.UTC)


@pytest.fixture
def store(db: str) -> SQLStore:
    s = open_store(db)
    yield s
    s.close()


def test_a_token_names_its_subscriber_and_works_only_for_its_purpose(store: SQLStore) -> None:
    reader, _ = store.add_subscriber("reader@example.org", Preferences())
    token = make_token("k", "preferences", reader)
    assert subscriber_for(store, "k", "preferences", token).id == reader.id
    for other in ("confirm", "unsubscribe"):
        with pytest.raises(TokenError) as caught:
            read_token("k", other, token)  # type: ignore[arg-type]
        assert caught.value.reason == "invalid"
    with pytest.raises(TokenError):
        read_token("another key", "preferences", token)
    with pytest.raises(TokenError, match="not valid"):
        read_token("k", "preferences", token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB"))
    with pytest.raises(TokenError):
        read_token("k", "preferences", "")


def test_a_confirmation_expires_after_seven_days() -> None:
    from wirewatch.models import Subscriber

    reader = Subscriber(7, "r@example.org", "pending", Preferences(), NOW)
    token = make_token("k", "confirm", reader, now=NOW)
    assert read_token("k", "confirm", token, now=NOW + CONFIRM_MAX_AGE - dt.timedelta(minutes=1)).subscriber_id == 7
    with pytest.raises(TokenError) as caught:
        read_token("k", "confirm", token, now=NOW + CONFIRM_MAX_AGE + dt.timedelta(minutes=1))
    assert caught.value.reason == "expired" and "expired" in str(caught.value)
    # Preferences and unsubscribe links do not expire.
    old = make_token("k", "unsubscribe", reader, now=NOW - dt.timedelta(days=400))
    assert read_token("k", "unsubscribe", old, now=NOW).subscriber_id == 7


def test_raising_the_token_version_revokes_old_links(store: SQLStore) -> None:
    reader, _ = store.add_subscriber("reader@example.org", Preferences(), confirmed=True)
    old = make_token("k", "unsubscribe", reader)
    assert store.bump_token_version(reader.id) == reader.token_version + 1
    with pytest.raises(TokenError) as caught:
        subscriber_for(store, "k", "unsubscribe", old)
    assert caught.value.reason == "revoked"
    fresh = make_token("k", "unsubscribe", store.get_subscriber(reader.id))  # type: ignore[arg-type]
    assert subscriber_for(store, "k", "unsubscribe", fresh).id == reader.id
    store.remove_subscriber(reader.id)
    with pytest.raises(TokenError) as caught:
        subscriber_for(store, "k", "unsubscribe", fresh)
    assert caught.value.reason == "revoked"


def test_a_new_subscription_after_unsubscribing_revokes_the_old_links(store: SQLStore) -> None:
    reader, _ = store.add_subscriber("reader@example.org", Preferences(), confirmed=True)
    old = make_token("k", "preferences", reader)
    store.unsubscribe(reader.id)
    again, created = store.add_subscriber("READER@example.org", Preferences(topics=("nuclear",)))
    assert not created and again.id == reader.id and again.status == "pending"
    with pytest.raises(TokenError):
        subscriber_for(store, "k", "preferences", old)


def test_the_link_is_the_web_address_with_the_token() -> None:
    assert link("https://w.test/", "unsubscribe", "a.b-c_d") == "https://w.test/unsubscribe?token=a.b-c_d"
    assert link("https://w.test", "confirm", "x") == "https://w.test/confirm?token=x"


def _key_of(path: str, queue: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    store = open_store(path)
    queue.put(secret_key(store, Settings()))
    store.close()


def test_the_secret_key_is_the_setting_or_one_generated_once_for_every_process(db: str, tmp_path: Path) -> None:
    store = open_store(db)
    try:
        assert secret_key(store, Settings(secret_key="from the environment")) == "from the environment"
        generated = secret_key(store, Settings())
        assert len(generated) >= 40 and secret_key(store, Settings()) == generated
    finally:
        store.close()
    queue: multiprocessing.Queue = multiprocessing.get_context("spawn").Queue()  # type: ignore[type-arg]
    child = multiprocessing.get_context("spawn").Process(target=_key_of, args=(db, queue))
    child.start()
    child.join(60)
    assert queue.get(timeout=5) == generated
    other = tmp_path / "other.db"
    store = open_store(str(other))
    try:
        assert secret_key(store, Settings()) != generated  # each archive its own
    finally:
        store.close()
