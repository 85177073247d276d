"""The ``compare`` command: how two articles relate, and what differs between them."""

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


def register(app: typer.Typer) -> None:
    app.command("compare")(compare_command)
