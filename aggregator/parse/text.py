"""Plain-text articles: the first non-empty line is the title, the rest the body."""

from __future__ import annotations

from aggregator.errors import ParseError
from aggregator.models import Article
from aggregator.parse.clean import clean_body, clean_title
from aggregator.parse.works import works_from_headline


def parse_text(text: str, url: str, source: str | None = None) -> Article:
    lines = text.replace("\r\n", "\n").split("\n")
    for index, line in enumerate(lines):
        if line.strip():
            title = clean_title(line)
            body = clean_body("\n".join(lines[index + 1 :]), title)
            break
    else:
        raise ParseError("no article found: the file is empty")
    if not any(ch.isalnum() for ch in title):
        raise ParseError("no article found: the first line has no title text")
    return Article(
        url=url, title=title, body=body, source=source, works=tuple(works_from_headline(title))
    )
