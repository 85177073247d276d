"""What the commands share: the state object, error reporting, JSON output."""

from __future__ import annotations

import contextlib
import json
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NoReturn

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from wirewatch.config.settings import Settings, parse_source_orders
from wirewatch.errors import QueryError, WirewatchError
from wirewatch.present.shapes import json_default
from wirewatch.search.base import SearchOptions
from wirewatch.store import SQLStore, open_store

if TYPE_CHECKING:
    from wirewatch.clean.record import CleanOptions

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
            self._store = open_store(
                self.settings.db, SearchOptions(self.settings.search_engine, self.settings.search_index)
            )
        return self._store

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None


def clean_options(
    settings: Settings, *, source: str | None = None, source_date_order: Sequence[str] | None = None
) -> CleanOptions:
    """How every command cleans records: the settings' boilerplate rules and date orders,
    with ``--source`` and ``--source-date-order NAME=ORDER`` options (taking precedence)."""
    from wirewatch.clean.boilerplate import BoilerplateRules
    from wirewatch.clean.record import CleanOptions

    orders = dict(settings.source_date_orders)
    orders.update(parse_source_orders(",".join(source_date_order or ())))
    return CleanOptions(
        rules=BoilerplateRules.load(settings.boilerplate),
        default_source=source,
        default_date_order=settings.date_order,
        date_orders=orders,
    )


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
    except Exception as exc:
        fail(
            f"unexpected {type(exc).__name__}: {exc} (run with --debug for the traceback)",
            debug=state.settings.debug,
        )
    finally:
        state.close()


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=json_default) + "\n")


def article_progress(doing: str) -> Progress:
    """The progress bar of a command that works through articles ("importing 1,200/23,143
    articles"), on stderr, gone when done."""
    return Progress(
        SpinnerColumn(),
        TextColumn(doing),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("articles"),
        TimeElapsedColumn(),
        console=stderr,
        transient=True,
    )
