"""One way to read a file a user writes: TOML, checked against a pydantic model.

Every user file (sources, actor data, digest rules, boilerplate rules) is a ``UserFile``
model whose fields are the checked values of ``wirewatch.config.values``. ``Problems``
validates a document against it and reports every problem of the file at once, a line
each, in one shape::

    FILE: TABLE: KEY VALUE: REASON        sources.toml: source 'KCNA': interval '6x': expected a duration…
    FILE: TABLE: KEY: REASON              actors.toml: person #2 ('kim'): roles entry 1: role: required
    FILE: REASON                          rules.toml: unknown table 'topic' (did you mean 'topics'?)

The table is named as the file's documentation names it (``UserFile.name_table``); a key
inside it is dotted (``selectors.title``), an item of a list is ``KEY entry N``.
"""

from __future__ import annotations

import difflib
import os
import tomllib
import types
import typing
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError

from wirewatch.config.values import BadValue, show
from wirewatch.errors import ConfigError

__all__ = ["Loc", "Problems", "Table", "UserFile", "check_file", "parse_toml", "read_toml", "unknown_key"]

Loc = tuple[str | int, ...]
M = TypeVar("M", bound=BaseModel)
U = TypeVar("U", bound="UserFile")


class Table(BaseModel):
    """A table of a user file: unknown keys are problems, values are checked, not coerced."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class UserFile(Table):
    """A whole user file."""

    @classmethod
    def name_table(cls, loc: Loc, document: Mapping[str, Any]) -> tuple[str, int]:
        """The table a problem at ``loc`` lies in, as the file's documentation names it,
        and how many steps of ``loc`` that name covers (0: the problem is the file's).

        ``[[person]]`` entries are ``person #N``, with the entry's ``id`` or ``name`` when
        it has one: ``person #2 ('kim-jong-un')``; a ``[leadership]`` table is ``[leadership]``."""
        if len(loc) < 2 or not isinstance(loc[0], str):
            return "", 0
        value = document.get(loc[0])
        if isinstance(value, list) and isinstance(loc[1], int) and loc[1] < len(value):
            entry = value[loc[1]]
            ident = next(
                (
                    entry[key]
                    for key in ("id", "name")
                    if isinstance(entry, dict) and isinstance(entry.get(key), str) and entry[key].strip()
                ),
                None,
            )
            return f"{loc[0]} #{loc[1] + 1}" + (f" ({ident!r})" if ident is not None else ""), 2
        if isinstance(value, dict):
            return f"[{loc[0]}]", 1
        return "", 0


def read_toml(path: str | os.PathLike[str], *, what: str = "the file", missing_ok: bool = False) -> dict[str, Any]:
    """The TOML document in the file ``path``: ConfigError naming the file when it cannot be
    read (``what`` says what it is), is not UTF-8 or not TOML; ``{}`` for a missing file when
    ``missing_ok``."""
    origin = os.fspath(path)
    try:
        raw = Path(origin).read_bytes()
    except FileNotFoundError as exc:
        if missing_ok:
            return {}
        raise ConfigError(f"{origin}: cannot read {what}: {exc.strerror or exc}") from exc
    except OSError as exc:
        raise ConfigError(f"{origin}: cannot read {what}: {exc.strerror or exc}") from exc
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{origin}: not UTF-8 text (byte {exc.start})") from None
    return parse_toml(text, origin)


def parse_toml(text: str, origin: str) -> dict[str, Any]:
    """The TOML document ``text``; ConfigError naming ``origin`` and the line if it is not TOML."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{origin}: not valid TOML: {exc}") from None


def unknown_key(key: str, known: Iterable[str], kind: str = "key") -> str:
    """ "unknown key 'intervall' (did you mean 'interval'?)"."""
    close = difflib.get_close_matches(key, list(known), n=1)
    return f"unknown {kind} {key!r}" + (f" (did you mean {close[0]!r}?)" if close else "")


class Problems:
    """Every problem found in one file, raised together as one ConfigError, a line each."""

    def __init__(self, origin: str) -> None:
        self.origin = origin
        self.lines: list[str] = []

    def add(self, *parts: str) -> None:
        self.lines.append(": ".join((self.origin, *(part for part in parts if part))))

    def raise_any(self) -> None:
        if self.lines:
            raise ConfigError("\n".join(self.lines))

    def check(self, model: type[M], data: object, *, table: str | None = None) -> M | None:
        """``data`` validated as ``model``, or None with its problems added. Problems are
        named in ``table`` when given, else as ``model.name_table`` names them."""
        try:
            return model.model_validate(data)
        except ValidationError as error:
            for found in _unknown_keys_first(error.errors()):
                loc: Loc = tuple(found["loc"])
                if table is not None:
                    where, span = table, 0
                elif issubclass(model, UserFile) and isinstance(data, Mapping):
                    where, span = model.name_table(loc, data)
                else:
                    where, span = "", 0
                self.add(where, _problem(model, loc, span, found))
            return None


def check_file(model: type[U], document: Mapping[str, Any], origin: str) -> U:
    """The document checked as ``model``; one ConfigError listing every problem otherwise."""
    problems = Problems(origin)
    checked = problems.check(model, document)
    problems.raise_any()
    assert checked is not None
    return checked


def _unknown_keys_first(errors: list[Any]) -> list[Any]:
    """The errors with each table's problems together, its unknown keys first (a typo
    explains the "required" that may follow it)."""
    first: dict[Loc, int] = {}
    for index, found in enumerate(errors):
        first.setdefault(tuple(found["loc"][:-1]), index)
    return sorted(errors, key=lambda found: (first[tuple(found["loc"][:-1])], found["type"] != "extra_forbidden"))


def _problem(model: type[BaseModel], loc: Loc, span: int, found: Mapping[str, Any]) -> str:
    """One validation error in words: the key within its table, the value, the reason."""
    kind, value = found["type"], found["input"]
    cause = found.get("ctx", {}).get("error")
    if kind == "extra_forbidden":
        table = len(loc) == 1 and (
            isinstance(value, dict) or (isinstance(value, list) and value and isinstance(value[0], dict))
        )
        reason = unknown_key(str(loc[-1]), _keys_at(model, loc[:-1]), "table" if table else "key")
        return ": ".join(filter(None, (_path(loc[span:-1]), reason)))
    key = _path(loc[span:])
    if kind == "missing":
        reason = "required"
    elif isinstance(cause, BadValue):
        return f"{key} {show(value)}: {cause}" if key else f"{show(value)}: {cause}"
    elif isinstance(cause, Exception):
        reason = str(cause)
    elif kind in ("list_type", "tuple_type"):
        reason = "expected a list"
    elif kind in ("dict_type", "model_type", "model_attributes_type"):
        reason = "expected a table"
    else:
        reason = found["msg"]
    return ": ".join(filter(None, (key, reason)))


def _path(loc: Loc) -> str:
    """``('feeds', 0, 'url')`` as ``feeds entry 1: url``; ``('selectors', 'title')`` as ``selectors.title``."""
    parts: list[str] = []
    after_key = False
    for step in loc:
        if isinstance(step, int) and parts:
            parts[-1] += f" entry {step + 1}"
            after_key = False
        elif after_key:
            parts[-1] += f".{step}"
        else:
            parts.append(str(step))
            after_key = True
    return ": ".join(parts)


def _keys_at(model: type[BaseModel], loc: Loc) -> list[str]:
    """The keys the table at ``loc`` of ``model`` may hold (for "did you mean")."""
    current: Any = model
    for step in loc:
        if isinstance(current, type) and issubclass(current, BaseModel):
            field = next((f for n, f in current.model_fields.items() if (f.alias or n) == step), None)
            if field is None:
                return []
            current = _unwrap(field.annotation, None)
        else:
            current = _unwrap(_unwrap(current, step), None)
    current = _unwrap(current, None)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return [f.alias or n for n, f in current.model_fields.items()]
    return []


def _unwrap(annotation: Any, step: str | int | None) -> Any:
    """The type under ``Annotated``, ``X | None``, and, for an item step, ``list``/``tuple``/``dict``."""
    while True:
        origin = typing.get_origin(annotation)
        args = typing.get_args(annotation)
        if origin is typing.Annotated:
            annotation = args[0]
        elif origin in (typing.Union, types.UnionType):
            annotation = next(a for a in args if a is not type(None))
        elif origin in (list, tuple) and isinstance(step, int):
            return args[0]
        elif origin is dict and isinstance(step, str):
            return args[1]
        else:
            return annotation
