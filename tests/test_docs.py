"""The documentation tells the truth: README commands, CLI reference, settings, changelog."""

from __future__ import annotations

import re
import runpy
from pathlib import Path

from wirewatch.config.settings import SETTINGS

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _shell_blocks(text: str) -> list[str]:
    return re.findall(r"```sh\n(.*?)```", text, re.S)


def test_readme_has_exactly_two_setup_commands_and_ci_runs_the_test_one() -> None:
    setup = README.split("## Set up", 1)[1].split("\n## ", 1)[0]
    blocks = [b.strip() for b in _shell_blocks(setup)]
    assert len(blocks) == 2 and all("\n" not in b for b in blocks)
    demo, tests = blocks
    assert demo.endswith("wirewatch demo")
    assert " -m pytest" in tests
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert tests in ci.splitlines()


def test_cli_reference_is_generated_from_the_commands() -> None:
    script = runpy.run_path(str(ROOT / "docs" / "generate_cli_reference.py"))
    reference = script["render"]()
    assert (ROOT / "docs" / "cli.md").read_text(encoding="utf-8") == reference, (
        "docs/cli.md is stale: run python docs/generate_cli_reference.py"
    )
    for command in script["commands"]():
        assert f"## wirewatch {command}\n" in reference
        assert f"`{command}" in README or f"wirewatch {command}" in README, f"README never mentions {command}"


def test_every_setting_is_documented() -> None:
    doc = (ROOT / "docs" / "configuration.md").read_text(encoding="utf-8")
    for setting in SETTINGS:
        assert f"| {setting.name} |" in doc and f"`{setting.env}`" in doc, setting.name


def test_changelog_mentions_every_command() -> None:
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    script = runpy.run_path(str(ROOT / "docs" / "generate_cli_reference.py"))
    for command in script["commands"]():
        assert f"`{command}`" in changelog or f"wirewatch {command}" in changelog, command
