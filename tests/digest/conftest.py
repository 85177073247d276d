"""The Daily Update's tests: ``stories``, an archive (on each back end) with four stories a day for the week
ending ``STORY_DAY`` (2024-03-08), two sources, English and Korean. The SMTP server fixtures are in tests/mailserver.py."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from tests.mailserver import DROP, MailBox, free_port

__all__ = ["DROP", "STORY_DAY", "WEEK", "MailBox", "free_port", "write_stories"]


# -- an archive with a week of stories ----------------------------------------------------

#: The last day of the stories' week: its daily edition; the weekly one covers WEEK.
STORY_DAY = dt.date(2024, 3, 8)
WEEK = [STORY_DAY - dt.timedelta(days=n) for n in range(6, -1, -1)]
_STORIES = [
    (
        "KCNA",
        "en",
        "Kim Jong Un Inspects Munitions Factory",
        "Kim Jong Un, general secretary of the Workers' Party of Korea, inspected a munitions factory and praised the workers.",
    ),
    (
        "KCNA",
        "en",
        "DPRK and Russia Sign Agreement on Economic Cooperation",
        "The DPRK and Russia signed an agreement on economic cooperation in Pyongyang. The Russian ambassador attended.",
    ),
    (
        "Rodong Sinmun",
        "en",
        "Missile Launch Demonstrates Nuclear Deterrent",
        "A missile launch was conducted to demonstrate the nuclear deterrent of the country, the paper said.",
    ),
    (
        "Rodong Sinmun",
        "ko",
        "농업 생산 증대를 위한 운동",
        "전국의 농장들에서 농업 생산을 늘리기 위한 운동이 힘있게 벌어지고 있다.",
    ),
]


def write_stories(path: Path, days: list[dt.date] = WEEK) -> Path:
    """A JSONL file of four stories a day (two sources, English and Korean) for ``days``."""
    records = [
        {
            "source": source,
            "language": language,
            "date": day.isoformat(),
            "title": f"{title} ({day:%d %B})",
            "body": f"{body} Reported on {day:%d %B %Y}.",
            "url": f"https://example.org/{day}/{n}",
        }
        for day in days
        for n, (source, language, title, body) in enumerate(_STORIES)
    ]
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


@pytest.fixture
def stories(db: str, tmp_path: Path) -> str:
    """An archive (SQLite, then PostgreSQL) holding a week of stories ending STORY_DAY."""
    from wirewatch.clean.boilerplate import BoilerplateRules
    from wirewatch.clean.record import CleanOptions
    from wirewatch.pipeline.importer import run_import
    from wirewatch.store import open_store

    store = open_store(db)
    try:
        run_import(store, [str(write_stories(tmp_path / "week.jsonl"))], CleanOptions(rules=BoilerplateRules.load(())))
    finally:
        store.close()
    return db
