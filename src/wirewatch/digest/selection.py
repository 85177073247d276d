"""The must-read selection: each story of an edition scored, with its reasons, and filed
in a section.

``build_digest`` reads an edition once (``SQLStore.edition_data``) and scores every story;
``topic_hits`` runs each distinct topic of the readers once; ``Digest.for_reader`` then
only filters, boosts and caps, so that ten thousand readers cost ten thousand cheap
passes over the same scored items. Scoring itself (``score_edition``) is a pure function
of the edition's data, the actor data and the rules (``wirewatch/data/digest.toml``,
explained in docs/digest.md).
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Protocol

from wirewatch.digest.leads import lead_of
from wirewatch.digest.rules import DigestRules, SectionRule, load_rules
from wirewatch.errors import WirewatchError
from wirewatch.models import Article, EntityCount, Event
from wirewatch.present.shapes import format_date, safe_link
from wirewatch.store.digests import EditionData

if TYPE_CHECKING:
    from wirewatch.analysis.actors import Actors
    from wirewatch.digest.rising import RisingSection
    from wirewatch.store import SQLStore

__all__ = ["Digest", "DigestItem", "ReaderChoices", "Reason", "Section", "build_digest", "score_edition", "topic_hits"]

log = logging.getLogger("wirewatch.digest")

#: Leaders and events named one by one among an item's reasons; the rest are summed.
NAMED_REASONS = 3
_WORD = re.compile(r"\w{4,}")
_TITLE_KEY = re.compile(r"[\W_]+")


class ReaderChoices(Protocol):
    """What ``for_reader`` needs of a reader's preferences (``models.Preferences``)."""

    @property
    def topics(self) -> Sequence[str]: ...

    @property
    def sources(self) -> Sequence[str]: ...

    @property
    def languages(self) -> Sequence[str]: ...


@dataclass(frozen=True, slots=True)
class Reason:
    """Why a story scored what it did: a short line for readers, and its points."""

    text: str
    points: int

    def __str__(self) -> str:
        return f"{self.text} ({self.points:+d})"


@dataclass(frozen=True, slots=True)
class Edition:
    """A story in another language (a translation in its thread), as a reader who reads only
    that language gets it."""

    language: str
    article_id: int
    title: str
    lead: str
    url: str | None


@dataclass(frozen=True, slots=True)
class DigestItem:
    """One story of a digest."""

    article_id: int
    title: str
    lead: str
    source: str
    date: dt.date
    #: The original's address at its outlet (http or https only), if the archive has one.
    url: str | None
    language: str | None
    section: str
    score: int
    reasons: tuple[Reason, ...]
    #: Why the section: its strongest signals, in words.
    section_why: str
    #: Every outlet carrying the story, the item's own first.
    outlets: tuple[str, ...]
    #: The articles that are this story (copies, same-titled stories of the edition).
    articles: frozenset[int]
    #: The reader's topics the story matches (set by ``Digest.for_reader``).
    topics: tuple[str, ...] = ()
    #: ``outlets`` case-folded, as a reader's sources are compared with them.
    outlet_keys: frozenset[str] = frozenset()
    #: The story in the other languages the edition holds it in (case-folded codes).
    editions: tuple[Edition, ...] = ()


@dataclass(frozen=True, slots=True)
class Section:
    id: str
    name: str
    items: tuple[DigestItem, ...]


@dataclass(frozen=True, slots=True)
class Digest:
    """An edition: the stories dated to the ``days`` days ending on ``day``, by section,
    best first. As built, every story is there; ``for_reader`` gives a reader's copy.

    ``cache`` holds what rendering makes once per edition (each item's HTML and text);
    a reader's copy shares its edition's cache.
    """

    day: dt.date
    days: int
    sections: tuple[Section, ...]
    #: The articles the edition read (copies included).
    articles: int
    rules: DigestRules
    cache: dict[Any, Any] = field(default_factory=dict, compare=False, repr=False)
    #: What rose in the week that ends the edition, the same in every copy (``digest.rising``;
    #: None: not read, or too little text to tell).
    rising: RisingSection | None = None

    @property
    def since(self) -> dt.date:
        return self.day - dt.timedelta(days=self.days - 1)

    @property
    def weekly(self) -> bool:
        return self.days == 7

    @property
    def items(self) -> list[DigestItem]:
        return [item for section in self.sections for item in section.items]

    @property
    def title(self) -> str:
        """'Daily Update, 9 May 2012' or 'Weekly Update, 3–9 May 2012'."""
        if self.days == 1:
            return f"Daily Update, {format_date(self.day, 'day')}"
        label = "Weekly Update" if self.weekly else f"{self.days}-day Update"
        start = self.since
        if (start.year, start.month) == (self.day.year, self.day.month):
            span = f"{start.day}–{format_date(self.day, 'day')}"
        elif start.year == self.day.year:
            span = f"{start.day} {start:%B} – {format_date(self.day, 'day')}"
        else:
            span = f"{format_date(start, 'day')} – {format_date(self.day, 'day')}"
        return f"{label}, {span}"

    def for_reader(
        self,
        prefs: ReaderChoices | None = None,
        hits: Mapping[str, frozenset[int]] | None = None,
        *,
        cap: int | None = None,
    ) -> Digest:
        """The reader's copy: only stories carried by the reader's sources and in their
        languages (none given: all), each story matching a topic raised with a reason
        saying so, then the best ``cap`` (by default the rules' ``per_section``; 0: all)
        of each section. ``hits``: what ``topic_hits`` found for the edition's topics."""
        cap = self.rules.per_section if cap is None else cap
        sources = frozenset(s.casefold() for s in prefs.sources) if prefs else frozenset()
        languages = frozenset(lang.casefold() for lang in prefs.languages) if prefs else frozenset()
        # Which stories the reader's topics raise, in the order the reader gave the topics.
        raised: dict[int, list[str]] = {}
        for topic in dict.fromkeys(prefs.topics if prefs else ()):
            for found in self._matches(topic_key(topic), hits or {}):
                topics = raised.setdefault(found, [])
                if topic not in topics:
                    topics.append(topic)

        def wanted(item: DigestItem) -> bool:
            if sources and sources.isdisjoint(item.outlet_keys):
                return False
            if not languages or (item.language or "").casefold() in languages:
                return True
            return any(e.language in languages for e in item.editions)

        def readable(item: DigestItem) -> DigestItem:
            """The story in the reader's language when it is not in its first carrier's."""
            if not languages or (item.language or "").casefold() in languages:
                return item
            e = next(e for e in item.editions if e.language in languages)
            return replace(item, article_id=e.article_id, title=e.title, lead=e.lead, url=e.url, language=e.language)

        sections = []
        for section in self.sections:
            # Each section is in score order: past ``cap`` wanted stories, only raised ones can climb in.
            kept: list[DigestItem] = []
            for item in section.items:
                if id(item) not in raised and wanted(item):
                    kept.append(item)
                    if cap and len(kept) == cap:
                        break
            boosted = [(item, raised[id(item)]) for item in section.items if id(item) in raised and wanted(item)]
            if boosted:
                # Ranked by their raised scores first; only those that make the cut are copied.
                points = {id(item): self._boost(len(topics)) for item, topics in boosted}
                order = sorted(
                    [*((item, None) for item in kept), *boosted],
                    key=lambda pair: (-(pair[0].score + points.get(id(pair[0]), 0)), *_rank(pair[0])[1:]),
                )
                chosen = order[:cap] if cap else order
                kept = [self._raise(item, topics) if topics else item for item, topics in chosen]
            sections.append(Section(section.id, section.name, tuple(map(readable, kept[:cap] if cap else kept))))
        return Digest(self.day, self.days, tuple(sections), self.articles, self.rules, self.cache, self.rising)

    def _matches(self, topic: str, hits: Mapping[str, frozenset[int]]) -> tuple[int, ...]:
        """The ``id()`` of each of this digest's items a topic's hits fall in (once per
        digest and topic: every reader of the topic shares it)."""
        key = ("matches", id(self), topic)
        found = self.cache.get(key)
        if found is None or found[0] is not self:  # kept with its digest: an id is reused only after it is gone
            where = {ident: id(item) for item in self.items for ident in item.articles}
            found = self.cache[key] = (self, tuple(dict.fromkeys(where[i] for i in hits.get(topic, ()) if i in where)))
        return found[1]

    def _boost(self, topics: int) -> int:
        return min(self.rules.per_topic * topics, self.rules.topic_max)

    def _raise(self, item: DigestItem, topics: list[str]) -> DigestItem:
        rules = self.rules
        extra = _capped([Reason(f"Your topic “{t}”", rules.per_topic) for t in topics], rules.topic_max, "your topics")
        return replace(
            item, topics=tuple(topics), score=item.score + sum(r.points for r in extra), reasons=(*extra, *item.reasons)
        )


def _rank(item: DigestItem) -> tuple[int, int, int]:
    return (-item.score, -item.date.toordinal(), item.article_id)


def topic_key(topic: str) -> str:
    """Two spellings of a topic that search the same: one search."""
    return " ".join(topic.split())


def topic_hits(
    store: SQLStore, topics: Iterable[str], since: dt.date, until: dt.date, *, limit: int = 10_000
) -> dict[str, frozenset[int]]:
    """The articles dated ``since``..``until`` each distinct topic finds: one search per
    topic, whoever asked for it. A topic whose query no longer parses (an actor renamed)
    finds nothing and is logged, not raised: one reader's topic never stops an edition."""
    from wirewatch.present.params import search_request

    found: dict[str, frozenset[int]] = {}
    for key in dict.fromkeys(topic_key(t) for t in topics if t.strip()):
        try:
            request = search_request(query=key, since=since.isoformat(), until=until.isoformat(), limit=limit)
            found[key] = frozenset(hit.id for hit in store.search(request).hits)
        except WirewatchError as exc:
            log.warning("topic not searched", extra={"topic": key, "error": str(exc)})
            found[key] = frozenset()
    return found


def build_digest(
    store: SQLStore,
    day: dt.date,
    *,
    days: int = 1,
    rules: DigestRules | None = None,
    actors: Actors | None = None,
) -> Digest:
    """The edition of the ``days`` days ending on ``day`` (7: the weekly edition), every
    story scored and filed; the rules and actor data default to the packaged ones."""
    from wirewatch.analysis.actors import Actors

    rules = rules or load_rules()
    actors = actors or Actors.load()
    since = day - dt.timedelta(days=days - 1)
    data: EditionData = store.edition_data(since, day, history_days=rules.novelty_days)
    if data.articles and not data.entities and not data.events:
        data = analysed(data, actors)
    return score_edition(data, rules, actors, day=day, days=days)


def analysed(data: EditionData, actors: Actors) -> EditionData:
    """The edition with its articles analysed here: an archive imported without the
    analysis (``import --no-analysis``, the demo) stores no entities or events, and an
    edition of which not one article names anyone is one that was never analysed."""
    from wirewatch.analysis.analyse import analyse

    entities, events = {}, {}
    for article in data.articles:
        found = analyse(article, actors)
        entities[int(article.id or 0)], events[int(article.id or 0)] = found.entities, found.events
    return replace(data, entities=entities, events=events)


# -- scoring (pure) ----------------------------------------------------------------------


@dataclass(slots=True)
class _Story:
    """The articles of one story in the edition: copies, and stories of the same title."""

    lead: Article
    members: list[Article]
    outlets: set[str]


def title_key(title: str) -> str | None:
    """A title as compared across outlets; None for one too short to say two stories are one."""
    key = _TITLE_KEY.sub(" ", title.casefold()).strip()
    return key if len(key.split()) >= 4 else None


def stories(data: EditionData) -> list[_Story]:
    """The edition's articles as stories: a story thread (an original with its copies,
    reprints and translations), and stories whose titles match (the same release run by two
    outlets) merged into one. A story is shown through its first carrier when the edition
    holds it (the English edition before the Spanish one), else its first article that is
    not an exact copy, else its first copy."""
    by_root: dict[int, _Story] = {}
    for article in data.articles:
        root = data.story_of(article)
        story = by_root.get(root)
        if story is None:
            by_root[root] = _Story(article, [article], set(data.outlets.get(root, ())) | {article.source})
        else:
            story.members.append(article)
            story.outlets.add(article.source)
            if int(article.id or 0) == root or (article.duplicate_of is None and story.lead.duplicate_of is not None):
                story.lead = article
    merged: list[_Story] = []
    by_title: dict[str, _Story] = {}
    for story in by_root.values():
        key = None if story.lead.title_derived else title_key(story.lead.title)
        same = by_title.get(key) if key else None
        if same is None:
            merged.append(story)
            if key:
                by_title[key] = story
        else:
            same.members += story.members
            same.outlets |= story.outlets
    return merged


def _editions(story: _Story) -> tuple[Edition, ...]:
    """The story's first article in each language other than its lead's."""
    seen = {(story.lead.language or "").casefold()}
    found = []
    for member in story.members:
        language = (member.language or "").casefold()
        if language and language not in seen:
            seen.add(language)
            found.append(Edition(language, int(member.id or 0), member.title, lead_of(member), safe_link(member.url)))
    return tuple(found)


def _capped(reasons: list[Reason], most: int, what: str) -> list[Reason]:
    """The reasons, plus a negative one bringing their sum down to ``most``."""
    total = sum(r.points for r in reasons)
    if total > most:
        reasons = [*reasons, Reason(f"{what.capitalize()} count at most {most}", most - total)]
    return reasons


def _named(reasons: list[Reason], what: str) -> list[Reason]:
    """The strongest ``NAMED_REASONS`` reasons one by one, the others summed in one line."""
    reasons = sorted(reasons, key=lambda r: -r.points)
    if len(reasons) <= NAMED_REASONS + 1:
        return reasons
    rest = reasons[NAMED_REASONS:]
    return [*reasons[:NAMED_REASONS], Reason(f"{len(rest)} more {what}", sum(r.points for r in rest))]


@dataclass(frozen=True, slots=True)
class _Context:
    """What scoring shares across the edition's stories."""

    rules: DigestRules
    actors: Actors
    history_words: frozenset[str]
    novelty: bool
    history_persons: frozenset[str]
    history_days: int


def _leaders(
    entities: Sequence[EntityCount], title: str, on: dt.date, ctx: _Context
) -> list[tuple[str, str | None, int, bool]]:
    """The DPRK leaders a story names: (name, office, points, named in the title), best first."""
    rules, actors = ctx.rules, ctx.actors
    found = []
    folded = title.casefold()
    for entity in entities:
        if entity.type != "person":
            continue
        person = actors.person(entity.id)
        office, points = None, rules.leader_persons.get(entity.id, 0)
        for tenure in person.roles if person else ():
            weight = rules.leader_roles.get(tenure.role, 0)
            if weight > points and tenure.covers(on):
                role = actors.role(tenure.role)
                office, points = (role.name if role else tenure.role), weight
        if points:
            names = (entity.name, *(person.aliases if person else ()))
            found.append((entity.name, office, points, any(n.casefold() in folded for n in names if len(n) > 3)))
    return sorted(found, key=lambda f: -(f[2] + (ctx.rules.leader_in_title if f[3] else 0)))


def _country_name(actors: Actors, code: str | None) -> str:
    country = actors.country(code or "")
    return country.name if country else (code or "?")


def _pairs(events: Sequence[Event]) -> list[Event]:
    """Events between two known, different countries, once per (type, pair)."""
    seen: dict[tuple[str, frozenset[str]], Event] = {}
    for event in events:
        a, b = event.actor.country, event.target.country
        if a and b and a != b:
            seen.setdefault((event.type, frozenset((a, b))), event)
    return list(seen.values())


def _score(
    story: _Story, entities: Sequence[EntityCount], events: Sequence[Event], ctx: _Context
) -> tuple[int, list[Reason], list[tuple[str, str | None, int, bool]], list[Event]]:
    rules, actors, article = ctx.rules, ctx.actors, story.lead
    on = article.date or dt.date.today()
    reasons: list[Reason] = []
    leaders = _leaders(entities, article.title, on, ctx)
    lead_reasons = [
        Reason(
            name + (f" ({office})" if office and name not in office else "") + (" in the title" if in_title else ""),
            points + (rules.leader_in_title if in_title else 0),
        )
        for name, office, points, in_title in leaders
    ]
    reasons += _capped(_named(lead_reasons, "leaders"), rules.leader_max, "leaders")
    pairs = _pairs(events)
    event_reasons = [
        Reason(
            f"{e.type.capitalize()}: {_country_name(actors, e.actor.country)} → {_country_name(actors, e.target.country)}",
            rules.event_points.get(e.type, 0),
        )
        for e in pairs
        if rules.event_points.get(e.type, 0)
    ]
    reasons += _capped(_named(event_reasons, "events between countries"), rules.event_max, "events")
    if len(story.outlets) > 1:
        others = sorted(story.outlets - {article.source})
        points = min(rules.per_outlet * len(others), rules.outlet_max)
        reasons.append(
            Reason(f"Carried by {len(story.outlets)} outlets ({', '.join([article.source, *others])})", points)
        )
    if ctx.novelty:
        novel: list[Reason] = []
        title = article.title.casefold()
        for entity in entities if ctx.history_persons else ():  # days that name nobody were not analysed
            # A name new to the archive counts when the story is about them: named twice, or in the title.
            if (
                entity.type == "person"
                and entity.id not in ctx.history_persons
                and (entity.count > 1 or entity.name.casefold() in title)
            ):
                novel.append(Reason(f"New name: {entity.name}", rules.novelty_person))
        terms = [
            w
            for w in dict.fromkeys(_WORD.findall(article.title.casefold()))
            if w not in ctx.history_words and w not in rules.stopwords and not w.isdigit()
        ]
        if terms:
            novel.append(Reason(f"New in the headlines: {', '.join(terms[:4])}", rules.novelty_term * len(terms)))
        if novel:
            novel = [replace(r, text=f"{r.text} (not in the {ctx.history_days} days before)") for r in novel]
        reasons += _capped(_named(novel, "new names"), rules.novelty_max, "new names and terms")
    if not article.body.strip() and rules.headline_only:
        reasons.append(Reason("Headline only: the archive has no text", rules.headline_only))
    reasons = [r for r in reasons if r.points]
    return sum(r.points for r in reasons), reasons, leaders, pairs


def _section(
    story: _Story, entities: Sequence[EntityCount], leaders: int, pairs: Sequence[Event], ctx: _Context
) -> tuple[SectionRule, str]:
    """The section with the strongest signal, and its signals in words."""
    rules, article = ctx.rules, story.lead
    claimed = rules.claimed_countries
    named = {e.id for e in entities if e.type == "country"} | {
        c for e in pairs for c in (e.actor.country, e.target.country) if c
    }
    in_title_all = rules.keywords.find(article.title)
    in_body_all = rules.keywords.find(article.body)
    best: tuple[int, SectionRule, list[str]] | None = None
    for index, section in enumerate(rules.sections):
        signal, why = 0, []
        in_title = in_title_all.get(index, set())
        in_body = in_body_all.get(index, set()) - in_title
        signal += rules.title_keyword * len(in_title) + rules.body_keyword * len(in_body)
        if in_title or in_body:
            why.append("keywords " + ", ".join(section.keywords[i].rstrip("*") for i in sorted(in_title | in_body)[:5]))
        if section.leaders and leaders:
            signal += section.leaders * min(leaders, NAMED_REASONS)
            why.append(f"{leaders} leader{'s' if leaders > 1 else ''}")
        if section.countries:
            mine = named & section.countries
            hits = len(mine) + sum(1 for e in pairs if {e.actor.country, e.target.country} & section.countries)
            if hits:
                signal += section.country_signal * hits
                why.append("names " + ", ".join(_country_name(ctx.actors, c) for c in sorted(mine)))
        if section.events:
            between = [e for e in pairs if not {e.actor.country, e.target.country} & claimed]
            if between:
                signal += section.events * len(between)
                why.append(f"{len(between)} event{'s' if len(between) > 1 else ''} between countries")
        if section.event_types:
            typed = [e for e in pairs if e.type in section.event_types]
            if typed:
                signal += section.event_signal * len(typed)
                why.append(", ".join(sorted({e.type for e in typed})))
        if signal and (best is None or signal > best[0]):
            best = (signal, section, why)
    if best is None:
        return rules.fallback, "no signal for another section"
    return best[1], "; ".join(best[2])


def score_edition(data: EditionData, rules: DigestRules, actors: Actors, *, day: dt.date, days: int) -> Digest:
    """The digest of ``data``: every story scored, filed and ranked (no I/O)."""
    history_words = frozenset(w for title in data.history_titles for w in _WORD.findall(title.casefold()))
    ctx = _Context(
        rules,
        actors,
        history_words,
        data.history_articles >= rules.novelty_min_articles,
        data.history_persons,
        data.history_days,
    )
    filed: dict[str, list[DigestItem]] = {s.id: [] for s in rules.sections}
    for story in stories(data):
        article = story.lead
        ident = int(article.id or 0)
        entities = data.entities.get(ident, [])
        events = data.events.get(ident, [])
        score, reasons, leaders, pairs = _score(story, entities, events, ctx)
        section, why = _section(story, entities, len(leaders), pairs, ctx)
        others = sorted(story.outlets - {article.source})
        filed[section.id].append(
            DigestItem(
                article_id=ident,
                title=article.title,
                lead=lead_of(article),
                source=article.source,
                date=article.date or day,
                url=safe_link(article.url),
                language=article.language,
                section=section.id,
                score=score,
                reasons=tuple(reasons),
                section_why=why,
                outlets=(article.source, *others),
                articles=frozenset(int(a.id or 0) for a in story.members),
                outlet_keys=frozenset(o.casefold() for o in story.outlets),
                editions=_editions(story),
            )
        )
    sections = tuple(Section(s.id, s.name, tuple(sorted(filed[s.id], key=_rank))) for s in rules.sections)
    return Digest(day, days, sections, len(data.articles), rules)
