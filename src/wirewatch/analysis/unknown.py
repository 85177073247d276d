"""Names the actor data do not hold, found by their shape (GUIDE P5, O4: docs/annotation-guide.md).

The second pass of entity extraction (``entities.find_mentions`` runs it after the
dictionary pass, on the text the dictionary left free):

- **Unknown persons**: a Korean-shaped name (a Korean family name and two syllables,
  "Ri Kyu Jae"), a name after a person's title ("Chairman Anders Kristensen") or another
  cue ("led by …", "traitor …"), or one before an appositive title ("Anders Kristensen,
  executive chairman of…"); the id is the slug of the name, or the known person's when the
  slug is one (middle initials aside). A name an institution word follows is none (GUIDE P4).
- **Unknown organisations**: their own module, ``analysis.bodies`` (it shares the helpers
  here: ``Taken``, ``slug``, the words that start no name).
- **Names for review**: capitalised multi-word names that no mention covers.

Free spans are kept in a :class:`Taken` mask, so checking a name against everything
found before it costs one scan of its own span, however many mentions the text has.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from typing import TYPE_CHECKING

from wirewatch.models import Mention

if TYPE_CHECKING:
    from wirewatch.analysis.actors import Person

__all__ = [
    "INSTITUTION_WORDS",
    "Taken",
    "inside",
    "names_institution",
    "next_word",
    "slug",
    "unknown_names",
    "unknown_persons",
]

#: Words after a person's name that make it part of another name (GUIDE P4).
INSTITUTION_WORDS = frozenset(
    (
        "university universities college school schools prize prizes order medal medals foundation square "
        "street bridge stadium mausoleum palace memorial museum hall library institute academy factory plant "
        "farm mine station park birthplace house garden gymnasium hospital tower theatre theater socialist "
        "youth league kimilsungia kimjongilia award awards cup club complex complexes exhibition badge badges "
        "flower avenue dynasty"
    ).split()
)
#: Institution words that are no one's surname: a name found by shape that ends in one is
#: a body's ("Jongbangsan General Foodstuff Factory"), not a person's.
_BODY_ENDINGS = INSTITUTION_WORDS - frozenset(
    "park hall house garden tower bridge street station farm cup club order square flower plant mine palace "
    "library memorial youth league badge socialist".split()
)
# Korean family names as KCNA and others romanise them (for unknown Korean-shaped names).
KOREAN_SURNAMES = frozenset(
    (
        "Kim Ri Yi Lee Pak Park Choe Choi Jang Chang Kang Han Hyon Ho Hong Jon Jong Chong Ju Kil Ko Kwak Mun "
        "Moon No Roh O Oh Paek Ryu Ryom Rim Im Sin Shin Son Song Thae Tae Yang Yun Yoon Cha Chae Cho Jo Chu "
        "Chon Hwang Ka Kye Ma Min Nam Om Pang Pyon Byon So Sok Sung U Wi Yom Yu Ahn An Ryang Tong Ji Jin Kong "
        "Kung Chi Ok Kwon Kwang Mo Myong Na Ra Ro Sim Sol To Tak Chun Jun Hyun Ku Koh Lim Baek Seo Suh Ham "
        "Ryo Yo Ki Pae Phyo Kal Kyong Yon Hwa Rho Pok Sonu Tokko"
    ).split()
)
# Patterns that start with a character class, not ``\b``: the regex engine then skips to
# the next capital in C, several times faster; the word boundary is checked on each match.
_THREE_WORDS = re.compile(r"([A-Z](?<!\w[A-Z])[a-z]{0,4}) ([A-Z][a-z]{0,4}) ([A-Z][a-z]{0,4})\b(?!-)")
#: Titles that introduce a person's name ("Chairman Anders Kristensen").
_PERSON_TITLE = (
    r"(?:President|Vice-President|Vice President|Prime Minister|Premier|Vice-Premier|Minister|Vice-Minister|"
    r"Vice Minister|Chairman|Chairwoman|Chairperson|Vice-Chairman|Vice Chairman|Ambassador|ambassador|"
    r"Secretary|Secretary-General|Secretary General|King|Queen|Prince|Princess|Sheikh|Emir|Sultan|Senator|"
    r"Governor|Mayor|Speaker|Marshal|General|Dr\.|Professor|Comrade|Mr\.|Mrs\.|Ms\.|Director|Commander|"
    r"Chief|Editor|Counsellor|Counselor|Consul|Envoy|Deputy|Representative|Lieutenant|Colonel|Admiral|"
    r"Vice-chairman|Vice-chairwoman|Vice-president)"
    # an envoy's post after the title: "Ambassador to the DPRK Valery Sukhinin"
    r"(?: to (?:the )?[A-Z][\w.]*)?"
)
_NAME_TOKEN = r"(?:[A-Z][\w'’.-]*[a-z][\w'’-]*\.?|[A-Z]\.)"
_NAME = rf"{_NAME_TOKEN}(?: (?:(?:de|da|del|dos|van|von|bin|al|el|la|le|di)\ )?{_NAME_TOKEN}){{1,3}}"
_TITLED_NAME = re.compile(rf"{_PERSON_TITLE} ({_NAME})")
#: Lowercase posts that put a person's name after them when a word of the sentence comes
#: before them ("Cuban counsellor Nancy Madrigal").
_LOWERCASE_POSTS = ("counsellor", "professor")
#: Words other than titles that put a name after them: an epithet ("traitor Syngman Rhee"),
#: a leader's ("a delegation led by Gabriel Goncalves Martinez", "headed by …") and the
#: posts above. One pattern per word, each tried only when its word is in the text: a
#: literal prefix lets the regex engine skip ahead, where one alternation would be tried at
#: every offset (several times slower); the few cues are the frequent ones, each costs a scan.
_NAME_CUES = {cue: re.compile(rf"{cue} ({_NAME})") for cue in ("traitor", "led by", "headed by", *_LOWERCASE_POSTS)}
#: Lowercase words of rank before an appositive title ("executive chairman", "national
#: permanent secretary", "outgoing Vietnamese ambassador").
_RANK = (
    r"(?:(?:former|acting|honorary|first|deputy|executive|national|permanent|international|senior|chief|"
    r"managing|standing|founding|outgoing|incoming|new|late|assistant|associate|principal|general|political) "
    r"|vice-|ex-|co-)"
)
#: An appositive title after a name ("Anders Kristensen, chairman of …"): found first,
#: then the name is read backwards from it (much faster than a name pattern at every offset).
_APPOSITIVE_TITLE = re.compile(
    rf", (?:a |an |the |its |his |her |their )?{_RANK}*(?:[A-Z][a-z]+ )?{_RANK}*"
    r"(?:chairman|chairwoman|chairperson|president|secretary|general secretary|secretary-general|director|"
    r"ambassador|minister|head|leader|member|representative|editor|editor-in-chief|professor|spokesman|"
    r"spokeswoman|founder|commander|chief|manager|deputy|advisor|adviser|envoy|correspondent|writer|"
    r"journalist|senator|governor|mayor|speaker|king|prime minister|premier|vice-chairman|vice-president|"
    r"councillor|councilor|counsellor|counselor|attache|consul|chairwoman|officer|official|delegate|activist|"
    r"lawyer|scholar|researcher|commentator|lecturer|coordinator|organizer|organiser|widow|son|daughter|"
    r"businessman|businesswoman|horticulturist|botanist|cameraman|artist|poet|historian|economist|scientist|"
    r"politician|lawmaker|personage|expert|engineer|doctor|teacher|musician|singer|painter|photographer|"
    r"producer|analyst|professor|vice-chairwoman|general|secretary general)\b"
)
_NAME_TOKEN_ONLY = re.compile(rf"{_NAME_TOKEN}\Z")
_NAME_PARTICLES = frozenset("de da del dos van von bin al el la le di".split())
_NAME_TAIL = re.compile(r"[\w'’.-]+\Z")
#: Words that cannot be part of an unknown person's name (they start other names).
_NOT_NAME_WORDS = frozenset(
    (
        "The A An In On At Of For And But To From With By As This That These Those It Its He She They We His "
        "Her Their Our DPRK Korea Korean Party Committee Association Union Federation Council Assembly "
        "Ministry Army University Institute Society League Front People's National Central Democratic "
        "Republic State Supreme General Great President Premier Minister Chairman Secretary Ambassador Juche "
        "Songun January February March April May June July August September October November December Monday "
        "Tuesday Wednesday Thursday Friday Saturday Sunday Mt. Mount Iron Steel Works"
    ).split()
)
#: A headline's verbs, in its Title Case: a name ends before them ("Kazakh President Visits
#: Russia" names no "Visits Russia").
_HEADLINE_VERBS = frozenset(
    (
        "Visits Meets Receives Sends Leaves Arrives Departs Returns Tours Greets Congratulates Hails Praises "
        "Supports Calls Urges Slams Denounces Condemns Rejects Warns Says Holds Marks Opens Inspects Attends"
    ).split()
)
#: Words of office and body names that start no person's name.
_OFFICE_WORDS = frozenset(
    (
        "Security Affairs Foreign Defence Defense Public Finance Trade Culture Education Health Justice "
        "Industry Commission Department Bureau Office Interior Home External Economy Economic Planning "
        "Agriculture Labour Labor Information Communications Transport Energy Power Electric Culture Sports "
        "Youth Women Workers Cabinet Government Parliament Senate House Staff Forces Navy Force Council "
        "Political Military International Executive Standing Permanent Honorary Acting Former Deputy Vice "
        "Chief Head Embassy Mission Consulate Delegation Party Assembly Ministry Minister Secretary Chairman "
        "Ambassador Director Editor Representative Commander"
    ).split()
)
_NOT_FIRST_WORDS = _NOT_NAME_WORDS | _OFFICE_WORDS
#: Korean syllables spelled like English words: inside a Korean-shaped name they are part
#: of it ("Pak To Chun", "Kim Sun On").
_SYLLABLE_WORDS = frozenset("In On To An O So U".split())
#: Month and day names: a name stops before them ("… Juche Idea on May 22", "… Cabinet Tuesday").
DATE_NAMES = frozenset(
    (
        "January February March April May June July August September October November December Jan Feb Mar "
        "Apr Jun Jul Aug Sep Sept Oct Nov Dec Monday Tuesday Wednesday Thursday Friday Saturday Sunday"
    ).split()
)
_LEADING_WORDS = frozenset("The A An In On At For To From By With According to Our Its Their His Her My".split())
_TRAILING_WORDS = frozenset(("of", "for", "the", "and", "with", "on", "in", "to", "against"))
_UNKNOWN = re.compile(r"\b[A-Z][\w'’-]+(?: (?:of |de |the |and )?[A-Z][\w'’-]+)+")
_NEXT_WORD = re.compile(r"[\s,]*([\w'’-]+)")
_SLUG_WORD = re.compile(r"[a-z0-9]+")


@lru_cache(maxsize=4096)  # the same unknown names come back article after article
def slug(name: str) -> str:
    """A name as an id (GUIDE P5): ASCII, lowercase, words joined by hyphens."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    ascii_name = ascii_name.replace("'", "").replace("’", "")
    return "-".join(_SLUG_WORD.findall(ascii_name.lower()))


class Taken:
    """The characters of a text that mentions already cover: adding a span and asking
    whether one overlaps cost a slice, not a pass over every span found so far."""

    __slots__ = ("mask",)

    def __init__(self, size: int, spans: Iterable[tuple[int, int]] = ()) -> None:
        self.mask = bytearray(size)
        for start, end in spans:
            self.add(start, end)

    def add(self, start: int, end: int) -> None:
        self.mask[start:end] = b"\1" * (end - start)

    def overlaps(self, start: int, end: int) -> bool:
        return self.mask.find(1, start, end) >= 0


def inside(start: int, end: int, spans: Iterable[tuple[int, int]]) -> bool:
    """Whether ``start:end`` lies within one of ``spans``."""
    return any(s <= start and end <= e for s, e in spans)


def next_word(text: str, end: int) -> str:
    """The word after ``end``, past spaces and commas ("" when none)."""
    match = _NEXT_WORD.match(text, end, end + 40)
    return match.group(1) if match else ""


def _word_start(text: str, start: int) -> bool:
    """Whether ``start`` begins a word (the ``\\b`` the fast patterns leave out)."""
    if start == 0:
        return True
    before = text[start - 1]
    return not (before.isalnum() or before == "_")


def unknown_persons(text: str, taken: Taken, works: list[tuple[int, int]], known: dict[str, Person]) -> list[Mention]:
    """Persons the data do not hold, by name shape and context (slug ids, GUIDE P5), in
    text order, clear of ``taken`` (which then holds them too) and of quoted ``works``;
    one whose slug is in ``known`` (persons by the slug of their name) is that person."""
    found: dict[tuple[int, int], str] = {}
    for match in _THREE_WORDS.finditer(text):
        three: re.Match[str] | None = match
        surname, given, other = match.groups()
        if surname not in KOREAN_SURNAMES and (given in KOREAN_SURNAMES or other in KOREAN_SURNAMES):
            # "… Fruit Group Kim Chol Ho": the name may start at a later word
            three = _THREE_WORDS.match(text, match.start(2 if given in KOREAN_SURNAMES else 3))
            if three is None:
                continue
            surname, given, other = three.groups()
        if (
            three is not None
            and surname in KOREAN_SURNAMES
            and (given not in _NOT_NAME_WORDS or given in _SYLLABLE_WORDS)
            and (other not in _NOT_NAME_WORDS or other in _SYLLABLE_WORDS)
            and _word_start(text, three.start())
        ):
            found[three.span()] = three.group()
    for match in _TITLED_NAME.finditer(text):
        if _word_start(text, match.start()):
            _add_titled(found, text, match)
    for cue, pattern in _NAME_CUES.items():
        if cue in text:
            for match in pattern.finditer(text):
                at = match.start()
                # a post needs a word of the sentence before it ("Cuban counsellor …")
                if _word_start(text, at) and (cue not in _LOWERCASE_POSTS or text[at - 2 : at - 1].islower()):
                    _add_titled(found, text, match)
    for match in _APPOSITIVE_TITLE.finditer(text):
        before = _name_before(text, match.start())
        if before:
            words = before.split(" ")
            while words and (words[0] in _NOT_NAME_WORDS or not words[0][:1].isupper()):
                words.pop(0)  # "The Chairman Anders Kristensen" → "Anders Kristensen"
            name = _trim_name(" ".join(words))
            if name:
                end = match.start()
                found[(end - len(name), end)] = name
    mentions = []
    title_end = text.find("\n\n")
    # at the same start, the longer name first ("led by Ko Tok U": "Ko Tok U", not "Ko Tok")
    for (start, end), name in sorted(found.items(), key=_longest_first) if len(found) > 1 else found.items():
        if taken.overlaps(start, end) or (works and inside(start, end, works)):
            continue
        if start < title_end and text.find(name, title_end) < 0:
            continue  # a headline's Title Case makes "President Denounces Plot" look like a name

        if name.rsplit(" ", 1)[-1].lower() in _BODY_ENDINGS or names_institution(text, end, title_end):
            continue
        taken.add(start, end)
        id = slug(name)
        person = known.get(id)
        if person is None and "." in name:  # "Valery E. Sukhinin" is Valery Sukhinin
            person = known.get(_INITIAL_ID.sub("-", id))
        if person is not None:
            mentions.append(Mention("person", person.id, person.name, person.country, start, end))
        else:
            mentions.append(Mention("person", id, name, None, start, end, known=False))
    return mentions


def _add_titled(found: dict[tuple[int, int], str], text: str, match: re.Match[str]) -> None:
    """Keep the name of group 1 of ``match`` (a title's or a cue's), trimmed (``_trim_name``)."""
    name = _trim_name(match.group(1))
    if name:
        start = text.find(name, match.start(1), match.end(1))  # after the words trimmed off
        start = start if start >= 0 else match.start(1)
        found[(start, start + len(name))] = name


def _longest_first(item: tuple[tuple[int, int], str]) -> tuple[int, int]:
    return item[0][0], -item[0][1]


_INITIAL_ID = re.compile(r"(?<=[a-z0-9]{2})-[a-z]-(?=[a-z0-9]{2})")
#: The word after a name, and the capitalised words that go on from it.
_FOLLOWING = re.compile(r"[\s,]*([\w'’-]+)")
_CAPITALISED_ON = re.compile(r"(?: [A-Z][\w'’-]*){1,2}")


def names_institution(text: str, end: int, title_end: int) -> bool:
    """Whether the name that ends at ``end`` is part of an institution's (GUIDE P4): an
    institution word follows it ("Kim Il Sung University's"), or, past the headline (which
    ``title_end`` ends, -1 for a text that is all headline), one of the next two words of a
    capitalised run that goes on from the name ("the Kim Jong Thae Locomotive Complex")."""
    match = _FOLLOWING.match(text, end, end + 60)
    if match is None:
        return False
    word = match.group(1)
    if _institution_word(word):
        return True
    if title_end < 0 or end < title_end or text[end : end + 1] != " " or not word[:1].isupper():
        return False
    more = _CAPITALISED_ON.match(text, match.end(), match.end() + 60)
    return more is not None and any(_institution_word(word) for word in more.group().split())


def _institution_word(word: str) -> bool:
    """Whether ``word`` is an institution word, possessive or not ("University's")."""
    word = word.lower()
    return word in INSTITUTION_WORDS or (word.endswith(("'s", "’s")) and word[:-2] in INSTITUTION_WORDS)


def _name_before(text: str, end: int) -> str | None:
    """The name (two to four name words, particles between them) that ends at ``end``:
    read backwards word by word, much faster than a pattern anchored at the end."""
    window_start = max(0, end - 80)
    tokens = text[window_start:end].split(" ")
    kept: list[str] = []
    names = 0
    for index in range(len(tokens) - 1, -1, -1):
        if names == 4:
            break
        token = tokens[index]
        if index == 0 and window_start > 0:
            break  # cut by the window: its start is unknown
        if _NAME_TOKEN_ONLY.match(token):
            kept.append(token)
            names += 1
            continue
        if token in _NAME_PARTICLES and kept and kept[-1] not in _NAME_PARTICLES:
            kept.append(token)
            continue
        tail = _NAME_TAIL.search(token)  # "justice.,Saaeed", "\n\nThomas": the name starts after
        if tail and tail.start() > 0 and _NAME_TOKEN_ONLY.match(token, tail.start()):
            kept.append(tail.group())
            names += 1
        break
    while kept and kept[-1] in _NAME_PARTICLES:
        kept.pop()
    return " ".join(reversed(kept)) if names >= 2 else None


def _trim_name(name: str) -> str | None:
    """An unknown name cut at the first word that cannot be in one; None if too short."""
    words = name.replace("’", "'").split(" ")
    while words and _office_word(words[0]):
        words.pop(0)  # "(Minister of Public) Security Ju Sang Song" → "Ju Sang Song"
    kept: list[str] = []
    for word in words:
        if word in _NOT_NAME_WORDS or word.rstrip("'s") in _NOT_NAME_WORDS or word in _HEADLINE_VERBS:
            break
        kept.append(word)
    while kept and kept[-1].lower() in _NAME_PARTICLES:
        kept.pop()
    if kept and kept[-1].endswith("'s"):
        kept[-1] = kept[-1][:-2]
    elif kept and kept[-1].endswith(".") and len(kept[-1]) > 2:
        kept[-1] = kept[-1][:-1]  # a full stop, not an initial's ("led by Gabriel Goncalves Martinez.")
    capitalised = [w for w in kept if w[:1].isupper()]
    return " ".join(kept) if len(capitalised) >= 2 else None


def _office_word(word: str) -> bool:
    """Whether ``word`` is a word of office that starts no name, also in the plural
    ("Secretaries Fujii and Fukuyama") or after a hyphen ("Vice-Chairman Pae Nung Man")."""
    word = word.rpartition("-")[2]
    if word in _NOT_FIRST_WORDS:
        return True
    singular = word[:-3] + "y" if word.endswith("ies") else word[:-1] if word.endswith("s") else word
    return singular in _NOT_FIRST_WORDS


def unknown_names(text: str, mentions: Iterable[Mention]) -> list[str]:
    """Capitalised multi-word names that no mention covers, for review (first seen first)."""
    spans = [(m.start, m.end) for m in mentions]
    names: dict[str, None] = {}
    for match in _UNKNOWN.finditer(text):
        start, end = match.span()
        if any(not (end <= s or start >= e) for s, e in spans):
            continue
        words = match.group(0).split()
        if words[0] in _NOT_NAME_WORDS and len(words) == 2:
            continue
        names[match.group(0)] = None
    return list(names)
