"""The shapes of the API's answers and the forms of its parameters, for its OpenAPI
description only.

The routes return ``presenting``'s dictionaries directly (FastAPI does not re-validate
a Response), so these models document the contract without a second conversion. The
parameters are read by the same parsers as the CLI's options (``present/params.py``), whose
messages name the parameter; :class:`Accepts` only declares what those parsers accept, so
that the description and the API agree (``tests/web/test_openapi_fuzz.py`` checks it).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, GetJsonSchemaHandler
from pydantic_core import CoreSchema

from wirewatch.models import LinkRelation
from wirewatch.present.params import LANGUAGE, YEAR_OR_MONTH
from wirewatch.search.base import STATUSES
from wirewatch.web.routes.analysis import ENTITY_TYPES, event_types
from wirewatch.web.routes.versions import KINDS


@dataclass(frozen=True, slots=True)
class Accepts:
    """``Annotated[str, Accepts(...)]``: the JSON schema of the values a parameter accepts,
    built when the description is (so a list read from the packaged data costs nothing at
    import). It only describes: the route's own parser checks the value."""

    schema: Callable[[], dict[str, Any]]

    def __get_pydantic_json_schema__(self, core: CoreSchema, handler: GetJsonSchemaHandler) -> dict[str, Any]:
        return self.schema()


def _one_of(values: Callable[[], Iterable[str]]) -> Accepts:
    return Accepts(lambda: {"type": "string", "enum": list(values())})


#: YYYY, YYYY-MM or YYYY-MM-DD (present.params.parse_day).
Day = Annotated[
    str,
    Accepts(lambda: {"anyOf": [{"type": "string", "pattern": YEAR_OR_MONTH}, {"type": "string", "format": "date"}]}),
]
#: A day of a week to compare with the weeks before it (routes.rising.parse_week): YYYY-MM-DD,
#: from year 4 to 9998, so that the week and its baseline stay inside the calendar.
Week = Annotated[str, Accepts(lambda: {"type": "string", "format": "date", "pattern": "^(?!000[0-3]-|9999-)"})]
#: Text that is not blank: a search of a timeline, a name (whether it names anything is for
#: the route to say).
NotBlank = Annotated[str, Accepts(lambda: {"type": "string", "pattern": r"\S"})]
#: A language code, any case (present.params.search_request).
Language = Annotated[str, Accepts(lambda: {"type": "string", "pattern": LANGUAGE})]
#: A country's ISO 3166 alpha-3 code, any case (routes.analysis.country_code).
Country = Annotated[str, Accepts(lambda: {"type": "string", "pattern": "^[A-Za-z]{3}$"})]
#: A source's name, not blank: whether the archive holds it is for the route to say (400).
SourceName = Annotated[str, Accepts(lambda: {"type": "string", "minLength": 1})]
Status = Annotated[str, _one_of(lambda: STATUSES)]
ChangeKind = Annotated[str, _one_of(lambda: KINDS)]
EntityType = Annotated[str, _one_of(lambda: ENTITY_TYPES)]
EventType = Annotated[str, _one_of(event_types)]


class Listing(BaseModel):
    id: int
    title: str
    date: dt.date | None
    date_precision: str | None = Field(description="day, month or year")
    source: str
    url: str | None = Field(description="the original's address, when known")
    language: str | None
    duplicate_of: int | None = Field(description="the article whose text this one repeats")


class ArticleList(BaseModel):
    articles: list[Listing]
    next: str | None = Field(description="pass as `after` for the next page; null on the last")
    next_url: str | None


class ArticleDetail(BaseModel):
    id: int
    title: str
    title_derived: bool = Field(description="the source gave no title; this one is the start of the text")
    source: str
    date: dt.date | None
    date_precision: str | None
    date_alternatives: list[dt.date] = Field(description="the other readings of an ambiguous date")
    date_note: str | None
    url: str | None
    language: str | None
    language_detected: bool
    place: str | None
    body: str = Field(description="paragraphs separated by a blank line")
    duplicate_of: int | None
    duplicates: list[int] = Field(description="the other articles with this text")
    metadata: dict[str, Any]
    status: Literal["live", "edited", "deleted"] = Field(
        description="live: as first seen; edited: changed since; deleted: gone from the source's site"
    )
    status_at: dt.datetime | None = Field(description="when the status began (UTC); null for a live article")
    revisions: int = Field(description="how many versions the archive holds (1 for one never seen to change)")
    permalink: str
    entities: list[Entity] = Field(description="most mentioned first; empty before the article is analysed")
    events: list[Event] = Field(description="in the order found")


class StoryCopy(BaseModel):
    id: int
    source: str
    language: str | None
    date: dt.date | None


class HitStory(BaseModel):
    id: int = Field(description="the story's number: the article id of its first carrier")
    also: list[StoryCopy] = Field(
        description="the story's other articles, first carrier first: where else it was carried"
    )


class SearchHit(BaseModel):
    id: int
    title: str
    date: dt.date | None
    date_precision: str | None
    source: str
    url: str | None
    language: str | None
    snippet: str
    highlights: list[list[int]] = Field(description="[start, end) spans of the snippet that match")
    score: float | None
    story: HitStory | None = Field(
        description="the story thread the article belongs to (reprints, translations, copies); null for none"
    )


class AlsoSearched(BaseModel):
    typed: str = Field(description="a name of the query, as typed")
    also: list[str] = Field(description="its other spellings, searched as well (the DPRK's first)")
    kind: Literal["person", "place", "name"] = Field(
        description="person or place: an entry of the actor data or the places; name: read as Korean syllables"
    )
    entry: str | None = Field(description="the person's id in the actor data, for a person")


class SearchAnswer(BaseModel):
    total: int = Field(description="articles that match, every copy of a story counted")
    hits: list[SearchHit]
    facets: dict[str, dict[str, int]] = Field(description="counts of articles by source, year and language")
    also_searched: list[AlsoSearched] = Field(
        description="the Korean names of the query searched in their other spellings too "
        "(none with `exact_spelling=true`)"
    )
    page: int
    limit: int
    collapsed: bool = Field(
        description="true: a hit whose story has a hit higher on the page is left out, named in that hit's `story.also`"
    )


class SourceCount(BaseModel):
    name: str
    articles: int


class SourceList(BaseModel):
    sources: list[SourceCount]


class Stats(BaseModel):
    articles: int
    duplicates: int
    sources: dict[str, int]
    languages: dict[str, int]
    first_date: dt.date | None
    last_date: dt.date | None
    undated: int
    derived_titles: int


class DiffPiece(BaseModel):
    op: Literal["equal", "delete", "insert"]
    text: str


class Revision(BaseModel):
    number: int = Field(description="from 1, oldest first")
    seen_at: dt.datetime = Field(description="first seen with this text (UTC)")
    last_seen_at: dt.datetime = Field(description="last seen with this text (UTC)")
    title: str
    date: dt.date | None
    date_precision: str | None
    changes: list[str] = Field(description="what differs from the version before: title, date, body")
    origin: str | None = Field(description='"crawl", or the WARC file the version came from')
    diff: dict[str, list[DiffPiece]] = Field(
        description="the title's and the body's word-level differences from the version before, when they changed"
    )


class Change(BaseModel):
    article_id: int
    title: str
    source: str
    kind: Literal["edited", "deleted", "restored"]
    seen_at: dt.datetime = Field(description="when collection saw it (UTC)")
    revision: int | None = Field(description="the version an edit made")
    detail: str | None = Field(description='what changed, or how the deletion or return was seen ("HTTP 404")')


class History(BaseModel):
    id: int
    title: str
    source: str
    url: str | None
    status: Literal["live", "edited", "deleted"]
    status_at: dt.datetime | None
    revisions: list[Revision] = Field(description="oldest first; empty for an article imported from a file")
    changes: list[Change] = Field(description="edits, deletions and returns, newest first")


class ChangeList(BaseModel):
    changes: list[Change] = Field(description="newest first")
    next: str | None = Field(description="pass as `after` for the next page; null on the last")
    next_url: str | None


class ComparedChange(BaseModel):
    op: Literal["replace", "insert", "delete"]
    a: str = Field(description="the words of the first article (empty for an insertion)")
    b: str = Field(description="the words of the second article (empty for a deletion)")


class ComparedSlot(BaseModel):
    kind: str = Field(description="person, country, organization, number, date, direction or name")
    a: str
    b: str


class Comparison(BaseModel):
    a: int
    b: int
    relation: Literal["duplicate", "reprint", "translation", "quotes", "template", "unrelated"]
    similarity: float = Field(ge=0, le=1, description="how alike the texts are, 0..1")
    changes: list[ComparedChange] = Field(description="the word-level changes from the first text to the second")
    slots: list[ComparedSlot] = Field(description="for a template, the slot values that differ; otherwise empty")


class SimilarSlot(BaseModel):
    kind: str = Field(description="person, country, organization, number, date, direction or name")
    here: str = Field(description="the value in the article asked about")
    there: str = Field(description="the value in the linked article")


class SimilarArticle(BaseModel):
    id: int
    relation: LinkRelation = Field(
        description="duplicate, reprint, translation (the same story), quotes (a passage), template (the same "
        "formula about another event)"
    )
    score: float = Field(
        ge=0,
        le=1,
        description="how alike: the share of the shorter text in the longer (one language), the translation "
        "evidence (two), 1 for a duplicate",
    )
    source: str
    language: str | None
    date: dt.date | None
    title: str
    rule: str = Field(description="the rule of the comparison guide that decided (C2…C8)")
    slots: list[SimilarSlot] = Field(description="for a template, the slot values that differ; otherwise empty")


class StoryMember(BaseModel):
    id: int
    source: str
    language: str | None
    date: dt.date | None
    title: str
    lag_days: int | None = Field(description="days after the first carrier (0 for it); null when a date is missing")


class Story(BaseModel):
    id: int = Field(description="the story's number: the article id of its first carrier")
    members: list[StoryMember] = Field(description="the first carrier first, then in order of publication")


class SimilarAnswer(BaseModel):
    id: int
    similar: list[SimilarArticle] = Field(
        description="strongest first: duplicates, reprints, translations, quotations, templates, each by score"
    )
    story: Story | None = Field(
        description="the story thread (duplicate, reprint and translation links) it belongs to; null for none"
    )


class Entity(BaseModel):
    type: Literal["person", "country", "organization"]
    name: str
    id: str = Field(description="a person's or organisation's id in the actor data; a country's ISO 3166 alpha-3 code")
    country: str | None = Field(description="ISO 3166 alpha-3")
    count: int = Field(description="mentions in the article")
    by_title: bool = Field(
        description='named at least once only by a title ("the Supreme Leader"), resolved on the article\'s date'
    )


class EventSide(BaseModel):
    name: str | None
    country: str | None = Field(description="ISO 3166 alpha-3; null for an international body")


class Event(BaseModel):
    type: str = Field(description="visit, meeting, message, anniversary, agreement, praise, denounce or threaten")
    cameo: str = Field(description="the CAMEO event code")
    plover: str = Field(description="the PLOVER event type")
    actor: EventSide
    target: EventSide
    date: dt.date | None
    date_precision: str | None = Field(description="day, month or year")
    date_from_text: bool = Field(description='the date came from the text ("in May"), not the article\'s date')
    sentence: str


class Role(BaseModel):
    role: str = Field(description="the office's id in the actor data")
    name: str
    country: str | None
    since: dt.date | None
    until: dt.date | None = Field(description="null while it lasts")


class MonthCount(BaseModel):
    period: str = Field(description="YYYY-MM")
    articles: int


class CoMentioned(BaseModel):
    type: Literal["person", "country", "organization"]
    id: str
    name: str
    articles: int = Field(description="articles naming both")


class EntityProfile(BaseModel):
    type: Literal["person", "country", "organization"]
    id: str
    name: str
    country: str | None
    mentions: int
    articles: int
    by_title: int = Field(description="articles naming it only by a title")
    first_date: dt.date | None = Field(description="the date of the first article mentioning it")
    last_date: dt.date | None
    by_month: list[MonthCount] = Field(description="dated articles mentioning it, by month")
    roles: list[Role] = Field(description="a person's offices with their dates, from the actor data")
    co_mentioned: list[CoMentioned] = Field(description="the entities most often named in the same articles")
    search: str = Field(description="the search query that finds its articles (`q` of /api/search)")


class RelationCount(BaseModel):
    period: str = Field(description='YYYY-MM or YYYY, or "undated"')
    type: str
    direction: Literal["a>b", "b>a"]
    events: int


class RelationArticle(BaseModel):
    id: int
    title: str
    source: str
    date: dt.date | None


class RelationEvent(Event):
    direction: Literal["a>b", "b>a"]
    article: RelationArticle


class Relations(BaseModel):
    a: str = Field(description="ISO 3166 alpha-3")
    b: str
    counts: list[RelationCount]
    total: int
    events: list[RelationEvent] = Field(description="the newest first")


class TrendPoint(BaseModel):
    period: str = Field(
        description="2011 (a year), 2011-12 (a month), 2011-12-05 (a day, or the Monday that starts a week)"
    )
    count: int = Field(description="articles that match in the period")
    share: float | None = Field(description="count / total; null for a period without any article")
    total: int = Field(description="all articles of the same sources, languages and statuses in the period")


class TrendBurst(BaseModel):
    start: str = Field(description="the first period of the burst")
    end: str = Field(description="the last period of the burst")
    weight: float = Field(description="how much cheaper the burst state explains it (Kleinberg's weight)")


class TrendQuery(BaseModel):
    query: str = Field(description="the query as given")
    by: Literal["day", "week", "month", "year"]
    series: list[TrendPoint] = Field(description="every period from the first to the last, empty ones included")
    matches: int = Field(description="the search total: the counts of the series plus the undated")
    undated: int = Field(description="matching articles without a date, in no period")
    bursts: list[TrendBurst] = Field(description="the periods where the share bursts (Kleinberg's model)")
    sources: dict[str, list[TrendPoint]] | None = Field(
        None, description="the same per source, by name (with `per_source=1` only)"
    )


class TrendAnswer(BaseModel):
    """One query: its timeline (the fields of a ``queries`` item); several: ``by`` and
    ``queries``."""

    by: Literal["day", "week", "month", "year"]
    query: str | None = Field(None, description="one query: as given")
    series: list[TrendPoint] | None = Field(
        None, description="one query: every period from the first to the last, empty ones included"
    )
    matches: int | None = Field(None, description="one query: the search total (the counts plus the undated)")
    undated: int | None = Field(None, description="one query: matching articles without a date")
    bursts: list[TrendBurst] | None = Field(None, description="one query: the periods where its share bursts")
    sources: dict[str, list[TrendPoint]] | None = Field(
        None, description="one query: the same per source, by name (with `per_source=1` only)"
    )
    queries: list[TrendQuery] | None = Field(None, description="several queries: each one's timeline, in order")


class ScopeArticles(BaseModel):
    since: dt.date
    until: dt.date
    articles: int = Field(description="dated articles in it (originals, of the sources and languages asked)")
    words_read_from: int = Field(
        description="the articles the words and phrases were counted in: all, or past 2,000 a seeded uniform "
        "sample, whose counts are then scaled to all"
    )


class RisingTerm(BaseModel):
    term: str = Field(description="a word or phrase (in lower case), or an entity's name")
    kind: Literal["word", "phrase", "person", "organization", "country"]
    id: str = Field(description="an entity's id (`person:ID` searches it); the term itself otherwise")
    score: float = Field(description="the z-score of the weighted log-odds (at least 1.96)")
    delta: float = Field(description="the difference of log-odds, the week against the baseline")
    count: int = Field(description="articles of the week it occurs in")
    baseline_count: int = Field(description="articles of the baseline it occurs in")
    new: bool = Field(description="an entity first named in the week")


class EmergingAnswer(BaseModel):
    period: ScopeArticles = Field(description="the week, Monday to Sunday")
    baseline: ScopeArticles = Field(description="the weeks before it, compared against")
    sources: list[str] = Field(description="the sources asked for (empty: all)")
    statistic: str
    terms: list[RisingTerm] = Field(description="the highest score first")


class DateRange(BaseModel):
    since: dt.date
    until: dt.date


class EntityKey(BaseModel):
    type: Literal["person", "organization"]
    id: str = Field(description="its id in the actor data (or the slug the extractor gave it)")


class CompanionEntry(BaseModel):
    type: Literal["person", "organization"]
    id: str
    name: str
    articles: int = Field(description="articles of the period naming both")
    articles_before: int = Field(description="the same in the period before")
    rank: int = Field(description="from 1, most articles first")
    rank_before: int | None = Field(description="its rank in the period before; null when it was not listed then")


class CompanionsAnswer(BaseModel):
    entity: EntityKey
    period: DateRange
    before: DateRange = Field(description="the period of the same length just before, compared against")
    companions: list[CompanionEntry] = Field(description="most articles first")
