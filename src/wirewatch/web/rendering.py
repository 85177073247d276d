"""Pages from Jinja2 templates: the environment, its filters, and the links every page builds."""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any
from urllib.parse import quote, quote_plus

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup, escape
from starlette.requests import Request
from starlette.responses import HTMLResponse

from wirewatch import __version__
from wirewatch.clean.text import paragraphs
from wirewatch.config.settings import Settings
from wirewatch.models import Change
from wirewatch.present.params import format_cursor
from wirewatch.present.shapes import date_line, format_date, language_name, safe_link
from wirewatch.present.stories import how_alike

__all__ = [
    "Pages",
    "article_path",
    "change_path",
    "changed_fields",
    "compare_path",
    "day_path",
    "entity_path",
    "format_moment",
    "machine_time",
    "public_url",
    "relations_path",
    "search_path",
    "share_links",
    "source_path",
    "versions_path",
]

#: The fields a version can change, as the pages name them (the text is "body" in the data).
FIELD_NAMES = {"title": "title", "date": "date", "body": "text"}

_HANGUL = re.compile("[\uac00-\ud7af]")


def article_path(article_id: int) -> str:
    return f"/articles/{article_id}"


def versions_path(article_id: int, anchor: str = "") -> str:
    return f"/articles/{article_id}/versions" + (f"#{anchor}" if anchor else "")


def change_path(change: Change) -> str:
    """Where a change shows on its article's versions page: the version an edit made, or the event."""
    if change.kind == "edited" and change.revision:
        return versions_path(change.article_id, f"v{change.revision}")
    return versions_path(change.article_id, f"change-{change.id}")


def compare_path(a: int, b: int) -> str:
    return f"/compare/{a}/{b}"


def source_path(name: str, suffix: str = "") -> str:
    return f"/sources/{quote(name, safe='')}{suffix}"


def day_path(day: dt.date) -> str:
    return f"/days/{day.isoformat()}"


def month_path(year: int, month: int) -> str:
    return f"/days/{year:04d}-{month:02d}"


def entity_path(entity_type: str, entity_id: str) -> str:
    return f"/entities/{entity_type}/{quote(entity_id, safe='')}"


def relations_path(a: str, b: str) -> str:
    return f"/relations/{quote(a, safe='')}/{quote(b, safe='')}"


@functools.lru_cache(maxsize=4096)
def _pair(key: str, value: str) -> str:
    # A search page builds 20-odd links that repeat the same query text: quoted once.
    return quote_plus(key) + "=" + quote_plus(value)


def search_path(params: Mapping[str, Any], base: str = "/search") -> str:
    """A search URL from form values, leaving out empty ones (lists repeat the key),
    encoded as ``urlencode`` does."""
    pairs: list[str] = []
    for key, value in params.items():
        if value is None or value == "":
            continue
        if isinstance(value, list | tuple):
            pairs.extend(_pair(str(key), str(v)) for v in value if v is not None and v != "")
        else:
            pairs.append(_pair(str(key), str(value)))
    return base + ("?" + "&".join(pairs) if pairs else "")


def public_url(request: Request, settings: Settings, path: str) -> str:
    """An absolute address for ``path``: on WIREWATCH_BASE_URL when set, else where the request came."""
    base = settings.base_url or str(request.base_url).rstrip("/")
    return base + path


def share_links(url: str, title: str) -> list[tuple[str, str]]:
    """Plain links to each service's share page: no third-party script on our pages."""
    u, t = quote(url, safe=""), quote(title, safe="")
    return [
        ("Email", f"mailto:?subject={t}&body={t}%0A%0A{u}"),
        ("X", f"https://twitter.com/intent/tweet?url={u}&text={t}"),
        ("Facebook", f"https://www.facebook.com/sharer/sharer.php?u={u}"),
        ("Telegram", f"https://t.me/share/url?url={u}&text={t}"),
        ("VK", f"https://vk.com/share.php?url={u}&title={t}"),
        ("LinkedIn", f"https://www.linkedin.com/sharing/share-offsite/?url={u}"),
    ]


def highlight(text: str, spans: Sequence[Sequence[int]]) -> Markup:
    """``text`` escaped, with each (start, end) span in <mark>."""
    out: list[str] = []
    last = 0
    for start, end in sorted((int(a), int(b)) for a, b in spans):
        if start < last:
            continue
        out.append(str(escape(text[last:start])))
        out.append(f"<mark>{escape(text[start:end])}</mark>")
        last = end
    out.append(str(escape(text[last:])))
    return Markup("".join(out))


def when(day: dt.date | None, precision: str | None = "day") -> Markup:
    """A date for the reader, in a ``<time>`` the machine reads: "undated" without one.
    (A function, not a macro: a search page shows twenty, and a macro call costs more.)"""
    if day is None:
        return Markup("<span>undated</span>")
    return Markup(f'<time datetime="{machine_date(day, precision)}">{escape(format_date(day, precision))}</time>')


def machine_date(day: dt.date, precision: str | None = "day") -> str:
    """A ``<time datetime>`` value as precise as the date is: 2012-05-09, 2012-05 or 2012."""
    if precision == "year":
        return f"{day.year:04d}"
    if precision == "month":
        return f"{day.year:04d}-{day.month:02d}"
    return day.isoformat()


def changed_fields(fields: Iterable[str] | str) -> str:
    """What a version changed, as a reader names it: ("title", "body") or "title, body" → "title, text"."""
    names = fields.split(", ") if isinstance(fields, str) else fields
    return ", ".join(FIELD_NAMES.get(name, name) for name in names)


def machine_time(moment: dt.datetime) -> str:
    """A ``<time datetime>`` value for a moment: UTC to the second (HTML allows no finer than ms)."""
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def format_moment(moment: dt.datetime) -> str:
    """A moment as a reader writes it: '1 March 2019, 10:00 UTC'."""
    utc = moment.astimezone(dt.UTC)
    return f"{format_date(utc.date(), 'day')}, {format_clock(utc)}"


def format_clock(moment: dt.datetime) -> str:
    """The time of day of a moment, for a list under a day's heading: '10:00 UTC'."""
    return f"{moment.astimezone(dt.UTC):%H:%M} UTC"


def lead(text: str, limit: int = 220) -> str:
    """The start of a text, cut at a word, for a list line or a preview card."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0].rstrip(",;:")
    return cut if cut.endswith((".", "!", "?", "。")) else cut + "…"


class Pages:
    """Renders the templates with the filters and links they share."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        env = Environment(
            loader=PackageLoader("wirewatch.web", "templates"),
            autoescape=select_autoescape(("html", "xml"), default_for_string=True),
            trim_blocks=True,
            lstrip_blocks=True,
            auto_reload=False,
        )
        env.filters.update(
            date=lambda day, precision="day": format_date(day, precision),
            date_line=date_line,
            machine_date=machine_date,
            machine_time=machine_time,
            moment=format_moment,
            clock=format_clock,
            changed_fields=changed_fields,
            paragraphs=paragraphs,
            highlight=highlight,
            language=language_name,
            alike=how_alike,
            lead=lead,
            number=lambda n: f"{n:,}",
            cursor=format_cursor,
            combine=lambda a, b: {**a, **b},
        )
        # A spelling in Hangul, marked lang="ko" so that it is read aloud and shown as Korean.
        env.tests["hangul"] = lambda text: bool(_HANGUL.search(str(text)))
        env.globals.update(
            version=__version__,
            article_path=article_path,
            versions_path=versions_path,
            compare_path=compare_path,
            change_path=change_path,
            source_path=source_path,
            day_path=day_path,
            month_path=month_path,
            search_path=search_path,
            entity_path=entity_path,
            relations_path=relations_path,
            safe_link=safe_link,
            when=when,
        )
        self.env = env

    def render(self, request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
        context.setdefault("query", "")
        html = self.env.get_template(template).render(request=request, path=request.url.path, **context)
        return HTMLResponse(html, status_code=status)

    def url(self, request: Request, path: str) -> str:
        return public_url(request, self.settings, path)
