"""Where an alert's webhook may go, and how it is reached.

- ``webhook_problem`` / ``check_webhook_url``: an http(s) address with a host, without
  spaces or control characters, at most ``MAX_WEBHOOK_URL`` long, and (unless the operator
  opts in with ``WIREWATCH_WEBHOOK_ALLOW_PRIVATE``) not a private, loopback or link-local
  address: checked when the alert is added and again before each post;
- ``webhook_client``: an httpx client over the collector's guarded transport
  (``wirewatch.collect.fetch.guarded_transport``), which checks the addresses again as the
  connection opens, so DNS rebinding cannot slip a private one in between;
- ``read_reply``: a reply read only up to a bound (its status is all that counts).
"""

from __future__ import annotations

import unicodedata
from urllib.parse import urlsplit

import httpx

from wirewatch.collect.fetch import check_address, guarded_transport
from wirewatch.errors import ConfigError, FetchRefused, NetworkError

#: The longest webhook address ``alerts add`` takes.
MAX_WEBHOOK_URL = 2048


def webhook_problem(url: str, *, allow_private: bool) -> str | None:
    """What is wrong with a webhook address, or None: it must be http(s) with a host, at
    most ``MAX_WEBHOOK_URL`` characters, without spaces or control characters (a CR LF
    would end the request line), and, unless ``allow_private``, not name a private,
    loopback or link-local address. A host that does not resolve now is no problem: the
    guarded transport checks the addresses again as it connects. Surrounding spaces are
    not counted (``check_webhook_url`` drops them)."""
    value = url.strip()
    if len(value) > MAX_WEBHOOK_URL:
        return f"the address is {len(value):,} characters long, over {MAX_WEBHOOK_URL:,}"
    for position, char in enumerate(value, 1):
        if char.isspace() or unicodedata.category(char) in ("Cc", "Cf", "Cs"):
            return (
                f"{char!r} at position {position}: an address holds no spaces or control characters (%20 for a space)"
            )
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 -- reading the port raises ValueError for one out of range
        httpx.URL(value)  # what will send it, which refuses more
    except (ValueError, httpx.InvalidURL) as exc:
        return f"not a usable address ({exc})"
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return "expected an http:// or https:// address such as https://example.org/hook"
    if allow_private:
        return None
    try:
        check_address(value)
    except FetchRefused as exc:
        reason = str(exc).removeprefix(f"{exc.url}: ")
        return (
            f"{reason}: webhooks go to public addresses only "
            "(WIREWATCH_WEBHOOK_ALLOW_PRIVATE=1 allows a receiver on this machine or network)"
        )
    except NetworkError:
        pass
    return None


def check_webhook_url(url: str, *, allow_private: bool = False) -> str:
    """The address without surrounding spaces; raises ConfigError naming it and its
    problem (``webhook_problem``)."""
    problem = webhook_problem(url, allow_private=allow_private)
    if problem:
        shown = repr(url) if len(url) <= 100 else repr(url[:100]) + "…"
        raise ConfigError(f"--webhook {shown}: {problem}")
    return url.strip()


def webhook_client(allow_private: bool, timeout: float) -> httpx.Client:
    """The client that posts webhooks: through the collector's guarded transport, no
    redirects followed, no proxy from the environment (the guard must see where it connects)."""
    return httpx.Client(
        transport=guarded_transport(allow_private=allow_private),
        timeout=timeout,
        follow_redirects=False,
        trust_env=False,
    )


def read_reply(answer: httpx.Response, limit: int) -> int:
    """Read a reply's bytes as they come, up to just past ``limit``; how many were read.
    The rest is left unread (the connection is then closed, not reused)."""
    read = 0
    for chunk in answer.iter_raw():
        read += len(chunk)
        if read > limit:
            break
    return read
