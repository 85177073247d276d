"""Shared fixtures: the shared corpus (skipped when absent), a CLI runner, a fresh archive."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlalchemy as sa
from filelock import FileLock
from typer.testing import CliRunner

from wirewatch.store.engine import database_url

#: The in-process SMTP server's fixtures (smtp_server, smtp_tls_server), for every test directory.
pytest_plugins = ("tests.mailserver",)

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
REFERENCE = CORPUS / "pyongyang-times-dprk-russia-friendship.txt"
KCNA = CORPUS / "kcna-2011-2012.jsonl.gz"
HEADLINES = CORPUS / "kcna-headlines-1997-2014.jsonl.gz"
NEW_YEAR = CORPUS / "nk-new-year-addresses-ko"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """One node id per schemathesis test (tests/web/test_openapi_fuzz.py). schemathesis 4.32
    names each API operation's test, but under pytest 9.2, which keeps node ids structured,
    they all get the test function's node id; pytest-xdist tells tests apart by node id and
    then runs one operation of fourteen."""
    for item in items:
        label = getattr(item, "operation_label", None)
        if isinstance(label, str) and not item.nodeid.endswith("]"):
            unique = f"{item.nodeid}[{label}]"
            if hasattr(item, "_id"):  # pytest >= 9.2: a NodeId
                item._id = type(item._id).parse(unique)
            else:
                item._nodeid = unique


@pytest.fixture(scope="session", autouse=True)
def search_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The user cache the tests' PostgreSQL archives keep their search indexes in (one per
    database, see ``store.sql.default_index_dir``): a temporary one, not the user's."""
    folder = tmp_path_factory.mktemp("cache")
    before = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = str(folder)
    yield folder
    if before is None:
        os.environ.pop("XDG_CACHE_HOME", None)
    else:
        os.environ["XDG_CACHE_HOME"] = before


@pytest.fixture
def corpus() -> Path:
    if not CORPUS.is_dir():
        pytest.skip("the shared corpus (../shared/corpus) is not here")
    return CORPUS


@pytest.fixture
def sqlite_db(tmp_path: Path) -> Path:
    """An archive file, for the tests about SQLite itself (WAL, the file on disk)."""
    return tmp_path / "archive.db"


#: The PostgreSQL server the tests use: the development and CI machines have one here.
POSTGRESQL = os.environ.get("WIREWATCH_TEST_POSTGRESQL", "postgresql://postgres@127.0.0.1:5432/postgres")
IN_CI = os.environ.get("CI", "").lower() == "true"


@pytest.fixture(scope="session")
def postgresql_server() -> Iterator[sa.Engine]:
    """An engine on the server's maintenance database; skipped without a server, except
    in CI (CI=true), where a missing server is a failure."""
    engine = sa.create_engine(database_url(POSTGRESQL), isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
    except Exception as exc:
        engine.dispose()
        message = f"no PostgreSQL server at {POSTGRESQL} ({type(exc).__name__})"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    yield engine
    engine.dispose()


@pytest.fixture
def postgresql_db(postgresql_server: sa.Engine) -> Iterator[str]:
    """The URL of a new, empty database, dropped after the test."""
    name = f"wirewatch_test_{uuid.uuid4().hex[:12]}"
    with postgresql_server.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield POSTGRESQL.rsplit("/", 1)[0] + "/" + name
    finally:
        with postgresql_server.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The archive the ``cli`` fixture works on, on each back end in turn: an SQLite file,
    then a fresh PostgreSQL database. One suite, two back ends, the same results."""
    if request.param == "sqlite":
        return str(tmp_path / "archive.db")
    return str(request.getfixturevalue("postgresql_db"))


class Result:
    def __init__(self, exit_code: int, stdout: str, stderr: str) -> None:
        self.exit_code, self.stdout, self.stderr = exit_code, stdout, stderr

    def json(self) -> object:
        return json.loads(self.stdout)


Invoke = Callable[..., Result]


@pytest.fixture
def cli(db: str) -> Invoke:
    """Run ``wirewatch --db <tmp archive> ARGS`` through the real command, in-process."""
    from wirewatch.cli import app

    runner = CliRunner()

    def invoke(*args: str, database: Path | None = None) -> Result:
        result = runner.invoke(app, ["--db", str(database or db), *args], catch_exceptions=False)
        return Result(result.exit_code, result.stdout, result.stderr)

    return invoke


@dataclass(frozen=True, slots=True)
class CorpusArchives:
    """The shared corpus imported once per test run, on SQLite, by the real command: first
    ``kcna-2011-2012.jsonl.gz`` into an empty archive (``kcna_result``: its exit code and
    ``--json`` summary), then ``kcna-headlines-1997-2014.jsonl.gz`` on top. Each test takes
    its own copy, so none sees another's writes."""

    folder: Path
    kcna_result: tuple[int, dict[str, object]]

    def copy(self, stage: str, to: Path) -> Path:
        """The archive as it stood after ``stage`` ("kcna" or "kcna+headlines"), copied to
        the file ``to`` (with its search index beside it, ``to.search``)."""
        for part in (self.folder / stage).iterdir():  # the file, its -wal if any, its .search index
            target = to.with_name(to.name + part.name.removeprefix(ARCHIVE_NAME))
            (shutil.copytree if part.is_dir() else shutil.copyfile)(part, target)
        return to


ARCHIVE_NAME = "archive.db"


@pytest.fixture(scope="session")
def corpus_archives(tmp_path_factory: pytest.TempPathFactory) -> CorpusArchives:
    """Importing the whole corpus takes minutes, so the tests that need it share one import.
    Under pytest-xdist the workers share it too: the first builds it under a lock in the
    run's common temporary directory, the others wait and reuse it."""
    if not CORPUS.is_dir():
        pytest.skip("the shared corpus (../shared/corpus) is not here")
    base = tmp_path_factory.getbasetemp()
    root = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    folder, done = root / "corpus-archives", root / "corpus-archives" / "kcna-result.json"
    with FileLock(str(root / "corpus-archives.lock")):
        if not done.exists():
            from wirewatch.cli import app

            shutil.rmtree(folder, ignore_errors=True)
            (folder / "kcna").mkdir(parents=True)
            runner = CliRunner()
            kcna = folder / "kcna" / ARCHIVE_NAME
            first = runner.invoke(app, ["--db", str(kcna), "import", str(KCNA), "--json"], catch_exceptions=False)
            shutil.copytree(folder / "kcna", folder / "kcna+headlines")
            both = folder / "kcna+headlines" / ARCHIVE_NAME
            second = runner.invoke(app, ["--db", str(both), "import", str(HEADLINES), "--json"], catch_exceptions=False)
            assert second.exit_code in (0, 1), second.stderr  # 1: records rejected, each named
            done.write_text(json.dumps([first.exit_code, json.loads(first.stdout)]), encoding="utf-8")
    exit_code, summary = json.loads(done.read_text(encoding="utf-8"))
    return CorpusArchives(folder, (exit_code, summary))


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
