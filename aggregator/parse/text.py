"""Plain-text articles: the first non-empty line is the title, the rest the body."""

from __future__ import annotations

from aggregator.errors import ParseError
from aggregator.models import Article
from aggregator.parse.clean import clean_body, clean_title
from aggregator.parse.entities import find_entities

# Longer texts are cut: no article is this long, and cleaning is linear in it.
MAX_TEXT_CHARS = 2_000_000


def parse_text(text: str, url: str, source: str | None = None) -> Article:
    """An article from plain text; raises ParseError when there is no title line."""
    text = text[:MAX_TEXT_CHARS].lstrip("\ufeff")
    title, _, rest = text.lstrip().partition("\n")
    title = clean_title(title)
    if not title:
        raise ParseError("no article found: the file is empty")
    if not any(ch.isalnum() for ch in title):
        raise ParseError("no article found: the first line has no title text")
    body = clean_body(rest, title)
    works, people = find_entities(title, body)
    return Article(url=url, title=title, body=body, source=source, works=works, people=people)
