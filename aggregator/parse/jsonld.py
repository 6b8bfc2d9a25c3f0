"""schema.org JSON-LD in a page: the article's own description of itself.

Pages embed ``<script type="application/ld+json">`` blocks, often several, often with
an ``@graph`` list, sometimes broken. This module reads them liberally into one
:class:`JsonLd` summary: the article object's headline, body, dates, authors, image,
language and URL, plus the works (Movie, TVSeries, ...) it is ``about`` or
``mentions``. Broken blocks are skipped, never raised.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

MAX_BLOCK_CHARS = 2_000_000
MAX_OBJECTS = 500
# schema.org types of a work the aggregator groups by, and the kind they stand for.
WORK_TYPES = {
    "movie": "film",
    "film": "film",
    "tvseries": "series",
    "tvseason": "season",
    "tvepisode": "episode",
    "creativeworkseries": "series",
    "creativeworkseason": "season",
    "musicalbum": "album",
    "musicrecording": "song",
    "musicgroup": None,
    "festival": "festival",
    "event": "event",
    "screeningevent": "event",
    "theaterevent": "event",
    "book": "book",
    "videogame": "game",
    "creativework": None,
}
_ARTICLE_TYPE = re.compile(r"article|blogposting|reportage|newsarticle|report$", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


JsonLdWork = tuple[str, str | None, int | None]  # (name, kind, year)
_YEAR = re.compile(r"^\s*((?:19|20)\d\d)")


@dataclass
class JsonLd:
    """What the page's JSON-LD says about the article (empty fields when silent)."""

    headline: str = ""
    body: str = ""
    published: str = ""
    modified: str = ""
    authors: list[str] = field(default_factory=list)
    image: str = ""
    lang: str = ""
    url: str = ""
    works: list[JsonLdWork] = field(default_factory=list)


def _types(obj: dict[str, Any]) -> list[str]:
    value = obj.get("@type")
    values = value if isinstance(value, list) else [value]
    return [str(v).rsplit("/", 1)[-1].lower() for v in values if isinstance(v, str)]


def _text(value: Any) -> str:
    """A plain string from a JSON-LD value that may be a list, a dict or a string."""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, list):
        return next((t for t in (_text(v) for v in value) if t), "")
    if isinstance(value, dict):
        for key in ("name", "@value", "url", "@id", "contentUrl"):
            if key in value:
                text = _text(value[key])
                if text:
                    return text
    return ""


def _names(value: Any) -> list[str]:
    """Names of authors (strings, Person objects or lists of them)."""
    items = value if isinstance(value, list) else [value]
    names = []
    for item in items:
        name = (
            item.strip()
            if isinstance(item, str)
            else _text(item.get("name"))
            if isinstance(item, dict)
            else ""
        )
        if name and not name.startswith("http"):
            names.append(name)
    return names


def _walk(node: Any, depth: int = 0) -> Iterator[dict[str, Any]]:
    """Every object in a JSON-LD block, breadth of @graph lists included."""
    if depth > 6:
        return
    if isinstance(node, list):
        for item in node:
            yield from _walk(item, depth + 1)
    elif isinstance(node, dict):
        yield node
        graph = node.get("@graph")
        if graph is not None:
            yield from _walk(graph, depth + 1)


def _load(raw: str) -> Any:
    raw = raw.strip()
    if raw.startswith("<!--"):
        raw = raw[4:].rsplit("-->", 1)[0]
    raw = raw.strip().rstrip(";")
    try:
        return json.loads(raw)
    except ValueError:
        try:
            return json.loads(_CONTROL.sub(" ", raw), strict=False)
        except ValueError:
            return None


def _work_from(obj: Any) -> JsonLdWork | None:
    if not isinstance(obj, dict):
        return None
    types = [t for t in _types(obj) if t in WORK_TYPES]
    name = _text(obj.get("name"))
    if not types or not name:
        return None
    kind = next((WORK_TYPES[t] for t in types if WORK_TYPES[t]), None)
    dated = _text(obj.get("datePublished") or obj.get("dateCreated") or obj.get("startDate"))
    year = _YEAR.match(dated)
    return name, kind, int(year.group(1)) if year else None


def read_jsonld(blocks: list[str]) -> JsonLd:
    """Summarise the JSON-LD blocks of a page (script texts, in document order)."""
    result = JsonLd()
    objects: list[dict[str, Any]] = []
    for raw in blocks:
        if len(raw) > MAX_BLOCK_CHARS:
            continue
        objects.extend(_walk(_load(raw)))
        if len(objects) > MAX_OBJECTS:
            break
    articles = [o for o in objects if any(_ARTICLE_TYPE.search(t) for t in _types(o))]
    articles.sort(key=lambda o: ("articleBody" not in o, "headline" not in o))
    article = articles[0] if articles else next((o for o in objects if "headline" in o), None)
    if article is not None:
        result.headline = _text(article.get("headline") or article.get("name"))
        body = article.get("articleBody")
        result.body = body.strip() if isinstance(body, str) else ""
        result.published = _text(article.get("datePublished") or article.get("dateCreated"))
        result.modified = _text(article.get("dateModified"))
        result.authors = _names(article.get("author"))
        result.image = _text(article.get("image"))
        result.lang = _text(article.get("inLanguage"))
        result.url = _text(article.get("url") or article.get("mainEntityOfPage"))
        for key in ("about", "mentions"):
            value = article.get(key)
            for item in value if isinstance(value, list) else [value]:
                work = _work_from(item)
                if work:
                    result.works.append(work)
    for obj in objects:
        if obj is article:
            continue
        work = _work_from(obj)
        if work and work[1] and work not in result.works:
            result.works.append(work)
    return result
