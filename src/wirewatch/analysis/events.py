"""Diplomatic events: what passes between two countries, read from an article's sentences.

``find_events(text, mentions, on)`` splits the analysed text (the title, a blank line, the
body) into sentences, finds the trigger patterns of ``data/events.toml`` in each, takes the
event's sides from the mentions of that sentence around the trigger (see the file's
``voice`` field), and its date from the date expressions of the sentence (``timex``), else
the article's date. The rules follow the gold guide (``tests/eval/GUIDE.md`` section 6):
domestic events are dropped (E2, Russia and the Soviet Union counting as one side), several
actors or targets give one event per pair (E5), one event per ``(type, actor, target,
date)`` with the most precise date kept (E6), and within a sentence a message or a visit is
not also an anniversary, an anniversary not also a meeting (E7).

Pure: the trigger file is read and compiled once per :class:`EventRules` (``load()`` is
cached), and ``find_events`` does no I/O.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

from wirewatch.analysis.sentences import split_sentences
from wirewatch.analysis.timex import TimeExpression, find_dates
from wirewatch.analysis.triggers import EventRules, Trigger
from wirewatch.analysis.voices import SPEECH_WORDS, guest_speaks, laudatory_target, speech_subject
from wirewatch.models import DatePrecision, Event, Mention, Side

__all__ = ["EventRules", "Trigger", "find_events", "split_sentences"]

# Place words right after a visit trigger that name the home country as the place visited.
_HOME_PLACE = re.compile(r"\s*(?:(?:to|in|at)\s+)?(?:here|Pyongyang|the\s+capital)\b", re.IGNORECASE)


#: When an event happened: its date, the date's precision, and whether the text gave it.
Stamp = tuple[dt.date | None, DatePrecision | None, bool]


# -- sides ----------------------------------------------------------------------------------

_NEGATED = re.compile(
    r"\b(?:not|never|no\s+longer|nor|should|must|would\s+like\s+to|proposed|propose|call(?:ed|s|ing)?\s+for|"
    r"urg(?:ed|es|ing)|demand(?:ed|s|ing)?|plans?\s+to|intends?\s+to|disallow(?:ed|s)?|"
    r"hop(?:e|es|ed|ing)\s+that|wish(?:es|ed)?\s+that|would\s+be)\b[^.;]{0,40}$",
    re.IGNORECASE,
)
_ATTRIBUTIVE = re.compile(r"(?:anti|pro)-\s*$", re.IGNORECASE)
_COORDINATED = re.compile(r"^\s*(?:,\s*(?:and\s+)?|and\s+|or\s+)(?:the\s+)?$")
_PRONOUN_START = re.compile(r"^\s*(?:He|She|They|It|The\s+(?:paper|article|statement|bulletin|speaker|delegation))\b")
# A visit by travellers the sentence does not name, whose list the next sentence gives.
_ARRIVALS = re.compile(r"\b(?:came|arrived|arrive|come)\s+here\b", re.IGNORECASE)
_LIST_START = re.compile(r"\s*(?:They|These|Those)\s+(?:included|include|were|are)\b|\s*Among\s+them\s+(?:were|are)\b")
_SAME_OCCASION = re.compile(r"\b(?:the\s+same\s+(?:day|occasion|time)|that\s+day)\b", re.IGNORECASE)
_SPEECH_CUE = re.compile(
    r"\b(?:said|says|told|noted|stressed|stated|declared|statement|speech|article|commentary|bulletin|"
    r"write-ups?|interview(?:ed)?|editorial|report(?:ed|s)?)\b",
    re.IGNORECASE,
)
# A bilateral anniversary names its pair: "relations between X and Y", "the X-Y treaty".
_BILATERAL = re.compile(r"\bbetween\b|\b(?:relations|ties|treaty|agreement|declaration|friendship)\s", re.IGNORECASE)
# A country right after "against" is opposed, not praised ("solidarity with the Korean people
# in their struggle against the U.S.").
_OPPOSED = re.compile(r"\bagainst\s+(?:the\s+)?(?:[\w-]+\s+){0,2}$", re.IGNORECASE)
# Nothing but closing marks after a trigger: a headline that ends with its verb.
_HEADLINE_END = re.compile(r"[\s\"'”’.!]*\Z")
_AT_PLACE = re.compile(r"\b(?:at|in)\s+(?:the\s+)?$", re.IGNORECASE)


def _at_place(text: str, mention: Mention) -> bool:
    found = _AT_PLACE.search(text, max(0, mention.start - 8), mention.start)
    return found is not None and (found.group().lower().startswith("in") or mention.type == "organization")


_ADJACENT_WINDOW = 30
_PREPOSITION = re.compile(r"\b(?:with|to|against|on|of|from|for|in|at|by)\s+(?:the\s+)?$", re.IGNORECASE)
_WORD = re.compile(r"[a-z]+|\d")
# A sentence holds a date expression only if it has one of these words (or a digit).
_DATE_WORDS = frozenset(
    [
        "0",
        "1",
        "2",
        "3",
        "4",
        "5",
        "6",
        "7",
        "8",
        "9",
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "today",
        "tonight",
        "morning",
        "afternoon",
        "evening",
        "yesterday",
        "tomorrow",
        "year",
        "month",
        "juche",
    ]
)
_SAME_SIDE = {"SUN": "RUS"}


def _side_key(country: str | None) -> str | None:
    return _SAME_SIDE.get(country, country) if country else country


def _side(mention: Mention) -> Side:
    return Side(mention.name, mention.country, mention.id)


def _home_side(home: str) -> Side:
    return Side(None, home, home)


@dataclass(slots=True)
class _Sentence:
    start: int
    end: int
    text: str
    mentions: list[Mention]  # offsets made relative to the sentence, attributive ones dropped


def _sentence_mentions(
    text: str, start: int, end: int, mentions: Sequence[Mention], starts: list[int]
) -> list[Mention]:
    low = bisect.bisect_left(starts, start)
    high = bisect.bisect_left(starts, end)
    found = []
    for mention in mentions[low:high]:
        if mention.end > end:
            continue
        if mention.type == "country" and _ATTRIBUTIVE.search(text, max(0, mention.start - 6), mention.start):
            continue
        found.append(mention)
    return found


def _first_before(sentence: _Sentence, offset: int) -> Mention | None:
    for mention in sentence.mentions:
        if mention.start >= offset:
            break
        return mention
    return None


def _after(sentence: _Sentence, offset: int, limit: int) -> list[Mention]:
    return [m for m in sentence.mentions if offset <= m.start and m.end <= limit]


def _coordinated(text: str, found: list[Mention], actor: str | None) -> list[Mention]:
    """The first mention of another side than ``actor``, and those coordinated with it."""
    chosen: list[Mention] = []
    for mention in found:
        if not chosen:
            if _side_key(mention.country) != _side_key(actor) or mention.country is None:
                chosen.append(mention)
            continue
        gap = text[chosen[-1].end - 0 : mention.start]
        if _side_key(mention.country) == _side_key(chosen[-1].country):
            chosen.append(mention)  # the same side named again ("Russian FM Lavrov")
        elif _COORDINATED.match(gap) or re.fullmatch(r"\s*(?:'s|’s)?\s*", gap):
            chosen.append(mention)
        else:
            break
    return chosen


# -- events ---------------------------------------------------------------------------------


def _date_groups(sentence: str, dates: list[TimeExpression]) -> list[list[TimeExpression]]:
    """Date expressions joined by commas or ``and`` ("in 2001, 2002 and 2011") form one group:
    the dates of several occurrences of one trigger."""
    groups: list[list[TimeExpression]] = []
    for expression in dates:
        if groups:
            last = groups[-1][-1]
            gap = sentence[last.end : expression.start]
            if expression.precision == last.precision and (
                last.end == expression.start or _COORDINATED.match(gap) or gap.strip() == ""
            ):
                groups[-1].append(expression)
                continue
        groups.append([expression])
    return groups


def _nearest(groups: list[list[TimeExpression]], start: int, end: int) -> list[TimeExpression]:
    def distance(group: list[TimeExpression]) -> int:
        if group[0].start >= end:
            return group[0].start - end
        if group[-1].end <= start:
            return start - group[-1].end
        return 0

    return min(groups, key=distance)


def find_events(
    text: str,
    mentions: Sequence[Mention],
    on: dt.date | None,
    rules: EventRules | None = None,
) -> list[Event]:
    """The events reported by ``text`` (title, blank line, body), with sides from
    ``mentions`` (offsets into ``text``) and dates resolved against ``on``, the article's
    date. Events are in text order, one per ``(type, actor country, target country, date)``."""
    rules = rules or EventRules.load()
    if not mentions:
        return []  # every event has a mentioned side: home against home is domestic
    ordered = sorted(mentions, key=lambda m: (m.start, -m.end))
    starts = [m.start for m in ordered]
    sentences = [
        _Sentence(s, e, text[s:e], [
            Mention(m.type, m.id, m.name, m.country, m.start - s, m.end - s, m.by_title, m.role, m.known)
            for m in _sentence_mentions(text, s, e, ordered, starts)
        ])
        for s, e in split_sentences(text)
    ]  # fmt: skip
    # the ids of names the actor data do not hold and the text ties to no country: a side
    # that cannot be determined gives no event (E3), unlike an international body's
    undetermined = {m.id for m in mentions if not m.known and m.country is None}
    voice = _speaker(sentences, rules.home)  # whose voice a sentence without a subject is in
    quoted: Side | None = None
    guest: Side | None = None  # the foreign side of the story's last visit or meeting
    voice_stamps: list[Stamp] = []
    quoted_stamps: list[Stamp] = []

    raw: list[tuple[Event, int]] = []  # (event, order)
    last_text_dates: list[TimeExpression] = []
    previous_subject: Mention | None = None
    arrivals: list[Stamp] | None = None
    for index, sentence in enumerate(sentences):
        if arrivals is not None and sentence.mentions and _LIST_START.match(sentence.text):
            # "Personages of different countries came here today. They included X, Y…"
            visit = rules.types["visit"]
            home = _home_side(rules.home)
            for key, mention in {_side_key(m.country): m for m in sentence.mentions if m.country}.items():
                if key != _side_key(rules.home):
                    for date, precision, from_text in arrivals:
                        raw.append((Event("visit", visit.cameo, visit.plover, _side(mention), home, date,
                                          precision, from_text, sentence.text), index))  # fmt: skip
        arrivals = None
        if not sentence.mentions and not (previous_subject and _PRONOUN_START.match(sentence.text)):
            arrivals = _unnamed_arrivals(sentence, on)
            continue  # every event has a mentioned side: home alone is domestic
        words = set(_WORD.findall(sentence.text.lower()))
        speaking = None if words.isdisjoint(SPEECH_WORDS) else speech_subject(sentence.text, sentence.mentions)
        if speaking is not None:
            voice, voice_stamps = _side(speaking), []
        elif guest is not None and guest_speaks(sentence.text):
            voice, voice_stamps = guest, []
        praised = (
            laudatory_target(sentence.text, rules.laudatory, sentence.mentions, voice.country, rules.home, _SAME_SIDE)
            if rules.laudatory is not None and voice.country is not None and not words.isdisjoint(rules.laudatory_words)
            else None
        )
        triggers = _triggers(sentence.text, words, rules)
        if not triggers and praised is None:
            if sentence.mentions:
                previous_subject = sentence.mentions[0]
            continue
        dates = find_dates(sentence.text, on) if on is not None and not words.isdisjoint(_DATE_WORDS) else []
        groups = _date_groups(sentence.text, dates)
        if speaking is not None and groups:
            # what is said after a dated speech takes its date (D9, D11)
            voice_stamps = [(d.date, d.precision, True) for d in groups[0]]
        if praised is not None:
            # a laudatory statement (E13) in a foreign voice: KCNA's own eulogies are domestic
            praise = rules.types["praise"]
            for date, precision, from_text in voice_stamps or [(on, "day" if on else None, False)]:
                raw.append((Event("praise", praise.cameo, praise.plover, voice, _side(praised), date,
                                  precision, from_text, sentence.text), index))  # fmt: skip
        subject_fallback = previous_subject if _PRONOUN_START.match(sentence.text) else None
        found = [
            (
                trigger,
                match,
                [
                    (a, b)
                    for a, b in _pairs(sentence, trigger, match, rules, voice, subject_fallback)
                    if a.id not in undetermined and b.id not in undetermined
                ],
            )
            for trigger, match in triggers
            if trigger.type.speaker or not _NEGATED.search(sentence.text, max(0, match.start() - 80), match.start())
        ]
        # one type per occurrence (E7): an anniversary marked by a visit or a message of the
        # same side, a meeting that is the same pair's message or anniversary, is that only
        visiting = {_side_key(a.country) for t, _, ps in found if t.type.name in ("message", "visit") for a, _ in ps}
        marked = {
            frozenset((_side_key(a.country), _side_key(b.country)))
            for t, _, ps in found if t.type.name in ("message", "anniversary") for a, b in ps
        }  # fmt: skip
        for trigger, match, pairs in found:
            kind = trigger.type.name
            if kind == "anniversary":
                pairs = [(a, b) for a, b in pairs if _side_key(a.country) not in visiting]
            elif kind == "meeting":
                pairs = [
                    (a, b) for a, b in pairs if frozenset((_side_key(a.country), _side_key(b.country))) not in marked
                ]
            if not pairs:
                continue
            if groups:
                chosen: list[TimeExpression] | None = _nearest(groups, match.start(), match.end())
            elif last_text_dates and _SAME_OCCASION.search(sentence.text):
                chosen = last_text_dates
            else:
                chosen = None
            if chosen:
                last_text_dates = chosen
                stamps: list[Stamp] = [(d.date, d.precision, True) for d in chosen]
            elif trigger.type.speaker and voice_stamps:
                stamps = voice_stamps
            else:
                stamps = [(on, "day" if on else None, False)]
            if kind in ("message", "meeting") and pairs[0][0].name:
                # "The message said: …" is in the sender's voice; after "X met Y", "He
                # said …" is X's
                quoted = pairs[0][0]
                quoted_stamps = stamps if stamps[0][2] else []
            if kind in ("visit", "meeting"):
                guest = next(
                    (side for pair in pairs for side in pair if _side_key(side.country) != _side_key(rules.home)), guest
                )
            for actor, target in pairs:
                for date, precision, from_text in stamps:
                    event = Event(kind, trigger.type.cameo, trigger.type.plover, actor, target, date,
                                  precision, from_text, sentence.text)  # fmt: skip
                    raw.append((event, index))
        arrivals = _unnamed_arrivals(sentence, on)
        if sentence.mentions:
            previous_subject = sentence.mentions[0]
        if quoted is not None:
            voice, voice_stamps, quoted = quoted, quoted_stamps, None
    return _deduplicated(
        [event for event, _ in raw],
        title_end=sentences[0].end if sentences else 0,
        text=text,
    )


def _unnamed_arrivals(sentence: _Sentence, on: dt.date | None) -> list[Stamp] | None:
    """The date stamps of "… came here today" when no traveller is named before it (the
    next sentence may list them, ``_LIST_START``), else None."""
    # every match holds "here": the substring test spares most sentences the regex
    arrival = _ARRIVALS.search(sentence.text) if on is not None and "here" in sentence.text.lower() else None
    if arrival is None or any(m.start < arrival.start() for m in sentence.mentions):
        return None
    dates = find_dates(sentence.text, on)  # type: ignore[arg-type]
    return [(dates[0].date, dates[0].precision, True)] if dates else [(on, "day", False)]


def _triggers(sentence: str, words: set[str], rules: EventRules) -> list[tuple[Trigger, re.Match[str]]]:
    """The trigger matches of a sentence, an earlier trigger winning where two overlap."""
    taken: list[tuple[int, int]] = []
    found = []
    numbers = sorted({n for word in words & rules.index.keys() for n in rules.index[word]})
    for trigger in (rules.triggers[n] for n in numbers):
        for match in trigger.pattern.finditer(sentence):
            start, end = match.span()
            if any(start < e and s < end for s, e in taken):
                continue
            taken.append((start, end))
            found.append((trigger, match))
    found.sort(key=lambda item: item[1].start())
    return found


def _speaker(sentences: list[_Sentence], home: str) -> Side:
    """Whose voice the story is in: the subject of its first body sentence when that
    sentence reports someone speaking or writing, else home (E4, KCNA's own voice)."""
    body = sentences[1:] or sentences
    for sentence in body[:1]:
        if sentence.mentions and _SPEECH_CUE.search(sentence.text):
            first = sentence.mentions[0]
            if first.type != "country" or first.start < 40:
                return _side(first)
    return _home_side(home)


def _pairs(
    sentence: _Sentence,
    trigger: Trigger,
    match: re.Match[str],
    rules: EventRules,
    speaker: Side,
    subject_fallback: Mention | None,
) -> list[tuple[Side, Side]]:
    start, end = match.span()
    kind = trigger.type
    text = sentence.text
    home = _home_side(rules.home)
    actors: list[Side] = []
    targets: list[Side] = []
    subject = _first_before(sentence, start)
    if trigger.voice in ("active", "nearest", "possessor"):
        if trigger.voice == "possessor":
            subject = next((m for m in reversed(sentence.mentions) if m.end <= start and m.type == "person"), subject)
        if trigger.voice == "nearest":
            # the nearest mention before the match that is not the object of a preposition
            # ("… relations with Israel and will take other sanctions" is no threat by Israel)
            subject = next(
                (
                    m
                    for m in reversed(sentence.mentions)
                    if m.end <= start and not _PREPOSITION.search(text, max(0, m.start - 12), m.start)
                ),
                None,
            )
        if kind.speaker and _HEADLINE_END.match(text, end) and not _after(sentence, end, len(text)):
            # a headline in the passive without "by" ("S. Korea's … Campaign Blasted"): the
            # speaker says it of what the headline names (the targets before, below)
            actors = [speaker]
        elif subject is not None:
            actors = [_side(subject)]
        elif subject_fallback is not None:
            actors = [_side(subject_fallback)]
        elif trigger.home_actor:
            actors = [home]
        elif kind.speaker:
            actors = [speaker]
        found = _after(sentence, end, len(text))
        actor_country = actors[0].country if actors else None
        if kind.name == "visit" and _HOME_PLACE.match(text, end):
            found = []
            targets = [home]
        elif kind.many_targets:
            # a place is no target ("Praised in Peru", "rejects the U.S. policy at UN"); "at" a
            # country is the verb's object ("lashed out at the U.S.")
            targets = [
                _side(m) for m in found
                if not _at_place(text, m)
                and not (kind.name == "praise" and _OPPOSED.search(text, max(0, m.start - 40), m.start))
            ]  # fmt: skip
        else:
            targets = [_side(m) for m in _coordinated(text, found, actor_country)]
        if not targets and kind.many_targets and actors:
            # "if the U.S. ignites a war, the DPRK will react with just war": the target before
            targets = [
                _side(m)
                for m in sentence.mentions
                if m.end <= start and _side_key(m.country) != _side_key(actor_country)
            ]
        if not targets and trigger.home_target:
            targets = [home]
    elif trigger.voice == "passive":
        found = _after(sentence, end, len(text))
        if found:
            actors = [_side(found[0])]
        if subject is not None:
            targets = [_side(subject)]
        else:
            targets = [home]
        if kind.name == "meeting" and subject is not None:
            # "X received Y, who paid a courtesy call on him": the host is the actor (E9)
            actors, targets = [_side(subject)], ([_side(found[0])] if found else [])
    elif trigger.voice == "inverted":
        actors = [_side(m) for m in _after(sentence, end, len(text))]
        targets = [home]
    elif trigger.voice == "adjacent":
        near = [
            m for m in sentence.mentions
            if start - _ADJACENT_WINDOW <= m.end <= start or end <= m.start <= end + 10
        ]  # fmt: skip
        if not near:
            return []
        targets = [_side(near[-1] if near[-1].end <= start else near[0])]
        if (
            subject is not None
            and subject.start < near[0].start
            and len(text[: subject.start].split()) <= 3  # the sentence's own subject, not an object
            and _side_key(subject.country) != _side_key(targets[0].country)
        ):
            actors = [_side(subject)]
        else:
            actors = [speaker]
    elif trigger.voice == "anniversary":
        found = _after(sentence, end, len(text))
        if not found:
            return []
        owner = found[0]
        before = [m for m in sentence.mentions if m.end <= start and _side_key(m.country) != _side_key(owner.country)]
        if before:
            actors = list({_side_key(m.country): _side(m) for m in before}.values())
            targets = [_side(owner)]
        elif _BILATERAL.search(text, end):
            # "the 70th anniversary of diplomatic relations between the DPRK and Russia"
            other = [m for m in found[1:] if _side_key(m.country) != _side_key(owner.country)]
            if not other:
                return []
            actors, targets = [_side(owner)], [_side(other[0])]
        else:
            # no marker named before, and no pair: "Greeting … the centenary of the birth of
            # President Kim Il Sung, I, on behalf of the Syrian people …" is the message's
            return []
    elif trigger.voice == "pair":
        countries: list[Mention] = []
        # the pair named after the match ("talks … between the DPRK and the U.S."), else
        # from its start ("adopted the DPRK-Russia joint declaration"), else the sentence's
        for after in (_after(sentence, end, len(text)), _after(sentence, start, len(text)), sentence.mentions):
            if len({_side_key(m.country) for m in after if m.country}) >= 2:
                break
        for mention in after:
            if mention.country and all(_side_key(mention.country) != _side_key(m.country) for m in countries):
                countries.append(mention)
        if len(countries) < 2:
            return []
        actors, targets = [_side(countries[0])], [_side(countries[1])]
    pairs: list[tuple[Side, Side]] = []
    seen: set[tuple[str | None, str | None]] = set()
    for actor in actors:
        for target in targets:
            if actor.country is None and target.country is None:
                continue
            if _side_key(actor.country) == _side_key(target.country):
                continue  # domestic (E2)
            key = (actor.country, target.country)
            if key not in seen:
                seen.add(key)
                pairs.append((actor, target))
    return pairs


def _contains(wide: Event, narrow: Event) -> bool:
    """Whether ``wide``'s date, at its precision, covers ``narrow``'s."""
    if wide.date is None or narrow.date is None:
        return False
    if wide.date_precision == "year":
        return narrow.date.year == wide.date.year
    if wide.date_precision == "month":
        return (narrow.date.year, narrow.date.month) == (
            wide.date.year,
            wide.date.month,
        )
    return wide.date == narrow.date


_RANK = {"day": 3, "month": 2, "year": 1, None: 0}


def _deduplicated(events: list[Event], title_end: int, text: str) -> list[Event]:
    """One event per occurrence (E6): same type and sides, and a date that covers the other's
    (the most precise kept); an event of the title without a date of its own is the one the
    body tells when the body has it."""
    title = text[:title_end]
    kept: list[Event] = []
    for event in events:
        triple = (event.type, event.actor.country, event.target.country)
        replaced = False
        for i, other in enumerate(kept):
            if (other.type, other.actor.country, other.target.country) != triple:
                continue
            if other.date == event.date and other.date_precision == event.date_precision:
                replaced = True
                break
            other_title = other.sentence == title and not other.date_from_text
            event_title = event.sentence == title and not event.date_from_text
            if other_title and event.date_from_text:
                kept[i] = event
                replaced = True
                break
            if event_title and other.date_from_text:
                replaced = True
                break
            if not (event.date_from_text and other.date_from_text):
                continue
            if _RANK[event.date_precision] > _RANK[other.date_precision] and _contains(other, event):
                kept[i] = event
                replaced = True
                break
            if _RANK[event.date_precision] <= _RANK[other.date_precision] and _contains(event, other):
                replaced = True
                break
        if not replaced:
            kept.append(event)
    return kept
