"""The actor files' schema (format: ``wirewatch/data/actors/README.md``): ``[[country]]``,
``[[role]]``, ``[[person]]``, ``[[organization]]`` and ``[[ignore]]`` entries.

``wirewatch.analysis.actors`` builds its values from a checked ``ActorFile`` and checks
what no single file can: that the roles and countries an entry names exist.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, model_validator

from wirewatch.config.toml import Table, UserFile
from wirewatch.config.values import CountryCode, CountryCodes, Date, Flag, Name, Names, checked, one_of

__all__ = [
    "ROLE_KINDS",
    "ActorFile",
    "CountryEntry",
    "IgnoreEntry",
    "OrganizationEntry",
    "PersonEntry",
    "RoleEntry",
    "TenureEntry",
]

#: Office kinds whose usual titles are made from the country's words (see analysis.actors.KIND_TITLES).
ROLE_KINDS = ("head-of-state", "head-of-government", "foreign-minister", "legislature-chair")


class CountryEntry(Table):
    id: CountryCode
    name: Name
    names: Names = ()
    adjectives: Names = ()
    capitals: Names = ()


class RoleEntry(Table):
    id: Name
    name: Name | None = None
    country: CountryCode | None = None
    titles: Names = ()
    kind: Annotated[str, checked(one_of(*ROLE_KINDS))] | None = None
    named_only: Flag = False

    @model_validator(mode="after")
    def _titles_or_kind(self) -> RoleEntry:
        if not self.titles and not self.kind:
            raise ValueError("titles: required (a role needs titles or a kind)")
        return self


class TenureEntry(Table):
    """``{role = "...", from = 2011-12-17, until = ...}``: one spell in an office."""

    role: Name
    since: Date | None = Field(None, alias="from")
    until: Date | None = None

    @model_validator(mode="after")
    def _in_order(self) -> TenureEntry:
        if self.since and self.until and self.until < self.since:
            raise ValueError("until: ends before it begins")
        return self


class PersonEntry(Table):
    id: Name
    name: Name
    country: CountryCode | None = None
    aliases: Names = ()
    roles: tuple[TenureEntry, ...] = ()
    match_name: Flag = True


class OrganizationEntry(Table):
    id: Name
    name: Name
    country: CountryCode | None = None
    kind: Name | None = None
    aliases: Names = ()
    countries: CountryCodes | None = None
    match_name: Flag = True


class IgnoreEntry(Table):
    """Phrases holding a country word that name no country ("Korean Peninsula")."""

    phrases: Names


class ActorFile(UserFile):
    country: tuple[CountryEntry, ...] = ()
    role: tuple[RoleEntry, ...] = ()
    person: tuple[PersonEntry, ...] = ()
    organization: tuple[OrganizationEntry, ...] = ()
    ignore: tuple[IgnoreEntry, ...] = ()
