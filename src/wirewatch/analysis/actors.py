"""The actor data: countries, persons with date-bounded offices, organisations.

The data are TOML files (format in ``wirewatch/data/actors/README.md``): the packaged ones,
then any the user adds. ``Actors.load`` reads and checks them once; the extraction
matcher built from them (``wirewatch.analysis.entities``) is kept on the instance, so a
process loads the data once and reuses it for every article.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from wirewatch.errors import ConfigError

__all__ = ["Actors", "Country", "Organization", "Person", "Role", "Tenure"]

#: Office kinds whose usual titles are made from the country's adjectives and names.
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
ENTITY_TABLES = ("country", "role", "person", "organization")
#: Answers by date kept at most (see ``Actors._by_date``).
_BY_DATE_LIMIT = 100_000


@dataclass(frozen=True, slots=True)
class Country:
    id: str
    name: str
    names: tuple[str, ...]
    adjectives: tuple[str, ...] = ()
    #: Counted only when the capital stands for the government (GUIDE C9).
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
        sources: list[tuple[str, str]] = []
        for name in ("countries.toml", "persons.toml", "organizations.toml"):
            sources.append((f"wirewatch/data/actors/{name}", (folder / name).read_text(encoding="utf-8")))
        for path in extra:
            try:
                sources.append((str(path), Path(path).read_text(encoding="utf-8")))
            except OSError as error:
                raise ConfigError(f"{path}: cannot read actor file: {error.strerror or error}") from error
        return cls.from_texts(sources)

    @classmethod
    def from_texts(cls, sources: Iterable[tuple[str, str]]) -> Actors:
        """Actors from ``(name, TOML text)`` pairs, in order."""
        tables: dict[str, dict[str, Any]] = {table: {} for table in ENTITY_TABLES}
        ignore: list[str] = []
        for name, text in sources:
            try:
                data = tomllib.loads(text)
            except tomllib.TOMLDecodeError as error:
                raise ConfigError(f"{name}: not valid TOML: {error}") from error
            unknown = set(data) - set(ENTITY_TABLES) - {"ignore"}
            if unknown:
                raise ConfigError(f"{name}: unknown table(s) {', '.join(sorted(unknown))}")
            for table in ENTITY_TABLES:
                entries = data.get(table, [])
                if not isinstance(entries, list):
                    raise ConfigError(f"{name}: [[{table}]] must be an array of tables")
                for number, entry in enumerate(entries, 1):
                    where = _Where(name, table, number, entry)
                    value = _PARSERS[table](where)
                    tables[table][value.id] = value
            for number, entry in enumerate(data.get("ignore", []), 1):
                ignore.extend(_Where(name, "ignore", number, entry).strings("phrases", required=True))
        actors = cls(tables["country"], tables["role"], tables["person"], tables["organization"], tuple(ignore))
        actors._check_references()
        return actors

    def _check_references(self) -> None:
        for person in self.persons.values():
            for tenure in person.roles:
                if tenure.role not in self.roles:
                    raise ConfigError(f"person {person.id!r}: field 'roles': unknown role {tenure.role!r}")
            if person.country and person.country not in self.countries:
                raise ConfigError(f"person {person.id!r}: field 'country': unknown country {person.country!r}")
        for role in self.roles.values():
            if role.country and role.country not in self.countries:
                raise ConfigError(f"role {role.id!r}: field 'country': unknown country {role.country!r}")
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
            return known[key]
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
            return known[key]
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


# -- parsing and checking -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Where:
    """An entry being read, to name it in errors."""

    file: str
    table: str
    number: int
    entry: Any

    def fail(self, field_name: str, problem: str) -> ConfigError:
        ident = self.entry.get("id") if isinstance(self.entry, dict) else None
        label = f"{self.table} #{self.number}" + (f" ({ident!r})" if isinstance(ident, str) else "")
        return ConfigError(f"{self.file}: {label}: field {field_name!r}: {problem}")

    def check_keys(self, allowed: set[str]) -> None:
        if not isinstance(self.entry, dict):
            raise ConfigError(f"{self.file}: {self.table} #{self.number}: not a table")
        for key in self.entry:
            if key not in allowed:
                raise self.fail(key, f"unknown field (expected one of {', '.join(sorted(allowed))})")

    def string(self, key: str, required: bool = False) -> str | None:
        value = self.entry.get(key)
        if value is None:
            if required:
                raise self.fail(key, "missing")
            return None
        if not isinstance(value, str) or not value.strip():
            raise self.fail(key, "expected a non-empty string")
        return value

    def strings(self, key: str, required: bool = False) -> tuple[str, ...]:
        value = self.entry.get(key)
        if value is None:
            if required:
                raise self.fail(key, "missing")
            return ()
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise self.fail(key, "expected a list of non-empty strings")
        return tuple(value)

    def flag(self, key: str, default: bool) -> bool:
        value = self.entry.get(key, default)
        if not isinstance(value, bool):
            raise self.fail(key, "expected true or false")
        return value

    def code(self, key: str) -> str | None:
        value = self.string(key)
        if value is not None and not (len(value) == 3 and value.isalpha() and value.isupper()):
            raise self.fail(key, f"expected an ISO 3166 alpha-3 code, got {value!r}")
        return value


def _country(where: _Where) -> Country:
    where.check_keys({"id", "name", "names", "adjectives", "capitals"})
    id = where.code("id")
    if id is None:
        raise where.fail("id", "missing")
    name = where.string("name", required=True)
    assert name is not None
    names = where.strings("names") or (name,)
    return Country(id, name, names, where.strings("adjectives"), where.strings("capitals"))


def _role(where: _Where) -> Role:
    where.check_keys({"id", "name", "country", "titles", "kind", "named_only"})
    id = where.string("id", required=True)
    kind = where.string("kind")
    if kind is not None and kind not in KIND_TITLES:
        raise where.fail("kind", f"expected one of {', '.join(KIND_TITLES)}, got {kind!r}")
    titles = where.strings("titles")
    if not titles and not kind:
        raise where.fail("titles", "missing (a role needs titles or a kind)")
    assert id is not None
    return Role(id, where.string("name") or id, where.code("country"), titles, kind, where.flag("named_only", False))


def _date(where: _Where, key: str, index: int, value: Any) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        raise where.fail(f"roles[{index}].{key}", f"expected a date (YYYY-MM-DD), got {value!r}")
    return value


def _person(where: _Where) -> Person:
    where.check_keys({"id", "name", "country", "aliases", "roles", "match_name"})
    id = where.string("id", required=True)
    name = where.string("name", required=True)
    assert id is not None and name is not None
    raw_roles = where.entry.get("roles", [])
    if not isinstance(raw_roles, list):
        raise where.fail("roles", "expected a list of {role, from, until} tables")
    tenures = []
    for index, spell in enumerate(raw_roles):
        if not isinstance(spell, dict) or not isinstance(spell.get("role"), str):
            raise where.fail(f"roles[{index}]", "expected a table with a 'role' string")
        extra = set(spell) - {"role", "from", "until"}
        if extra:
            raise where.fail(f"roles[{index}].{sorted(extra)[0]}", "unknown field (expected role, from, until)")
        since, until = _date(where, "from", index, spell.get("from")), _date(where, "until", index, spell.get("until"))
        if since and until and until < since:
            raise where.fail(f"roles[{index}].until", "ends before it begins")
        tenures.append(Tenure(spell["role"], since, until))
    return Person(
        id, name, where.code("country"), where.strings("aliases"), tuple(tenures), where.flag("match_name", True)
    )


def _organization(where: _Where) -> Organization:
    where.check_keys({"id", "name", "country", "kind", "aliases", "countries", "match_name"})
    id = where.string("id", required=True)
    name = where.string("name", required=True)
    assert id is not None and name is not None
    countries = where.entry.get("countries")
    if countries is not None:
        countries = where.strings("countries") if countries else ()
    return Organization(
        id,
        name,
        where.code("country"),
        where.string("kind"),
        where.strings("aliases"),
        countries,
        where.flag("match_name", True),
    )


_PARSERS = {"country": _country, "role": _role, "person": _person, "organization": _organization}
