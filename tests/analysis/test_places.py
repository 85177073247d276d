"""Capitals as the places visits go to (GUIDE C9, E8), from the actor data the analysis is
given: a capital a user's actor file adds is a place too."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from wirewatch.analysis.actors import Actors
from wirewatch.analysis.analyse import analyse
from wirewatch.models import Article


def visits(actors: Actors, title: str) -> list[tuple[str | None, str | None]]:
    article = Article(title=title, body="", date=dt.date(2012, 5, 13), url="https://example.org/a", source="KCNA")
    return [(e.actor.country, e.target.country) for e in analyse(article, actors).events if e.type == "visit"]


def test_the_packaged_capitals_are_places() -> None:
    assert visits(Actors.load(), "Kim Yong Nam Arrives in Jakarta") == [("PRK", "IDN")]


def test_a_capital_from_the_user_s_actor_file_is_a_place(tmp_path: Path) -> None:
    extra = tmp_path / "actors.toml"
    extra.write_text(
        '[[country]]\nid = "IDN"\nname = "Indonesia"\nnames = ["Indonesia"]\ncapitals = ["Nusantara"]\n',
        encoding="utf-8",
    )
    assert visits(Actors.load(), "Kim Yong Nam Arrives in Nusantara") == []
    assert visits(Actors.load([extra]), "Kim Yong Nam Arrives in Nusantara") == [("PRK", "IDN")]
