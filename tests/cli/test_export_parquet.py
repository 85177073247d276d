"""`export --format parquet`: a dataset partitioned by source and year, read back with pyarrow."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.dataset as ds

from tests.conftest import Invoke, write_jsonl

RECORDS = [
    {
        "source": "KCNA",
        "title": "Talks Held",
        "date": "2011-05-10",
        "language": "en",
        "url": "http://example.org/1",
        "body": "Talks were held.",
        "desk": "foreign",
    },
    {"source": "KCNA", "title": "Talks Held Again", "date": "2012-05-10", "language": "en", "body": "Talks were held."},
    {
        "source": "Pyongyang Times",
        "title": "DPRK-Russia friendship goes on",
        "date": "11/10/2018",
        "language": "en",
        "body": "The friendship goes on.",
    },
    {
        "source": "Minju Joson",
        "title": "신년사",
        "date": None,
        "language": "ko",
        "body": "김정은동지께서 새해를 맞으시였다.",
    },
]


def test_the_dataset_holds_every_article_in_its_partition(cli: Invoke, tmp_path: Path) -> None:
    cli("import", str(write_jsonl(tmp_path / "in.jsonl", RECORDS)))
    out = tmp_path / "parquet"
    result = cli("export", "--format", "parquet", "--out", str(out))
    assert result.exit_code == 0, result.stderr
    assert (out / "source=KCNA" / "year=2011").is_dir() and (out / "source=Pyongyang%20Times" / "year=2018").is_dir()
    table = ds.dataset(out, format="parquet", partitioning="hive").to_table().sort_by("id")
    rows = table.to_pylist()
    exported = [json.loads(line) for line in cli("export", "--format", "jsonl").stdout.splitlines()]
    assert [r["id"] for r in rows] == [e["id"] for e in exported] == [1, 2, 3, 4]
    for row, record in zip(rows, exported, strict=True):
        for name in ("title", "source", "url", "language", "body", "date_precision", "duplicate_of", "place"):
            assert row[name] == record[name], name
        assert (row["date"].isoformat() if row["date"] else None) == record["date"]
        assert [d.isoformat() for d in row["date_alternatives"]] == record["date_alternatives"]
    assert rows[1]["duplicate_of"] == 1 and rows[1]["body"] == "Talks were held."  # a copy carries the text
    assert rows[2]["date_alternatives"] and rows[2]["year"] == 2018
    assert rows[3]["year"] is None and rows[3]["title"] == "신년사"
    assert json.loads(rows[0]["metadata"]) == {"desk": "foreign"}


def test_parquet_needs_a_new_folder(cli: Invoke, tmp_path: Path) -> None:
    cli("import", str(write_jsonl(tmp_path / "in.jsonl", RECORDS[:1])))
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "x").write_text("x")
    refused = cli("export", "--format", "parquet", "--out", str(tmp_path / "full"))
    assert refused.exit_code == 2 and "new or empty folder" in refused.stderr
    assert cli("export", "--format", "parquet").exit_code == 2  # standard output
