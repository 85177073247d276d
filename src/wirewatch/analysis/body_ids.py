"""The ids of bodies found by shape (GUIDE O4, docs/annotation-guide.md; ``analysis.bodies``
finds them, ``analysis.entities`` ties them to a country):

- ``body_id``: a foreign state body with a generic name takes its country's alpha-3
  (``idn-ministry-of-health``), the DPRK's a bare slug; a proper name drops the
  "of <country>" KCNA appends to it ("Sankei Shimbun of Japan"), a party keeps it;
- ``context_id``: a generic name no country goes with is the body of the country the text
  named last before it;
- ``org_name``: a bracketed abbreviation is no part of the name (the full name and the
  abbreviation are one body).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from wirewatch.analysis.bodies import FIRM_SUFFIXES
from wirewatch.analysis.unknown import _TRAILING_WORDS, slug

if TYPE_CHECKING:
    from wirewatch.analysis.actors import Actors, Organization

__all__ = [
    "BARE_COUNTRY",
    "GENERIC_WORDS",
    "STATE_FORM",
    "STATE_HEADS",
    "body_id",
    "body_slug",
    "context_id",
    "generic",
    "known_body",
    "org_name",
]

_ABBREVIATION = re.compile(r"\s*\(([A-Z][A-Z0-9&.-]+|[A-Z][a-z]{3,})\)\Z")
#: A bracketed word that qualifies a party's name, not an abbreviation of it ("Communist Party
#: of Nepal (Marxist-Leninist)", "… (United)").
_QUALIFIER = re.compile(r"[A-Z][a-z]+(?:ist|ed)")
#: The words bodies' generic names are made of (GUIDE O4: "Ministry of Health", "Women's
#: Society for Achieving Peace"): a foreign body named with these only takes its country's
#: alpha-3 before its slug; a name that starts with another word is a proper name, and the
#: "of <country>" KCNA appends to it is no part of it ("Sankei Shimbun of Japan").
GENERIC_WORDS = frozenset(
    (
        "ministry ministries ministers department departments parliament cabinet senate assembly national council "
        "government commission committee agency office bureau service services army navy air force forces "
        "defense defence foreign affairs health agriculture education finance justice interior trade industry "
        "industries labor labour culture cultural sports public security administration unification military "
        "economy economic planning information communications transport energy power environment home state "
        "supreme court federal general staff joint chiefs police intelligence safety statistics land maritime "
        "fisheries science technology tourism social welfare women womens youth family construction housing "
        "water resources natural railways commerce investment development cooperation international relations "
        "legislative house representatives deputies chamber central peoples popular democratic socialist "
        "communist workers party union association society federation league front movement group "
        "organization organisation organizations organisations alliance confederation solidarity peace "
        "achieving friendship study studies institute center centre foundation forum community authority "
        "corps secretariat presidential executive standing permanent united independent liberation "
        "revolutionary progressive unity new red free student students teachers journalists writers artists people "
        "lawyers farmers peasants veterans young human rights trade unions broadcasting system news press "
        "radio television film films cinema publishing self-defense self-defence coast guard marine marines special "
        "operations"
    ).split()
)
#: The words that make a generic name a state body's, which takes its country's alpha-3 (a
#: party or league named "Communist Party of India" keeps its whole name).
STATE_HEADS = frozenset(
    (
        "Ministry Parliament Cabinet Senate Assembly Agency Army Navy Forces Force Department Commission Council "
        "Court Office Service Government Congress Chamber Police Corps Administration"
    ).split()
)
#: The country whose bodies with generic names keep a bare slug (GUIDE O4: "cabinet").
BARE_COUNTRY = "PRK"
#: Other names of a generic body, as its canonical name says it.
_GENERIC_FORMS = (("Foreign Ministry", "Ministry of Foreign Affairs"), ("Defence Ministry", "Ministry of Defence"))
_SPACES = re.compile(r"\s+")
#: A state's form before its name: "… of the People's Democratic Republic of Laos", where the
#: data name the country "Laos".
STATE_FORM = r"(?:[A-Z][\w'’]* ){0,3}(?:Republic|Kingdom|Federation) of(?: the)?"
_OF_TAIL = re.compile(rf"\s+of(?:\s+the)?(?:\s+{STATE_FORM})?\s*\Z")
_US = re.compile(r"\bU\.S\.(?!\w)")


def body_slug(name: str) -> str:
    """A body's name as an id: ``slug``, with "U.S." one word, as the annotators write it
    ("Federation of Koreans in the U.S." is ``federation-of-koreans-in-the-us``)."""
    return slug(_US.sub("US", name))


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
        return body_slug(name), name
    start, end, code, country = places[-1]
    tail = end >= len(name.rstrip()) and _OF_TAIL.search(name, 0, start) is not None
    base = _OF_TAIL.sub("", name[:start]) if tail else None  # "… of Indonesia", "… of the DPRK"
    if base is not None and base.rsplit(" ", 1)[-1].rstrip(".,") in FIRM_SUFFIXES:
        base = base.rsplit(" ", 1)[0]  # "… Holdings SAE of Egypt"
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
            return body_slug(rest), rest
        return f"{code.lower()}-{body_slug(rest)}", f"{rest} of {country}"
    if base and base.split(" ")[0] and not generic(base.split(" ")[0]) and len(base.split(" ")) >= 2:
        return body_slug(base), base
    return body_slug(name), name


def context_id(name: str, code: str, country: str) -> tuple[str, str] | None:
    """The id and name of a body whose generic name (GUIDE O4) no country goes with, as the
    body of ``code``, the country the text named last before it: the bare slug for the DPRK,
    the alpha-3 before it for another country (``kor-womens-solidarity``); None for a proper
    name, or a party's (which keeps its name as it stands, GUIDE 7.3)."""
    rest = org_name(name)
    for form, canonical in _GENERIC_FORMS:
        rest = rest.replace(form, canonical)
    words = [w for w in rest.split(" ") if w not in _TRAILING_WORDS]
    if not words or "Party" in words or not all(generic(w) for w in words):
        return None
    if code == BARE_COUNTRY:
        return body_slug(rest), rest
    return f"{code.lower()}-{body_slug(rest)}", f"{rest} of {country}"


def org_name(name: str) -> str:
    """A body's name without the abbreviation or short name that follows it in brackets
    ("Korean Children's Union (KCU)" is the Korean Children's Union, "… Alliance for Korea's
    Reunification (Pomminryon)" the Alliance): the same body, the same id, whether the text
    gives the short name or not. A qualifier in brackets is part of a party's name."""
    found = _ABBREVIATION.search(name)
    return name[: found.start()] if found and not _QUALIFIER.fullmatch(found.group(1)) else name


def known_body(id: str, code: str | None, actors: Actors) -> Organization | None:
    """The body the data hold that a generic body's id names in other words: the "Confederation
    of Trade Unions of South Korea" (``kor-confederation-of-trade-unions``, or with "of south
    Korea" in the slug) is the "Korean Confederation of Trade Unions", the body of that
    country named with its adjective; a home body's bare slug is the body of that name or
    alias ("the invincible People's Army" is the KPA)."""
    if code is None:
        return None
    named = actors.cache.get("generic_names")
    if named is None:
        named = actors.cache["generic_names"] = _generic_names(actors)
    known = named.get(id)
    return known if known is not None and known.country == code else None


def _generic_names(actors: Actors) -> dict[str, Organization]:
    """The data's bodies by the id their name takes without the adjective of their country
    before it ("Korean Confederation of Trade Unions": ``kor-confederation-of-trade-unions``)."""
    found: dict[str, Organization] = {}
    for org in actors.organizations.values():
        country = actors.countries.get(org.country) if org.country else None
        if country is None:
            continue
        for form in (org.name, *org.aliases):
            if country.id == BARE_COUNTRY:  # "invincible People's Army": "the People's Army"
                found.setdefault(body_slug(form.removeprefix("the ")), org)
            for adjective in (*country.adjectives, *country.names):
                rest = form[len(adjective) + 1 :]
                if form.startswith(f"{adjective} ") and all(
                    generic(w) for w in rest.split() if w not in _TRAILING_WORDS
                ):
                    found.setdefault(f"{country.id.lower()}-{body_slug(rest)}", org)
                    for name in country.names:  # "… of South Korea" as the name ends
                        found.setdefault(f"{body_slug(rest)}-of-{body_slug(name)}", org)
    return found
