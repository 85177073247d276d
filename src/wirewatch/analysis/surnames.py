"""A person named again by the surname alone ("Jang Song Thaek …. Jang conveyed greetings
of Kim Jong Un to Wen Jiabao", "Vladimir Putin … Putin said"): each such surname after the
person's full name is a mention of that person, so that the sentence has its subject.

The surname is the first word of an East Asian name (Korean, Chinese, Vietnamese: "Jang",
"Wen") and the last of others ("Putin"). A surname two persons of the story share ("Kim"
for Kim Jong Un and Kim Yong Nam) names neither, and a surname followed by another
capitalised word ("Jang Chol") is another name, not this one; nor is one after an article
that no noun follows ("the Day of the Sun", "the Sun of Juche" in a story that names Sun
Zhengcai; "the Lee group" is Lee Myung Bak's).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from wirewatch.analysis.unknown import KOREAN_SURNAMES
from wirewatch.models import Mention

__all__ = ["surname_mentions"]

#: Countries whose names put the surname first.
_SURNAME_FIRST = frozenset(("PRK", "KOR", "CHN", "TWN", "HKG", "MAC", "VNM"))
#: What may stand before a surname that is a mention ("Mr. Jang", "Dr. Wen").
_HONORIFICS = frozenset(("Mr.", "Mrs.", "Ms.", "Dr.", "Comrade", "Madame", "Madam"))
_ARTICLES = frozenset(("the", "a", "an"))
#: Words after "the <surname>" that make it a word, not a name ("the Sun of Juche").
_LINKS = frozenset("of in and or to for on at as is was with by from".split())
_NAME_WORD = re.compile(r"[A-Z][a-z]+(?:-[a-z]+)?")


def _surname(written: str, country: str | None) -> str | None:
    words = written.split()
    if len(words) < 2:
        return None
    first = country in _SURNAME_FIRST or (country is None and words[0] in KOREAN_SURNAMES)
    word = words[0] if first else words[-1]
    return word if _NAME_WORD.fullmatch(word) else None


def _alone(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` is a whole word."""
    return not (start > 0 and text[start - 1].isalnum()) and not (end < len(text) and text[end].isalnum())


def surname_mentions(text: str, mentions: Sequence[Mention]) -> list[Mention]:
    """``mentions`` (in text order) with a mention added for each surname that names a
    person of the story alone, after that person's first mention."""
    by_surname: dict[str, Mention] = {}
    shared: set[str] = set()
    for mention in mentions:
        if mention.type != "person" or mention.by_title:
            continue
        surname = _surname(text[mention.start : mention.end], mention.country)
        if surname is None or surname in shared:
            continue
        first = by_surname.setdefault(surname, mention)
        if first.id != mention.id:
            shared.add(surname)
            del by_surname[surname]
    if not by_surname:
        return list(mentions)
    spans = [(m.start, m.end) for m in mentions]
    added: list[Mention] = []
    for surname, person in by_surname.items():
        start = text.find(surname, person.end)
        while start >= 0:
            end = start + len(surname)
            found, start = start, text.find(surname, end)
            if not _alone(text, found, end) or any(s < end and found < e for s, e in spans):
                continue
            after = text[end : end + 30].split(maxsplit=1)
            following = after[0] if after else ""
            if following[:1].isupper():
                continue  # "Jang Chol": another name
            before = text[max(0, found - 12) : found].split()
            previous = before[-1] if before else ""
            if previous.lower() in _ARTICLES and not (following.isalpha() and following not in _LINKS):
                continue  # "the Day of the Sun", "the Sun of Juche": a word, not Sun Zhengcai; "the Lee group" is Lee
            if previous[:1].isupper() and previous not in _HONORIFICS and not previous.endswith("."):
                continue  # "… Song Jang", inside another name
            added.append(
                Mention("person", person.id, person.name, person.country, found, end, role=None, known=person.known)
            )
    if not added:
        return list(mentions)
    return sorted([*mentions, *added], key=lambda m: (m.start, -m.end))
