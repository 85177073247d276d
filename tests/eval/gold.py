"""The gold annotations for entity and event extraction (the guide to them is docs/annotation-guide.md).

``load_gold(path)`` reads a gold file (``dev.jsonl`` or ``test.jsonl``) and gives one dict
per story: the gold line as written, plus ``text``, the story's text from the shared corpus.
The gold files hold no story text (the corpus is never copied into the repo): each line
points at its story by file and line number, and carries the story's title and date so
that a changed corpus is noticed instead of silently scoring against other stories.

- A KCNA story's ``text`` is its ``body`` field; the reference article's ``text`` is the
  whole saved page, as the importer receives it.
- When ``../shared/corpus`` is absent (a user's machine), every ``text`` is ``None``.
- When the corpus is there but a referenced line is missing, or its title or date differs
  from the gold line's, ``GoldMismatch`` is raised: the corpus changed and the gold set must
  be re-checked, not scored.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

__all__ = ["CORPUS", "GoldMismatch", "iter_corpus", "load_gold", "reference_title"]

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"

#: The saved page that is the project's reference input: a single article, no line numbers.
REFERENCE_FILE = "pyongyang-times-dprk-russia-friendship.txt"
REFERENCE_DATE = "2018-10-11"


class GoldMismatch(Exception):
    """A gold line does not match the story it points at: the corpus has changed."""


def iter_corpus(name: str, corpus: Path = CORPUS) -> Iterator[tuple[int, dict[str, Any]]]:
    """Yield ``(line, record)`` for a ``.jsonl.gz`` corpus file, lines numbered from 1 in the
    decompressed file."""
    with gzip.open(corpus / name, "rt", encoding="utf-8") as lines:
        for number, line in enumerate(lines, 1):
            yield number, json.loads(line)


def reference_title(text: str) -> str:
    """The saved page's title: its first non-empty line."""
    return next(line.strip() for line in text.splitlines() if line.strip())


def load_gold(path: str | Path, corpus: Path = CORPUS) -> list[dict[str, Any]]:
    """The gold stories of ``path``, each with ``text`` resolved from ``corpus`` (or ``None``
    when the corpus folder is absent). Raises ``GoldMismatch`` when the corpus is there but
    a story's title or date no longer matches."""
    stories = [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()]
    if not corpus.is_dir():
        return [{**story, "text": None} for story in stories]

    wanted: dict[str, set[int]] = {}
    for story in stories:
        ref = story["ref"]
        if ref["line"] is not None:
            wanted.setdefault(ref["file"], set()).add(ref["line"])
    found: dict[tuple[str, int], dict[str, Any]] = {}
    for name, numbers in wanted.items():
        left = set(numbers)
        for number, record in iter_corpus(name, corpus):
            if number in left:
                found[(name, number)] = record
                left.discard(number)
                if not left:
                    break

    resolved = []
    for story in stories:
        ref = story["ref"]
        if ref["line"] is None:
            text = (corpus / ref["file"]).read_text(encoding="utf-8")
            title, date = reference_title(text), REFERENCE_DATE
        else:
            record = found.get((ref["file"], ref["line"]))
            if record is None:
                raise GoldMismatch(f"{ref['file']} has no line {ref['line']}")
            text, title, date = record.get("body"), record.get("title"), record.get("date")
        if title != story["title"] or date != story["date"]:
            raise GoldMismatch(
                f"{ref['file']}:{ref['line']} is {title!r} of {date}, "
                f"the gold line expects {story['title']!r} of {story['date']}"
            )
        resolved.append({**story, "text": text})
    return resolved
