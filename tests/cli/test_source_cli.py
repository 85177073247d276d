"""The ``source`` commands, through the real app, on a sources file in a temporary folder."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import Result
from wirewatch.cli import app
from wirewatch.collect.sources import EntryPoint, builtin_profiles, load_sources

Run = Callable[..., Result]


@pytest.fixture
def sources(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The sources file the commands use ($WIREWATCH_SOURCES); the folder is the working one,
    so an archive opened by mistake would show up there."""
    monkeypatch.chdir(tmp_path)
    return tmp_path / "sources.toml"


@pytest.fixture
def run(sources: Path) -> Run:
    runner = CliRunner()

    def invoke(*args: str) -> Result:
        result = runner.invoke(app, list(args), env={"WIREWATCH_SOURCES": str(sources)}, catch_exceptions=False)
        return Result(result.exit_code, result.stdout, result.stderr)

    return invoke


@pytest.mark.parametrize("command", ["add", "list", "remove", "import-opml", "check"])
def test_every_source_command_has_help(command: str) -> None:
    result = CliRunner().invoke(app, ["source", command, "--help"])
    assert result.exit_code == 0 and "Usage: wirewatch source" in result.stdout


def test_add_list_and_remove(run: Run, sources: Path, tmp_path: Path) -> None:
    added = run(
        "source", "add", "NK News", "--feed", "https://www.nknews.org/feed/", "--interval", "1h", "--language", "en"
    )
    assert added.exit_code == 0, added.stderr
    assert "added source 'NK News'" in added.stdout and "1 feed" in added.stdout
    run(
        "source",
        "add",
        "Example",
        "--index",
        "https://example.org/news/",
        "--index",
        "https://example.org/world/",
        "--link-pattern",
        r"/news/\d+",
        "--sitemap",
        "https://example.org/sitemap.xml",
        "--date-order",
        "mdy",
        "--delay",
        "0.5",
        "--disabled",
        "--allow-private",
        "--missing-after",
        "2",
        "--max-articles",
        "10",
        "--homepage",
        "https://example.org/",
    )

    listed = run("source", "list")
    assert listed.exit_code == 0
    lines = listed.stdout.splitlines()
    assert any(line.split()[:5] == ["NK", "News", "1", "feed", "1h"] for line in lines)
    assert any("Example" in line and "1 sitemap, 2 index pages" in line and "no" in line.split() for line in lines)

    as_json = run("source", "list", "--json").json()
    assert [s["name"] for s in as_json] == ["NK News", "Example"]
    assert as_json[0] == {
        "name": "NK News",
        "homepage": None,
        "entry_points": [{"kind": "feed", "url": "https://www.nknews.org/feed/", "link_pattern": None}],
        "languages": ["en"],
        "date_order": None,
        "selectors": None,
        "interval": 3600,
        "delay": 5.0,
        "enabled": True,
        "allow_private": False,
        "missing_after": 3,
        "max_articles": 200,
        "needs_confirmation": False,
        "notes": "",
    }
    example = as_json[1]
    assert [(e["kind"], e["link_pattern"]) for e in example["entry_points"]] == [
        ("sitemap", r"/news/\d+"),
        ("index", r"/news/\d+"),
        ("index", r"/news/\d+"),
    ]
    assert (example["date_order"], example["delay"], example["enabled"], example["allow_private"]) == (
        "MDY",
        0.5,
        False,
        True,
    )
    assert (example["missing_after"], example["max_articles"], example["homepage"]) == (2, 10, "https://example.org/")

    removed = run("source", "remove", "NK News")
    assert removed.exit_code == 0 and "removed source 'NK News'" in removed.stdout
    assert [s.name for s in load_sources(sources)] == ["Example"]
    assert not (tmp_path / "wirewatch.db").exists()  # the source commands need no archive


def test_add_from_a_shipped_profile_with_overrides(run: Run, sources: Path) -> None:
    result = run("source", "add", "KCNA", "--profile", "kcna", "--interval", "12h", "--language", "en")
    assert result.exit_code == 0, result.stderr
    assert "needs_confirmation = false" in result.stderr  # told to check the assumed entry points
    [kcna] = load_sources(sources)
    shipped = builtin_profiles()["kcna"]
    assert kcna.entry_points == shipped.entry_points and kcna.selectors == shipped.selectors
    assert kcna.languages == ("en",) and kcna.interval.total_seconds() == 12 * 3600
    assert kcna.needs_confirmation and kcna.notes == shipped.notes

    run("source", "add", "Rodong Sinmun", "--profile", "rodong", "--link-pattern", "/en/article/", "--confirmed")
    rodong = load_sources(sources)[1]
    assert {e.link_pattern for e in rodong.entry_points} == {"/en/article/"} and not rodong.needs_confirmation


def test_a_profile_without_entry_points_needs_one(run: Run, sources: Path) -> None:
    refused = run("source", "add", "Minju Joson", "--profile", "minju-joson")
    assert refused.exit_code == 2 and "no entry point: give --feed, --sitemap or --index URL" in refused.stderr
    added = run(
        "source",
        "add",
        "Minju Joson",
        "--profile",
        "minju-joson",
        "--index",
        "http://mj.example/",
        "--link-pattern",
        "/article/",
    )
    assert added.exit_code == 0, added.stderr
    assert load_sources(sources)[0].entry_points == (EntryPoint("index", "http://mj.example/", "/article/"),)


def test_add_refuses_a_name_already_there(run: Run, sources: Path) -> None:
    run("source", "add", "KCNA", "--feed", "http://www.kcna.kp/rss")
    before = sources.read_bytes()
    result = run("source", "add", "kcna", "--feed", "http://other.example/rss")
    assert result.exit_code == 2
    assert "a source named 'KCNA' is already there: remove it first" in result.stderr
    assert sources.read_bytes() == before


def test_add_refuses_bad_values_naming_each(run: Run, sources: Path) -> None:
    result = run("source", "add", "Ex", "--index", "https://example.org/", "--link-pattern", "(", "--interval", "6x")
    assert result.exit_code == 2 and "Traceback" not in result.stderr
    assert f"{sources}: source 'Ex': interval '6x': expected a duration such as 30m, 6h or 1d" in result.stderr
    assert f"{sources}: source 'Ex': index_pages entry 1: link_pattern '(': not a regular expression" in result.stderr
    assert not sources.exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--feed", "ftp://example.org/rss"],
            "feeds entry 1: url 'ftp://example.org/rss': expected an http(s) address",
        ),
        (["--index", "https://example.org/"], "index_pages entry 1: link_pattern: required for an index page"),
        (
            ["--feed", "https://example.org/rss", "--link-pattern", "x"],
            "--link-pattern: the source has no --index or --sitemap URL",
        ),
        (["--feed", "https://example.org/rss", "--date-order", "DYM"], "date_order 'DYM': expected DMY, MDY or YMD"),
        (["--feed", "https://example.org/rss", "--language", "english"], "'english' is not a language code"),
        (["--feed", "https://example.org/rss", "--delay", "-1"], "delay -1.0: expected a number of seconds, 0 or more"),
        (
            ["--feed", "https://example.org/rss", "--max-articles", "0"],
            "max_articles 0: expected a whole number, 1 or more",
        ),
        (["--profile", "nope"], "--profile 'nope': no such profile (shipped: kcna, rodong,"),
        ([], "no entry point"),
    ],
)
def test_add_refuses(run: Run, args: list[str], message: str) -> None:
    result = run("source", "add", "Ex", *args)
    assert result.exit_code == 2 and message in result.stderr, result.stderr


def test_remove_an_unknown_name_lists_the_known_ones(run: Run) -> None:
    run("source", "add", "KCNA", "--feed", "http://www.kcna.kp/rss")
    run("source", "add", "NK News", "--feed", "https://www.nknews.org/feed/")
    result = run("source", "remove", "Yonhap")
    assert result.exit_code == 1
    assert "no source named 'Yonhap'" in result.stderr and "known: 'KCNA', 'NK News'" in result.stderr


def test_list_of_nothing_and_of_the_shipped_profiles(run: Run) -> None:
    empty = run("source", "list")
    assert empty.exit_code == 0 and "no sources in" in empty.stderr
    assert run("source", "list", "--json").json() == []
    profiles = run("source", "list", "--profiles")
    assert profiles.exit_code == 0 and "Rodong Sinmun" in profiles.stdout and "minju-joson" in profiles.stdout
    shipped = run("source", "list", "--profiles", "--json").json()
    assert [p["id"] for p in shipped] == list(builtin_profiles())
    assert all(p["needs_confirmation"] for p in shipped)


OPML = """<?xml version="1.0"?>
<opml version="1.0"><body>
  <outline text="News">
    <outline text="NK News" xmlUrl="https://www.nknews.org/feed/" htmlUrl="https://www.nknews.org/"/>
    <outline text="38 North" xmlUrl="https://www.38north.org/feed/"/>
  </outline>
  <outline text="Daily NK" xmlUrl="https://www.dailynk.com/english/feed/"/>
</body></opml>
"""


def test_import_opml_adds_the_feeds_and_skips_those_already_there(run: Run, sources: Path, tmp_path: Path) -> None:
    run("source", "add", "Daily NK", "--feed", "https://www.dailynk.com/english/feed/")
    (tmp_path / "feeds.opml").write_text(OPML, encoding="utf-8")
    result = run("source", "import-opml", str(tmp_path / "feeds.opml"), "--interval", "2h")
    assert result.exit_code == 0, result.stderr
    assert "added 2 sources" in result.stdout and "skipped 1 already there" in result.stdout
    assert "skipped: Daily NK" in result.stderr
    loaded = load_sources(sources)
    assert [s.name for s in loaded] == ["Daily NK", "NK News", "38 North"]
    assert loaded[1].homepage == "https://www.nknews.org/" and loaded[1].interval.total_seconds() == 7200
    again = run("source", "import-opml", str(tmp_path / "feeds.opml"))
    assert "added 0 sources" in again.stdout and "skipped 3" in again.stdout


def test_import_of_a_file_that_is_not_opml(run: Run, tmp_path: Path) -> None:
    (tmp_path / "page.html").write_text("<html><body>hello</body></html>", encoding="utf-8")
    result = run("source", "import-opml", str(tmp_path / "page.html"))
    assert result.exit_code == 2 and "page.html: not an OPML file" in result.stderr
    bad_interval = run("source", "import-opml", str(tmp_path / "page.html"), "--interval", "soon")
    assert bad_interval.exit_code == 2 and "--interval 'soon': expected a duration" in bad_interval.stderr


def test_check(run: Run, sources: Path) -> None:
    nothing = run("source", "check")
    assert nothing.exit_code == 0 and "OK: 0 sources" in nothing.stdout and "no such file yet" in nothing.stdout
    run("source", "add", "KCNA", "--profile", "kcna")
    good = run("source", "check")
    assert good.exit_code == 0 and f"OK: 1 source in {sources}" in good.stdout
    assert "needs confirmation against the live site: KCNA" in good.stderr

    sources.write_text(
        '[sources.KCNA]\nfeeds = ["http://www.kcna.kp/rss"]\nintervall = "1h"\ndelay = -1\n\n[sources.Other]\n',
        encoding="utf-8",
    )
    bad = run("source", "check")
    assert bad.exit_code == 2 and "Traceback" not in bad.stderr
    assert bad.stderr.splitlines() == [
        f"{sources}: source 'KCNA': unknown key 'intervall' (did you mean 'interval'?)",
        f"{sources}: source 'KCNA': delay -1: expected a number of seconds, 0 or more",
        f"{sources}: source 'Other': no entry point: give feeds, sitemaps or index_pages",
        f"3 problems in {sources}",
    ]
    sources.write_text("[sources.KCNA\n", encoding="utf-8")
    syntax = run("source", "check")
    assert syntax.exit_code == 2 and "not valid TOML" in syntax.stderr and "line 1" in syntax.stderr


def test_a_broken_file_stops_add_and_list_with_its_problems(run: Run, sources: Path) -> None:
    sources.write_text('[sources.KCNA]\nfeeds = ["http://www.kcna.kp/rss"]\ninterval = "6x"\n', encoding="utf-8")
    for args in (["list"], ["add", "B", "--feed", "https://b.example/rss"], ["remove", "KCNA"]):
        result = run("source", *args)
        assert result.exit_code == 2 and "interval '6x'" in result.stderr, args
