"""Events the rules missed or doubled on later text (issue 17, events third round, second
pass), each from a made-up sentence (the hand-built actor forms of test_events)."""

from __future__ import annotations

from tests.analysis.test_events import ON, events


def of_type(kind: str, text: str) -> list[tuple[str | None, str | None]]:
    return sorted((actor or "", target or "") for found, actor, target, _, _ in events(text, ON) if found == kind)


def test_senders_listed_after_an_unnamed_message_each_send_it() -> None:
    text = (
        "Kim Jong Un received congratulatory messages and letters from personages of many countries on Monday. "
        "They included the leader of a party of Syria and a figure of Japan. "
        "Among them were also figures of China and Seychelles."
    )
    assert of_type("message", text) == [("CHN", "PRK"), ("JPN", "PRK"), ("SYC", "PRK"), ("SYR", "PRK")]


def test_what_listed_senders_add_is_in_their_voice() -> None:
    text = (
        "Kim Jong Un received greetings from personages of many countries on Monday. "
        "They included figures of Syria and Japan. "
        "The exploits of Kim Il Sung will shine forever, they added."
    )
    assert of_type("praise", text) == [("JPN", "PRK"), ("SYR", "PRK")]


def test_a_work_carried_by_publishers_named_next_is_praise_by_each() -> None:
    text = (
        "Kim Jong Un's work was carried by foreign papers between August 15 and 17. "
        "They were a Pakistani paper and a website of Syria."
    )
    assert of_type("praise", text) == [("PAK", "PRK"), ("SYR", "PRK")]


def test_several_places_on_several_days_are_one_event_each_in_the_month() -> None:
    text = "Lectures took place in Syria, Japan and Seychelles on July 21 and 23 to mark the anniversary of the DPRK."
    found = [e for e in events(text, ON) if e[0] == "anniversary"]
    assert sorted(found) == [
        ("anniversary", country, "PRK", "2018-07-01", "month") for country in ("JPN", "SYC", "SYR")
    ]


def test_congratulations_on_an_anniversary_from_an_unnamed_sender_mark_no_anniversary() -> None:
    text = (
        "The president in his message extended congratulations to Kim Jong Un on behalf of the people of "
        "Seychelles on the occasion of the 64th anniversary of the DPRK."
    )
    assert of_type("anniversary", text) == []


def test_a_visit_to_a_mission_in_the_visitors_own_country_is_no_visit() -> None:
    text = "Pakistani figures visited the DPRK embassy in their country on Monday to pay respects."
    assert of_type("visit", text) == []
