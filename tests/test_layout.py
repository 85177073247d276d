"""The layout's rules that no linter checks (docs/architecture.md): small modules, a root that
holds only the vocabulary, and a package docstring that says what lives in each folder."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "wirewatch"
#: A module past this has two jobs (STYLE.md habit 1 says ~500; issue 13 sets the hard line).
MAX_LINES = 600
#: errors.py, clock.py and __init__.py: everything else sits in a folder named for its stage.
ROOT_MODULES = {"__init__.py", "errors.py", "clock.py"}


def _modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "migrations" not in p.parts)


def test_no_module_is_over_600_lines() -> None:
    long = {
        str(p.relative_to(PACKAGE)): n for p in _modules() if (n := len(p.read_text("utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}, f"split these modules (lines): {long}"


def test_the_package_root_holds_only_the_vocabulary() -> None:
    assert {p.name for p in PACKAGE.glob("*.py")} <= ROOT_MODULES


def test_each_folder_says_in_one_line_what_lives_there() -> None:
    for init in sorted(PACKAGE.rglob("__init__.py")):
        if "migrations" in init.parts:
            continue
        doc = ast.get_docstring(ast.parse(init.read_text("utf-8")))
        assert doc, f"{init.relative_to(PACKAGE)} has no docstring"
        assert doc.strip(), f"{init.relative_to(PACKAGE)}: an empty docstring"
        first = doc.splitlines()[0]
        assert first.endswith((".", ":")), f"{init.relative_to(PACKAGE)}: the first line is not a sentence: {first!r}"
