"""The options every reader takes, as one value built once by the caller, and what the readers share during one read."""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from functools import cached_property

from wirewatch.clean.boilerplate import BoilerplateRules
from wirewatch.errors import ConfigError

MIB = 1024 * 1024


@dataclass(frozen=True, slots=True)
class ReadOptions:
    """How inputs are read.

    ``max_record_bytes``: a record (JSON line, CSV row, page or HTML file) larger than
    this is rejected without being held in memory; the CSV field size limit is raised
    to it. ``fallback_encodings`` are tried, in order, after UTF-8 by the formats that
    cannot declare a charset: JSON Lines, CSV, text and saved pages (cp949 is a superset
    of EUC-KR). HTML files and WARC captures are decoded as fetched pages are, by
    ``wirewatch.ingest.decode.decode_body``. ``boilerplate`` strips aggregator
    chrome from saved pages; None loads the packaged rules once per ``read_inputs`` call.
    """

    max_record_bytes: int = 8 * MIB
    fallback_encodings: tuple[str, ...] = ("cp949",)
    boilerplate: BoilerplateRules | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.max_record_bytes, int) or self.max_record_bytes < 1:
            raise ConfigError(f"max_record_bytes must be a positive number of bytes, not {self.max_record_bytes!r}")
        for name in self.fallback_encodings:
            try:
                codecs.lookup(name)
            except LookupError:
                raise ConfigError(f"fallback encoding {name!r} is not an encoding Python knows") from None


class ReadContext:
    """What the readers share during one ``read_inputs`` call."""

    def __init__(self, options: ReadOptions) -> None:
        self.options = options

    @cached_property
    def boilerplate(self) -> BoilerplateRules:
        """The options' rules, or the packaged ones, loaded when first needed."""
        return self.options.boilerplate if self.options.boilerplate is not None else BoilerplateRules.load()
