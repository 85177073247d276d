"""Whose voice a story is told in, and what its headline only relays.

KCNA tells most stories in its own voice, the DPRK's (GUIDE E4), but many relay another's:
the lead reports who speaks ("The Iranian permanent representative … denounced …", "The
People for Achieving Peace and Reunification … held a press conference"), or the headline
names the speaker after a colon ("…: Rodong Sinmun"). The story's speaker is the voice of
the sentences that name no speaker of their own; a headline that names no critic
("U.S. Drone Violation of Iran's Airspace Flayed") tells what the critic of its lead did.
"""

from __future__ import annotations

import re

from wirewatch.analysis.plain import dual
from wirewatch.analysis.sides import Sentence, home_side, side, side_key
from wirewatch.analysis.voices import speech_subject
from wirewatch.models import Event, Mention, Side

__all__ = ["relayed_critics", "story_speaker", "story_venue", "unplaced"]

_SPEECH_CUE = dual(
    r"\b(?:said|says|told|noted|stressed|stated|declared|statement|speech|article|commentary|bulletin|"
    r"write-ups?|interview(?:ed)?|editorial|report(?:ed|s)?|press\s+(?:conference|release))\b",
    re.IGNORECASE,
)
#: Words of a headline for home's own voices, which the data need not hold ("Foreign Ministry
#: Spokesman Denounces …", "CPRF Officials Indignant at …"): ``relayed_critics``.
_HOME_VOICE = re.compile(r"\b(?:Spokes(?:man|woman|person)|FM|CPRK|CPRF|NRC|KCNA|Memorandum|Commentary|Editorial)\b")


def relayed_critics(events: list[Event], opening: list[Sentence], home: str) -> list[Event]:
    """A headline's denunciation that names no critic ("Israel Accused of Airstrikes on Gaza
    Strip", "U.S. Drone Violation of Iran's Territorial Airspace Flayed") tells what the
    critics its lead names did: when the story's first sentence after the headline has a
    foreign side denounce the same target, and no sentence has home do so, the headline
    gives home no denunciation of its own (KCNA relays the others'). A headline that names
    home's side or one of its speakers ("KCNA Assails …", "Foreign Ministry Spokesman
    Denounces …") keeps its reading."""
    if len(opening) < 2:
        return events
    title, lead = opening
    key = side_key(home)
    if _HOME_VOICE.search(title.text) or any(
        m.country is not None and side_key(m.country) == key for m in title.mentions
    ):
        return events
    relayed: set[str | None] = set()
    by_home: set[str | None] = set()
    for e in events:
        if e.type != "denounce" or e.sentence == title.text or e.actor.country is None:
            continue
        if side_key(e.actor.country) == key:
            by_home.add(side_key(e.target.country))
        elif e.sentence == lead.text:
            relayed.add(side_key(e.target.country))
    relayed -= by_home
    if not relayed:
        return events
    return [
        e
        for e in events
        if not (
            e.type == "denounce"
            and e.sentence == title.text
            and side_key(e.actor.country) == key
            and side_key(e.target.country) in relayed
        )
    ]


# A lead whose subject is criticised or praised "by" someone: "… came under fire by a bylined
# commentary of Minju Joson", "… was denounced by the Nepali paper …".
_BY_CRITIC = re.compile(
    r"\b(?:(?:came|comes|come)\s+under\s+fire|(?:was|were|is|are|has\s+been|have\s+been)\s+(?:\w+ly\s+)?"
    r"(?:denounced|condemned|slammed|blasted|censured|assailed|accused|criticized|criticised|flayed|lambasted|"
    r"rebuked|ridiculed|refuted|lauded|praised|hailed|extolled))\b[^.;]{0,60}?\bby\s+"
)
#: How far after "by" the critic is named ("by a bylined commentary of Minju Joson").
_BY_REACH = 50


def _critic_by(sentence: Sentence) -> Mention | None:
    """The one the lead says criticises or praises its subject ("by …"), if it names them."""
    if " by " not in sentence.text:
        return None
    lead = _BY_CRITIC.search(sentence.text)
    if lead is None:
        return None
    return next((m for m in sentence.mentions if lead.end() <= m.start <= lead.end() + _BY_REACH), None)


def _headline_voice(title: Sentence, home: str) -> Side:
    named = _colon_voice(title)
    return side(named[0]) if named else home_side(home)


def _colon_voice(title: Sentence) -> tuple[Mention, bool] | None:
    """What a headline's colon sets apart as the speaker, on the colon's shorter side
    ("…: Rodong Sinmun", "Larijani: …"), if it names something: its first mention, and
    whether it comes after the colon."""
    colon = title.text.rfind(":")
    if colon < 0:
        return None
    after = len(title.text) - colon <= colon  # "…: KCNA Commentary", else "Larijani: …"
    named = [m for m in title.mentions if (m.start > colon if after else m.end <= colon)]
    return (named[0], after) if named else None


def story_speaker(sentences: list[Sentence], home: str) -> Side:
    """Whose voice the story is in: the subject of its first body sentence when that
    sentence reports someone speaking or writing, else home (E4, KCNA's own voice). A headline
    alone speaks in the voice its colon sets apart, on the colon's shorter side ("Japan Accused
    of …: KCNA Commentary", "Larijani: U.S. Accused of …"), else in home's: its subject is what
    it reports, not who says it."""
    body = sentences[1:]
    if not body:
        return _headline_voice(sentences[0], home) if sentences else home_side(home)
    named = _colon_voice(sentences[0])
    if named is not None and (named[1] or named[0].type != "country"):
        # "U.S. Design … under Fire: Rodong Sinmun", "Larijani: …", whatever the lead
        # reports; a country before the colon is the story's place ("S. Korea: …")
        return side(named[0])
    for sentence in body[:1]:
        critic = _critic_by(sentence)
        if critic is not None:
            return side(critic)  # "The Lee group came under fire by a commentary of Minju Joson"
        if sentence.mentions and _SPEECH_CUE.on(sentence.text).search(sentence.text):
            inverted = speech_subject(sentence.text, sentence.mentions)
            if inverted is not None and inverted is not sentence.mentions[0]:
                return side(inverted)  # "…, says Rodong Sinmun Thursday in a bylined article"
            first = sentence.mentions[0]
            if first.type != "country" or first.start < 40:
                return side(first)
    return home_side(home)


_AT_HOME = re.compile(r"\b(?:here|Pyongyang)\b")
_IN_PLACE = re.compile(r"\bin\s+(?:the\s+)?$")
_AGAINST = re.compile(
    r"\b(?:against|denounc\w*|condemn\w*|slam\w*|accus\w*|protest\w*|oppos\w*|assail\w*)\b", re.IGNORECASE
)


def story_venue(sentences: list[Sentence], home: str) -> Side | None:
    """The foreign side a story's gatherings are held by: the place its headline or lead
    holds them "in" ("A seminar was held in Nepal …"), else the first foreign side they name
    that is not what the gathering is against ("The Ostfold Group for the Study of the Juche
    Idea of Norway was formed with due ceremony …", not "A meeting denouncing the U.S. …"),
    when the lead does not place what it reports at home; None for a story of home."""
    key = side_key(home)
    opening = sentences[:2]
    if not opening or _AT_HOME.search(opening[-1].text):
        return None
    for sentence in opening:
        for mention in sentence.mentions:
            if (
                mention.country is not None
                and side_key(mention.country) != key
                and _IN_PLACE.search(sentence.text, max(0, mention.start - 8), mention.start)
            ):
                return side(mention)
    for sentence in opening:
        for mention in sentence.mentions:
            if (
                mention.country is not None
                and side_key(mention.country) != key
                and not _AGAINST.search(sentence.text, max(0, mention.start - 40), mention.start)
            ):
                return side(mention)
    return None


def unplaced(speaker: Mention) -> bool:
    """Whether no text ties ``speaker`` to a side ("Ko Chang Do, chairman of the Tongrim County
    People's Committee, said", a local body being no mention; "the KCST spokesman"): a voice
    of no side, which the voice before goes on past. A body or person the data hold without
    a country, or a person the text ties to an international body (P6: "Julien Huck,
    secretary general of the International Union of …"), speaks for an international side
    (E3)."""
    return speaker.country is None and not speaker.known
