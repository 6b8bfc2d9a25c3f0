"""JSONL records: one article per line with ``url`` and ``title``/``body``/``html``."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from aggregator.errors import ParseError
from aggregator.models import Article
from aggregator.normalize.urls import InvalidURLError, canonicalize_url, check_http_url
from aggregator.parse.clean import clean_body, clean_title
from aggregator.parse.entities import find_entities
from aggregator.parse.html import parse_html
from aggregator.parse.metadata import parse_time
from aggregator.timeutil import parse_datetime

MAX_FIELD_CHARS = 2_000_000


# Longest headline taken from the first line of a record that gives no title.
MAX_DERIVED_TITLE_CHARS = 200
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"“‘'])")


def _text_field(record: dict[str, Any], key: str) -> str | None:
    value = record.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise ParseError(f"'{key}' must be a string, got {type(value).__name__}")
    return _without_lone_surrogates(value[:MAX_FIELD_CHARS])


def _without_lone_surrogates(value: str) -> str:
    """JSON may escape half of a UTF-16 pair ("\\udfff"): valid JSON, but no
    character. It cannot be stored as UTF-8, so it becomes U+FFFD here, instead of
    failing the whole batch of articles it arrived with."""
    if value.isascii():
        return value
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return value.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    return value


def _headline_from(body: str) -> str:
    """A headline for a record that gives none: its first line, or that line's first
    sentence when the line is a whole paragraph (as a .txt file's first line is)."""
    first = next(
        (line.strip() for line in body.splitlines() if any(ch.isalnum() for ch in line)), ""
    )
    if len(first) > MAX_DERIVED_TITLE_CHARS:
        first = _SENTENCE_END.split(first, maxsplit=1)[0]
    if len(first) > MAX_DERIVED_TITLE_CHARS:
        cut = first[:MAX_DERIVED_TITLE_CHARS].rsplit(" ", 1)[0]
        first = f"{cut}…"
    return first


def parse_record(record: Any) -> Article:
    """Turn one decoded JSONL object into an Article; raises ParseError with the reason."""
    if not isinstance(record, dict):
        raise ParseError("each line must be a JSON object with at least 'url'")
    url = _text_field(record, "url")
    if not url or not url.strip():
        raise ParseError("'url' is required")
    url = url.strip()
    try:
        # The article's address: an absolute http(s) URL, as a feed or a page gives it.
        canonicalize_url(check_http_url(url))
    except InvalidURLError as exc:
        raise ParseError(f"'url' {exc}") from None
    source = clean_title(_text_field(record, "source") or "") or None
    guid = _text_field(record, "guid")
    published = None
    raw_published = _text_field(record, "published")
    if raw_published:
        try:
            published = parse_datetime(raw_published)
        except ValueError:
            published = parse_time(raw_published)  # RFC 822, as feeds write it
        if published is None:
            raise ParseError(
                f"'published' is not an ISO 8601 time: {raw_published!r}; "
                "write it like 2026-11-21T10:00:00Z"
            )
    title = clean_title(_text_field(record, "title") or "")
    html = _text_field(record, "html")
    body_text = _text_field(record, "body")
    if html and not body_text:
        page = parse_html(html, url=url, source=source)
        if title and title != page.title:
            works, people = find_entities(title, page.body)
            page = replace(page, title=title, works=works or page.works, people=people)
        return replace(page, published=published or page.published, guid=guid, source=source)
    if not any(ch.isalnum() for ch in title) and body_text:
        # No title, or one of punctuation only ("!!!"): the body's first line is the headline.
        title = clean_title(_headline_from(body_text))
    if not title or not any(ch.isalnum() for ch in title):
        raise ParseError(
            "no article found: the record has no title with letters or digits, and no "
            "body to take one from"
        )
    body = clean_body(body_text or "", title)
    works, people = find_entities(title, body)
    return Article(
        url=url,
        title=title,
        body=body,
        published=published,
        guid=guid,
        source=source,
        works=works,
        people=people,
    )
