"""Write docs/cli.md from the commands' own --help (run after changing a command).

    python docs/generate_cli_reference.py

tests/test_docs.py fails when docs/cli.md is not what this script writes.
"""

from __future__ import annotations

import sys
from pathlib import Path

from typer.main import get_command
from typer.testing import CliRunner

from wirewatch.cli import app

HERE = Path(__file__).resolve().parent
INTRO = """# CLI reference

Generated from `--help` by `docs/generate_cli_reference.py`; do not edit by hand.

Global options go before the command: `wirewatch --db archive.db search Lavrov`.

## JSON output

With `--json` the commands print these fields (more may be added, none removed):

- `import --json`: `read`, `added`, `duplicates`, `unchanged`, `rejected`,
  `errors` (a list of `{input, line, reason}`), and `derived_titles`, `undated`,
  `ambiguous_dates`, `detected_languages`.
- `search --json`: `total`, `hits` (each `id`, `title`, `date`, `date_precision`,
  `source`, `url`, `language`, `snippet`, `highlights` as `[start, end)` offsets into
  `snippet`, `score`), `facets` (`source`, `year`, `language`: value → count).
- `show ID --json`: `id`, `title`, `title_derived`, `source`, `date`, `date_precision`,
  `date_alternatives`, `date_note`, `url`, `language`, `language_detected`, `place`,
  `body` (paragraphs separated by one blank line), `duplicate_of`, `duplicates`,
  `metadata`. `show ID --raw --json`: `input`, `line`, `kind`, `raw`.
- `stats --json`: `articles`, `duplicates`, `sources` (name → count), `languages`
  (code → count), `first_date`, `last_date`, `undated`, `derived_titles`.
"""


def _help(args: list[str]) -> str:
    result = CliRunner().invoke(app, [*args, "--help"], terminal_width=88, prog_name="wirewatch")
    if result.exit_code != 0:
        raise SystemExit(f"wirewatch {' '.join(args)} --help failed: {result.output}")
    return result.stdout.rstrip()


def commands() -> list[str]:
    group = get_command(app)
    return list(group.commands)  # type: ignore[attr-defined]


def render() -> str:
    parts = [INTRO, "## wirewatch\n\n```\n" + _help([]) + "\n```\n"]
    for name in commands():
        parts.append(f"## wirewatch {name}\n\n```\n{_help([name])}\n```\n")
    return "\n".join(parts)


if __name__ == "__main__":
    target = HERE / "cli.md"
    target.write_text(render(), encoding="utf-8")
    sys.stdout.write(f"wrote {target}\n")
