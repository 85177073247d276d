"""The mails, from the Jinja2 templates in ``digest/templates``: HTML with every style
inline (one table at most 600px wide, which mail clients and phones both read) and a
plain-text part, for the digest, the confirmation and the alerts.

A digest's work is done once per edition and kept in ``Digest.cache``: each story's
HTML and text, each section's heading, and the frame around them, rendered with
markers where a reader's copy differs (their links, the intro line). A reader's mail is
then a join of ready pieces: no template runs per reader.
"""

from __future__ import annotations

import datetime as dt
import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup, escape

from wirewatch.digest.leads import lead_of
from wirewatch.digest.selection import Digest, DigestItem
from wirewatch.digest.tokens import CONFIRM_MAX_AGE
from wirewatch.models import Article
from wirewatch.present.shapes import format_date, safe_link

if TYPE_CHECKING:
    from wirewatch.digest.rising import RisingSection

__all__ = [
    "AlertItem",
    "MailLinks",
    "RenderedDigest",
    "RenderedMail",
    "article_url",
    "digest_json",
    "digest_path",
    "render_alert",
    "render_confirmation",
    "render_digest",
]

#: The styles the templates inline, by role. System fonts; colours that keep 4.5:1 contrast.
FONT = "-apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,Helvetica,Arial,sans-serif"
STYLES: dict[str, str] = {
    "page": "margin:0;padding:0;background-color:#f2f3f5;",
    "preheader": "display:none;max-height:0;max-width:0;overflow:hidden;opacity:0;mso-hide:all;font-size:1px;line-height:1px;color:#f2f3f5;",
    "outer": "background-color:#f2f3f5;",
    "outer_cell": "padding:16px 8px;",
    "card": "max-width:600px;width:100%;background-color:#ffffff;border:1px solid #dcdfe4;border-radius:6px;",
    "head": f"padding:20px 24px 8px 24px;font-family:{FONT};",
    "brand": "margin:0 0 4px 0;font-size:13px;letter-spacing:0.04em;text-transform:uppercase;",
    "brand_link": "color:#8a1c1c;text-decoration:none;font-weight:bold;",
    "h1": "margin:0 0 8px 0;font-size:22px;line-height:1.25;color:#111827;font-weight:bold;",
    "intro": "margin:0 0 8px 0;font-size:14px;line-height:1.5;color:#4b5563;",
    "section": f"padding:16px 24px 0 24px;font-family:{FONT};",
    "h2": "margin:0;padding:0 0 6px 0;font-size:13px;letter-spacing:0.05em;text-transform:uppercase;color:#8a1c1c;border-bottom:2px solid #8a1c1c;",
    "item": f"padding:12px 24px 12px 24px;border-bottom:1px solid #eceef1;font-family:{FONT};",
    "title": "font-size:17px;line-height:1.35;color:#111827;font-weight:bold;text-decoration:none;",
    "meta": "margin:4px 0 0 0;font-size:13px;line-height:1.4;color:#6b7280;",
    "meta_link": "color:#1d4ed8;text-decoration:underline;",
    "lead": "margin:6px 0 0 0;font-size:15px;line-height:1.5;color:#1f2937;",
    "topic": "margin:6px 0 0 0;font-size:13px;line-height:1.4;color:#065f46;font-weight:bold;",
    "rising_intro": "margin:0 0 6px 0;font-size:14px;line-height:1.5;color:#4b5563;",
    "rising_list": "margin:0;padding:0 0 0 18px;",
    "rising_term": "margin:0 0 4px 0;font-size:15px;line-height:1.45;color:#1f2937;",
    "rising_link": "color:#1d4ed8;text-decoration:underline;font-weight:bold;",
    "rising_new": "font-size:11px;font-weight:bold;letter-spacing:0.04em;text-transform:uppercase;color:#8a1c1c;border:1px solid #8a1c1c;border-radius:3px;padding:0 3px;",
    "rising_count": "font-size:13px;color:#6b7280;",
    "foot": f"padding:16px 24px 20px 24px;font-family:{FONT};background-color:#f8f9fa;border-radius:0 0 6px 6px;",
    "foot_p": "margin:0 0 8px 0;font-size:13px;line-height:1.7;color:#374151;",
    "foot_link": "color:#1d4ed8;text-decoration:underline;",
    "foot_small": "margin:0;font-size:12px;line-height:1.5;color:#6b7280;",
    "button_cell": "border-radius:4px;background-color:#8a1c1c;padding:0;",
    "button": f"display:inline-block;padding:12px 20px;font-family:{FONT};font-size:16px;font-weight:bold;color:#ffffff;text-decoration:none;",
}
#: Width of the plain-text part's lines.
TEXT_WIDTH = 72
_MARK = "\x00"


@dataclass(frozen=True, slots=True)
class MailLinks:
    """The links of one mail that only its reader gets: the web copy, their preferences,
    unsubscribing. None leaves the link out."""

    web_copy: str | None = None
    preferences: str | None = None
    unsubscribe: str | None = None


@dataclass(frozen=True, slots=True)
class RenderedMail:
    subject: str
    html: str
    text: str


#: The digest's mail is a RenderedMail like the others.
RenderedDigest = RenderedMail


def digest_path(day: dt.date, days: int = 1) -> str:
    """The web copy of an edition: /digests/2012-05-09, the weekly one /digests/2012-05-09/weekly."""
    return f"/digests/{day.isoformat()}" + ("/weekly" if days == 7 else "")


def article_url(base_url: str, article_id: int) -> str:
    """An article's page in the archive (as ``web.rendering.article_path`` makes it)."""
    return f"{base_url}/articles/{article_id}"


def _marker(name: str) -> Markup:
    return Markup(f"{_MARK}{name}{_MARK}")


def _wrap(text: str, indent: str = "  ") -> str:
    return textwrap.fill(text, TEXT_WIDTH, initial_indent=indent, subsequent_indent=indent, break_on_hyphens=False)


@cache
def _env() -> Environment:
    """The templates, loaded once per process (they never change while it runs)."""
    env = Environment(
        loader=PackageLoader("wirewatch.digest", "templates"),
        autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=False, default=False),
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
        keep_trailing_newline=True,
    )
    env.globals.update(s=STYLES, marker=_marker)
    env.filters["wrap"] = _wrap
    return env


class Shell:
    """A frame rendered once, with ``\\x00name\\x00`` markers that ``fill`` replaces."""

    def __init__(self, rendered: str) -> None:
        self.parts = rendered.split(_MARK)

    def fill(self, values: Mapping[str, str]) -> str:
        parts = list(self.parts)
        for i in range(1, len(parts), 2):
            parts[i] = values[parts[i]]
        return "".join(parts)


# -- the digest --------------------------------------------------------------------------


def _item_html(digest: Digest, item: DigestItem, base_url: str) -> str:
    key = ("item.html", base_url, item.article_id, item.topics)
    found = digest.cache.get(key)
    if found is None:
        found = digest.cache[key] = (
            _env()
            .get_template("_item.html")
            .render(item=item, archive_url=article_url(base_url, item.article_id), date=format_date(item.date, "day"))
        )
    return str(found)


def _item_text(digest: Digest, item: DigestItem, base_url: str) -> str:
    key = ("item.txt", base_url, item.article_id, item.topics)
    found = digest.cache.get(key)
    if found is None:
        outlets = f" (and {len(item.outlets) - 1} more)" if len(item.outlets) > 1 else ""
        lines = [f"* {item.title}", f"  {item.source}{outlets}, {format_date(item.date, 'day')}"]
        if item.lead:
            lines.append(_wrap(item.lead))
        if item.topics:
            lines.append(f"  Your topic{'s' if len(item.topics) > 1 else ''}: {', '.join(item.topics)}")
        lines.append(f"  Archive: {article_url(base_url, item.article_id)}")
        if item.url:
            lines.append(f"  Original: {item.url}")
        found = digest.cache[key] = "\n".join(lines) + "\n\n"
    return str(found)


def _section_pieces(digest: Digest, section_id: str, name: str) -> tuple[str, str]:
    key = ("section", section_id)
    found = digest.cache.get(key)
    if found is None:
        html = _env().get_template("_section.html").render(name=name)
        found = digest.cache[key] = (html, f"\n{name.upper()}\n{'=' * len(name)}\n\n")
    return found


RISING = "Rising this week"


def _days(since: dt.date, until: dt.date) -> str:
    """ "4 to 8 March 2024", "28 February to 3 March 2024", or the one day."""
    if since == until:
        return format_date(until, "day")
    if since.year != until.year:
        return f"{format_date(since, 'day')} to {format_date(until, 'day')}"
    if since.month != until.month:
        return f"{since.day} {since:%B} to {format_date(until, 'day')}"
    return f"{since.day} to {format_date(until, 'day')}"


def _rising_pieces(digest: Digest, section: RisingSection, base_url: str) -> tuple[str, str]:
    """The "Rising this week" section as HTML and text, once per edition: each term a
    link to its search over the week, then the week's page with the whole list."""
    key = ("rising", base_url)
    found = digest.cache.get(key)
    if found is None:
        week = {"since": section.since.isoformat(), "until": section.until.isoformat()}
        terms = [
            {
                "term": t.term,
                "new": t.new,
                "count": t.count,
                "baseline_count": t.baseline_count,
                "url": f"{base_url}/search?{urlencode({'q': t.query, **week})}",
            }
            for t in section.terms
        ]
        span = _days(section.since, section.until)
        page_url = base_url + section.page
        head_html, head_text = _section_pieces(digest, "rising", RISING)
        html = _env().get_template("_rising.html").render(section=section, terms=terms, span=span, page_url=page_url)
        lines = [
            _wrap(f"Named in more of the articles of {span} than of the {section.baseline_weeks} weeks before:", "")
        ]
        for t in terms:
            new = " (new)" if t["new"] else ""
            counts = f"{t['count']} article{'s' if t['count'] != 1 else ''}, {t['baseline_count']} before"
            lines.append(f"* {t['term']}{new}: {counts}\n  {t['url']}")
        lines.append(f"The week's whole list: {page_url}")
        found = digest.cache[key] = (head_html + html, head_text + "\n".join(lines) + "\n\n")
    return found


def _shells(digest: Digest, links: MailLinks, base_url: str) -> tuple[Shell, Shell]:
    present = (bool(links.web_copy), bool(links.preferences), bool(links.unsubscribe))
    key = ("shell", base_url, present)
    found = digest.cache.get(key)
    if found is None:
        context: dict[str, Any] = {
            "title": digest.title,
            "heading": digest.title,
            "links": links,
            "base_url": base_url,
            "weekly": digest.weekly,
        }
        env = _env()
        found = digest.cache[key] = (
            Shell(env.get_template("digest.html").render(context)),
            Shell(env.get_template("digest.txt").render(context)),
        )
    return found


def _intro(digest: Digest, count: int, sections: int) -> str:
    if not digest.articles:
        return f"The archive holds no articles dated {'these days' if digest.days > 1 else 'this day'}."
    if not count:
        return "No story of this edition matched your sources and languages."
    stories = "1 story" if count == 1 else f"{count} stories"
    where = "" if sections <= 1 else f" in {sections} sections"
    read = "1 article" if digest.articles == 1 else f"{digest.articles:,} articles"
    return f"{stories}{where}, chosen from the {read} of {'the week' if digest.weekly else 'the day'}."


def subject_of(digest: Digest, limit: int = 110) -> str:
    """'Daily Update, 9 May 2012: <the best story's title>' (cut at a word past ``limit``)."""
    best = max(digest.items, key=lambda item: item.score, default=None)
    if best is None:
        return f"{digest.title}: no new stories"
    subject = f"{digest.title}: {best.title}"
    if len(subject) > limit:
        subject = subject[:limit].rsplit(" ", 1)[0].rstrip(",;:") + "…"
    return subject


def render_digest(digest: Digest, links: MailLinks, *, base_url: str) -> RenderedMail:
    """A reader's digest mail (``digest`` is their copy: ``Digest.for_reader``).
    ``base_url``: the archive's public address, for the links to its pages."""
    html_parts: list[str] = []
    text_parts: list[str] = []
    count = sections = 0
    for section in digest.sections:
        if not section.items:
            continue
        sections += 1
        head_html, head_text = _section_pieces(digest, section.id, section.name)
        html_parts.append(head_html)
        text_parts.append(head_text)
        for item in section.items:
            count += 1
            html_parts.append(_item_html(digest, item, base_url))
            text_parts.append(_item_text(digest, item, base_url))
    if digest.rising is not None and count:
        rising_html, rising_text = _rising_pieces(digest, digest.rising, base_url)
        html_parts.append(rising_html)
        text_parts.append(rising_text)
    intro = _intro(digest, count, sections)
    subject = subject_of(digest)
    html_shell, text_shell = _shells(digest, links, base_url)
    best = subject.partition(": ")[2]
    html = html_shell.fill(
        {
            "preheader": str(escape(best)),
            "intro": str(escape(intro)),
            "body": "".join(html_parts),
            "web_copy": str(escape(links.web_copy or "")),
            "preferences": str(escape(links.preferences or "")),
            "unsubscribe": str(escape(links.unsubscribe or "")),
        }
    )
    text = text_shell.fill(
        {
            "preheader": best,
            "intro": intro,
            "body": "".join(text_parts),
            "web_copy": links.web_copy or "",
            "preferences": links.preferences or "",
            "unsubscribe": links.unsubscribe or "",
        }
    )
    return RenderedMail(subject, html, text)


# -- the confirmation --------------------------------------------------------------------


def render_confirmation(
    email: str, confirm_url: str, base_url: str, *, valid_days: int = CONFIRM_MAX_AGE.days
) -> RenderedMail:
    """The double opt-in mail: one link that confirms ``email``'s subscription."""
    subject = "Confirm your subscription to the wirewatch digest"
    context = {
        "title": subject,
        "heading": "Confirm your subscription",
        "email": email,
        "confirm_url": confirm_url,
        "base_url": base_url,
        "valid_days": valid_days,
    }
    env = _env()
    return RenderedMail(
        subject, env.get_template("confirm.html").render(context), env.get_template("confirm.txt").render(context)
    )


# -- alerts ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AlertItem:
    """An article in an alert: new, or ``note`` saying what happened to it ("Edited:
    title changed", "Deleted from KCNA's site")."""

    article_id: int
    title: str
    source: str
    date: str
    url: str | None = None
    lead: str = ""
    language: str | None = None
    note: str | None = None

    @classmethod
    def of(cls, article: Article, note: str | None = None) -> AlertItem:
        return cls(
            int(article.id or 0),
            article.title,
            article.source,
            format_date(article.date, article.date_precision),
            safe_link(article.url),
            lead_of(article),
            article.language,
            note,
        )


def render_alert(
    alert_name: str,
    query: str,
    items: Sequence[AlertItem | Article],
    links: MailLinks,
    *,
    base_url: str,
    limit: int = 50,
) -> RenderedMail:
    """A saved search's alert: the articles it found since the last mail (``AlertItem``s,
    or plain articles), the first ``limit`` of them listed. In ``links``, ``web_copy`` is
    the search on the web, ``preferences`` managing the alert and ``unsubscribe``
    stopping it."""
    shown = [item if isinstance(item, AlertItem) else AlertItem.of(item) for item in items]
    changes = sum(1 for item in shown if item.note)
    new = len(shown) - changes
    parts = []
    if new:
        parts.append("1 new article" if new == 1 else f"{new} new articles")
    if changes:
        parts.append("1 change" if changes == 1 else f"{changes} changes")
    summary = " and ".join(parts) or "Nothing new"
    subject = f"wirewatch alert “{alert_name}”: {summary}"
    listed = [
        {
            "archive_url": article_url(base_url, i.article_id),
            "title": i.title,
            "source": i.source,
            "date": i.date,
            "url": i.url,
            "lead": i.lead,
            "language": i.language,
            "note": i.note,
        }
        for i in shown[:limit]
    ]
    context = {
        "title": subject,
        "heading": f"Alert: {alert_name}",
        "summary": summary,
        "query": query,
        "items": listed,
        "more": max(0, len(shown) - limit),
        "links": links,
        "base_url": base_url,
        "alert_name": alert_name,
    }
    env = _env()
    return RenderedMail(
        subject, env.get_template("alert.html").render(context), env.get_template("alert.txt").render(context)
    )


# -- JSON --------------------------------------------------------------------------------


def item_json(item: DigestItem, base_url: str) -> dict[str, Any]:
    """One story of an edition as JSON, with its score and reasons."""
    return {
        "id": item.article_id,
        "title": item.title,
        "lead": item.lead,
        "source": item.source,
        "outlets": list(item.outlets),
        "date": item.date,
        "language": item.language,
        "archive_url": article_url(base_url, item.article_id),
        "url": item.url,
        "score": item.score,
        "reasons": [{"text": r.text, "points": r.points} for r in item.reasons],
        "section_why": item.section_why,
        "topics": list(item.topics),
    }


def digest_json(digest: Digest, *, base_url: str) -> dict[str, Any]:
    """An edition as ``digest preview --format json`` prints it: every item with its
    score and reasons."""
    return {
        "edition": digest.day,
        "since": digest.since,
        "days": digest.days,
        "title": digest.title,
        "subject": subject_of(digest),
        "articles": digest.articles,
        "sections": [
            {"id": section.id, "name": section.name, "items": [item_json(item, base_url) for item in section.items]}
            for section in digest.sections
        ],
    }
