"""Readings of events added for issue 17, each from a made-up sentence with the hand-built
actor forms of test_events (not corpus text): visits and messages, floral tributes and
publications, senders listed after an unnamed event, anniversaries that are no foreign
side's marking, and denunciations and visits read with the clause they sit in."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.analysis.test_events import ON, events
from wirewatch.analysis.actors import Actors
from wirewatch.analysis.entities import find_mentions
from wirewatch.analysis.events import find_events


def pairs(text: str) -> list[tuple[str, str | None, str | None]]:
    return [(kind, actor, target) for kind, actor, target, _, _ in events(text, ON)]


def of_type(kind: str, text: str) -> list[tuple[str, str]]:
    """The (actor, target) countries of the events of ``kind``, sorted ("" for none)."""
    return sorted((actor or "", target or "") for found, actor, target, _, _ in events(text, ON) if found == kind)


# -- visits and messages ----------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "A Chinese delegation left here for home on Tuesday.",
        "The Chinese delegation flew back on Friday.",
        "A Chinese delegation headed by Secretary Wang went back home on Wednesday.",
        "A delegation of Chinese parliamentarians left for home on Monday.",
        "Wang Li, president of a company of China, and his party left today.",
        "Leaving for home on the same day were the delegation of China and its party.",
        "Leaving here for home together with him were members of the delegation of China.",
        "A Chinese delegation is staying here at the invitation of a friendship body.",
        "A Chinese delegation was welcomed at the airport by Kim Yong Nam.",
        "Members of a Chinese delegation were seen off at the airport by Kim Yong Nam.",
    ],
)
def test_a_guest_coming_staying_or_leaving_visits_home(text: str) -> None:
    assert pairs(text) == [("visit", "CHN", "PRK")]


def test_home_travellers_returning_home_from_a_country_visited_it() -> None:
    text = "Also returning home from Russia on the same day was a delegation of the DPRK."
    assert of_type("visit", text) == [("PRK", "RUS")]


def test_guests_who_left_for_home_unnamed_are_those_the_next_sentence_lists() -> None:
    text = (
        "Foreign guests left for home on Wednesday after the festival. "
        "They included the general manager of a greenhouse of China and the president of a company of Syria."
    )
    assert of_type("visit", text) == [("CHN", "PRK"), ("SYR", "PRK")]


def test_home_travellers_leaving_here_go_where_the_sentence_sends_them() -> None:
    # "leaving here were" lists home's own delegations as often as guests: only "for home" is a guest's
    text = "Also leaving here on Monday were a delegation of the Foreign Ministry of the DPRK to visit China."
    assert of_type("visit", text) == [("PRK", "CHN")]


def test_the_groups_of_two_sides_listed_together_both_act() -> None:
    # "the delegation of X and the delegation of Y laid bouquets": one message each
    text = (
        "The delegation of the Russian Federation Council and the delegation of China laid bouquets before the statue."
    )
    assert of_type("message", text) == [("CHN", "PRK"), ("RUS", "PRK")]
    text = "Delegations of Syria, members of a delegation of Japan and a delegation of China laid bouquets before the statue."
    assert of_type("message", text) == [("CHN", "PRK"), ("JPN", "PRK"), ("SYR", "PRK")]


def test_flowers_laid_at_a_site_of_home_are_a_visit_besides_the_tribute() -> None:
    text = "The Chinese delegation laid a floral basket before the statue of Kim Il Sung on Mansu Hill."
    assert sorted(pairs(text)) == [("message", "CHN", "PRK"), ("visit", "CHN", "PRK")]
    # not the diplomats stationed here (E8), and not flowers laid abroad
    text = "The Chinese ambassador here laid a floral basket before the statue of Kim Il Sung on Mansu Hill."
    assert pairs(text) == [("message", "CHN", "PRK")]
    assert pairs("The Chinese delegation laid a floral basket before the statue of Kim Il Sung in Beijing.") == [
        ("message", "CHN", "PRK")
    ]


def test_a_former_ambassador_laying_flowers_here_is_a_guest() -> None:
    text = "Ex-Chinese Ambassador to the DPRK Wang Li and his party laid a wreath before the Friendship Tower."
    assert sorted(pairs(text)) == [("message", "CHN", "PRK"), ("visit", "CHN", "PRK")]
    text = "The former Chinese ambassador laid a wreath before the Friendship Tower."
    assert sorted(pairs(text)) == [("message", "CHN", "PRK"), ("visit", "CHN", "PRK")]


def test_flowers_laid_at_the_site_the_story_opens_with_are_a_visit_told_once() -> None:
    # the site is named by the first sentence, the flowers by a later one
    text = (
        "Visitors to the Revolutionary Martyrs Cemetery on Mt. Taesong are increasing.\n\n"
        "A delegation of China laid bouquets before her bust."
    )
    assert sorted(pairs(text)) == [("message", "CHN", "PRK"), ("visit", "CHN", "PRK")]
    # flowers sent in the guests' names are no visit of theirs
    text = (
        "Wreaths were laid before the bier at the Kumsusan Memorial Palace.\n\n"
        "Wreaths also came from a delegation of China."
    )
    assert ("visit", "CHN", "PRK") not in pairs(text)
    # the visit the story tells otherwise, on another day, is the same visit
    text = "Chinese Delegation at Mansu Hill\n\nThe delegation of China arrived here on Monday.\n\nThey laid bouquets before the statues."
    assert [p for p in pairs(text) if p[0] == "visit"] == [("visit", "CHN", "PRK")]


def test_home_delegation_back_from_a_meeting_abroad_visited_its_country() -> None:
    text = "The DPRK delegation returned home after taking part in a meeting in Russia."
    assert pairs(text) == [("visit", "PRK", "RUS")]


def test_the_delegation_of_a_body_is_the_visitor() -> None:
    text = "Kim Yong Nam received the delegation of the Russian Federation Council on a visit to the DPRK."
    assert sorted(pairs(text)) == [("meeting", "PRK", "RUS"), ("visit", "RUS", "PRK")]


@pytest.mark.parametrize(
    "text",
    [
        "A floral basket to Kim Jong Un came from Sergei Lavrov.",
        "Congratulations to Kim Jong Un from Vladimir Putin",
        "Vladimir Putin in a message to Kim Jong Un congratulated him on the New Year.",
    ],
)
def test_a_message_named_with_its_recipient_and_sender(text: str) -> None:
    assert pairs(text) == [("message", "RUS", "PRK")]


# -- floral tributes and publications ----------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "A Syria trade delegation laid a bouquet before the statues on the hill on Tuesday.",
        "The Chinese visitors placed a floral basket before the monument on Tuesday.",
        "Pakistani guests placed bunches of flowers before a portrait of the leaders.",
    ],
)
def test_flowers_laid_before_a_memorial_are_a_message_to_home(text: str) -> None:
    assert of_type("message", text) in ([("SYR", "PRK")], [("CHN", "PRK")], [("PAK", "PRK")])


@pytest.mark.parametrize(
    "text",
    [
        "Kim Jong Il's work was broadcast by a Pakistani radio station on Tuesday.",
        "A part of Kim Il Sung's work came off press in a booklet by a Syria publisher on Tuesday.",
    ],
)
def test_a_work_broadcast_or_off_the_press_abroad_is_praise(text: str) -> None:
    assert of_type("praise", text) in ([("PAK", "PRK")], [("SYR", "PRK")])


# -- senders listed after an unnamed event, several places on several days ---------------


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


def test_a_publication_naming_no_other_side_in_a_story_of_a_home_persons_feats_honours_him() -> None:
    # the article's title would name him, but a work's title holds no mention (GUIDE G2)
    text = (
        "Kim Il Sung's feats praised abroad.\n\nA Syria paper on July 7 carried an article on the founding of an army."
    )
    assert of_type("praise", text) == [("SYR", "PRK")]


def test_a_publication_about_another_side_does_not_honour_the_storys_person() -> None:
    text = (
        "Kim Il Sung's feats praised abroad.\n\nA Syria paper on July 7 carried an article on the elections in Japan."
    )
    assert of_type("praise", text) == []


# -- anniversaries that are no foreign side's marking --------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "A Syria paper carried a speech made by Kim Jong Un at a parade celebrating the 60th anniversary of the DPRK.",
        "A Chinese officer was moved by the might of the Workers' Party of Korea at the rally marking the anniversary of Kim Il Sung.",
    ],
)
def test_an_anniversary_of_the_owners_own_event_is_not_the_reporters(text: str) -> None:
    assert of_type("anniversary", text) == []


@pytest.mark.parametrize(
    "text",
    [
        "The art troupe of Koreans in Japan performed to celebrate the birthday of Kim Jong Il.",
        "A group of Korean residents in Japan came to celebrate the 60th anniversary of the DPRK.",
    ],
)
def test_compatriots_abroad_mark_their_own_anniversary(text: str) -> None:
    assert of_type("anniversary", text) == []


# -- denunciations and visits read with their clause ---------------------------------------


def test_home_delegation_led_by_an_unknown_person_coming_back_visited_the_country_named() -> None:
    text = (
        "A delegation of the academy led by Pak Mun Chol came back home on Monday after taking part "
        "in a conference held in China."
    )
    assert of_type("visit", text) == [("PRK", "CHN")]


def test_abuse_after_a_clause_that_ends_with_a_country_is_not_of_that_country() -> None:
    text = "When a disease broke out in China this year, the traitor sent a group there for form's sake."
    assert of_type("denounce", text) == []


def test_abuse_after_a_preposition_is_not_of_the_country_before_it() -> None:
    text = "The concert was a song of victory of Syria over the imperialists in acute showdown with them."
    assert of_type("denounce", text) == []


def test_the_side_abuse_is_aimed_against_is_its_victim_not_its_target() -> None:
    # "aggression against the DPRK" in a foreign voice abuses the aggressor, not the DPRK
    # (through the real entity reader)
    on = dt.date(2012, 7, 2)
    for body, wanted in [
        ("The chairman of the Communist Party of Syria said the U.S. policy of aggression must stop.", {"USA"}),
        (
            "The chairman of the Communist Party of Syria recalled that the allied forces staged a war of aggression on the DPRK.",
            set(),
        ),
    ]:
        text = "Statement Issued\n\n" + body
        found = find_events(text, find_mentions(text, Actors.load(), on), on)
        assert {e.target.country for e in found if e.type == "denounce"} == wanted, body


def test_the_country_whose_airspace_is_violated_is_no_target() -> None:
    assert of_type("denounce", "U.S. Drone Violation of Iran's Airspace Flayed") == [("PRK", "USA")]
    text = "Syria strongly denounced the U.S. drone violation of Iran's territorial airspace."
    assert of_type("denounce", text) == [("SYR", "USA")]


def test_a_visit_reported_in_a_clause_is_the_clause_subjects() -> None:
    text = "A society of Japan posted on its homepage the news that Kim Jong Un visited a factory."
    assert of_type("visit", text) == []


def test_a_visit_in_a_quoted_text_is_the_quoted_subjects() -> None:
    text = 'A society of Japan put up the explanation "Kim Jong Il visited a plant of China in 2011."'
    assert of_type("visit", text) == [("PRK", "CHN")]


# -- praise in a foreign voice ------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "The Syrian party leader wrote that the Songun politics of Kim Jong Il ensures the independence of the country.",
        "The Syrian party leader said that the DPRK is advancing along the road of Juche.",
        "The Syrian party leader said that the DPRK has grown strong under his leadership.",
        "The Syrian party leader said that the DPRK has created a history of victory and glory.",
        "The Syrian party leader expressed full support to the DPRK.",
        "The Syrian party leader said he was greatly amazed by what the DPRK has built.",
        "Only the Korean people can work such a miracle, the Syrian party leader said.",
        "The Syrian party leader said that he extended the highest respects to Kim Jong Un.",
    ],
)
def test_a_foreign_voice_on_the_leaders_idea_or_glory_praises_home(text: str) -> None:
    assert of_type("praise", text) == [("SYR", "PRK")]


def test_a_foreign_voice_praising_him_praises_the_home_person_named_last() -> None:
    # "his" in a foreign voice's laudatory words is the home leader the story named last
    text = (
        "Title\n\nThe Syrian party leader said that Kim Jong Il realized the desire of the people. "
        "Under his guidance socialism will emerge victorious, he added."
    )
    assert of_type("praise", text) == [("SYR", "PRK")]
    # not in home's own voice, and not without a home person named before
    assert of_type("praise", "Title\n\nKim Jong Il visited a farm. Under his guidance it grew.") == []
    assert of_type("praise", "Title\n\nThe Syrian party leader spoke. Under his guidance it grew, he added.") == []


def test_a_speaker_named_by_post_after_the_verb_speaks() -> None:
    # "…, said the vice-chairman of X": X's voice, as "…, said X"
    text = "Title\n\nThanks to the Songun politics of Kim Jong Il the DPRK has advanced, said the chairman of a party of Syria."
    assert of_type("praise", text) == [("SYR", "PRK")]
    # "X, chairman of …, said the might of the WPK …": what is said, not who says it
    text = "Title\n\nThe party leader of Syria said the great might of the Workers' Party of Korea is invincible."
    assert of_type("praise", text) == [("SYR", "PRK")]


def test_the_year_of_juche_is_no_praise() -> None:
    text = "The Syrian party leader said that the DPRK will hold the meeting in Juche 101 (2012)."
    assert of_type("praise", text) == []


def test_the_idea_in_a_bodys_name_is_no_praise() -> None:
    """ "Juche" in "… for the Study of the Juche Idea" names a body: its delegation's arrival is
    what the chairman reports, not a laudatory statement (through the real entity reader)."""
    text = (
        "Delegation Arrives\n\nThe chairman of the Nigerian National Committee for the Study of the "
        "Juche Idea said that the DPRK ambassador met him in Abuja on Monday."
    )
    on = dt.date(2012, 7, 2)
    found = find_events(text, find_mentions(text, Actors.load(), on), on)
    assert "praise" not in {e.type for e in found}


# -- threats of harm to come --------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "menaced"),
    [
        ("We will make a clean sweep of the U.S. forces and their followers.", "USA"),
        ("The U.S. will have to drink a bitter cup of defeat in the new Cold War.", "USA"),
        ("The Japanese reactionaries would only face disgraceful destruction if they go reckless.", "JPN"),
        ("The army will deal a deadly counter-strike at the south Korean warmongers.", "KOR"),
        ("The army is on alert to launch an over-all counter attack at the U.S. forces.", "USA"),
        ("If the U.S. fires even a single shell, the DPRK will immediately deal counter-blows.", "USA"),
    ],
)
def test_harm_announced_to_a_side_is_a_threat(text: str, menaced: str) -> None:
    assert ("PRK", menaced) in of_type("threaten", text)


def test_where_compatriots_live_is_not_the_side_they_warn() -> None:
    assert of_type("threaten", "Koreans in China pledge to settle accounts with Japan.") == [("PRK", "JPN")]


def test_a_strike_made_in_the_past_is_no_threat() -> None:
    assert of_type("threaten", "Syria denounced the deadly strike by the U.S. air force.") == []


def test_abuse_right_before_of_and_a_side_is_that_sides() -> None:
    text = "Title\n\nHowever, the U.S. imperialists and the puppet clique of south Korea held the elections."
    assert of_type("denounce", text) == [("PRK", "KOR"), ("PRK", "USA")]


def test_a_side_that_carried_out_something_is_not_speaking() -> None:
    # "carried" is a speech verb of the media ("the paper carried"): "carried out" is no speech,
    # and the abuse after it stays in the story's voice
    text = "Title\n\nThe U.S. imperialists carried out the elections in Iran."
    assert ("PRK", "USA") in of_type("denounce", text)


def test_abuse_of_a_pair_denounces_both() -> None:
    text = "The U.S. and south Korean warmongers staged a drill for a preemptive attack."
    assert of_type("denounce", text) == [("PRK", "KOR"), ("PRK", "USA")]


def test_abuse_after_a_list_of_places_is_of_none_but_the_last() -> None:
    text = "The U.S. wages secret wars with drones in Pakistani villages, Iran and China, the criminals."
    assert ("PRK", "IRN") not in of_type("denounce", text)


# -- conduct blamed on a side ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "blamed"),
    [
        ("The U.S. forces in Iran are killing civilians under the pretext of anti-terrorism.", "USA"),
        ("Japan is interfering in the internal affairs of China.", "JPN"),
        ("U.S. Drone Kills 4 in Pakistani Village", "USA"),
        ("The south Korean authorities were seeking two Koreas in violation of the joint statement.", "KOR"),
    ],
)
def test_conduct_the_voice_attributes_to_a_side_denounces_it(text: str, blamed: str) -> None:
    assert of_type("denounce", text) == [("PRK", blamed)]


@pytest.mark.parametrize(
    "text",
    [
        # the victims are no doers
        "Pakistanis were killed under the pretext of anti-terrorism by drones.",
        # a side named after the sentence's opening is no subject
        "In Japan heavy snowfall kills 56 people.",
        # a critic's accusation is the critic's, read by the critic's verb
        "Iran accused Japan of killing civilians under the pretext of anti-terrorism.",
    ],
)
def test_conduct_of_no_subject_denounces_nobody_in_the_voice(text: str) -> None:
    assert ("PRK", "JPN") not in of_type("denounce", text)
    assert ("PRK", "PAK") not in of_type("denounce", text)


def test_a_visitor_named_with_an_apposition_after_a_preposition_visits() -> None:
    """ "from X, <title> of a body on a visit to the DPRK": the visit is X's, though a
    preposition comes before the name (through the real entity reader, which gives X the
    apposition's country, not the country visited)."""
    text = (
        "Gift\n\nKim Jong Il received a gift from Pratap Singh, chairman of the "
        "Indian Society for the Study of the Juche Idea on a visit to the DPRK."
    )
    on = dt.date(2011, 6, 1)
    found = find_events(text, find_mentions(text, Actors.load(), on), on)
    assert ("visit", "IND", "PRK") in {(e.type, e.actor.country, e.target.country) for e in found}


# -- an anniversary marked abroad, where it was marked listed after it -----------------------


@pytest.mark.parametrize(
    "text",
    [
        "Events took place in different countries between July 18 and 23 to mark the anniversary of the Workers' "
        "Party of Korea. They included meetings in Syria and Japan and a film show in China.",
        "Events were held in different countries to mark the anniversary of the Workers' Party of Korea. Lectures "
        "were given in Syria and Japan and a seminar held in China between July 18 and 23.",
        "The anniversary of the Workers' Party of Korea was marked in foreign countries from July 18 to 23. DPRK "
        "book, photo and handicraft exhibitions were held in Syria and Japan and a film show in China.",
    ],
)
def test_the_places_listed_after_an_occasion_marked_abroad_mark_it(text: str) -> None:
    assert of_type("anniversary", text) == [("CHN", "PRK"), ("JPN", "PRK"), ("SYR", "PRK")]


def test_the_places_listed_on_several_days_mark_it_in_the_month() -> None:
    text = (
        "Events were held in different countries to mark the anniversary of the Workers' Party of Korea. Lectures "
        "were given in Syria and Japan and a seminar held in China on July 18 and 23."
    )
    # which day is whose the list does not say: each country's is the month (D7)
    assert {e[3:] for e in events(text, ON) if e[0] == "anniversary"} == {("2018-07-01", "month")}


def test_the_occasion_of_another_event_lists_no_marking() -> None:
    # the guests of a meeting at a festival for the birthday: their list is no list of places marking it
    text = (
        "Kim Yong Nam met delegations of different countries participating in the festival for celebrating the "
        "birthday of Kim Il Sung. They included a delegation of Syria and Japanese guests."
    )
    assert of_type("anniversary", text) == []


def test_a_name_owns_the_birthday_it_is_the_possessor_of() -> None:
    assert pairs("A meeting was held in Russia on Feb. 10 to celebrate Kim Jong Il's birthday.") == [
        ("anniversary", "RUS", "PRK")
    ]
    # the owner's own celebration, as for "the anniversary of"
    text = "A Chinese officer was moved by the might of the Workers' Party of Korea at the rally marking Kim Il Sung's birthday."
    assert of_type("anniversary", text) == []


def test_one_side_marking_one_anniversary_told_twice_is_one_event() -> None:
    text = (
        "Title\n\nBulletins were published in Syria on August 22 to mark the 52nd anniversary of the DPRK. "
        "A study group of Syria carried an article for the anniversary of the DPRK."
    )
    assert [e for e in events(text, ON) if e[0] == "anniversary"] == [
        ("anniversary", "SYR", "PRK", "2018-08-22", "day")
    ]


def test_a_home_occasion_told_without_a_side_is_what_the_tributes_after_it_mark() -> None:
    text = (
        "Media of different countries carried special write-ups on the 58th anniversary of the Korean people's "
        "victory in the Fatherland Liberation War. A Syrian paper on July 15 carried an article with a photo of "
        "Kim Il Sung."
    )
    assert sorted(pairs(text)) == [("anniversary", "SYR", "PRK"), ("praise", "SYR", "PRK")]


# -- gifts and letters, and abuse that is never home's ----------------------------------------


def test_a_letter_received_on_a_day_from_unnamed_senders_is_theirs_once_listed() -> None:
    text = (
        "Kim Jong Un received a letter on March 17 from the participants in a joint seminar of political parties. "
        "They included the chairman of a party of Syria and Japanese figures."
    )
    assert of_type("message", text) == [("JPN", "PRK"), ("SYR", "PRK")]


def test_a_gift_sent_to_the_leader_by_a_side_is_its_message() -> None:
    text = "Exhibited at the house is a dagger sent to Kim Jong Il by a delegation of Russia in 1998."
    assert pairs(text) == [("message", "RUS", "PRK")]


def test_words_of_abuse_in_a_foreign_voice_do_not_abuse_home() -> None:
    text = "A Syrian paper said: Kim Jong Il defeated the imperialists' moves against the DPRK."
    assert of_type("denounce", text) == []
    # "provocation" is said of home by its adversaries too
    assert of_type("denounce", "The U.S. called the DPRK's launch one of vast provocations.") == [("USA", "PRK")]


# -- support, the verb ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "The government and people of Syria support the DPRK government and people in their just cause.",
        "The president of Syria fully supported the DPRK in its struggle.",
        "The Syrian party made public a statement on May 18 in support of the white paper of the DPRK.",
        "The proposal of the DPRK was supported by the Syrian party.",
    ],
)
def test_a_side_that_supports_another_praises_it(text: str) -> None:
    assert of_type("praise", text) == [("SYR", "PRK")]


@pytest.mark.parametrize(
    "text",
    [
        "The U.S.-supported regime of Japan staged a drill.",
        "The party of Syria was supported and trusted by the Chinese people.",
        "Delegates of organizations for supporting the reunification of Korea from Japan arrived.",
    ],
)
def test_support_as_a_modifier_or_in_the_passive_is_no_praise_by_who_is_named_before(text: str) -> None:
    assert of_type("praise", text) == []


def test_a_side_supported_by_another_is_praised_by_it() -> None:
    assert of_type("praise", "The party of Syria is widely supported by the Chinese people.") == [("CHN", "SYR")]


def test_praise_with_no_object_goes_back_only_to_home() -> None:
    # a foreign side named before praise without an object is rather its setting or speaker:
    # the Chinese chairman praises Kim Il Sung, not Kim Il Sung China
    text = "The chairman of a Chinese party said Kim Il Sung always supported the progressive people of the world."
    assert of_type("praise", text) == [("CHN", "PRK")]
    text = (
        "The general secretary of a party of Japan noted that Kim Il Sung wisely led the movement and supported "
        "the progressive people in their struggle."
    )
    assert of_type("praise", text) == []


# -- what came from the sides named after ---------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Floral baskets came from the leader of a party of Syria and the mayor of a city of Japan.",
        "Laid before the portrait of Kim Il Sung were floral baskets from the embassies of Syria and Japan.",
        "Congratulations were sent from the ambassadors of Syria and Japan to the DPRK.",
    ],
)
def test_what_came_from_the_sides_named_after_was_sent_to_home(text: str) -> None:
    assert of_type("message", text) == [("JPN", "PRK"), ("SYR", "PRK")]


@pytest.mark.parametrize(
    "text",
    [
        # sent on to another side, or home's own wreaths at a foreign embassy
        "Greetings from the president of Syria to the U.S. president were read out.",
        "Laid before the portrait of the deceased were wreaths from the DPRK and from the embassy of Syria.",
        "Condolence messages came to the embassy of Japan from parties of Syria.",
    ],
)
def test_what_came_from_home_or_went_on_elsewhere_was_not_sent_to_home(text: str) -> None:
    assert ("SYR", "PRK") not in of_type("message", text)


def test_a_message_received_from_coordinated_senders_is_each_ones() -> None:
    assert of_type("message", "Kim Jong Il received letters from the ambassadors of Syria and Japan.") == [
        ("JPN", "PRK"),
        ("SYR", "PRK"),
    ]


@pytest.mark.parametrize(
    ("text", "wanted"),
    [
        # "in Japan" is part of each body's name (the actor data's Chongryon, a body by its
        # shape): the body alone sent it
        ("from the General Association of Korean Residents in Japan (Chongryon)", []),
        ("from the Association of Chinese Residents in Japan", [("CHN", "PRK")]),
    ],
)
def test_a_side_named_inside_the_senders_name_is_no_second_sender(text: str, wanted: list[tuple[str, str]]) -> None:
    text = f"Kim Jong Il received a letter {text} on March 25."
    on = dt.date(2011, 3, 28)
    found = find_events(text, find_mentions(text, Actors.load(), on), on)
    assert sorted((e.actor.country, e.target.country) for e in found if e.type == "message") == wanted


@pytest.mark.parametrize(
    "text",
    [
        # two things received together
        "Kim Jong Il received the personal letter and a gift from the president of Syria.",
        # messages that "came to" a home body "from" the senders
        "Condolence messages came to the Central Committee of the Workers' Party of Korea from parties of Syria.",
    ],
)
def test_what_came_to_home_from_a_side_is_its_message(text: str) -> None:
    assert pairs(text) == [("message", "SYR", "PRK")]


@pytest.mark.parametrize(
    "title",
    [
        "Hezbollah Condemns U.S. Sanctions on Syria",
        "AL General Secretary Condemns U.S. Obstructions",
        "Abbas Slams U.S. Plan",
    ],
)
def test_a_headline_critic_the_data_do_not_know_is_not_home(title: str) -> None:
    # the body names the critic; home's voice says none of it
    assert [p for p in pairs(f"{title}\n\nThe statement was issued on Monday.") if p[0] == "denounce"] == []


@pytest.mark.parametrize(
    "title",
    [
        "Foreign Ministry Spokesman Denounces U.S. Attack on Syria",
        "Korean People Condemn U.S. War Exercise",
        "Papers Condemn U.S. Moves",
    ],
)
def test_a_headline_critic_that_is_home_s_own_speaker_is_home(title: str) -> None:
    assert ("denounce", "PRK", "USA") in pairs(f"{title}\n\nThe statement was issued on Monday.")


@pytest.mark.parametrize(
    "title",
    [
        "U.S. Drone Violation of Iran's Airspace Flayed",
        "U.S. Accused of Obstructing Peace",
        "U.S. Sanctions Denounced",
    ],
)
def test_a_headline_that_names_no_critic_relays_the_critic_its_lead_names(title: str) -> None:
    # the lead says who denounced: KCNA relays it, and home denounces nothing
    lead = "The Iranian representative in a letter on Monday strongly denounced the U.S. for its drone flights."
    found = [p for p in pairs(f"{title}\n\n{lead}") if p[0] == "denounce"]
    assert found == [("denounce", "IRN", "USA")]


@pytest.mark.parametrize(
    ("title", "lead"),
    [
        # home denounces the target in the body too: the headline is home's
        (
            "U.S. Sanctions Denounced",
            "The Iranian representative on Monday denounced the U.S. sanctions. "
            "The DPRK also denounced the U.S. for its sanctions.",
        ),
        # a headline naming home's own speaker
        (
            "Foreign Ministry Spokesman Denounces U.S. Sanctions",
            "The Iranian representative on Monday denounced the U.S. sanctions.",
        ),
        # the critic is named only after the lead: the headline keeps its reading
        (
            "U.S. Sanctions Denounced",
            "The sanctions took effect on Monday. The Iranian representative denounced the U.S. sanctions.",
        ),
    ],
)
def test_a_headline_without_a_critic_stays_home_s_unless_its_lead_names_another(title: str, lead: str) -> None:
    assert ("denounce", "PRK", "USA") in pairs(f"{title}\n\n{lead}")


def test_a_press_conference_in_the_lead_makes_its_holder_the_story_s_voice() -> None:
    # KCNA relays what the south Korean federation says: the critic is the federation
    text = (
        "Japan's Apology Urged in S. Korea\n\nA south Korean federation held a press conference in Seoul "
        "on Monday urging Japan to apologise. It urged Japan, a war criminal state, to make apology."
    )
    assert [p for p in pairs(text) if p[0] == "denounce"] == [("denounce", "KOR", "JPN")]


def test_a_speaker_after_a_headline_s_colon_is_the_story_s_voice() -> None:
    # the lead reports the U.S. commander's words; the story is Rodong Sinmun's, home's
    text = (
        "U.S. Moves Slammed: Rodong Sinmun\n\nThe commander of the U.S. fleet called the DPRK a country of "
        "concern at a press conference. This is a provocation of the U.S. imperialists."
    )
    assert ("denounce", "PRK", "USA") in pairs(text)


def test_a_country_before_a_headline_s_colon_is_the_story_s_place_not_its_voice() -> None:
    text = (
        "Japan: Protesters Arrested\n\nThe police of Japan on Monday arrested members of civic groups. "
        "The Japan reactionaries are criminals."
    )
    assert pairs(text) == [("denounce", "PRK", "JPN")]


def test_an_abusive_word_is_not_said_by_a_voice_home_denounced() -> None:
    # after the U.S. official's words, "puppet" is the commentary's own word again
    text = (
        "Rodong Sinmun Slams U.S. War Moves\n\nThe U.S. assistant secretary said on Monday that they will "
        "respond. These words are being echoed by the south Korean puppet regime."
    )
    found = [p for p in pairs(text) if p[0] == "denounce"]
    assert ("denounce", "PRK", "KOR") in found
    assert ("denounce", "USA", "KOR") not in found


def test_an_abusive_word_in_a_friendly_voice_stays_the_voice_s() -> None:
    # a Chinese speaker the story does not denounce: the words are the speaker's
    text = (
        "Chinese Paper on Korean War\n\nA Chinese paper said on Monday that the war was started by the U.S. "
        "The U.S. imperialists were defeated."
    )
    assert ("denounce", "CHN", "USA") in pairs(text)


@pytest.mark.parametrize(
    ("between", "threatened"),
    [
        ("", [("PRK", "KOR"), ("PRK", "USA")]),
        # the sentence that denounced last is who "they" are
        ("The Japan reactionaries are criminals. ", [("PRK", "JPN")]),
        # unless the threat calls them what an earlier denunciation did ("the warmongers")
        ("The Japan reactionaries are criminals. If the warmongers dare provoke, ", [("PRK", "KOR"), ("PRK", "USA")]),
        ("The Japan reactionaries are criminals. If the enemy dares provoke, ", [("PRK", "JPN")]),
    ],
)
def test_a_threat_that_names_nobody_is_to_every_side_last_denounced_together(
    between: str, threatened: list[tuple[str, str]]
) -> None:
    text = (
        "KCNA Commentary on War Drills\n\nThe U.S. and south Korean warmongers staged a war drill on Monday. "
        f"{between}They will have to pay a dear price for such provocations."
    )
    assert of_type("threaten", text) == threatened


def test_hailing_from_a_place_is_no_praise() -> None:
    assert pairs("The Chinese official hailed from the same village as Kim Jong Un.") == []
    assert pairs("The Chinese official hailed Kim Jong Un.") == [("praise", "CHN", "PRK")]


@pytest.mark.parametrize(
    ("text", "praised"),
    [
        ("A Chinese official said that the Korean people are advancing under the guidance of the great leaders.", True),
        ("A Chinese official said that Korea has become a military power led by great leaders.", True),
        # Koreans abroad, the south, or another side: not home
        ("A Chinese official said that Koreans in China hold the great leaders in high esteem.", False),
        ("A Chinese official said that the south Korean people revere the great leaders.", False),
        ("A Chinese official said that the Chinese people revere the great leaders.", False),
    ],
)
def test_korea_alone_in_a_foreign_voice_s_praise_is_home(text: str, praised: bool) -> None:
    assert (("praise", "CHN", "PRK") in pairs(text)) is praised


def test_the_body_a_side_speaks_before_is_its_audience_not_its_target() -> None:
    # with the real actor data: "before the World Trade Organization" is where it spoke
    on = dt.date(2012, 2, 29)
    text = (
        "Cuba at WTO\n\nCuba denounced on Wednesday before the World Trade Organization the blockade "
        "imposed by the United States."
    )
    found = find_events(text, find_mentions(text, Actors.load(), on), on)
    assert [(e.type, e.actor.country, e.target.country) for e in found] == [("denounce", "CUB", "USA")]


@pytest.mark.parametrize(
    "text",
    [
        "The Russian delegation visited the palace on Monday to pay homage to President Kim Il Sung.",
        "Chinese Delegation Pays Tribute to Kim Il Sung and Kim Jong Il",
        "The Russian governor and his party paid homage to Kim Il Sung.",
        "The Chinese guests laid flowers, paying highest tribute to Kim Jong Un.",
    ],
)
def test_tribute_and_homage_paid_in_any_form_are_praise(text: str) -> None:
    praiser = "CHN" if "Chinese" in text else "RUS"
    assert of_type("praise", text) == [(praiser, "PRK")]


@pytest.mark.parametrize(
    ("text", "visit"),
    [
        ("DPRK Premier Arrives in Beijing", ("PRK", "CHN")),
        (
            "The DPRK delegation left here by air on Monday to take part in the games under way in London.",
            ("PRK", "GBR"),
        ),
        ("The DPRK delegation flew back home after the Olympic games held in London.", ("PRK", "GBR")),
        ("The U.S. Secretary of State held talks during her visit to Seoul.", ("USA", "KOR")),
    ],
)
def test_a_capital_named_as_the_place_is_where_a_visit_goes(text: str, visit: tuple[str, str]) -> None:
    assert of_type("visit", text) == [visit]


def test_a_capital_after_the_place_visited_is_no_place_of_the_visit() -> None:
    # the embassy is the place visited, a country named before the capital is where
    assert of_type("visit", "Kim Yong Nam visited the DPRK embassy in Beijing.") == []


def test_the_abuse_after_flowers_laid_is_the_story_s_not_the_guests() -> None:
    text = (
        "Chinese Delegation Lays Wreath\n\nA delegation of China laid a wreath before the Friendship Tower.\n\n"
        "They honoured the fighters who fought against the U.S. imperialists' invasion."
    )
    assert of_type("denounce", text) == [("PRK", "USA")]
    # what the guests say is theirs
    text = (
        "Chinese Delegation Lays Wreath\n\nA delegation of China laid a wreath before the Friendship Tower.\n\n"
        "The head of the delegation of China said the U.S. imperialists' invasion failed."
    )
    assert of_type("denounce", text) == [("CHN", "USA")]


def test_tribute_paid_to_them_honours_whom_the_story_is_about() -> None:
    text = (
        "Chinese Guests Visit Statues of Kim Il Sung and Kim Jong Il\n\n"
        "A delegation of China laid a floral basket before the statues and paid tribute to them."
    )
    assert of_type("praise", text) == [("CHN", "PRK")]


def test_a_threat_to_a_pair_named_after_it_menaces_both() -> None:
    text = "Rodong Sinmun Commentary\n\nThe DPRK will deal an annihilating blow to the U.S. and south Korean forces."
    assert of_type("threaten", text) == [("PRK", "KOR"), ("PRK", "USA")]


# -- the readings of fresh5-dev (drawn after six rounds) --------------------------------


def test_what_the_guests_head_says_after_his_visit_is_the_guests_praise() -> None:
    # the sentence that says who speaks names nobody, the next one is theirs
    text = (
        "A Chinese delegation visited Mangyongdae, birthplace of Kim Il Sung, on Saturday.\n\n"
        "The head of the delegation said after his visit:\n\n"
        "Kim Il Sung devoted his all for the liberation of the country."
    )
    assert of_type("praise", text) == [("CHN", "PRK")]


@pytest.mark.parametrize(
    "words",
    [
        "Kim Il Sung was a close friend of the Chinese people",
        "Kim Il Sung was a true leader of the people",
        "I came to know well about the revolutionary life of Kim Il Sung",
    ],
)
def test_a_foreign_guest_s_words_of_a_leader_s_life_are_praise(words: str) -> None:
    text = f"A Chinese delegation visited Mangyongdae.\n\nThe head of the delegation of China said that {words}."
    assert of_type("praise", text) == [("CHN", "PRK")]


def test_the_great_career_of_the_president_is_that_of_the_home_person_named_last() -> None:
    text = (
        "A Chinese delegation visited the old home of Kim Il Sung.\n\n"
        "The head of the delegation wrote in a visitor's book that he got to know better about the great career"
        " of the President."
    )
    assert of_type("praise", text) == [("CHN", "PRK")]


@pytest.mark.parametrize(
    "sentence",
    [
        "The south Korean puppet group will face a stern punishment for its hideous crimes.",
        "The south Korean puppet group would not be able to escape merciless punishment.",
        "In case of another war no aggressors of south Korea will be able to go back alive.",
        "The south Korean puppet group is sadly mistaken if it thinks the DPRK will sit idle.",
        "Such a war by south Korea will lead it to self-destruction.",
    ],
)
def test_harm_announced_in_the_dprk_s_formulas_is_a_threat(sentence: str) -> None:
    assert of_type("threaten", f"Rodong Sinmun Commentary\n\n{sentence}") == [("PRK", "KOR")]


def test_a_friend_of_home_threatens_neither_home_nor_the_side_wronged() -> None:
    # the DPRK, after "against", is whom the exercises wrong; the U.S. is warned
    text = (
        "Parties of China issued a joint statement on August 22.\n\n"
        "The U.S. that kicked off the exercises for a war against the DPRK would not be able to escape merciless"
        " punishment, the joint statement said."
    )
    assert of_type("threaten", text) == [("CHN", "USA")]


def test_the_joint_statement_said_carries_the_voice_of_the_statement() -> None:
    # "the joint statement said" is the statement speaking, not the U.S. named before it
    text = (
        "Parties of China issued a joint statement on August 22.\n\n"
        "UFG is a war rehearsal of the allies of the U.S., the joint statement said, and went on:\n\n"
        "The U.S. and the south Korean puppet regime should stop their reckless war maneuvers."
    )
    assert of_type("denounce", text) == [("CHN", "KOR"), ("CHN", "USA")]


def test_a_speaker_no_text_ties_to_a_country_speaks_on_in_the_story_s_voice() -> None:
    text = (
        "Officials in DPRK Vow to Wipe Out Invaders\n\n"
        "The order made the officials across the DPRK aboil with the will to defend the country.\n\n"
        "Pak Mun Chol, chairman of a county people's committee, said:\n\n"
        "The people of the county will mercilessly wipe out the U.S. imperialists and their stooges."
    )
    assert of_type("denounce", text) == [("PRK", "USA")]


def test_a_side_whose_dignity_is_violated_is_no_target_of_the_denunciation() -> None:
    text = (
        "A body of China issued a statement to denounce the U.S. for violating the sovereignty and dignity of the DPRK."
    )
    assert of_type("denounce", text) == [("CHN", "USA")]


def test_what_a_verb_of_support_names_is_no_object_of_a_denunciation() -> None:
    text = (
        "Parties of China issued a statement.\n\n"
        "We bitterly denounce the provocations of the U.S. and positively support the statement of the DPRK,"
        " the statement said."
    )
    assert of_type("denounce", text) == [("CHN", "USA")]


def test_a_name_inside_the_body_that_acts_is_no_second_actor() -> None:
    # "Korean" inside the association's name is no side of its own beside the body
    text = (
        "The British Branch of the Korean Friendship Association issued a statement on August 10 denouncing the"
        " U.S. joint military exercises."
    )
    on = dt.date(2012, 8, 15)
    found = find_events(text, find_mentions(text, Actors.load(), on), on)
    assert sorted((e.actor.country, e.target.country) for e in found if e.type == "denounce") == [("GBR", "USA")]


@pytest.mark.parametrize("occasion", ["Korea's liberation", "the liberation of Korea"])
def test_korea_s_liberation_is_home_s_anniversary(occasion: str) -> None:
    # "Korea" alone is no mention of home (GUIDE C3), but the day is home's
    text = f"A Chinese paper carried a special write-up on the 66th anniversary of {occasion}."
    assert of_type("anniversary", text) == [("CHN", "PRK")]


def test_the_lead_s_critic_after_by_is_the_story_s_voice() -> None:
    # the subject the lead names first is the criticised, not the one who speaks
    text = (
        "Minju Joson Blames S. Korea\n\n"
        "The south Korean puppet group came under fire by a bylined commentary of Rodong Sinmun Friday for its"
        " moves.\n\nThe group's wild acts of treachery are aimed to achieve collusion with the U.S. imperialists."
    )
    assert of_type("denounce", text) == [("PRK", "KOR"), ("PRK", "USA")]


def test_blaming_is_a_charge_and_home_charged_is_no_adversary_of_home() -> None:
    text = (
        "Rodong Sinmun Commentary\n\nThe U.S. imperialists staged war drills.\n\n"
        "Japan keeps blaming the DPRK's satellite launch.\n\n"
        "They are sadly mistaken if they think the DPRK will sit idle."
    )
    assert of_type("denounce", text) == [("JPN", "PRK"), ("PRK", "USA")]
    # the warning is to the side home denounced last, not to home, whom Japan blamed
    assert of_type("threaten", text) == [("PRK", "USA")]


def test_harm_announced_to_sides_named_together_menaces_each() -> None:
    text = (
        "Rodong Sinmun Commentary\n\nIf the U.S. imperialists and south Korean group of traitors fire even a bullet"
        " at the DPRK, its army will deal telling blows."
    )
    assert of_type("threaten", text) == [("PRK", "KOR"), ("PRK", "USA")]


# -- the eighth round ----------------------------------------------------------------------


def test_the_places_listed_after_unnamed_events_mark_the_occasion_they_were_for() -> None:
    # the tributes (7.2) were paid for the anniversary too (E11)
    text = (
        "Events took place in various countries to pay tribute to Kim Jong Il and observe the 15th anniversary of"
        " the Korean people's victory. They included meetings and lectures in Syria, Iran and Russia between July"
        " 25 and 27."
    )
    marking = [("IRN", "PRK"), ("RUS", "PRK"), ("SYR", "PRK")]
    assert of_type("praise", text) == marking
    assert of_type("anniversary", text) == marking


def test_messages_for_an_occasion_from_senders_listed_after_are_no_marking_of_it() -> None:
    text = (
        "Kim Jong Un received congratulatory messages from personages of various countries on the 64th anniversary"
        " of the Korean people's victory. They included the chairman of a party of Syria and a party of Russia."
    )
    assert of_type("message", text) == [("RUS", "PRK"), ("SYR", "PRK")]
    assert of_type("anniversary", text) == []


def test_a_post_that_closes_a_clause_speaks_in_the_voice_before_it() -> None:
    # "the deputy general secretary" is the Chinese speaker before, not the U.S. the words name
    text = (
        "The deputy general secretary of the Communist Party of China said at a meeting that the Korean people"
        " are advancing.\n\nThe Korean people defeated the U.S. imperialists under the wise leadership of Kim Il"
        " Sung, the deputy general secretary noted."
    )
    assert of_type("praise", text) == [("CHN", "PRK")]
    assert of_type("denounce", text) == [("CHN", "USA")]


def test_the_guests_head_named_after_the_words_speaks_for_the_guests() -> None:
    text = (
        "Kim Yong Nam met a Chinese youth delegation on Thursday.\n\nThe two countries are friendly neighbors, the"
        " head of the delegation said.\n\nHe hoped the Korean youth would register great successes under the wise"
        " leadership of Kim Jong Un."
    )
    assert of_type("praise", text) == [("CHN", "PRK")]


@pytest.mark.parametrize(
    "text",
    [
        "As long as the U.S. threat to the DPRK goes on, it will bolster its deterrent, the statement concluded.",
        "China will support the DPRK in its struggle against the U.S., he concluded.",
        "A peace treaty should be concluded between the DPRK and the U.S., the bulletin said.",
    ],
)
def test_concluding_words_or_a_treaty_wished_for_is_no_agreement(text: str) -> None:
    assert of_type("agreement", text) == []


@pytest.mark.parametrize(
    "text",
    [
        'The U.S. concluded the unequal "Korea-U.S. Treaty" with Japan in 1882.',
        "A series of agreements are being concluded between the U.S. and south Korea.",
        "The DPRK and Russia concluded a treaty of friendship.",
    ],
)
def test_a_treaty_concluded_is_an_agreement(text: str) -> None:
    assert len(of_type("agreement", text)) == 1


def test_a_participle_that_opens_the_sentence_is_done_by_its_subject() -> None:
    text = (
        "Praising Kim Il Sung as a great master of idea and the incarnation of benevolence, the chairman of the"
        " Communist Party of China said that he is always with the people."
    )
    assert of_type("praise", text) == [("CHN", "PRK")]


@pytest.mark.parametrize(
    ("text", "kind", "expected"),
    [
        # the president of the title is the unnamed subject: the DPRK of the opening sends nothing
        (
            "Availing himself of the opportunity of celebrating the anniversary of the DPRK, the president in his"
            " message extended warmest congratulations to Kim Jong Un.",
            "message",
            [],
        ),
        (
            "Upon the request of Russia, a delegation of the Chinese government visited the DPRK on Monday.",
            "visit",
            [("CHN", "PRK")],
        ),
    ],
)
def test_the_sides_of_an_opening_clause_do_not_act_after_it(
    text: str, kind: str, expected: list[tuple[str, str]]
) -> None:
    assert of_type(kind, text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "I extend warm greetings to you and, through you, to the Russian people on the occasion of the 67th"
        " anniversary of the DPRK.",
        "We extend congratulations to you in the name of the Communist Party of China on the occasion of the 64th"
        " anniversary of the DPRK.",
    ],
)
def test_greetings_for_an_occasion_are_no_marking_of_it(text: str) -> None:
    assert of_type("anniversary", text) == []


@pytest.mark.parametrize(
    "text",
    [
        "Despite the DPRK's warning the south Korean warmongers are staging provocations near the islands.",
        "The U.S. and south Korean regime, disregarding the DPRK's warning, kicked off the joint military drill.",
    ],
)
def test_a_warning_recalled_as_ignored_is_no_threat_made_now(text: str) -> None:
    assert of_type("threaten", text) == []


def test_flowers_sent_to_a_site_here_are_a_message_without_a_visit() -> None:
    text = "A party of China sent a floral basket to the statues of Kim Il Sung and Kim Jong Il on Mansu Hill."
    assert pairs(text) == [("message", "CHN", "PRK")]


def test_home_wronged_by_a_provocation_is_not_its_author() -> None:
    text = (
        "Parties of China issued a statement denouncing the south Korean regime.\n\n"
        "This is an infringement upon the sovereignty of the DPRK and a grave provocation against it."
    )
    assert of_type("denounce", text) == [("CHN", "KOR")]


def test_harm_the_sides_plan_against_home_is_no_warning_to_them() -> None:
    text = (
        "Rodong Sinmun Commentary\n\nThe U.S., Japan and south Korea set it as their immediate goal to launch a war"
        " against the DPRK."
    )
    assert of_type("threaten", text) == []


def test_a_list_of_senders_goes_on_in_the_sentences_that_carry_it_on() -> None:
    text = (
        "Kim Jong Un received congratulatory messages and letters from different countries.\n\n"
        "Among them were the president of Syria and the chairman of a party o\n\n"
        "f China.\n\n"
        "They also came from the chairman of a party of Iran.\n\n"
        "Among the senders of those congratulations were officials of Japan."
    )
    assert of_type("message", text) == [("CHN", "PRK"), ("IRN", "PRK"), ("JPN", "PRK"), ("SYR", "PRK")]


def test_the_recipients_listed_after_home_s_messages_receive_them() -> None:
    text = (
        "Kim Jong Un sent messages to heads of state of different countries in reply to their messages.\n\n"
        "They were the Russian president, the Chinese president and the president of Syria.\n\n"
        "He also sent similar messages to the prime minister of Japan."
    )
    assert of_type("message", text) == [("PRK", "CHN"), ("PRK", "JPN"), ("PRK", "RUS"), ("PRK", "SYR")]


@pytest.mark.parametrize(
    "text",
    [
        "Kim Jong Un received congratulatory messages and letters from various countries.\n\n"
        "The messages and letters were from the chairman of a party of Syria and the president of Iran.",
        "Kim Jong Un received messages expressing deep condolences on the demise of Kim Jong Il from party leaders"
        " of many countries.\n\nThe senders include the chairman of a party of Syria and the president of Iran.",
        # a list cut by a paragraph break in the middle of a name goes on after it
        "Kim Jong Un received congratulatory messages from different countries.\n\nAmong them were the president of"
        " Iran, director of the\n\nCommunist Party of Syria.",
    ],
)
def test_the_senders_listed_in_other_words_send_the_messages(text: str) -> None:
    assert of_type("message", text) == [("IRN", "PRK"), ("SYR", "PRK")]


def test_gifts_handed_over_are_no_list_of_senders() -> None:
    text = (
        "Kim Jong Un received gifts from personages of different countries.\n\n"
        "The gifts were handed over to officials of the DPRK missions in Syria."
    )
    assert of_type("message", text) == []


def test_new_year_cards_sent_are_messages() -> None:
    text = (
        "Kim Jong Un sent New Year's cards and messages to foreign political party and state leaders.\n\n"
        "They included the president of China and the president of Syria."
    )
    assert of_type("message", text) == [("PRK", "CHN"), ("PRK", "SYR")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Russia Chides U.S. Moves for Missile Shield", [("RUS", "USA")]),
        ("Iran Refutes U.S. Accusations", [("IRN", "USA")]),
        ("China Slashes at Japan's Release of Contaminated Water", [("CHN", "JPN")]),
        # a passive headline's critic after "by", or after a dash or a colon
        ("U.S. Report Refuted by China", [("CHN", "USA")]),
        ('U.S. "Engagement" Policy Slashed--Rodong Sinmun', [("PRK", "USA")]),
        ("Japan's Moves Slammed: China's Paper", [("CHN", "JPN")]),
        # no side censured, no critic named after "by"
        ("Military Drill Censured by Organization of China", []),
        ("Japan's authorities are ridiculed by the world people as a dwarf kowtowing to the U.S.", []),
    ],
)
def test_the_words_of_censure_and_who_says_them(text: str, expected: list[tuple[str, str]]) -> None:
    assert of_type("denounce", text) == expected


def test_what_a_side_warns_against_is_the_side_warned() -> None:
    assert of_type("threaten", "Russia Warns against U.S. Moves to Deploy MD") == [("RUS", "USA")]


def test_an_international_body_the_data_know_praises_as_an_international_side() -> None:
    text = (
        "Vishwanath, director-general of the International Institute of the Juche Idea, in his report said that"
        " Kim Il Sung was a gifted thinker and an outstanding leader."
    )
    on = dt.date(2012, 4, 10)
    found = find_events(text, find_mentions(text, Actors.load(), on), on)
    assert [(e.type, e.actor.country, e.target.country) for e in found] == [("praise", None, "PRK")]


def test_a_body_of_no_known_country_praises_nobody_s_praise() -> None:
    # a body the data do not hold, whose country the text does not give, is undetermined (E3)
    text = "The Zorbatian Friendship Circle in its statement said that Kim Il Sung was an outstanding leader."
    on = dt.date(2012, 4, 10)
    found = find_events(text, find_mentions(text, Actors.load(), on), on)
    assert [(e.type, e.actor.country, e.target.country) for e in found] == []


def test_a_leader_s_visits_to_countries_are_his_not_the_speaker_s() -> None:
    text = "Parties of Syria issued statements praising Kim Jong Il's successful visits to Russia and China."
    assert of_type("visit", text) == [("PRK", "CHN"), ("PRK", "RUS")]


def test_a_relative_clause_closed_before_the_verb_leaves_the_visitor_its_subject() -> None:
    text = (
        "Wang Li of China who is chairman of a committee for the centenary of the birth of Kim Il Sung,"
        " arrived here by air on Tuesday."
    )
    assert of_type("visit", text) == [("CHN", "PRK")]


@pytest.mark.parametrize("verb", ["warns", "urges"])
def test_a_paper_that_warns_or_urges_after_a_comma_is_the_voice(verb: str) -> None:
    # "…, warns Rodong Sinmun Saturday": the paper speaks, so the abuse is home's, not the
    # U.S.'s, the side named first
    text = (
        "Paper Article\n\nThe U.S. is instigating the south Korean puppet forces to keep the command, "
        f"{verb} Rodong Sinmun Saturday in a bylined article."
    )
    assert of_type("denounce", text) == [("PRK", "KOR")]


def test_they_who_blamed_home_are_the_sides_a_threat_after_it_menaces() -> None:
    text = (
        "Rodong Sinmun Commentary\n\nThe DPRK is left with no option but to take necessary measures now "
        "that the U.S., Japan and south Korean authorities continue blaming the DPRK's satellite launch. "
        "They are sadly mistaken if they think the DPRK will remain a passive onlooker."
    )
    assert of_type("threaten", text) == [("PRK", "JPN"), ("PRK", "KOR"), ("PRK", "USA")]


@pytest.mark.parametrize(
    "sentence",
    [
        "If the U.S. starts a war, the army and people of the DPRK will lead it to a great war for national "
        "reunification.",
        "We will counter the U.S. hostile policy and military provocation with bolstered war deterrent.",
    ],
)
def test_a_great_war_for_reunification_or_a_war_deterrent_menaces_the_side_named(sentence: str) -> None:
    assert of_type("threaten", f"Minju Joson Commentary\n\n{sentence}") == [("PRK", "USA")]


@pytest.mark.parametrize(
    ("sentence", "found"),
    [
        ("The U.S. has perpetrated state-sponsored terrorism against the DPRK for years.", [("PRK", "USA")]),
        ("The south Korean regime's attempted hideous terrorism was disclosed.", [("PRK", "KOR")]),
        # terrorism that nobody's words make a crime of a side is no abuse
        ("Japan and the U.S. discussed international terrorism at the talks.", []),
    ],
)
def test_terrorism_a_paper_calls_a_side_s_crime_is_its_abuse(sentence: str, found: list[tuple[str, str]]) -> None:
    assert of_type("denounce", f"Rodong Sinmun Article\n\n{sentence}") == found


def test_foreign_delegations_listed_after_home_s_own_lay_flowers_too() -> None:
    text = (
        "Visitors at the Bust\n\nMembers of the Workers' Party of Korea and other home bodies, members of a "
        "delegation of China and a delegation of the Central Committee of Syria laid bouquets before the bust "
        "of Kim Il Sung."
    )
    assert of_type("message", text) == [("CHN", "PRK"), ("SYR", "PRK")]


def test_they_who_laid_flowers_are_the_visitors_of_the_sentence_before() -> None:
    text = (
        "Camp Opens\n\nPresent at the ceremony were Kim Yong Nam and camping groups from China and Russia. "
        "They laid floral baskets before the statue of Kim Il Sung."
    )
    assert of_type("message", text) == [("CHN", "PRK"), ("RUS", "PRK")]


@pytest.mark.parametrize(
    "sentence",
    [
        'Rodong Sinmun dedicates an article to the 67th anniversary of the explosion of "Ukishima-maru" by Japan.',
        "Rodong Sinmun dedicated an article to the 67th anniversary of the occupation of south Korea by the U.S.",
    ],
)
def test_the_anniversary_of_a_harm_is_no_side_s_occasion(sentence: str) -> None:
    assert of_type("anniversary", f"Rodong Sinmun Article\n\n{sentence}") == []


def test_staying_in_power_is_no_stay_here() -> None:
    text = "Regime Slammed\n\nThe south Korean group of traitors uses the law as a means for staying in power."
    assert of_type("visit", text) == []


@pytest.mark.parametrize(
    "sentence",
    [
        "The south Korean regime even barred south Koreans from visiting Pyongyang.",
        "The authorities of south Korea prevented the women's body from making a visit to the DPRK.",
    ],
)
def test_a_visit_a_side_is_barred_from_is_no_visit(sentence: str) -> None:
    assert of_type("visit", f"Regime Slammed\n\n{sentence}") == []


def test_blows_dealt_or_suffered_in_the_past_are_no_threat() -> None:
    text = "KPA Praised\n\nThe KPA dealt deadly blows at the U.S. imperialists in the Korean War in the 1950s."
    assert of_type("threaten", text) == []


def test_enemies_a_harm_does_not_name_are_the_side_the_story_denounced() -> None:
    text = (
        "Rodong Sinmun Article\n\nThe south Korean puppet group hurt the dignity of the DPRK. "
        "The army and people of the DPRK will wipe out the rat-like traitors to the last man."
    )
    assert of_type("threaten", text) == [("PRK", "KOR")]


@pytest.mark.parametrize(
    "sentence",
    [
        "The south Korean puppet group will face a stern judgment by history.",
        "The south Korean people will mete out a stern punishment to the puppet traitors.",
    ],
)
def test_a_judgment_faced_or_a_punishment_meted_out_threatens(sentence: str) -> None:
    assert of_type("threaten", f"Rodong Sinmun Article\n\n{sentence}") == [("PRK", "KOR")]


def test_a_voice_home_denounced_does_not_praise_home() -> None:
    # after "Traitor Lee … said", KCNA's own words of the DPRK's Songun are no south Korean praise
    text = (
        "Rodong Sinmun Commentary\n\nRodong Sinmun denounced the south Korean puppet traitors. "
        "The south Korean puppet traitors said that the talks failed. "
        "The DPRK will foil the hostile policy with the might of Songun."
    )
    assert of_type("praise", text) == []


# -- the tenth round ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "sentence",
    [
        "Then the participants went round the exhibits from companies in the DPRK, China and Russia.",
        "Exhibited in the fair were products presented by more than 110 units of various countries "
        "and regions including the DPRK, China and Russia.",
    ],
)
def test_the_exhibitors_of_a_fair_at_home_visit_it(sentence: str) -> None:
    assert of_type("visit", sentence) == [("CHN", "PRK"), ("RUS", "PRK")]


def test_companies_of_countries_are_no_visitors_outside_a_fair() -> None:
    text = "The DPRK side held negotiations with film companies of various countries including China."
    assert of_type("visit", text) == []


@pytest.mark.parametrize(
    "sentence",
    [
        "The military attaches corps here laid a floral basket before the statue of President Kim Il Sung on Friday.",
        "The participants in the Pyongyang International Film Festival sent a letter to Kim Jong Un.",
        "Kim Jong Un received a floral basket from the diplomatic corps.",
    ],
)
def test_diplomats_of_many_countries_or_an_international_gathering_send_as_one_international_side(
    sentence: str,
) -> None:
    assert pairs(sentence) == [("message", None, "PRK")]


def test_the_guests_of_an_international_gathering_here_visit_home() -> None:
    text = "The participants in the 8th Pyongyang Autumn International Trade Fair visited the statue of President Kim Il Sung on Sunday."
    assert pairs(text) == [("visit", None, "PRK")]


@pytest.mark.parametrize(
    "sentence",
    [
        # diplomats stationed here go to a site: no visit (E8)
        "Diplomatic envoys of different countries here visited the statue of President Kim Il Sung on Sunday.",
        # those an event is held for are its guests, not who marks the occasion
        "The Ministry of the People's Armed Forces gave a reception for the diplomatic corps and the military "
        "attaches corps here on the occasion of the 80th anniversary of the founding of the Korean People's Army.",
    ],
)
def test_the_diplomatic_corps_here_neither_visits_nor_marks_what_it_is_invited_to(sentence: str) -> None:
    assert pairs(sentence) == []


@pytest.mark.parametrize(
    "text",
    [
        "National Seminar on Juche Idea Held in China. A national seminar on the Juche idea was held in Beijing, "
        "China on Monday. The speakers said that the Korean people in their just cause are leading a genuine life "
        "under the brilliant leadership of Kim Jong Il.",
        "Seminar Held in China. A seminar was held in Beijing, China on Monday. The seminar stressed the need to "
        "express full support for the Korean people in their just cause.",
    ],
)
def test_a_gathering_abroad_and_its_speakers_speak_for_the_side_that_holds_it(text: str) -> None:
    assert pairs(text) == [("praise", "CHN", "PRK")]


def test_the_speakers_of_a_gathering_at_home_speak_for_home() -> None:
    text = (
        "Seminar Held in Pyongyang. A seminar was held in Pyongyang on Monday, attended by a delegation of China. "
        "The speakers said that the Korean people in their just cause are leading a genuine life under the "
        "brilliant leadership of Kim Jong Il."
    )
    assert pairs(text) == []


def test_a_word_of_abuse_before_the_next_item_of_a_list_abuses_that_item() -> None:
    text = "The army and people of the DPRK will never pardon the U.S. forces and the rat-like south Korean puppets."
    assert of_type("denounce", text) == [("PRK", "KOR")]


def test_works_given_publicity_in_countries_are_each_country_s_praise() -> None:
    text = "Kim Jong Un's Activities Given Publicity in China and Russia\n\nThe news of his activities was posted on websites."
    assert of_type("praise", text) == [("CHN", "PRK"), ("RUS", "PRK")]


def test_a_dated_telling_after_the_headline_s_does_not_take_the_lead_s_event_with_it() -> None:
    text = (
        "Gift to Kim Jong Un from Russian President\n\nKim Jong Un received a gift from the Russian President.\n\n"
        "The Russian President sent a gift to Kim Jong Un on May 3, 2011, too."
    )
    assert sorted(e[3] for e in events(text, ON) if e[0] == "message") == ["2011-05-03", ON.isoformat()]


@pytest.mark.parametrize(
    ("sentence", "praiser"),
    [
        (
            "A Pakistani personage said that Kim Il Sung liberated the country by leading the anti-Japanese struggle.",
            "PAK",
        ),
        ("A Chinese paper said that the victory of the DPRK players is creating sensation among people.", "CHN"),
        ("A Chinese official said that the contributions of Kim Jong Il will always be remembered.", "CHN"),
    ],
)
def test_a_foreign_voice_crediting_home_with_liberation_renown_or_lasting_memory_praises_it(
    sentence: str, praiser: str
) -> None:
    assert pairs(sentence) == [("praise", praiser, "PRK")]


@pytest.mark.parametrize(
    ("sentence", "blamed"),
    [
        ("Japan seeks a sinister political aim in enforcing the education.", "JPN"),
        ("The south Korean authorities are floating the fiction to serve their sinister purpose.", "KOR"),
        ("The U.S. tried to browbeat the DPRK after bringing huge troops to the region.", "USA"),
    ],
)
def test_conduct_the_voice_holds_in_contempt_is_its_subject_s_denounced(sentence: str, blamed: str) -> None:
    assert of_type("denounce", sentence) == [("PRK", blamed)]


def test_the_side_a_gathering_is_against_does_not_speak_for_it() -> None:
    text = (
        "Seminar Held. A seminar against the Japanese occupation of Syria was held on Monday. The speakers said "
        "that the Korean people in their just cause are leading a genuine life under the brilliant leadership "
        "of Kim Jong Il."
    )
    assert of_type("praise", text) == []


def test_support_for_the_korean_people_named_bare_praises_home() -> None:
    text = "The Chinese delegation extended support and solidarity to the Korean people in their just struggle."
    assert pairs(text) == [("praise", "CHN", "PRK")]


def test_a_name_the_headline_gives_bare_is_on_the_side_the_body_ties_it_to() -> None:
    text = (
        "Ro Chol Min Presents Credentials to President of Seychelles\n\nRo Chol Min, DPRK ambassador to "
        "Seychelles, presented his credentials to James Michel, president of Seychelles, on Monday."
    )
    on = dt.date(2012, 9, 20)
    found = find_events(text, find_mentions(text, Actors.load(), on), on)
    assert [(e.type, e.actor.country, e.target.country) for e in found] == [("meeting", "PRK", "SYC")]


@pytest.mark.parametrize(
    "sentence",
    [
        "The group of traitors should be mercilessly punished.",
        "The grave provocation deserves a stern punishment.",
        "Their confrontational moves will end up with their miserable self-destruction.",
    ],
)
def test_a_punishment_the_voice_says_a_side_deserves_threatens_it(sentence: str) -> None:
    assert of_type("threaten", f"The south Korean puppets slandered the DPRK. {sentence}") == [("PRK", "KOR")]


@pytest.mark.parametrize(
    "text",
    [
        "Servicepersons and People Vow to Wipe Out south Korean Puppets",
        "The south Korean puppets slandered the DPRK. The people are filled with the determination to wipe out the "
        "traitors to the last man.",
    ],
)
def test_a_vow_to_wipe_out_a_side_threatens_it(text: str) -> None:
    assert of_type("threaten", text) == [("PRK", "KOR")]


@pytest.mark.parametrize(
    ("sentence", "sender"),
    [
        ("The Chinese Ministry of Public Health donated aid materials to the DPRK on Wednesday.", "CHN"),
        (
            "The participants in the Pyongyang International Film Festival adopted a letter of thanks to Kim Jong Un.",
            None,
        ),
    ],
)
def test_a_donation_or_a_letter_of_thanks_adopted_is_a_message(sentence: str, sender: str | None) -> None:
    assert pairs(sentence) == [("message", sender, "PRK")]


@pytest.mark.parametrize(
    "sentence",
    [
        "Chinese figures paid condolatory visits to the DPRK embassy in Beijing on Tuesday.",
        "Chinese figures visited the DPRK embassy on Tuesday to mourn the demise of Kim Jong Il.",
    ],
)
def test_a_call_at_an_embassy_is_a_message_not_a_visit(sentence: str) -> None:
    assert pairs(sentence) == [("message", "CHN", "PRK")]
