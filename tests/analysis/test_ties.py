"""Ties: an unknown person's or body's country from what the text ties them to (GUIDE P6, O5)."""

from __future__ import annotations

import datetime as dt

import pytest

from wirewatch.analysis.actors import Actors
from wirewatch.analysis.entities import find_mentions

ON = dt.date(2012, 7, 12)


@pytest.fixture(scope="module")
def actors() -> Actors:
    return Actors.load()


def countries(text: str, actors: Actors) -> dict[str, str | None]:
    return {m.name: m.country for m in find_mentions("T\n\n" + text, actors, ON) if m.type != "country"}


def test_the_outermost_body_of_an_apposition_gives_the_country(actors: Actors) -> None:
    found = countries("Chanai Longoen, chairman of the Thailand-DPRK Friendship Association, said so.", actors)
    assert found["Chanai Longoen"] == "THA"  # not the DPRK inside the association's name
    found = countries("Tomas Velvik, chairman of the Committee of Denmark, noted it.", actors)
    assert found["Tomas Velvik"] == "DNK"


def test_a_firm_s_legal_form_does_not_end_the_apposition(actors: Actors) -> None:
    # neither the comma nor the full stop of "Co., Ltd." closes the apposition before "of Japan"
    found = countries("Kanji Inoki, president of the Inoki Genom Joint Co., Ltd. of Japan, arrived here.", actors)
    assert found["Kanji Inoki"] == "JPN"


@pytest.mark.parametrize(
    ("text", "person", "country"),
    [
        ("Jang Jae On, chairman of the C.C., the DPRK Red Cross Society, sent a message.", "Jang Jae On", "PRK"),
        ("Khalid Hadadi, general secretary of C.C., the Lebanese Communist Party, said so.", "Khalid Hadadi", "LBN"),
    ],
)
def test_an_officer_of_the_central_committee_comma_a_body_is_that_body_s(
    actors: Actors, text: str, person: str, country: str
) -> None:
    # KCNA names a body's Central Committee, then the body after a comma
    assert countries(text, actors)[person] == country


@pytest.mark.parametrize(
    "text",
    [
        "Pratap Singh, Indian ambassador to the DPRK, met them.",
        "Pratap Singh, ambassador of India to the DPRK, met them.",
        "Pratap Singh, a member of the Indian delegation on a visit to the DPRK, met them.",
        "Pratap Singh, an Indian journalist visiting the DPRK, met them.",
    ],
)
def test_the_country_an_apposition_sends_or_takes_a_person_to_is_not_theirs(actors: Actors, text: str) -> None:
    assert countries(text, actors)["Pratap Singh"] == "IND"


def test_a_country_before_the_title_gives_it_but_not_an_envoy_s_host(actors: Actors) -> None:
    assert countries("Lao Vice-President Bounnhang Vorachith met them.", actors)["Bounnhang Vorachith"] == "LAO"
    found = countries("They met DPRK Ambassador to Nigeria Ri Chol Ho.", actors)
    assert found["Ri Chol Ho"] != "NGA"


def test_a_body_placed_in_a_country_belongs_to_it(actors: Actors) -> None:
    found = countries("The Social Federation For the Union in Belarus released a statement.", actors)
    assert found["Social Federation For the Union in Belarus"] == "BLR"


def test_known_actors_keep_the_data_s_country(actors: Actors) -> None:
    found = countries("Kim Jong Il, chairman of the committee of Russia, said so.", actors)
    assert found["Kim Jong Il"] == "PRK"


def test_an_unknown_body_is_one_id_with_or_without_its_abbreviation_and_keeps_u_s(actors: Actors) -> None:
    text = "T\n\nThe Korean Children's Union (KCU) held a meeting. Later the Korean Children's Union sent a letter."
    bodies = {(m.id, m.name) for m in find_mentions(text, actors, ON) if m.type == "organization"}
    assert bodies == {("korean-childrens-union", "Korean Children's Union")}
    text = "T\n\nThe Federation of Koreans in the U.S. issued a statement."
    assert "Federation of Koreans in the U.S." in countries(text[3:], actors)


def test_a_generic_body_of_another_country_is_that_country_s(actors: Actors) -> None:
    text = "T\n\nTomas Velvik, deputy president of the Senate of the National Assembly of Nigeria, said so."
    bodies = {(m.id, m.country) for m in find_mentions(text, actors, ON) if m.type == "organization"}
    assert ("nga-national-assembly", "NGA") in bodies and ("kor-national-assembly", "KOR") not in bodies
    assert countries(text[3:], actors)["Tomas Velvik"] == "NGA"
    bodies = {
        m.id
        for m in find_mentions("T\n\nThe National Assembly of south Korea passed it.", actors, ON)
        if m.type == "organization"
    }
    assert bodies == {"kor-national-assembly"}  # its own country: the data's body
