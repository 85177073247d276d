"""Diplomatic events: what passes between two countries, read from an article's sentences.

``find_events(text, mentions, on)`` splits the analysed text (the title, a blank line, the
body) into sentences, finds the trigger patterns of ``data/events.toml`` in each, takes the
event's sides from the mentions of that sentence around the trigger (see the file's
``voice`` field), and its date from the date expressions of the sentence (``timex``), else
the article's date. The rules follow the annotation guide (``docs/annotation-guide.md``
section 6, cited as GUIDE): domestic events are dropped (E2, Russia and the Soviet Union
counting as one side), several actors or targets give one event per pair (E5), one event
per ``(type, actor, target, date)`` with the most precise date kept (E6), and within a
sentence a message or a visit is not also an anniversary, an anniversary not also a
meeting (E7). What a story says of one side — praise, denunciation, threat — is one event
per side and target unless the text dates a telling apart, and a story whose every mention
is home's has none (E2).

The story is read sentence by sentence (:class:`_Reading`, what one sentence leaves for the
next: the voice, the guest, the dates last given); the sides of a trigger match are read in
``analysis.pairs``, sentences and sides are ``analysis.sides``, dates and the merging of
one occurrence's events ``analysis.stamps``, the actors or places a sentence lists for an
event the one before left unnamed ``analysis.listing``, and a sentence's trigger matches,
kept to one event per occurrence, ``analysis.matches``.

Pure: the trigger file is read and compiled once per :class:`EventRules` (``load()`` is
cached), and ``find_events`` does no I/O.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from wirewatch.analysis.anniversaries import anniversary_owner
from wirewatch.analysis.blame import adversaries, blames_another
from wirewatch.analysis.features import StoryReading
from wirewatch.analysis.gatherings import RESIDENTS_ID, UNNAMED_IDS, event_sides
from wirewatch.analysis.learned import EventModel, revise
from wirewatch.analysis.listing import LISTED_TYPES, Unnamed, lists, open_ended, unassigned, unnamed_arrivals
from wirewatch.analysis.matches import Found, one_statement_each, one_type_each, sentence_triggers, verbs_first
from wirewatch.analysis.pairs import Occurrence, trigger_pairs
from wirewatch.analysis.places import Places, packaged_places
from wirewatch.analysis.plain import is_plain
from wirewatch.analysis.sentences import split_sentences
from wirewatch.analysis.sides import SAME_SIDE, Sentence, first_before, home_side, side, side_key, story_sentences
from wirewatch.analysis.speakers import relayed_critics, story_speaker, story_venue, unplaced
from wirewatch.analysis.stamps import DATE_WORDS, Stamp, date_groups, deduplicated, nearest_group, stamps_of, undated
from wirewatch.analysis.timex import TimeExpression, find_dates
from wirewatch.analysis.tributes import flowers, laid_here, one_visit_each
from wirewatch.analysis.triggers import EventRules, EventType, Trigger
from wirewatch.analysis.voices import SPEECH_WORDS, laudatory_target, names_korea, speech_subject, unnamed_speaker
from wirewatch.models import Event, Mention, Side

__all__ = ["EventModel", "EventRules", "StoryReading", "Trigger", "find_events", "read_story", "split_sentences"]

_NEGATED = re.compile(
    r"\b(?:not|never|no\s+longer|nor|should|must|would\s+like\s+to|proposed|propose|call(?:ed|s|ing)?\s+for|"
    r"urg(?:ed|es|ing)|demand(?:ed|s|ing)?|plans?\s+to|intends?\s+to|disallow(?:ed|s|ing)?|"
    r"(?:prevent(?:ed|s|ing)?|bar(?:red|s|ring)|ban(?:ned|s|ning)?)\s+(?:[\w'’-]+\s+){0,4}?from|"
    r"hop(?:e|es|ed|ing)\s+that|wish(?:es|ed)?\s+that|would\s+be)\b[^.;]{0,40}$",
    re.IGNORECASE,
)
# A warning the sentence only recalls as ignored ("Despite the DPRK's warning, the U.S. has
# persisted …", "defying our warnings"): made before, not announced here.
_DEFIED = re.compile(
    r"\b(?:despite|in\s+spite\s+of|ignor\w*|defiance\s+of|defy\w*|disregard\w*|heed\w*\s+(?:to\s+)?)\s+"
    r"(?:[\w'’.-]+\s+){0,4}?$",
    re.IGNORECASE,
)
#: The voice of an international body in the laudatory reader, which wants a country code.
_INTERNATIONAL = "international"
#: How far into its sentence home's name may open it as the sender of messages it sends to
#: recipients listed after ("The dear respected Kim Jong Un sent messages to …").
_SENDER_OPENING = 30
#: A sentence that opens with "They" (the visitors of the sentence before: ``visitors``).
_THEY_OPEN = re.compile(r"\s*They\b")
_PRONOUN_START = re.compile(
    r"^\s*(?:He|She|They|It|The\s+(?:paper|article|statement|bulletin|speaker|delegation|demonstrators|protesters|"
    r"participants|rallyists|speakers|organization|association|committee|group|party|ministry|government|"
    r"visitors|guests|delegates|mission|troupe|team))\b"
)
# Praise of a person the sentence names only by "his" or "her" ("Under his guidance Korean
# socialism will emerge victorious, he added"): the home person the story last named.
_HIS_LAUDED = re.compile(
    r"\b(?:under\s+(?:his|her)\s+(?:wise\s+|outstanding\s+|energetic\s+|seasoned\s+|tested\s+)?"
    r"(?:leadership|guidance)|thanks\s+to\s+(?:his|her)\b|(?:his|her)\s+(?:great\s+|immortal\s+|brilliant\s+)?"
    r"(?:feats|exploits|achievements|wisdom)\b|(?:his|her)\s+(?:great|revolutionary)\s+(?:career|life)\b"
    # "the great career of the President": the title of the home person named last
    r"|(?:great|revolutionary)\s+(?:career|life)\s+of\s+the\s+(?:President|leader|General|Marshal)\b)",
    re.IGNORECASE,
)
# "visited the DPRK embassy in their country": the visitors stay home, so no visit, but the
# occasion they mark is theirs to mark by it (E7)
_OWN_MISSION = re.compile(
    r"\s+(?:the\s+)?(?:[\w-]+\s+){0,3}?(?:embassy|mission|consulate)\s+in\s+(?:their|his|her|its)\s+(?:own\s+)?country\b"
)
# Right after a visit's verb, an embassy, mission or consulate as where it went ("paid a
# condolatory visit to the DPRK embassy in Moscow").
_TO_MISSION = re.compile(
    r"\s+(?:to\s+)?(?:the\s+|a\s+|its\s+)?(?:[\w-]+\s+){0,2}?(?:embass(?:y|ies)|missions?)\b", re.I
)
_SAME_OCCASION = re.compile(r"\b(?:the\s+same\s+(?:day|occasion|time)|that\s+day)\b", re.IGNORECASE)
_WORD = re.compile(r"[a-z]+|\d")
#: Voices whose events are said when the voice speaks: the dates of their sentence are those of
#: the conduct abused or threatened ("troops … assaulted an old couple on Feb. 26"), not theirs.
_SAID_NOW = frozenset(("adjacent", "menaced"))


def find_events(
    text: str,
    mentions: Sequence[Mention],
    on: dt.date | None,
    rules: EventRules | None = None,
    model: EventModel | None = None,
    places: Places | None = None,
) -> list[Event]:
    """The events reported by ``text`` (title, blank line, body), with sides from
    ``mentions`` (offsets into ``text``) and dates resolved against ``on``, the article's
    date: the rules' (``read_story``), revised by ``model`` (``analysis.learned``) when one
    is given. The rules' events are in text order, one per ``(type, actor country, target
    country, date)``."""
    rules = rules or EventRules.load()
    story = read_story(text, mentions, on, rules, places)
    if model is None or not story.sentences:
        return story.events
    return revise(story, model, rules, on)


def read_story(
    text: str, mentions: Sequence[Mention], on: dt.date | None, rules: EventRules, places: Places | None = None
) -> StoryReading:
    """The events the trigger rules find in ``text`` (see ``find_events``); ``places``: the
    capitals a visit may go to (by default the packaged actor data's)."""
    home = side_key(rules.home)
    places = places or packaged_places()
    mentions = event_sides(text, mentions)
    if all(m.country is not None and side_key(m.country) == home for m in mentions) and not places.abroad(
        text, home or ""
    ):
        # every side an event could take (the mentions, home, the voices and guests they
        # give, the capitals a visit goes to) is home's: every pair would be domestic (E2),
        # so none is read
        return StoryReading([], [], home_side(rules.home), frozenset())
    sentences = story_sentences(text, mentions)
    # the ids of names the actor data do not hold and the text ties to no country: a side
    # that cannot be determined gives no event (E3), unlike an international body's
    undetermined = frozenset(m.id for m in mentions if not m.known and m.country is None)
    voice = story_speaker(sentences, rules.home)
    reading = _Reading(rules, on, undetermined, voice=voice, plain=is_plain(text), places=places)
    reading.about = _about(sentences, rules.home)
    reading.venue = story_venue(sentences, rules.home)
    reading.opening = text[: sentences[1].end] if len(sentences) > 1 else text
    for sentence in sentences:
        reading.read(sentence)
    if reading.laid_visits:
        reading.events = one_visit_each(reading.events, reading.laid_visits)
    title = text[: sentences[0].end] if sentences else ""
    if any(m.id in UNNAMED_IDS for m in mentions):
        # the diplomats stationed here go to sites, not on visits (E8); people are no place
        reading.events = [
            e
            for e in reading.events
            if e.type != "visit" or (e.actor.id != RESIDENTS_ID and e.target.id not in UNNAMED_IDS)
        ]
    events = deduplicated(relayed_critics(reading.events, sentences[:2], rules.home), title)
    return StoryReading(one_statement_each(events, rules), sentences, voice, undetermined)


@dataclass(slots=True)
class _Reading:
    """A story read sentence by sentence: the events found so far, and what one sentence
    leaves for the next."""

    rules: EventRules
    on: dt.date | None
    #: the ids of sides that cannot be determined (E3)
    undetermined: frozenset[str]
    #: whose voice a sentence without a subject is in (E4)
    voice: Side
    #: the capitals a visit may go to (GUIDE C9, E8)
    places: Places
    #: the senders a list named after an unnamed message ("They included X, Y…"): the voice
    #: is theirs together while it is the first of them ("…, they added")
    chorus: list[Side] = field(default_factory=list)
    #: the dates of what the voice says, from a dated speech (D9, D11)
    voice_stamps: list[Stamp] = field(default_factory=list)
    #: the voice is that of flowers laid or sent: it honours, but its words of abuse are the
    #: story's ("They observed a moment's silence to the memory of the fighters who fought
    #: against the U.S. imperialists' invasion" is KCNA's abuse)
    wordless: bool = False
    #: the foreign side of the story's last visit, meeting or anniversary marked: who "the
    #: ambassador", "the head of the delegation" is
    guest: Side | None = None
    #: the dates the text last gave an event, for one "on the same day"
    last_text_dates: list[TimeExpression] = field(default_factory=list)
    #: the first mention of the sentence before, for a sentence that opens with a pronoun
    previous_subject: Mention | None = None
    #: the foreign sides the sentence read last told visiting home: "They laid floral
    #: baskets …" right after it is theirs
    visitors: list[Side] = field(default_factory=list)
    #: a list of the recipients home sent to was read: "He also sent …" after it is still home
    listed_recipients: bool = False
    #: the last sentence was a list that stopped without a full stop (cut by a paragraph break)
    open_list: bool = False
    #: the home person the story named last: whom a foreign voice's "his" praises
    home_person: Mention | None = None
    #: the event whose actors the next sentence may list ("They included …")
    unnamed: Unnamed | None = None
    #: the home person the story's title names, whom "his work" refers to
    about: Side | None = None
    #: the foreign side holding the gatherings the story reports: whose "speakers" say
    venue: Side | None = None
    #: the home side whose anniversary the story says is marked without naming who marks it
    #: ("Media of different countries gave wide publicity … on the occasion of the 52nd
    #: anniversary of …"): the tributes the next sentences report mark it
    occasion: Side | None = None
    #: the story's headline and first sentence: a site of home they name ("The number of
    #: visitors to the Revolutionary Martyrs Cemetery …") is where later flowers are laid
    opening: str = ""
    #: the visits read from flowers laid here: the same visit as any other the story tells
    laid_visits: list[Event] = field(default_factory=list)
    #: the occasion if the sentence read last names it (the next may list where it was marked)
    marked: Side | None = None
    events: list[Event] = field(default_factory=list)
    #: the story is plain ASCII: its patterns run in ASCII mode (``analysis.plain``)
    plain: bool = False

    @property
    def adversary(self) -> Side | None:
        """The side the story last denounced or threatened (not home)."""
        home = side_key(self.rules.home)
        return next((e.target for e in reversed(self.events) if blames_another(e, home)), None)

    def read(self, sentence: Sentence) -> None:
        """Add the events of the story's next sentence."""
        visitors, self.visitors = self.visitors, []
        listing = self._listed_actors(sentence)
        words: set[str] | None = None
        if not sentence.mentions and (unnamed := unnamed_speaker(sentence.text, self.guest, self.venue)):
            # "The head of the delegation said after his visit:", "The ceremony stressed …" name
            # nobody, but what they and the sentences after them say is the guests' or the hosts'
            self.voice, self.voice_stamps, self.wordless = unnamed, [], False
        if (
            not sentence.mentions
            and not (self.previous_subject and _PRONOUN_START.match(sentence.text))
            and not self._lauds_him(sentence)
            and not (side_key(self.voice.country) != side_key(self.rules.home) and names_korea(sentence.text))
        ):
            # every event has a mentioned side (home alone is domestic), but for a threat
            # to the side the story denounced ("it will have to pay dearly")
            if self.adversary is not None:
                words = set(_WORD.findall(sentence.text.lower()))
            if words is None or words.isdisjoint(self.rules.menace_words):
                self.unnamed = self._arrivals(sentence) or self._home_occasion(sentence) or listing
                return
        if words is None:
            words = set(_WORD.findall(sentence.text.lower()))
        speaking = self._listen(sentence, words)
        praised = self._praised(sentence, words)
        triggers = sentence_triggers(sentence.text, words, self.rules, self.plain)
        if not triggers and praised is None:
            self.unnamed = self._arrivals(sentence) or listing
            self._remember_subject(sentence)
            return
        on = self.on
        dates = find_dates(sentence.text, on) if on is not None and not words.isdisjoint(DATE_WORDS) else []
        groups = date_groups(sentence.text, dates)
        if speaking is not None and groups:
            # what is said after a dated speech takes its date (D9, D11)
            self.voice_stamps = stamps_of(groups[0])
        if praised is not None:
            # a laudatory statement (E13) in a foreign voice: KCNA's own eulogies are domestic
            praise = self.rules.types["praise"]
            for voice in self._chorus() or [self.voice]:
                self._add(sentence, praise, voice, side(praised), self.voice_stamps or [undated(on)])
        told = len(self.events)
        quoted = self._trigger_events(sentence, triggers, groups, visitors)
        home = side_key(self.rules.home)
        self.visitors = [
            e.actor
            for e in self.events[told:]
            if e.type == "visit"
            and side_key(e.target.country) == home
            and side_key(e.actor.country) not in (home, None)
        ]
        self.unnamed = self.unnamed or self._arrivals(sentence) or listing
        self._remember_subject(sentence)
        if quoted is not None:
            self.voice, self.voice_stamps, self.wordless = quoted

    def _add(self, sentence: Sentence, kind: EventType, actor: Side, target: Side, stamps: list[Stamp]) -> None:
        self.events.extend(
            Event(kind.name, kind.cameo, kind.plover, actor, target, s.date, s.precision, s.from_text, sentence.text)
            for s in stamps
        )

    def _remember_subject(self, sentence: Sentence) -> None:
        if self.listed_recipients:
            self.listed_recipients = False  # the sender named before the list is still the subject
            return
        if sentence.mentions:
            self.previous_subject = sentence.mentions[0]
            home = side_key(self.rules.home)
            for m in sentence.mentions:
                if m.type == "person" and m.country is not None and side_key(m.country) == home:
                    self.home_person = m

    def _lauds_him(self, sentence: Sentence) -> bool:
        """Whether a foreign voice praises the home person named last by "his" or "her"."""
        return (
            self.home_person is not None
            and self.voice.country is not None
            and side_key(self.voice.country) != side_key(self.rules.home)
            and ("his" in sentence.text or "her" in sentence.text or "of the" in sentence.text)  # cheap first
            and _HIS_LAUDED.search(sentence.text) is not None
        )

    def _listed_actors(self, sentence: Sentence) -> Unnamed | None:
        """The events of the actors a sentence lists after one that left them unnamed
        ("Personages of different countries came here today. They included X, Y…"): one per
        foreign country listed. Returns the unnamed event again for a further list ("Among
        them were also …")."""
        unnamed, self.unnamed = self.unnamed, None
        open_before, self.open_list = self.open_list, False
        if unnamed is None or not lists(unnamed, sentence.text, open_before):
            return None
        self.open_list = open_ended(sentence.text)
        home = side_key(self.rules.home)
        actors = {side_key(m.country): side(m) for m in sentence.mentions if m.country}
        listed = [actor for key, actor in actors.items() if key != home]
        # the list's own dates ("… and seminars held in Norway between August 20 and 25"), else the event's
        groups = date_groups(sentence.text, find_dates(sentence.text, self.on)) if self.on is not None else []
        stamps = unassigned(stamps_of(groups[0]) if groups else unnamed.stamps, [(a, unnamed.target) for a in listed])
        if unnamed.outgoing:
            for recipient in listed:
                self._add(sentence, unnamed.type, unnamed.target, recipient, stamps)
            self.listed_recipients = bool(listed)
            return unnamed
        for actor in listed:
            self._add(sentence, unnamed.type, actor, unnamed.target, stamps)
            if unnamed.occasion is not None:
                self._add(sentence, unnamed.occasion, actor, unnamed.target, stamps)
        if listed and unnamed.type.name == "message":
            # what the messages say is in their senders' voice, as after a named sender's
            voices = self._chorus()
            self.chorus = voices + [a for a in listed if all(a.country != v.country for v in voices)]
            self.voice, self.voice_stamps, self.wordless = self.chorus[0], [], False
        return unnamed

    def _chorus(self) -> list[Side]:
        """The listed senders who speak together: while the first of them is still the voice."""
        return self.chorus if self.chorus and self.chorus[0] is self.voice else []

    def _arrivals(self, sentence: Sentence) -> Unnamed | None:
        """The visit to home of "… came here today" when no traveller is named before it."""
        stamps = unnamed_arrivals(sentence, self.on)
        if stamps is None:
            return None
        return Unnamed(self.rules.types["visit"], home_side(self.rules.home), stamps)

    def _home_occasion(self, sentence: Sentence) -> Unnamed | None:
        """An anniversary of home that a sentence naming no side says was marked ("Media of
        different countries carried write-ups on the 58th anniversary of the Korean people's
        victory …"): the occasion the tributes after it mark, and that the next may list."""
        self.marked = None
        if "anniversary" not in sentence.text:  # cheap before the search
            return None
        trigger = self.rules.first["anniversary"]
        match = trigger.pattern.on(sentence.text, self.plain or None).search(sentence.text)
        if match is None:
            return None
        owner = self._home_owner(sentence, trigger, match)
        if owner is None:
            return None
        self.occasion = self.marked = owner
        dates = find_dates(sentence.text, self.on) if self.on is not None else []
        return Unnamed(trigger.type, owner, stamps_of(dates[:1]) if dates else [undated(self.on)])

    def _unnamed_senders(
        self, sentence: Sentence, found: list[Found], groups: list[list[TimeExpression]]
    ) -> Unnamed | None:
        """A message or praise to home whose senders the sentence does not name: it names no
        foreign side ("… received congratulatory messages from personages of various
        countries")."""
        home = side_key(self.rules.home)
        if any(m.country is not None and side_key(m.country) != home for m in sentence.mentions):
            return None
        named = any(m.country is None for m in sentence.mentions)  # a body of no country: its sender
        for trigger, match, pairs in found:
            if trigger.type.name == "anniversary":
                if self.marked is None or pairs or any(f.trigger.type.name != "anniversary" for f in found):
                    continue  # marked at home, not home's occasion, or the occasion of another event
                return Unnamed(trigger.type, self.marked, self._stamps(sentence, trigger, match, groups))
            if named:
                continue
            if trigger.type.name in LISTED_TYPES and all(side_key(a.country) == home for a, _ in pairs):
                sender = (
                    first_before(sentence, match.start())
                    if trigger.voice == "active" and trigger.type.name == "message"
                    else None
                )
                if (
                    not pairs
                    and sender is not None
                    and sender.start <= _SENDER_OPENING
                    and sender.country is not None
                    and side_key(sender.country) == home
                ):
                    # home, named, sent them to recipients the next sentence lists
                    stamps = self._stamps(sentence, trigger, match, groups)
                    return Unnamed(trigger.type, side(sender), stamps, outgoing=True)
                target = next((side(m) for m in sentence.mentions if m.country), home_side(self.rules.home))
                # messages and gifts for an occasion are not its marking (E11)
                occasion = self._home_occasion_in(sentence, found) if trigger.type.name != "message" else None
                return Unnamed(trigger.type, target, self._stamps(sentence, trigger, match, groups), occasion)
        return None

    def _home_occasion_in(self, sentence: Sentence, found: list[Found]) -> EventType | None:
        """The anniversary type, when the sentence names an occasion of home's that no side
        it names marks ("… to pay tribute to Kim Jong Il and observe the 15th anniversary of
        …"): the places or senders listed after it mark it."""
        for trigger, match, pairs in found:
            if trigger.type.name == "anniversary" and not pairs and self._home_owner(sentence, trigger, match):
                return trigger.type
        return None

    def _home_owner(self, sentence: Sentence, trigger: Trigger, match: re.Match[str]) -> Side | None:
        """Home, when the anniversary ``match`` names one of home's occasions, else None."""
        home = home_side(self.rules.home)
        occurrence = Occurrence(
            sentence, trigger, match.start(), match.end(), home, self.voice, None, self.adversary, self.guest, None
        )
        owner = anniversary_owner(occurrence)
        return owner if owner is not None and side_key(owner.country) == side_key(home.country) else None

    def _listen(self, sentence: Sentence, words: set[str]) -> Mention | None:
        """Who the sentence says is speaking, if it names them; the voice follows (E4, E14)."""
        speaking = None if words.isdisjoint(SPEECH_WORDS) else speech_subject(sentence.text, sentence.mentions)
        if speaking is not None and self.guest is None and unplaced(speaking):
            # someone no text ties to a country, in a story with no foreign guest ("Ko Chang
            # Do, chairman of the Tongrim County People's Committee, said:"): the voice goes on
            speaking = None
        if speaking is not None:
            self.voice, self.voice_stamps, self.wordless = side(speaking), [], False
        elif unnamed := unnamed_speaker(sentence.text, self.guest, self.venue):
            self.voice, self.voice_stamps, self.wordless = unnamed, [], False
        return speaking

    def _praised(self, sentence: Sentence, words: set[str]) -> Mention | None:
        """What a laudatory statement of the sentence praises in a foreign voice (E13), if any."""
        rules, voice = self.rules, self.voice.country
        if voice is None and self.voice.id is not None and self.voice.id not in self.undetermined:
            voice = _INTERNATIONAL  # an international body the data know, or its officer (E3)
        if rules.laudatory is None or voice is None or words.isdisjoint(rules.laudatory_words):
            return None
        if side_key(voice) in self._home_targets():
            return None  # a voice home denounces in the story ("traitor Lee … said"): KCNA's words
        pattern = rules.laudatory.on(sentence.text, self.plain or None)
        praised = laudatory_target(sentence.text, pattern, sentence.mentions, voice, rules.home, SAME_SIDE)
        if praised is None and self._lauds_him(sentence):
            return self.home_person
        return praised

    def _home_targets(self) -> frozenset[str | None]:
        """The sides (by ``side_key``) home has denounced in the story so far."""
        home = side_key(self.rules.home)
        return frozenset(
            side_key(e.target.country)
            for e in self.events
            if e.type == "denounce" and side_key(e.actor.country) == home
        )

    def _trigger_events(
        self,
        sentence: Sentence,
        triggers: list[tuple[Trigger, re.Match[str]]],
        groups: list[list[TimeExpression]],
        visitors: list[Side],
    ) -> tuple[Side, list[Stamp], bool] | None:
        """Add the events of the sentence's triggers. Returns the voice, with its dates, that a
        message or a meeting leaves to the sentences after it, if one does, and whether that
        message is flowers (``wordless``)."""
        quoted = None
        found = self._found(sentence, triggers, visitors)
        self.unnamed = self._unnamed_senders(sentence, found, groups)
        for trigger, match, pairs in one_type_each(found):
            if trigger.type.name == "visit" and _OWN_MISSION.match(sentence.text, match.end()):
                continue
            stamps = unassigned(self._stamps(sentence, trigger, match, groups), pairs)
            kind = trigger.type.name
            if kind in ("message", "meeting") and pairs[0][0].name:
                # "The message said: …" is in the sender's voice; after "X met Y", "He
                # said …" is X's
                quoted = (pairs[0][0], stamps if stamps[0].from_text else [], flowers(match.group()))
            if kind in ("visit", "meeting", "anniversary"):
                home = side_key(self.rules.home)
                self.guest = next((s for pair in pairs for s in pair if side_key(s.country) != home), self.guest)
            for actor, target in pairs:
                self._add(sentence, trigger.type, actor, target, stamps)
            if kind == "message" and laid_here(sentence.text, match.group(), self.opening):
                visit = self.rules.types["visit"]
                home = side_key(self.rules.home)
                for actor, target in pairs:
                    if side_key(target.country) == home and side_key(actor.country) not in (home, None):
                        told = len(self.events)
                        self._add(sentence, visit, actor, target, stamps)
                        self.laid_visits.extend(self.events[told:])
        return quoted

    def _found(
        self, sentence: Sentence, triggers: list[tuple[Trigger, re.Match[str]]], visitors: list[Side]
    ) -> list[Found]:
        """The sentence's trigger matches that are not negated, each with the pairs of its
        sides that can be determined (E3)."""
        home = home_side(self.rules.home)
        fallback = self.previous_subject if _PRONOUN_START.match(sentence.text) else None
        found = []
        self.marked = None
        home_key = side_key(home.country)
        home_targets = self._home_targets()
        for trigger, match in triggers:
            start, end = match.span()
            if not trigger.type.speaker and _NEGATED.search(sentence.text, max(0, start - 80), start):
                continue
            if match.group().lower().startswith("warning") and _DEFIED.search(sentence.text, max(0, start - 50), start):
                continue
            occurrence = Occurrence(
                sentence,
                trigger,
                start,
                end,
                home,
                home if self.wordless and trigger.voice == "adjacent" else self.voice,
                fallback,
                self.adversary,
                self.guest,
                self.about,
                home_targets,
                adversaries(self.events, side_key(self.rules.home), sentence.text)
                if trigger.voice == "menaced"
                else (),
            )
            pairs = trigger_pairs(occurrence)
            if not pairs and trigger.type.name == "visit":
                # no country it goes to: the capital it names as the place ("arrived in Moscow")
                placed = self.places.in_sentence(sentence, home_key or "", start)
                if placed is not sentence:
                    pairs = trigger_pairs(replace(occurrence, sentence=placed))
            pairs = [(a, b) for a, b in pairs if a.id not in self.undetermined and b.id not in self.undetermined]
            kind = trigger.type.name
            if (
                kind == "message"
                and visitors
                and _THEY_OPEN.match(sentence.text)
                and all(side_key(a.country) in (home_key, None) for a, _ in pairs)
            ):
                pairs = [(visitor, home) for visitor in visitors]  # "They laid floral baskets …"
            if kind == "anniversary" and not pairs:
                owner = anniversary_owner(occurrence)
                if owner is not None and side_key(owner.country) == side_key(home.country):
                    self.occasion = self.marked = owner
            elif trigger.voice == "tribute" and self.occasion is not None:
                # a tribute in a story of an anniversary marked abroad marks it too
                marking = [(a, self.occasion) for a, b in pairs if side_key(a.country) != side_key(home.country)]
                if marking:
                    found.append(Found(self.rules.first["anniversary"], match, marking))
            if kind == "visit" and _TO_MISSION.match(sentence.text, end):
                trigger = self.rules.first["message"]  # a call at an embassy is a message (E8, E10)
            found.append(Found(trigger, match, pairs))
        return verbs_first(found)

    def _stamps(
        self, sentence: Sentence, trigger: Trigger, match: re.Match[str], groups: list[list[TimeExpression]]
    ) -> list[Stamp]:
        """When a trigger's event happened: the sentence's dates nearest the trigger, the dates
        last given for "the same day", a speech's dates for what the voice says, else the
        article's date."""
        if groups and trigger.voice not in _SAID_NOW:
            chosen = nearest_group(groups, match.start(), match.end())
        elif self.last_text_dates and _SAME_OCCASION.search(sentence.text):
            chosen = self.last_text_dates
        else:
            chosen = []
        if chosen:
            self.last_text_dates = chosen
            return stamps_of(chosen)
        if trigger.type.speaker and self.voice_stamps:
            return self.voice_stamps
        return [undated(self.on)]


def _about(sentences: list[Sentence], home: str) -> Side | None:
    """The home person the story's title names, else its first body sentence (whom "his
    work", "his photo" refer to)."""
    key = side_key(home)
    for sentence in sentences[:2]:
        person = next((m for m in sentence.mentions if m.type == "person" and side_key(m.country) == key), None)
        if person is not None:
            return side(person)
    return None
