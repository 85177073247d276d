"""Shared fixtures: the shared corpus (skipped when absent), a CLI runner, a fresh archive."""

from __future__ import annotations

import json
import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
REFERENCE = CORPUS / "pyongyang-times-dprk-russia-friendship.txt"
KCNA = CORPUS / "kcna-2011-2012.jsonl.gz"
HEADLINES = CORPUS / "kcna-headlines-1997-2014.jsonl.gz"
NEW_YEAR = CORPUS / "nk-new-year-addresses-ko"


@pytest.fixture
def corpus() -> Path:
    if not CORPUS.is_dir():
        pytest.skip("the shared corpus (../shared/corpus) is not here")
    return CORPUS


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "archive.db"


class Result:
    def __init__(self, exit_code: int, stdout: str, stderr: str) -> None:
        self.exit_code, self.stdout, self.stderr = exit_code, stdout, stderr

    def json(self) -> object:
        return json.loads(self.stdout)


Invoke = Callable[..., Result]


@pytest.fixture
def cli(db: Path) -> Invoke:
    """Run ``wirewatch --db <tmp archive> ARGS`` through the real command, in-process."""
    from wirewatch.cli import app

    runner = CliRunner()

    def invoke(*args: str, database: Path | None = None) -> Result:
        result = runner.invoke(app, ["--db", str(database or db), *args], catch_exceptions=False)
        return Result(result.exit_code, result.stdout, result.stderr)

    return invoke


def write_jsonl(path: Path, records: list[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


def server_address(process: subprocess.Popen[str], timeout: float = 60.0) -> str:
    """The address a `wirewatch serve` or `demo` child prints once it listens."""
    deadline = time.monotonic() + timeout
    assert process.stdout is not None
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        if line.startswith("Serving at "):
            return line.split()[2]
    process.kill()
    raise AssertionError(f"the server printed no address; stderr: {process.stderr.read() if process.stderr else ''}")


def stop(process: subprocess.Popen[str]) -> None:
    """Ctrl-C, as a user stops the server; killed if it does not stop within 10 s."""
    process.send_signal(signal.SIGINT)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
