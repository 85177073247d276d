"""The ``compare`` and ``similar`` commands: how two articles relate and what differs between
them; the articles linked to one (its other versions, the formulas it shares) and its story."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.text import Text

from wirewatch.analysis.compare import Comparison
from wirewatch.cli.common import fail, print_json, stderr, user_errors
from wirewatch.models import Article
from wirewatch.present.compare import compare_articles
from wirewatch.present.shapes import comparison_json, date_line
from wirewatch.present.stories import similar_json, story_json, thread_text

stdout = Console(highlight=False)

#: What each relation means, in the words docs/compare.md uses.
MEANINGS = {
    "duplicate": "the same text",
    "reprint": "the same story, edited",
    "translation": "the same story in another language",
    "quotes": "one reproduces a passage of the other",
    "template": "the same formula about a different event",
    "unrelated": "no relation found",
}
#: Changes printed before "… and N more" (all of them are in --json).
SHOWN_CHANGES = 40


def compare_command(
    ctx: typer.Context,
    a: Annotated[int, typer.Argument(metavar="A", help="The first article's number.")],
    b: Annotated[int, typer.Argument(metavar="B", help="The second article's number.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the comparison as JSON.")] = False,
) -> None:
    """Compare two articles: duplicate, reprint, translation, quotes, template or unrelated,
    with the words that changed and, for a template, the slots that differ.

    Works for any two articles with text (docs/compare.md). Example: wirewatch compare 9008 9057.
    """
    with user_errors(ctx) as state:
        store = state.store()
        first, second = store.get_article(a), store.get_article(b)
        for ident, found in ((a, first), (b, second)):
            if found is None:
                fail(f"no article {ident} in {state.settings.db}", debug=state.settings.debug)
        assert first is not None and second is not None  # fail() does not return
        result = compare_articles(store, first, second)
        if as_json:
            print_json(comparison_json(a, b, result))
            return
        _print_comparison(first, second, result)


def _print_comparison(a: Article, b: Article, result: Comparison) -> None:
    for label, article, language in (("A", a, result.languages[0]), ("B", b, result.languages[1])):
        line = Text(f"{label} {article.id:>7}  ", style="dim")
        line.append(f"{date_line(article)}  {article.source}  {language or '?'}  ", style="cyan")
        line.append(article.title, style="bold")
        stdout.print(line)
        if article.status == "deleted":
            stderr.print(f"article {article.id} was deleted from its site; the archive's last text is compared")
    stdout.print(
        f"\n{result.relation}: {MEANINGS[result.relation]} (similarity {result.score:.2f}, rule {result.rule})"
    )
    for slot in result.slots:
        stdout.print(f"  {slot.kind}: {slot.a} | {slot.b}", markup=False)
    if result.relation in ("duplicate", "unrelated", "translation"):
        return
    for change in result.changes[:SHOWN_CHANGES]:
        text = Text("  ")
        if change.a:
            text.append(f"[-{' '.join(change.a.split())}-]", style="red")
        if change.b:
            text.append(f"{{+{' '.join(change.b.split())}+}}", style="green")
        stdout.print(text)
    if len(result.changes) > SHOWN_CHANGES:
        stdout.print(f"  … and {len(result.changes) - SHOWN_CHANGES} more changes (--json lists them all)")


def similar_command(
    ctx: typer.Context,
    ident: Annotated[int, typer.Argument(metavar="ID", help="The article's number.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the links as JSON.")] = False,
) -> None:
    """List the articles linked to one, strongest first: its duplicates, reprints and
    translations (the same story), the articles that quote it or that it quotes, and those
    of the same formula about another event (template), with the story it belongs to.

    Links are made at import and collection, within WIREWATCH_COMPARE_WINDOW days
    ('reprocess --stage compare' makes them for an older archive). Example: wirewatch similar 9057.
    """
    with user_errors(ctx) as state:
        store = state.store()
        article = store.get_article(ident)
        if article is None:
            fail(f"no article {ident} in {state.settings.db}", debug=state.settings.debug)
        assert article is not None  # fail() does not return
        similar, story = store.similar_of(ident), store.story_of(ident)
        if as_json:
            print_json(similar_json(ident, similar) | {"story": story_json(story)})
            return
        line = Text(f"{ident:>7}  ", style="dim")
        line.append(f"{date_line(article)}  {article.source}  {article.language or '?'}  ", style="cyan")
        line.append(article.title, style="bold")
        stdout.print(line)
        if story is not None:
            stdout.print(f"story {story.id}: {thread_text(story)}", markup=False)
        if not similar:
            stderr.print("no linked articles (compared within the archive's window; see 'wirewatch compare A B')")
        for found in similar:
            row = Text(f"  {found.relation:<11} {found.score:5.2f}  {found.id:>7}  ", style="dim")
            row.append(f"{found.date or '?'}  {found.source}  {found.language or '?'}  ", style="cyan")
            row.append(found.title)
            stdout.print(row)
            for slot in found.slots:
                stdout.print(f"      {slot.kind}: {slot.here} | {slot.there}", markup=False)


def register(app: typer.Typer) -> None:
    app.command("compare")(compare_command)
    app.command("similar")(similar_command)
