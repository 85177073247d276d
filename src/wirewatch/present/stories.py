"""Links and story threads as the edges show them: the ``similar`` answer, a story's
thread in words ("first carried by KCNA on 20 August 2011; Spanish edition 1 day later"),
and a page of search hits with a story's copies folded into one hit ("also in Rodong
Sinmun, Spanish edition").

The fold is a page's: the hits of one page are looked up with one ``stories_of`` call and a
hit whose story already has a hit higher on the page is folded into that one. The total and
the facets of a search still count articles, not stories."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from wirewatch.models import STORY_RELATIONS, Article, SimilarArticle, Story, StoryMember
from wirewatch.present.shapes import format_date, language_name, result_json
from wirewatch.search.base import Hit, SearchResult

__all__ = [
    "StoryHit",
    "ThreadStep",
    "edition_label",
    "fold_hits",
    "how_alike",
    "lag_text",
    "other_versions",
    "search_json",
    "similar_item_json",
    "similar_json",
    "story_json",
    "thread_steps",
    "thread_text",
]

#: The rule of docs/compare-guide.md that makes two equal texts a duplicate.
DUPLICATE_RULE = "C2"


def edition_label(member: StoryMember, source: str, language: str | None) -> str:
    """How an article of a story is named beside another one of ``source`` in ``language``:
    its outlet when that differs ("Rodong Sinmun"), its language when that differs ("Spanish
    edition"), both when both do ("Rodong Sinmun in Korean"), and "KCNA again" for a repeat."""
    other_source = member.source != source
    other_language = bool(member.language and language and member.language != language)
    if other_source and other_language:
        return f"{member.source} in {language_name(member.language)}"
    if other_language:
        return f"{language_name(member.language)} edition"
    if other_source:
        return member.source
    return f"{member.source} again"


def lag_text(days: int | None) -> str:
    """How long after the first carrier: "the same day", "1 day later", "12 days later"."""
    if days is None:
        return "on an unknown date"
    if days == 0:
        return "the same day"
    return f"{days} day{'s' if days != 1 else ''} later"


@dataclass(frozen=True, slots=True)
class ThreadStep:
    """One article of a story after its first carrier, named beside it."""

    member: StoryMember
    #: "Spanish edition", "Rodong Sinmun" (see :func:`edition_label`).
    label: str
    #: "1 day later" (see :func:`lag_text`).
    lag: str


def thread_steps(story: Story) -> list[ThreadStep]:
    """The story's articles after the first, each named beside the first."""
    first = story.first
    return [
        ThreadStep(member, edition_label(member, first.source, first.language), lag_text(member.lag_days))
        for member in story.members[1:]
    ]


def thread_text(story: Story) -> str:
    """The thread in one line: "first carried by KCNA on 20 August 2011; Spanish edition 1 day later"."""
    first = story.first
    when = f"on {format_date(first.date, 'day')}" if first.date else "on an unknown date"
    steps = [f"{step.label} {step.lag}" for step in thread_steps(story)]
    return "; ".join([f"first carried by {first.source} {when}", *steps])


@dataclass(frozen=True, slots=True)
class StoryHit:
    """A search hit as a page of results shows it."""

    hit: Hit
    #: Its place in the page's hits, from 1 (folded hits leave a gap).
    rank: int
    #: The story it belongs to; None for an article in no story.
    story: Story | None = None
    #: The hits lower on the page folded into this one (collapsed results only).
    folded: tuple[int, ...] = ()

    @property
    def also(self) -> tuple[StoryMember, ...]:
        """The story's other articles, first carrier first: where else it was carried."""
        return self.story.others(self.hit.id) if self.story else ()

    def label(self, member: StoryMember) -> str:
        """``member`` named beside this hit ("Spanish edition")."""
        return edition_label(member, self.hit.source, self.hit.language)


def fold_hits(hits: Sequence[Hit], stories: Mapping[int, Story], *, collapse: bool = True) -> list[StoryHit]:
    """``hits`` in their order, each with its story (``stories``: a hit's id to its story, as
    ``SQLStore.stories_of`` answers). With ``collapse``, a hit whose story already has a hit
    higher on the page is left out and named in that hit's ``folded``."""
    kept: list[StoryHit] = []
    first_of: dict[int, int] = {}  # story id -> index in kept
    for rank, hit in enumerate(hits, start=1):
        story = stories.get(hit.id)
        if story is not None and collapse and story.id in first_of:
            at = first_of[story.id]
            kept[at] = replace(kept[at], folded=(*kept[at].folded, hit.id))
            continue
        if story is not None:
            first_of.setdefault(story.id, len(kept))
        kept.append(StoryHit(hit, rank, story))
    return kept


def other_versions(similar: Sequence[SimilarArticle], copies: Sequence[Article]) -> list[SimilarArticle]:
    """The article's other versions: its duplicates, reprints and translations from
    ``similar`` (strongest first), with any exact copy of ``copies`` (the archive's
    ``duplicate_of``) that the links do not name put among the duplicates."""
    versions = [s for s in similar if s.relation in STORY_RELATIONS]
    linked = {s.id for s in versions}
    extra = [
        SimilarArticle(
            id=int(c.id or 0),
            relation="duplicate",
            score=1.0,
            rule=DUPLICATE_RULE,
            source=c.source,
            language=c.language,
            date=c.date,
            title=c.title,
            status=c.status,
        )
        for c in copies
        if c.id not in linked
    ]
    duplicates = sum(1 for s in versions if s.relation == "duplicate")
    return versions[:duplicates] + extra + versions[duplicates:]


def how_alike(found: SimilarArticle) -> str:
    """How much another version changed, for a reader: "the same text" (a duplicate), "93% the
    same" (a reprint: the share of the shorter text found in the longer), "translation"."""
    if found.relation == "translation":
        return "translation"
    if found.relation == "duplicate":
        return "the same text"
    return f"{found.score:.0%} the same"


def similar_item_json(found: SimilarArticle) -> dict[str, Any]:
    """One linked article, as ``similar --json`` and ``/api/articles/{id}/similar`` list it."""
    return {
        "id": found.id,
        "relation": found.relation,
        "score": round(found.score, 4),
        "source": found.source,
        "language": found.language,
        "date": found.date,
        "title": found.title,
        "rule": found.rule,
        "slots": [{"kind": s.kind, "here": s.here, "there": s.there} for s in found.slots],
    }


def similar_json(article_id: int, similar: Sequence[SimilarArticle]) -> dict[str, Any]:
    """``wirewatch similar ID --json`` and ``/api/articles/{id}/similar``: the articles linked
    to ``article_id``, strongest first (both add ``"story"``: :func:`story_json`)."""
    return {"id": article_id, "similar": [similar_item_json(s) for s in similar]}


def story_json(story: Story | None) -> dict[str, Any] | None:
    """A story thread: its number (its first carrier's id) and its articles, first carrier
    first, each with its lag in days after the first; None for no story."""
    if story is None:
        return None
    return {
        "id": story.id,
        "members": [
            {
                "id": m.id,
                "source": m.source,
                "language": m.language,
                "date": m.date,
                "title": m.title,
                "lag_days": m.lag_days,
            }
            for m in story.members
        ],
    }


def search_json(result: SearchResult, hits: Sequence[StoryHit], *, collapsed: bool) -> dict[str, Any]:
    """The search contract (``present.shapes.result_json``) over the hits shown, each with its
    ``story``: its number and the story's other articles (``also``), or null; ``collapsed``
    says whether a story's hits were folded into one."""
    data = result_json(replace(result, hits=[h.hit for h in hits]))
    for shown, item in zip(hits, data["hits"], strict=True):
        item["story"] = (
            {
                "id": shown.story.id,
                "also": [{"id": m.id, "source": m.source, "language": m.language, "date": m.date} for m in shown.also],
            }
            if shown.story
            else None
        )
    data["collapsed"] = collapsed
    return data
