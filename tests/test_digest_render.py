"""Digests from hostile stories, checked by parsing the output of every format."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import feedparser
import pytest
from query_helpers import CORPUS, article, build_store

from aggregator.digest import render
from aggregator.digest.model import Digest
from aggregator.digest.service import produce_digest
from aggregator.digest.text import TITLE_CHARS
from aggregator.store import Store

LONG_TITLE = "Ballerina " + "very " * 2000 + "long"  # over 10,000 characters
HOSTILE = [
    article(
        "https://evil.example/script",
        "‘<script>alert(1)</script>’ premieres at <b onmouseover=alert(2)>Busan</b>",
        '<script>document.cookie</script> The lead. <img src=x onerror="alert(3)"> '
        'More text <a href="javascript:alert(4)">click</a> <div><p>unclosed <b>bold',
        source="<i>Evil</i> & Co",
        published="2026-01-01T10:00:00",
        work="<script>alert(1)</script>",
    ),
    article(
        "javascript:alert(5)",
        "A javascript: link as the article URL",
        "Body with a ]]> CDATA end and \x00\x07\x1b[31m control characters and a \ufffe.",
        source="Evil",
        work="<script>alert(1)</script>",
    ),
    article(
        "data:text/html,<script>alert(6)</script>",
        "‘Data Film’ via a data: URL",
        "Short.",
        work="Data Film",
    ),
    article(
        "https://long.example/title",
        LONG_TITLE,
        "A body for the very long title, " * 50,
        source="Long",
        work=LONG_TITLE,
    ),
    article(
        'https://quotes.example/a?x=1&y="2"\'<>',
        "Quotes \"double\" and 'single' & ampersands ]]> in a title",
        "Fine text. Second sentence with <style>body{display:none}</style> in it.",
        source="Quotes",
        work="Quotes",
    ),
]


class Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


@pytest.fixture
def digest_store(tmp_path: Path) -> Store:
    return build_store(tmp_path / "d.db", [*CORPUS, *HOSTILE])


def make(store: Store, fmt: str) -> tuple[Digest, str]:
    now = datetime.now(UTC) + timedelta(seconds=5)
    digest, text, _ = produce_digest(store, fmt, "test", since=now - timedelta(days=1), now=now)
    return digest, text


def test_one_entry_per_story(digest_store: Store) -> None:
    digest, _ = make(digest_store, "json")
    story_ids = [e.story_id for e in digest.entries]
    assert len(story_ids) == len(set(story_ids))
    ballerina = next(e for e in digest.entries if e.title == "Ballerina" and e.year == 2023)
    assert len(ballerina.articles) == 3
    assert ballerina.outlets == 3
    # The summary is the lead of the article that says the most.
    assert ballerina.summary.startswith("Netflix has set an October date for Ballerina")


def test_html_has_no_active_content(digest_store: Store) -> None:
    _, page = make(digest_store, "html")
    parser = Collector()
    parser.feed(page)
    parser.close()
    tags = [tag for tag, _ in parser.tags]
    assert "script" not in tags and "img" not in tags and "b" not in tags and "div" not in tags
    assert tags.count("style") == 1  # our own stylesheet, nothing from the feed
    for tag, attrs in parser.tags:
        for name, value in attrs:
            assert not name.startswith("on"), (tag, name)
            if name in ("href", "src"):
                assert urlsplit(value or "").scheme in ("http", "https", "file"), value
    text = "".join(parser.text)
    assert "<script>alert(1)</script>" in text  # shown as text, harmless
    assert '<meta name="viewport"' in page
    assert "Content-Security-Policy" in page
    assert "\x00" not in page and "\x1b" not in page
    longest = max(len(t.strip()) for t in parser.text)
    assert longest < 2 * TITLE_CHARS + 400


def test_html_links_only_safe_schemes(digest_store: Store) -> None:
    _, page = make(digest_store, "html")
    parser = Collector()
    parser.feed(page)
    hrefs = [v for _, attrs in parser.tags for n, v in attrs if n == "href"]
    assert "https://screenbeat.example/ballerina-date" in hrefs
    assert not any((h or "").lower().startswith(("javascript:", "data:")) for h in hrefs)


def test_atom_is_valid_and_subscribable(digest_store: Store) -> None:
    digest, text = make(digest_store, "atom")
    root = ET.fromstring(text.encode("utf-8"))  # well-formed XML
    atom = "{http://www.w3.org/2005/Atom}"
    assert root.tag == f"{atom}feed"
    for required in ("id", "title", "updated", "author"):
        assert root.find(f"{atom}{required}") is not None
    # No markup from the feed became XML elements: content is escaped text.
    assert {el.tag for el in root.iter()} <= {
        f"{atom}{t}"
        for t in (
            "feed",
            "id",
            "title",
            "subtitle",
            "updated",
            "author",
            "name",
            "generator",
            "entry",
            "link",
            "summary",
            "content",
        )
    }
    parsed = feedparser.parse(text)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert len(parsed.entries) == len(digest.entries)
    ids = [entry.id for entry in parsed.entries]
    assert len(set(ids)) == len(ids) and all(i.startswith("urn:uuid:") for i in ids)
    for entry in parsed.entries:
        assert entry.title and entry.updated
        for link in entry.get("links", []):
            assert urlsplit(link["href"]).scheme in ("http", "https", "file")
        # The related links are the other articles: the summarised one is not repeated.
        links = entry.get("links", [])
        alternate = [link["href"] for link in links if link["rel"] == "alternate"]
        related = [link["href"] for link in links if link["rel"] == "related"]
        assert len(alternate) <= 1 and not set(alternate) & set(related)
    hostile = next(e for e in parsed.entries if "alert(1)" in e.title)
    assert "<script>" not in hostile.get("content", [{}])[0].get("value", "").lower()


def test_json_round_trips(digest_store: Store) -> None:
    digest, text = make(digest_store, "json")
    data = json.loads(text)
    assert data["version"] == 1
    assert {"generated", "since", "until", "stories"} <= set(data)
    assert len(data["stories"]) == len(digest.entries)
    story = data["stories"][0]
    assert {"story_id", "title", "summary", "outlets", "articles"} <= set(story)
    assert {"id", "url", "title", "source", "published"} <= set(story["articles"][0])
    titles = {s["title"] for s in data["stories"]}
    assert "<script>alert(1)</script>" in titles  # data, not markup: kept as written
    assert "\x00" not in text and "\\u0000" not in text


def test_markdown_cannot_inject_html_or_links(digest_store: Store) -> None:
    _, text = make(digest_store, "md")
    assert "<script" not in text and "<b " not in text and "<img" not in text
    assert "&lt;script&gt;" in text
    assert "](javascript:" not in text and "](<javascript:" not in text
    assert "](<data:" not in text
    assert "](<https://screenbeat.example/ballerina-date>)" in text
    assert max(len(line) for line in text.splitlines()) < 3 * TITLE_CHARS + 200


def test_empty_window_renders_everywhere(tmp_path: Path) -> None:
    store = build_store(tmp_path / "e.db", [])
    for fmt in ("md", "html", "json", "atom"):
        digest, text, _ = produce_digest(store, fmt, "empty")
        assert digest.entries == ()
        assert "Nothing new" in text or '"stories": []' in text
    assert not feedparser.parse(render(digest, "atom")).bozo
