"""The errors wirewatch raises, as one tree.

::

    WirewatchError                 anything wirewatch reports to a user
    ├── ConfigError                a bad setting or option value
    │   └── InvalidPreferences     a subscriber's address or preference (``field`` names it)
    ├── StoreError                 the archive cannot be opened, upgraded or written
    ├── QueryError                 a search query that cannot be parsed
    │   └── SearchTimeout          a search stopped past its time budget (the web's)
    ├── TokenError                 a mailed link's token is forged, expired or revoked
    ├── MailError                  a mail could not be delivered (``code``, ``permanent``)
    │   └── MailServerError        the SMTP server cannot be reached or refuses the login
    ├── FetchError                 a page could not be fetched (``url``, ``outcome``)
    │   ├── FetchRefused           not fetched by policy: scheme, private address, robots.txt
    │   ├── FetchTimeout           no answer in time, after the retries
    │   ├── NetworkError           the connection failed, after the retries
    │   ├── TooManyRedirects       more redirects than allowed, or a loop
    │   ├── ResponseTooLarge       the body passed the size cap (reading stopped there)
    │   └── UnwantedContent        a content type the collector does not read
    └── RecordError                one input record that cannot become an article
        ├── UndecodableRecord      bytes that no plausible charset decodes
        ├── EmptyRecord            no text to keep
        └── NotAnArticle           binary junk, an unknown format, a broken container

An HTTP answer with an error status (404, 410, a 5xx after the retries) is not a
FetchError: the fetcher returns it, because a 404 is news (a deleted article).

Catch ``WirewatchError`` at the CLI or web boundary to show the message; catch
``RecordError`` in the import loop to reject one record and go on with the rest.
"""

from __future__ import annotations


class WirewatchError(Exception):
    """Base class: the message is written for the user."""


class ConfigError(WirewatchError):
    """A setting or option has a value that cannot be used."""


class StoreError(WirewatchError):
    """The archive cannot be opened, migrated or written."""


class InvalidPreferences(ConfigError):
    """A subscriber's address or preference cannot be used; ``field`` names it."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.reason = message


class TokenError(WirewatchError):
    """A signed link's token is not valid. ``reason``: invalid, expired or revoked."""

    def __init__(self, message: str, reason: str = "invalid") -> None:
        super().__init__(message)
        self.reason = reason


class MailError(WirewatchError):
    """A mail was not delivered: ``code`` is the SMTP reply code (None without one),
    ``permanent`` is true for a 5xx (the address or message is refused for good)."""

    def __init__(self, message: str, code: int | None = None, *, permanent: bool = False) -> None:
        super().__init__(message)
        self.code = code
        self.permanent = permanent


class MailServerError(MailError):
    """The SMTP server cannot be reached, or refuses the connection or the login."""


class QueryError(WirewatchError):
    """A search query is malformed. ``position`` is the 0-based offset of the problem."""

    def __init__(self, message: str, position: int | None = None) -> None:
        super().__init__(message)
        self.position = position


class SearchTimeout(QueryError):
    """A search ran past its time budget (``seconds``) and was stopped."""

    def __init__(self, seconds: float) -> None:
        super().__init__(
            f"the search took longer than {seconds:g} seconds and was stopped: narrow it "
            "(fewer words or prefix* terms, a source, a date range)"
        )
        self.seconds = seconds


class FetchError(WirewatchError):
    """A URL could not be fetched. ``outcome`` is the short word recorded for it."""

    outcome = "error"

    def __init__(self, url: str, message: str) -> None:
        super().__init__(f"{url}: {message}")
        self.url = url


class FetchRefused(FetchError):
    """Not fetched by policy: a non-HTTP scheme, a private address, robots.txt."""

    outcome = "refused"


class FetchTimeout(FetchError):
    outcome = "timeout"


class NetworkError(FetchError):
    outcome = "network"


class TooManyRedirects(FetchError):
    outcome = "redirects"


class ResponseTooLarge(FetchError):
    outcome = "too_large"


class UnwantedContent(FetchError):
    outcome = "content_type"


class RecordError(WirewatchError):
    """One input record cannot become an article; the rest of the batch goes on."""


class UndecodableRecord(RecordError):
    """The bytes decode in none of the declared or likely charsets."""


class EmptyRecord(RecordError):
    """The record has no text worth keeping."""


class NotAnArticle(RecordError):
    """The input is not an article: binary data, a broken container, an unknown format."""
