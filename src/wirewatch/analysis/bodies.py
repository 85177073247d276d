"""Organisations the actor data do not hold, found by the shape of their names (GUIDE O1–O5,
with issue 17's broader scope: docs/annotation-guide.md section 7.2), and their ids.

A pass of entity extraction (``entities.find_mentions`` runs it after the dictionary pass and
the persons found by shape, on the text they left free):

- **Bodies**: capitalised words ending in, or headed by, a word for a body ("… Association",
  "… Party", "… Company", "… Publishing House"), an organ folded into its body (GUIDE O3),
  kinds of bodies not annotated left out (GUIDE O2); one run of words is cut into the bodies
  it names (``_bodies``).
- **News media** named after the word for them ("the Nepali paper Arpan").
- **Ids** (GUIDE O4): their own module, ``analysis.body_ids``.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from wirewatch.analysis.sentences import ABBREVIATIONS
from wirewatch.analysis.unknown import (
    _LEADING_WORDS,
    _NOT_NAME_WORDS,
    _TRAILING_WORDS,
    DATE_NAMES,
    Taken,
    _word_start,
    inside,
)

__all__ = [
    "FIRM_SUFFIXES",
    "MEDIUM_WORDS",
    "ORG_EXCLUDED",
    "ORG_HEADS",
    "ORG_ORGANS",
    "in_institution_name",
    "longer_name",
    "unknown_media",
    "unknown_organizations",
]

#: Unknown organisations by shape: capitalised words ending in, or headed by, a word for a body.
#: A quoted name of a few words is one of the words ("Communist Party of Peru "Red Motherland"",
#: "Ukrainian "Treasured Sword of Songun" Association …", "… for Lifting the "May 24 Step"");
#: one with "and" in it is not, so that no body is cut inside its quotes.
_ORG_SHAPE = re.compile(
    r"[A-Z][\w'’.-]*(?: (?:(?:of|for|the|and|with|on|in|to|against) )*(?:"
    # a date a name holds ("… for Implementing the June 15 Joint Declaration"); one after it
    # ("… on May 22") is cut off by ``_bodies``
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December) \d{1,2}\b"
    r"|(?:[A-Z]\.){2,}|[A-Z][\w'’-]*|\([A-Z][\w-]*\)"
    r"|[\"“][A-Z0-9][\w'’-]*(?: (?:(?:of|the|for) )*[A-Z0-9][\w'’-]*){0,4}[\"”]))+"
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
#: Words for a body only "for" or "of" something (``_headed``).
_WEAK_HEADS = frozenset(("Center", "Centre", "Institute"))
#: Words for people that name a group "for" its cause (``_for_cause``).
_COLLECTIVE = frozenset(
    "People Citizens Lawyers Students Professors Teachers Doctors Scholars Christians Workers Journalists".split()
)
#: Before a leader's name that ends a body's name: what the body is for ("… Committee for
#: Remembering President …", "… Institute to Honor the Memory of President …").
_IN_MEMORY_OF = re.compile(
    r"\b(?:Remembering|Commemorating|Honou?ring|Memory\s+of|Study\s+of|Works\s+of)\s+(?:(?:President|Leader|General|"
    r"Generalissimo|Marshal)\s+)?\Z"
)
#: Organs that fold into the body named after them (GUIDE O3): "… Committee of the X Party" is X.
ORG_ORGANS = frozenset(
    "Committee Bureau Secretariat Branch Department Council Commission Presidium Chapter Section Headquarters".split()
)
#: The words that qualify an organ in its name ("Central Committee", "Standing Committee").
# ("C.C.": the Central Committee, "the Political Bureau of the C.C.")
_ORGAN_QUALIFIERS = frozenset("Central Political Standing Executive Permanent Politburo C.C. C.C C".split())
#: Titles before "of the X": the body is X ("General Director of the Associated Fruit Group").
_TITLE_WORDS = frozenset(
    "Director Chairman Chairwoman President Secretary Head Member Members Officials Chief Leader Spokesman "
    "Representative Delegation Delegates Minister".split()
)
#: Office holders after a word for a body: the phrase names a post and a person (``_post``).
_POSTS = frozenset(
    "Secretary Secretaries Minister Ministers Chairman Chairwoman Chairmen Director Directors Spokesman "
    "Spokeswoman President Premier".split()
)
#: Kinds of bodies not annotated (GUIDE O2), and names that are no body at all.
ORG_EXCLUDED = frozenset(
    (
        "University School College Academy Hospital Museum Factory Plant Farm Mine Theatre Theater Troupe "
        "Embassy Consulate Mission Preparatory Organizing Organising Conference Festival Games Championship "
        "Championships Exhibition Prize Provincial City County Municipal District Province Talks Day Week "
        "Month Year War Street Square Hotel Restaurant Station Stadium Hall Kim Peninsula Sea Ocean Cup Park "
        "Zone Region Session Plenary Meeting Symposium Seminar Ceremony Monument Tower Research Medical "
        "Scientific Laboratory Group's Center's Law Bill Act Prefectural Funeral Circus Ensemble Orchestra Choir"
    ).split()
)
#: The words that make a body local (GUIDE O2), unless it is a citizens' body for a cause.
_LOCAL_WORDS = frozenset("Provincial Prefectural".split())
#: The words of such a body's cause.
_CAUSE_WORDS = frozenset("for Friendship Solidarity".split())


def _civic(words: list[str]) -> bool:
    """Whether a body's name with a local word states a cause ("… for Supporting the
    Independent and Peaceful Reunification of Korea", "… Institute for the Friendship and
    Solidarity with …"): a citizens' body, not a local government's or party's."""
    return not _LOCAL_WORDS.isdisjoint(words) and not _CAUSE_WORDS.isdisjoint(words)


#: The legal form after a firm's name, left out of it ("Mizuho Financial Group Inc.").
FIRM_SUFFIXES = frozenset("Inc Co Ltd Corp LLC PLC SAE S.A.E S.A SA AG GmbH".split())
#: The legal forms that make a run of capitalised words a firm without a word for a body
#: ("Honda Motor Co."): the abbreviated ones, which name nothing else (the full stop after them
#: is no part of the run).
_FIRM_MARKS = frozenset(("Inc", "Co", "Ltd", "Corp"))
#: The words ``_bodies`` cuts at (a name without them is one body as it stands).
_SPECIAL_WORDS = DATE_NAMES | frozenset(w + suffix for w in FIRM_SUFFIXES for suffix in ("", ".", ",", ".,")) | {"and"}
_BRACKETED = re.compile(r"\([A-Z][A-Z0-9&.-]+\)")
#: The rest of a list that the last "of" of a name governs ("Front of Workers, Peasants and
#: Students of Peru", "Ministry of Education, Culture, Sports, Science and Technology"): one or
#: two capitalised words an item, the last after "and", and the name's own "of …" after it.
#: Not after a place ("Party of Korea, Japan and China" is a party and two countries); when
#: "of" another body found before follows, the name is an organ of that body (GUIDE O3:
#: "Committee of Culture, …, and News Agency of the National Assembly").
_LIST_ITEM = r"[A-Z][\w'’-]*(?: [A-Z][\w'’-]*)?"
_LISTED = re.compile(rf"(?:, {_LIST_ITEM})+,? and {_LIST_ITEM}(?: of (?:the )?{_LIST_ITEM})?")
#: What makes a name an organ of a body named before (GUIDE O3): "its Central Committee",
#: "the Committee for External Relations of the party".
_OWNER_BEFORE = re.compile(r"\b(?:its|their) \Z")
_OF_BODY = re.compile(
    r" of (?:the|its|this|that) (?:party|organization|organisation|association|union|federation|league|"
    r"society|front|movement|council|committee|assembly|parliament|government)\b"
)
#: Places and institutions named after a body: "… of the <body>" ends their name.
_INSTITUTION_OF = re.compile(
    r"\b(?:Museum|Exhibition|Hall|House|University|College|Academy|School|Hospital|Theatre|Theater|Monument|"
    r"Cemetery|Tower|Palace|Stadium|Prize|Order|Medal)(?: (?:of|and|the|[A-Z][\w'’-]*))*? of (?:the )?\Z"
)
#: "of the" before another name ("… of the \"National Assembly\"").
_OF_NAME = re.compile(r" of (?:the )?[\"“]?")


def unknown_organizations(
    text: str, taken: Taken, places: list[tuple[int, int]], persons: Collection[tuple[int, int]] = ()
) -> list[tuple[int, int, str]]:
    """Organisations the data do not hold, by the shape of their name (slug ids, GUIDE O4):
    ``(start, end, name)`` in text order, clear of ``taken`` but for ``persons`` named inside
    them ("Group for the Study of Kim Jong Il Juche Idea"), and not inside ``places`` (the
    spans of the country words)."""
    found: list[tuple[int, int, str]] = []
    body = text.find("\n\n")  # a headline's Title Case makes every phrase look like a name
    resume = 0  # the end of a list read into the name before
    for match in _ORG_SHAPE.finditer(text, body + 2 if body >= 0 else 0):
        words = match.group().split(" ")
        firm = False
        if ORG_HEADS.isdisjoint(words):  # most capitalised phrases: checked first, in C
            if words[-1] in _FIRM_MARKS and text.startswith(".", match.end()):
                firm = True  # "Honda Motor Co.": a firm by its legal form
            elif not (words[0] in _COLLECTIVE or words[1] in _COLLECTIVE) or not _for_cause(words):
                continue
        if not _word_start(text, match.start()) or match.start() < resume:
            continue
        if len(words) > 2 and words[-2] in ("of", "for") and text.startswith(", ", match.end()):
            listed = _LISTED.match(text, match.end())
            if listed is not None and not inside(match.end() - len(words[-1]), match.end(), places):
                resume = listed.end()
                after = _OF_NAME.match(text, resume)
                if taken.overlaps(listed.start(), resume) or (
                    after is not None and taken.overlaps(after.end(), after.end() + 1)
                ):
                    continue  # an organ of a body found before (GUIDE O3)
                words = [*words[:-1], words[-1] + ",", *listed.group()[2:].split(" ")]
        for start, piece in (
            part for at, sentence in _sentences(match.start(), words) for part in _bodies(at, sentence)
        ):
            if len(piece) > 1 and piece[-1].endswith(("'s", "’s")):
                piece = [*piece[:-1], piece[-1][:-2]]  # "the DPRK Ministry of Public Health's cooperation"
            if not (firm or _headed(piece) or _for_cause(piece)):
                continue  # a name "and the" joins to a body's ("Rajin Port and the Corporation")
            if _post(piece) or _organ_only(piece):
                continue
            end = start + len(" ".join(piece))
            name = _one_body(text, start, end, piece, taken, places, persons)
            if name is not None:
                found.append(name)
    return found


def _sentences(start: int, words: list[str]) -> list[tuple[int, list[str]]]:
    """A run of capitalised words cut where a sentence ends inside it ("… only in China. The
    China Hong Kong … Foundation"), each part with its offset: a word's full stop ends a
    sentence unless the word is an initial, an abbreviation with stops inside ("U.S.", "C.C."),
    a firm's legal form ("Co.") or another abbreviation ("Mt.")."""
    parts: list[tuple[int, list[str]]] = []
    current: list[str] = []
    offset = start
    for word in words:
        current.append(word)
        bare = word[:-1]
        if (
            word.endswith(".")
            and len(bare) > 1
            and "." not in bare
            and bare not in FIRM_SUFFIXES
            and bare.rsplit("-", 1)[-1].lower() not in ABBREVIATIONS  # "Harbin-Mt. Kumgang …"
        ):
            parts.append((offset, current))
            offset += len(" ".join(current)) + 1
            current = []
    if current:
        parts.append((offset, current))
    return parts


def _post(words: list[str]) -> bool:
    """Whether a name is a post and who holds it, not a body: a word for a body, then one for
    an office holder ("Deputy Chief Cabinet Secretaries Fujii and Fukuyama", "Party Secretary …")."""
    heads = [index for index, word in enumerate(words) if word in ORG_HEADS]
    return bool(heads) and heads[-1] + 1 < len(words) and words[heads[-1] + 1] in _POSTS


def _organ_only(words: list[str]) -> bool:
    """Whether a name is only an organ's, with no body's name in it ("the Central Committee",
    "the Political Bureau of the Central Committee"): the organ of a body named elsewhere,
    which folds into that body (GUIDE O3), not a body of its own."""
    named = [w for w in words if w not in ("of", "the", "The", "and")]
    return bool(named) and all(w in ORG_ORGANS or w in _ORGAN_QUALIFIERS for w in named)


def _headed(words: list[str]) -> bool:
    """Whether a name holds a word for a body: a centre or an institute only "for" or "of"
    something ("Center for the Study of …"; "the Korean Computer Center" is a place, "the
    Strategy Institute" a research institute, GUIDE O2)."""
    for index, word in enumerate(words):
        if word in ORG_HEADS and (word not in _WEAK_HEADS or words[index + 1 : index + 2] in (["for"], ["of"])):
            return True
    return False


def _for_cause(words: list[str]) -> bool:
    """Whether a name is that of a group of people "for" a cause ("People for Achieving Peace
    and Reunification", "Professors for Democracy")."""
    first = 1 if words and words[0] in _LEADING_WORDS else 0
    return len(words) > first + 1 and words[first] in _COLLECTIVE and words[first + 1] == "for"


def longer_name(text: str, start: int, end: int, places: list[tuple[int, int]]) -> bool:
    """Whether a listed body's name at ``start:end`` is the end of a longer name of another
    body ("the Hungarian Communist Workers' Party", "the All-India Indo-Korean Friendship
    Association"): a capitalised word before it, not a country's, a title's or a sentence's
    first word (the shape pass then reads the whole name)."""
    if start < 2 or not text[start - 2].isalpha() or text[start - 1] not in " -":
        return False  # most names: no word right before
    if text[start - 1] == " ":  # (a hyphen: "Indo-Korean Friendship Association")
        word = text[max(0, start - 40) : start - 1].rsplit(None, 1)[-1]
        first = start - 1 - len(word)
        if (
            not word[:1].isupper()
            or word in _LEADING_WORDS
            or word in _NOT_NAME_WORDS
            or word in _TITLE_WORDS
            or word in ORG_HEADS
            or word in ORG_EXCLUDED
            or _sentence_start(text, first)
            or inside(first, start - 1, places)
        ):
            return False
    # a name without a word for a body, which the shape pass would not read
    return _ORG_HEAD_WORD.search(text, start, end) is not None


def in_institution_name(text: str, start: int) -> bool:
    """Whether a body named at ``start`` is part of the name of a place or institution named
    after it, which is no mention of the body ("the Museum of Arms and Equipment of the
    Korean People's Army", GUIDE P4's rule for persons)."""
    return _INSTITUTION_OF.search(text, max(0, start - 80), start) is not None


def unknown_media(
    text: str, taken: Taken, words: list[tuple[int, int]], places: list[tuple[int, int]]
) -> list[tuple[int, int, str]]:
    """News media the data do not hold, named right after the word for a medium ("the Nepali
    paper Arpan") or before it in apposition ("Minjok Thongsin, an Internet newspaper of …"):
    ``words`` are the spans of such words, which the extractor's automaton found;
    ``(start, end, name)`` in text order, clear of ``taken`` (which then holds them) and of
    the country words' ``places``."""
    found = []
    for start, end in words:
        match = _MEDIUM_NAME.match(text, end)
        if match is not None:
            name = _medium_name(text, match, taken)
            if name is not None:
                found.append(name)
                continue
        before = _MEDIUM_APPOSED.search(text, max(0, start - 80), start)
        if before is not None and _word_start(text, before.start(1)):
            first, last = before.span(1)
            if not taken.overlaps(first, last) and not any(s < last and first < e for s, e in places):
                taken.add(first, last)
                found.append((first, last, before.group(1)))
    return sorted(found)


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
    """The bodies one run of capitalised words names, each with its start: cut around a date
    ("… Juche Idea on May 22"), after a bracketed abbreviation the organ that follows ("…
    Organization (PLO) Executive Committee" is the organization), and split where "and"
    joins two names with a body word each ("… Agency and the Ministry of …")."""
    if _SPECIAL_WORDS.isdisjoint(words) and not any(w[:1] == "(" for w in words):
        return [(start, words)]  # most names: nothing to cut
    for index, word in enumerate(words[1:], 1):
        # not a date a name holds ("… for Implementing the June 15 Joint Declaration"); the
        # words after one are read on their own ("On February 7 Sankei Shimbun of Japan")
        if word.rstrip(".,") in DATE_NAMES and words[index - 1] != "the":
            after = index + 1 + (index + 1 < len(words) and words[index + 1].isdigit())
            rest = words[after:]
            later = _bodies(start + len(" ".join(words[:after])) + 1, rest) if rest else []
            return [*_bodies(start, words[:index]), *later]
    while words and words[-1].rstrip(".,") in FIRM_SUFFIXES:
        words = words[:-1]
    for index, word in enumerate(words[:-1]):
        if _BRACKETED.fullmatch(word) and index > 0:
            words = words[: index + 1]
            break
    for index, word in enumerate(words[1:], 1):
        if word == "and" and words[index + 1 : index + 2] == ["the"]:
            # no body's name holds "and the": two names ("The Korean Association of Cooks and
            # the General Bureau …"), each a body only with a word for one (the caller checks).
            # Cut there first: "the French Group for the Study of the Juche Idea and Songun
            # Idea and the Ukrainian … Association" holds an "and" inside a name before it.
            before = words[:index]
            return [*_bodies(start, before), *_bodies(start + len(" ".join(before)) + 9, words[index + 2 :])]
    pieces: list[tuple[int, list[str]]] = []
    offset, current = start, list[str]()
    for index, word in enumerate(words):
        if word == "and" and current and not ORG_HEADS.isdisjoint(current):
            rest = words[index + 1 :]
            if rest and rest[0] == "the":
                rest = rest[1:]
            # a second name has a word for a body before any "of": "… Propaganda and Training
            # Affairs of the Central Committee of …" goes on naming one organ
            head = rest[: rest.index("of")] if "of" in rest else rest
            # nor does a cause after "for" with a partner ("Institute for the Friendship and
            # Solidarity with DPRK", "… and Cultural Solidarity with the Korean People"),
            # unlike a name ("… for Friendship with Foreign Countries and China-Korea
            # Friendship Association", "Group for … and Group for Self-Reliance Studies")
            first = next((i for i, w in enumerate(rest) if w in ORG_HEADS), len(rest))
            cause = "for" in current[1:] and rest[first + 1 : first + 2] == ["with"]
            if not cause and not ORG_HEADS.isdisjoint(head) and rest[:1] and rest[0][:1].isupper():
                pieces.append((offset, current))
                return [*pieces, *_bodies(start + len(" ".join(words)) - len(" ".join(rest)), rest)]
        current.append(word)
    pieces.append((offset, current))
    return pieces


def _one_body(
    text: str,
    start: int,
    end: int,
    words: list[str],
    taken: Taken,
    places: list[tuple[int, int]],
    persons: Collection[tuple[int, int]],
) -> tuple[int, int, str] | None:
    """One body's name trimmed (leading articles, organs folded, trailing connectors), or None."""
    while words and (words[0] in _LEADING_WORDS or words[0] == "the" or (len(words) > 2 and words[1] == "the")):
        start += len(words.pop(0)) + 1  # "The …", "Later the …": no body's name starts "X the"
    if len(words) > 2 and words[0].endswith(("'s", "’s")) and inside(start, start + len(words[0]) - 2, places):
        start += len(words.pop(0)) + 1  # a country's possessive: "the DPRK's Ministry of …"
    for index in range(len(words) - 2, -1, -1):
        if words[index].endswith(("'s", "’s")) and words[index][:-2] in ORG_HEADS:
            # a body's possessive starts the name after it ("the Ministry's Eastern Railway
            # Ryonun Company")
            start += len(" ".join(words[: index + 1])) + 1
            words = words[index + 1 :]
            break
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
    first = taken.mask.find(1, start, end)
    inner = []
    while persons and first >= 3 and text.startswith("of ", first - 3):
        # a person named inside this name, as what it is "of" and with more of the name after
        # it ("Group for the Study of Kim Jong Il Juche Idea"): part of the name
        stop = taken.mask.find(0, first, end)
        if (
            stop < 0
            or (first, stop) not in persons
            or not text.startswith(" ", stop)
            or not text[stop + 1 : stop + 2].isupper()
            or taken.overlaps(stop + 1, stop + 2)
        ):
            break
        inner.append((first, stop))
        first = taken.mask.find(1, stop, end)
    if (
        persons
        and first > start
        and taken.mask.find(0, first, end) < 0
        and _IN_MEMORY_OF.search(text, start, first)
        and (first, end) in persons
        and not ORG_HEADS.isdisjoint(text[start:first].split())
    ):
        # a body named for a leader, whose name ends it ("the Nigerian National Committee for
        # Remembering President Kim Il Sung", "… Association for Memory of President …")
        inner.append((first, end))
        first = -1
    if first >= 0:
        # a name runs on into a person found before ("the Associated Fruit Group Kim Chol Ho")
        while words and start + len(" ".join(words)) > first:
            words = words[:-1]
        end = start + len(" ".join(words))
        # only a name that ends in its body word, not an organ "of" a body found before ("the
        # Anti-Terror Committee of Security Council") or a title ("Former … Army Chief")
        if not words or words[-1] not in ORG_HEADS or taken.overlaps(start, end):
            return None
    excluded = [i for i, w in enumerate(words) if w.strip("()") in ORG_EXCLUDED]
    if excluded and _civic(words):
        # a citizens' body of a prefecture or province abroad ("Tokushima Prefectural Citizens'
        # Forum for Japan-Korea Friendship") is an association, not a local body (GUIDE O2)
        excluded = [i for i in excluded if words[i] not in _LOCAL_WORDS]
    if excluded and inner:  # the words of a name inside this one are no kind of body
        at = [start + len(" ".join(words[:i])) + (i > 0) for i in range(len(words))]
        excluded = [i for i in excluded if not inside(at[i], at[i] + 1, inner)]
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
    if not ORG_ORGANS.isdisjoint(words) and (
        _OWNER_BEFORE.search(text, max(0, start - 8), start) or _OF_BODY.match(text, end)
    ):
        return None  # an organ of a body named before (GUIDE O3): "its Central Committee"
    if inside(start, end, places):
        return None
    heads = [m.start() for m in _ORG_HEAD_WORD.finditer(text, start, end)]
    if heads and all(inside(h, h + 1, places) for h in heads):
        return None  # the body word is part of a country's name ("Soviet Union", "Russian Federation")
    return start, end, text[start:end]


#: A news medium named after the word for it ("the Nepali paper Arpan", "the Mexican paper
#: Unidad Nacional"): its name is whatever capitalised words follow. The words are found by
#: the extractor's automaton with the names, the name then matched right after the word.
MEDIUM_WORDS = (
    "paper",
    "newspaper",
    "daily",
    "weekly",
    "magazine",
    "journal",
    "radio",
    "TV",
    "television",
    "website",
    "broadcasting service",
    "news service",
)
#: A medium's name in apposition before the word for it: "Minjok Thongsin, an Internet
#: newspaper of …" (two to four capitalised words opening the clause, a comma, an article,
#: at most two words before the medium's word).
_MEDIUM_APPOSED = re.compile(r"(?:^|[.\n] |\n)([A-Z][\w'’-]*(?: [A-Z][\w'’-]*){1,3}), (?:a|an|the) (?:[\w-]+ ){0,2}\Z")
_MEDIUM_NAME = re.compile(r"\s+[\"“]?([A-Z][\w'’.-]*(?:\s+(?:(?:of|de|del|la|el)\s+)?[A-Z0-9][\w'’.-]*){0,3})")
