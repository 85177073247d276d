"""Time and place: now in UTC, stored datetimes made aware, and this process's name."""

from __future__ import annotations

import datetime as dt
import os
import socket

__all__ = ["aware", "now_utc", "worker_name"]


def now_utc() -> dt.datetime:
    """The current time in UTC: what every stored timestamp is written in."""
    return dt.datetime.now(dt.UTC)


def aware(value: dt.datetime) -> dt.datetime:
    """A stored datetime with its zone: SQLite gives them back naive; everything stored is UTC."""
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def worker_name() -> str:
    """This process, as named on the claims it holds (crawl jobs, mails): host and process id."""
    return f"{socket.gethostname()}:{os.getpid()}"
