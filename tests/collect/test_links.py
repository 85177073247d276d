"""Index pages: the date written beside each link is its listing date."""

from __future__ import annotations

import re

from wirewatch.collect.links import Link, index_links

BASE = "http://news.example/"
ARTICLES = re.compile(r"/news/\d+$")


def test_a_date_written_beside_a_link_is_its_date_hint() -> None:
    page = (
        "<ul><li><a href='/news/1'>Talks <b>held</b></a> <span class='date'>(2024-05-01)</span></li>"
        "<li>2024-05-02 <a href='/news/2'>Basket sent</a></li>"
        "<li><a href='/news/3'>Statement</a> <span>[Juche113.5.3.]</span> <a href='/about'>About</a></li>"
        "<li><a href='/news/4'>Visit</a> took place on 2024-05-04, the agency said</li>"
        "<li><a href='/news/5'>Letter</a> <a href='/news/6'>Reply</a> 2024-05-06</li></ul>"
    )
    assert index_links(page, BASE, ARTICLES) == [
        Link(BASE + "news/1", "Talks held", "(2024-05-01)"),
        Link(BASE + "news/2", "Basket sent", "2024-05-02"),
        Link(BASE + "news/3", "Statement", "[Juche113.5.3.]"),
        Link(BASE + "news/4", "Visit", None),  # a sentence with a date in it is not a date
        Link(BASE + "news/5", "Letter", None),  # the next link's date is not this one's
        Link(BASE + "news/6", "Reply", "2024-05-06"),
    ]


def test_a_link_listed_twice_keeps_what_either_listing_says() -> None:
    page = (
        "<div><a href='/news/1'><img src='/p.jpg'></a></div>"
        "<p><a href='/news/1'>Talks held</a> [Juche113.5.3.]</p>"
        "<p><a href='/news/1'>Talks held in Pyongyang</a> [Juche113.5.2.]</p>"
    )
    assert index_links(page, BASE, ARTICLES) == [Link(BASE + "news/1", "Talks held", "[Juche113.5.3.]")]
