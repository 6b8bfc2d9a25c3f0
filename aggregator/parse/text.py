"""Plain-text articles: the first non-empty line is the title, the rest the body.

A line above or right below the headline that only gives a date or time
("Updated: May 2, 2013, 1:12 PM") is a dateline, neither title nor body: its date
becomes the article's publication date.
"""

from __future__ import annotations

from aggregator.errors import ParseError
from aggregator.models import Article
from aggregator.parse.clean import clean_body, clean_title
from aggregator.parse.dateline import datetime_in, is_dateline
from aggregator.parse.entities import find_entities

# Longer texts are cut: no article is this long, and cleaning is linear in it.
MAX_TEXT_CHARS = 2_000_000
# At most this many date lines are looked past before the headline.
MAX_LEADING_DATELINES = 3


def parse_text(text: str, url: str, source: str | None = None) -> Article:
    """An article from plain text; raises ParseError when there is no title line."""
    text = text[:MAX_TEXT_CHARS].lstrip("\ufeff")
    title, _, rest = text.lstrip().partition("\n")
    published = None
    for _ in range(MAX_LEADING_DATELINES):
        following, _, after = rest.lstrip().partition("\n")
        if not is_dateline(title) or not following.strip():
            break
        published = published or datetime_in(title)
        title, rest = following, after
    following, _, after = rest.lstrip().partition("\n")
    if is_dateline(following):  # the date below the headline
        published = published or datetime_in(following)
        rest = after
    if is_dateline(title) and not rest.strip():
        raise ParseError("no article found: the file holds only a date line, no headline")
    title = clean_title(title)
    if not title:
        raise ParseError("no article found: the file is empty")
    if not any(ch.isalnum() for ch in title):
        raise ParseError("no article found: the first line has no title text")
    body = clean_body(rest, title)
    works, people = find_entities(title, body)
    return Article(
        url=url,
        title=title,
        body=body,
        source=source,
        published=published,
        works=works,
        people=people,
    )
