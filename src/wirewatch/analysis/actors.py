"""The actor data: countries, persons with date-bounded offices, organisations.

The data are TOML files (format in ``wirewatch/data/actors/README.md``): the packaged ones,
then any the user adds. ``Actors.load`` reads and checks them once; the extraction
matcher built from them (``wirewatch.analysis.entities``) is kept on the instance, so a
process loads the data once and reuses it for every article.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from wirewatch.config.actors import ActorFile, CountryEntry, OrganizationEntry, PersonEntry, RoleEntry
from wirewatch.config.toml import check_file, parse_toml, read_toml
from wirewatch.errors import ConfigError

__all__ = ["Actors", "Country", "Organization", "Person", "Role", "Tenure"]

#: Office kinds whose usual titles are made from the country's adjectives and names (the kinds a
#: role may name: wirewatch.config.actors.ROLE_KINDS).
KIND_TITLES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    # kind: (titles after an adjective: "Russian President"; titles before "of <name>")
    "head-of-state": (("President", "head of state"), ("President of",)),
    "head-of-government": (("Prime Minister", "Premier"), ("Prime Minister of", "Premier of")),
    "foreign-minister": (
        ("Foreign Minister", "Minister of Foreign Affairs", "FM"),
        ("Foreign Minister of", "Minister of Foreign Affairs of"),
    ),
    "legislature-chair": ((), ()),
}
#: Answers by date kept at most (see ``Actors._by_date``).
_BY_DATE_LIMIT = 100_000


@dataclass(frozen=True, slots=True)
class Country:
    id: str
    name: str
    names: tuple[str, ...]
    adjectives: tuple[str, ...] = ()
    #: Counted only when the capital stands for the government (GUIDE C9, docs/annotation-guide.md).
    capitals: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Role:
    """An office, and the phrases that name its holder without a name."""

    id: str
    name: str
    country: str | None
    titles: tuple[str, ...]
    kind: str | None = None
    #: The bare title counts only when its holder is also named in the text.
    named_only: bool = False


@dataclass(frozen=True, slots=True)
class Tenure:
    """One spell in an office; ``until`` is None while it lasts."""

    role: str
    since: dt.date | None
    until: dt.date | None

    def covers(self, on: dt.date) -> bool:
        return (self.since is None or self.since <= on) and (self.until is None or on < self.until)


@dataclass(frozen=True, slots=True)
class Person:
    id: str
    name: str
    country: str | None
    aliases: tuple[str, ...] = ()
    roles: tuple[Tenure, ...] = ()
    #: False for a homonym found by title only (its name belongs to another entry).
    match_name: bool = True


@dataclass(frozen=True, slots=True)
class Organization:
    id: str
    name: str
    country: str | None
    kind: str | None = None
    aliases: tuple[str, ...] = ()
    #: The countries the name mentions, when its words would mislead; None: read them.
    countries: tuple[str, ...] | None = None
    #: False when the name alone is too common a word ("Patriot"): only aliases match.
    match_name: bool = True


@dataclass(slots=True)
class Actors:
    """All actor data, checked; lookups by id and office holders by date."""

    countries: dict[str, Country]
    roles: dict[str, Role]
    persons: dict[str, Person]
    organizations: dict[str, Organization]
    #: Phrases holding a country word that name no country ("Korean Peninsula").
    ignore: tuple[str, ...] = ()
    #: Built on first use by the extractor, then reused (see entities.matcher); also
    #: office holders by date.
    cache: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def load(cls, extra: Sequence[Path] = ()) -> Actors:
        """The packaged actor files, then ``extra`` files; a later entry with the same id
        replaces the earlier one. Raises ConfigError naming the file, entry and field."""
        folder = resources.files("wirewatch.data") / "actors"
        documents: list[tuple[str, Mapping[str, Any]]] = []
        for name in ("countries.toml", "persons.toml", "organizations.toml"):
            origin = f"wirewatch/data/actors/{name}"
            documents.append((origin, parse_toml((folder / name).read_text(encoding="utf-8"), origin)))
        for path in extra:
            documents.append((str(path), read_toml(path, what="the actor file")))
        return cls._from_documents(documents)

    @classmethod
    def from_texts(cls, sources: Iterable[tuple[str, str]]) -> Actors:
        """Actors from ``(name, TOML text)`` pairs, in order."""
        return cls._from_documents((name, parse_toml(text, name)) for name, text in sources)

    @classmethod
    def _from_documents(cls, documents: Iterable[tuple[str, Mapping[str, Any]]]) -> Actors:
        countries: dict[str, Country] = {}
        roles: dict[str, Role] = {}
        persons: dict[str, Person] = {}
        organizations: dict[str, Organization] = {}
        ignore: list[str] = []
        for origin, document in documents:
            data = check_file(ActorFile, document, origin)
            countries.update((entry.id, _country(entry)) for entry in data.country)
            roles.update((entry.id, _role(entry)) for entry in data.role)
            persons.update((entry.id, _person(entry)) for entry in data.person)
            organizations.update((entry.id, _organization(entry)) for entry in data.organization)
            ignore.extend(phrase for entry in data.ignore for phrase in entry.phrases)
        actors = cls(countries, roles, persons, organizations, tuple(ignore))
        actors._check_references()
        return actors

    def _check_references(self) -> None:
        for person in self.persons.values():
            for tenure in person.roles:
                if tenure.role not in self.roles:
                    raise ConfigError(f"person {person.id!r}: roles: unknown role {tenure.role!r}")
            if person.country and person.country not in self.countries:
                raise ConfigError(f"person {person.id!r}: country: unknown country {person.country!r}")
        for role in self.roles.values():
            if role.country and role.country not in self.countries:
                raise ConfigError(f"role {role.id!r}: country: unknown country {role.country!r}")
        for org in self.organizations.values():
            for code in (org.country, *(org.countries or ())):
                if code and code not in self.countries:
                    raise ConfigError(f"organization {org.id!r}: unknown country {code!r}")

    # -- lookups ------------------------------------------------------------------------
    def country(self, id: str) -> Country | None:
        return self.countries.get(id)

    def person(self, id: str) -> Person | None:
        return self.persons.get(id)

    def organization(self, id: str) -> Organization | None:
        return self.organizations.get(id)

    def role(self, id: str) -> Role | None:
        return self.roles.get(id)

    def holders(self, role: str) -> list[tuple[Person, Tenure]]:
        """Everyone who held ``role``, with the spell, earliest first."""
        spells = self.cache.get("holders")
        if spells is None:
            spells = {}
            for person in self.persons.values():
                for tenure in person.roles:
                    spells.setdefault(tenure.role, []).append((person, tenure))
            for entries in spells.values():
                entries.sort(key=lambda pair: pair[1].since or dt.date.min)
            self.cache["holders"] = spells
        return list(spells.get(role, ()))

    def holder(self, role: str, on: dt.date) -> Person | None:
        """Who held ``role`` on ``on`` (the latest to take it up, when spells overlap)."""
        known = self._by_date("holder")
        key = (role, on)
        if key in known:
            cached: Person | None = known[key]
            return cached
        found = None
        for person, tenure in self.holders(role):
            if tenure.covers(on):
                found = person
        known[key] = found
        return found

    def role_country(self, person: Person, on: dt.date | None) -> str | None:
        """A person's country: by the office held on ``on``, else their nationality."""
        if on is None or not person.roles:
            return person.country
        known = self._by_date("role_country")
        key = (person.id, on)
        if key in known:
            country: str | None = known[key]
            return country
        found = person.country
        for tenure in person.roles:
            role = self.roles[tenure.role]
            if role.country and tenure.covers(on):
                found = role.country
                break
        known[key] = found
        return found

    def _by_date(self, name: str) -> dict[Any, Any]:
        """A cache of answers by date (articles share dates: a year of news has 365),
        emptied when it grows past ``_BY_DATE_LIMIT`` so a long-running process stays small."""
        known = self.cache.get(name)
        if known is None or len(known) > _BY_DATE_LIMIT:
            known = self.cache[name] = {}
        return known

    def role_titles(self, role: Role) -> tuple[str, ...]:
        """The role's own titles plus those its kind makes from the country's words."""
        titles = list(role.titles)
        country = self.countries.get(role.country or "")
        if role.kind and country:
            before, of = KIND_TITLES.get(role.kind, ((), ()))
            prefixes = [a for a in country.adjectives if not a.endswith("s")]
            prefixes += [n for n in country.names if n.replace(".", "").isupper()]  # DPRK, U.S.
            for prefix in prefixes:
                titles += [f"{prefix} {title}" for title in before]
            for name in country.names:
                if not name.replace(".", "").isupper():
                    titles += [f"{title} {name}" for title in of]
                    titles += [f"{title} the {name}" for title in of]
        return tuple(dict.fromkeys(titles))


# -- building from the checked entries (the schema: wirewatch.config.actors) --------------


def _country(entry: CountryEntry) -> Country:
    return Country(entry.id, entry.name, entry.names or (entry.name,), entry.adjectives, entry.capitals)


def _role(entry: RoleEntry) -> Role:
    return Role(entry.id, entry.name or entry.id, entry.country, entry.titles, entry.kind, entry.named_only)


def _person(entry: PersonEntry) -> Person:
    tenures = tuple(Tenure(spell.role, spell.since, spell.until) for spell in entry.roles)
    return Person(entry.id, entry.name, entry.country, entry.aliases, tenures, entry.match_name)


def _organization(entry: OrganizationEntry) -> Organization:
    return Organization(
        entry.id, entry.name, entry.country, entry.kind, entry.aliases, entry.countries, entry.match_name
    )
