"""SMTP delivery against a real server in-process: headers, parts, retries, TLS, login, pace."""

from __future__ import annotations

import datetime as dt
import email.utils
import ssl
import time
from dataclasses import replace

import pytest

from tests.digest.conftest import DROP, MailBox, free_port
from wirewatch.config.settings import Settings, SmtpServer
from wirewatch.digest.mailer import (
    Mailer,
    MailOptions,
    Outgoing,
    mail_domain,
    sender_address,
)
from wirewatch.errors import ConfigError, MailError, MailServerError

FAST = MailOptions(retries=3, backoff=0.01, rate=0)
UNSUBSCRIBE = (
    "https://wirewatch.test/unsubscribe?token=" + "eyJzIjoxLCJ2IjoxfQ.ZfBkQA.abcdefghijklmnopqrstuvwxyz0123456789_-" * 2
)


def _mailer(box: MailBox, options: MailOptions = FAST, *, login: bool = False) -> Mailer:
    return Mailer(box.smtp(login=login), "Wirewatch <digest@wirewatch.test>", options)


def _mail(to: str = "reader@example.org", **more: object) -> Outgoing:
    values: dict[str, object] = {"to": to, "subject": "Daily Update, 9 March 2024", "text": "Plain text\n"}
    values.update(more)
    return Outgoing(**values)  # type: ignore[arg-type]


def test_a_mail_arrives_with_its_parts_and_headers(smtp_server: MailBox) -> None:
    html = "<html><body><p>조선중앙통신 — Kim Jong Un</p></body></html>"
    when = dt.datetime(2024, 3, 9, 7, 0, tzinfo=dt.UTC)
    with _mailer(smtp_server) as mailer:
        sent_id = mailer.send(
            _mail(
                text="조선 — plain text\n",
                html=html,
                message_id="<digest-2024-03-08-7@wirewatch.test>",
                list_unsubscribe=UNSUBSCRIBE,
                list_id="Wirewatch Daily Update <digest.wirewatch.test>",
            ),
            now=when,
        )
    [message] = smtp_server.wait_for(1)
    assert sent_id == message["Message-ID"] == "<digest-2024-03-08-7@wirewatch.test>"
    assert message["From"] == "Wirewatch <digest@wirewatch.test>" and message["To"] == "reader@example.org"
    assert message["Subject"] == "Daily Update, 9 March 2024"
    assert email.utils.parsedate_to_datetime(message["Date"]) == when
    assert message["List-Id"] == "Wirewatch Daily Update <digest.wirewatch.test>"
    assert message["List-Unsubscribe"] == f"<{UNSUBSCRIBE}>"  # long, and intact
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message.get_content_type() == "multipart/alternative"
    assert message.get_body(("plain",)).get_content() == "조선 — plain text\n"  # type: ignore[union-attr]
    assert message.get_body(("html",)).get_content().strip() == html  # type: ignore[union-attr]
    assert smtp_server.envelopes == [("digest@wirewatch.test", ["reader@example.org"])]


def test_a_batch_shares_one_connection(smtp_server: MailBox) -> None:
    with _mailer(smtp_server) as mailer:
        ids = [mailer.send(_mail(f"r{n}@example.org")) for n in range(5)]
    assert len(set(ids)) == 5 and all(i.endswith("@wirewatch.test>") for i in ids)
    assert len(smtp_server.wait_for(5)) == 5 and smtp_server.connections == 1


def test_a_temporary_failure_is_retried_until_the_mail_is_accepted(smtp_server: MailBox) -> None:
    smtp_server.answer("busy@example.org", "451 4.7.1 Greylisted, try again later", times=2)
    started = time.monotonic()
    with _mailer(smtp_server, replace(FAST, backoff=0.05)) as mailer:
        mailer.send(_mail("busy@example.org"))
    assert time.monotonic() - started >= 0.05 + 0.1  # two pauses, the second twice the first
    assert [m["To"] for m in smtp_server.wait_for(1)] == ["busy@example.org"]


def test_a_temporary_failure_that_lasts_gives_up_as_temporary(smtp_server: MailBox) -> None:
    smtp_server.answer("full@example.org", "452 4.2.2 Mailbox full")
    with _mailer(smtp_server, replace(FAST, retries=2)) as mailer, pytest.raises(MailError) as caught:
        mailer.send(_mail("full@example.org"))
    assert caught.value.code == 452 and not caught.value.permanent
    assert "3 tries" in str(caught.value) and "Mailbox full" in str(caught.value)
    assert smtp_server.messages == []


def test_a_permanent_failure_is_not_retried(smtp_server: MailBox) -> None:
    smtp_server.answer("gone@example.org", "550 5.1.1 No such user", times=1)  # a retry would succeed
    with _mailer(smtp_server) as mailer:
        with pytest.raises(MailError) as caught:
            mailer.send(_mail("gone@example.org"))
        assert caught.value.code == 550 and caught.value.permanent and "No such user" in str(caught.value)
        mailer.send(_mail("other@example.org"))  # the connection goes on after a refusal
    assert [m["To"] for m in smtp_server.wait_for(1)] == ["other@example.org"]
    assert smtp_server.connections == 1


def test_a_refused_message_body_is_permanent_too(smtp_server: MailBox) -> None:
    smtp_server.on_data = lambda envelope: "554 5.6.0 Message content rejected"
    with _mailer(smtp_server) as mailer, pytest.raises(MailError) as caught:
        mailer.send(_mail())
    assert caught.value.code == 554 and caught.value.permanent


def test_a_dropped_connection_is_reopened_and_the_mail_sent(smtp_server: MailBox) -> None:
    drops = iter([DROP])
    smtp_server.on_data = lambda envelope: next(drops, None)
    with _mailer(smtp_server) as mailer:
        mailer.send(_mail("first@example.org"))
        mailer.send(_mail("second@example.org"))
    assert [m["To"] for m in smtp_server.wait_for(2)] == ["first@example.org", "second@example.org"]
    assert smtp_server.connections == 2


def test_a_login_when_the_url_has_one(smtp_server: MailBox) -> None:
    with _mailer(smtp_server, login=True) as mailer:
        mailer.send(_mail())
    assert smtp_server.logins == ["reader"]
    wrong = SmtpServer(smtp_server.host, smtp_server.port, "none", "reader", "wrong")
    with (
        Mailer(wrong, "digest@wirewatch.test", FAST) as mailer,
        pytest.raises(MailServerError, match="refused the login of 'reader'"),
    ):
        mailer.send(_mail())


def test_tls_and_starttls(smtp_tls_server: MailBox) -> None:
    trusted = ssl.create_default_context(cafile=str(smtp_tls_server.ca_file))
    with _mailer(smtp_tls_server, replace(FAST, ssl_context=trusted), login=True) as mailer:
        mailer.send(_mail())
    assert len(smtp_tls_server.wait_for(1)) == 1 and smtp_tls_server.logins == ["reader"]
    # A certificate nobody vouches for is refused, not ignored.
    with _mailer(smtp_tls_server) as mailer, pytest.raises(MailServerError, match=r"TLS failed|CERTIFICATE"):
        mailer.send(_mail())


def test_no_server_is_a_clear_error() -> None:
    with (
        Mailer(SmtpServer("127.0.0.1", free_port()), "d@w.test", FAST) as mailer,
        pytest.raises(MailServerError, match=r"cannot reach the mail server 127\.0\.0\.1:\d+"),
    ):
        mailer.send(_mail())
    with pytest.raises(ConfigError, match="WIREWATCH_SMTP_URL"):
        Mailer.from_settings(Settings())


def test_the_rate_limit_spaces_the_mails(smtp_server: MailBox) -> None:
    started = time.monotonic()
    with _mailer(smtp_server, replace(FAST, rate=20)) as mailer:
        for n in range(6):
            mailer.send(_mail(f"r{n}@example.org"))
    assert time.monotonic() - started >= 5 / 20 - 0.01
    assert len(smtp_server.wait_for(6)) == 6


def test_the_sender_and_the_message_id_domain_from_the_settings() -> None:
    assert sender_address(Settings(mail_from="News <news@example.org>")) == "News <news@example.org>"
    assert mail_domain(Settings(mail_from="News <news@Example.org>")) == "example.org"
    assert (
        sender_address(Settings(base_url="https://archive.example.net")) == "Wirewatch <wirewatch@archive.example.net>"
    )
    with pytest.raises(ConfigError, match="WIREWATCH_MAIL_FROM"):
        Settings.from_env({"WIREWATCH_MAIL_FROM": "not an address"})


def test_the_smtp_url_setting() -> None:
    server = Settings.from_env({"WIREWATCH_SMTP_URL": "smtps://me%40x.org:p%2Fw@mail.example.org"}).smtp
    assert server == SmtpServer("mail.example.org", 465, "tls", "me@x.org", "p/w")
    assert "p/w" not in repr(server)
    plain = Settings.from_env({"WIREWATCH_SMTP_URL": "smtp://localhost:2525"}).smtp
    assert plain == SmtpServer("localhost", 2525, "none")
    assert Settings.from_env({"WIREWATCH_SMTP_URL": "smtp://h?starttls=1"}).smtp == SmtpServer("h", 587, "starttls")
    for bad, why in [
        ("http://h", "expected smtp://"),
        ("smtp://h?tls=1", "unknown parameter 'tls'"),
        ("smtp://u:secret@", "expected smtp://"),
    ]:
        with pytest.raises(ConfigError, match=why) as caught:
            Settings.from_env({"WIREWATCH_SMTP_URL": bad})
        assert "secret" not in str(caught.value)


def test_headers_in_other_scripts_are_encoded_and_read_back(smtp_server: MailBox) -> None:
    subject = "Daily Update, 9 March 2024: 김정은 동지께서 현지지도하시였다 — " + "긴 제목 " * 10
    with Mailer(smtp_server.smtp(), "Ryu Ŏn <digest@wirewatch.test>", FAST) as mailer:
        mailer.send(_mail(subject=subject))
    [message] = smtp_server.wait_for(1)
    assert message["Subject"] == subject and message["From"] == "Ryu Ŏn <digest@wirewatch.test>"
    raw = message.as_string()
    assert all(len(line) <= 78 for line in raw.splitlines() if line.startswith((" =?", "Subject:")))


def test_a_text_only_mail_and_no_header_injection(smtp_server: MailBox) -> None:
    text = "Line one\n.A line starting with a dot\nTrailing space \n" + "long " * 40 + "\n"
    with _mailer(smtp_server) as mailer:
        mailer.send(
            _mail(subject="Hello\r\nBcc: victim@example.org", text=text, headers={"X-Wirewatch-Alert": "7\nX-Evil: 1"})
        )
    [message] = smtp_server.wait_for(1)
    assert message.get_content_type() == "text/plain" and message.get_content() == text
    assert message["Subject"] == "Hello Bcc: victim@example.org" and message["Bcc"] is None
    assert message["X-Wirewatch-Alert"] == "7 X-Evil: 1" and message["X-Evil"] is None
    assert smtp_server.envelopes[0][1] == ["reader@example.org"]


def test_a_refused_sender_is_the_servers_problem_and_a_non_ascii_address_the_readers(smtp_server: MailBox) -> None:
    """A 5xx to MAIL FROM says nothing about the reader (it would refuse every mail):
    MailServerError, which stops a batch and counts against nobody. An address smtplib
    cannot write (no SMTPUTF8) is refused for that reader alone, the connection kept."""
    smtp_server.answer("digest@wirewatch.test", "550 5.7.1 Sender not allowed", times=1)
    with _mailer(smtp_server) as mailer:
        with pytest.raises(MailServerError, match=r"refused the sender 'digest@wirewatch.test': 550 5.7.1") as refused:
            mailer.send(_mail())
        assert refused.value.permanent
        with pytest.raises(MailError, match="non-ASCII") as foreign:
            mailer.send(_mail("jöe@example.org"))
        assert foreign.value.permanent and not isinstance(foreign.value, MailServerError)
        assert mailer.send(_mail()) and len(smtp_server.wait_for(1)) == 1
