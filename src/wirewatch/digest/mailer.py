"""Mail delivery over SMTP: one connection per batch, retries, a steady pace.

A ``Mailer`` opens its connection on the first mail and keeps it for the batch (TLS
from the start for ``smtps://``, STARTTLS after EHLO with ``?starttls=1``, then the
login when the URL has one). What the server answers decides what happens to a mail:

- 2xx: delivered; ``send`` returns its Message-ID.
- 4xx, or the connection dropped: tried again, on a new connection if need be, after
  pauses of ``backoff``, 2×, 4×… seconds, ``retries`` times; then ``MailError``
  (``permanent=False``: a later run may try again).
- 5xx: ``MailError(permanent=True)`` at once: the address or the mail is refused for
  good, and the sender counts it against the address.
- No server, a refused login, a failed TLS handshake, the sender (From) refused with a
  5xx: ``MailServerError``, which is nobody's address's fault; a batch stops there.

``rate`` spaces mails at most that many a second (0: as fast as the server takes them).
"""

from __future__ import annotations

import binascii
import datetime as dt
import email.utils
import logging
import secrets
import smtplib
import socket
import ssl
import time
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from email.header import Header
from types import TracebackType
from typing import TYPE_CHECKING, Any, NamedTuple, Self
from urllib.parse import urlsplit

from wirewatch.clock import now_utc
from wirewatch.errors import ConfigError, MailError, MailServerError

if TYPE_CHECKING:
    from wirewatch.config.settings import Settings, SmtpServer

__all__ = ["MailOptions", "Mailer", "Outgoing", "Wire", "build_message", "mail_domain", "sender_address"]

log = logging.getLogger("wirewatch.mail")


@dataclass(frozen=True, slots=True)
class MailOptions:
    """How a Mailer behaves: retries after a 4xx or a dropped connection and the first
    pause between them (doubled each time), the most mails a second (0: no limit), the
    socket timeout, and the TLS context (None: the system's trusted certificates)."""

    retries: int = 3
    backoff: float = 1.0
    rate: float = 10.0
    timeout: float = 30.0
    ssl_context: ssl.SSLContext | None = None

    @classmethod
    def from_settings(cls, settings: Settings, **overrides: Any) -> MailOptions:
        return replace(cls(retries=settings.mail_retries, rate=settings.mail_rate), **overrides)


@dataclass(frozen=True, slots=True)
class Outgoing:
    """A mail to send. ``list_unsubscribe``: the https address of the one-click
    unsubscribe (RFC 8058), sent as List-Unsubscribe with List-Unsubscribe-Post;
    ``list_id``: the List-Id (RFC 2919). ``message_id`` None: a new one is made."""

    to: str
    subject: str
    text: str
    html: str | None = None
    message_id: str | None = None
    list_unsubscribe: str | None = None
    list_id: str | None = None
    headers: Mapping[str, str] = field(default_factory=dict)


def mail_domain(settings: Settings) -> str:
    """The domain of the mails' Message-IDs: the From address's, else the public
    address's host, else this machine's name."""
    address = email.utils.parseaddr(settings.mail_from)[1] if settings.mail_from else ""
    if "@" in address:
        return address.rpartition("@")[2].lower()
    if settings.base_url:
        return (urlsplit(settings.base_url).hostname or "localhost").lower()
    return socket.getfqdn().lower() or "localhost"


def sender_address(settings: Settings) -> str:
    """The From header: WIREWATCH_MAIL_FROM, else 'Wirewatch <wirewatch@DOMAIN>'."""
    return settings.mail_from or f"Wirewatch <wirewatch@{mail_domain(settings)}>"


class Wire(NamedTuple):
    """A mail as it goes to the server: its Message-ID, its recipient, its bytes."""

    message_id: str
    recipient: str
    data: bytes


def _clean(value: str) -> str:
    """One line: a line break in a header value would start a header of its own."""
    return " ".join(value.split()) if ("\n" in value or "\r" in value) else value


def _header(name: str, value: str) -> str:
    """``Name: value``, encoded as RFC 2047 words of at most 76 characters when not ASCII."""
    value = _clean(value)
    if value.isascii():
        return f"{name}: {value}"
    return f"{name}: " + Header(value, "utf-8", header_name=name).encode(linesep="\r\n", maxlinelen=76)


def _address(value: str) -> str:
    """'Name <a@b.org>' with a non-ASCII name encoded, the address left as it is."""
    name, address = email.utils.parseaddr(_clean(value))
    return email.utils.formataddr((name, address), charset="utf-8") if address else _clean(value)


def _part(content: str, subtype: str) -> bytes:
    """A text part: UTF-8, quoted-printable (readable in the raw source; binascii's, in C)."""
    body = binascii.b2a_qp(content.replace("\r\n", "\n").encode("utf-8"), istext=True)
    head = f'Content-Type: text/{subtype}; charset="utf-8"\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n'
    return head.encode("ascii") + body.replace(b"\n", b"\r\n")


def build_message(mail: Outgoing, *, sender: str, domain: str, now: dt.datetime | None = None) -> Wire:
    """The mail as it goes on the wire: a text part and, given, an HTML alternative,
    with the headers; CRLF line ends, long ASCII headers (List-Unsubscribe) on one line.

    Written directly rather than with the email package: its ``EmailMessage`` made a
    mail take ten times as long to build as to send over a local connection.
    """
    message_id = _clean(mail.message_id or email.utils.make_msgid(domain=domain))
    recipient = email.utils.parseaddr(_clean(mail.to))[1]
    if not recipient.isascii():  # neither the header nor smtplib's RCPT (no SMTPUTF8) can carry it
        raise MailError(f"{recipient}: an address with non-ASCII characters cannot be sent to", permanent=True)
    lines = [
        "From: " + _address(sender),
        "To: " + _address(mail.to),
        _header("Subject", mail.subject),
        "Date: " + email.utils.format_datetime((now or now_utc()).astimezone(dt.UTC)),
        "Message-ID: " + message_id,
    ]
    if mail.list_id:
        lines.append(_header("List-Id", mail.list_id))
    if mail.list_unsubscribe:
        lines.append(f"List-Unsubscribe: <{_clean(mail.list_unsubscribe)}>")
        lines.append("List-Unsubscribe-Post: List-Unsubscribe=One-Click")
    lines.extend(_header(name, value) for name, value in mail.headers.items())
    lines.append("MIME-Version: 1.0")
    if mail.html is None:
        return Wire(message_id, recipient, ("\r\n".join(lines) + "\r\n").encode("utf-8") + _part(mail.text, "plain"))
    # "=_" never occurs in quoted-printable text: "=" is always followed by hex digits there.
    boundary = f"=_wirewatch_{secrets.token_hex(12)}"
    lines.append(f'Content-Type: multipart/alternative; boundary="{boundary}"')
    mark = f"\r\n--{boundary}\r\n".encode("ascii")
    data = (
        ("\r\n".join(lines) + "\r\n").encode("utf-8")
        + mark
        + _part(mail.text, "plain")
        + mark
        + _part(mail.html, "html")
        + f"\r\n--{boundary}--\r\n".encode("ascii")
    )
    return Wire(message_id, recipient, data)


def _reply(code: int | None, text: bytes | str | None) -> str:
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return f"{code} {text or ''}".strip() if code else (text or "no answer")


class Mailer:
    """Sends mails over one SMTP connection, opened on the first and kept until
    ``close`` (or the end of a ``with`` block)."""

    def __init__(
        self, server: SmtpServer, sender: str, options: MailOptions | None = None, *, domain: str = ""
    ) -> None:
        self.server = server
        self.sender = sender
        self.options = options or MailOptions()
        self.domain = domain or email.utils.parseaddr(sender)[1].rpartition("@")[2] or "localhost"
        self.envelope_from = email.utils.parseaddr(sender)[1]
        self._smtp: smtplib.SMTP | None = None
        self._next_at = 0.0
        #: Connections opened so far (one per batch, more after drops).
        self.connections = 0

    @classmethod
    def from_settings(cls, settings: Settings, **options: Any) -> Mailer:
        """A mailer for WIREWATCH_SMTP_URL; ConfigError when it is unset."""
        if settings.smtp is None:
            raise ConfigError(
                "no mail server: set WIREWATCH_SMTP_URL (e.g. smtp://user:password@mail.example.org:587?starttls=1)"
            )
        return cls(
            settings.smtp,
            sender_address(settings),
            MailOptions.from_settings(settings, **options),
            domain=mail_domain(settings),
        )

    def __enter__(self) -> Self:
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    # -- the connection -------------------------------------------------------------

    def _where(self) -> str:
        return f"{self.server.host}:{self.server.port}"

    def _connect(self) -> smtplib.SMTP:
        server, options = self.server, self.options
        context = options.ssl_context or ssl.create_default_context()
        try:
            if server.security == "tls":
                smtp: smtplib.SMTP = smtplib.SMTP_SSL(
                    server.host, server.port, timeout=options.timeout, context=context
                )
            else:
                smtp = smtplib.SMTP(server.host, server.port, timeout=options.timeout)
            smtp.ehlo()
            if server.security == "starttls":
                smtp.starttls(context=context)
                smtp.ehlo()
            if server.username:
                smtp.login(server.username, server.password or "")
        except smtplib.SMTPAuthenticationError as exc:
            raise MailServerError(
                f"mail server {self._where()} refused the login of {server.username!r}: {_reply(exc.smtp_code, exc.smtp_error)}",
                exc.smtp_code,
                permanent=True,
            ) from None
        except smtplib.SMTPNotSupportedError as exc:
            raise MailServerError(
                f"mail server {self._where()}: {exc} (check ?starttls=1 and the user name)", permanent=True
            ) from None
        except ssl.SSLError as exc:
            raise MailServerError(
                f"mail server {self._where()}: TLS failed ({exc.reason or exc})", permanent=True
            ) from None
        except (OSError, smtplib.SMTPException) as exc:
            raise MailServerError(
                f"cannot reach the mail server {self._where()}: {exc or type(exc).__name__}"
            ) from None
        self.connections += 1
        return smtp

    def close(self) -> None:
        """End the session politely (QUIT); a dead connection is just dropped."""
        smtp, self._smtp = self._smtp, None
        if smtp is None:
            return
        try:
            smtp.quit()
        except (OSError, smtplib.SMTPException):
            smtp.close()

    def _drop(self) -> None:
        smtp, self._smtp = self._smtp, None
        if smtp is not None:
            smtp.close()

    # -- sending --------------------------------------------------------------------

    def _pace(self) -> None:
        if self.options.rate <= 0:
            return
        now = time.monotonic()
        if self._next_at > now:
            time.sleep(self._next_at - now)
            now = self._next_at
        self._next_at = now + 1.0 / self.options.rate

    def send(self, mail: Outgoing, *, now: dt.datetime | None = None) -> str:
        """Deliver ``mail``; its Message-ID (see the module for the errors)."""
        return self.send_wire(build_message(mail, sender=self.sender, domain=self.domain, now=now))

    def send_wire(self, wire: Wire) -> str:
        """Deliver a built message to its recipient; its Message-ID."""
        recipient = wire.recipient
        attempt = 0
        while True:
            self._pace()
            code, problem = self._try(wire.data, recipient)
            if problem is None:
                return wire.message_id
            if code is not None and code >= 500:
                raise MailError(f"{recipient}: refused: {problem}", code, permanent=True)
            if attempt >= self.options.retries:
                raise MailError(f"{recipient}: not delivered after {attempt + 1} tries: {problem}", code)
            pause = self.options.backoff * 2**attempt
            log.info("mail deferred", extra={"recipient": recipient, "reply": problem, "retry_in": pause})
            attempt += 1
            time.sleep(pause)

    def _try(self, data: bytes, recipient: str) -> tuple[int | None, str | None]:
        """One attempt: (None, None) when delivered, else the reply code (None for a
        dropped connection) and what went wrong."""
        if self._smtp is None:
            self._smtp = self._connect()  # MailServerError goes up: no server, no batch
        try:
            self._smtp.sendmail(self.envelope_from, [recipient], data)
        except smtplib.SMTPRecipientsRefused as exc:
            code, text = next(iter(exc.recipients.values()))
            return code, _reply(code, text)
        except smtplib.SMTPSenderRefused as exc:
            if exc.smtp_code >= 500:  # our From refused for good: no reader's fault, no batch
                raise MailServerError(
                    f"mail server {self._where()} refused the sender {self.envelope_from!r}: {_reply(exc.smtp_code, exc.smtp_error)}"
                    " (check WIREWATCH_MAIL_FROM and the login)",
                    exc.smtp_code,
                    permanent=True,
                ) from None
            return exc.smtp_code, _reply(exc.smtp_code, exc.smtp_error)
        except smtplib.SMTPResponseException as exc:  # sender or data refused (smtplib sent RSET)
            if exc.smtp_code == 421:  # the server is closing the connection
                self._drop()
            return exc.smtp_code, _reply(exc.smtp_code, exc.smtp_error)
        except (smtplib.SMTPServerDisconnected, OSError) as exc:
            self._drop()
            return None, f"connection lost ({exc or type(exc).__name__})"
        return None, None
