"""Entity and event extraction: accuracy against the gold sets, and throughput.

- **Accuracy**: the development set (`tests/eval/dev.jsonl`), and with `--held-out` the
  held-out set too: precision, recall and F1 for countries, persons and organisations
  (per story, the set of (type, id) pairs), and for events matched on type + actor
  country + target country (meetings, agreements and bilateral anniversaries as an
  unordered pair), overall and per event type (true positives / false positives /
  misses), with date accuracy on the matched events. With `--fresh`, issue 17's fresh set
  instead: its development part (`fresh-dev.jsonl`), and with `--held-out` its held-out
  part too (`fresh-test.jsonl`, to be looked at once, at the end). With `--fresh2`, only the
  second held-out set (`fresh2-test.jsonl`, drawn when the first had been scored twice):
  scored once before the work and once after, never to tune. With `--fresh3`, only
  `fresh3-dev.jsonl`: development stories of the same months as `fresh2-test.jsonl`; with
  `--fresh4`, only `fresh4-dev.jsonl`: more of them, drawn after four rounds of rules; with
  `--fresh5`, only `fresh5-dev.jsonl`: more again, drawn after six rounds; with `--fresh6`,
  only the third held-out set, `fresh6-test.jsonl` (drawn after FRESH5, annotated while the
  seventh round was written, scored before and after it, never to tune). `--set NAME`
  (repeatable) scores any gold files by name, e.g. `--set fresh7-dev`: development stories
  drawn after FRESH6.
- **Throughput**: the KCNA stories of the shared corpus analysed on one core (stories/s),
  against the same stories only cleaned (the import's work without the store), in the
  same run.

    .venv/bin/python bench/bench_extract.py [--fresh] [--held-out] [--fresh2] [--fresh3] [--fresh4] [--fresh5] [--fresh6] [--set NAME]… [--stories N]

(`--stories 0` skips the throughput run.)
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.analysis.scoring import score_entities, score_events  # noqa: E402
from tests.eval.gold import CORPUS, load_gold  # noqa: E402

from wirewatch.analysis.actors import Actors  # noqa: E402
from wirewatch.analysis.analyse import analyse  # noqa: E402
from wirewatch.analysis.learned import EventModel  # noqa: E402
from wirewatch.clean.boilerplate import BoilerplateRules  # noqa: E402
from wirewatch.clean.record import CleanOptions, build_article  # noqa: E402
from wirewatch.models import Article, RawRecord  # noqa: E402

#: The targets of issue 6.
TARGETS = {"country": 0.95, "person": 0.90, "organization": 0.85, "events": 0.75}
#: The targets of issue 17, on its fresh set.
FRESH_TARGETS = {"country": 0.97, "person": 0.93, "organization": 0.85, "events": 0.75}
EVENT_TYPES = ("visit", "meeting", "message", "anniversary", "agreement", "praise", "denounce", "threaten")


def gold_article(story: dict, clean: CleanOptions) -> Article:
    """The gold story cleaned as an import cleans it (the reference page through the page reader)."""
    if story["ref"]["line"] is None:
        from wirewatch.ingest import ReadOptions, read_inputs

        (record,) = [
            r
            for r in read_inputs([str(CORPUS / story["ref"]["file"])], ReadOptions(boilerplate=clean.rules))
            if isinstance(r, RawRecord)
        ]
    else:
        fields = {"title": story["title"], "date": story["date"], "body": story["text"], "source": "KCNA"}
        record = RawRecord(story["ref"]["file"], story["ref"]["line"], "jsonl", fields, json.dumps(fields))
    return build_article(record, clean)


def accuracy(
    name: str, actors: Actors, clean: CleanOptions, targets: dict[str, float], model: EventModel | None = None
) -> None:
    gold = load_gold(ROOT / "tests" / "eval" / name)
    if not gold or gold[0]["text"] is None:
        print(f"{name}: the shared corpus is not here; skipped")
        return
    analyses = [analyse(gold_article(story, clean), actors, model) for story in gold]
    entities = score_entities(
        [{(m.type, m.id) for m in a.mentions} for a in analyses],
        [{(e["type"], e["id"]) for e in story["entities"]} for story in gold],
    )
    predicted = [
        [
            {
                "type": e.type,
                "actor": e.actor.country,
                "target": e.target.country,
                "date": e.date,
                "date_precision": e.date_precision,
            }
            for e in a.events
        ]
        for a in analyses
    ]
    wanted = [story["events"] for story in gold]
    events = score_events(predicted, wanted)
    print(f"\n{name}: {len(gold)} stories")
    print("| measure | precision | recall | F1 | target | result |")
    print("| --- | --- | --- | --- | --- | --- |")
    for kind, score in [*entities.items(), ("events", events)]:
        verdict = "PASS" if score.f1 >= targets[kind] else "MISS"
        print(
            f"| {kind} | {score.precision:.3f} | {score.recall:.3f} | {score.f1:.3f} | {targets[kind]:.2f} | {verdict} |"
        )
    print(
        f"event dates right on matched events: {events.date_accuracy:.3f} ({events.true_positives} matched of {events.gold})"
    )
    print("\n| event type | tp | fp | fn | precision | recall | F1 |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for kind in EVENT_TYPES:
        # matching is within a type, so scoring each type alone splits the overall figures
        typed = score_events(
            [[e for e in story if e["type"] == kind] for story in predicted],
            [[e for e in story if e["type"] == kind] for story in wanted],
        )
        tp = typed.true_positives
        print(
            f"| {kind} | {tp} | {typed.predicted - tp} | {typed.gold - tp} | "
            f"{typed.precision:.3f} | {typed.recall:.3f} | {typed.f1:.3f} |"
        )


def throughput(actors: Actors, limit: int, model: EventModel | None = None) -> None:
    path = CORPUS / "kcna-2011-2012.jsonl.gz"
    if not path.exists():
        print("throughput: the shared corpus is not here; skipped")
        return
    clean = CleanOptions(rules=BoilerplateRules.load())
    records = []
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        for n, line in enumerate(lines, 1):
            records.append(RawRecord(str(path), n, "jsonl", json.loads(line), line))
            if len(records) >= limit:
                break
    started = time.perf_counter()
    articles = []
    for record in records:
        try:
            articles.append(build_article(record, clean))
        except Exception:
            continue
    cleaning = time.perf_counter() - started
    started = time.perf_counter()
    for article in articles:
        analyse(article, actors)
    analysing = time.perf_counter() - started
    if model is not None:
        started = time.perf_counter()
        for article in articles:
            analyse(article, actors, model)
        learned = time.perf_counter() - started
    print(f"\nthroughput over {len(articles):,} KCNA stories, one core:")
    print(f"  cleaning alone: {len(articles) / cleaning:,.0f} stories/s")
    rate = len(articles) / analysing
    print(
        f"  analysis (entities + events): {rate:,.0f} stories/s (target ≥ 2,000: {'PASS' if rate >= 2000 else 'MISS'})"
    )
    print(
        f"  cleaning + analysis: {cleaning + analysing:.1f} s, {(cleaning + analysing) / cleaning:.2f}× cleaning alone"
    )
    if model is not None:
        print(
            f"  analysis with the statistical layer: {len(articles) / learned:,.0f} stories/s "
            f"({learned / analysing:.2f}× the analysis without it)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--fresh", action="store_true", help="score issue 17's fresh set instead of the first one")
    parser.add_argument(
        "--fresh3", action="store_true", help="score only fresh3-dev.jsonl (development stories of July-September 2012)"
    )
    parser.add_argument(
        "--fresh4", action="store_true", help="score only fresh4-dev.jsonl (more development stories of those months)"
    )
    parser.add_argument(
        "--fresh5", action="store_true", help="score only fresh5-dev.jsonl (drawn after six rounds of rules)"
    )
    parser.add_argument(
        "--fresh6",
        action="store_true",
        help="score only the third held-out set (fresh6-test.jsonl): before and after the seventh round, never to tune",
    )
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="NAME",
        help="score only these gold files of tests/eval (repeatable; e.g. fresh7-dev)",
    )
    parser.add_argument("--held-out", action="store_true", help="score the held-out set (or part) too")
    parser.add_argument(
        "--fresh2",
        action="store_true",
        help="score only issue 17's second held-out set (fresh2-test.jsonl): once before and once after, never to tune",
    )
    parser.add_argument("--learned", action="store_true", help="revise the events by the statistical layer")
    parser.add_argument("--stories", type=int, default=30000, help="stories for the throughput run (all: 23,143)")
    args = parser.parse_args()
    started = time.perf_counter()
    actors = Actors.load()
    print(f"actor data loaded in {time.perf_counter() - started:.2f} s")
    clean = CleanOptions(rules=BoilerplateRules.load())
    if args.set:
        names, targets = [n if n.endswith(".jsonl") else f"{n}.jsonl" for n in args.set], FRESH_TARGETS
        args.held_out = True
    elif args.fresh2:
        names, targets = ["fresh2-test.jsonl"], FRESH_TARGETS
    elif args.fresh3:
        names, targets = ["fresh3-dev.jsonl"], FRESH_TARGETS
    elif args.fresh4:
        names, targets = ["fresh4-dev.jsonl"], FRESH_TARGETS
    elif args.fresh5:
        names, targets = ["fresh5-dev.jsonl"], FRESH_TARGETS
    elif args.fresh6:
        names, targets = ["fresh6-test.jsonl"], FRESH_TARGETS
    elif args.fresh:
        names, targets = ["fresh-dev.jsonl", "fresh-test.jsonl"], FRESH_TARGETS
    else:
        names, targets = ["dev.jsonl", "test.jsonl"], TARGETS
    model = EventModel.load() if args.learned else None
    for name in names if args.held_out else names[:1]:
        accuracy(name, actors, clean, targets, model)
    if args.stories > 0:
        throughput(actors, args.stories, model)


if __name__ == "__main__":
    main()
