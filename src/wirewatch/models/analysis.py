"""What the analysis finds in a text (mentions, entity counts, events and their sides), and an article ready to store with it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from wirewatch.models.articles import Article, DatePrecision, RawRecord

EntityType = Literal["person", "country", "organization"]


@dataclass(frozen=True, slots=True)
class Mention:
    """An entity found in a text: where, as what, and how it was recognised.

    Offsets are into the analysed text (the title, a blank line, then the body). ``id``
    is ISO 3166-1 alpha-3 for a country (``SUN`` for the Soviet Union), else the slug of
    the actor data. ``country`` is the country itself, a person's (by the office held on
    the article's date, else their nationality), an organisation's; None for an
    international body. ``by_title``: a person named only by a title ("the Supreme
    Leader", "the Russian President") and resolved to its holder on the date.
    """

    type: EntityType
    id: str
    name: str
    country: str | None
    start: int
    end: int
    by_title: bool = False
    #: The office a title names ("supreme-leader", "president-rus"), when one did.
    role: str | None = None
    #: False for a name the actor data do not hold, found by its shape: without a country,
    #: its side is unknown, not an international body's.
    known: bool = True


@dataclass(frozen=True, slots=True)
class EntityCount:
    """An entity of an article: who or what, and how many times it is mentioned.
    ``by_title``: at least one mention named it only by a title."""

    type: EntityType
    id: str
    name: str
    country: str | None
    count: int
    by_title: bool = False


@dataclass(frozen=True, slots=True)
class Side:
    """One side of an event: who acted or was acted on, and for which country."""

    name: str | None
    country: str | None
    id: str | None = None


@dataclass(frozen=True, slots=True)
class Event:
    """Something that passed between two countries, as an article reports it."""

    #: visit, meeting, message, anniversary, agreement, praise, denounce, threaten
    type: str
    cameo: str
    plover: str
    actor: Side
    target: Side
    date: dt.date | None
    date_precision: DatePrecision | None
    #: The date came from the text ("on Sunday", "in May"), not the article's date.
    date_from_text: bool
    sentence: str


@dataclass(frozen=True, slots=True)
class Incoming:
    """An article ready to store, with the record it came from and its identity, and
    its analysis when it was analysed (stored with it)."""

    article: Article
    raw: RawRecord
    record_key: str
    entities: tuple[EntityCount, ...] | None = None
    events: tuple[Event, ...] | None = None
