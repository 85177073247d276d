"""A real SMTP server in-process (aiosmtpd), as fixtures every test module can use (registered in tests/conftest.py) that keeps what it accepts, parsed.

``smtp_server`` listens on 127.0.0.1 and yields a :class:`MailBox`:

- ``messages``: every accepted mail as an ``email.message.EmailMessage`` (policy
  default), in order; ``to(address)`` those for one recipient; ``wait_for(n)``.
- ``answer(address, "550 5.1.1 No such user", times=None)``: refuse that recipient at
  RCPT (or that sender at MAIL FROM) with the reply given (4xx or 5xx), ``times`` times
  (None: always).
- ``on_data``: a hook called with each mail before it is accepted; it may return an SMTP
  reply ("451 …") to refuse the mail instead, or ``DROP`` to close the connection.
- ``connections``: how many SMTP connections were opened.
- ``settings(**more)``: wirewatch Settings pointing at this server (rate limit off).
- Logins (AUTH PLAIN/LOGIN) are accepted for user ``reader``, password ``s3cret``;
  ``logins`` lists the user names that logged in. Mail without a login is accepted too.

``smtp_tls_server`` is the same with a self-signed certificate for 127.0.0.1 and
STARTTLS offered (``mode="starttls"``) or TLS from the start (``mode="tls"``); its
``ca_file`` is the certificate to trust.
"""

from __future__ import annotations

import email
import email.policy
import socket
import ssl
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session

from wirewatch.config.settings import Settings, SmtpServer

USER, PASSWORD = "reader", "s3cret"
#: What ``on_data`` returns to close the connection without a reply.
DROP = "DROP"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class MailBox:
    host: str
    port: int
    security: str = "none"
    ca_file: Path | None = None
    messages: list[EmailMessage] = field(default_factory=list)
    #: (MAIL FROM, RCPT TOs) of each accepted mail.
    envelopes: list[tuple[str, list[str]]] = field(default_factory=list)
    logins: list[str] = field(default_factory=list)
    connections: int = 0
    on_data: Callable[[Envelope], str | None] | None = None
    _answers: dict[str, list[Any]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def answer(self, address: str, reply: str, times: int | None = None) -> None:
        """Answer RCPT TO ``address`` with ``reply`` (e.g. "450 4.2.1 Try later"), ``times`` times."""
        self._answers[address.casefold()] = [reply, times]

    def _rcpt_reply(self, address: str) -> str | None:
        with self._lock:
            rule = self._answers.get(address.casefold())
            if rule is None:
                return None
            reply, times = rule
            if times is not None:
                if times <= 0:
                    return None
                rule[1] = times - 1
            return str(reply)

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if str(m["To"]).casefold() == address.casefold()]

    def wait_for(self, count: int, timeout: float = 10.0) -> list[EmailMessage]:
        deadline = time.monotonic() + timeout
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.02)
        assert len(self.messages) >= count, f"{len(self.messages)} mails arrived, {count} expected"
        return self.messages

    def smtp(self, *, login: bool = False) -> SmtpServer:
        return SmtpServer(self.host, self.port, self.security, USER if login else None, PASSWORD if login else None)

    def url(self, *, login: bool = False) -> str:
        scheme = "smtps" if self.security == "tls" else "smtp"
        auth = f"{USER}:{PASSWORD}@" if login else ""
        query = "?starttls=1" if self.security == "starttls" else ""
        return f"{scheme}://{auth}{self.host}:{self.port}{query}"

    def settings(self, **more: Any) -> Settings:
        values: dict[str, Any] = {
            "smtp": self.smtp(),
            "mail_from": "Wirewatch <digest@wirewatch.test>",
            "base_url": "https://wirewatch.test",
            "secret_key": "test-secret",
            "mail_rate": 0.0,
        }
        values.update(more)
        return Settings(**values)


class _Handler:
    def __init__(self, box: MailBox) -> None:
        self.box = box

    async def handle_MAIL(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, mail_options: list[str]
    ) -> str:
        reply = self.box._rcpt_reply(address)  # the sender refused, as for a recipient
        if reply is not None:
            return reply
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, rcpt_options: list[str]
    ) -> str:
        reply = self.box._rcpt_reply(address)
        if reply is not None:
            return reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        if self.box.on_data is not None:
            reply = self.box.on_data(envelope)
            if reply == DROP:
                assert server.transport is not None
                server.transport.close()
                return "421 closing"
            if reply is not None:
                return reply
        raw = envelope.original_content or envelope.content
        assert isinstance(raw, bytes)
        # Parsed with Unix line ends, as a mail client shows it (the wire has CRLF).
        message = email.message_from_bytes(raw.replace(b"\r\n", b"\n"), policy=email.policy.default)
        with self.box._lock:
            self.box.messages.append(message)  # type: ignore[arg-type]
            self.box.envelopes.append((str(envelope.mail_from), list(envelope.rcpt_tos)))
        return "250 2.0.0 Message accepted for delivery"


def _authenticator(box: MailBox) -> Callable[..., AuthResult]:
    def check(server: SMTP, session: Session, envelope: Envelope, mechanism: str, auth_data: Any) -> AuthResult:
        if isinstance(auth_data, LoginPassword):
            user, password = auth_data.login.decode(), auth_data.password.decode()
            if (user, password) == (USER, PASSWORD):
                box.logins.append(user)
                return AuthResult(success=True)
        return AuthResult(success=False, handled=False)

    return check


class _CountingController(Controller):
    def __init__(self, box: MailBox, *args: Any, **kwargs: Any) -> None:
        self.box = box
        super().__init__(*args, **kwargs)

    def factory(self) -> SMTP:
        self.box.connections += 1
        return super().factory()


def _serve(box: MailBox, **kwargs: Any) -> Iterator[MailBox]:
    controller = _CountingController(
        box,
        _Handler(box),
        hostname=box.host,
        port=box.port,
        authenticator=_authenticator(box),
        auth_require_tls=False,
        auth_required=False,
        **kwargs,
    )
    controller.start()
    box.connections = 0  # the controller's own start-up probe
    try:
        yield box
    finally:
        controller.stop()


@pytest.fixture
def smtp_server() -> Iterator[MailBox]:
    """A plain SMTP server on 127.0.0.1 that keeps the mails it accepts (see the module)."""
    yield from _serve(MailBox("127.0.0.1", free_port()))


@pytest.fixture(scope="session")
def tls_certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A self-signed certificate (and its key) for 127.0.0.1 and localhost."""
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "2",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1,DNS:localhost",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
    )
    return cert, key


@pytest.fixture(params=["starttls", "tls"])
def smtp_tls_server(request: pytest.FixtureRequest, tls_certificate: tuple[Path, Path]) -> Iterator[MailBox]:
    """The server with TLS: STARTTLS offered after EHLO, or TLS from the first byte."""
    cert, key = tls_certificate
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    box = MailBox("127.0.0.1", free_port(), security=request.param, ca_file=cert)
    if request.param == "starttls":
        yield from _serve(box, tls_context=context, require_starttls=True)
    else:
        yield from _serve(box, ssl_context=context)
