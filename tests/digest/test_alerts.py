"""Alerts on saved searches: new matches and changes, by email (batched hourly, through a
real SMTP server) and by signed webhook (to a real HTTP server on 127.0.0.1)."""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import hmac
import http.server
import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from email.message import Message
from pathlib import Path

import pytest

from tests.conftest import Invoke
from tests.digest.conftest import MailBox
from wirewatch.clean.boilerplate import BoilerplateRules
from wirewatch.clean.record import CleanOptions
from wirewatch.config.settings import Settings
from wirewatch.digest.alerts import AlertOptions, alert_values, run_alerts
from wirewatch.digest.mailer import Mailer
from wirewatch.models import Article, RawRecord
from wirewatch.pipeline.prepare import ImportSummary, prepare
from wirewatch.store import Incoming, SQLStore, open_store

#: The checks' clock: ahead of the real one, as the archive stamps articles with the real time
#: and a check on PostgreSQL takes only what was written a while before it (store.alerts.SETTLE).
T0 = (dt.datetime.now(dt.UTC) + dt.timedelta(hours=1)).replace(second=0, microsecond=0)
#: Quick pauses: the tests wait milliseconds where watch waits minutes.
QUICK = AlertOptions(backoff=0.01, timeout=5.0, retry_after=dt.timedelta(minutes=1), max_attempts=3)


# -- a webhook receiver ----------------------------------------------------------------


@dataclass
class Received:
    headers: Message
    body: bytes


@dataclass
class Hook:
    """A local HTTP server that records each POST and answers the statuses queued in
    ``answers`` (then 200), with a body of ``reply_bytes`` bytes when set; it counts the
    connections opened to it."""

    url: str = ""
    posts: list[Received] = field(default_factory=list)
    answers: list[int] = field(default_factory=list)
    reply_bytes: int = 0
    connections: int = 0

    def payloads(self) -> list[dict[str, object]]:
        return [json.loads(p.body) for p in self.posts]


@pytest.fixture
def hook() -> Iterator[Hook]:
    state = Hook()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            state.posts.append(Received(self.headers, body))
            status = state.answers.pop(0) if state.answers else 200
            self.send_response(status)
            self.send_header("Content-Length", str(state.reply_bytes or 2))
            self.end_headers()
            if not state.reply_bytes:
                self.wfile.write(b"ok")
                return
            with contextlib.suppress(OSError):  # the client may hang up before the end
                for _ in range(state.reply_bytes // len(_MEBIBYTE)):
                    self.wfile.write(_MEBIBYTE)

        def log_message(self, *args: object) -> None:
            pass

    class Server(http.server.ThreadingHTTPServer):
        def verify_request(self, request: object, client_address: object) -> bool:
            state.connections += 1
            return True

    server = Server(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}/hook"
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()


#: A big reply is written a mebibyte at a time, from one block made up front.
_MEBIBYTE = b"x" * (1024 * 1024)


def signed_by(received: Received, secret: str) -> bool:
    expected = "sha256=" + hmac.new(secret.encode(), received.body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(received.headers["X-Wirewatch-Signature"], expected)


# -- an archive ------------------------------------------------------------------------

#: Articles by key: title and text. Those about Lavrov match the alerts' query.
TEXTS = {
    "lavrov-1": ("Lavrov arrives", "Sergei Lavrov arrived in Pyongyang for talks."),
    "rain": ("Rain in the capital", "It rained in Pyongyang all day."),
    "lavrov-2": ("Lavrov meets Kim", "Lavrov met Kim Jong Un and discussed cooperation."),
    "harvest": ("A good harvest", "Farmers brought in a good harvest this year."),
    "lavrov-3": ("Lavrov leaves", "Lavrov left Pyongyang after two days."),
    "snow": ("Snow in May", "Snow fell on the hills in May."),
    "lavrov-4": ("Lavrov thanks hosts", "Lavrov thanked his hosts at a banquet."),
}


def add(store: SQLStore, *keys: str, day: int = 1) -> list[int]:
    """Store the articles (imported, not crawled); their numbers."""
    batch = []
    for key in keys:
        title, body = TEXTS[key]
        article = Article(
            source="KCNA",
            title=title,
            body=body,
            body_hash=hashlib.sha256(body.encode()).hexdigest(),
            date=dt.date(2024, 5, day),
            date_precision="day",
            url=f"http://kcna.example/{key}",
        )
        batch.append(Incoming(article, RawRecord("in.jsonl", None, "jsonl", {}, "{}"), key))
    store.add_batch(batch)
    return [store.article_id_by_key(key) or 0 for key in keys]


def capture(store: SQLStore, key: str, title: str, body: str, seen: dt.datetime) -> int:
    """A crawl's capture of an article's page (a second one with other text is an edit);
    the article's number."""
    fields = {"source": "KCNA", "title": title, "date": "2024-05-01", "body": body, "url": f"http://kcna.example/{key}"}
    record = RawRecord("crawl", None, "page", fields, body, captured_at=seen)
    items = list(prepare([record], CleanOptions(rules=BoilerplateRules.load()), ImportSummary()))
    store.add_batch(items)
    return store.article_id_by_key(items[0].record_key) or 0


@pytest.fixture
def store(db: str) -> Iterator[SQLStore]:
    opened = open_store(db)
    try:
        yield opened
    finally:
        opened.close()


def webhook_alert(store: SQLStore, hook: Hook, query: str = "Lavrov", *, changes: bool = False) -> tuple[int, str]:
    """An alert posting to the local receiver: on 127.0.0.1, so with the opt-in for private addresses."""
    values = alert_values(query, email=None, webhook=hook.url, changes=changes, name=None, allow_private=True)
    alert = store.add_alert(values, now=T0)
    return alert.id, alert.secret


#: The receiver is on 127.0.0.1: the tests opt in to private webhook addresses.
SETTINGS = Settings(base_url="https://wirewatch.test", webhook_allow_private=True)


# -- webhooks --------------------------------------------------------------------------


def test_a_webhook_gets_the_new_matches_signed_and_only_once(store: SQLStore, hook: Hook) -> None:
    add(store, "lavrov-1", "rain")  # there before the alert: not reported
    alert_id, secret = webhook_alert(store, hook)
    new = add(store, "lavrov-2", "harvest", "lavrov-3")
    run = run_alerts(store, SETTINGS, now=T0 + dt.timedelta(minutes=1), options=QUICK)
    assert (run.checked, run.articles, run.posts, run.errors) == (1, 2, 1, [])
    [post] = hook.posts
    assert signed_by(post, secret) and not signed_by(post, "another secret")
    assert post.headers["Content-Type"].startswith("application/json")
    assert post.headers["X-Wirewatch-Timestamp"] == str(int((T0 + dt.timedelta(minutes=1)).timestamp()))
    payload = json.loads(post.body)
    assert payload["alert"] == {
        "id": alert_id,
        "name": "Lavrov",
        "query": "Lavrov",
        "search": "https://wirewatch.test/search?q=Lavrov",
    }
    assert post.headers["X-Wirewatch-Delivery"] == str(payload["delivery"])
    assert payload["sent_at"] == f"{T0 + dt.timedelta(minutes=1):%Y-%m-%dT%H:%M:%S}Z"
    assert sorted(a["id"] for a in payload["articles"]) == [new[0], new[2]]
    first = next(a for a in payload["articles"] if a["id"] == new[0])
    assert first["title"] == "Lavrov meets Kim" and first["url"] == "http://kcna.example/lavrov-2"
    assert first["link"] == f"https://wirewatch.test/articles/{new[0]}" and payload["changes"] == []
    # Checked again with nothing new, and again after an article that does not match: silence.
    run_alerts(store, SETTINGS, now=T0 + dt.timedelta(minutes=2), options=QUICK)
    add(store, "snow", day=2)
    run_alerts(store, SETTINGS, now=T0 + dt.timedelta(minutes=3), options=QUICK)
    assert len(hook.posts) == 1
    assert store.due_alert_deliveries(T0 + dt.timedelta(days=1)) == []


def test_a_500_is_tried_again_and_the_200_delivers(store: SQLStore, hook: Hook) -> None:
    _, secret = webhook_alert(store, hook)
    add(store, "lavrov-2")
    hook.answers = [500]
    pauses: list[float] = []
    run = run_alerts(store, SETTINGS, now=T0, options=QUICK, sleep=pauses.append)
    assert (run.posts, run.retrying, run.failed, run.errors) == (1, 0, 0, [])
    assert len(hook.posts) == 2 and pauses == [QUICK.backoff]
    assert hook.posts[0].body == hook.posts[1].body and all(signed_by(p, secret) for p in hook.posts)


def test_a_webhook_down_is_tried_in_later_runs_then_given_up(store: SQLStore, hook: Hook) -> None:
    alert_id, _ = webhook_alert(store, hook)
    add(store, "lavrov-2")
    options = replace(QUICK, tries=2, max_attempts=2)
    hook.answers = [503] * 10
    first = run_alerts(store, SETTINGS, now=T0, options=options, sleep=lambda s: None)
    assert (first.posts, first.retrying, first.failed) == (0, 1, 0) and len(hook.posts) == 2
    assert "HTTP 503" in first.errors[0]
    # Not before its next try is due (retry_after: a minute) …
    run_alerts(store, SETTINGS, now=T0 + dt.timedelta(seconds=30), options=options, sleep=lambda s: None)
    assert len(hook.posts) == 2
    # … then once more, the last attempt: given up.
    last = run_alerts(store, SETTINGS, now=T0 + dt.timedelta(minutes=2), options=options, sleep=lambda s: None)
    assert (last.failed, len(hook.posts)) == (1, 4)
    assert store.pending_alert_deliveries().get(alert_id, 0) == 0
    run_alerts(store, SETTINGS, now=T0 + dt.timedelta(hours=5), options=options, sleep=lambda s: None)
    assert len(hook.posts) == 4


def test_a_webhook_that_refuses_is_not_tried_again(store: SQLStore, hook: Hook) -> None:
    webhook_alert(store, hook)
    add(store, "lavrov-2")
    hook.answers = [404]
    run = run_alerts(store, SETTINGS, now=T0, options=QUICK)
    assert (run.failed, len(hook.posts)) == (1, 1) and "HTTP 404" in run.errors[0]


# -- changes ---------------------------------------------------------------------------


def test_edits_and_deletions_of_matching_articles_are_alerted(store: SQLStore, hook: Hook) -> None:
    lavrov, rain = add(store, "lavrov-1", "rain")
    talks = capture(store, "talks", "Lavrov holds talks", "Lavrov held talks in Pyongyang.", T0 - dt.timedelta(days=1))
    with_changes, secret = webhook_alert(store, hook, changes=True)
    webhook_alert(store, hook)  # the same search without --changes: hears of none of it
    store.mark_deleted([lavrov, rain], T0, "HTTP 404")
    capture(store, "talks", "Lavrov holds talks", "Lavrov held long talks in Pyongyang.", T0)
    run = run_alerts(store, SETTINGS, now=T0 + dt.timedelta(minutes=1), options=QUICK)
    assert (run.articles, run.changes, run.posts) == (0, 2, 1)
    [post] = hook.posts
    assert signed_by(post, secret)
    payload = json.loads(post.body)
    assert payload["alert"]["id"] == with_changes and payload["articles"] == []
    changes = {(c["article_id"], c["kind"]) for c in payload["changes"]}
    assert changes == {(lavrov, "deleted"), (talks, "edited")}
    deleted = next(c for c in payload["changes"] if c["kind"] == "deleted")
    assert (
        deleted["detail"] == "HTTP 404"
        and deleted["title"] == "Lavrov arrives"
        and deleted["seen_at"] == f"{T0:%Y-%m-%dT%H:%M:%S}Z"
    )
    assert deleted["link"] == f"https://wirewatch.test/articles/{lavrov}"
    edited = next(c for c in payload["changes"] if c["kind"] == "edited")
    assert edited["detail"] == "body"


# -- crashes and concurrency -----------------------------------------------------------


def test_what_a_check_found_survives_a_crash_before_delivery(db: str, hook: Hook) -> None:
    from wirewatch.digest.alerts import AlertRun, check_alerts

    first = open_store(db)
    webhook_alert(first, hook)
    new = add(first, "lavrov-2")
    check_alerts(first, T0, QUICK, AlertRun())  # recorded; the process dies before sending
    first.close()
    again = open_store(db)
    try:
        run = run_alerts(again, SETTINGS, now=T0 + dt.timedelta(minutes=1), options=QUICK)
        assert (run.articles, run.posts) == (0, 1)  # not found twice, but delivered
        assert [a["id"] for a in hook.payloads()[0]["articles"]] == new  # type: ignore[index]
    finally:
        again.close()


def test_a_delivery_claimed_by_a_dead_process_goes_again_after_the_lease(store: SQLStore, hook: Hook) -> None:
    from wirewatch.digest.alerts import AlertRun, check_alerts

    webhook_alert(store, hook)
    add(store, "lavrov-2")
    check_alerts(store, T0, QUICK, AlertRun())
    [pending] = store.due_alert_deliveries(T0)
    assert store.claim_alert_deliveries([pending.id], T0, QUICK.lease) == [pending.id]  # …and dies
    run_alerts(store, SETTINGS, now=T0 + dt.timedelta(minutes=1), options=QUICK)
    assert hook.posts == []  # its lease holds
    run_alerts(store, SETTINGS, now=T0 + QUICK.lease + dt.timedelta(minutes=1), options=QUICK)
    [post] = hook.posts
    assert post.headers["X-Wirewatch-Delivery"] == str(pending.id)  # the receiver can tell a repeat


def test_two_processes_checking_one_alert_record_its_matches_once(store: SQLStore, hook: Hook) -> None:
    alert_id, _ = webhook_alert(store, hook)
    new = add(store, "lavrov-2")
    seen_by_both = store.get_alert(alert_id)
    assert seen_by_both is not None
    upto = store.alert_cursors()
    assert store.record_alert_check(seen_by_both, upto, new, [], T0) is not None
    assert store.record_alert_check(seen_by_both, upto, new, [], T0) is None
    assert len(store.due_alert_deliveries(T0)) == 1


def test_on_postgresql_an_article_committed_late_under_a_lower_number_is_not_passed_over(
    postgresql_db: str, hook: Hook
) -> None:
    from wirewatch.store.articles import add as add_articles
    from wirewatch.store.base import BatchCounts

    store = open_store(postgresql_db)
    try:
        add(store, "rain")  # the source, known to both writers
        webhook_alert(store, hook)
        title, body = TEXTS["lavrov-2"]
        slow = Incoming(
            Article(source="KCNA", title=title, body=body, body_hash="a" * 64),
            RawRecord("in", None, "jsonl", {}, "{}"),
            "slow",
        )
        with store.engine.connect() as writing:  # a writer takes a number, and has not committed yet…
            transaction = writing.begin()
            add_articles(writing, store.index, [slow], BatchCounts())
            quick = add(store, "lavrov-3")[0]  # …when another commits a higher one
            now = dt.datetime.now(dt.UTC)
            assert run_alerts(store, SETTINGS, now=now, options=QUICK).articles == 0  # the newest wait to settle
            transaction.commit()
        slow_id = store.article_id_by_key("slow")
        assert slow_id is not None and slow_id < quick
        run = run_alerts(store, SETTINGS, now=now + dt.timedelta(seconds=61), options=QUICK)
        assert run.articles == 2 and sorted(a["id"] for a in hook.payloads()[0]["articles"]) == [slow_id, quick]  # type: ignore[index]
    finally:
        store.close()


# -- email -----------------------------------------------------------------------------


def email_alert(
    store: SQLStore, address: str = "desk@example.org", query: str = "Lavrov", *, changes: bool = False
) -> int:
    return store.add_alert(
        alert_values(query, email=address, webhook=None, changes=changes, name="Lavrov watch"), now=T0
    ).id


def quick_mailer(settings: Settings, retries: int = 0) -> Mailer:
    return Mailer.from_settings(settings, backoff=0.01, retries=retries)


def test_email_alerts_send_at_most_one_mail_an_hour(store: SQLStore, smtp_server: MailBox) -> None:
    settings = smtp_server.settings()
    add(store, "lavrov-1")
    alert_id = email_alert(store)
    first_new = add(store, "lavrov-2", "harvest")[0]
    run = run_alerts(store, settings, now=T0, options=QUICK)
    assert (run.mails, run.articles, run.errors) == (1, 1, [])
    [mail] = smtp_server.messages
    assert mail["To"] == "desk@example.org" and mail["From"] == "Wirewatch <digest@wirewatch.test>"
    assert "Lavrov watch" in mail["Subject"] and "1 new article" in mail["Subject"]
    assert mail["Message-ID"] == f"<alert-{alert_id}-1@wirewatch.test>"
    assert mail["List-Id"] == f"wirewatch alert {alert_id} <alert-{alert_id}.wirewatch.test>"
    text = mail.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    html = mail.get_body(("html",)).get_content()  # type: ignore[union-attr]
    for part in (text, html):
        assert "Lavrov meets Kim" in part and f"https://wirewatch.test/articles/{first_new}" in part
        assert "http://kcna.example/lavrov-2" in part and "https://wirewatch.test/search?q=Lavrov" in part
        assert "Lavrov arrives" not in part and "harvest" not in part.lower()
    # Within the hour: two more checks find two more matches, and both wait.
    second = add(store, "lavrov-3")[0]
    assert run_alerts(store, settings, now=T0 + dt.timedelta(minutes=10), options=QUICK).waiting == 1
    third = add(store, "lavrov-4")[0]
    run = run_alerts(store, settings, now=T0 + dt.timedelta(minutes=40), options=QUICK)
    assert (run.articles, run.mails, run.waiting) == (1, 0, 1) and len(smtp_server.messages) == 1
    # The hour is up: one mail with both, and not the first one's article again.
    run = run_alerts(store, settings, now=T0 + dt.timedelta(minutes=61), options=QUICK)
    assert run.mails == 1
    later = smtp_server.messages[1]
    assert "2 new articles" in later["Subject"] and later["Message-ID"] == f"<alert-{alert_id}-2@wirewatch.test>"
    text = later.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert f"/articles/{second}" in text and f"/articles/{third}" in text and f"/articles/{first_new}" not in text
    assert text.index("Lavrov thanks hosts") < text.index("Lavrov leaves")  # the latest check first
    assert run_alerts(store, settings, now=T0 + dt.timedelta(hours=3), options=QUICK).mails == 0


def test_a_mail_alert_on_changes_says_what_happened(store: SQLStore, smtp_server: MailBox) -> None:
    lavrov, rain = add(store, "lavrov-1", "rain")
    email_alert(store, changes=True)
    store.mark_deleted([lavrov, rain], T0, "HTTP 410")
    run_alerts(store, smtp_server.settings(), now=T0 + dt.timedelta(minutes=1), options=QUICK)
    [mail] = smtp_server.messages
    assert "1 change" in mail["Subject"]
    text = mail.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert f"Deleted from KCNA's site (HTTP 410), seen {T0:%Y-%m-%d %H:%M} UTC" in text and "Lavrov arrives" in text
    assert "Rain" not in text


@pytest.mark.parametrize("db", ["sqlite"], indirect=True)
def test_a_refused_address_is_given_up_and_a_busy_one_waits(store: SQLStore, smtp_server: MailBox) -> None:
    settings = smtp_server.settings()
    email_alert(store, "gone@example.org")
    busy = email_alert(store, "busy@example.org")
    add(store, "lavrov-2")
    smtp_server.answer("gone@example.org", "550 5.1.1 No such user")
    smtp_server.answer("busy@example.org", "451 4.3.0 Try again later", times=1)
    run = run_alerts(store, settings, now=T0, options=QUICK, mailer=quick_mailer(settings))
    assert (run.mails, run.failed, run.retrying) == (0, 1, 1) and smtp_server.messages == []
    assert any("550" in e for e in run.errors) and any("451" in e for e in run.errors)
    assert store.pending_alert_deliveries() == {busy: 1}
    run = run_alerts(store, settings, now=T0 + dt.timedelta(minutes=2), options=QUICK, mailer=quick_mailer(settings))
    assert run.mails == 1 and [m["To"] for m in smtp_server.messages] == ["busy@example.org"]


@pytest.mark.parametrize("db", ["sqlite"], indirect=True)
def test_without_a_mail_server_alert_mails_wait_for_one(store: SQLStore, smtp_server: MailBox) -> None:
    email_alert(store)
    add(store, "lavrov-2")
    run = run_alerts(store, replace(smtp_server.settings(), smtp=None), now=T0, options=QUICK)
    assert run.mails == 0 and "WIREWATCH_SMTP_URL" in run.errors[0] and len(store.due_alert_deliveries(T0)) == 1
    assert run_alerts(store, smtp_server.settings(), now=T0 + dt.timedelta(minutes=1), options=QUICK).mails == 1


@pytest.mark.parametrize("db", ["sqlite"], indirect=True)
def test_a_mail_server_refusing_our_sender_does_not_give_the_alert_up(store: SQLStore, smtp_server: MailBox) -> None:
    settings = smtp_server.settings()
    alert = email_alert(store)
    add(store, "lavrov-2")
    smtp_server.answer("digest@wirewatch.test", "550 5.7.1 Sender not allowed", times=1)
    run = run_alerts(store, settings, now=T0, options=QUICK, mailer=quick_mailer(settings))
    assert (run.mails, run.failed, run.retrying) == (0, 0, 1) and "refused the sender" in run.errors[0]
    assert store.pending_alert_deliveries() == {alert: 1}
    run = run_alerts(store, settings, now=T0 + dt.timedelta(minutes=2), options=QUICK, mailer=quick_mailer(settings))
    assert run.mails == 1 and [m["To"] for m in smtp_server.messages] == ["desk@example.org"]


# -- the commands ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "reason"),
    [
        ('"Kim Jong', "unclosed quote"),
        ("country:Atlantis", "country:'Atlantis'"),
        ("(Lavrov OR", "expected a word or phrase"),
        ("   ", "an alert needs a query"),
    ],
)
@pytest.mark.parametrize("db", ["sqlite"], indirect=True)
def test_alerts_add_refuses_a_bad_query_naming_it(cli: Invoke, query: str, reason: str) -> None:
    result = cli("alerts", "add", query, "--email", "desk@example.org")
    assert result.exit_code == 2 and "Traceback" not in result.stderr
    assert f"query {query!r}" in result.stderr and reason in result.stderr
    assert cli("alerts", "list", "--json").json() == []


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ((), "give either --email ADDRESS or --webhook URL"),
        (("--email", "a@b.org", "--webhook", "https://example.org/h"), "give either --email"),
        (("--email", "not-an-address"), "--email 'not-an-address': not an email address"),
        (("--webhook", "ftp://example.org/h"), "--webhook 'ftp://example.org/h': expected an http:// or https://"),
    ],
)
@pytest.mark.parametrize("db", ["sqlite"], indirect=True)
def test_alerts_add_refuses_a_missing_or_bad_target(cli: Invoke, options: tuple[str, ...], message: str) -> None:
    result = cli("alerts", "add", "Lavrov", *options)
    assert result.exit_code == 2 and message in result.stderr


@pytest.mark.parametrize("db", ["sqlite"], indirect=True)  # PostgreSQL lets a minute pass first (below)
def test_alerts_add_list_run_and_remove(
    cli: Invoke, hook: Hook, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.conftest import write_jsonl

    monkeypatch.setenv("WIREWATCH_WEBHOOK_ALLOW_PRIVATE", "1")  # the receiver is on 127.0.0.1
    added = cli("alerts", "add", "Lavrov", "--webhook", hook.url, "--changes", "--name", "Lavrov desk")
    assert added.exit_code == 0, added.stderr
    secret = added.stdout.split("webhook secret (shown only now): ")[1].split()[0]
    assert len(secret) == 64 and "alert 1 added: 'Lavrov desk'" in added.stdout
    assert cli("alerts", "add", "Kim", "--email", "Desk@Example.ORG").exit_code == 0
    listed = cli("alerts", "list", "--json").json()
    assert [(a["id"], a["name"], a["channel"], a["changes"]) for a in listed] == [  # type: ignore[index]
        (1, "Lavrov desk", "webhook", True),
        (2, "Kim", "email", False),
    ]
    assert listed[1]["email"] == "Desk@example.org" and secret not in json.dumps(listed)  # type: ignore[index]
    table = cli("alerts", "list")
    assert "Lavrov desk" in table.stdout and secret not in table.stdout
    path = write_jsonl(
        tmp_path / "news.jsonl",
        [
            {"source": "KCNA", "title": "Lavrov meets Kim", "date": "2024-05-01", "body": "Lavrov met Kim Jong Un."},
            {
                "source": "KCNA",
                "title": "A good harvest",
                "date": "2024-05-01",
                "body": "Farmers brought in a harvest.",
            },
        ],
    )
    assert cli("import", str(path)).exit_code == 0
    run = cli("alerts", "run", "--json")
    # The email alert has no mail server to go through (no WIREWATCH_SMTP_URL): status 1, said why.
    assert run.exit_code == 1 and run.json()["posts"] == 1 and run.json()["articles"] == 2  # type: ignore[index]
    assert "WIREWATCH_SMTP_URL" in run.json()["errors"][0]  # type: ignore[index]
    [post] = hook.posts
    assert signed_by(post, secret) and [a["title"] for a in json.loads(post.body)["articles"]] == ["Lavrov meets Kim"]
    assert cli("alerts", "remove", "2").exit_code == 0
    quiet = cli("alerts", "run")
    assert quiet.exit_code == 0 and "checked 1 alert(s): 0 new matching article(s)" in quiet.stdout
    missing = cli("alerts", "remove", "2")
    assert missing.exit_code == 1 and "no alert 2" in missing.stderr


# -- in wirewatch watch ----------------------------------------------------------------


@pytest.mark.parametrize("db", ["sqlite"], indirect=True)  # PostgreSQL lets new articles settle a minute
def test_the_watch_loop_checks_until_stopped(store: SQLStore, hook: Hook) -> None:
    from wirewatch.digest.alerts import watch_alerts

    webhook_alert(store, hook)
    stop = threading.Event()
    loop = threading.Thread(target=watch_alerts, args=(store, SETTINGS, stop), kwargs={"every": 0.05, "options": QUICK})
    loop.start()
    try:
        add(store, "lavrov-2")
        for _ in range(400):
            if hook.posts:
                break
            stop.wait(0.05)
    finally:
        stop.set()
        loop.join(timeout=10)
    assert not loop.is_alive() and len(hook.posts) == 1


@pytest.mark.parametrize("db", ["sqlite"], indirect=True)
def test_wirewatch_watch_runs_the_alerts(
    cli: Invoke, db: str, hook: Hook, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os
    import signal
    import subprocess
    import sys
    import time

    from tests.collect.site import LocalSite, article_html, rss
    from tests.conftest import write_jsonl

    monkeypatch.setenv("WIREWATCH_WEBHOOK_ALLOW_PRIVATE", "1")  # the receiver is on 127.0.0.1, here and in watch
    added = cli("alerts", "add", "Lavrov", "--webhook", hook.url)
    secret = added.stdout.split("webhook secret (shown only now): ")[1].split()[0]
    path = write_jsonl(
        tmp_path / "news.jsonl", [{"source": "KCNA", "title": "Lavrov meets Kim", "body": "Lavrov met Kim."}]
    )
    assert cli("import", str(path)).exit_code == 0
    with LocalSite() as site:
        site.set("/1.html", article_html("Harvest", ["A good harvest."], date="2026-11-20"))
        site.set(
            "/feed.xml", rss([{"title": "Harvest", "link": site.url("/1.html")}]), content_type="application/rss+xml"
        )
        sources = tmp_path / "sources.toml"
        sources.write_text(
            f'[sources."Site"]\nfeeds = ["{site.url("/feed.xml")}"]\ninterval = "1d"\nallow_private = true\n'
        )
        log = tmp_path / "watch.log"
        env = {**os.environ, "WIREWATCH_SOURCES": str(sources), "WIREWATCH_BASE_URL": "https://wirewatch.test"}
        env.pop("WIREWATCH_SMTP_URL", None)
        watch = subprocess.Popen(
            [str(Path(sys.executable).with_name("wirewatch")), "--db", db, "watch"],
            stdout=subprocess.DEVNULL,
            stderr=log.open("w"),
            env=env,
        )
        try:
            deadline = time.monotonic() + 60
            while not hook.posts and time.monotonic() < deadline and watch.poll() is None:
                time.sleep(0.1)
        finally:
            watch.send_signal(signal.SIGTERM)
            assert watch.wait(timeout=60) == 0
    [post] = hook.posts
    assert signed_by(post, secret) and json.loads(post.body)["articles"][0]["link"].startswith(
        "https://wirewatch.test/articles/"
    )
    assert "alerts run" in log.read_text() and "posts=1" in log.read_text()


# -- the webhook's guard: private addresses, malformed addresses, big replies (issue 18) --

#: Webhook addresses on this machine, the LAN or the cloud's metadata service.
PRIVATE_WEBHOOKS = [
    "http://10.0.0.1/hook",
    "http://169.254.169.254/latest/meta-data/",
    "http://127.0.0.1:8080/hook",
    "http://[::1]/hook",
    "http://2130706433/hook",  # 127.0.0.1, written as one number
    "http://localhost/hook",
]


def stored_webhook(store: SQLStore, url: str, name: str = "Lavrov") -> int:
    """An alert inserted as it stands, past the checks of ``alerts add`` (an older
    version's, or a hand-edited archive's)."""
    values = {
        "name": name,
        "query": "Lavrov",
        "channel": "webhook",
        "email": None,
        "webhook_url": url,
        "secret": "s" * 64,
        "changes": False,
    }
    return store.add_alert(values, now=T0).id


@pytest.mark.parametrize("url", PRIVATE_WEBHOOKS)
@pytest.mark.parametrize("db", ["sqlite"], indirect=True)
def test_alerts_add_refuses_a_webhook_to_a_private_address(cli: Invoke, url: str) -> None:
    result = cli("alerts", "add", "Lavrov", "--webhook", url)
    assert result.exit_code == 2 and "Traceback" not in result.stderr
    assert f"--webhook {url!r}" in result.stderr and "a private or reserved address" in result.stderr
    assert "WIREWATCH_WEBHOOK_ALLOW_PRIVATE=1" in result.stderr
    assert cli("alerts", "list", "--json").json() == []


@pytest.mark.parametrize("db", ["sqlite"], indirect=True)
def test_a_private_webhook_stored_anyway_is_refused_without_connecting(store: SQLStore, hook: Hook) -> None:
    for url in (hook.url, "http://10.0.0.1/hook", "http://169.254.169.254/latest/meta-data/"):
        stored_webhook(store, url)
    add(store, "lavrov-2")
    run = run_alerts(store, Settings(base_url="https://wirewatch.test"), now=T0, options=QUICK)  # no opt-in
    assert hook.connections == 0 and hook.posts == []
    assert (run.posts, run.failed, run.retrying) == (0, 3, 0)  # refused for good, not tried again
    assert len(run.errors) == 3 and all("a private or reserved address" in e for e in run.errors)
    assert store.pending_alert_deliveries() == {}


@pytest.mark.parametrize("db", ["sqlite"], indirect=True)
def test_the_webhook_client_itself_refuses_a_private_address(
    store: SQLStore, hook: Hook, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A name that resolved to a public address for the check and to a private one as the
    connection opens (DNS rebinding): the guarded transport refuses it, before connecting."""
    monkeypatch.setattr("wirewatch.digest.webhooks.check_address", lambda url: None)
    stored_webhook(store, hook.url)
    add(store, "lavrov-2")
    run = run_alerts(store, Settings(base_url="https://wirewatch.test"), now=T0, options=QUICK)
    assert hook.connections == 0 and hook.posts == [] and run.posts == 0
    assert len(run.errors) == 1 and "a private or reserved address" in run.errors[0]


@pytest.mark.parametrize(("status", "posts"), [(200, 1), (400, 0)])
@pytest.mark.parametrize("db", ["sqlite"], indirect=True)
def test_a_huge_reply_is_read_only_up_to_the_bound(store: SQLStore, hook: Hook, status: int, posts: int) -> None:
    import tracemalloc

    hook.answers, hook.reply_bytes = [status], 32 * 1024 * 1024
    webhook_alert(store, hook)
    add(store, "lavrov-2")
    tracemalloc.start()
    try:
        run = run_alerts(store, SETTINGS, now=T0, options=QUICK)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(hook.posts) == 1 and run.posts == posts
    assert peak < 4 * 1024 * 1024, f"{peak:,} bytes held for a 32 MiB reply"
    if status != 200:  # what happened is recorded: the status, and that the reply was cut
        assert run.errors == [
            f"alert 1 (Lavrov): webhook {hook.url}: HTTP 400 (the reply passed 65536 bytes: the rest was not read)"
        ]


@pytest.mark.parametrize(
    "url",
    [
        "http://example.org/hook\r\nX-Injected: 1",
        "http://example.org/a hook",
        "http://exa mple.org/hook",
        "https://example.org/\x00hook",
        "https://example.org/\u2028hook",
        "http://",
        "https:///hook",
        "http://example.org:99999/hook",
        "https://example.org/" + "a" * 3000,
    ],
)
@pytest.mark.parametrize("db", ["sqlite"], indirect=True)
def test_alerts_add_refuses_a_malformed_webhook(cli: Invoke, url: str) -> None:
    result = cli("alerts", "add", "Lavrov", "--webhook", url)
    assert result.exit_code == 2 and "Traceback" not in result.stderr and "unexpected" not in result.stderr
    assert "--webhook '" in result.stderr
    assert cli("alerts", "list", "--json").json() == []


@pytest.mark.parametrize("db", ["sqlite"], indirect=True)
def test_one_malformed_webhook_does_not_stop_the_alerts_after_it(
    cli: Invoke, db: str, hook: Hook, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.conftest import write_jsonl

    monkeypatch.setenv("WIREWATCH_WEBHOOK_ALLOW_PRIVATE", "1")  # the receiver is on 127.0.0.1
    store = open_store(db)
    try:
        stored_webhook(store, "http://example.org/hook\r\nX-Injected: 1", name="CRLF")
        stored_webhook(store, "http://example.org/a hook", name="space")
    finally:
        store.close()
    assert cli("alerts", "add", "Lavrov", "--webhook", hook.url, "--name", "good").exit_code == 0
    path = write_jsonl(
        tmp_path / "news.jsonl", [{"source": "KCNA", "title": "Lavrov meets Kim", "body": "Lavrov met Kim."}]
    )
    assert cli("import", str(path)).exit_code == 0
    run = cli("alerts", "run", "--json")
    assert run.exit_code == 1, run.stderr  # some failed: partial, as elsewhere
    summary = run.json()
    assert summary["posts"] == 1 and summary["failed"] == 2  # type: ignore[index]
    assert [e.split(":")[0] for e in summary["errors"]] == ["alert 1 (CRLF)", "alert 2 (space)"]  # type: ignore[index]
    assert all("no spaces or control characters" in e for e in summary["errors"])  # type: ignore[index]
    assert len(hook.posts) == 1 and hook.payloads()[0]["alert"] == {  # the one after them got its post
        "id": 3,
        "name": "good",
        "query": "Lavrov",
        "search": None,
    }
    again = cli("alerts", "run")  # given up for good: not the same error on every pass
    assert again.exit_code == 0 and again.stderr == ""
