"""`wirewatch reprocess`: the archive cleaned again with new rules, in this process or on
a local Dask cluster, with the search index, the duplicates and the counts in step."""

from __future__ import annotations

import importlib.resources
import shutil
from pathlib import Path
from typing import Any

from tests.conftest import Invoke, write_jsonl

PAGE = Path(str(importlib.resources.files("wirewatch") / "sample" / "pyongyang-times-dprk-russia-friendship.txt"))
HTML = Path(__file__).resolve().parents[1] / "fixtures" / "ingest" / "article.html"
PROMO = "Promo: visit the wirewatch gift shop today."
#: One rule per kind of input: a line of the JSON Lines and CSV records, a paragraph of
#: the saved page, a paragraph of the HTML page.
RULES = """
[[rule]]
name = "promo"
pattern = '''promo: .{0,200}'''

[[rule]]
name = "anniversary-line"
pattern = '''october 12 this year marks .{0,200}'''

[[rule]]
name = "scientists"
pattern = '''agricultural scientists visited .{0,300}'''
"""
CSV = f"""title,date,source,body,desk
Steel Output Grows,2012-10-04,Minju Joson,"Steelworkers raised output.

{PROMO}",economy
Rail Line Finished,2012-10-05,Minju Joson,Builders finished the rail line.,transport
"""


def _inputs(tmp_path: Path) -> list[str]:
    """Seven articles from four kinds of input; five of them change under RULES (the
    third JSON record is a duplicate of the first: its row changes with it)."""
    harvest = f"Farmers gathered a rich harvest of maize.\n\n{PROMO}"
    jsonl = write_jsonl(
        tmp_path / "news.jsonl",
        [
            {"source": "KCNA", "title": "Harvest Gathered", "date": "2012-10-01", "body": harvest},
            {
                "source": "KCNA",
                "title": "Bridge Opens",
                "date": "2012-10-02",
                "body": "A new bridge opened over the Taedong river.",
            },
            {"source": "Rodong Sinmun", "title": "Harvest Gathered Again", "date": "2012-10-03", "body": harvest},
        ],
    )
    csv = tmp_path / "news.csv"
    csv.write_text(CSV, encoding="utf-8")
    page = shutil.copy(PAGE, tmp_path / PAGE.name)
    html = shutil.copy(HTML, tmp_path / "harvest.html")
    return [str(jsonl), str(csv), str(page), str(html)]


def _rules(tmp_path: Path, text: str = RULES) -> str:
    path = tmp_path / "rules.toml"
    path.write_text(text, encoding="utf-8")
    return str(path)


def _archive(cli: Invoke, database: str | None = None) -> list[Any]:
    """Every article as `show --json` gives it."""
    found = []
    for ident in range(1, 100):
        result = cli("show", str(ident), "--json", **({"database": database} if database else {}))  # type: ignore[arg-type]
        if result.exit_code:
            return found
        found.append(result.json())
    return found


def _hits(cli: Invoke, query: str) -> list[int]:
    return sorted(hit["id"] for hit in cli("search", query, "--json").json()["hits"])  # type: ignore[index]


def test_a_new_rule_rewrites_what_it_strips_and_only_that(cli: Invoke, tmp_path: Path) -> None:
    assert cli("import", *_inputs(tmp_path), "--json").json()["added"] == 6  # type: ignore[index]
    before = _archive(cli)
    assert len(before) == 7 and _hits(cli, "gift") == [1, 4]
    rules = _rules(tmp_path)

    dry = cli("--boilerplate", rules, "reprocess", "--workers", "0", "--dry-run", "--json")
    assert dry.exit_code == 0, dry.stderr
    counts = {
        k: v
        for k, v in dry.json().items()
        if k in ("examined", "changed", "unchanged", "skipped", "unlinked", "partitions", "workers")
    }  # type: ignore[union-attr]
    assert counts == {
        "examined": 7,
        "changed": 5,
        "unchanged": 2,
        "skipped": 0,
        "unlinked": 0,
        "partitions": 1,
        "workers": 0,
    }
    assert _archive(cli) == before and _hits(cli, "gift") == [1, 4]  # a dry run writes nothing
    only = cli(
        "--boilerplate", rules, "reprocess", "--workers", "0", "--source", "example wire", "--dry-run", "--json"
    ).json()
    assert (only["examined"], only["changed"]) == (1, 1)  # type: ignore[index]

    run = cli("--boilerplate", rules, "reprocess", "--workers", "0", "--json")
    assert run.exit_code == 0, run.stderr
    summary = run.json()
    assert {k: summary[k] for k in counts} == {**counts, "partitions": 1}  # type: ignore[index]
    assert summary["dry_run"] is False and summary["skipped_reasons"] == {} and summary["articles_per_second"] > 0  # type: ignore[index]

    after = _archive(cli)
    changed = [a["id"] for a, b in zip(after, before, strict=True) if a != b]
    assert changed == [1, 3, 4, 6, 7]
    bodies = {a["id"]: a["body"] for a in after}
    assert (
        bodies[1] == bodies[3] == "Farmers gathered a rich harvest of maize."
    )  # the duplicate shows its original's new text
    assert bodies[4] == "Steelworkers raised output."  # a CSV row: its header recovered from its record key
    assert "October 12 this year" not in bodies[6] and bodies[6].startswith("The DPRK-Russia friendship")
    assert "Agricultural scientists" not in bodies[7] and bodies[7].startswith("Farmers across the country")
    moved = ("body", "entities", "events")  # the text, and the analysis of the text
    for a, b in zip(after, before, strict=True):  # titles, dates, sources, links stay
        assert {k: v for k, v in a.items() if k not in moved} == {k: v for k, v in b.items() if k not in moved}
    assert after[3]["metadata"] == {"desk": "economy"}

    # The index follows: the stripped words are gone, the rest is found.
    assert _hits(cli, "gift") == [] and _hits(cli, '"October 12 this year"') == [] and _hits(cli, "sowing") == []
    assert _hits(cli, "maize") == [1] and _hits(cli, "Steelworkers") == [4] and _hits(cli, "Lavrov") == [6]
    assert _hits(cli, '"rich harvest"') == [1, 7]

    # The text hashes follow too: the new text of article 1 is what a new record now duplicates.
    more = write_jsonl(
        tmp_path / "more.jsonl",
        [
            {
                "source": "Naenara",
                "title": "Harvest Told",
                "body": f"Farmers gathered a rich harvest of maize.\n\n{PROMO}",
            }
        ],
    )
    assert cli("--boilerplate", rules, "import", str(more), "--json").json()["duplicates"] == 1  # type: ignore[index]

    again = cli("--boilerplate", rules, "reprocess", "--workers", "0", "--json").json()
    assert (again["examined"], again["changed"], again["unchanged"]) == (8, 0, 8)  # type: ignore[index]


def test_a_duplicate_whose_text_no_longer_matches_keeps_its_own(cli: Invoke, tmp_path: Path) -> None:
    """Imported with a rule that made three texts one; re-processed without it."""
    rules = _rules(tmp_path, "[[rule]]\nname = \"promo\"\npattern = '''promo: .{0,200}'''\n")
    crops = "Crops were brought in from the cooperative farms."
    records = write_jsonl(
        tmp_path / "crops.jsonl",
        [
            {"source": "KCNA", "title": "Crops In", "body": f"{crops}\n\nPromo: the shop sells maps."},
            {"source": "KCNA", "title": "Crops In, Again", "body": f"{crops}\n\nPromo: the shop sells tea."},
            {"source": "KCNA", "title": "Crops In, Once More", "body": f"{crops}\n\nPromo: the shop sells maps."},
        ],
    )
    imported = cli("--boilerplate", rules, "import", str(records), "--json").json()
    assert (imported["added"], imported["duplicates"]) == (1, 2)  # type: ignore[index]

    summary = cli("reprocess", "--workers", "0", "--json").json()
    assert (summary["changed"], summary["unchanged"], summary["unlinked"]) == (3, 0, 1)  # type: ignore[index]
    first, second, third = _archive(cli)
    assert first["body"] == f"{crops}\n\nPromo: the shop sells maps." and first["duplicate_of"] is None
    assert second["body"] == f"{crops}\n\nPromo: the shop sells tea." and second["duplicate_of"] is None
    assert third["body"] == first["body"] and third["duplicate_of"] == 1 and first["duplicates"] == [3]
    assert _hits(cli, "tea") == [2] and _hits(cli, "maps") == [1] and _hits(cli, "crops") == [1, 2]


def test_a_local_cluster_makes_the_same_archive_as_this_process(cli: Invoke, tmp_path: Path) -> None:
    """Two partitions of two articles on a real cluster (one worker process) against the
    same work here, on a copy of the archive in SQLite; a duplicate and its original in
    different partitions."""
    inputs = _inputs(tmp_path)
    here = str(tmp_path / "here.db")
    rules = _rules(tmp_path)
    for database in (None, here):
        options = {"database": database} if database else {}
        assert cli("import", *inputs, **options).exit_code == 0  # type: ignore[arg-type]
    on_dask = cli("--boilerplate", rules, "reprocess", "--workers", "1", "--partition-size", "2", "--json")
    assert on_dask.exit_code == 0, on_dask.stderr
    in_process = cli(
        "--boilerplate", rules, "reprocess", "--workers", "0", "--partition-size", "2", "--json", database=here
    )  # type: ignore[arg-type]
    same = ("examined", "changed", "unchanged", "skipped", "unlinked", "partitions")
    assert {k: on_dask.json()[k] for k in same} == {k: in_process.json()[k] for k in same}  # type: ignore[index]
    assert (on_dask.json()["workers"], on_dask.json()["partitions"], on_dask.json()["changed"]) == (1, 4, 5)  # type: ignore[index]
    assert _archive(cli) == _archive(cli, here)


def test_a_cluster_that_cannot_be_reached_is_named(cli: Invoke, tmp_path: Path) -> None:
    cli("import", _inputs(tmp_path)[0])
    result = cli("reprocess", "--cluster", "tcp://127.0.0.1:9", "--cluster-timeout", "0.5")
    assert result.exit_code == 2
    assert "cannot reach the Dask scheduler at tcp://127.0.0.1:9" in " ".join(result.stderr.split())
    assert "Traceback" not in result.stderr
    assert cli("reprocess", "--cluster", "tcp://127.0.0.1:9", "--workers", "2").exit_code == 2
    assert cli("reprocess", "--stage", "tokenise", "--workers", "0").exit_code == 2  # no such stage
    unknown = cli("reprocess", "--source", "Nowhere Daily", "--workers", "0")
    assert unknown.exit_code == 2 and "Nowhere Daily" in unknown.stderr
    assert _archive(cli)[0]["body"].endswith(PROMO)  # nothing was written
