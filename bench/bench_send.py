"""Send one day's Daily Update to many subscribers through a local SMTP server.

Target (issue 7): at least 200 mails/s to a local aiosmtpd with rate limiting off, the
whole of ``send_edition`` counted: for each subscriber the send-log claim, their copy
of the edition, the render, the SMTP transaction and the mark, on a real SQLite archive.

Baselines measured in the same run: the same number of ready-made mails through bare
``smtplib`` over one connection (the ceiling the SMTP server and loopback allow), and
through wirewatch's ``Mailer`` alone (no archive, no rendering). The server is aiosmtpd
in a child process that parses nothing and counts what it accepts; the count must equal
what was sent. A MISS is a finding, not an error: the script exits 0 either way.

    .venv/bin/python bench/bench_send.py [--subscribers N] [--stories N] [--workdir DIR]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import multiprocessing
import random
import smtplib
import socket
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
TARGET = 200.0  # mails per second
DAY = dt.date(2024, 3, 8)
SOURCES = ("KCNA", "Rodong Sinmun", "Voice of Korea", "Uriminzokkiri")
TOPICS = ("Kim Jong Un", "missile", "Russia", "China", "agriculture", "nuclear", "Pyongyang", "economy")
ZONES = ("UTC", "Asia/Seoul", "Europe/Berlin", "America/New_York", "Asia/Tokyo")
SUBJECTS = (
    (
        "Kim Jong Un Inspects {} Factory",
        "Kim Jong Un inspected the {} factory and praised the workers for their success.",
    ),
    (
        "DPRK and Russia Discuss {} Cooperation",
        "Delegations of the DPRK and Russia discussed cooperation in {} in Pyongyang.",
    ),
    ("Missile Test Marks {} Progress", "A missile test demonstrated progress in {} and the nuclear deterrent."),
    ("Farmers Raise {} Output", "Farms across the country raised their output of {} this season, the economy grows."),
    ("Chinese Delegation Visits {} Exhibition", "A Chinese delegation visited an exhibition on {} in the capital."),
)
WORDS = ("steel", "textile", "fertilizer", "machine", "fishery", "power", "cement", "rice", "wheat", "tractor")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _serve(port: int, ready: Any, stop: Any, counts: Any) -> None:
    """The SMTP server, in a child process: accept every mail, count it, keep nothing."""
    from aiosmtpd.controller import Controller

    class Counter:
        accepted = 0

        async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
            Counter.accepted += 1
            return "250 OK"

    controller = Controller(Counter(), hostname="127.0.0.1", port=port)
    controller.start()
    ready.set()
    stop.wait()
    controller.stop()
    counts.put(Counter.accepted)


class Server:
    def __init__(self) -> None:
        context = multiprocessing.get_context("spawn")
        self.port = _free_port()
        self.ready, self.stop, self.counts = context.Event(), context.Event(), context.Queue()
        self.process = context.Process(target=_serve, args=(self.port, self.ready, self.stop, self.counts), daemon=True)
        self.process.start()
        if not self.ready.wait(30):
            raise SystemExit("the SMTP server did not start")

    def close(self) -> int:
        self.stop.set()
        accepted = int(self.counts.get(timeout=30))
        self.process.join(10)
        return accepted


def build_archive(path: Path, stories: int, subscribers: int) -> None:
    from wirewatch.clean.boilerplate import BoilerplateRules
    from wirewatch.clean.record import CleanOptions
    from wirewatch.models import Preferences
    from wirewatch.pipeline.importer import run_import
    from wirewatch.store import open_store

    rng = random.Random(7)
    records = []
    for n in range(stories):
        title, body = SUBJECTS[n % len(SUBJECTS)]
        word = WORDS[(n // len(SUBJECTS)) % len(WORDS)]
        records.append(
            {
                "source": SOURCES[n % len(SOURCES)],
                "language": "en" if n % 5 else "ko",
                "date": DAY.isoformat(),
                "title": title.format(word.title()) + f" ({n})",
                "body": body.format(word) + f" Story {n}.",
                "url": f"https://example.org/{n}",
            }
        )
    data = path.parent / "stories.jsonl"
    data.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    store = open_store(str(path))
    try:
        run_import(store, [str(data)], CleanOptions(rules=BoilerplateRules.load(())))
        for n in range(subscribers):
            prefs = Preferences(
                topics=tuple(rng.sample(TOPICS, rng.randint(0, 3))),
                sources=tuple(rng.sample(SOURCES, rng.choice((0, 0, 1, 2)))),
                languages=rng.choice(((), (), ("en",), ("ko",), ("en", "ko"))),
                hour=rng.randint(0, 23),
                timezone=rng.choice(ZONES),
            )
            store.add_subscriber(f"reader{n}@example.org", prefs, confirmed=True)
    finally:
        store.close()


def bare_smtplib(port: int, count: int, message: bytes) -> float:
    """The ceiling: the same ready bytes sent ``count`` times over one connection."""
    started = time.perf_counter()
    with smtplib.SMTP("127.0.0.1", port) as smtp:
        for n in range(count):
            smtp.sendmail("digest@bench.test", [f"reader{n}@example.org"], message)
    return time.perf_counter() - started


def _sample(text: str, html: str) -> bytes:
    from wirewatch.digest.mailer import Outgoing, build_message

    mail = Outgoing("reader@example.org", "Daily Update", text, html, list_unsubscribe="https://bench.test/u?token=x")
    return build_message(mail, sender="digest@bench.test", domain="bench.test").data


def mailer_only(port: int, count: int, text: str, html: str) -> float:
    from wirewatch.config.settings import SmtpServer
    from wirewatch.digest.mailer import Mailer, MailOptions, Outgoing

    started = time.perf_counter()
    with Mailer(SmtpServer("127.0.0.1", port), "Wirewatch <digest@bench.test>", MailOptions(rate=0)) as mailer:
        for n in range(count):
            mailer.send(
                Outgoing(
                    f"reader{n}@example.org",
                    "Daily Update",
                    text,
                    html,
                    list_unsubscribe="https://bench.test/u?token=x",
                )
            )
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subscribers", type=int, default=2000, help="readers of the edition (default 2000)")
    parser.add_argument("--stories", type=int, default=120, help="stories in the day's edition (default 120)")
    parser.add_argument("--workdir", type=Path, help="keep the archive here (default: a temporary folder)")
    args = parser.parse_args()

    from wirewatch.config.settings import Settings, SmtpServer
    from wirewatch.digest.sending import send_edition
    from wirewatch.store import open_store

    with tempfile.TemporaryDirectory() as temporary:
        workdir = args.workdir or Path(temporary)
        workdir.mkdir(parents=True, exist_ok=True)
        db = workdir / "send.db"
        for stale in workdir.glob("send.db*"):
            stale.unlink()
        print(f"building an archive: {args.stories} stories, {args.subscribers} subscribers…", file=sys.stderr)
        build_archive(db, args.stories, args.subscribers)
        server = Server()
        try:
            settings = Settings(
                db=str(db),
                smtp=SmtpServer("127.0.0.1", server.port),
                mail_from="Wirewatch <digest@bench.test>",
                base_url="https://bench.test",
                secret_key="bench",
                mail_rate=0.0,
            )
            store = open_store(str(db))
            try:
                print("sending the edition…", file=sys.stderr)
                started = time.perf_counter()
                summary = send_edition(store, settings, DAY)
                elapsed = time.perf_counter() - started
                again_started = time.perf_counter()
                again = send_edition(store, settings, DAY)  # a re-run: everything already sent
                again_elapsed = time.perf_counter() - again_started
            finally:
                store.close()
            delivered = summary.sent
            text, html = "A digest.\n" * 200, "<p>A digest.</p>\n" * 400
            print("baselines…", file=sys.stderr)
            bare = bare_smtplib(server.port, delivered, _sample(text, html))
            plain = mailer_only(server.port, delivered, text, html)
        finally:
            accepted = server.close()
    rate = delivered / elapsed if elapsed else 0.0
    verdict = "OK" if rate >= TARGET else "MISS"
    expected = delivered * 3
    print(
        f"send_edition: {delivered} mails in {elapsed:.2f} s = {rate:.0f} mails/s (target >= {TARGET:.0f}): {verdict}"
    )
    print(
        f"  empty copies skipped: {summary.empty}; failed: {summary.failed + summary.rejected}; re-run: {again.sent} sent, "
        f"{again.already} already sent, {again_elapsed:.2f} s"
    )
    print(
        f"Mailer alone (same count, ready text): {delivered / plain:.0f} mails/s; bare smtplib: {delivered / bare:.0f} mails/s"
    )
    print(f"  send_edition at {rate / (delivered / bare):.0%} of bare smtplib's rate")
    print(f"server accepted {accepted} mails, expected {expected}: {'OK' if accepted == expected else 'MISMATCH'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
