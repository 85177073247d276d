"""An import killed with SIGKILL halfway leaves a consistent archive and search index; a
re-run completes both."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from tests.conftest import write_jsonl
from wirewatch.pipeline.importer import WORKER_MIN_BYTES
from wirewatch.search.base import SearchRequest
from wirewatch.store import open_store

RECORDS = 6000


def _records() -> list[dict[str, object]]:
    out = []
    for i in range(RECORDS):
        # every 10th record repeats an earlier body: duplicates must survive the kill too
        body = f"Story number {(i % 10 == 9 and i - 1) or i} about cooperation between the two countries. " * 20
        out.append(
            {"source": "KCNA", "title": f"Story {i}", "date": f"2011-{i % 12 + 1:02d}-{i % 28 + 1:02d}", "body": body}
        )
    return out


def _import(db: Path, path: Path) -> subprocess.Popen[str]:
    code = "import sys; from wirewatch.cli import main; sys.argv = ['wirewatch'] + sys.argv[1:]; main()"
    return subprocess.Popen(
        [sys.executable, "-c", code, "--db", str(db), "import", str(path), "--json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _count(db: Path) -> int:
    try:
        with sqlite3.connect(db, timeout=10) as conn:
            return conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    except sqlite3.OperationalError:
        return 0


def _snapshot(db: Path) -> tuple[object, ...]:
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT title, body_hash, duplicate_of IS NOT NULL FROM articles ORDER BY title").fetchall()
        raw = conn.execute("SELECT count(*) FROM article_raw").fetchone()[0]
        originals = conn.execute("SELECT count(*) FROM articles WHERE duplicate_of IS NULL").fetchone()[0]
        check = conn.execute("PRAGMA integrity_check").fetchone()[0]
    # The search index (tantivy, beside the file) catches up from the archive's change log
    # at the first search after the kill: every stored original is found, none twice.
    store = open_store(str(db))
    try:
        found = store.search(SearchRequest("cooperation", limit=RECORDS))
    finally:
        store.close()
    indexed = len({hit.id for hit in found.hits})
    assert indexed == found.total
    return rows, raw, indexed, originals, check


def _children(pid: int) -> list[int]:
    """The processes whose parent is ``pid``, from /proc (Linux)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            ppid = int(stat.read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue  # gone meanwhile
        if ppid == pid:
            found.append(int(stat.parent.name))
    return found


def _running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"  # a zombie has exited; only its new parent has yet to reap it


def test_sigkill_halfway_then_rerun(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "big.jsonl", _records())
    assert path.stat().st_size >= WORKER_MIN_BYTES  # so the import runs a worker process too
    killed_db = tmp_path / "killed.db"
    proc = _import(killed_db, path)
    deadline = time.monotonic() + 120
    while _count(killed_db) < RECORDS // 4 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    assert proc.poll() is None, "the import finished before it could be killed: make the input bigger"
    helpers = _children(proc.pid) if sys.platform == "linux" else []
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    halfway = _count(killed_db)
    assert 0 < halfway < RECORDS
    if sys.platform == "linux":  # the worker process (input over WORKER_MIN_BYTES) ends with its parent
        assert any(b"spawn_main" in Path(f"/proc/{pid}/cmdline").read_bytes() for pid in helpers)
        deadline = time.monotonic() + 10
        while any(map(_running, helpers)) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not any(map(_running, helpers)), "a worker process outlived the killed import"

    rows, raw, indexed, originals, check = _snapshot(killed_db)
    assert check == "ok"
    assert raw == len(rows) and indexed == originals  # every stored article has its raw input and index entry

    rerun = _import(killed_db, path)
    out, err = rerun.communicate(timeout=300)
    assert rerun.returncode == 0, err
    summary = json.loads(out)
    assert summary["unchanged"] == halfway
    assert summary["added"] + summary["duplicates"] == RECORDS - halfway

    clean_db = tmp_path / "clean.db"
    clean = _import(clean_db, path)
    clean.communicate(timeout=300)
    assert _snapshot(killed_db) == _snapshot(clean_db)
