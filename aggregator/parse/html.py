"""Article pages: headline, clean body, metadata and named works from HTML.

The page is parsed once with lxml; metadata, JSON-LD, the headline and the body
are all read from that one tree. Hostile input (empty, binary, gigantic, deeply
nested, script-only) ends in a :class:`ParseError` naming the reason, never in
another exception, and within bounded time: the text is capped before parsing and
trees with too many elements are refused.
"""

from __future__ import annotations

from urllib.parse import urljoin

import lxml.html
from lxml import etree

from aggregator.errors import ParseError
from aggregator.models import Article
from aggregator.parse import metadata
from aggregator.parse.body import extract_body
from aggregator.parse.entities import find_entities
from aggregator.parse.jsonld import read_jsonld
from aggregator.parse.title import choose_title

# Longer pages are cut here before parsing: article text sits in the first
# megabytes of every page in the evaluation set (the largest is 1.6 MB).
MAX_HTML_CHARS = 4_000_000
# A tree with more elements than this is a generated or hostile page; real
# article pages in the evaluation set have at most about 15,000.
MAX_ELEMENTS = 120_000
# Share of control characters above which the input is binary, not HTML.
MAX_BINARY_SHARE = 0.05
BINARY_SAMPLE_CHARS = 4096
HTML_PARSER = lxml.html.HTMLParser(
    remove_comments=True, remove_pis=True, collect_ids=False, default_doctype=False
)
_CONTROL = frozenset(chr(c) for c in range(32) if chr(c) not in "\t\n\r\x0c")


def _looks_binary(sample: str) -> bool:
    if "\x00" in sample:
        return True
    control = sum(1 for ch in sample if ch in _CONTROL or ch == "\ufffd")
    return control > MAX_BINARY_SHARE * max(1, len(sample))


def parse_tree(html: str) -> etree._Element:
    """The lxml tree of a page; raises ParseError when there is no document in it."""
    if not html or not html.strip():
        raise ParseError("no article found: the page is empty")
    if _looks_binary(html[:BINARY_SAMPLE_CHARS]):
        raise ParseError("no article found: the content is binary, not HTML")
    html = html[:MAX_HTML_CHARS]
    try:
        try:
            tree = lxml.html.document_fromstring(html, parser=HTML_PARSER)
        except ValueError:  # a str with an XML encoding declaration: parse the bytes
            tree = lxml.html.document_fromstring(html.encode("utf-8"), parser=HTML_PARSER)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as exc:
        raise ParseError(f"no article found: not parseable as HTML ({exc})") from None
    if tree is None:
        raise ParseError("no article found: not parseable as HTML")
    for count, _ in enumerate(tree.iter(), start=1):
        if count > MAX_ELEMENTS:
            raise ParseError(f"no article found: the page has over {MAX_ELEMENTS} elements")
    return tree


def _italics(tree: etree._Element) -> list[str]:
    """Texts set in italics (<i>, <em>, <cite>): publications write titles that way."""
    found = []
    for element in tree.iter("i", "em", "cite"):
        text = " ".join(element.text_content().split())
        if text and len(text) <= 80:
            found.append(text)
        if len(found) >= 200:
            break
    return found


def parse_html(html: str, url: str, source: str | None = None) -> Article:
    """Extract an article from a page; raises :class:`ParseError` with the reason."""
    tree = parse_tree(html)
    page = metadata.read_page_meta(tree)
    ld = read_jsonld(page.jsonld_blocks)
    site = page.first("og:site_name", "application-name")
    title = choose_title(
        jsonld=ld.headline,
        og=page.first("og:title"),
        twitter=page.first("twitter:title"),
        html_title=page.title,
        headings=page.h1,
        site_name=site,
        url=url,
    )
    if not title:
        raise ParseError("no article found: the page has no headline")
    try:
        body = extract_body(tree, url, title, ld.body)
    except RecursionError:
        raise ParseError("no article found: the page is nested too deeply") from None
    if not body:
        raise ParseError("no article found: the page has no main text")
    canonical = metadata.canonical_url(page, ld)
    if canonical:
        canonical = urljoin(url, canonical) if url else canonical
    categories = page.meta.get("article:section", []) + page.meta.get("article:tag", [])
    works, people = find_entities(
        title, body, jsonld=ld.works, italics=_italics(tree), categories=categories
    )
    published = metadata.published_time(page, ld, url) or metadata.guessed_date(tree)
    return Article(
        url=url,
        title=title,
        body=body,
        published=published,
        updated=metadata.updated_time(page, ld),
        authors=metadata.authors(page, ld),
        lang=metadata.language(page, ld),
        canonical_url=canonical,
        source=source or site or None,
        image=metadata.lead_image(page, ld),
        works=works,
        people=people,
    )
