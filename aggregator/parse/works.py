"""Named works an article is about, found in its headline and text.

This first version reads quoted titles ("Ballerina", 'Ballerina', «Ballerina»);
quotes inside quotes win, because a whole headline is sometimes quoted too.
"""

from __future__ import annotations

import re

from aggregator.models import Work

# Opening quote must not follow a letter (so the apostrophe in "Netflix’s" never opens),
# closing quote must not precede a letter (so "Netflix’s" never closes).
_QUOTED = re.compile(
    r"""(?<![\w])(?:“(?P<a>[^“”]{1,80})”|‘(?P<b>[^‘’]{1,80}?)’(?![\w])|"(?P<c>[^"]{1,80})"|'(?P<d>[^']{1,80}?)'(?![\w])|«(?P<e>[^«»]{1,80})»|「(?P<f>[^「」]{1,80})」)"""
)
_MAX_TITLE_WORDS = 8


def quoted_spans(text: str) -> list[str]:
    """Quoted spans, innermost first when quotes nest."""
    found: list[str] = []
    for match in _QUOTED.finditer(text):
        inner = next(g for g in match.groups() if g is not None)
        nested = quoted_spans(inner)
        found.extend(nested or [inner])
    return found


def _looks_like_title(span: str) -> bool:
    words = span.split()
    if not words or len(words) > _MAX_TITLE_WORDS:
        return False
    first = span.strip()[0]
    return first.isupper() or first.isdigit() or not first.isascii()


def works_from_headline(headline: str) -> list[Work]:
    """Quoted titles in a headline, in order, without repeats."""
    works: list[Work] = []
    seen: set[str] = set()
    for span in quoted_spans(headline):
        title = span.strip().strip(",.:;!?").strip()
        if _looks_like_title(title) and title.lower() not in seen:
            seen.add(title.lower())
            works.append(Work(title=title, source="headline-quote"))
    return works
