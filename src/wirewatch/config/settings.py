"""Settings: every one declared once, built once at the entry point and passed in."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from wirewatch.errors import ConfigError
from wirewatch.models import DateOrder

DATE_ORDERS: tuple[DateOrder, ...] = ("DMY", "MDY", "YMD")
#: What answers searches (``wirewatch.search.base.SearchOptions``).
SearchEngine = Literal["tantivy", "sql"]
SEARCH_ENGINES: tuple[SearchEngine, ...] = ("tantivy", "sql")


@dataclass(frozen=True, slots=True)
class Setting:
    name: str
    env: str
    default: str | None
    help: str


#: The settings table: name, environment variable, default, meaning.
SETTINGS = (
    Setting(
        "db",
        "WIREWATCH_DB",
        "wirewatch.db",
        "the archive: an SQLite file path, or a PostgreSQL URL (postgresql://user@host/database)",
    ),
    Setting(
        "date_order",
        "WIREWATCH_DATE_ORDER",
        "DMY",
        "how to read an ambiguous numeric date when the source has no order of its own (DMY, MDY or YMD)",
    ),
    Setting(
        "source_date_orders",
        "WIREWATCH_SOURCE_DATE_ORDERS",
        "",
        "per-source date orders, e.g. 'Yonhap=YMD,NK News=MDY'",
    ),
    Setting(
        "boilerplate",
        "WIREWATCH_BOILERPLATE",
        "",
        "extra boilerplate rule files (TOML), separated by the OS path separator",
    ),
    Setting(
        "sources",
        "WIREWATCH_SOURCES",
        "wirewatch-sources.toml",
        "the sources file (TOML) that collection reads: outlets, entry points, intervals (see docs/sources.md)",
    ),
    Setting(
        "user_agent",
        "WIREWATCH_USER_AGENT",
        "",
        "the User-Agent the collector sends; unset, 'wirewatch/VERSION (self-hosted news archive)'",
    ),
    Setting(
        "fetch_timeout",
        "WIREWATCH_FETCH_TIMEOUT",
        "30",
        "seconds the collector waits for a site to answer (a whole page may take four times as long)",
    ),
    Setting(
        "fetch_retries",
        "WIREWATCH_FETCH_RETRIES",
        "3",
        "how many times the collector tries a page again after a timeout, a dropped connection or a 5xx, with growing pauses",
    ),
    Setting(
        "max_page_mb",
        "WIREWATCH_MAX_PAGE_MB",
        "10",
        "the largest page the collector reads, in MiB: a bigger one is recorded as too large and skipped",
    ),
    Setting(
        "base_url",
        "WIREWATCH_BASE_URL",
        "",
        "the public address of the web reader (e.g. https://archive.example.org), used in permalinks, share links, citations and feeds; unset, the address a request came to",
    ),
    Setting(
        "smtp_url",
        "WIREWATCH_SMTP_URL",
        "",
        "the mail server the Daily Update and alerts are sent through: smtp://user:password@host:587?starttls=1, smtps://… for TLS from the start; unset, no mail is sent",
    ),
    Setting(
        "mail_from",
        "WIREWATCH_MAIL_FROM",
        "",
        "the From address of the mails, e.g. 'Wirewatch <digest@example.org>'; unset, wirewatch@ the base_url's host",
    ),
    Setting(
        "secret_key",
        "WIREWATCH_SECRET_KEY",
        "",
        "the key that signs the links in mails (confirm, preferences, unsubscribe); unset, one is generated and kept in the archive",
    ),
    Setting(
        "mail_rate", "WIREWATCH_MAIL_RATE", "10", "mails sent per second at most, over one connection (0: no limit)"
    ),
    Setting(
        "mail_retries",
        "WIREWATCH_MAIL_RETRIES",
        "3",
        "how many times a mail is tried again after a temporary (4xx) answer or a dropped connection, with growing pauses",
    ),
    Setting(
        "suspend_after",
        "WIREWATCH_SUSPEND_AFTER",
        "3",
        "consecutive permanent (5xx) failures after which an address is suspended (0: never)",
    ),
    Setting(
        "compare_window",
        "WIREWATCH_COMPARE_WINDOW",
        "14",
        "days before and after an article within which it is compared with others for reprints, translations and formulas (0: no comparison)",
    ),
    Setting(
        "search_engine",
        "WIREWATCH_SEARCH_ENGINE",
        "tantivy",
        "what answers searches: tantivy (an index derived from the archive, fast at a million articles) or sql (the database's own full-text tables); after a switch, run 'wirewatch reindex'",
    ),
    Setting(
        "search_index",
        "WIREWATCH_SEARCH_INDEX",
        "",
        "the directory of the tantivy index; unset, ARCHIVE.search beside an SQLite archive, or under $XDG_CACHE_HOME/wirewatch/search for PostgreSQL (each web node keeps its own)",
    ),
    Setting(
        "webhook_allow_private",
        "WIREWATCH_WEBHOOK_ALLOW_PRIVATE",
        "0",
        "1 lets alert webhooks go to private, loopback and link-local addresses (a receiver on this machine or the LAN); unset, they are refused",
    ),
)


def parse_date_order(value: str, what: str) -> DateOrder:
    order = value.strip().upper()
    if order not in DATE_ORDERS:
        raise ConfigError(f"{what}: {value!r} is not a date order (use DMY, MDY or YMD)")
    return order


def parse_source_orders(value: str) -> dict[str, DateOrder]:
    """``'Yonhap=YMD,NK News=MDY'`` as a mapping keyed by case-folded source name."""
    orders: dict[str, DateOrder] = {}
    for item in filter(None, (part.strip() for part in value.split(","))):
        name, sep, order = item.rpartition("=")
        if not sep or not name.strip():
            raise ConfigError(f"source date order {item!r}: expected NAME=ORDER, e.g. 'Yonhap=YMD'")
        orders[name.strip().casefold()] = parse_date_order(order, f"source date order for {name.strip()!r}")
    return orders


def parse_engine(value: str) -> SearchEngine:
    engine = value.strip().lower()
    if engine not in SEARCH_ENGINES:
        raise ConfigError(f"WIREWATCH_SEARCH_ENGINE={value!r}: expected tantivy or sql")
    return engine


def cache_home(env: Mapping[str, str] | None = None) -> Path:
    """The user's cache directory (XDG): where derived data of a server archive lives."""
    env = os.environ if env is None else env
    return Path(env.get("XDG_CACHE_HOME") or Path.home() / ".cache")


def parse_switch(value: str, name: str) -> bool:
    """A yes/no environment variable: 1, true, yes, on; 0, false, no, off or ''."""
    word = value.strip().lower()
    if word in ("1", "true", "yes", "on"):
        return True
    if word in ("", "0", "false", "no", "off"):
        return False
    raise ConfigError(f"{name} {value!r}: expected 1 (on) or 0 (off)")


def _positive(value: str, name: str, *, whole: bool = False, zero: bool = False) -> float:
    """A number from an environment variable, checked: positive (or zero), whole if asked."""
    try:
        number = int(value) if whole else float(value)
    except ValueError:
        kind = "a whole number" if whole else "a number"
        raise ConfigError(f"{name} {value!r}: expected {kind}") from None
    if number < 0 or (number == 0 and not zero) or number != number:
        raise ConfigError(f"{name} {value!r}: expected a number {'of 0 or more' if zero else 'above 0'}")
    return number


def parse_base_url(value: str) -> str:
    """An http(s) address without a trailing slash, or '' for none."""
    value = value.strip().rstrip("/")
    if not value:
        return ""
    from urllib.parse import urlsplit

    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise ConfigError(
            f"WIREWATCH_BASE_URL {value!r}: expected an http(s) address such as https://archive.example.org"
        )
    return value


@dataclass(frozen=True, slots=True)
class SmtpServer:
    """Where mail goes: parsed from ``WIREWATCH_SMTP_URL``."""

    host: str
    port: int
    #: "tls": TLS from the first byte (smtps://); "starttls": upgraded after EHLO; "none"
    security: str = "none"
    username: str | None = field(default=None, repr=False)
    password: str | None = field(default=None, repr=False)


def parse_smtp_url(value: str) -> SmtpServer | None:
    """``smtp://user:pass@host:port?starttls=1`` or ``smtps://…``; None for ''."""
    from urllib.parse import parse_qs, unquote, urlsplit

    value = value.strip()
    if not value:
        return None
    shown = value
    try:
        parts = urlsplit(value)
        port = parts.port
        if parts.password:
            shown = value.replace(":" + parts.password + "@", ":***@", 1)
    except ValueError as exc:
        raise ConfigError(f"WIREWATCH_SMTP_URL {value!r}: {exc}") from None
    if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
        raise ConfigError(
            f"WIREWATCH_SMTP_URL {shown!r}: expected smtp://[user:password@]host[:port][?starttls=1] or smtps://…"
        )
    query = parse_qs(parts.query)
    unknown = set(query) - {"starttls"}
    if unknown:
        raise ConfigError(f"WIREWATCH_SMTP_URL {shown!r}: unknown parameter {sorted(unknown)[0]!r} (only starttls=1)")
    starttls = query.get("starttls", ["0"])[-1].lower() in ("1", "true", "yes", "on")
    security = "tls" if parts.scheme == "smtps" else "starttls" if starttls else "none"
    return SmtpServer(
        host=parts.hostname,
        port=port or (465 if security == "tls" else 587 if starttls else 25),
        security=security,
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password else None,
    )


def parse_mail_from(value: str) -> str:
    """A From header value ('Name <a@b.org>' or 'a@b.org'), checked; '' for unset."""
    from email.utils import parseaddr

    value = value.strip()
    if not value:
        return ""
    _name, address = parseaddr(value)
    if "@" not in address or " " in address:
        raise ConfigError(f"WIREWATCH_MAIL_FROM {value!r}: expected an address, e.g. 'Wirewatch <digest@example.org>'")
    return value


@dataclass(frozen=True, slots=True)
class Settings:
    db: str = "wirewatch.db"
    date_order: DateOrder = "DMY"
    source_date_orders: Mapping[str, DateOrder] = field(default_factory=dict)
    boilerplate: tuple[Path, ...] = ()
    base_url: str = ""
    sources: Path = Path("wirewatch-sources.toml")
    user_agent: str = ""
    fetch_timeout: float = 30.0
    fetch_retries: int = 3
    max_page_mb: float = 10.0
    #: The Daily Update and alerts: the mail server (None: no mail), the sender, the
    #: key that signs mail links ('' : generated and kept in the archive), the pace.
    smtp: SmtpServer | None = None
    mail_from: str = ""
    secret_key: str = field(default="", repr=False)
    mail_rate: float = 10.0
    mail_retries: int = 3
    suspend_after: int = 3
    #: Whether alert webhooks may go to private addresses (WIREWATCH_WEBHOOK_ALLOW_PRIVATE).
    webhook_allow_private: bool = False
    #: Days either side of an article within which the comparison of texts looks (0: off).
    compare_window: int = 14
    #: The search engine and the tantivy index's directory (None: the default place).
    search_engine: SearchEngine = "tantivy"
    search_index: Path | None = None
    debug: bool = False

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: object) -> Settings:
        """Settings from the environment, with explicit values (CLI options) taking precedence."""
        env = os.environ if env is None else env
        values: dict[str, str] = {s.name: env.get(s.env, s.default or "") for s in SETTINGS}
        built = cls(
            db=values["db"] or "wirewatch.db",
            date_order=parse_date_order(values["date_order"] or "DMY", "WIREWATCH_DATE_ORDER"),
            source_date_orders=parse_source_orders(values["source_date_orders"]),
            boilerplate=tuple(Path(p) for p in values["boilerplate"].split(os.pathsep) if p),
            base_url=parse_base_url(values["base_url"]),
            sources=Path(values["sources"] or "wirewatch-sources.toml"),
            user_agent=values["user_agent"].strip(),
            fetch_timeout=_positive(values["fetch_timeout"] or "30", "WIREWATCH_FETCH_TIMEOUT"),
            fetch_retries=int(
                _positive(values["fetch_retries"] or "3", "WIREWATCH_FETCH_RETRIES", whole=True, zero=True)
            ),
            max_page_mb=_positive(values["max_page_mb"] or "10", "WIREWATCH_MAX_PAGE_MB"),
            smtp=parse_smtp_url(values["smtp_url"]),
            mail_from=parse_mail_from(values["mail_from"]),
            secret_key=values["secret_key"].strip(),
            mail_rate=_positive(values["mail_rate"] or "10", "WIREWATCH_MAIL_RATE", zero=True),
            mail_retries=int(_positive(values["mail_retries"] or "3", "WIREWATCH_MAIL_RETRIES", whole=True, zero=True)),
            suspend_after=int(
                _positive(values["suspend_after"] or "3", "WIREWATCH_SUSPEND_AFTER", whole=True, zero=True)
            ),
            compare_window=int(
                _positive(values["compare_window"] or "14", "WIREWATCH_COMPARE_WINDOW", whole=True, zero=True)
            ),
            webhook_allow_private=parse_switch(values["webhook_allow_private"], "WIREWATCH_WEBHOOK_ALLOW_PRIVATE"),
            search_engine=parse_engine(values["search_engine"] or "tantivy"),
            search_index=Path(values["search_index"]).expanduser() if values["search_index"].strip() else None,
        )
        return _replace(built, overrides)


def _replace(settings: Settings, overrides: Mapping[str, object]) -> Settings:
    from dataclasses import replace

    changes: dict[str, Any] = {k: v for k, v in overrides.items() if v is not None}
    return replace(settings, **changes)
