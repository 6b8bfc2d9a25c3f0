"""Plain-text articles: the first non-empty line is the title, the rest the body."""

from __future__ import annotations

from aggregator.errors import ParseError
from aggregator.models import Article
from aggregator.parse.clean import clean_body, clean_title
from aggregator.parse.people import find_people
from aggregator.parse.works import find_works

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
    return Article(
        url=url,
        title=title,
        body=body,
        source=source,
        works=tuple(find_works(title, body)),
        people=tuple(find_people(title, body)),
    )
