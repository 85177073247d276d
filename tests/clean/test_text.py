"""Text normalisation: Unicode, whitespace, paragraphs, HTML fragments, derived titles."""

from __future__ import annotations

import re
import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from wirewatch.clean.text import (
    _SCRAPE_BREAK,
    body_hash,
    clean_paragraphs,
    derive_title,
    normalize_line,
    normalize_text,
    paragraphs,
)


def test_nfc_and_spaces() -> None:
    decomposed = unicodedata.normalize("NFD", "Café  in\u00a0Pyongyang\u200b")
    assert normalize_text(decomposed) == "Café in Pyongyang"


def test_paragraphs_are_kept_and_lines_inside_them_joined() -> None:
    text = "  First line\nof the first paragraph.\r\n\r\n\n   Second paragraph.  \n\n\n"
    assert normalize_text(text) == "First line of the first paragraph.\n\nSecond paragraph."


def test_text_without_blank_lines_has_a_paragraph_per_line() -> None:
    assert normalize_text("One.\nTwo.\n\tThree.") == "One.\n\nTwo.\n\nThree."


def test_kcna_scrape_separator_becomes_a_paragraph_break() -> None:
    text = "Kim Jong Il enjoyed the concert on Friday., The audience stood up."
    assert normalize_text(text) == "Kim Jong Il enjoyed the concert on Friday.\n\nThe audience stood up."


def test_abbreviations_before_a_comma_are_left_alone() -> None:
    text = "Talks between the U.S., Japan and south Korea. Samsung Co., Ltd."
    assert normalize_text(text) == text


def test_html_fragment_becomes_paragraphs() -> None:
    html = "<div><p>One &amp; two.</p><p>Three<br/>four.</p><script>x()</script></div>"
    assert normalize_text(html) == "One & two.\n\nThree four."


def test_control_characters_go() -> None:
    assert normalize_line("Title\x00 with\x07 junk\ufeff") == "Title with junk"


def test_derived_title_is_the_first_sentence() -> None:
    assert derive_title("Kim Jong Il sent a message. It said ...") == "Kim Jong Il sent a message"
    assert derive_title("경애하는 김정은동지께서 현지지도하시였다. 다음") == "경애하는 김정은동지께서 현지지도하시였다"


def test_long_derived_title_is_cut_at_a_word() -> None:
    title = derive_title("word " * 100)
    assert title.endswith("…") and len(title) <= 121 and "wor…" not in title


def test_body_hash_is_stable_and_distinguishing() -> None:
    assert body_hash("a") == body_hash("a") != body_hash("b")


@given(st.text())
def test_normalising_twice_changes_nothing(text: str) -> None:
    once = normalize_text(text)
    assert normalize_text(once) == once
    assert "\n\n\n" not in once and once == once.strip()


#: The scrape-break pattern as first written, led by its look-behind: the faster
#: comma-led one in wirewatch.clean.text must break exactly the same places.
_PLAIN_SCRAPE_BREAK = re.compile(r"(?<=[a-z]{2}[.!?])([\"”’]?),[^\S\n]+(?=[\"“]?[A-Z])")


#: Pieces that make sentence ends, quotes, commas and capitals meet often.
_PIECES = ["ab", "b.", "ab.", "ab!", 'ab?"', "ab.”", "ab.’", "U.S.", '"', ",", ", ", ",\t", ",\u00a0", "\n"]
_PIECES += ["A", '"A', "“A"]


@given(st.lists(st.sampled_from(_PIECES), max_size=20).map("".join))
def test_the_scrape_break_pattern_breaks_where_the_plain_one_does(text: str) -> None:
    assert _SCRAPE_BREAK.sub("\n\n", text) == _PLAIN_SCRAPE_BREAK.sub(r"\1\n\n", text)


@given(st.text())
def test_clean_paragraphs_are_the_paragraphs_of_the_normalised_text(text: str) -> None:
    parts = clean_paragraphs(text)
    assert "\n\n".join(parts) == normalize_text(text)
    assert paragraphs("\n\n".join(parts)) == parts  # what build_article no longer recomputes
