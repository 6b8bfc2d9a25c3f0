"""Feed entries: the title, content and dates a feed gives, cleaned like a page.

The crawler reads feeds with feedparser and calls :func:`parse_entry_fields` with
the fields of one entry. The content may be HTML (``content:encoded``, Atom
``content``) or plain text; either way it gets the same cleaning as a page body,
and the works and people are found the same way, with the entry's categories as
extra evidence for works.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, datetime

import lxml.html
from lxml import etree

from aggregator.errors import ParseError
from aggregator.models import Article
from aggregator.parse.clean import clean_body, clean_title
from aggregator.parse.cues import word_list
from aggregator.parse.entities import find_entities
from aggregator.parse.html import HTML_PARSER
from aggregator.parse.metadata import parse_time

MAX_CONTENT_CHARS = 2_000_000
# Block elements after which feed HTML starts a new paragraph.
_BLOCKS = frozenset(
    word_list(
        "p div br li h1 h2 h3 h4 h5 h6 blockquote pre tr figcaption section article ul ol table"
    )
)
_TAG = re.compile(r"<[^>]{0,2000}>")
_SCRIPT = re.compile(r"<(script|style)\b.{0,200000}?</\1\s*>", re.IGNORECASE | re.DOTALL)
_ITALIC = frozenset({"i", "em", "cite"})
MAX_ITALICS = 200
_DROP = frozenset({"script", "style", "noscript", "iframe", "svg", "form", "button"})


def _looks_like_html(text: str) -> bool:
    return (
        "<" in text
        and ">" in text
        and any(
            tag in text.lower()
            for tag in (
                "<p",
                "<br",
                "<div",
                "<a ",
                "<img",
                "<span",
                "<em",
                "<i>",
                "<b>",
                "<strong",
                "<li",
                "<h",
            )
        )
    )


def html_to_text(fragment: str) -> tuple[str, list[str]]:
    """Text of an HTML fragment (or a whole page) with a line per block, and its
    italic spans. Walked without recursion: feed HTML may be nested arbitrarily."""
    try:
        document = lxml.html.document_fromstring(fragment, parser=HTML_PARSER)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError, AssertionError):
        return fragment, []
    root = document.find("body")
    if root is None:
        root = document
    parts: list[str] = []
    italics: list[str] = []
    walker = etree.iterwalk(root, events=("start", "end"))
    for event, element in walker:
        tag = element.tag if isinstance(element.tag, str) else ""
        if event == "start":
            if tag in _DROP:
                walker.skip_subtree()
                continue
            if tag in _BLOCKS:
                parts.append("\n")
            if tag in _ITALIC and len(italics) < MAX_ITALICS:
                italic = " ".join(element.text_content().split())
                if italic:
                    italics.append(italic)
            if element.text and tag:
                parts.append(element.text)
        else:
            if tag in _BLOCKS:
                parts.append("\n")
            if element.tail and element is not root:
                parts.append(element.tail)
    text = "".join(parts)
    if not text.strip():
        # libxml2 stops nesting at 256 levels and drops what is deeper; strip tags.
        text = _TAG.sub("\n", _SCRIPT.sub(" ", fragment))
    return text, italics


def parse_entry_fields(
    title: str,
    content: str,
    url: str,
    *,
    published: datetime | str | None = None,
    updated: datetime | str | None = None,
    authors: Iterable[str] = (),
    categories: Iterable[str] = (),
    guid: str | None = None,
    source: str | None = None,
    lang: str | None = None,
    image: str | None = None,
) -> Article:
    """An article from one feed entry's fields; raises ParseError when it has no title.

    ``content`` is the fullest text the feed offers (content, else summary); HTML
    is detected and turned into paragraphs. Times may be datetimes or the feed's
    strings (ISO 8601 or RFC 822); they are returned in UTC.
    """
    title = clean_title(title or "")
    if not title or not any(ch.isalnum() for ch in title):
        raise ParseError("no article found: the feed entry has no title")
    content = (content or "")[:MAX_CONTENT_CHARS]
    italics: list[str] = []
    if _looks_like_html(content):
        content, italics = html_to_text(content)
    body = clean_body(content, title)
    works, people = find_entities(
        title, body, italics=italics, categories=[c for c in categories if isinstance(c, str)]
    )
    return Article(
        url=url,
        title=title,
        body=body,
        published=_time(published),
        updated=_time(updated),
        authors=tuple(a.strip() for a in authors if a and a.strip()),
        lang=lang,
        guid=guid,
        source=source,
        image=image,
        works=works,
        people=people,
    )


def _time(value: datetime | str | None) -> datetime | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(UTC)
    return parse_time(value)
