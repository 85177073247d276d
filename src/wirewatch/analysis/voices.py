"""Voices: who is speaking in each sentence of a story, and the laudatory statements made.

State media report speech more than deeds: "X, chairman of the … of Nigeria, said that …",
then sentences that carry on in X's voice ("…, he stressed."), and messages quoted after
"The message said:". A sentence's **voice** is the side that a statement without a subject
of its own belongs to (GUIDE E4, E13, E14): the subject of the sentence's own speech verb
when it names one, else the voice of the sentences before — which a message's sender takes
over for the quotation that follows it — and at the start of the story, the story's speaker.

A **laudatory statement** (GUIDE E13: "the KPA is an ever-victorious army", "her life is
shining like a star") is a sentence in some voice that holds a laudatory word of the data
file's ``[laudatory]`` list and names a side other than the voice's: praise from the voice
to that side. KCNA's own voice praising the DPRK's leaders is domestic, and dropped as such.

Pure functions over one sentence's text and mentions (offsets relative to the sentence).
GUIDE rules are those of the annotation guide, ``docs/annotation-guide.md``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from wirewatch.analysis.unknown import inside
from wirewatch.models import Mention, Side

__all__ = [
    "SPEECH_WORDS",
    "gathering_speaks",
    "guest_speaks",
    "laudatory_target",
    "names_korea",
    "speech_subject",
    "unnamed_speaker",
]

#: Speech verbs: what makes a sentence's subject its speaker ("X said that …").
_SPEECH_PHRASES = [
    "said",
    "says",
    "noted",
    "notes",
    "stressed",
    "stresses",
    "underscored",
    "underlined",
    "emphasised",
    "emphasized",
    "observed",
    "observes",
    "declared",
    "stated",
    "recalled",
    "told",
    "wrote",
    "writes",
    "continued",
    "added",
    "praised",
    "lauded",
    "hailed",
    "extolled",
    "reported",
    "reports",
    "aired",
    "carried",
    "carries",
    "published",
    "introduced",
    "issued",
    "released",
    "broadcast",
    "pointed out",
    "referred to",
]
# not after a hyphen: "the above-said forces" say nothing; nor before "out": "The U.S.
# imperialists carried out the separate elections" is no one speaking
_SPEECH_VERB = re.compile(
    r"(?<![-\w])(?:" + "|".join(p.replace(" ", r"\s+") for p in _SPEECH_PHRASES) + r")\b(?!\s+out\b)"
)
#: The first words of the speech verbs: a sentence without one of them has none (this keeps
#: the search off most sentences).
SPEECH_WORDS = frozenset(p.split()[0] for p in _SPEECH_PHRASES)
# A speech verb after a comma, its subject after it ("…, says Rodong Sinmun").
_INVERTED_SPEECH = re.compile(
    r",\s*(?:says|said|writes|wrote|notes|noted|observes|observed|stresses|stressed|adds|added|continues|"
    r"continued|declares|declared|points\s+out|pointed\s+out|warns|warned|urges|urged|asserts|asserted)\s+(?:the\s+)?"
)
# A speaker's post between an inverted speech verb and what they speak for ("…, said the
# vice-chairman of the Bulgaria-Korea Friendship Association").
_POST_OF = re.compile(r"(?:[\w-]+\s+){1,4}?(?:of|at|from)\s+(?:the\s+|a\s+)?")
_CLOSING = " .\"'”’"
#: Characters at most after such a speaker's name to the sentence's end ("… in his speech").
_SPEAKER_TAIL = 25
# The words right before a speech verb that make a pronoun or a document its subject
# ("…, he stressed", "the paper said"): the voice stays what it was.
_CARRIED_SUBJECT = re.compile(
    r"(?:\b(?:he|she|they|it|we|i)|\bthe\s+(?:(?-i:[a-z][\w-]*)\s+){0,2}?(?:paper|article|message|letter|statement|"
    r"bulletin|speaker|author|commentary|report|writer|magazine|daily|editorial|news\s+agency|website|"
    r"communiqu[eé]|declaration|appeal|resolution)"
    # a post the sentence's last clause opens with ("…, the deputy general secretary noted")
    r"|,\s*the\s+(?:(?!and\b)(?-i:[a-z][\w-]*)\s+){0,3}(?!and\b)(?-i:[a-z][\w-]*))\s+(?:also\s+)?$",
    re.IGNORECASE,
)
# A mention right after one of these is a place or an object, not who speaks ("at the UN").
_PLACE_BEFORE = re.compile(
    r"\b(?:with|to|against|on|from|for|in|at|by|over|about|during)\s+(?:the\s+)?$", re.IGNORECASE
)


def speech_subject(text: str, mentions: Sequence[Mention]) -> Mention | None:
    """The mention that speaks in this sentence — the first one before its first speech verb
    that is not a place or an object ("Ibrahim Mantu, former deputy president of …, said
    that …"; "The director of the … Council of Nigeria noted …") — or None: no speech verb,
    nobody named before it, or a pronoun or a document as its subject ("…, he stressed"),
    which carries on the voice before."""
    if not mentions:
        return None
    inverted = _INVERTED_SPEECH.search(text)
    if inverted is not None:
        # "…, says Rodong Sinmun Wednesday in a bylined article": the speaker follows the verb
        after = next((m for m in mentions if m.start >= inverted.end()), None)
        if after is not None and (
            after.start == inverted.end()
            # a post only where the speaker closes the sentence: "…, said the invincible might
            # of the WPK …" is what is said, not who says it
            or (
                _POST_OF.fullmatch(text, inverted.end(), after.start) is not None
                and len(text.rstrip(_CLOSING)) - after.end <= _SPEAKER_TAIL
            )
        ):
            return after
    verb = _SPEECH_VERB.search(text)
    if verb is None or _CARRIED_SUBJECT.search(text, max(0, verb.start() - 40), verb.start()):
        return None
    for mention in mentions:
        if mention.start >= verb.start():
            return None
        if not _PLACE_BEFORE.search(text, max(0, mention.start - 16), mention.start):
            return mention
    return None


_GUEST = re.compile(
    r"\s*the\s+(?:head\s+of\s+the\s+|members?\s+of\s+the\s+|leader\s+of\s+the\s+)?"
    r"(?:delegation|delegates|guests?|visitors?|ambassador|envoy)\b",
    re.IGNORECASE,
)


#: the same speaker after the words spoken ("…, the head of the delegation said")
_GAP = re.compile(r"\s+(?:also\s+)?")
_GUEST_AFTER = re.compile(
    r",(?=\s*the\s+(?:head|members?|leader|delegation|delegates|guests?|visitors?|ambassador|envoy)\b)"
)


def guest_speaks(text: str) -> bool:
    """Whether the sentence's speaker is the story's foreign party, unnamed ("The head of the
    delegation said that …", "The ambassador noted …", "…, the head of the delegation
    said"): the voice of the side that visits or meets, which the caller knows."""
    if _GUEST.match(text) is not None:
        return _SPEECH_VERB.search(text) is not None
    for comma in _GUEST_AFTER.finditer(text):
        guest = _GUEST.match(text, comma.end())
        gap = _GAP.match(text, guest.end()) if guest is not None else None
        if gap is not None and _SPEECH_VERB.match(text, gap.end()):
            return True
    return False


# A gathering, or those who spoke at it, as a sentence's subject ("The ceremony stressed the
# need to …", "Speakers at the meeting said …", "The participants noted …").
_GATHERING_SUBJECT = re.compile(
    r"\s*(?:the\s+)?(?:speakers?|participants|meeting|ceremony|seminar|symposium|lecture|rally|gathering|"
    r"conference|forum|function|film\s+show|celebration)\b(?:\s+(?:at|in|of)\s+(?:the\s+|a\s+)?"
    r"(?:[\w-]+\s+){0,2}?(?:meeting|ceremony|seminar|symposium|lecture|rally|gathering|conference|forum|"
    r"function|celebration|event))?\s+(?:also\s+)?",
    re.IGNORECASE,
)


def gathering_speaks(text: str) -> bool:
    """Whether the sentence's speaker is the gathering the story reports, unnamed ("The
    ceremony stressed …", "Speakers at the meeting said …"): the voice of the side that holds
    it, which the caller knows."""
    subject = _GATHERING_SUBJECT.match(text)
    return subject is not None and _SPEECH_VERB.match(text, subject.end()) is not None


def unnamed_speaker(text: str, guest: Side | None, venue: Side | None) -> Side | None:
    """Who speaks in a sentence that names nobody: the story's ``guest`` (the foreign side
    that visits or meets) when its head or members do, the ``venue`` (the foreign side that
    holds the story's gatherings) when a gathering or its speakers do; else None."""
    if guest is not None and guest_speaks(text):
        return guest
    if venue is not None and gathering_speaks(text):
        return venue
    return None


#: "Korea", "the Korean people", "Koreans" not after "south" (nor "S."), and not Koreans
#: abroad ("Koreans in China"): home, in a foreign voice's praise.
_BARE_KOREA = re.compile(
    r"(?<![Ss]outh )(?<!S\. )(?<![Ss]outh-)\b(?:Korea(?!n)|Korean\s+(?:people|nation|revolution)|Koreans)\b"
    r"(?!\s+(?:in(?!\s+(?:their|its|the\s+(?:struggle|cause|work|building|efforts?)))|living|resident|residents|residing|abroad)\b)"
)


def names_korea(text: str) -> bool:
    """Whether the sentence names Korea bare ("the Korean people"): home, in a foreign voice."""
    return ("Korea" in text or "Koreans" in text) and _BARE_KOREA.search(text) is not None


def laudatory_target(
    text: str, pattern: re.Pattern[str], mentions: Sequence[Mention], voice: str, home: str, same_side: dict[str, str]
) -> Mention | None:
    """What a sentence in a foreign ``voice`` praises when ``pattern`` (the laudatory words)
    matches it: the first mention of home — a foreign voice quoted by home's media speaks
    well of home, its leaders, army and people — or None: no match, the voice is home's own
    (domestic), or the sentence does not name home (a laudatory word about a third country is
    as often irony or history as praise)."""
    home = same_side.get(home, home)
    if same_side.get(voice, voice) == home:
        return None
    # a word in a body's name is no statement ("the British Group for the Study of the Juche Idea")
    bodies = [(m.start, m.end) for m in mentions if m.type == "organization"]
    if all(inside(hit.start(), hit.end(), bodies) for hit in pattern.finditer(text)):
        return None  # no laudatory word, or none outside a body's name
    for mention in mentions:
        if mention.country and same_side.get(mention.country, mention.country) == home:
            return mention
    # "Korea … has been led by great leaders", "the Korean people": home's media quote a
    # foreign voice, to whom Korea alone is home (the south is named as such)
    spans = [(m.start, m.end) for m in mentions]
    for bare in _BARE_KOREA.finditer(text):
        if not inside(bare.start(), bare.end(), spans):
            return Mention("country", home, "Korea", home, bare.start(), bare.end())
    return None
