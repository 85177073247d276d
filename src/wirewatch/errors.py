"""The errors wirewatch raises, as one tree.

::

    WirewatchError                 anything wirewatch reports to a user
    ├── ConfigError                a bad setting or option value
    ├── StoreError                 the archive cannot be opened, upgraded or written
    ├── QueryError                 a search query that cannot be parsed
    └── RecordError                one input record that cannot become an article
        ├── UndecodableRecord      bytes that no plausible charset decodes
        ├── EmptyRecord            no text to keep
        └── NotAnArticle           binary junk, an unknown format, a broken container

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


class QueryError(WirewatchError):
    """A search query is malformed. ``position`` is the 0-based offset of the problem."""

    def __init__(self, message: str, position: int | None = None) -> None:
        super().__init__(message)
        self.position = position


class RecordError(WirewatchError):
    """One input record cannot become an article; the rest of the batch goes on."""


class UndecodableRecord(RecordError):
    """The bytes decode in none of the declared or likely charsets."""


class EmptyRecord(RecordError):
    """The record has no text worth keeping."""


class NotAnArticle(RecordError):
    """The input is not an article: binary data, a broken container, an unknown format."""
