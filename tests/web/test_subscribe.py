"""The Daily Update's web pages, through the ASGI app and a real SMTP server (aiosmtpd):
subscribe from the footer form, the confirmation mail, its link, preferences through the
signed link, one-click unsubscribe (RFC 8058), bad links, the rate limit, cross-site forms,
and answers that do not tell whether an address is subscribed.

Each test gets its own archive (SQLite, then PostgreSQL) and its own app, so that the
in-process rate limits start empty.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from collections.abc import Callable, Iterator
from email.message import EmailMessage
from itertools import pairwise
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import lxml.html
import pytest

from tests.conftest import write_jsonl
from tests.mailserver import MailBox
from tests.web.conftest import TestClient, build_archive, one, page, text_of
from wirewatch.config.settings import Settings
from wirewatch.digest.tokens import link, make_token
from wirewatch.models import Preferences, Subscriber
from wirewatch.store import SQLStore, open_store
from wirewatch.web import create_app
from wirewatch.web.guards import RateLimiter
from wirewatch.web.routes.subscribe import FORM_LIMIT, MAIL_LIMIT

BASE = "https://wirewatch.test"
READER = "Reader.One@Example.ORG"
RECORDS: list[dict[str, object]] = [
    {
        "source": "KCNA",
        "title": "Lavrov meets Ri",
        "date": "2019-03-01",
        "language": "en",
        "body": "Lavrov met Ri in Pyongyang.",
    },
    {
        "source": "Rodong Sinmun",
        "title": "Spring sowing",
        "date": "2019-03-02",
        "language": "en",
        "body": "Farmers sowed.",
    },
    {
        "source": "KCTV",
        "title": "김정은 동지 연설",
        "date": "2019-03-03",
        "language": "ko",
        "body": "김정은 동지께서 연설하시였다.",
    },
]


@pytest.fixture
def archive(db: str, tmp_path: Path) -> str:
    return build_archive(db, [write_jsonl(tmp_path / "records.jsonl", RECORDS)])


@pytest.fixture
def store(archive: str) -> Iterator[SQLStore]:
    opened = open_store(archive)
    yield opened
    opened.close()


Serve = Callable[..., TestClient]


@pytest.fixture
def serve(archive: str, smtp_server: MailBox) -> Iterator[Serve]:
    """``serve(**settings)``: the app over the archive, mailing through the test server."""
    clients: list[TestClient] = []

    def start(peer: tuple[str, int] = ("testclient", 50000), **more: Any) -> TestClient:
        settings: Settings = smtp_server.settings(db=archive, **more)
        client = TestClient(create_app(settings), client=peer)
        clients.append(client.__enter__())
        return client

    yield start
    for client in clients:
        client.app.state.subscriptions.outbox.join()
        client.__exit__(None, None, None)


@pytest.fixture
def client(serve: Serve) -> TestClient:
    return serve()


def settle(client: TestClient) -> None:
    """Wait until the outbox has done what the forms asked (the mails are out)."""
    assert client.app.state.subscriptions.outbox.join(timeout=30)


def text_part(mail: EmailMessage) -> str:
    part = mail.get_body(preferencelist=("plain",))
    assert part is not None
    return str(part.get_content())


def confirm_link(mail: EmailMessage) -> str:
    found = re.findall(rf"{re.escape(BASE)}/confirm\?token=[^\s\"<>]+", text_part(mail))
    assert found, text_part(mail)
    return found[0]


def local(url: str) -> str:
    """A mailed address as a path on the test client."""
    parts = urlsplit(url)
    assert f"{parts.scheme}://{parts.netloc}" == BASE, url
    return parts.path + "?" + parts.query


def subscribed(store: SQLStore, email: str = READER) -> Subscriber:
    found = store.subscriber_by_email(email)
    assert found is not None
    return found


def form_of(doc: lxml.html.HtmlElement, action: str) -> dict[str, Any]:
    """The values a browser would send for the form posting to ``action``."""
    form = one(doc, f"//main//form[@action='{action}' or starts-with(@action, '{action}?')]")
    assert form.get("method") == "post"
    values: dict[str, Any] = {}
    for field in form.xpath(".//input[@name] | .//select[@name] | .//textarea[@name]"):
        name = field.get("name")
        if field.tag == "select":
            chosen = field.xpath("./option[@selected]") or field.xpath("./option")[:1]
            values[name] = (chosen[0].get("value") or chosen[0].text) if chosen else ""
        elif field.get("type") == "checkbox":
            values.setdefault(name, [])
            if field.get("checked") is not None:
                values[name].append(field.get("value"))
        elif field.get("type") == "radio":
            if field.get("checked") is not None:
                values[name] = field.get("value")
        elif field.tag == "textarea":
            values[name] = field.text or ""
        else:
            values[name] = field.get("value", "")
    return values


# -- the whole way: subscribe, confirm, preferences, unsubscribe -------------------------------


def test_subscribe_confirm_change_preferences_and_unsubscribe(
    client: TestClient,
    smtp_server: MailBox,
    store: SQLStore,
) -> None:
    # The footer of every page has the form.
    home = page(client.get("/"))
    footer = one(home, "//footer//form")
    assert footer.get("action") == "/subscribe" and footer.get("method") == "post"
    assert one(footer, ".//input[@name='email']").get("type") == "email"

    answer = page(client.post("/subscribe", data={"email": READER}))
    assert text_of(one(answer, "//h1")) == "Check your inbox"
    assert "Reader.One@example.org" in text_of(one(answer, "//main"))  # the domain in lower case
    settle(client)
    assert subscribed(store).status == "pending"

    [mail] = smtp_server.wait_for(1)
    assert mail["To"] == "Reader.One@example.org"
    assert "List-Unsubscribe" not in mail  # nothing to unsubscribe from yet
    confirm = confirm_link(mail)
    assert confirm in str(mail.get_body(preferencelist=("html",)).get_content()).replace("&amp;", "&")  # type: ignore[union-attr]

    # Following the link asks for a press of the button; the visit alone confirms nothing.
    asked = page(client.get(local(confirm)))
    assert text_of(one(asked, "//h1")) == "Confirm your subscription"
    assert subscribed(store).status == "pending"
    done = page(client.post("/confirm", data=form_of(asked, "/confirm")))
    assert text_of(one(done, "//h1")) == "Subscription confirmed"
    assert subscribed(store).status == "confirmed"
    assert len(smtp_server.messages) == 1  # no other mail

    # The preferences, through the signed link on the confirmation page.
    preferences = one(done, "//main//a[starts-with(@href, 'https://wirewatch.test/preferences?token=')]").get("href")
    form_page = page(client.get(local(preferences)))
    assert client.get(local(preferences)).headers["referrer-policy"] == "no-referrer"
    values = form_of(form_page, "/preferences")
    assert values["frequency"] == "daily" and values["hour"] == "7" and values["timezone"] == "UTC"
    assert sorted(form_page.xpath("//main//input[@name='sources']/@value")) == ["KCNA", "KCTV", "Rodong Sinmun"]
    assert sorted(form_page.xpath("//main//input[@name='languages']/@value")) == ["en", "ko"]
    values.update(
        topics='Lavrov\n"Federation Council"\n',
        sources=["KCNA", "Rodong Sinmun"],
        languages=["en"],
        frequency="weekly",
        weekday="4",
        hour="6",
        timezone="Asia/Seoul",
    )
    saved = page(client.post("/preferences", data=values))
    assert "Saved" in text_of(one(saved, "//main//*[@role='status']"))
    assert subscribed(store).preferences == Preferences(
        topics=("Lavrov", '"Federation Council"'),
        sources=("KCNA", "Rodong Sinmun"),
        languages=("en",),
        frequency="weekly",
        hour=6,
        timezone="Asia/Seoul",
        weekday=4,
    )
    again = form_of(saved, "/preferences")
    assert again["timezone"] == "Asia/Seoul" and again["hour"] == "6" and again["weekday"] == "4"
    assert again["sources"] == ["KCNA", "Rodong Sinmun"] and again["frequency"] == "weekly"

    # Unsubscribe: the page asks; the button (or a mail program) POSTs the one-click body.
    unsubscribe = one(saved, "//main//a[starts-with(@href, '/unsubscribe?token=')]").get("href")
    asked = page(client.get(unsubscribe))
    assert text_of(one(asked, "//h1")) == "Unsubscribe"
    assert subscribed(store).status == "confirmed"
    button = one(asked, "//main//form")
    assert button.get("action") == unsubscribe
    assert form_of(asked, "/unsubscribe") == {"List-Unsubscribe": "One-Click"}
    gone = page(client.post(unsubscribe, data={"List-Unsubscribe": "One-Click"}))
    assert text_of(one(gone, "//h1")) == "Unsubscribed"
    assert subscribed(store).status == "unsubscribed"
    # A second click (a mail program that retries) answers the same, and changes nothing.
    assert client.post(unsubscribe, data={"List-Unsubscribe": "One-Click"}).status_code == 200
    assert subscribed(store).status == "unsubscribed"
    # The old confirmation link does not bring the address back.
    assert page(client.post("/confirm", data={"token": urlsplit(confirm).query[len("token=") :]}), 400) is not None
    assert subscribed(store).status == "unsubscribed"


def mailed(store: SQLStore, secret: str, purpose: str, email: str = READER) -> str:
    """The path of ``purpose``'s link as a mail to ``email`` carries it."""
    return local(link(BASE, purpose, make_token(secret, purpose, subscribed(store, email))))  # type: ignore[arg-type]


def test_one_click_unsubscribe_as_a_mail_program_sends_it(client: TestClient, store: SQLStore) -> None:
    """RFC 8058: a POST to the List-Unsubscribe address, body ``List-Unsubscribe=One-Click``,
    urlencoded or multipart, no cookie, no page, no Origin."""
    for address in ("one@example.org", "two@example.org"):
        store.add_subscriber(address, Preferences(), confirmed=True)
    urlencoded = client.post(
        mailed(store, "test-secret", "unsubscribe", "one@example.org"),
        content=b"List-Unsubscribe=One-Click",
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert urlencoded.status_code == 200
    multipart = client.post(
        mailed(store, "test-secret", "unsubscribe", "two@example.org"), files={"List-Unsubscribe": (None, "One-Click")}
    )
    assert multipart.status_code == 200, multipart.text
    assert multipart.request.headers["content-type"].startswith("multipart/form-data")
    assert {s.email: s.status for s in store.list_subscribers()} == {
        "one@example.org": "unsubscribed",
        "two@example.org": "unsubscribed",
    }


# -- bad links ---------------------------------------------------------------------------


def test_expired_forged_and_revoked_links_answer_a_clear_400(client: TestClient, store: SQLStore) -> None:
    pending, _ = store.add_subscriber("late@example.org", Preferences())
    confirmed, _ = store.add_subscriber("kept@example.org", Preferences(), confirmed=True)
    eight_days_ago = dt.datetime.now(dt.UTC) - dt.timedelta(days=8)
    expired = make_token("test-secret", "confirm", pending, now=eight_days_ago)
    forged = make_token("another-key", "preferences", confirmed)
    good = make_token("test-secret", "preferences", confirmed)
    cases = {
        f"/confirm?token={expired}": "expired",
        f"/preferences?token={forged}": "not valid",
        f"/preferences?token={good[:-3]}": "not valid",  # cut short
        f"/unsubscribe?token={good}": "not valid",  # a preferences token does not unsubscribe
        "/confirm": "not valid",  # no token at all
    }
    for url, reason in cases.items():
        doc = page(client.get(url), 400)
        assert text_of(one(doc, "//h1")) == "This link cannot be used", url
        assert reason in text_of(one(doc, "//main//*[@role='alert']")), url
    # The same through the forms' POSTs: nothing changes.
    assert page(client.post("/confirm", data={"token": expired}), 400) is not None
    assert page(client.post(f"/unsubscribe?token={good}", data={"List-Unsubscribe": "One-Click"}), 400) is not None
    assert page(client.post("/preferences", data={"token": forged, "frequency": "weekly"}), 400) is not None
    assert subscribed(store, "late@example.org").status == "pending"
    assert subscribed(store, "kept@example.org").status == "confirmed"
    assert subscribed(store, "kept@example.org").preferences.frequency == "daily"
    # A link renewed since (the token version went up) stops working.
    assert client.get(f"/preferences?token={good}").status_code == 200
    store.bump_token_version(confirmed.id)
    doc = page(client.get(f"/preferences?token={good}"), 400)
    assert "no longer valid" in text_of(one(doc, "//main//*[@role='alert']"))


def test_a_link_stamped_in_the_future_is_refused(client: TestClient, store: SQLStore) -> None:
    """A token this instance signed, but dated ahead of its clock by more than the skew
    allowed (CLOCK_SKEW), was not made by it as it runs: refused, and nothing changes."""
    pending, _ = store.add_subscriber("early@example.org", Preferences())
    later = dt.datetime.now(dt.UTC) + dt.timedelta(days=30)
    for purpose in ("confirm", "preferences", "unsubscribe"):
        doc = page(client.get(mailed_at(store, purpose, "early@example.org", later)), 400)
        assert "not valid" in text_of(one(doc, "//main//*[@role='alert']")), purpose
    assert (
        page(client.post("/confirm", data={"token": make_token("test-secret", "confirm", pending, now=later)}), 400)
        is not None
    )
    assert subscribed(store, "early@example.org").status == "pending"
    # A clock a minute fast is within the allowance.
    soon = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=1)
    assert client.get(mailed_at(store, "confirm", "early@example.org", soon)).status_code == 200


def mailed_at(store: SQLStore, purpose: str, email: str, when: dt.datetime) -> str:
    token = make_token("test-secret", purpose, subscribed(store, email), now=when)  # type: ignore[arg-type]
    return local(link(BASE, purpose, token))  # type: ignore[arg-type]


def test_a_stopped_address_is_named_as_it_was_given(client: TestClient, store: SQLStore) -> None:
    """ "carol@example.org has unsubscribed", not "Carol@…": the message starts with a
    capital, the address keeps its own letters."""
    carol, _ = store.add_subscriber("carol@example.org", Preferences())
    confirm = make_token("test-secret", "confirm", carol)
    store.unsubscribe(carol.id)
    for response in (client.get(f"/confirm?token={confirm}"), client.post("/confirm", data={"token": confirm})):
        alert = text_of(one(page(response, 400), "//main//*[@role='alert']"))
        assert "carol@example.org has unsubscribed" in alert and "Carol@" not in alert, alert
        assert alert[0].isupper(), alert


def test_preferences_that_cannot_be_used_are_named_and_not_saved(client: TestClient, store: SQLStore) -> None:
    store.add_subscriber(READER, Preferences(topics=("Lavrov",)), confirmed=True)
    path = mailed(store, "test-secret", "preferences")
    values = form_of(page(client.get(path)), "/preferences")
    for field, value, reason in (
        ("timezone", "Mars/Olympus_Mons", "'Mars/Olympus_Mons' is not a time zone"),
        ("hour", "24", "24 is not between 0 and 23"),
        ("topics", 'Lavrov\n"unclosed', "cannot run as a search"),
        ("sources", ["KCNA", "Nope News"], "'Nope News': no such source"),
        ("frequency", "hourly", "'hourly' is not daily or weekly"),
    ):
        doc = page(client.post("/preferences", data={**values, field: value}), 400)
        alert = text_of(one(doc, "//main//*[@role='alert']"))
        assert reason in alert and field in alert, (field, alert)
        # The field is marked and what was typed is still there.
        marked = doc.xpath("//main//*[@aria-invalid='true']")
        assert marked and all(el.get("name") == field for el in marked), field
        if field == "topics":
            assert one(doc, "//textarea[@name='topics']").text.strip() == 'Lavrov\n"unclosed'
    assert subscribed(store).preferences == Preferences(topics=("Lavrov",))


# -- the same answer, whoever asks -------------------------------------------------------------


def test_the_answer_does_not_tell_whether_an_address_is_subscribed(
    serve: Serve,
    store: SQLStore,
    smtp_server: MailBox,
) -> None:
    store.add_subscriber("confirmed@example.org", Preferences(), confirmed=True)
    store.add_subscriber("waiting@example.org", Preferences())
    # The mail server takes a second per mail: the answers must not wait for it.
    smtp_server.on_data = lambda envelope: time.sleep(1.0)  # type: ignore[func-returns-value]
    client = serve()
    client.get("/subscribe")  # the first page a server renders pays for loading its templates: not timed
    pages: dict[str, str] = {}
    for address in ("confirmed@example.org", "waiting@example.org", "new@example.org"):
        started = time.perf_counter()
        response = client.post("/subscribe", data={"email": address})
        took = time.perf_counter() - started
        assert response.status_code == 200 and took < 0.5, (address, took)
        pages[address] = response.text.replace(address, "ADDRESS")
    assert len(set(pages.values())) == 1, "the pages differ by the address's status"
    settle(client)
    # The confirmed address gets no confirmation; the others get one each.
    assert sorted(str(m["To"]) for m in smtp_server.messages) == ["new@example.org", "waiting@example.org"]
    assert subscribed(store, "confirmed@example.org").status == "confirmed"
    assert subscribed(store, "new@example.org").status == "pending"


def test_a_stranger_cannot_change_a_subscription_from_the_form(client: TestClient, store: SQLStore) -> None:
    store.add_subscriber(READER, Preferences(frequency="daily"), confirmed=True)
    assert client.post("/subscribe", data={"email": READER.upper(), "frequency": "weekly"}).status_code == 200
    settle(client)
    assert subscribed(store).preferences.frequency == "daily" and subscribed(store).status == "confirmed"


def test_a_bad_address_is_named_and_kept_in_the_form(client: TestClient, smtp_server: MailBox) -> None:
    doc = page(client.post("/subscribe", data={"email": "reader at example"}), 400)
    assert "'reader at example' is not an email address" in text_of(one(doc, "//main//*[@role='alert']"))
    field = one(doc, "//main//input[@name='email']")
    assert field.get("value") == "reader at example" and field.get("aria-invalid") == "true"
    assert page(client.post("/subscribe", data={}), 400) is not None
    settle(client)
    assert smtp_server.messages == []


# -- abuse: the rate limit, the mail limit, forms from other sites --------------------------


def test_the_form_is_rate_limited_per_client(serve: Serve, smtp_server: MailBox) -> None:
    client = serve()
    for i in range(FORM_LIMIT):
        assert client.post("/subscribe", data={"email": f"r{i}@example.org"}).status_code == 200
    refused = client.post("/subscribe", data={"email": "one.more@example.org"})
    doc = page(refused, 429)
    assert text_of(one(doc, "//h1")) == "Too many requests"
    assert re.search(r"Try again in \d+ minutes?\.", text_of(one(doc, "//main//*[@role='alert']")))
    assert 0 < int(refused.headers["retry-after"]) <= 600
    # Another client is not held back by the first.
    other = serve(peer=("203.0.113.7", 40000))
    assert other.post("/subscribe", data={"email": "other@example.org"}).status_code == 200
    settle(client)
    settle(other)
    assert "one.more@example.org" not in {str(m["To"]) for m in smtp_server.messages}
    assert len(smtp_server.messages) == FORM_LIMIT + 1


def test_behind_a_local_proxy_each_forwarded_client_has_its_own_limit(serve: Serve) -> None:
    client = serve(peer=("127.0.0.1", 40000))
    for i in range(FORM_LIMIT):
        response = client.post(
            "/subscribe", data={"email": f"r{i}@example.org"}, headers={"x-forwarded-for": "198.51.100.1"}
        )
        assert response.status_code == 200
    # The proxy appends the address it saw; what the client wrote before it is not trusted.
    spoofed = {"x-forwarded-for": "10.9.9.9, 198.51.100.1"}
    assert client.post("/subscribe", data={"email": "x@example.org"}, headers=spoofed).status_code == 429
    fresh = {"x-forwarded-for": "198.51.100.2"}
    assert client.post("/subscribe", data={"email": "y@example.org"}, headers=fresh).status_code == 200


def test_rate_limiter_window_slides() -> None:
    limiter = RateLimiter(2, 60.0, max_keys=2)
    assert limiter.hit("a", now=0.0) == 0.0 and limiter.hit("a", now=10.0) == 0.0
    assert limiter.hit("a", now=20.0) == pytest.approx(40.0)  # the first hit leaves at 60
    assert limiter.hit("a", now=60.5) == 0.0
    # A third key pushes out the least recently seen one, which starts afresh.
    assert limiter.hit("b", now=61.0) == 0.0 and limiter.hit("c", now=61.0) == 0.0
    assert limiter.hit("a", now=61.0) == 0.0 and limiter.hit("a", now=61.0) == 0.0
    assert limiter.hit("a", now=61.0) > 0


def test_one_address_gets_only_a_few_confirmations_whoever_asks(serve: Serve, smtp_server: MailBox) -> None:
    app = serve().app
    for n in range(MAIL_LIMIT + 2):  # each from another client, each within its own limit
        client = TestClient(app, client=(f"203.0.113.{n + 1}", 40000))
        assert client.post("/subscribe", data={"email": READER}).status_code == 200
        settle(client)
    assert len(smtp_server.messages) == MAIL_LIMIT


@pytest.mark.parametrize(
    "headers",
    [
        {"origin": "https://evil.example"},
        {"sec-fetch-site": "cross-site"},
        {"sec-fetch-site": "same-site"},
        {"origin": "null"},
    ],
    ids=["origin", "fetch-cross-site", "fetch-same-site", "origin-null"],
)
def test_forms_sent_from_another_site_are_refused(
    client: TestClient,
    store: SQLStore,
    smtp_server: MailBox,
    headers: dict[str, str],
) -> None:
    store.add_subscriber(READER, Preferences(), confirmed=True)
    pending, _ = store.add_subscriber("pending@example.org", Preferences())
    preferences = mailed(store, "test-secret", "preferences")
    token = preferences.split("token=", 1)[1]
    confirm = make_token("test-secret", "confirm", pending)
    for path, data in (
        ("/subscribe", {"email": "victim@example.org"}),
        ("/preferences", {"token": token, "frequency": "weekly"}),
        ("/confirm", {"token": confirm}),
    ):
        doc = page(client.post(path, data=data, headers=headers), 403)
        assert "another site" in text_of(one(doc, "//main//*[@role='alert']")), path
    settle(client)
    assert smtp_server.messages == [] and store.subscriber_by_email("victim@example.org") is None
    assert subscribed(store).preferences.frequency == "daily"
    assert subscribed(store, "pending@example.org").status == "pending"
    # The same forms from the site itself go through.
    same = {"origin": "http://testserver", "sec-fetch-site": "same-origin"}
    assert client.post("/subscribe", data={"email": "friend@example.org"}, headers=same).status_code == 200
    assert client.post("/confirm", data={"token": confirm}, headers={"origin": "http://testserver"}).status_code == 200


# -- an archive that sends no mail --------------------------------------------------------


def test_without_a_mail_server_there_is_no_form(archive: str) -> None:
    with TestClient(create_app(Settings(db=archive))) as client:
        home = page(client.get("/"))
        assert home.xpath("//footer//form") == [] and home.xpath("//a[@href='/subscribe']") == []
        doc = page(client.get("/subscribe"))
        assert "does not send mail" in text_of(one(doc, "//main"))
        assert doc.xpath("//main//form") == []
        assert page(client.post("/subscribe", data={"email": READER}), 503) is not None


# -- the pages themselves: accessible, nothing inline ------------------------------------------


def test_every_subscription_page_is_labelled_unique_and_has_nothing_inline(
    serve: Serve,
    store: SQLStore,
    smtp_server: MailBox,
) -> None:
    from tests.web.test_security import _check_markup

    client = serve()
    pending, _ = store.add_subscriber("pending@example.org", Preferences())
    store.add_subscriber(READER, Preferences(), confirmed=True)
    confirm = make_token("test-secret", "confirm", pending)
    preferences, unsubscribe = mailed(store, "test-secret", "preferences"), mailed(store, "test-secret", "unsubscribe")
    token = preferences.split("token=", 1)[1]
    responses = {
        "home": client.get("/"),
        "subscribe": client.get("/subscribe"),
        "bad address": client.post("/subscribe", data={"email": "nope"}),
        "sent": client.post("/subscribe", data={"email": "new@example.org"}),
        "cross-site": client.post(
            "/subscribe", data={"email": "x@example.org"}, headers={"origin": "https://evil.example"}
        ),
        "confirm": client.get(f"/confirm?token={confirm}"),
        "confirmed": client.post("/confirm", data={"token": confirm}),
        "preferences": client.get(preferences),
        "bad preferences": client.post(preferences, data={"token": token, "timezone": "Nowhere"}),
        "saved": client.post(preferences, data={"token": token, "timezone": "Europe/Berlin"}),
        "unsubscribe": client.get(unsubscribe),
        "unsubscribed": client.post(unsubscribe),
        "bad link": client.get("/preferences?token=nope"),
    }
    for _ in range(FORM_LIMIT):
        responses["too many"] = client.post("/subscribe", data={"email": "new@example.org"})
    assert responses["too many"].status_code == 429
    for name, response in responses.items():
        doc = lxml.html.fromstring(response.text)
        assert len(doc.xpath("//h1")) == 1 and text_of(doc.xpath("//h1")[0]), name
        levels = [int(h.tag[1]) for h in doc.iter("h1", "h2", "h3", "h4")]
        assert all(b <= a + 1 for a, b in pairwise(levels)), (name, levels)
        labels = {label.get("for"): text_of(label) for label in doc.iter("label")}
        for field in doc.xpath("//input[not(@type='hidden' or @type='submit')] | //select | //textarea"):
            assert labels.get(field.get("id")), (name, field.get("name"))
        ids = [el.get("id") for el in doc.iter() if isinstance(el.tag, str) and el.get("id")]
        assert len(ids) == len(set(ids)), name
        _check_markup(name, doc)
        assert "'unsafe-inline'" not in response.headers["content-security-policy"], name
    # The footer form is everywhere but on /subscribe, which is the form itself.
    assert lxml.html.fromstring(responses["home"].text).xpath("//footer//input[@id='footer-email']")
    assert not lxml.html.fromstring(responses["subscribe"].text).xpath("//footer//form")


def test_without_a_base_url_only_a_local_form_is_mailed(serve: Serve, smtp_server: MailBox, store: SQLStore) -> None:
    """Without WIREWATCH_BASE_URL a mail's links would start with the request's Host,
    which anyone can forge: only a request to this machine itself (a demo) is mailed."""
    client = serve(base_url="")
    answer = client.post("/subscribe", data={"email": "far@example.org"}, headers={"host": "evil.example"})
    assert answer.status_code == 200 and "Check your inbox" in answer.text  # the same answer as ever
    settle(client)
    assert smtp_server.messages == [] and store.subscriber_by_email("far@example.org") is None
    assert client.post("http://127.0.0.1:8000/subscribe", data={"email": "near@example.org"}).status_code == 200
    settle(client)
    [mail] = smtp_server.wait_for(1)
    assert mail["To"] == "near@example.org" and "http://127.0.0.1:8000/confirm?token=" in text_part(mail)
