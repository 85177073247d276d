"""The ``source`` commands: declare the outlets wirewatch collects from, in the sources file."""

from __future__ import annotations

from dataclasses import asdict, replace
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from wirewatch.cli.common import EXIT_ERROR, EXIT_PARTIAL, print_json, stderr, user_errors
from wirewatch.collect.sources import (
    ENTRY_KEYS,
    SourceProfile,
    builtin_profiles,
    format_interval,
    import_opml,
    load_sources,
    parse_interval,
    profile_table,
    save_sources,
    source_from_table,
)
from wirewatch.errors import ConfigError

stdout = Console(highlight=False, soft_wrap=True)  # messages name paths: never break them

source_app = typer.Typer(
    help="Declare the sources wirewatch collects from. They live in the sources file "
    "(./wirewatch-sources.toml, or $WIREWATCH_SOURCES), each with its entry points (feeds, "
    "sitemaps, index pages), interval and politeness; the format is in docs/sources.md.",
    no_args_is_help=True,
    rich_markup_mode=None,
)


def profile_json(profile: SourceProfile) -> dict[str, Any]:
    """Every field of a profile, the interval in seconds."""
    data = asdict(profile)
    data["interval"] = int(profile.interval.total_seconds())
    return data


def _entry_summary(profile: SourceProfile) -> str:
    counts = {kind: sum(e.kind == kind for e in profile.entry_points) for kind in ENTRY_KEYS}
    words = {"feed": "feed", "sitemap": "sitemap", "index": "index page"}
    return ", ".join(f"{n} {words[k]}{'s' if n > 1 else ''}" for k, n in counts.items() if n) or "none yet"


@source_app.command("add")
def add_command(
    ctx: typer.Context,
    name: Annotated[
        str,
        typer.Argument(
            metavar="NAME",
            show_default=False,
            help="The source name its articles are filed under, e.g. 'Rodong Sinmun'.",
        ),
    ],
    profile: Annotated[
        str | None,
        typer.Option(
            metavar="ID",
            help="Start from a shipped profile (see: wirewatch source list --profiles); the options below override its fields.",
        ),
    ] = None,
    homepage: Annotated[
        str | None, typer.Option(metavar="URL", help="The outlet's home page (shown to readers; not crawled).")
    ] = None,
    feed: Annotated[
        list[str] | None, typer.Option("--feed", metavar="URL", help="An RSS or Atom feed; repeatable.")
    ] = None,
    sitemap: Annotated[
        list[str] | None, typer.Option("--sitemap", metavar="URL", help="An XML sitemap; repeatable.")
    ] = None,
    index: Annotated[
        list[str] | None,
        typer.Option(
            "--index", metavar="URL", help="An HTML page listing articles (needs --link-pattern); repeatable."
        ),
    ] = None,
    link_pattern: Annotated[
        str | None,
        typer.Option(
            metavar="REGEX",
            help="A regular expression that the URLs of the source's articles match: required with --index; with --sitemap, keeps only the URLs that match. Applies to every index page and sitemap of the source.",
        ),
    ] = None,
    language: Annotated[
        list[str] | None,
        typer.Option(
            "--language", metavar="CODE", help="A language the source publishes in (ISO 639: en, ko); repeatable."
        ),
    ] = None,
    date_order: Annotated[
        str | None, typer.Option(metavar="ORDER", help="How the source writes numeric dates: DMY, MDY or YMD.")
    ] = None,
    interval: Annotated[
        str | None, typer.Option(metavar="DURATION", help="How often to crawl: 30m, 6h (default), 1d, or seconds.")
    ] = None,
    delay: Annotated[
        float | None,
        typer.Option(metavar="SECONDS", help="Seconds between two requests to the source's host (default 5)."),
    ] = None,
    disabled: Annotated[bool, typer.Option("--disabled", help="Declare the source but do not collect it yet.")] = False,
    allow_private: Annotated[
        bool,
        typer.Option(
            "--allow-private", help="Let the collector reach loopback and private addresses (tests, intranets)."
        ),
    ] = False,
    missing_after: Annotated[
        int | None,
        typer.Option(
            metavar="N",
            help="Crawls an article may be missing from the source's index before it is marked deleted (default 3).",
        ),
    ] = None,
    max_articles: Annotated[
        int | None, typer.Option(metavar="N", help="New article pages fetched per crawl at most (default 200).")
    ] = None,
    confirmed: Annotated[
        bool,
        typer.Option(
            "--confirmed",
            help="The entry points were checked against the live site: clears a shipped profile's needs-confirmation mark.",
        ),
    ] = False,
) -> None:
    """Add a source to the sources file.

    Examples: wirewatch source add KCNA --profile kcna;
    wirewatch source add 'NK News' --feed https://www.nknews.org/feed/ --interval 1h;
    wirewatch source add Example --index https://example.org/news/ --link-pattern '/news/\\d+'.
    """
    with user_errors(ctx) as state:
        path = state.settings.sources
        table: dict[str, Any] = {}
        if profile is not None:
            shipped = builtin_profiles()
            if profile not in shipped:
                raise ConfigError(f"--profile {profile!r}: no such profile (shipped: {', '.join(shipped)})")
            table = profile_table(shipped[profile])
        given = {
            "homepage": homepage,
            "feeds": feed,
            "sitemaps": sitemap,
            "languages": language,
            "date_order": date_order,
            "interval": interval,
            "delay": delay,
            "missing_after": missing_after,
            "max_articles": max_articles,
        }
        table.update({key: value for key, value in given.items() if value is not None and value != []})
        if index:
            table["index_pages"] = [{"url": url} for url in index]
        if link_pattern is not None:
            targets = [*table.get("index_pages", []), *table.get("sitemaps", [])]
            if not targets:
                raise ConfigError("--link-pattern: the source has no --index or --sitemap URL for it to apply to")
            for key in ("index_pages", "sitemaps"):
                if key in table:
                    table[key] = [{**_as_entry(e), "link_pattern": link_pattern} for e in table[key]]
        if disabled:
            table["enabled"] = False
        if allow_private:
            table["allow_private"] = True
        if confirmed:
            table.pop("needs_confirmation", None)
        if not any(table.get(key) for key in ENTRY_KEYS.values()):
            raise ConfigError(f"source {name!r}: no entry point: give --feed, --sitemap or --index URL")
        new = source_from_table(name, table, str(path))
        sources = load_sources(path)
        for existing in sources:
            if existing.name.casefold() == name.casefold():
                raise ConfigError(
                    f"{path}: a source named {existing.name!r} is already there: "
                    f"remove it first (wirewatch source remove {existing.name!r})"
                )
        save_sources(path, [*sources, new])
        stdout.print(f"added source {name!r} to {path} ({_entry_summary(new)})", markup=False, soft_wrap=True)
        if new.needs_confirmation:
            stderr.print(
                "note: its entry points are assumptions, not checked against the live site; "
                "check them (see its notes), then set needs_confirmation = false in the file",
                markup=False,
                soft_wrap=True,
            )


def _as_entry(item: str | dict[str, Any]) -> dict[str, Any]:
    return {"url": item} if isinstance(item, str) else dict(item)


@source_app.command("list")
def list_command(
    ctx: typer.Context,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print every field of each source as JSON (intervals in seconds).")
    ] = False,
    profiles: Annotated[
        bool, typer.Option("--profiles", help="List the shipped profiles instead (for source add --profile).")
    ] = False,
) -> None:
    """List the sources, or the shipped profiles.

    A table of each source's name, entry points, interval and whether it is collected; with
    --profiles, the profiles that source add --profile starts from.
    """
    with user_errors(ctx) as state:
        if profiles:
            shipped = builtin_profiles()
            if as_json:
                print_json([{"id": key, **profile_json(p)} for key, p in shipped.items()])
                return
            table = Table("id", "name", "entry points", "languages", "needs confirmation", box=None)
            for key, p in shipped.items():
                table.add_row(
                    key, p.name, _entry_summary(p), ", ".join(p.languages), "yes" if p.needs_confirmation else "no"
                )
            stdout.print(table)
            return
        sources = load_sources(state.settings.sources)
        if as_json:
            print_json([profile_json(p) for p in sources])
            return
        if not sources:
            stderr.print(
                f"no sources in {state.settings.sources}; add one with: wirewatch source add",
                markup=False,
                soft_wrap=True,
            )
            return
        table = Table("name", "entry points", "interval", "enabled", box=None)
        for p in sources:
            mark = " (needs confirmation)" if p.needs_confirmation else ""
            table.add_row(p.name, _entry_summary(p), format_interval(p.interval), ("yes" if p.enabled else "no") + mark)
        stdout.print(table)


@source_app.command("remove")
def remove_command(
    ctx: typer.Context,
    name: Annotated[
        str, typer.Argument(metavar="NAME", show_default=False, help="The source's name, as source list shows it.")
    ],
) -> None:
    """Remove a source from the sources file.

    Its articles stay in the archive. An unknown name exits with status 1.
    """
    with user_errors(ctx) as state:
        path = state.settings.sources
        sources = load_sources(path)
        kept = [s for s in sources if s.name != name]
        if len(kept) == len(sources):
            known = ", ".join(repr(s.name) for s in sources) or "none"
            stderr.print(f"no source named {name!r} in {path} (known: {known})", markup=False, soft_wrap=True)
            raise typer.Exit(EXIT_PARTIAL)
        save_sources(path, kept)
        stdout.print(f"removed source {name!r} from {path}", markup=False, soft_wrap=True)


@source_app.command("import-opml")
def import_opml_command(
    ctx: typer.Context,
    file: Annotated[
        Path,
        typer.Argument(
            metavar="FILE", show_default=False, help="An OPML file, as feed readers export their subscriptions."
        ),
    ],
    interval: Annotated[
        str | None,
        typer.Option(
            metavar="DURATION", help="How often to crawl the imported feeds: 30m, 6h (default), 1d, or seconds."
        ),
    ] = None,
) -> None:
    """Add the feeds of an OPML file as sources.

    One source per feed, named from the outline's title; categories are flattened. Feeds
    whose name or URL is already in the sources file are skipped and listed.
    """
    with user_errors(ctx) as state:
        path = state.settings.sources
        every = parse_interval(interval) if interval is not None else None
        imported = import_opml(file)
        sources = load_sources(path)
        names = {s.name.casefold() for s in sources}
        urls = {e.url for s in sources for e in s.entry_points}
        added: list[SourceProfile] = []
        skipped: list[str] = []
        for profile in imported:
            if profile.name.casefold() in names or profile.entry_points[0].url in urls:
                skipped.append(profile.name)
                continue
            added.append(replace(profile, interval=every) if every else profile)
        if added:
            save_sources(path, [*sources, *added])
        stdout.print(
            f"added {len(added)} sources from {file} to {path}; skipped {len(skipped)} already there",
            markup=False,
            soft_wrap=True,
        )
        if skipped:
            stderr.print("skipped: " + ", ".join(skipped), markup=False, soft_wrap=True)


@source_app.command("check")
def check_command(ctx: typer.Context) -> None:
    """Check the sources file.

    Prints OK and the number of sources, or every problem, a line each, with exit status 2.
    """
    with user_errors(ctx) as state:
        path = state.settings.sources
        try:
            sources = load_sources(path)
        except ConfigError as exc:
            problems = str(exc).splitlines()
            for line in problems:
                stderr.print(line, markup=False, soft_wrap=True)
            stderr.print(
                f"{len(problems)} problem{'s' if len(problems) > 1 else ''} in {path}", markup=False, soft_wrap=True
            )
            raise typer.Exit(EXIT_ERROR) from None
        where = f"{path}" if path.exists() else f"{path} (no such file yet: no sources)"
        stdout.print(
            f"OK: {len(sources)} source{'s' if len(sources) != 1 else ''} in {where}", markup=False, soft_wrap=True
        )
        unconfirmed = [s.name for s in sources if s.needs_confirmation]
        if unconfirmed:
            stderr.print(
                "needs confirmation against the live site: " + ", ".join(unconfirmed), markup=False, soft_wrap=True
            )


def register(app: typer.Typer) -> None:
    """Add the ``source`` command group to ``app``."""
    app.add_typer(source_app, name="source")
