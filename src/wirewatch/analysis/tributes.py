"""Flowers laid in the DPRK as a visit (GUIDE E8, E10): the foreign side that lays a wreath, a
floral basket or bouquets before a monument here is here, so the tribute tells a visit
besides the message. Not the diplomats stationed here, whose visits are none.

Pure functions over a sentence's text, the trigger's match and the story's events.
"""

from __future__ import annotations

import re

from wirewatch.analysis.sides import side_key
from wirewatch.models import Event

__all__ = ["flowers", "laid_here", "one_visit_each"]

_FLOWERS = re.compile(r"\b(?:wreaths?|floral\s+baskets?|bouquets?|flowers)\b", re.IGNORECASE)
_HOME_SITE = re.compile(
    r"\b(?:Mansu\s+Hill|Mangyongdae|Kumsusan|Friendship\s+Tower|Revolutionary\s+Martyrs\W+Cemetery|"
    r"Mt\.?\s+Taesong|Taesongsan|Pyongyang|here)\b"
)
# flowers the visitors lay themselves, not those sent in their names ("Wreaths also came from …")
_LAID = re.compile(r"\b(?:laid|lay|lays|laying|placed|places|placing)\b", re.IGNORECASE)
# flowers sent to a site of home are brought by others: the sender is not here
_SENT = re.compile(r"\b(?:sent|sends|sending|conveyed|conveys|forwarded|dispatched)\b", re.IGNORECASE)
_STATIONED = re.compile(
    r"\b(?:embass(?:y|ies)|ambassadors?|attach[eé]s?|diplomatic|diplomats?|charg[eé]\s+d['’]affaires|"
    r"consul\w*|missions?|stationed|resident)\b",
    re.IGNORECASE,
)
# a former ambassador who comes back is a guest, no longer stationed here ("Ex-Chinese
# Ambassador to the DPRK Wan Yongxiang and his party laid a wreath before the Friendship Tower")
_FORMER_ENVOY = re.compile(r"\b(?:ex-|former\s+)(?:[A-Z][\w-]*\s+)?ambassadors?\b", re.IGNORECASE)


def flowers(matched: str) -> bool:
    """Whether the message ``matched`` is flowers (a wreath, a floral basket, bouquets)."""
    return _FLOWERS.search(matched) is not None


def names_home_site(text: str) -> bool:
    """Whether ``text`` names a site of home where guests lay flowers (Mansu Hill, "here" …)."""
    return _HOME_SITE.search(text) is not None


def laid_here(sentence: str, matched: str, opening: str) -> bool:
    """Whether the message ``matched`` in ``sentence`` is flowers laid at a site of home by
    visitors: the sentence names the site, or the story's ``opening`` (its headline and first
    sentence) does ("The number of visitors to the Revolutionary Martyrs Cemetery …", then "…
    laid bouquets before her bust") and the flowers are laid, not sent ("… sent a floral
    basket to the statues on Mansu Hill": its sender is not here)."""
    return (
        flowers(matched)
        and _SENT.search(matched) is None
        and (names_home_site(sentence) or (_LAID.search(matched) is not None and names_home_site(opening)))
        and _STATIONED.search(_FORMER_ENVOY.sub("", sentence)) is None
    )


def one_visit_each(events: list[Event], laid: list[Event]) -> list[Event]:
    """``events`` without the visits read from flowers laid here (``laid``) that another of
    the story's visits, or an earlier such one, already tells: "The delegation arrived here
    on Monday" and "They laid bouquets before the statues" are one visit (E6)."""
    inferred = {id(e) for e in laid}
    told = {
        (side_key(e.actor.country), side_key(e.target.country))
        for e in events
        if e.type == "visit" and id(e) not in inferred
    }
    kept = []
    for event in events:
        if id(event) in inferred:
            key = (side_key(event.actor.country), side_key(event.target.country))
            if key in told:
                continue
            told.add(key)
        kept.append(event)
    return kept
