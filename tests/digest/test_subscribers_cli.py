"""`wirewatch subscribers add|list|remove` through the real command, with a real SMTP server."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from tests.conftest import Invoke
from tests.digest.conftest import MailBox
from wirewatch.digest.tokens import subscriber_for
from wirewatch.store import open_store


@pytest.fixture
def mail_env(smtp_server: MailBox, monkeypatch: pytest.MonkeyPatch) -> MailBox:
    for name, value in {
        "WIREWATCH_SMTP_URL": smtp_server.url(login=True),
        "WIREWATCH_BASE_URL": "https://wirewatch.test",
        "WIREWATCH_MAIL_FROM": "Wirewatch <digest@wirewatch.test>",
        "WIREWATCH_SECRET_KEY": "k",
        "WIREWATCH_MAIL_RATE": "0",
    }.items():
        monkeypatch.setenv(name, value)
    return smtp_server


def test_add_without_confirmed_sends_the_confirmation_mail(cli: Invoke, db: str, mail_env: MailBox) -> None:
    result = cli(
        "subscribers",
        "add",
        "Reader@Example.org",
        "--topic",
        "Kim Jong Un",
        "--topic",
        "missile OR rocket",
        "--language",
        "en",
        "--frequency",
        "weekly",
        "--weekday",
        "fri",
        "--hour",
        "18",
        "--timezone",
        "Asia/Seoul",
    )
    assert result.exit_code == 0, result.stderr
    assert "added Reader@example.org: confirmation mail sent" in result.stdout
    [mail] = mail_env.wait_for(1)
    assert mail["To"] == "Reader@example.org" and mail_env.logins == ["reader"]
    url = next(w for w in mail.get_body(("plain",)).get_content().split() if "/confirm?token=" in w)  # type: ignore[union-attr]
    store = open_store(db)
    try:
        reader = subscriber_for(store, "k", "confirm", parse_qs(urlsplit(url).query)["token"][0])
        assert reader.status == "pending" and reader.preferences.topics == ("Kim Jong Un", "missile OR rocket")
        assert (reader.preferences.frequency, reader.preferences.weekday, reader.preferences.hour) == ("weekly", 4, 18)
    finally:
        store.close()
    again = cli("subscribers", "add", "reader@example.org")  # still pending: the mail goes again
    assert again.exit_code == 0 and "still pending" in again.stdout and len(mail_env.wait_for(2)) == 2
    listed = cli("subscribers", "list", "--json").json()
    assert [(r["email"], r["status"], r["timezone"]) for r in listed] == [
        ("Reader@example.org", "pending", "Asia/Seoul")
    ]  # type: ignore[index, union-attr]


def test_add_confirmed_imports_without_mail(cli: Invoke, mail_env: MailBox) -> None:
    result = cli("subscribers", "add", "a@example.org", "--confirmed", "--source", "KCNA")
    assert result.exit_code == 0 and "added a@example.org (confirmed, daily at 07:00 UTC)" in result.stdout
    assert "no source 'KCNA' in the archive yet" in result.stderr
    assert cli("subscribers", "add", "A@example.org", "--confirmed").stdout.startswith(
        "already subscribed: a@example.org"
    )
    assert cli("subscribers", "add", "p@example.org").exit_code == 0  # pending
    assert cli("subscribers", "add", "p@example.org", "--confirmed").stdout.startswith(
        "already subscribed: p@example.org (confirmed"
    )
    table = cli("subscribers", "list")
    assert "a@example.org" in table.stdout and "KCNA" in table.stdout and "2 confirmed" in table.stderr
    assert [r["email"] for r in cli("subscribers", "list", "--status", "confirmed", "--json").json()] == [
        "a@example.org",
        "p@example.org",
    ]  # type: ignore[index, union-attr]
    assert len(mail_env.messages) == 1  # only p's confirmation


def test_remove(cli: Invoke, mail_env: MailBox) -> None:
    cli("subscribers", "add", "a@example.org", "--confirmed")
    assert cli("subscribers", "remove", "A@EXAMPLE.ORG").stdout.strip() == "removed a@example.org"
    missing = cli("subscribers", "remove", "a@example.org")
    assert missing.exit_code == 1 and "no subscriber 'a@example.org'" in missing.stderr
    assert cli("subscribers", "list", "--json").json() == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["not-an-address"], "EMAIL: 'not-an-address' is not an email address"),
        (["jöe@example.org", "--confirmed"], "EMAIL: 'jöe@example.org': only addresses in plain ASCII letters"),
        (["a@example.org", "--confirmed", "--hour", "25"], "--hour: 25 is not between 0 and 23"),
        (
            ["a@example.org", "--confirmed", "--timezone", "Korea/Pyongyang"],
            "--timezone: 'Korea/Pyongyang' is not a time zone",
        ),
        (["a@example.org", "--confirmed", "--frequency", "hourly"], "--frequency: 'hourly' is not daily or weekly"),
        (
            ["a@example.org", "--confirmed", "--weekday", "someday"],
            "--weekday: 'someday' is not a day of the week (monday … sunday, or 0-6)",
        ),
        (["a@example.org", "--confirmed", "--language", "English"], "--language: 'english' is not a language code"),
        (
            ["a@example.org", "--confirmed", "--topic", '"unclosed'],
            "--topic: '\"unclosed' is not a search query: unclosed quote",
        ),
    ],
)
def test_bad_input_is_named_with_the_reason(cli: Invoke, mail_env: MailBox, args: list[str], message: str) -> None:
    result = cli("subscribers", "add", *args)
    assert result.exit_code == 2 and message in result.stderr and "Traceback" not in result.stderr
    assert cli("subscribers", "list", "--json").json() == []
    bad_status = cli("subscribers", "list", "--status", "asleep")
    assert bad_status.exit_code == 2 and "--status: 'asleep' is not one of" in bad_status.stderr


def test_without_a_mail_server_nothing_is_added(cli: Invoke, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("WIREWATCH_SMTP_URL", raising=False)
    result = cli("subscribers", "add", "a@example.org")
    assert result.exit_code == 2 and "WIREWATCH_SMTP_URL" in result.stderr
    assert cli("subscribers", "list", "--json").json() == []


def test_a_confirmation_that_cannot_be_delivered_says_so(cli: Invoke, mail_env: MailBox) -> None:
    mail_env.answer("bounce@example.org", "550 5.1.1 No such user")
    result = cli("subscribers", "add", "bounce@example.org")
    assert (
        result.exit_code == 1 and "confirmation mail was not sent" in result.stderr and "No such user" in result.stderr
    )
    assert [r["status"] for r in cli("subscribers", "list", "--json").json()] == ["pending"]  # type: ignore[index, union-attr]
