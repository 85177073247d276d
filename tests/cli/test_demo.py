"""The demo: the README's first command, on the sample the package ships."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from tests.conftest import server_address, stop
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

    shown = runner.invoke(app, ["--db", "wirewatch-demo.db", "search", "김정은", "--exact-spelling", "--json"])
    assert shown.exit_code == 0 and '"total": 1' in shown.stdout
    # By default the name is also searched as it is romanised: the English stories that name him.
    widened = json.loads(runner.invoke(app, ["--db", "wirewatch-demo.db", "search", "김정은", "--json"]).stdout)
    assert widened["total"] > 1 and widened["also_searched"][0]["entry"] == "kim-jong-un"
    stats = runner.invoke(app, ["--db", "wirewatch-demo.db", "stats", "--json"])
    assert '"Unknown"' not in stats.stdout and '"ko": 2' in stats.stdout


def test_demo_honours_an_explicit_archive(in_tmp: Path) -> None:
    result = CliRunner().invoke(app, ["--db", "mine.db", "demo", "--no-serve"])
    assert result.exit_code == 0, result.output
    assert (in_tmp / "mine.db").exists() and not (in_tmp / "wirewatch-demo.db").exists()
    assert os.path.getsize(in_tmp / "mine.db") > 0


def test_demo_serves_the_reference_article(in_tmp: Path) -> None:
    """The README's first command: build the sample archive, serve it, print where."""
    command = [str(Path(sys.executable).with_name("wirewatch")), "demo", "--port", "0"]
    process = subprocess.Popen(command, cwd=in_tmp, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        url = server_address(process)
        assert url.startswith("http://127.0.0.1:")
        found = httpx.get(url + "api/search", params={"q": 'title:"DPRK-Russia friendship"'}).json()
        assert found["total"] == 1
        page = httpx.get(f"{url}articles/{found['hits'][0]['id']}")
        assert page.status_code == 200
        html = page.text
        assert "<h1>DPRK-Russia friendship goes on</h1>" in html
        assert "11 October 2018 (ambiguous: or 10 November 2018)" in html
        assert ">Pyongyang Times</a>" in html
        for service in (
            "mailto:?subject=",
            "twitter.com/intent/tweet",
            "facebook.com/sharer",
            "t.me/share",
            "vk.com/share.php",
            "linkedin.com/sharing",
        ):
            assert service in html
        assert "Share Button" not in html and "Daily Update" not in html  # the aggregator's chrome is gone
        assert "October 12 this year marks the 70th anniversary" in html
    finally:
        stop(process)
    assert process.returncode == 0  # Ctrl-C is how a user stops it: not an error
