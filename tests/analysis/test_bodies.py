"""Bodies the actor data do not hold, found by the shape of their names (``analysis.bodies``,
``analysis.body_ids``; GUIDE O1–O5 and 7.2: docs/annotation-guide.md). Made-up sentences, so
that a rule fitted to a gold story's wording does not pass by quoting it."""

from __future__ import annotations

import datetime as dt

import pytest

from wirewatch.analysis.actors import Actors
from wirewatch.analysis.entities import find_mentions

ON = dt.date(2012, 6, 1)


@pytest.fixture(scope="module")
def actors() -> Actors:
    return Actors.load()


def bodies(text: str, actors: Actors) -> dict[str, str | None]:
    """The organisations found in a story body (after a headline), by id, with their country."""
    return {m.id: m.country for m in find_mentions(f"T\n\n{text}", actors, ON) if m.type == "organization"}


@pytest.mark.parametrize(
    ("text", "wanted", "country"),
    [
        # a list the name's last "of" governs is part of the name
        (
            "Ana Ruiz, chairwoman of the Popular Front of Farmers, Miners and Fishermen of Chile, said so.",
            "popular-front-of-farmers-miners-and-fishermen-of-chile",
            "CHL",
        ),
        # and a list that its "for" governs
        (
            "Ana Ruiz, chairwoman of the Andean Association for Arts, Music and Information, said so.",
            "andean-association-for-arts-music-and-information",
            None,
        ),
        # a firm by its legal form, without a word for a body
        ("Meanwhile, Tamura Steel Works Co. said its profit fell.", "tamura-steel-works", None),
        # the legal form is no part of the name, nor is the country KCNA appends
        ("Li Ming, chairman of the Huaxin Shipping Holdings Ltd. of China, left.", "huaxin-shipping-holdings", "CHN"),
        # a group of people named for its cause
        ("A spokesman for the Teachers for Clean Elections held a rally.", "teachers-for-clean-elections", None),
        # a country's possessive is no part of the name: the body is that country's
        ("It signed a contract with the DPRK's Ministry of Fisheries.", "ministry-of-fisheries", "PRK"),
        # a body's possessive starts the name after it
        ("The ministry's Western Coal Mining Company was set up.", "western-coal-mining-company", None),
        # "and the" joins two names
        (
            "The Korean Association of Potters and the Central Bureau of Ceramics met.",
            "korean-association-of-potters",
            None,
        ),
        # KCNA's lowercase "of south Korea" is no part of a proper name, but ties the country
        (
            "A member of the Citizens for Fair Wages of south Korea spoke.",
            "citizens-for-fair-wages",
            "KOR",
        ),
        # and makes a generic state body that country's (GUIDE O4)
        ("The Ministry of Fisheries of south Korea said so.", "kor-ministry-of-fisheries", "KOR"),
        # an administration is a state body, and a medium's words (radio, film) are generic
        (
            "The Chinese State Administration of Radio, Film and Television sent a team.",
            "chn-state-administration-of-radio-film-and-television",
            "CHN",
        ),
        # a run of capitalised words is cut where a sentence ends inside it ...
        (
            "The action was conducted only in China. The China Hong Kong Yu Pengnian Charity Foundation decided.",
            "china-hong-kong-yu-pengnian-charity-foundation",
            "CHN",
        ),
        # ... but not at an abbreviation
        (
            "From April 13, the Harbin-Mt. Kumgang International Tourists Group toured the mountain.",
            "harbin-mt-kumgang-international-tourists-group",
            None,
        ),
        # a possessive after a name is no part of it
        (
            "Kim said so. The DPRK Ministry of Public Health's cooperation is a great help.",
            "ministry-of-public-health",
            "PRK",
        ),
        # a council of ministers is a generic state body: its country's
        ("The Council of Ministers of Cuba adopted a decision.", "cub-council-of-ministers", "CUB"),
        # "U.S." is one word in an id, as in the annotations
        (
            "The Federation of Koreans in the U.S. sent a letter to the rally.",
            "federation-of-koreans-in-the-us",
            "USA",
        ),
        # a generic name with no country of its own: the country the text named last
        (
            "Ten civic groups of Chile held a rally. Among them was the Union of Youth and Students.",
            "chl-union-of-youth-and-students",
            "CHL",
        ),
        # a person named inside a body's name is part of it
        (
            "Jan Berg, head of the Society for the Study of Kim Il Sung Juche Idea of Norway, spoke.",
            "society-for-the-study-of-kim-il-sung-juche-idea-of-norway",
            "NOR",
        ),
        # a medium in apposition before the word for it, or named after "broadcasting service"
        ("Hanul Sori, an online newspaper of Koreans in Canada, wrote.", "hanul-sori", None),
        ('It was reported by the broadcasting service "Sound of Hope" on Monday.', "sound-of-hope", None),
    ],
)
def test_bodies_by_shape(actors: Actors, text: str, wanted: str, country: str | None) -> None:
    found = bodies(text, actors)
    assert wanted in found, found
    assert found[wanted] == country


def test_a_listed_body_inside_a_longer_name_is_the_longer_one(actors: Actors) -> None:
    # "Workers' Party" alone is the WPK; inside another party's name it is no mention of it
    found = bodies("A delegation of the Bulgarian Socialist Workers' Party arrived.", actors)
    assert "bulgarian-socialist-workers-party" in found and "wpk" not in found
    found = bodies("The Workers' Party of Chile sent a message.", actors)
    assert "workers-party-of-chile" in found and "wpk" not in found
    assert "wpk" in bodies("The Workers' Party sent a message.", actors)


def test_a_body_in_the_name_of_a_place_is_no_mention(actors: Actors) -> None:
    found = bodies("They toured the Museum of Uniforms of the Korean People's Army.", actors)
    assert "kpa" not in found and not any("uniforms" in id for id in found)


@pytest.mark.parametrize(
    "text",
    [
        "The Pak Party delegation met the members of its Central Executive Committee.",
        "Ruiz, chairman of the Committee for Foreign Relations of the party, spoke.",
        "Our Party will stand by you.",
        "The Kagawa Prefectural Assembly of Japan adopted it.",
        "They visited the Korean Robot Center and the Ocean Studies Institute.",
        "They accused the Committee of Trade, Industry and Energy of the National Assembly.",
    ],
)
def test_no_body_of_its_own(actors: Actors, text: str) -> None:
    # organs of a body named before (GUIDE O3), local bodies and places (O2), pronouns
    found = bodies(text, actors)
    assert not any(
        word in id
        for id in found
        for word in ("central-executive", "foreign-relations", "our-party", "kagawa", "robot", "ocean", "trade")
    ), found


def test_a_list_after_a_place_is_no_part_of_the_name(actors: Actors) -> None:
    found = bodies("The Communist Party of Chile, Peru and Bolivia issued it.", actors)
    assert not any("bolivia" in id for id in found), found


@pytest.mark.parametrize(
    "text",
    [
        "Abe met Deputy Chief Cabinet Secretaries Fujii and Fukuyama on the same day.",
        "Chief Cabinet Secretary Fujimura told a press conference that the talks would go on.",
    ],
)
def test_a_post_and_its_holder_are_no_body(actors: Actors, text: str) -> None:
    """A word for a body followed by one for an office holder names a post and a person."""
    assert not [id for id in bodies(text, actors) if "cabinet" in id], bodies(text, actors)


def test_an_organ_alone_is_the_body_named_before_it(actors: Actors) -> None:
    """GUIDE O3: "the Central Committee" with no body's name in it is an organ of the party
    the text named, which folds into that party; it is no body of its own."""
    found = bodies(
        "A delegation of the Labour Party of Ruritania headed by Dasar Kara, member of the Political "
        "Bureau of the Central Committee, arrived. The Standing Committee met on Monday.",
        actors,
    )
    assert "labour-party-of-ruritania" in found
    assert not [id for id in found if "committee" in id or "bureau" in id], found


def test_the_un_command_is_a_body_of_its_own(actors: Actors) -> None:
    """The United Nations Command in Korea, which the DPRK's texts denounce as a body of its
    own, is not the United Nations."""
    found = bodies("Clark, the then commander of the UN Command, confessed the defeat.", actors)
    assert found == {"unc": None}


@pytest.mark.parametrize(
    "text",
    [
        "Kim Ho, vice-chairman of the South Headquarters of the Pan-national Alliance for Ruritania's Freedom, said so.",
        "Kim Ho, vice-chairman of the Pan-national Alliance for Ruritania's Freedom (Pomruryon), said so.",
        "The North and South Headquarters of the Pan-national Alliance for Ruritania's Freedom issued a statement.",
    ],
)
def test_a_headquarters_and_a_bracketed_short_name_are_the_body_itself(text: str, actors: Actors) -> None:
    """GUIDE O3: an organisation's branches are the organisation; a short name in brackets is
    no part of the name, words or initials alike, so that every form gives one id."""
    assert "pan-national-alliance-for-ruritanias-freedom" in bodies(text, actors), bodies(text, actors)


def test_a_bracketed_qualifier_stays_in_a_party_s_name(actors: Actors) -> None:
    found = bodies("The Communist Party of Ruritania (Marxist) and the Labour Party of Ruritania (United) met.", actors)
    assert {"communist-party-of-ruritania-marxist", "labour-party-of-ruritania-united"} <= set(found), found


@pytest.mark.parametrize(
    ("text", "wanted", "country"),
    [
        (
            "The Nigerian National Committee for Remembering President Kim Il Sung was formed on June 15.",
            "nigerian-national-committee-for-remembering-president-kim-il-sung",
            "NGA",
        ),
        (
            "Juan Perez, chairman of the Mexican Friend Association for Memory of President Kim Il Sung, said so.",
            "mexican-friend-association-for-memory-of-president-kim-il-sung",
            "MEX",
        ),
    ],
)
def test_a_body_named_for_a_leader_ends_with_the_leader_s_name(
    text: str, wanted: str, country: str, actors: Actors
) -> None:
    assert bodies(text, actors).get(wanted) == country, bodies(text, actors)
