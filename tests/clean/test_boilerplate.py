from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wirewatch.clean.boilerplate import BoilerplateRule, BoilerplateRules
from wirewatch.errors import ConfigError

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"


@pytest.fixture(scope="module")
def rules() -> BoilerplateRules:
    return BoilerplateRules.load()


@pytest.mark.parametrize(
    "chrome",
    [
        "Share Button",
        "Share",
        "Tweet",
        "Share this article",
        "Share on Facebook",
        "Facebook | Twitter | Email",
        "Read original version at source",
        "Subscribe to our weekly newsletter for the latest news",
        "Sign up for our daily briefing",
        "Click here to read more",
        "Advertisement",
        "Related articles",
        "Related Stories:",
        "This website uses cookies to improve your experience.",
        "We use cookies. By continuing to browse you accept them.",
        "Accept all cookies",
    ],
)
def test_packaged_rules_remove_chrome(rules, chrome):
    assert rules.strip(["The delegation arrived in Vientiane.", chrome, "It was greeted at the airport."]) == [
        "The delegation arrived in Vientiane.",
        "It was greeted at the airport.",
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Share of grain output in the province rose by 15 percent this year.",
        "The cooperative farm workers will print new leaflets for the campaign.",
        "They sign up for the socialist emulation drive every spring with enthusiasm and determination.",
        "Related articles were carried by Rodong Sinmun on Monday.",
        "Advertisement boards were set up along the streets of Pyongyang for the festival.",
    ],
)
def test_article_text_that_merely_starts_like_chrome_is_kept(rules, text):
    assert rules.strip([text]) == [text]


def test_the_newsletter_promo_at_the_end_drops_everything_after_it(rules):
    body = ["First.", "Last.", "Get North Korea headlines delivered to your inbox daily", "Anything else at all"]
    assert rules.strip(body) == ["First.", "Last."]


def test_tail_rules_only_look_at_the_end(rules):
    promo = "Get North Korea headlines delivered to your inbox daily"
    body = [promo] + [f"Paragraph {n}." for n in range(10)]
    assert rules.strip(body) == body  # near the start: quoted, not chrome


def test_lines_of_a_multi_line_paragraph_are_stripped_one_by_one(rules):
    assert rules.strip(["Share Button\nThe text begins here.\nTweet", "More text."]) == [
        "The text begins here.",
        "More text.",
    ]


def test_blank_paragraphs_go_and_the_others_are_stripped(rules):
    assert rules.strip(["  One.  ", "", "   ", "Two."]) == ["One.", "Two."]


def test_a_user_file_adds_rules_to_the_packaged_ones(tmp_path):
    user = tmp_path / "mine.toml"
    user.write_text(
        "head = 2\n\n[[rule]]\nname = \"photo-credit\"\npattern = '''photo: (?:kcna|korea news service)'''\nwhere = \"head\"\n",
        encoding="utf-8",
    )
    rules = BoilerplateRules.load([user])
    assert rules.rules[-1] == BoilerplateRule(
        "photo-credit", "photo: (?:kcna|korea news service)", "head", 2, False, str(user)
    )
    body = ["Photo: KCNA", "Share Button", "Text.", "Photo: KCNA", "More."]
    assert rules.strip(body) == ["Text.", "Photo: KCNA", "More."]
    assert BoilerplateRules.load().strip(body) == ["Photo: KCNA", "Text.", "Photo: KCNA", "More."]


def test_patterns_with_groups_or_flags_of_their_own_still_apply(tmp_path):
    user = tmp_path / "mine.toml"
    user.write_text(
        "[[rule]]\nname = \"repeat\"\npattern = '''(\\w+) \\1'''\n\n"
        "[[rule]]\nname = \"verbose\"\npattern = '''(?x) end \\s of \\s page'''\n",
        encoding="utf-8",
    )
    rules = BoilerplateRules.load([user])
    assert rules.strip(["again again", "again once", "END of page", "Share"]) == ["again once"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            "[[rule]]\nname = \"broken\"\npattern = '''share (button'''\n",
            r"rule #1 \('broken'\): pattern 'share \(button': not a regular expression: missing \)",
        ),
        (
            '[[rule]]\nname = "where"\npattern = "x"\nwhere = "middle"\n',
            r"rule #1 \('where'\): where 'middle': expected one of",
        ),
        ('[[rule]]\nname = "typo"\npatern = "x"\n', r"rule #1 \('typo'\): unknown key 'patern'"),
        ('[[rule]]\npattern = "x"\n', r"rule #1: name: required"),
        (
            '[[rule]]\nname = "a"\npattern = "x"\ndrop_rest = "yes"\n',
            r"rule #1 \('a'\): drop_rest 'yes': expected true or false",
        ),
        (
            '[[rule]]\nname = "a"\npattern = "x"\n[[rule]]\nname = "a"\npattern = "y"\n',
            r"rule 'a': the name is used twice",
        ),
        ("tail = 0\n", r"tail 0: expected a whole number, 1 or more"),
        ('[[rule]\nname = "a"\n', r"not valid TOML"),
    ],
)
def test_a_bad_rules_file_is_a_config_error_naming_file_and_rule(tmp_path, content, message):
    path = tmp_path / "bad.toml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError, match=message) as caught:
        BoilerplateRules.load([path])
    assert str(path) in str(caught.value)


def test_a_missing_rules_file_is_a_config_error(tmp_path):
    with pytest.raises(ConfigError, match="cannot read the file"):
        BoilerplateRules.load([tmp_path / "absent.toml"])


def test_the_packaged_rules_remove_nothing_from_real_kcna_stories(rules):
    path = CORPUS / "kcna-2011-2012.jsonl.gz"
    if not path.exists():
        pytest.skip(f"{path} is absent")
    changed = []
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        for line in lines:
            body = json.loads(line).get("body") or ""
            paragraphs = [p.strip() for p in body.split("\n\n") if p.strip()]
            if rules.strip(paragraphs) != paragraphs:
                changed.append(paragraphs)
    assert changed == []


_CHROME = ["Share", "Tweet", "Advertisement", "Related articles", "Sign up for our daily briefing", "Accept cookies"]


_LINES = st.one_of(st.sampled_from(_CHROME), st.sampled_from(["Story.", "", " "]), st.text(alphabet="ab \n"))


@given(st.lists(st.lists(_LINES, min_size=1, max_size=3).map("\n".join), max_size=12))
def test_the_one_regex_shortcut_changes_no_verdict(paragraphs: list[str]) -> None:
    rules = BoilerplateRules.load()
    slow = BoilerplateRules.load()
    object.__setattr__(slow, "_any_rule", None)  # every paragraph through the per-place groups
    assert rules.strip(paragraphs) == slow.strip(paragraphs)
