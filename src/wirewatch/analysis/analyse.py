"""One article analysed: its entities and events, from its title and text and date.

The analysed text is the title, a blank line, then the body, with the words a paragraph
break cuts in two mended: offsets in mentions and the sentences of events refer to it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from wirewatch.models import Article, EntityCount, Event, Mention

if TYPE_CHECKING:
    from wirewatch.analysis.actors import Actors
    from wirewatch.analysis.learned import EventModel


@dataclass(frozen=True, slots=True)
class Analysis:
    """What analysis found in one article."""

    mentions: list[Mention]
    entities: list[EntityCount]
    events: list[Event]


# A paragraph break inside a word ("… chairman o" / "f the Hungarian …", "the P" /
# "hilippines"): pages saved in fixed-size chunks cut names and lists in two. A paragraph
# that goes on in lower case goes on the word before it.
# (The letter before is checked in ``_mend``: a look-behind at every character costs three
# times the search for the breaks.)
_CUT_WORD = re.compile(r"\n{2,}(?=[a-z])")


def _mend(match: re.Match[str]) -> str:
    before = match.string[match.start() - 1] if match.start() else ""
    return "" if before.isascii() and before.isalpha() else match.group()


def analysed_text(title: str, body: str) -> str:
    if "\n\n" in body:
        body = _CUT_WORD.sub(_mend, body)
    return f"{title}\n\n{body}" if body else title


def analyse(article: Article, actors: Actors, model: EventModel | None = None) -> Analysis:
    """The entities and events of ``article``, titles resolved on its date; the events the
    trigger rules', revised by ``model`` when one is given (``analysis.learned``: off by
    default, see docs/analysis.md, "A statistical layer")."""
    from wirewatch.analysis.entities import count_entities, find_mentions
    from wirewatch.analysis.events import find_events
    from wirewatch.analysis.places import Places

    text = analysed_text(article.title, article.body)
    on: dt.date | None = article.date
    mentions = find_mentions(text, actors, on)
    events = find_events(text, mentions, on, model=model, places=Places.of(actors))
    return Analysis(mentions, count_entities(mentions), events)
