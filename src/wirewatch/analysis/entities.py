"""Entity extraction: who and which countries a text mentions (GUIDE 2–5: docs/annotation-guide.md).

Dictionary matching over the actor data with two Aho-Corasick automata (built once per
``Actors`` and kept on it), then rules; names the data do not hold are found by their
shape in ``wirewatch.analysis.unknown``:

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
- **Unknown persons and organisations** (GUIDE P5, O4): by the shape of their names, in
  the text the dictionary left free (``unknown``).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import ahocorasick

from wirewatch.analysis.bodies import (
    MEDIUM_WORDS,
    ORG_ORGANS,
    in_institution_name,
    longer_name,
    unknown_media,
    unknown_organizations,
)
from wirewatch.analysis.body_ids import STATE_FORM, body_id, context_id, generic, known_body
from wirewatch.analysis.surnames import surname_mentions
from wirewatch.analysis.ties import tie_countries
from wirewatch.analysis.unknown import (
    Taken,
    inside,
    names_institution,
    next_word,
    slug,
    unknown_names,
    unknown_persons,
)
from wirewatch.models import EntityCount, Mention

if TYPE_CHECKING:
    from wirewatch.analysis.actors import Actors, Organization

__all__ = ["count_entities", "find_mentions", "slug", "unknown_names"]

#: The entity kinds of the layer of countries; persons, organisations and titles form the other.
_COUNTRY_LAYER = frozenset(("country", "capital", "korea", "ignore"))

#: Words after "Korean" that make it the DPRK state abroad (GUIDE C3 c).
KOREAN_STATE_WORDS = frozenset(
    (
        "side ambassador ambassadors embassy embassies delegation delegations government team teams official "
        "officials diplomat diplomats consulate consul mission party-state military navy athletes players"
    ).split()
)
#: Epithets before "Korea" that make it the DPRK (GUIDE C3 d).
KOREA_EPITHETS = (
    "juche korea",
    "songun korea",
    "socialist korea",
    "kim il sung's korea",
    "kim jong il's korea",
    "kim jong un's korea",
    "juche-oriented korea",
    "independent korea",
)
#: Verbs after a capital that make it the government speaking or deciding (GUIDE C9).
CAPITAL_VERBS = frozenset(
    (
        "said says claimed claims announced announces agreed agrees decided decides insisted insists asserted "
        "asserts declared declares threatened threatens warned warns urged urges demanded demands refused "
        "refuses rejected rejects accused accuses denounced denounces intends intended plans planned has have "
        "had will would should must cannot can could is are was were"
    ).split()
)
PREPOSITIONS = frozenset(
    "in at to from into via through near around of for visited reached left toward towards on".split()
)

#: Page furniture: the "Date: … | Source: …" line of a saved page (GUIDE G3).
_SOURCE_LINE = re.compile(r"(?m)^[^\n]*\bSource: [^\n]*$")
_QUOTED = re.compile(r"[“\"]([^“”\"\n]{3,300})[”\"]")
_PREVIOUS_WORD = re.compile(r"([\w'’.-]+)\W*$")
#: After a title: a name follows ("the President, Vladimir Putin"), unless it is a word
#: that only looks like one ("The", "Of").
_NAME_AFTER = re.compile(r",? ?(?:[A-Z][\w'’.-]+ ){0,1}[A-Z][\w'’-]+")
_NO_NAME_AFTER = re.compile(r",? ?(?:The|And|Of|In|On|At|For|To)\b")
_OF_AFTER = re.compile(r" of\b")
_VICE_BEFORE = re.compile(r"(?:vice|deputy)[- ]\Z", re.IGNORECASE)
#: What may lie between a country's adjective and a medium's name ("Nepali paper ", "Mexican
#: daily "), or a body's name (the south Korean "Ministry of Defense").
_MEDIUM_GAP = re.compile(r"\s+(?:[a-z-]+\s+){1,3}[\"“]?")
#: Words that make a body found by shape an international one ("Inter-Parliamentary Union",
#: "World Peace Council", "Afro-Asian People's Solidarity Organization").
_INTERNATIONAL = re.compile(r"\b(?:International|Inter-\w+|World|Global|Afro-Asian|Non-Aligned|Regional)\b")
#: Between a country's adjective or possessive and a body's name ("DPRK's Ministry of …").
_ADJECTIVE_GAP = re.compile(r"(?:['’]s)?\s+[\"“]?")
_OF_PLACE = re.compile(r" of (?:the )?")
#: Between a body's name and the country KCNA appends to it: "of", after a firm's legal form
#: ("… Holdings Ltd. of China").
_AFTER_NAME = re.compile(r"(?: (?:Inc|Co|Ltd|Corp)\.,?){0,2} of (?:the )?")  # "… Joint Co., Ltd. of Japan"
_NAME_OF = re.compile(r"([A-Z][\w'’-]*) of (?:the )?\Z")
_STATE_FORM = re.compile(STATE_FORM + r" ")
_PARTNER_BEFORE = re.compile(r"\bwith (?:the )?\Z")


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
        for word in MEDIUM_WORDS:  # where an unknown medium's name may follow (``unknown_media``)
            add("medium", "", word)
        self.automaton = _automaton(exact_table)
        self.loose_automaton = _automaton(loose_table)
        #: Persons by the slug of their canonical name, for names found by shape.
        self.by_slug = {slug(p.name): p for p in actors.persons.values()}

    def candidates(self, text: str) -> tuple[list[_Candidate], list[_Candidate]]:
        """Every listed form in ``text`` on word boundaries, overlaps included: those of
        persons, organisations and titles, then those of countries, each in scan order."""
        plain = text.replace("’", "'")
        low = plain.lower()
        if len(low) != len(text):  # a character whose lowercase is longer: keep offsets
            low = "".join(ch.lower()[:1] for ch in plain)
        names: list[_Candidate] = []
        places: list[_Candidate] = []
        _scan(self.automaton, plain, names, places)
        _scan(self.loose_automaton, low, names, places)
        return names, places


def _automaton(table: dict[str, list[_Pattern]]) -> ahocorasick.Automaton:
    """Each form with its length and its patterns split by layer (names, places)."""
    automaton = ahocorasick.Automaton()
    for key, patterns in table.items():
        names = tuple(p for p in patterns if p.kind not in _COUNTRY_LAYER)
        places = tuple(p for p in patterns if p.kind in _COUNTRY_LAYER)
        automaton.add_word(key, (len(key), names, places))
    automaton.make_automaton()
    return automaton


def _scan(automaton: ahocorasick.Automaton, text: str, names: list[_Candidate], places: list[_Candidate]) -> None:
    """The matches of ``automaton`` in ``text`` that start and end on word boundaries."""
    if not len(automaton):
        return
    size = len(text)
    for last, (length, name_patterns, place_patterns) in automaton.iter(text):
        end = last + 1
        start = end - length
        if start > 0 and (
            text[start - 1].isalnum() or (text[start - 1] == "'" and start > 1 and text[start - 2].isalnum())
        ):
            continue
        if end < size and text[end].isalnum():
            continue
        for pattern in name_patterns:
            names.append(_Candidate(start, end, pattern))
        for pattern in place_patterns:
            places.append(_Candidate(start, end, pattern))


def matcher(actors: Actors) -> Matcher:
    """The matcher for ``actors``, built on first use and kept on the instance."""
    built = actors.cache.get("matcher")
    if built is None:
        built = actors.cache["matcher"] = Matcher(actors)
    return built


def _longest_first(cand: _Candidate) -> tuple[int, int]:
    return cand.start - cand.end, cand.start


def _select(candidates: list[_Candidate]) -> list[_Candidate]:
    """Longest first, then leftmost; no two chosen spans overlap. In text order."""
    if len(candidates) < 2:
        return candidates
    taken = bytearray(max(c.end for c in candidates))  # 1 where a chosen span lies
    chosen: list[_Candidate] = []
    for cand in sorted(candidates, key=_longest_first):
        start, end = cand.start, cand.end
        if taken.find(1, start, end) < 0:
            chosen.append(cand)
            taken[start:end] = b"\1" * (end - start)
    chosen.sort(key=_start)
    return chosen


def _start(cand: _Candidate) -> int:
    return cand.start


def _work_titles(text: str) -> list[tuple[int, int]]:
    """Spans of quoted titles of works (GUIDE G2), not scare quotes, nor quoted speech: a
    quotation that ends its sentence with a full stop, or holds one ("… in revenge for their
    provocation."), is what someone said, and its names count."""
    spans = []
    for match in _QUOTED.finditer(text):
        inner = match.group(1).strip()
        if inner.endswith((".", ",")) or ". " in inner:
            continue
        if len(inner.split()) >= 4 or inner.endswith(("!", "?")):
            spans.append(match.span(1))
    return spans


def find_mentions(text: str, actors: Actors, on: dt.date | None) -> list[Mention]:
    """Every entity mention in ``text`` (the title, a blank line, the body), in order;
    office titles resolved on ``on``."""
    match = matcher(actors)
    names, places = match.candidates(text)
    works = _work_titles(text) if ("“" in text or '"' in text) else []
    layer_a = _select(names)
    layer_b = _select(places)

    skipped = works + [m.span() for m in _SOURCE_LINE.finditer(text)] if "Source:" in text else works
    titles = [c for c in layer_a if c.pattern.kind == "title"]
    if titles:  # an organisation named inside an office title counts too ("… of the Federation Council")
        title_spans = [(t.start, t.end) for t in titles]
        inner = _select([c for c in names if c.pattern.kind == "organization" and inside(c.start, c.end, title_spans)])
        if inner:
            layer_a = sorted(layer_a + inner, key=_start)
    layer_a, hidden = _bodies_named_otherwise(text, layer_a, layer_b, actors)
    mentions: list[Mention] = []
    person_spans: list[tuple[int, int]] = []
    org_spans: list[tuple[int, int, Organization | None]] = []
    titles = []
    media_words: list[tuple[int, int]] = []
    title_end = text.find("\n\n")
    for cand in layer_a:
        pattern, start, end = cand.pattern, cand.start, cand.end
        kind = pattern.kind
        if skipped and inside(start, end, skipped):
            continue
        if kind == "person":
            if not pattern.form.endswith("'s") and names_institution(text, end, title_end):
                continue
            person = actors.persons[pattern.target]
            person_spans.append((start, end))
            mentions.append(Mention("person", person.id, person.name, actors.role_country(person, on), start, end))
        elif kind == "organization":
            org = actors.organizations[pattern.target]
            org_spans.append((start, end, org))
            mentions.append(Mention("organization", org.id, org.name, org.country, start, end))
            for code in org.countries or ():
                country = actors.countries[code]
                mentions.append(Mention("country", code, country.name, code, start, end))
        elif kind == "medium":
            media_words.append((start, end))
        else:
            titles.append(cand)

    taken = Taken(len(text), [(c.start, c.end) for c in layer_a if c.pattern.kind != "medium"] + hidden)
    for mention in unknown_persons(text, taken, works, match.by_slug):
        person_spans.append((mention.start, mention.end))
        mentions.append(mention)
    place_spans = [(c.start, c.end) for c in layer_b]
    media = unknown_media(text, taken, media_words, place_spans) if media_words else []
    for start, end, name in media:
        if not (skipped and inside(start, end, skipped)):
            # the country of the adjective before the medium's word ("the Nepali paper Arpan")
            located = next(
                (
                    c.pattern.target
                    for c in reversed(layer_b)
                    if c.end < start <= c.end + 40
                    and c.pattern.kind == "country"
                    and _MEDIUM_GAP.fullmatch(text, c.end, start)
                ),
                None,
            )
            org_spans.append((start, end, None))
            mentions.append(Mention("organization", slug(name), name, located, start, end, known=False))
    for start, end, _ in unknown_organizations(text, taken, place_spans, set(person_spans)):
        if not (skipped and inside(start, end, skipped)):
            org_spans.append((start, end, None))
            body = _unknown_body(text, start, end, layer_b, actors)
            known = known_body(body.id, body.country, actors)
            if known is not None:  # a body the data hold, named generically ("… of South Korea")
                body = Mention("organization", known.id, known.name, known.country, body.start, body.end)
            mentions.append(body)
    if titles:
        named = {m.id for m in mentions if m.type == "person"}
        for cand in titles:
            by_title = _title_mention(text, cand, actors, on, named, person_spans)
            if by_title is not None and not (works and inside(cand.start, cand.end, works)):
                mentions.append(by_title)

    works = skipped
    country_spans = [(c.start, c.end) for c in layer_b if c.pattern.kind in ("country", "korea")]
    for cand in layer_b:
        kind, start, end = cand.pattern.kind, cand.start, cand.end
        if kind == "ignore" or inside(start, end, person_spans) or (works and inside(start, end, works)):
            continue
        enclosing = next((i for i, (s, e, _) in enumerate(org_spans) if s <= start and end <= e), None)
        in_org = enclosing is not None
        holder = org_spans[enclosing][2] if enclosing is not None else None
        if holder is not None and holder.countries is not None:
            continue  # the organisation says which countries its name names
        code = cand.pattern.target
        if kind == "korea" and not (in_org or _korea_is_state(text, start, end, country_spans)):
            continue
        if kind == "capital" and not _capital_is_government(text, start, end):
            continue
        country = actors.countries[code]
        mentions.append(Mention("country", code, country.name, code, start, end))
    mentions.sort(key=_span)
    return surname_mentions(text, tie_countries(text, mentions))


def _unknown_body(text: str, start: int, end: int, places: list[_Candidate], actors: Actors) -> Mention:
    """The mention of a body found by shape at ``start:end``, with the country the text ties
    it to (GUIDE O5) and its id (GUIDE O4, ``body_id``): a country in its name, the adjective
    right before it (the south Korean "Ministry of Defense"), "of <country>" right after it
    (the "Ministry of Defense of south Korea"); else, for a generic name, the country the
    text named last before it ("20 women's organizations of south Korea. Among them were the
    Women's Solidarity, …")."""
    within = [
        (c.start - start, c.end - start, c.pattern.target, actors.countries[c.pattern.target].name)
        for c in places
        if start <= c.start and c.end <= end and c.pattern.kind == "country"
    ]
    if not within:
        before = next(
            (
                c
                for c in places
                if c.end < start <= c.end + 4
                and c.pattern.kind == "country"
                and _ADJECTIVE_GAP.fullmatch(text, c.end, start)
            ),
            None,
        )
        after = _AFTER_NAME.match(text, end)
        named = after and _country_at(text, after.end(), places)
        if before is not None:
            within = [(-1, -1, before.pattern.target, actors.countries[before.pattern.target].name)]
        elif named is not None:
            # KCNA's "of south Korea", left out of the name as written: the country of a
            # generic state body's (``kor-ministry-of-defense``), no part of another name
            code = named.pattern.target
            place = (named.start - start, named.end - start, code, actors.countries[code].name)
            id, name = body_id(text[start : named.end], [place])
            if not id.startswith(f"{code.lower()}-"):
                id, name = body_id(text[start:end], [])
            return Mention("organization", id, name, code, start, named.end, known=False)
    id, name = body_id(text[start:end], within)
    if within:
        # a country the name says the body is "with" is its partner, not its own ("Institute
        # for the Friendship and Solidarity with DPRK of Ecuador" is Ecuador's)
        own = [
            w for w in within if w[0] < 0 or not _PARTNER_BEFORE.search(text, max(0, start + w[0] - 10), start + w[0])
        ]
        return Mention("organization", id, name, (own or within)[0][2], start, end, known=False)
    last = next((c for c in reversed(places) if c.end <= start and c.pattern.kind == "country"), None)
    if last is not None:
        code = last.pattern.target
        tied = context_id(name, code, actors.countries[code].name)
        if tied is not None:
            return Mention("organization", tied[0], tied[1], code, start, end, known=False)
    # a body the name says is international has no country's side (GUIDE O5, E3)
    return Mention("organization", id, name, None, start, end, known=_INTERNATIONAL.search(name) is not None)


def _bodies_named_otherwise(
    text: str, names: list[_Candidate], places: list[_Candidate], actors: Actors
) -> tuple[list[_Candidate], list[tuple[int, int]]]:
    """``names`` less the listed bodies that the text names as part of another name: the end
    of a longer body's name ("the Hungarian Communist Workers' Party"), a generic name given
    another country ("the Workers' Party of Mexico", "the National Assembly of Nigeria"), whose
    whole names the shape pass then reads; and the spans of bodies in the name of a place
    named after them ("the Museum of … of the Korean People's Army"), no mention of them."""
    kept = []
    hidden = []
    place_spans: list[tuple[int, int]] | None = None
    for cand in names:
        if cand.pattern.kind == "organization":
            if (
                text.startswith(" of ", cand.start - 4) or text.startswith(" of the ", cand.start - 8)
            ) and in_institution_name(text, cand.start):
                hidden.append((cand.start, cand.end))
                continue
            if place_spans is None:
                place_spans = [(c.start, c.end) for c in places]
            if longer_name(text, cand.start, cand.end, place_spans):
                continue
            owned = actors.organizations[cand.pattern.target].country
            before = next((c for c in places if c.end == cand.start - 1 and c.pattern.kind == "country"), None)
            if (
                before is not None
                and before.pattern.target != owned
                and text[cand.start - 1] == " "
                and all(generic(word) for word in text[cand.start : cand.end].split())
            ):
                continue  # a generic name after another country's word ("the Lao National Assembly")
            after = _OF_PLACE.match(text, cand.end)
            country = owned if after is not None else None
            if after is not None and country is not None:
                elsewhere = _country_at(text, after.end(), places)
                owner = _NAME_OF.search(text, max(0, cand.start - 40), cand.start)
                # not when it ends another name ("the Senate of the National Assembly of
                # Nigeria": the Nigerian assembly, ``ties``), unless an organ's, which folds
                if (
                    elsewhere is not None
                    and elsewhere.pattern.target != country
                    and (owner is None or owner.group(1) in ORG_ORGANS)
                ):
                    continue
        kept.append(cand)
    return kept, hidden


def _country_at(text: str, at: int, places: list[_Candidate]) -> _Candidate | None:
    """The country named at ``at``, or after a state's form there ("People's Democratic
    Republic of Laos", where the data name the country "Laos")."""
    found = next((c for c in places if c.start == at and c.pattern.kind == "country"), None)
    if found is None and (form := _STATE_FORM.match(text, at)) is not None:
        found = next((c for c in places if c.start == form.end() and c.pattern.kind == "country"), None)
    return found


def _span(mention: Mention) -> tuple[int, int]:
    return mention.start, mention.end


def _title_mention(
    text: str,
    cand: _Candidate,
    actors: Actors,
    on: dt.date | None,
    named: set[str],
    person_spans: list[tuple[int, int]],
) -> Mention | None:
    """The holder a bare title names, or None when a name goes with it or none resolves."""
    end = cand.end
    window = end + 60
    if _NAME_AFTER.match(text, end, window) and not _NO_NAME_AFTER.match(text, end, window):
        return None  # a name follows: the name is the mention
    if _OF_AFTER.match(text, end, window) and not cand.pattern.form.lower().endswith(" of"):
        return None  # "the President of Mali": another office
    if _VICE_BEFORE.search(text, max(0, cand.start - 7), cand.start):
        return None  # "the vice-president of Iran": another office
    if any(e <= cand.start <= e + 2 and text[e : cand.start] in (", ", ",") for s, e in person_spans):
        return None  # "Kim Yong Nam, president of the Presidium…": the name is the mention
    if on is None:
        return None
    role = actors.roles[cand.pattern.target]
    person = actors.holder(role.id, on)
    if person is None or (role.named_only and person.id not in named):
        return None
    return Mention(
        "person",
        person.id,
        person.name,
        actors.role_country(person, on),
        cand.start,
        cand.end,
        by_title=True,
        role=role.id,
    )


def _korea_is_state(text: str, start: int, end: int, countries: list[tuple[int, int]]) -> bool:
    """GUIDE C3 (b)–(d): "Korea"/"Korean" alone standing for the DPRK state."""
    if end < len(text) and text[end] == "-" and any(s == end + 1 for s, _ in countries):
        return True  # Korea-China
    if start > 0 and text[start - 1] == "-" and any(e == start - 1 for _, e in countries):
        return True  # Switzerland-Korea
    word = text[start:end]
    if word == "Korean" and next_word(text, end).lower() in KOREAN_STATE_WORDS and text[end : end + 1] == " ":
        return True
    before = text[max(0, start - 25) : end].lower().replace("’", "'")
    return word.startswith("Korea") and before.endswith(KOREA_EPITHETS)


def _capital_is_government(text: str, start: int, end: int) -> bool:
    """GUIDE C9: possessive, or the subject of a speech or decision verb."""
    if text[end : end + 2] in ("'s", "’s"):
        return True
    found = _PREVIOUS_WORD.search(text, max(0, start - 40), start)
    previous = found.group(1) if found else ""
    if previous.lower() in PREPOSITIONS or (
        previous[:1].isupper() and text[start - 1 : start] == " " and not previous.endswith(".")
    ):
        return False
    return text[end : end + 1] == " " and next_word(text, end).lower() in CAPITAL_VERBS


def count_entities(mentions: Iterable[Mention]) -> list[EntityCount]:
    """One per entity, ``by_title`` when any mention was by title only; most mentioned first."""
    seen: dict[tuple[str, str], list] = {}  # key -> [count, first mention, by title]
    for mention in mentions:
        key = (mention.type, mention.id)
        entry = seen.get(key)
        if entry is None:
            seen[key] = [1, mention, mention.by_title]
        else:
            entry[0] += 1
            if mention.by_title:
                entry[2] = True
    ordered = sorted(seen.items(), key=lambda item: (-item[1][0], item[0]))
    return [
        EntityCount(first.type, first.id, first.name, first.country, count, by_title)
        for _, (count, first, by_title) in ordered
    ]
