"""Commands that read the archive: search, show, stats."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.text import Text

from wirewatch.cli.common import EXIT_PARTIAL, print_json, stderr, user_errors
from wirewatch.present.params import check_sources, search_request
from wirewatch.present.shapes import also_line, article_json, date_line, format_date, result_json, stats_json
from wirewatch.search.base import SearchRequest, SearchResult

stdout = Console(highlight=False)


def search_command(
    ctx: typer.Context,
    query: Annotated[
        str,
        typer.Argument(
            metavar="QUERY",
            show_default=False,
            help='Words, "phrases", prefix*, AND/OR/NOT, (groups), title:word, person:NAME, country:NAME, org:NAME, event:TYPE.',
        ),
    ] = "",
    source: Annotated[
        list[str] | None, typer.Option("--source", "-s", metavar="NAME", help="Only this source; repeatable.")
    ] = None,
    language: Annotated[
        list[str] | None, typer.Option("--language", "-l", metavar="CODE", help="Only this language code; repeatable.")
    ] = None,
    status: Annotated[
        list[str] | None,
        typer.Option("--status", metavar="STATUS", help="Only live, edited or deleted articles; repeatable."),
    ] = None,
    since: Annotated[
        str | None, typer.Option(metavar="DATE", help="From this date on (YYYY, YYYY-MM or YYYY-MM-DD).")
    ] = None,
    until: Annotated[
        str | None, typer.Option(metavar="DATE", help="Up to this date (YYYY, YYYY-MM or YYYY-MM-DD).")
    ] = None,
    person: Annotated[
        list[str] | None,
        typer.Option(
            "--person",
            metavar="NAME",
            help="Only articles naming this person (name, alias or id); repeatable, all must match.",
        ),
    ] = None,
    country: Annotated[
        list[str] | None,
        typer.Option(
            "--country",
            metavar="NAME",
            help="Only articles naming this country (name, adjective or ISO alpha-3); repeatable, all must match.",
        ),
    ] = None,
    org: Annotated[
        list[str] | None,
        typer.Option(
            "--org",
            metavar="NAME",
            help="Only articles naming this organisation (name, alias or id); repeatable, all must match.",
        ),
    ] = None,
    event: Annotated[
        list[str] | None,
        typer.Option(
            "--event",
            metavar="TYPE",
            help="Only articles reporting an event of this type (visit, meeting, message, anniversary, agreement, praise, denounce, threaten); repeatable, all must match.",
        ),
    ] = None,
    order: Annotated[str, typer.Option(metavar="ORDER", help="relevance, newest or oldest.")] = "relevance",
    limit: Annotated[int, typer.Option(min=1, max=1000, metavar="N", help="Hits per page.")] = 20,
    page: Annotated[int, typer.Option(min=1, metavar="N", help="Page of hits.")] = 1,
    exact_spelling: Annotated[
        bool,
        typer.Option(
            "--exact-spelling",
            help="Find Korean names only as typed, not in their other romanisations (Ch'oe T'ae-bok, Choe Thae Bok).",
        ),
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
) -> None:
    """Search the archive.

    A query holds at most 1,000 characters, 64 words, phrases and filters, and parentheses
    20 deep (README, "Search syntax").

    Examples: wirewatch search 'Lavrov OR "Federation Council"' --since 2011-06-01 --source KCNA;
    wirewatch search 김정은; wirewatch search 'missile* NOT test' --order newest;
    wirewatch search 'person:"Kim Jong Un" country:Russia -event:denounce';
    wirewatch search --country RUS --event visit.
    """
    with user_errors(ctx) as state:
        request = search_request(
            query=query,
            sources=source or (),
            languages=language or (),
            statuses=status or (),
            since=since,
            until=until,
            filters={"person": person or (), "country": country or (), "organization": org or (), "event": event or ()},
            order=order,
            limit=limit,
            page=page,
            exact_spelling=exact_spelling,
        )
        store = state.store()
        check_sources(request.sources, store.source_names())
        result = store.search(request)
        if as_json:
            print_json(result_json(result))
        else:
            _print_result(result, request)


def _print_result(result: SearchResult, request: SearchRequest) -> None:
    if result.also:
        stderr.print(f"also searched: {also_line(result.also)} (--exact-spelling: only as typed)", markup=False)
    if not result.total:
        stderr.print("no articles match")
        return
    for hit in result.hits:
        head = Text()
        head.append(f"{hit.id:>7}  ", style="dim")
        head.append(f"{format_date(hit.date, hit.date_precision):<17} ", style="cyan")
        head.append(f"{hit.source}  ", style="green")
        head.append(hit.title, style="bold")
        stdout.print(head)
        snippet = Text("         " + hit.snippet)
        for start, end in hit.highlights:
            snippet.stylize("bold yellow", start + 9, end + 9)
        stdout.print(snippet)
    first = request.offset + 1
    last = request.offset + len(result.hits)
    facets = "; ".join(
        f"{name}: " + ", ".join(f"{k} {v:,}" for k, v in list(counts.items())[:6])
        for name, counts in result.facets.items()
        if counts
    )
    stderr.print(f"\n{first}–{last} of {result.total:,} articles. {facets}", markup=False)


def show_command(
    ctx: typer.Context,
    article_id: Annotated[int, typer.Argument(metavar="ID", help="The article's number (from search).")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the article as JSON.")] = False,
    raw: Annotated[bool, typer.Option("--raw", help="Print the input record the article was read from.")] = False,
) -> None:
    """Show one article: title, date, source, link and text."""
    with user_errors(ctx) as state:
        store = state.store()
        article = store.get_article(article_id)
        if article is None:
            stderr.print(f"no article {article_id} in {state.settings.db}")
            raise typer.Exit(EXIT_PARTIAL)
        if raw:
            record = store.raw_record(article_id)
            if as_json:
                print_json(record)
            elif record:
                stdout.print(record["raw"], markup=False)
            return
        # The other articles with this text: an original's duplicates, or a duplicate's
        # siblings (its original is in duplicate_of).
        duplicates = [d for d in store.duplicates_of(article.duplicate_of or article_id) if d != article_id]
        if as_json:
            print_json(article_json(article, duplicates, store.entities_of(article_id), store.events_of(article_id)))
            return
        stdout.print(
            Text(article.title + (" (title derived from the text)" if article.title_derived else ""), style="bold")
        )
        line = f"Date: {date_line(article)} | Source: {article.source}"
        if article.place:
            line += f" | Place: {article.place}"
        stdout.print(line, markup=False)
        if article.url:
            stdout.print(f"Original: {article.url}", markup=False)
        if article.duplicate_of:
            stdout.print(f"Duplicate of article {article.duplicate_of}", style="dim")
        if duplicates:
            stdout.print("Also published as: " + ", ".join(map(str, duplicates)), style="dim")
        stdout.print()
        stdout.print(article.body, markup=False)


def stats_command(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print the figures as JSON.")] = False,
) -> None:
    """Counts of articles by source and language, and the dates they span."""
    with user_errors(ctx) as state:
        stats = state.store().stats()
        if as_json:
            print_json(stats_json(stats))
            return
        stdout.print(f"{stats.articles:,} articles ({stats.duplicates:,} duplicates of another)")
        if stats.first_date:
            stdout.print(f"from {stats.first_date} to {stats.last_date}; {stats.undated:,} undated")
        for name, count in stats.sources.items():
            stdout.print(f"  {count:>9,}  {name}", markup=False)
        stdout.print("languages: " + ", ".join(f"{k} {v:,}" for k, v in stats.languages.items()))


def register(app: typer.Typer) -> None:
    app.command("search")(search_command)
    app.command("show")(show_command)
    app.command("stats")(stats_command)
