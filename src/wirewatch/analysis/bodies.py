"""Organisations the actor data do not hold, found by the shape of their names (GUIDE O1–O5,
with issue 17's broader scope: docs/annotation-guide.md section 7.2), and their ids.

A pass of entity extraction (``entities.find_mentions`` runs it after the dictionary pass and
the persons found by shape, on the text they left free):

- **Bodies**: capitalised words ending in, or headed by, a word for a body ("… Association",
  "… Party", "… Company", "… Publishing House"), an organ folded into its body (GUIDE O3),
  kinds of bodies not annotated left out (GUIDE O2); one run of words is cut into the bodies
  it names (``_bodies``).
- **News media** named after the word for them ("the Nepali paper Arpan").
- **Ids** (GUIDE O4, ``body_id``): a foreign state body with a generic name takes its
  country's alpha-3; a proper name drops the "of <country>" KCNA appends to it.
"""

from __future__ import annotations

import re

from wirewatch.analysis.unknown import (
    _LEADING_WORDS,
    _NOT_NAME_WORDS,
    _TRAILING_WORDS,
    DATE_NAMES,
    Taken,
    _word_start,
    inside,
    slug,
)

__all__ = [
    "GENERIC_WORDS",
    "MEDIUM_WORDS",
    "ORG_EXCLUDED",
    "ORG_HEADS",
    "ORG_ORGANS",
    "body_id",
    "generic",
    "org_name",
    "unknown_media",
    "unknown_organizations",
]

#: Unknown organisations by shape: capitalised words ending in, or headed by, a word for a body.
_ORG_SHAPE = re.compile(
    r"[A-Z][\w'’.-]*(?: (?:(?:of|for|the|and|with|on|in|to|against) )*(?:(?:[A-Z]\.){2,}|[A-Z][\w'’-]*|\([A-Z][\w-]*\)))+"
)
ORG_HEADS = frozenset(
    (
        "Association Associations Party Committee Union Federation League Society Institute Forum Foundation "
        "Front Movement Council Congress Assembly Organization Organisation Agency Ministry Senate Parliament "
        "Army Commission Group Centre Center Alliance Confederation Secretariat Company Corporation Holdings "
        "Publishers Publishing Press Shimbun Sinmun Ilbo Radio Television Broadcasting Authority Community Solidarity "
        "Corps Cabinet"
    ).split()
)
_ORG_HEAD_WORD = re.compile(r"\b(?:" + "|".join(sorted(ORG_HEADS)) + r")\b")
#: Organs that fold into the body named after them (GUIDE O3): "… Committee of the X Party" is X.
ORG_ORGANS = frozenset(
    "Committee Bureau Secretariat Branch Department Council Commission Presidium Chapter Section".split()
)
#: Titles before "of the X": the body is X ("General Director of the Associated Fruit Group").
_TITLE_WORDS = frozenset(
    "Director Chairman Chairwoman President Secretary Head Member Members Officials Chief Leader Spokesman "
    "Representative Delegation Delegates Minister".split()
)
#: Kinds of bodies not annotated (GUIDE O2), and names that are no body at all.
ORG_EXCLUDED = frozenset(
    (
        "University School College Academy Hospital Museum Factory Plant Farm Mine Theatre Theater Troupe "
        "Embassy Consulate Mission Preparatory Organizing Organising Conference Festival Games Championship "
        "Championships Exhibition Prize Provincial City County Municipal District Province Talks Day Week "
        "Month Year War Street Square Hotel Restaurant Station Stadium Hall Kim Peninsula Sea Ocean Cup Park "
        "Zone Region Session Plenary Meeting Symposium Seminar Ceremony Monument Tower Research Medical "
        "Scientific Laboratory Group's Center's Law Bill Act"
    ).split()
)
#: The legal form after a firm's name, left out of it ("Mizuho Financial Group Inc.").
_FIRM_SUFFIXES = frozenset("Inc Co Ltd Corp LLC PLC SAE S.A.E S.A SA AG GmbH".split())
#: The words ``_bodies`` cuts at (a name without them is one body as it stands).
_SPECIAL_WORDS = (
    DATE_NAMES
    | frozenset(
        w + suffix for w in "Inc Co Ltd Corp LLC PLC SAE S.A.E S.A SA AG GmbH".split() for suffix in ("", ".", ",")
    )
    | {"and"}
)
_BRACKETED = re.compile(r"\([A-Z][A-Z0-9&.-]+\)")


def unknown_organizations(text: str, taken: Taken, places: list[tuple[int, int]]) -> list[tuple[int, int, str]]:
    """Organisations the data do not hold, by the shape of their name (slug ids, GUIDE O4):
    ``(start, end, name)`` in text order, clear of ``taken`` and not inside ``places``
    (the spans of the country words)."""
    found: list[tuple[int, int, str]] = []
    body = text.find("\n\n")  # a headline's Title Case makes every phrase look like a name
    for match in _ORG_SHAPE.finditer(text, body + 2 if body >= 0 else 0):
        words = match.group().split(" ")
        if ORG_HEADS.isdisjoint(words):
            continue  # most capitalised phrases: checked first, in C
        if not _word_start(text, match.start()):
            continue
        for start, piece in _bodies(match.start(), words):
            end = start + len(" ".join(piece))
            name = _one_body(text, start, end, piece, taken, places)
            if name is not None:
                found.append(name)
    return found


def unknown_media(text: str, taken: Taken, after: list[int]) -> list[tuple[int, int, str]]:
    """News media the data do not hold, named right ``after`` the word for a medium ("the
    Nepali paper Arpan"; the offsets where such words end, which the extractor's automaton
    found): ``(start, end, name)`` in text order, clear of ``taken`` (which then holds them)."""
    found = []
    for end in after:
        match = _MEDIUM_NAME.match(text, end)
        if match is not None:
            name = _medium_name(text, match, taken)
            if name is not None:
                found.append(name)
    return found


def _medium_name(text: str, match: re.Match[str], taken: Taken) -> tuple[int, int, str] | None:
    """The medium's name a match holds, cut before a date or a word that starts no name."""
    start = match.start(1)
    kept: list[str] = []
    for word in match.group(1).rstrip(".,").split():
        if word in DATE_NAMES or word in _LEADING_WORDS or word in _NOT_NAME_WORDS:
            break
        kept.append(word)
    while kept and kept[-1] in _TRAILING_WORDS:
        kept.pop()
    if not kept:
        return None
    end = start + len(" ".join(kept))
    if taken.overlaps(start, end):
        return None
    taken.add(start, end)
    return start, end, text[start:end]


def _sentence_start(text: str, start: int) -> bool:
    """Whether ``start`` opens a sentence or a paragraph."""
    before = text[max(0, start - 3) : start].rstrip(" ")
    return not before or before[-1] in '.!?\n"“'


def _bodies(start: int, words: list[str]) -> list[tuple[int, list[str]]]:
    """The bodies one run of capitalised words names, each with its start: cut before a date
    ("… Juche Idea on May 22"), after a bracketed abbreviation the organ that follows ("…
    Organization (PLO) Executive Committee" is the organization), and split where "and"
    joins two names with a body word each ("… Agency and the Ministry of …")."""
    if _SPECIAL_WORDS.isdisjoint(words) and not any(w[:1] == "(" for w in words):
        return [(start, words)]  # most names: nothing to cut
    for index, word in enumerate(words[1:], 1):
        if word.rstrip(".,") in DATE_NAMES:
            words = words[:index]
            break
    while words and words[-1].rstrip(".,") in _FIRM_SUFFIXES:
        words = words[:-1]
    for index, word in enumerate(words[:-1]):
        if _BRACKETED.fullmatch(word) and index > 0:
            words = words[: index + 1]
            break
    pieces: list[tuple[int, list[str]]] = []
    offset, current = start, list[str]()
    for index, word in enumerate(words):
        if word == "and" and current and not ORG_HEADS.isdisjoint(current):
            rest = words[index + 1 :]
            if rest and rest[0] == "the":
                rest = rest[1:]
            if not ORG_HEADS.isdisjoint(rest) and rest[:1] and rest[0][:1].isupper():
                pieces.append((offset, current))
                return [*pieces, *_bodies(start + len(" ".join(words)) - len(" ".join(rest)), rest)]
        current.append(word)
    pieces.append((offset, current))
    return pieces


def _one_body(
    text: str, start: int, end: int, words: list[str], taken: Taken, places: list[tuple[int, int]]
) -> tuple[int, int, str] | None:
    """One body's name trimmed (leading articles, organs folded, trailing connectors), or None."""
    while words and (words[0] in _LEADING_WORDS or words[0] == "the" or (len(words) > 2 and words[1] == "the")):
        start += len(words.pop(0)) + 1  # "The …", "Later the …": no body's name starts "X the"
    if (
        len(words) > 3
        and words[1] == "of"
        and words[0] not in ORG_HEADS
        and words[0] not in ORG_ORGANS
        and _sentence_start(text, start)
        and not ORG_HEADS.isdisjoint(words[2:])
    ):
        # "Officials of the Ministry of …" opening a sentence: capitalised as its first word
        for _ in range(3 if words[2] == "the" else 2):
            start += len(words.pop(0)) + 1
    # fold an organ into its body: "Central Committee of the X Party" → "X Party"
    for index in range(len(words) - 2, 0, -1):
        if words[index] in ("of", "of the") and (words[index - 1] in ORG_ORGANS or words[index - 1] in _TITLE_WORDS):
            rest = words[index + 1 :]
            if rest and rest[0] == "the":
                rest = rest[1:]
            if any(w in ORG_HEADS for w in rest):
                start = end - len(" ".join(rest))
                words = rest
            break
    if taken.overlaps(start, end):
        # a name runs on into a person found before ("the Associated Fruit Group Kim Chol Ho")
        first = taken.mask.find(1, start, end)
        while words and start + len(" ".join(words)) > first:
            words = words[:-1]
        end = start + len(" ".join(words))
        # only a name that ends in its body word, not an organ "of" a body found before ("the
        # Anti-Terror Committee of Security Council") or a title ("Former … Army Chief")
        if not words or words[-1] not in ORG_HEADS or taken.overlaps(start, end):
            return None
    excluded = [i for i, w in enumerate(words) if w.strip("()") in ORG_EXCLUDED]
    if excluded:
        # a kind of body not annotated, or a place: the body named after its last "of" ("the
        # Pyongyang Mission of the Anti-Imperialist National Democratic Front"), or before
        # "in" ("the … Trade Company in Yanji City"), else none
        of = [i for i in range(excluded[-1] + 1, len(words) - 1) if words[i] == "of"]
        cut = [i for i in range(1, excluded[0]) if words[i] == "in"]
        if of:
            rest = words[of[0] + 1 :]
            rest = rest[1:] if rest[0] == "the" else rest
            start, words = end - len(" ".join(rest)), rest
        elif cut:
            words = words[: cut[-1]]
            end = start + len(" ".join(words))
        else:
            return None
        if ORG_HEADS.isdisjoint(words) or any(w.strip("()") in ORG_EXCLUDED for w in words):
            return None
    while words and words[-1] in _TRAILING_WORDS:
        end -= len(words.pop()) + 1
    if len(words) < 2 or words[-1][:1].islower():
        return None
    if inside(start, end, places):
        return None
    heads = [m.start() for m in _ORG_HEAD_WORD.finditer(text, start, end)]
    if all(inside(h, h + 1, places) for h in heads):
        return None  # the body word is part of a country's name ("Soviet Union", "Russian Federation")
    return start, end, text[start:end]


_ABBREVIATION = re.compile(r"\s*\(([A-Z][A-Z0-9&.-]+)\)\Z")
#: A news medium named after the word for it ("the Nepali paper Arpan", "the Mexican paper
#: Unidad Nacional"): its name is whatever capitalised words follow. The words are found by
#: the extractor's automaton with the names, the name then matched right after the word.
MEDIUM_WORDS = ("paper", "newspaper", "daily", "weekly", "magazine", "journal", "radio", "TV", "television", "website")
_MEDIUM_NAME = re.compile(r"\s+[\"“]?([A-Z][\w'’.-]*(?:\s+(?:(?:of|de|del|la|el)\s+)?[A-Z0-9][\w'’.-]*){0,3})")
#: The words bodies' generic names are made of (GUIDE O4: "Ministry of Health", "Women's
#: Society for Achieving Peace"): a foreign body named with these only takes its country's
#: alpha-3 before its slug; a name that starts with another word is a proper name, and the
#: "of <country>" KCNA appends to it is no part of it ("Sankei Shimbun of Japan").
GENERIC_WORDS = frozenset(
    (
        "ministry ministries department departments parliament cabinet senate assembly national council "
        "government commission committee agency office bureau service services army navy air force forces "
        "defense defence foreign affairs health agriculture education finance justice interior trade industry "
        "industries labor labour culture cultural sports public security administration unification military "
        "economy economic planning information communications transport energy power environment home state "
        "supreme court federal general staff joint chiefs police intelligence statistics land maritime "
        "fisheries science technology tourism social welfare women womens youth family construction housing "
        "water resources natural railways commerce investment development cooperation international relations "
        "legislative house representatives deputies chamber central peoples popular democratic socialist "
        "communist workers party union association society federation league front movement group "
        "organization organisation organizations organisations alliance confederation solidarity peace "
        "achieving friendship study studies institute center centre foundation forum community authority "
        "corps secretariat presidential executive standing permanent united independent liberation "
        "revolutionary progressive unity new red free student students teachers journalists writers artists "
        "lawyers farmers peasants veterans young human rights trade unions broadcasting system news press "
        "radio television publishing self-defense self-defence coast guard marine marines special operations"
    ).split()
)
#: The words that make a generic name a state body's, which takes its country's alpha-3 (a
#: party or league named "Communist Party of India" keeps its whole name).
STATE_HEADS = frozenset(
    (
        "Ministry Parliament Cabinet Senate Assembly Agency Army Navy Forces Force Department Commission Council "
        "Court Office Service Government Congress Chamber Police Corps"
    ).split()
)
#: The country whose bodies with generic names keep a bare slug (GUIDE O4: "cabinet").
BARE_COUNTRY = "PRK"
#: Other names of a generic body, as its canonical name says it.
_GENERIC_FORMS = (("Foreign Ministry", "Ministry of Foreign Affairs"), ("Defence Ministry", "Ministry of Defence"))
_SPACES = re.compile(r"\s+")
_OF_TAIL = re.compile(r"\s+of(?:\s+the)?\s*\Z")


def generic(word: str) -> bool:
    """Whether a word of a body's name is a common word, not a proper name."""
    return word.lower().replace("’", "'").removesuffix("'s").replace("'", "").strip('.,()"') in GENERIC_WORDS


def body_id(name: str, places: list[tuple[int, int, str, str]]) -> tuple[str, str]:
    """The id and name of a body found by shape (GUIDE O4), from its name as written and the
    ``(start, end, alpha-3, country name)`` of the country words in it (offsets into ``name``;
    -1 for a country named right before it, "the south Korean 'Ministry of Defense'"):
    a generic name tied to a foreign country is that country's body (``idn-ministry-of-health``
    for "Ministry of Health of Indonesia", ``ven-ministry-of-foreign-affairs`` for "Venezuelan
    Foreign Ministry"); a proper name drops the country KCNA appends ("MS Travel Agency of
    Germany" is ``ms-travel-agency``); a bracketed abbreviation is no part of the name."""
    name = org_name(name)
    if not places or not name:
        return slug(name), name
    start, end, code, country = places[-1]
    tail = end >= len(name.rstrip()) and _OF_TAIL.search(name, 0, start) is not None
    base = _OF_TAIL.sub("", name[:start]) if tail else None  # "… of Indonesia", "… of the DPRK"
    rest = name
    for s, e, _, _ in reversed(places):
        if s >= 0:  # a negative offset: the country is named before the name, not in it
            rest = rest[:s] + " " + rest[e:]
    rest = _SPACES.sub(" ", _OF_TAIL.sub("", rest.strip())).strip().strip("-")
    for form, canonical in _GENERIC_FORMS:
        rest = rest.replace(form, canonical)
    words = [w for w in rest.split(" ") if w not in _TRAILING_WORDS]
    if words and all(generic(w) for w in words) and rest[:1].isupper() and not STATE_HEADS.isdisjoint(words):
        if code == BARE_COUNTRY:
            return slug(rest), rest
        return f"{code.lower()}-{slug(rest)}", f"{rest} of {country}"
    if base and base.split(" ")[0] and not generic(base.split(" ")[0]) and len(base.split(" ")) >= 2:
        return slug(base), base
    return slug(name), name


def org_name(name: str) -> str:
    """A body's name without the abbreviation that follows it in brackets ("Korean
    Children's Union (KCU)" is the Korean Children's Union): the same body, the same id."""
    return _ABBREVIATION.sub("", name)
