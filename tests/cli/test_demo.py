"""The demo: the README's first command, on the sample the package ships."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from wirewatch.cli import app


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("WIREWATCH_DB", raising=False)
    return tmp_path


def test_demo_builds_the_sample_archive_once_and_searches_it(in_tmp: Path) -> None:
    runner = CliRunner()
    first = runner.invoke(app, ["demo", "--no-serve"])
    assert first.exit_code == 0, first.output
    assert (in_tmp / "wirewatch-demo.db").exists() and not (in_tmp / "wirewatch.db").exists()
    assert "building the demo archive" in first.stderr
    assert "KCNA" in first.stdout and "Pyongyang Times" in first.stdout
    assert "DPRK-Russia friendship goes on" in first.stdout  # the newest Lavrov story
    again = runner.invoke(app, ["demo", "--no-serve"])
    assert again.exit_code == 0 and "building" not in again.stderr
    assert again.stdout == first.stdout

    shown = runner.invoke(app, ["--db", "wirewatch-demo.db", "search", "김정은", "--json"])
    assert shown.exit_code == 0 and '"total": 1' in shown.stdout
    stats = runner.invoke(app, ["--db", "wirewatch-demo.db", "stats", "--json"])
    assert '"Unknown"' not in stats.stdout and '"ko": 2' in stats.stdout


def test_demo_honours_an_explicit_archive(in_tmp: Path) -> None:
    result = CliRunner().invoke(app, ["--db", "mine.db", "demo", "--no-serve"])
    assert result.exit_code == 0, result.output
    assert (in_tmp / "mine.db").exists() and not (in_tmp / "wirewatch-demo.db").exists()
    assert os.path.getsize(in_tmp / "mine.db") > 0
