"""Hostile article URLs and titles in every digest format: links stay links, text text."""

from __future__ import annotations

import itertools
import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import feedparser
import pytest

from aggregator.digest import render
from aggregator.digest.markdown import md_url
from aggregator.digest.model import Digest, DigestArticle, DigestEntry

# (url as published, the link it must become; None: not a link at all)
URLS = [
    ("https://ex.com/a\\", "https://ex.com/a%5C"),
    ("https://ex.com/b\\>)", "https://ex.com/b%5C%3E)"),
    ("https://ex.com/q?a=\"b\"&c='d'", "https://ex.com/q?a=%22b%22&c='d'"),
    ("https://ex.com/e(1)>x<y", "https://ex.com/e(1)%3Ex%3Cy"),
    ("https://ex.com/d&copy;x&amp;y&#38;z", "https://ex.com/d&copy;x&amp;y&#38;z"),
    ("https://ex.com/p|{x}^`", "https://ex.com/p%7C%7Bx%7D%5E%60"),
    ("https://ex.com/line\nbreak", None),
    ("javascript:alert(1)", None),
    ("JavaScript:alert(2)//https://ex.com/", None),
]
TITLES = [
    "Ends in a backslash \\",
    "Has ] a bracket",
    "[Fake](javascript:alert(3)) link",
    "Learn C #",
    "Quotes \"double\" and 'single'",
    "Pointy <b>bold</b> & &copy;",
    "Hash ##",
    "Star *power*",
    "Line\nbreak",
]
STORY_TITLES = ["Learn C #", "Closing ##", "Back\\", "Plain"]


def _digest() -> Digest:
    articles = [
        DigestArticle(
            id=i + 1,
            url=url,
            title=TITLES[i].replace("\n", " "),
            source="Ex",
            outlet="Ex",
            published="2026-11-21T09:00:00+00:00",
            first_seen="2026-11-21T09:30:00+00:00",
        )
        for i, (url, _) in enumerate(URLS)
    ]
    entries = [
        DigestEntry(
            story_id=n + 1,
            title=title,
            year=None,
            kind=None,
            summary="A summary.",
            outlets=1,
            article_count=len(articles[n::4]),
            updated="2026-11-21T09:30:00+00:00",
            articles=tuple(articles[n::4]),
            best_article_id=articles[n].id,
        )
        for n, title in enumerate(STORY_TITLES)
    ]
    return Digest(
        title="Digest #",
        since="2026-11-20T10:00:00+00:00",
        until="2026-11-21T10:00:00+00:00",
        generated="2026-11-21T10:00:00+00:00",
        entries=tuple(entries),
        feed_id="test",
    )


def _expected_links() -> dict[str, str]:
    """Article title -> the link it must have."""
    return {TITLES[i].replace("\n", " "): link for i, (_, link) in enumerate(URLS) if link}


def test_markdown_links_survive_hostile_urls_and_titles() -> None:
    markdown_it = pytest.importorskip("markdown_it")
    text = render(_digest(), "md")
    tokens = markdown_it.MarkdownIt("commonmark").parse(text)
    links: dict[str, str] = {}
    for inline in tokens:
        for i, token in enumerate(inline.children or []):
            if token.type == "link_open":
                label = inline.children[i + 1]  # type: ignore[index]
                assert label.type == "text", text
                links[label.content] = str(token.attrGet("href"))
    assert links == _expected_links(), text
    # Unlinked titles are plain text, and nothing else in the file became a link.
    html = markdown_it.MarkdownIt("commonmark").render(text)
    assert html.count("<a ") == len(_expected_links()), html
    assert "javascript:" not in html.replace("(javascript:alert(3))", "")


def test_markdown_headings_keep_their_text() -> None:
    markdown_it = pytest.importorskip("markdown_it")
    tokens = markdown_it.MarkdownIt("commonmark").parse(render(_digest(), "md"))
    headings = [
        _plain(inline)
        for block, inline in itertools.pairwise(tokens)
        if block.type == "heading_open"
    ]
    assert headings == ["Digest #", *STORY_TITLES]  # no trailing # taken as markup


def _plain(inline: object) -> str:
    return "".join(
        t.content for t in getattr(inline, "children", []) if t.type in ("text", "code_inline")
    )


def test_md_url_exact_output() -> None:
    assert md_url("https://ex.com/a\\") == "<https://ex.com/a%5C>"
    assert md_url("https://ex.com/x?a=1&b=2&copy;") == "<https://ex.com/x?a=1&b=2&amp;copy;>"
    assert md_url("https://ex.com/(a) b<c>") == "<https://ex.com/(a)%20b%3Cc%3E>"


def test_atom_links_are_iris_that_read_back() -> None:
    text = render(_digest(), "atom")
    root = ET.fromstring(text.encode("utf-8"))
    hrefs = [el.get("href") or "" for el in root.iter("{http://www.w3.org/2005/Atom}link")]
    hrefs = [h for h in hrefs if "ex.com" in h]
    assert hrefs and all(not re.search(r'[\s"<>\\^`{|}]', h) for h in hrefs), hrefs
    parsed = feedparser.parse(text)
    assert not parsed.bozo, parsed.get("bozo_exception")
    related = {
        link["title"]: link["href"]
        for entry in parsed.entries
        for link in entry.links
        if link.get("rel") == "related"
    }
    alternates = {
        link["href"]
        for entry in parsed.entries
        for link in entry.links
        if link["rel"] == "alternate"
    }
    # Each article's link is there once: as its entry's alternate link (the summarised
    # article) or among the related ones (the others).
    expected = _expected_links()
    assert {t: h for t, h in expected.items() if h not in alternates} == related
    assert alternates <= set(expected.values())
    for entry in parsed.entries:
        content = entry.content[0].value
        assert "javascript:" not in re.sub(r">[^<]*<", "><", content)  # only in text


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.hrefs += [v or "" for n, v in attrs if n == "href"]


def test_html_and_json_keep_hostile_urls_inert() -> None:
    page = render(_digest(), "html")
    parser = _Links()
    parser.feed(page)
    linked = [u for u, link in URLS if link]
    assert sorted(parser.hrefs) == sorted(linked)  # attribute values intact, quotes too
    data = json.loads(render(_digest(), "json"))
    urls = [a["url"] for s in data["stories"] for a in s["articles"]]
    assert sorted(urls) == sorted(u for u, _ in URLS)  # data: as published
