"""The sides of an anniversary (GUIDE E11): whose it is, and who marks it — the ``anniversary``
reader of ``analysis.pairs``, and the owner ``analysis.events`` asks for when a match names
no marker (an occasion the tributes after it mark).

Pure functions over one sentence's text and mentions (offsets relative to the sentence).
"""

from __future__ import annotations

import re

from wirewatch.analysis.occurrence import Occurrence, Sides
from wirewatch.analysis.sides import side, side_key
from wirewatch.models import Mention, Side

__all__ = ["SOUTH_KOREA", "anniversary", "anniversary_owner"]

# A bilateral anniversary names its pair: "relations between X and Y", "the X-Y treaty".
_BILATERAL = re.compile(r"\bbetween\b|\b(?:relations|ties|treaty|agreement|declaration|friendship)\s", re.IGNORECASE)
# How far after "anniversary of" its owner is named; the Korean people's occasions ("Korea's
# liberation": no mention of home, GUIDE C3, but home's day).
_OWNER_REACH = 60
_KOREAN_OCCASION = re.compile(
    r"\s*(?:the\s+)?(?:[\w-]+\s+){0,3}?(?:Korean\s+(?:people|revolution|nation|army)|Fatherland\s+Liberation\s+War|"
    r"Songun|Juche|Day\s+of\s+the\s+(?:Sun|Shining\s+Star)|Korea['’]s\s+(?:national\s+)?liberation\b|"
    r"(?:national\s+)?liberation\s+of\s+Korea\b)",
)
# The inter-Korean declarations ("the 11th anniversary of the publication of the June 15
# North-South Joint Declaration"): an anniversary of both Koreas (GUIDE E11, one event per
# pair, E5), and the proposal for the Koreas' federation, home's own.
_INTER_KOREAN = re.compile(
    r"\s*(?:the\s+)?(?:(?:publication|adoption)\s+of\s+the\s+)?(?:historic\s+)?(?:June\s+15|October\s+4|July\s+4)"
    r"\s+(?:North-South\s+|inter-Korean\s+)?(?:joint\s+)?(?:declaration|statement)",
    re.IGNORECASE,
)
_FEDERATION_PROPOSAL = re.compile(
    r"\s*(?:the\s+)?proposal\s+for\s+(?:founding|the\s+founding\s+of)\s+the\s+"
    r"(?:DFRK|Democratic\s+Federal\s+Republic\s+of\s+Koryo)",
    re.IGNORECASE,
)
#: The other side of the inter-Korean declarations.
SOUTH_KOREA = Side(None, "KOR", "KOR")
_HIS_AFTER = re.compile(r"\s*(?:his|her)\b", re.IGNORECASE)
# "… a military parade celebrating the 100th ": the occasion of the event named just before.
_CELEBRATING = re.compile(r"\b(?:celebrat|mark|commemorat)\w*\s+(?:the\s+)?(?:[\w-]+\s+){0,2}$", re.IGNORECASE)
# Greetings for an occasion ("I extend warm greetings to you and, through you, to the Russian
# people on the occasion of the 67th anniversary of …"): a message, not its marking (E11).
_GREETING = re.compile(
    r"\b(?:extend|extends|extended|extending|express|expresses|expressed|send|sends|sent|convey|conveys|conveyed)"
    r"\s+(?:[\w-]+\s+){0,4}?(?:greetings|congratulations|felicitations)\b",
    re.IGNORECASE,
)
# A harm's anniversary ("the 67th anniversary of the explosion of 'Ukishima-maru' in which the
# Japanese imperialists buried at sea … Koreans", "of the outbreak of the Korean war"): no
# side's occasion, the doer's least of all.
_HARM = re.compile(
    r"\s*(?:of\s+)?(?:the\s+)?(?:[\w\"“”'-]+\s+){0,3}?(?:explosion|massacres?|outbreak|invasion|occupation|"
    r"atrocit(?:y|ies)|bombings?|incident|sinking|abduction|aggression|killings?)\b",
    re.IGNORECASE,
)
# Compatriots abroad ("the art troupe of Koreans in Japan"): the place is no marking side.
_COMPATRIOTS_IN = re.compile(r"\bKorean(?:s|\s+residents|\s+nationals)\s+in\s+(?:the\s+)?$")


def anniversary_owner(o: Occurrence) -> Side | None:
    """Whose anniversary an ``anniversary`` match names: the story's person for "the
    anniversary of his …", else the first side named after it, else home for an anniversary
    of the Korean people's or revolution's ("the 58th anniversary of the Korean people's
    victory in the Fatherland Liberation War": "the Korean people" is no country mention,
    GUIDE C3, but whose anniversary it is is plain)."""
    if o.about is not None and _HIS_AFTER.match(o.text, o.end):
        return o.about
    if o.text.startswith(("'s", "’s"), o.start):  # "Kim Jong Il's birthday": the name's
        named = _possessor(o)
        return side(named) if named is not None else None
    if _FEDERATION_PROPOSAL.match(o.text, o.end):
        return o.home
    if _HARM.match(o.text, o.end):
        return None
    found = o.following()
    if found and found[0].start - o.end <= _OWNER_REACH:
        return side(found[0])
    if _KOREAN_OCCASION.match(o.text, o.end):
        return o.home
    return side(found[0]) if found else None


def _possessor(o: Occurrence) -> Mention | None:
    """The name whose "'s" the match opens ("Kim Jong Il's birthday"), if any."""
    return next((m for m in o.sentence.mentions if m.start < o.start <= m.end), None)


def anniversary(o: Occurrence) -> Sides:
    """``anniversary``: the sides before the match mark the anniversary of the first one after
    it (of the story's person for "the anniversary of his …"); or the pair it names
    ("relations between X and Y")."""
    found = o.following()
    if _INTER_KOREAN.match(o.text, o.end):
        return _both_koreas(o)
    owner = anniversary_owner(o)  # "the 52nd anniversary of his start of the Songun leadership"
    if owner is None or _GREETING.search(o.text, 0, o.start):
        return [], []
    key = side_key(owner.country)
    # before the owner of "President Kim Il Sung's birthday", before the match otherwise
    possessor = _possessor(o)
    anchor = possessor.start if possessor is not None else o.start
    preceding = [m for m in o.sentence.mentions if m.end <= anchor]
    nearest = preceding[-1] if preceding else None
    if (
        nearest is not None
        and nearest.type != "country"
        and side_key(nearest.country) == key
        and _CELEBRATING.search(o.text, nearest.end, anchor)
    ):
        # the owner's own person or body is nearest: the occasion is its own ("carried a speech
        # made by Kim Jong Un at a military parade celebrating the anniversary of …")
        return [], []
    markers = _markers(o, {key})
    if markers:
        return markers, [owner]
    if found and _BILATERAL.search(o.text, o.end):
        # "the 70th anniversary of diplomatic relations between the DPRK and Russia"
        other = [m for m in found[1:] if side_key(m.country) != key]
        return ([owner], [side(other[0])]) if other else ([], [])
    # no marker named before, and no pair: "Greeting … the centenary of the birth of
    # President Kim Il Sung, I, on behalf of the Syrian people …" is the message's
    return [], []


def _both_koreas(o: Occurrence) -> Sides:
    """An inter-Korean declaration's anniversary, marked by the sides named before the match
    other than the two Koreas (their own marking is domestic or north-south, not foreign)."""
    owners = [o.home, SOUTH_KOREA]
    markers = _markers(o, {side_key(x.country) for x in owners})
    return (markers, owners) if markers else ([], [])


def _markers(o: Occurrence, owners: set[str | None]) -> list[Side]:
    """The sides named before the match that mark an anniversary of ``owners`` (by their side
    keys), one per side: not the owners themselves, nor compatriots abroad."""
    return list(
        {
            side_key(m.country): side(m)
            for m in o.sentence.mentions
            if m.end <= o.start
            and side_key(m.country) not in owners
            and not _COMPATRIOTS_IN.search(o.text, max(0, m.start - 40), m.start)
        }.values()
    )
