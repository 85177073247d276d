"""Entity extraction: who and which countries a text mentions (tests/eval/GUIDE.md, 2–5).

Dictionary matching over the actor data with one Aho-Corasick automaton (built once per
``Actors`` and kept on it), then rules:

- **Longest match first**, on word boundaries. Persons, organisations and titles form one
  layer, countries another: a country word inside an organisation's name or an office
  title still counts ("Russian Federation Council" → RUS too, GUIDE C10), one inside a
  person's name does not, and the ``ignore`` phrases hide theirs ("Korean Peninsula").
- **Casing**: names, abbreviations and demonyms match as written ("south Korea" and
  "South Korea" are listed forms; "US" is not "us"); "the north" is not a country.
  Office titles match in any case, except the bare DPRK leader titles marked
  ``named_only`` ("the President", "the General").
- **Korea alone** (GUIDE C3) is PRK only inside a DPRK organisation's name, as the
  Korean side of a hyphenated pair ("Korea-China"), before a word for the state abroad
  ("Korean side", "Korean ambassador"), or after a DPRK epithet ("Juche Korea").
- **Capitals** (GUIDE C9) count for the government only when possessive
  ("Washington's") or the subject of a speech or decision verb ("Seoul claimed"), and
  not after a preposition ("in Beijing").
- **Titles** (GUIDE P2, P3): a title followed by a name gives the named person (whatever
  the title says on that date); a bare title gives the holder on the article's date
  (``by_title``); ``named_only`` titles only when the holder is named in the text too;
  a title followed by "of" (another office) or with no date to resolve on gives nothing.
- **Names inside other names** (GUIDE P4): a person's name followed by an institution
  word ("Kim Il Sung University", "Kim Il Sung Prize") is not a person mention.
- **Titles of works** (GUIDE G2): mentions inside a quoted title (four words or more, or
  ending in "!" or "?") are dropped.
- **Ambiguous names**: "Georgia" is the country (KCNA writes of the state of Georgia too
  rarely to matter); "Congo" alone is the Republic of the Congo (COG), the DRC needs its
  own name ("DR Congo", "Democratic Republic of the Congo"); "Jordan" is the country
  (no person of that name is in the data); "Guinea" is GIN, the longer names win
  ("Guinea-Bissau", "Papua New Guinea", "Equatorial Guinea").
- **Unknown persons**: a Korean-shaped name (a Korean family name and two syllables,
  "Ri Kyu Jae") or a name after a person's title ("Chairman Anders Kristensen") or
  before an appositive title ("Anders Kristensen, chairman of…") that the data do not
  hold is a person whose id is the slug of the name (GUIDE P5).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import ahocorasick

from wirewatch.models import EntityCount, Mention

if TYPE_CHECKING:
    from wirewatch.analysis.actors import Actors

__all__ = ["count_entities", "find_mentions", "slug", "unknown_names"]

#: Layer of the entity kinds: "a" (persons, organisations, titles) or "b" (countries).
_LAYER = {"person": "a", "organization": "a", "title": "a", "country": "b", "capital": "b", "korea": "b", "ignore": "b"}

#: Words after a person's name that make it part of another name (GUIDE P4).
INSTITUTION_WORDS = frozenset(
    """university universities college school schools prize prizes order medal medals
    foundation square street bridge stadium mausoleum palace memorial
    museum hall library institute academy factory plant farm mine station park
    birthplace house garden gymnasium hospital tower theatre theater
    socialist youth league kimilsungia kimjongilia award awards cup club complex
    complexes exhibition badge badges flower avenue""".split()
)

#: Words after "Korean" that make it the DPRK state abroad (GUIDE C3 c).
KOREAN_STATE_WORDS = frozenset(
    """side ambassador ambassadors embassy embassies delegation delegations government
    team teams official officials diplomat diplomats consulate consul mission party-state
    military navy athletes players""".split()
)
#: Epithets before "Korea" that make it the DPRK (GUIDE C3 d).
KOREA_EPITHETS = ("juche korea", "songun korea", "socialist korea", "kim il sung's korea", "kim jong il's korea",
                  "kim jong un's korea", "juche-oriented korea", "independent korea")
#: Verbs after a capital that make it the government speaking or deciding (GUIDE C9).
CAPITAL_VERBS = frozenset(
    """said says claimed claims announced announces agreed agrees decided decides insisted
    insists asserted asserts declared declares threatened threatens warned warns urged
    urges demanded demands refused refuses rejected rejects accused accuses denounced
    denounces intends intended plans planned has have had will would should must cannot
    can could is are was were""".split()
)
PREPOSITIONS = frozenset("in at to from into via through near around of for visited reached left toward towards on".split())

# Korean family names as KCNA and others romanise them (for unknown Korean-shaped names).
KOREAN_SURNAMES = frozenset(
    """Kim Ri Yi Lee Pak Park Choe Choi Jang Chang Kang Han Hyon Ho Hong Jon Jong Chong Ju
    Kil Ko Kwak Mun Moon No Roh O Oh Paek Ryu Ryom Rim Im Sin Shin Son Song Thae Tae Yang
    Yun Yoon Cha Chae Cho Jo Chu Chon Hwang Ka Kye Ma Min Nam Om Pang Pyon Byon So Sok Sung
    U Wi Yom Yu Ahn An Ryang Tong Ji Jin Kong Kung Chi Ok Kwon Kwang Mo Myong Na Ra Ro Sim
    Sol To Tak Chun Jun Hyun Ku Koh Lim Baek Seo Suh Ham Ryo Yo Ki Pae Phyo Kal Kyong Yon Hwa Rho Pok""".split()
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
    r"Chief|Editor|Counsellor|Counselor|Consul|Envoy|Deputy|Representative|Lieutenant|Colonel|Admiral)"
)
_NAME_TOKEN = r"(?:[A-Z][\w'’.-]*[a-z][\w'’-]*\.?|[A-Z]\.)"
_NAME = rf"{_NAME_TOKEN}(?: (?:(?:de|da|del|dos|van|von|bin|al|el|la|le|di)\ )?{_NAME_TOKEN}){{1,3}}"
_TITLED_NAME = re.compile(rf"{_PERSON_TITLE} ({_NAME})")
#: An appositive title after a name ("Anders Kristensen, chairman of …"): found first,
#: then the name is read backwards from it (much faster than a name pattern at every offset).
_APPOSITIVE_TITLE = re.compile(
    r", (?:a |an |the )?(?:former |acting |honorary |first |vice-|deputy )?"
    r"(?:chairman|chairwoman|chairperson|president|secretary|general secretary|secretary-general|director|"
    r"ambassador|minister|head|leader|member|representative|editor|editor-in-chief|professor|spokesman|"
    r"spokeswoman|founder|commander|chief|manager|deputy|advisor|adviser|envoy|correspondent|writer|"
    r"journalist|senator|governor|mayor|speaker|king|prime minister|premier|vice-chairman|vice-president)\b"
)
_NAME_TOKEN_ONLY = re.compile(rf"{_NAME_TOKEN}\Z")
_NAME_PARTICLES = frozenset("de da del dos van von bin al el la le di".split())
_NAME_TAIL = re.compile(r"[\w'’.-]+\Z")
#: Words that cannot be part of an unknown person's name (they start other names).
_NOT_NAME_WORDS = frozenset(
    """The A An In On At Of For And But To From With By As This That These Those It Its He She They We
    His Her Their Our DPRK Korea Korean Party Committee Association Union Federation Council Assembly
    Ministry Army University Institute Society League Front People's National Central Democratic
    Republic State Supreme General Great President Premier Minister Chairman Secretary Ambassador
    Juche Songun January February March April May June July August September October November December
    Monday Tuesday Wednesday Thursday Friday Saturday Sunday Mt. Mount Iron Steel Works""".split()
)
#: Page furniture: the "Date: … | Source: …" line of a saved page (GUIDE G3).
_SOURCE_LINE = re.compile(r"(?m)^[^\n]*\bSource: [^\n]*$")
#: Words of office and body names that start no person's name.
_OFFICE_WORDS = frozenset(
    """Security Affairs Foreign Defence Defense Public Finance Trade Culture Education Health Justice
    Industry Commission Department Bureau Office Interior Home External Economy Economic Planning
    Agriculture Labour Labor Information Communications Transport Energy Power Electric Culture Sports
    Youth Women Workers Cabinet Government Parliament Senate House Staff Forces Navy Force Council
    Political Military International Executive Standing Permanent Honorary Acting Former Deputy Vice
    Chief Head Embassy Mission Consulate Delegation Party Assembly Ministry Minister Secretary
    Chairman Ambassador Director Editor Representative Commander""".split()
)
#: Unknown organisations by shape: capitalised words ending in, or headed by, a word for a body.
_ORG_SHAPE = re.compile(
    r"[A-Z][\w'’.-]*(?: (?:(?:of|for|the|and|with|on|in|to|against) )*(?:[A-Z][\w'’-]*|\([A-Z][\w-]*\)))+"
)
ORG_HEADS = frozenset(
    """Association Associations Party Committee Union Federation League Society Institute Forum Foundation
    Front Movement Council Congress Assembly Organization Organisation Agency Ministry Senate Parliament
    Army Commission Group Centre Center Alliance Confederation Secretariat""".split()
)
_ORG_HEAD_WORD = re.compile(r"\b(?:" + "|".join(sorted(ORG_HEADS)) + r")\b")
#: Organs that fold into the body named after them (GUIDE O3): "… Committee of the X Party" is X.
ORG_ORGANS = frozenset("Committee Bureau Secretariat Branch Department Council Commission Presidium Chapter Section".split())
#: Kinds of bodies not annotated (GUIDE O2), and names that are no body at all.
ORG_EXCLUDED = frozenset(
    """University School College Academy Hospital Museum Factory Plant Company Corporation Bank Farm Mine
    Theatre Theater Troupe Club Team Embassy Consulate Mission Preparatory Organizing Organising Conference
    Festival Games Championship Championships Exhibition Prize Provincial City County Municipal District
    Province Talks Day Week Month Year War Street Square Hotel Restaurant Station Stadium Hall Kim Peninsula
    Sea Ocean Cup Park Zone Region Enterprise Co. Ltd Inc. Group's Session Plenary Meeting Symposium
    Seminar Ceremony Monument Tower Research Medical Scientific Laboratory Center's""".split()
)
_QUOTED = re.compile(r"[“\"]([^“”\"\n]{3,300})[”\"]")
_UNKNOWN = re.compile(r"\b[A-Z][\w'’-]+(?: (?:of |de |the |and )?[A-Z][\w'’-]+)+")


def slug(name: str) -> str:
    """A name as an id (GUIDE P5): ASCII, lowercase, words joined by hyphens."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    ascii_name = ascii_name.replace("'", "").replace("’", "")
    return "-".join(re.findall(r"[a-z0-9]+", ascii_name.lower()))


@dataclass(frozen=True, slots=True)
class _Pattern:
    kind: str
    target: str
    form: str
    exact: bool


@dataclass(slots=True)
class _Candidate:
    start: int
    end: int
    pattern: _Pattern


class Matcher:
    """The automata over every actor form; built once per Actors (``matcher``).

    Forms matched as written go in one automaton run over the text itself, with a capital
    first variant for lowercase-initial forms (GUIDE C2: "North Korea" opening a sentence);
    office titles matched in any case go in another, run over the lowercased text. Keeping
    them apart spares the scan of every "un" in "under" that a single lowercase automaton
    would find and then reject.
    """

    def __init__(self, actors: Actors) -> None:
        exact_table: dict[str, list[_Pattern]] = {}
        loose_table: dict[str, list[_Pattern]] = {}

        def add(kind: str, target: str, form: str, exact: bool = True) -> None:
            form = form.replace("’", "'").strip()
            if not form:
                return
            pattern = _Pattern(kind, target, form, exact)
            if not exact:
                loose_table.setdefault(form.lower(), []).append(pattern)
                return
            exact_table.setdefault(form, []).append(pattern)
            if form[:1].islower():
                exact_table.setdefault(form[:1].upper() + form[1:], []).append(pattern)

        for country in actors.countries.values():
            for name in country.names:
                add("country", country.id, name)
            for adjective in country.adjectives:
                add("country", country.id, adjective)
                if adjective[-1] in "ni" and not adjective.endswith("ni ") and adjective not in ("Sino",):
                    add("country", country.id, adjective + "s")  # Americans, Pakistanis
            for capital in country.capitals:
                add("capital", country.id, capital)
        for phrase in actors.ignore:
            add("ignore", "", phrase)
        for form in ("Korea", "Korean", "Koreans", "Korea's"):
            add("korea", "PRK", form)
        for person in actors.persons.values():
            if person.match_name:
                for name in (person.name, *person.aliases):
                    add("person", person.id, name)
                    if name[:1].isupper() and not name.endswith("s"):
                        add("person", person.id, name + "'s")
        for org in actors.organizations.values():
            for name in (org.name, *org.aliases) if org.match_name else org.aliases:
                add("organization", org.id, name)
        for role in actors.roles.values():
            for title in actors.role_titles(role):
                add("title", role.id, title, exact=role.named_only)
        self.automaton = _automaton(exact_table)
        self.loose_automaton = _automaton(loose_table)
        #: Persons by the slug of their canonical name, for names found by shape.
        self.by_slug = {slug(p.name): p for p in actors.persons.values()}

    def candidates(self, text: str) -> list[_Candidate]:
        plain = text.replace("’", "'")
        low = plain.lower()
        if len(low) != len(text):  # a character whose lowercase is longer: keep offsets
            low = "".join(ch.lower()[:1] for ch in plain)
        found: list[_Candidate] = []
        _scan(self.automaton, plain, found)
        _scan(self.loose_automaton, low, found)
        return found


def _automaton(table: dict[str, list[_Pattern]]) -> ahocorasick.Automaton:
    automaton = ahocorasick.Automaton()
    for key, patterns in table.items():
        automaton.add_word(key, (len(key), tuple(patterns)))
    automaton.make_automaton()
    return automaton


def _scan(automaton: ahocorasick.Automaton, text: str, found: list[_Candidate]) -> None:
    """The matches of ``automaton`` in ``text`` that start and end on word boundaries."""
    if not len(automaton):
        return
    size = len(text)
    for last, (length, patterns) in automaton.iter(text):
        end = last + 1
        start = end - length
        if start > 0 and (text[start - 1].isalnum() or (text[start - 1] == "'" and start > 1 and text[start - 2].isalnum())):
            continue
        if end < size and text[end].isalnum():
            continue
        for pattern in patterns:
            found.append(_Candidate(start, end, pattern))


def matcher(actors: Actors) -> Matcher:
    """The matcher for ``actors``, built on first use and kept on the instance."""
    built = actors.cache.get("matcher")
    if built is None:
        built = actors.cache["matcher"] = Matcher(actors)
    return built


def _select(candidates: Iterable[_Candidate]) -> list[_Candidate]:
    """Longest first, then leftmost; no two chosen spans overlap."""
    ordered = sorted(candidates, key=lambda c: (c.start - c.end, c.start))
    if not ordered:
        return []
    chosen: list[_Candidate] = []
    taken = bytearray(max(c.end for c in ordered))  # 1 where a chosen span lies
    for cand in ordered:
        if taken.find(1, cand.start, cand.end) < 0:
            chosen.append(cand)
            taken[cand.start:cand.end] = b"\1" * (cand.end - cand.start)
    chosen.sort(key=lambda c: c.start)
    return chosen


def _inside(start: int, end: int, spans: Iterable[tuple[int, int]]) -> bool:
    return any(s <= start and end <= e for s, e in spans)


def _next_word(text: str, end: int) -> str:
    match = re.match(r"[\s,]*([\w'’-]+)", text[end:end + 40])
    return match.group(1) if match else ""


def _prev_word(text: str, start: int) -> str:
    match = re.search(r"([\w'’.-]+)\W*$", text[max(0, start - 40):start])
    return match.group(1) if match else ""


def _work_titles(text: str) -> list[tuple[int, int]]:
    """Spans of quoted titles of works (GUIDE G2), not scare quotes."""
    spans = []
    for match in _QUOTED.finditer(text):
        inner = match.group(1).strip()
        if len(inner.split()) >= 4 or inner.endswith(("!", "?")):
            spans.append(match.span(1))
    return spans


def find_mentions(text: str, actors: Actors, on: dt.date | None) -> list[Mention]:
    """Every entity mention in ``text`` (the title, a blank line, the body), in order;
    office titles resolved on ``on``."""
    found = matcher(actors).candidates(text)
    works = _work_titles(text) if ("“" in text or '"' in text) else []
    layer_a = _select(c for c in found if _LAYER[c.pattern.kind] == "a")
    layer_b = _select(c for c in found if _LAYER[c.pattern.kind] == "b")

    skipped = works + [m.span() for m in _SOURCE_LINE.finditer(text)] if "Source:" in text else works
    titles = [c for c in layer_a if c.pattern.kind == "title"]
    if titles:  # an organisation named inside an office title counts too ("… of the Federation Council")
        inner = _select(c for c in found if c.pattern.kind == "organization" and _inside(c.start, c.end, [(t.start, t.end) for t in titles]))
        layer_a = sorted(layer_a + inner, key=lambda c: c.start)
    mentions: list[Mention] = []
    person_spans: list[tuple[int, int]] = []
    org_spans: list[tuple[int, int, Any]] = []
    titles = []
    for cand in layer_a:
        kind, start, end = cand.pattern.kind, cand.start, cand.end
        if skipped and _inside(start, end, skipped):
            continue
        if kind == "person":
            if not cand.pattern.form.endswith("'s") and _next_word(text, end).lower() in INSTITUTION_WORDS:
                continue
            person = actors.persons[cand.pattern.target]
            person_spans.append((start, end))
            mentions.append(Mention("person", person.id, person.name, actors.role_country(person, on), start, end))
        elif kind == "organization":
            org = actors.organizations[cand.pattern.target]
            org_spans.append((start, end, org))
            mentions.append(Mention("organization", org.id, org.name, org.country, start, end))
            for code in org.countries or ():
                country = actors.countries[code]
                mentions.append(Mention("country", code, country.name, code, start, end))
        else:
            titles.append(cand)

    taken = [(c.start, c.end) for c in layer_a]
    mentions += _unknown_persons(text, taken, works, actors, person_spans)
    for start, end, name in _unknown_organizations(text, taken, [(c.start, c.end) for c in layer_b]):
        if not (skipped and _inside(start, end, skipped)):
            code = next((c.pattern.target for c in layer_b if start <= c.start and c.end <= end and c.pattern.kind == "country"), None)
            org_spans.append((start, end, None))
            mentions.append(Mention("organization", slug(name), name, code, start, end))
    named = {m.id for m in mentions if m.type == "person"}
    for cand in titles:
        mention = _title_mention(text, cand, actors, on, named, person_spans)
        if mention is not None and not (works and _inside(cand.start, cand.end, works)):
            mentions.append(mention)

    works = skipped
    country_spans = [(c.start, c.end) for c in layer_b if c.pattern.kind in ("country", "korea")]
    for cand in layer_b:
        kind, start, end = cand.pattern.kind, cand.start, cand.end
        if kind == "ignore" or _inside(start, end, person_spans) or (works and _inside(start, end, works)):
            continue
        org = next((o for s, e, o in org_spans if s <= start and end <= e), None)
        in_org = any(s <= start and end <= e for s, e, _ in org_spans)
        if org is not None and org.countries is not None:
            continue  # the organisation says which countries its name names
        code = cand.pattern.target
        if kind == "korea" and not (in_org or _korea_is_state(text, start, end, country_spans)):
            continue
        if kind == "capital" and not _capital_is_government(text, start, end):
            continue
        country = actors.countries[code]
        mentions.append(Mention("country", code, country.name, code, start, end))
    mentions.sort(key=lambda m: (m.start, m.end))
    return mentions


def _title_mention(
    text: str, cand: _Candidate, actors: Actors, on: dt.date | None, named: set[str],
    person_spans: list[tuple[int, int]],
) -> Mention | None:
    """The holder a bare title names, or None when a name goes with it or none resolves."""
    after = text[cand.end:cand.end + 60]
    if re.match(r",? ?(?:[A-Z][\w'’.-]+ ){0,1}[A-Z][\w'’-]+", after) and not re.match(r",? ?(?:The|And|Of|In|On|At|For|To)\b", after):
        return None  # a name follows: the name is the mention
    if re.match(r" of\b", after) and not cand.pattern.form.lower().endswith(" of"):
        return None  # "the President of Mali": another office
    if any(e <= cand.start <= e + 2 and text[e:cand.start] in (", ", ",") for s, e in person_spans):
        return None  # "Kim Yong Nam, president of the Presidium…": the name is the mention
    if on is None:
        return None
    role = actors.roles[cand.pattern.target]
    person = actors.holder(role.id, on)
    if person is None or (role.named_only and person.id not in named):
        return None
    return Mention(
        "person", person.id, person.name, actors.role_country(person, on), cand.start, cand.end,
        by_title=True, role=role.id,
    )


def _korea_is_state(text: str, start: int, end: int, countries: list[tuple[int, int]]) -> bool:
    """GUIDE C3 (b)–(d): "Korea"/"Korean" alone standing for the DPRK state."""
    if end < len(text) and text[end] == "-" and any(s == end + 1 for s, _ in countries):
        return True  # Korea-China
    if start > 0 and text[start - 1] == "-" and any(e == start - 1 for _, e in countries):
        return True  # Switzerland-Korea
    word = text[start:end]
    if word == "Korean" and _next_word(text, end).lower() in KOREAN_STATE_WORDS and text[end:end + 1] == " ":
        return True
    before = text[max(0, start - 25):end].lower().replace("’", "'")
    return word.startswith("Korea") and before.endswith(KOREA_EPITHETS)


def _capital_is_government(text: str, start: int, end: int) -> bool:
    """GUIDE C9: possessive, or the subject of a speech or decision verb."""
    if text[end:end + 2] in ("'s", "’s"):
        return True
    previous = _prev_word(text, start)
    if previous.lower() in PREPOSITIONS or (previous[:1].isupper() and text[start - 1:start] == " " and not previous.endswith(".")):
        return False
    return text[end:end + 1] == " " and _next_word(text, end).lower() in CAPITAL_VERBS


def _unknown_persons(
    text: str, taken: list[tuple[int, int]], works: list[tuple[int, int]], actors: Actors,
    person_spans: list[tuple[int, int]],
) -> list[Mention]:
    """Persons the data do not hold, by name shape and context (slug ids, GUIDE P5)."""
    found: dict[tuple[int, int], str] = {}
    for match in _THREE_WORDS.finditer(text):
        if not _word_start(text, match.start()):
            continue
        given = (match.group(2), match.group(3))
        if match.group(1) not in KOREAN_SURNAMES or any(g in _NOT_NAME_WORDS for g in given):
            continue
        found[match.span()] = match.group(0)
    for match in _TITLED_NAME.finditer(text):
        if not _word_start(text, match.start()):
            continue
        name = _trim_name(match.group(1))
        if name:
            start = match.start(1)
            found[(start, start + len(name))] = name
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
    known = matcher(actors).by_slug
    for (start, end), name in sorted(found.items()):
        if any(not (end <= s or start >= e) for s, e in taken) or (works and _inside(start, end, works)):
            continue
        if _next_word(text, end).lower() in INSTITUTION_WORDS:
            continue
        taken.append((start, end))
        person_spans.append((start, end))
        id = slug(name)
        person = known.get(id)
        if person is not None:
            mentions.append(Mention("person", person.id, person.name, person.country, start, end))
        else:
            mentions.append(Mention("person", id, name, None, start, end))
    return mentions


def _unknown_organizations(
    text: str, taken: list[tuple[int, int]], places: list[tuple[int, int]]
) -> list[tuple[int, int, str]]:
    """Organisations the data do not hold, by the shape of their name (slug ids, GUIDE O4)."""
    found: list[tuple[int, int, str]] = []
    body = text.find("\n\n")  # a headline's Title Case makes every phrase look like a name
    for match in _ORG_SHAPE.finditer(text, body + 2 if body >= 0 else 0):
        start, end = match.span()
        if not _word_start(text, start):
            continue
        words = match.group(0).split(" ")
        if not any(w in ORG_HEADS for w in words) or any(w.strip("()") in ORG_EXCLUDED for w in words):
            continue
        while words and words[0] in ("The", "A", "An", "In", "On", "At", "For", "To", "From", "By", "With"):
            start += len(words.pop(0)) + 1
        # fold an organ into its body: "Central Committee of the X Party" → "X Party"
        for index in range(len(words) - 2, 0, -1):
            if words[index] in ("of", "of the") and words[index - 1] in ORG_ORGANS:
                rest = words[index + 1:]
                if rest and rest[0] == "the":
                    rest = rest[1:]
                if any(w in ORG_HEADS for w in rest):
                    start = end - len(" ".join(rest))
                    words = rest
                break
        while words and words[-1] in ("of", "for", "the", "and", "with", "on", "in", "to", "against"):
            end -= len(words.pop()) + 1
        if len(words) < 2 or words[-1][:1].islower():
            continue
        if any(not (end <= s or start >= e) for s, e in taken) or _inside(start, end, places):
            continue
        heads = [m.start() for m in _ORG_HEAD_WORD.finditer(text, start, end)]
        if all(_inside(h, h + 1, places) for h in heads):
            continue  # the body word is part of a country's name ("Soviet Union", "Russian Federation")
        found.append((start, end, text[start:end]))
    return found


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


def _word_start(text: str, start: int) -> bool:
    """Whether ``start`` begins a word (the ``\\b`` the fast patterns leave out)."""
    if start == 0:
        return True
    before = text[start - 1]
    return not (before.isalnum() or before == "_")


def _trim_name(name: str) -> str | None:
    """An unknown name cut at the first word that cannot be in one; None if too short."""
    words = name.replace("’", "'").split(" ")
    while words and (words[0] in _NOT_NAME_WORDS or words[0] in _OFFICE_WORDS):
        words.pop(0)  # "(Minister of Public) Security Ju Sang Song" → "Ju Sang Song"
    kept: list[str] = []
    for word in words:
        if word in _NOT_NAME_WORDS or word.rstrip("'s") in _NOT_NAME_WORDS:
            break
        kept.append(word)
    while kept and kept[-1].lower() in {"de", "da", "del", "dos", "van", "von", "bin", "al", "el", "la", "le", "di"}:
        kept.pop()
    if kept and kept[-1].endswith("'s"):
        kept[-1] = kept[-1][:-2]
    capitalised = [w for w in kept if w[:1].isupper()]
    return " ".join(kept) if len(capitalised) >= 2 else None


def count_entities(mentions: Iterable[Mention]) -> list[EntityCount]:
    """One per entity, ``by_title`` when any mention was by title only; most mentioned first."""
    counts: Counter[tuple[str, str]] = Counter()
    first: dict[tuple[str, str], Mention] = {}
    by_title: set[tuple[str, str]] = set()
    for mention in mentions:
        key = (mention.type, mention.id)
        counts[key] += 1
        first.setdefault(key, mention)
        if mention.by_title:
            by_title.add(key)
    ordered = sorted(first, key=lambda key: (-counts[key], key))
    return [
        EntityCount(first[k].type, first[k].id, first[k].name, first[k].country, counts[k], k in by_title) for k in ordered
    ]


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
