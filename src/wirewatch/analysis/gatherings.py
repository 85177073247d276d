"""International sides a story names without a name of their own: the diplomatic corps in
the capital, "diplomatic envoys of different countries", "representatives of international
organisations", "the participants in the 8th Pyongyang Autumn International Trade Fair".

They are no entities (nobody looks one up), but they act: "The military attaches corps here
laid a wreath …", "The participants adopted a letter of thanks to …". Their side is an
international one (GUIDE E3: a gathering of many countries, or diplomats of different
countries, give a null side), so the events they act in are read with them as sides, as an
international body's are.

Pure function over the analysed text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from wirewatch.analysis.sides import COORDINATED, tied_throughout
from wirewatch.models import Mention

__all__ = ["GATHERING_ID", "RESIDENTS_ID", "UNNAMED_IDS", "event_sides", "gatherings"]

#: The ids of such sides (no entity of the actor data has them): the diplomats and the
#: international organisations' staff stationed in a country, whose trips there are no visits
#: (GUIDE E8), and the people at an international gathering, who are its guests.
RESIDENTS_ID = "diplomatic-corps"
GATHERING_ID = "international-gathering"
UNNAMED_IDS = frozenset((RESIDENTS_ID, GATHERING_ID))

_GATHERING = re.compile(
    r"\b(?:the\s+)?(?:"
    # the corps of the capital's diplomats, and its parts
    r"(?P<residents>(?:diplomatic|military\s+attach[eé]s?'?|(?:economic\s+and\s+)?commercial\s+counsell?ors'?)\s+corps"
    # diplomats of many countries together
    r"|(?:foreign\s+)?(?:diplomatic\s+envoys|diplomats|ambassadors)\s+of\s+(?:different|various|many|other)\s+countries"
    r"|foreign\s+(?:diplomatic\s+envoys|diplomats)(?!\s+(?:of|from)\b)"
    r"|representatives\s+of\s+international\s+organi[sz]ations(?=[^.;]{0,80}?\b(?:here|in\s+Pyongyang)\b))"
    # the people at an international gathering, named by it, or who came to one
    r"|representatives\s+of\s+international\s+organi[sz]ations"
    r"|participants\s+(?:in|of|at)\s+the\s+(?:[\w'-]+\s+){0,6}?(?-i:International)\s+"
    r"(?:[\w'-]+\s+){0,3}?(?:symposium|seminar|conference|fair|festival|exhibition|games|tournament|"
    r"competition|contest|meeting|forum|congress|camp|marathon)"
    r")\b",
    re.IGNORECASE,
)

# Those a home event is held "for" are its guests, not its hosts ("a reception for the
# military attaches corps here on the occasion of …" is no marking of theirs).
_FOR = re.compile(r"\b(?:for|in\s+hono(?:u)?r\s+of)\s+$", re.IGNORECASE)


def gatherings(text: str, mentions: Sequence[Mention]) -> list[Mention]:
    """The international sides ``text`` names without a name (country None, known), where no
    other mention already covers the words."""
    if "corps" not in text and "countries" not in text and "nternational" not in text:
        return []
    spans = [(m.start, m.end) for m in mentions]
    found = []
    guests_end = -1  # where the last guests named end: those listed right after are guests too
    for match in _GATHERING.finditer(text):
        start, end = match.span()
        if _FOR.search(text, max(0, start - 14), start) or (
            guests_end >= 0 and COORDINATED.match(text[guests_end:start])
        ):
            guests_end = end
            continue
        if any(s < end and start < e for s, e in spans):
            continue
        kind = RESIDENTS_ID if match.group("residents") else GATHERING_ID
        found.append(Mention("organization", kind, match.group().removeprefix("the "), None, start, end))
    return found


def event_sides(text: str, mentions: Sequence[Mention]) -> Sequence[Mention]:
    """The mentions a story's events take their sides from: ``mentions``, a name its headline
    gives bare tied as the body ties it (``sides.tied_throughout``), and the unnamed
    international sides of ``text`` (``gatherings``), in text order."""
    mentions = tied_throughout(mentions, text.find("\n\n"))
    found = gatherings(text, mentions)
    return sorted([*mentions, *found], key=lambda m: m.start) if found else mentions
