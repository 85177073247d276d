"""What the commands share: the state object, error reporting, JSON output."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, NoReturn

import typer
from rich.console import Console

from wirewatch.config import Settings
from wirewatch.errors import ConfigError, QueryError, WirewatchError
from wirewatch.store import SQLStore, open_store

#: Exit statuses, documented in the README.
EXIT_PARTIAL = 1  # done, but some records were rejected / the article was not found
EXIT_ERROR = 2  # nothing done: a bad option, query or archive

stderr = Console(stderr=True, highlight=False)


@dataclass
class State:
    settings: Settings
    db_given: bool = False  # --db or WIREWATCH_DB named the archive
    _store: SQLStore | None = field(default=None, repr=False)

    def store(self) -> SQLStore:
        if self._store is None:
            self._store = open_store(self.settings.db)
        return self._store

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None


def fail(message: str, *, debug: bool = False, code: int = EXIT_ERROR) -> NoReturn:
    """Print an error for a user (no traceback unless --debug) and exit."""
    if debug:
        raise
    stderr.print(f"[bold red]Error:[/] {message}", markup=True, highlight=False, soft_wrap=True)
    raise typer.Exit(code)


@contextlib.contextmanager
def user_errors(ctx: typer.Context) -> Iterator[State]:
    """Run a command body, turning wirewatch errors into messages and exit codes."""
    state: State = ctx.obj
    try:
        yield state
    except QueryError as exc:
        fail(f"bad query: {exc}", debug=state.settings.debug)
    except WirewatchError as exc:
        fail(str(exc), debug=state.settings.debug)
    except (typer.Exit, typer.Abort):
        raise
    except KeyboardInterrupt:
        fail("interrupted", debug=state.settings.debug, code=130)
    except Exception as exc:  # noqa: BLE001 - the last line of defence for a user
        fail(
            f"unexpected {type(exc).__name__}: {exc} (run with --debug for the traceback)",
            debug=state.settings.debug,
        )
    finally:
        state.close()


def _default(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, tuple | set):
        return list(value)
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=_default) + "\n")


def parse_day(value: str | None, option: str, *, end: bool = False) -> dt.date | None:
    """A date option: YYYY, YYYY-MM or YYYY-MM-DD (a year or month means its first or last day)."""
    if value is None:
        return None
    parts = value.strip().split("-")
    try:
        if len(parts) == 1:
            year = int(parts[0])
            return dt.date(year, 12, 31) if end else dt.date(year, 1, 1)
        if len(parts) == 2:
            year, month = int(parts[0]), int(parts[1])
            if end:
                following = dt.date(year + month // 12, month % 12 + 1, 1)
                return following - dt.timedelta(days=1)
            return dt.date(year, month, 1)
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise ConfigError(f"{option} {value!r}: expected a date as YYYY, YYYY-MM or YYYY-MM-DD") from None
