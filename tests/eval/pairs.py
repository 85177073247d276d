"""The labelled pairs for text comparison (issue 14; the guide is docs/compare-guide.md).

``load_pairs(path)`` reads a pair file (``pairs-dev.jsonl`` or ``pairs-test.jsonl``) and gives
one dict per pair: the line as written, with ``text`` added to each side (``a`` and ``b``), the
story's text from the shared corpus. As in ``gold.py`` (whose corpus reader this module uses),
the pair files hold no story text: each side points at its story by file and line number and
carries its title and date, so that a changed corpus is noticed instead of silently scored.

- A KCNA story (``kcna-2011-2012.jsonl.gz``, ``line`` from 1 in the decompressed file) is its
  ``body``; its ``title`` and ``date`` are the corpus fields, ``title`` ``null`` where the
  corpus has ``null``.
- A Korean New Year text (``nk-new-year-addresses-ko/YYYY.txt``, ``line`` ``null``) is the whole
  file; its ``title`` is the file's first non-empty line and its ``date`` 1 January of the
  year in the file name.
- When ``../shared/corpus`` is absent, every ``text`` is ``None``; when it is there but a
  reference does not match, ``GoldMismatch`` is raised.

The held-out file is split off by a fixed rule, ``split_of``, that depends on the two
references only: nobody chose which pairs are held out.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

try:  # imported as ``tests.eval.pairs`` or from this folder as a script's neighbour
    from tests.eval.gold import CORPUS, GoldMismatch, iter_corpus, reference_title
except ImportError:  # pragma: no cover - the script's own folder is on sys.path
    from gold import CORPUS, GoldMismatch, iter_corpus, reference_title  # type: ignore[no-redef]

__all__ = [
    "HELD_OUT_PERCENT",
    "KCNA_FILE",
    "KOREAN_DIR",
    "LANGUAGES",
    "RELATIONS",
    "load_pairs",
    "pair_key",
    "resolve",
    "split_of",
]

KCNA_FILE = "kcna-2011-2012.jsonl.gz"
KOREAN_DIR = "nk-new-year-addresses-ko"

#: The relations of docs/compare-guide.md, and ``unrelated`` for a pair that is none of them.
RELATIONS = ("duplicate", "reprint", "translation", "quotes", "template", "unrelated")
#: The language a side is written in, as the annotator read it (the corpus's own ``language``
#: field says ``en`` for some 800 Spanish stories, so it is not copied).
LANGUAGES = ("en", "es", "ko")
#: The share of pairs that ``split_of`` sends to the held-out file.
HELD_OUT_PERCENT = 30


def pair_key(pair: dict[str, Any]) -> str:
    """``file:line|file:line`` of the two sides (a Korean file's ``line`` is ``None``)."""
    return "|".join(f"{pair[side]['file']}:{pair[side]['line']}" for side in ("a", "b"))


def split_of(pair: dict[str, Any]) -> str:
    """``"test"`` (held out) or ``"dev"``: a hash of the two references, fixed before labelling."""
    digest = hashlib.sha256(pair_key(pair).encode()).digest()
    return "test" if int.from_bytes(digest[:4], "big") % 100 < HELD_OUT_PERCENT else "dev"


def _korean_story(name: str, corpus: Path) -> dict[str, Any]:
    text = (corpus / name).read_text(encoding="utf-8")
    year = Path(name).stem
    return {"title": reference_title(text), "date": f"{year}-01-01", "text": text}


def resolve(refs: list[dict[str, Any]], corpus: Path = CORPUS) -> dict[tuple[str, int | None], dict[str, Any]]:
    """The stories ``refs`` point at, keyed by ``(file, line)``: ``{"title", "date", "text"}``.

    Reads each corpus file once. Checks nothing: ``load_pairs`` compares titles and dates."""
    wanted: dict[str, set[int]] = {}
    found: dict[tuple[str, int | None], dict[str, Any]] = {}
    for ref in refs:
        if ref["line"] is None:
            if (ref["file"], None) not in found:
                found[(ref["file"], None)] = _korean_story(ref["file"], corpus)
        else:
            wanted.setdefault(ref["file"], set()).add(ref["line"])
    for name, numbers in wanted.items():
        left = set(numbers)
        for number, record in iter_corpus(name, corpus):
            if number in left:
                body = record.get("body")
                text = None if body is None or body.strip() == "<NA>" else body
                found[(name, number)] = {"title": record.get("title"), "date": record.get("date"), "text": text}
                left.discard(number)
                if not left:
                    break
    return found


def load_pairs(path: str | Path, corpus: Path = CORPUS) -> list[dict[str, Any]]:
    """The pairs of ``path``, each side with ``text`` resolved from ``corpus`` (``None`` when the
    corpus folder is absent). Raises ``GoldMismatch`` when the corpus is there but a side's
    line is missing or its title or date no longer matches."""
    pairs = [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()]
    if not corpus.is_dir():
        return [{**pair, "a": {**pair["a"], "text": None}, "b": {**pair["b"], "text": None}} for pair in pairs]
    stories = resolve([pair[side] for pair in pairs for side in ("a", "b")], corpus)
    resolved = []
    for pair in pairs:
        sides = {}
        for side in ("a", "b"):
            ref = pair[side]
            story = stories.get((ref["file"], ref["line"]))
            if story is None:
                raise GoldMismatch(f"{ref['file']} has no line {ref['line']}")
            if story["title"] != ref["title"] or story["date"] != ref["date"]:
                raise GoldMismatch(
                    f"{ref['file']}:{ref['line']} is {story['title']!r} of {story['date']}, "
                    f"the pair expects {ref['title']!r} of {ref['date']}"
                )
            sides[side] = {**ref, "text": story["text"]}
        resolved.append({**pair, **sides})
    return resolved
