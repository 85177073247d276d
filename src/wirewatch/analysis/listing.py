"""Events whose actors one sentence leaves unnamed and the next lists (``analysis.events``).

"Personages of different countries came here today. They included X, Y …", "Kim Jong Un
received congratulatory messages from personages of various countries. They included …",
"Events took place in different countries on the occasion of the anniversary of … They
included a meeting in Russia, a film show in Mongolia …": the first sentence leaves an
:class:`Unnamed` event, and a sentence that lists them (``lists``) gives one event per
foreign country it names.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import NamedTuple

from wirewatch.analysis.sides import Sentence, side_key
from wirewatch.analysis.stamps import Stamp, stamps_of, undated
from wirewatch.analysis.timex import find_dates
from wirewatch.analysis.triggers import EventType
from wirewatch.models import Side

__all__ = ["LISTED_TYPES", "Unnamed", "lists", "open_ended", "unassigned", "unnamed_arrivals"]

# A visit by travellers the sentence does not name, whose list the next sentence gives.
ARRIVALS = re.compile(
    r"\b(?:came|arrived|arrive|arriving|come)\s+here\b|\b(?:other|more|further)\s+arrivals\b"
    # and the guests' departures ("Foreign guests left for home Wednesday … They included …")
    r"|\b(?:left|leave|leaving)\s+(?:here|for\s+home)\b|\b(?:went|flew|headed)\s+back\s+home\b",
    re.IGNORECASE,
)
LIST_START = re.compile(
    r"[\s,]*(?:(?:They|These|Those)\s+(?:also\s+)?(?:included|include|were|are|came\s+from)\b"
    r"|(?:Also\s+)?[Aa]mong\s+(?:them|those|the\s+(?:senders|participants)(?:\s+of\s+[\w\s]{1,40}?)?)\s+(?:also\s+)?(?:were|are)\b"
    # "The senders include …", "The messages and letters were from …", "Also sending
    # messages … were …"
    r"|(?:The|These|Those)\s+(?:senders|messages|letters|greetings|congratulations|cards|gifts|floral\s+baskets)"
    r"(?:\s+and\s+(?:[\w-]+\s+)?(?:letters|messages|greetings|cards))?\s+(?:include|included|(?:were|are|came)\s+(?:also\s+)?from)\b"
    r"|Also\s+sending\b"
    # a list broken off mid-word by a paragraph break ("… chairman o" / "f the Hungarian …")
    r"|[a-z])"
)
#: a sentence that lists where the events marking an anniversary were held, after one that
#: said it was marked without naming who marked it ("Lectures were given in Peru and France
#: and seminars held in Norway …", "DPRK book and photo exhibitions were held in Bulgaria …")
HELD_IN = re.compile(
    r"[\s,]*(?:[\w,-]+\s+){0,12}?(?:meetings?|lectures?|seminars?|symposiums?|exhibitions?|shows?|sessions?|rallies|"
    r"rally|receptions?|performances?|concerts?|talks|events|ceremonies|ceremony|festivals?)\s+"
    r"(?:(?:was|were)\s+(?:also\s+)?(?:held|given|organized|organised|staged|arranged|opened|conducted|hosted)|took\s+place)"
    r"\s+in\b",
    re.IGNORECASE,
)
#: the types of an event to home whose senders a following sentence may list (an
#: anniversary's markers, "They included a meeting in Russia, a film show in Mongolia …",
#: are read on their own: ``events._Reading._unnamed_senders``)
LISTED_TYPES = frozenset(("message", "praise"))


class Unnamed(NamedTuple):
    """An event whose actors the sentence leaves unnamed ("… came here today", "… received
    congratulatory messages from personages of various countries", "… was carried by foreign
    papers"): the sentences after it that list them (``LIST_START``) give one event each."""

    type: EventType
    target: Side
    stamps: list[Stamp]
    #: the home occasion the same sentence says the events marked ("Events took place in
    #: various countries to congratulate Kim Jong Un … and observe the 15th anniversary of
    #: …"): each listed actor marks it too (GUIDE E11)
    occasion: EventType | None = None
    #: home sent them, and the list names their recipients ("Kim Jong Un sent messages to
    #: heads of state of different countries … They were the Russian president, …"):
    #: ``target`` is then home, the sender
    outgoing: bool = False


def unassigned(stamps: list[Stamp], pairs: list[tuple[Side, Side]]) -> list[Stamp]:
    """The stamps of a trigger with several actors and several days of one month ("Lectures
    took place in X, Y and Z on July 21 and 23"): which day is whose is not said, so each
    actor's is the month (D7); else ``stamps``."""
    if len(stamps) < 2 or len({side_key(a.country) for a, _ in pairs}) < 2:
        return stamps
    first = stamps[0].date
    if first is None or any(
        s.precision != "day" or s.date is None or s.date.replace(day=1) != first.replace(day=1) for s in stamps
    ):
        return stamps
    return [Stamp(first.replace(day=1), "month", True)]


def unnamed_arrivals(sentence: Sentence, on: dt.date | None) -> list[Stamp] | None:
    """The date stamps of "… came here today" or "… left for home" when no traveller is
    named before it (the next sentence may list them, ``LIST_START``), else None."""
    # every match holds "here" or "home": the substring test spares most sentences the regex
    lowered = sentence.text.lower()
    if on is None or ("here" not in lowered and "home" not in lowered):
        return None
    arrival = ARRIVALS.search(sentence.text)
    if arrival is None or any(m.start < arrival.start() for m in sentence.mentions):
        return None
    dates = find_dates(sentence.text, on)
    return stamps_of(dates[:1]) if dates else [undated(on)]


def lists(unnamed: Unnamed, text: str, open_before: bool = False) -> bool:
    """Whether a sentence lists the actors of ``unnamed`` ("They included …"), or for an
    anniversary the places where it was marked ("Lectures were given in Peru …"); with
    ``open_before`` (the list before it stopped without a full stop, cut by a paragraph
    break: "… director-general of the" / "European Society for …"), any sentence goes on
    with it."""
    marked = unnamed.type.name == "anniversary" or unnamed.occasion is not None
    return open_before or LIST_START.match(text) is not None or (marked and HELD_IN.match(text) is not None)


def open_ended(text: str) -> bool:
    """Whether a sentence stops without a mark that ends one (a list cut by a paragraph break)."""
    return text.rstrip()[-1:] not in ".!?\"'”’)"
