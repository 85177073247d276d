"""Ties: the country of a person or body the actor data do not know, from what the text
ties them to (GUIDE P6, O5: the annotation guide, ``docs/annotation-guide.md``).

An unknown name comes with no country, and an event it takes part in would then have no
side. The text usually says it:

- an apposition after a person's name: "Chanai Longoen, chairman of the Thailand-DPRK
  Friendship Association, said …", "Ibrahim Mantu, former deputy president of the Senate of
  the National Assembly of Nigeria, …" — the last country-bearing mention of the apposition
  (the outermost "of …"), up to its closing comma;
- the title before the name: "Lao Vice-President Bounnhang Vorachith", "Prime Minister of
  Cambodia Hun Sen" — a country named right before, with only title words between;
- the place after a body's name: "the Social Federation … in Belarus".

And a known body's generic name given another country ("the National Assembly of Nigeria",
where the data's "National Assembly" is south Korea's) is that country's body: its id the
country's alpha-3 before the name's slug (GUIDE O4: ``nga-national-assembly``).

Pure: mentions in, mentions out (new ones where a country was found; the rest as they were).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from wirewatch.analysis.unknown import slug
from wirewatch.models import Mention

__all__ = ["tie_countries"]

_OF_COUNTRY = re.compile(r"\s+of\s+(?:the\s+)?")

#: How far an apposition reaches, at most (characters after the name).
_APPOSITION_REACH = 160
#: An apposition's organ whose body follows after a comma, as KCNA writes it.
_OF_THE_CC = ("C.C.", "C.C", "Central Committee")
#: A firm's legal form after a comma inside its name ("… Co., Ltd."): no end of an apposition.
_LEGAL_FORMS = (" Ltd", " Inc", " LLC", " Corp", " S.A", " GmbH")
# Where an apposition stops short of a comma: the end of a clause or of the sentence (not
# the full stop of a firm's legal form, "Co., Ltd. of Japan").
_CLAUSE_END = re.compile(
    r"[.;:!?](?<!\bLtd\.)(?<!\bInc\.)(?<!\bCo\.)(?<!\bCorp\.)\s|\s(?:said|says|noted|stressed|who|which|on\s+(?:[A-Z]\w+day|[A-Z][a-z]{2}\.?\s+\d))\b"
)
# Between a country and the name it titles: title words only ("Vice-President", "Foreign Minister").
_TITLE_GAP = re.compile(r"(?:\s+|\s*-\s*)(?:(?:[A-Z][\w.-]*|of|the|for)\s+){0,4}")
# "Ambassador to China X": the country an envoy is sent to is not theirs.
_SENT_TO = re.compile(r"\bto\s+(?:the\s+)?\Z")
# In an apposition, a country an envoy is sent to or a traveller visits is not theirs.
_DESTINATION = re.compile(r"\b(?:to|visiting|touring)\s+(?:the\s+)?\Z")
_PLACE_GAP = re.compile(r"\s+(?:in|of)\s+(?:the\s+)?")
# Between a country and the body it has a branch of: "British Branch of the", "Japanese
# Regional Committee of the".
_BRANCH_GAP = re.compile(
    r"\s+(?:[A-Z][a-z]+\s+)?(?:[Bb]ranch|[Cc]hapter|[Ss]ection|[Cc]ommittee|[Hh]eadquarters)\s+of\s+(?:the\s+)?"
)


def tie_countries(text: str, mentions: Sequence[Mention]) -> list[Mention]:
    """``mentions`` (in text order) with a country given to each unknown person or body
    (``known`` False) that has none and that the text ties to one; a person tied only to
    an international body (the FAO, the UN) is that body's officer: known, and without a
    country (GUIDE P6)."""
    out = list(mentions)
    for index, mention in enumerate(mentions):
        if mention.type == "organization" and (branch := _branch_of(text, mentions, index)) is not None:
            out[index] = replace(mention, country=branch.country)
            continue
        if mention.type == "organization" and mention.known and mention.country is not None:
            other = _generic_elsewhere(text, mentions, index)
            if other is not None:
                out[index] = other
            continue
        if (
            mention.type == "person"
            and mention.known
            and mention.country is not None
            and text.startswith(",", mention.end)
            and not mention.by_title
        ):
            tie = _apposition(mentions, index, text)
            if tie is not None and tie.type == "organization" and tie.known and tie.country is None:
                # "Jean Ping, chairman of the Committee of the African Union": an international
                # body's officer acting for it has no country's side (GUIDE P6, E3)
                out[index] = replace(mention, country=None)
            continue
        if mention.known or mention.country is not None:
            continue
        if mention.type == "person":
            tie = _apposition(mentions, index, text) or _titled(text, mentions, index)
        else:
            tie = _placed(text, mentions, index)
        if tie is not None:
            out[index] = replace(mention, country=tie.country, known=True)
    return out


def _apposition(mentions: Sequence[Mention], index: int, text: str) -> Mention | None:
    end = mentions[index].end
    if not text.startswith(",", end):
        return None
    reach = min(len(text), end + _APPOSITION_REACH)
    close = text.find(",", end + 1, reach)
    if close >= 0 and text.endswith(_OF_THE_CC, end + 1, close):
        # "chairman of the C.C., the DPRK Red Cross Society": the comma names the body whose
        # Central Committee it is
        close = text.find(",", close + 1, reach)
    while close >= 0 and text.startswith(_LEGAL_FORMS, close + 1):
        close = text.find(",", close + 1, reach)  # "Inoki Genom Joint Co., Ltd. of Japan": one name
    stop = _CLAUSE_END.search(text, end + 1, reach)
    limit = min(close if close >= 0 else reach, stop.start() if stop else reach)
    tied: Mention | None = None
    for mention in mentions[index + 1 :]:
        if mention.start >= limit:
            break
        if tied is not None and mention.end <= tied.end:
            continue  # inside the body named before ("the Thailand-DPRK Friendship Association")
        if _DESTINATION.search(text, max(0, mention.start - 20), mention.start):
            continue  # where the person is sent or travels: "ambassador to the DPRK", "visiting China"
        if mention.end <= limit and mention.type != "person" and (mention.country is not None or mention.known):
            tied = mention  # the last one: the outermost "of …"
    return tied


def _branch_of(text: str, mentions: Sequence[Mention], index: int) -> Mention | None:
    """ "the British Branch of the Korean Friendship Association": the country whose branch of
    the body acts (GUIDE O5; the body's id stays, O3), or None."""
    before = _named_before(mentions, index)
    if (
        before is None
        or before.type != "country"
        or before.country is None
        or before.country == mentions[index].country
        or not _BRANCH_GAP.fullmatch(text, before.end, mentions[index].start)
    ):
        return None
    return before


def _named_before(mentions: Sequence[Mention], index: int) -> Mention | None:
    """The last mention that ends before ``mentions[index]`` starts (not one inside it)."""
    start = mentions[index].start
    return next((m for m in reversed(mentions[:index]) if m.end <= start), None)


def _titled(text: str, mentions: Sequence[Mention], index: int) -> Mention | None:
    start = mentions[index].start
    before = _named_before(mentions, index)
    if (
        before is not None
        and before.type == "country"
        and _TITLE_GAP.fullmatch(text, before.end, start)
        and not _SENT_TO.search(text[max(0, before.start - 8) : before.start])
    ):
        return before
    return None


def _placed(text: str, mentions: Sequence[Mention], index: int) -> Mention | None:
    after = mentions[index + 1] if index + 1 < len(mentions) else None
    if after is not None and after.type == "country" and _PLACE_GAP.fullmatch(text, mentions[index].end, after.start):
        return after
    return None


def _generic_elsewhere(text: str, mentions: Sequence[Mention], index: int) -> Mention | None:
    """ "National Assembly of Nigeria": the body of the country named right after the name,
    when that is another country than the data's (None otherwise)."""
    body = mentions[index]
    after = mentions[index + 1] if index + 1 < len(mentions) else None
    if (
        after is None
        or after.type != "country"
        or after.country is None
        or after.country == body.country
        or not _OF_COUNTRY.fullmatch(text, body.end, after.start)
    ):
        return None
    name = text[body.start : body.end]
    return Mention(
        "organization",
        f"{after.country.lower()}-{slug(name)}",
        f"{name} of {after.name}",
        after.country,
        body.start,
        after.end,
    )
