"""Links in HTML: feed discovery and article links on a section page.

Pure: HTML text and its URL in, absolute http(s) URLs out.
"""

from __future__ import annotations

import codecs
import re
from urllib.parse import urljoin, urlsplit, urlunsplit

from bs4 import BeautifulSoup
from soupsieve import SelectorSyntaxError

from aggregator.errors import ParseError

FEED_TYPES = (
    "application/rss+xml",
    "application/atom+xml",
    "application/rdf+xml",
    "application/xml",
    "text/xml",
)
_HTML_MARKERS = (b"<!doctype html", b"<html", b"<head", b"<body")
# What may come before an XML document's root element: an XML declaration and other
# processing instructions, comments, a doctype, whitespace.
_XML_PROLOG = re.compile(
    rb"(?:\s|<\?.{0,500}?\?>|<!--.{0,20000}?-->|<!DOCTYPE[^>\[]{0,1000}(?:\[.{0,20000}?\])?\s*>)*",
    re.DOTALL | re.IGNORECASE,
)
# RSS 0.9x/2.0, Atom, RSS 1.0 (RDF): the root element, any namespace prefix.
_FEED_ROOT = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(?:rss|feed|RDF)[\s/>]")
_XML_DECLARATION = re.compile(r"^\ufeff?\s*<\?xml\b[^>]{0,500}\?>")


def looks_like_html(data: bytes, content_type: str = "") -> bool:
    """True for an HTML page (by media type, else by its first bytes).

    This trusts the media type; :func:`is_html_page` is what decides whether a
    response is a page rather than a feed.
    """
    if content_type in ("text/html", "application/xhtml+xml"):
        return True
    head = data[:1024].lstrip().lower()
    return head.startswith(_HTML_MARKERS) or (
        head.startswith(b"<!--") and any(m in head for m in _HTML_MARKERS)
    )


def _ascii_head(data: bytes, size: int = 64 * 1024) -> bytes:
    """The start of a document as ASCII-compatible bytes (UTF-16/32 with a BOM or
    an XML declaration in them recoded, a UTF-8 BOM dropped)."""
    head = data[:size]
    for bom, codec in (
        (codecs.BOM_UTF32_LE, "utf-32-le"),
        (codecs.BOM_UTF32_BE, "utf-32-be"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if head.startswith(bom):
            text = head[len(bom) :].decode(codec, errors="ignore")
            return text.encode("ascii", errors="replace")
    for prefix, codec in ((b"<\x00?\x00", "utf-16-le"), (b"\x00<\x00?", "utf-16-be")):
        if head.startswith(prefix):
            return head.decode(codec, errors="ignore").encode("ascii", errors="replace")
    return head.removeprefix(codecs.BOM_UTF8)


def looks_like_feed(data: bytes) -> bool:
    """True when the document is XML whose root element is RSS, Atom or RDF (RSS
    1.0): a feed, whatever media type it was served with."""
    head = _ascii_head(data)
    prolog = _XML_PROLOG.match(head)
    return _FEED_ROOT.match(head, prolog.end() if prolog else 0) is not None


def is_html_page(data: bytes, content_type: str = "") -> bool:
    """True for an HTML page rather than a feed: the body decides first (an RSS,
    Atom or RDF document is a feed even when served as text/html), then the media
    type and the first bytes."""
    return not looks_like_feed(data) and looks_like_html(data, content_type)


def _soup(html: str) -> BeautifulSoup:
    """``html`` parsed as HTML. A leading XML declaration is dropped first: the
    HTML parser ignores it anyway, and bs4 would warn (XMLParsedAsHTMLWarning, many
    lines on stderr) about an XML document read for its links on purpose."""
    return BeautifulSoup(_XML_DECLARATION.sub("", html, count=1), "lxml")


def _absolute(base: str, href: str | None) -> str | None:
    if not href or not href.strip():
        return None
    url = urljoin(base, href.strip())
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    return urlunsplit((parts.scheme, parts.netloc, parts.path, parts.query, ""))


def feed_links(html: str, base_url: str) -> list[str]:
    """Feeds a page announces with ``<link rel="alternate" type="...rss/atom...">``."""
    soup = _soup(html)
    base = _base(soup, base_url)
    found: list[str] = []
    for link in soup.find_all("link"):
        rel: str | list[str] = link.get("rel") or []
        rels = [r.lower() for r in (rel.split() if isinstance(rel, str) else rel)]
        kind = str(link.get("type") or "").split(";", 1)[0].strip().lower()
        if "alternate" in rels and kind in FEED_TYPES:
            url = _absolute(base, str(link.get("href") or ""))
            if url and url not in found:
                found.append(url)
    return found


def _base(soup: BeautifulSoup, page_url: str) -> str:
    tag = soup.find("base", href=True)
    return urljoin(page_url, str(tag["href"])) if tag is not None else page_url


def section_links(html: str, base_url: str, selector: str) -> list[tuple[str, str]]:
    """(url, link text) for each element matching ``selector``, in page order.

    A matched element that is not itself a link contributes its first link, so
    ``article h2`` works as well as ``article h2 a``.
    """
    soup = _soup(html)
    base = _base(soup, base_url)
    try:
        matched = soup.select(selector)
    except (SelectorSyntaxError, ValueError) as exc:
        raise ParseError(f"link_selector {selector!r} is not a valid CSS selector: {exc}") from None
    links: list[tuple[str, str]] = []
    seen: set[str] = set()
    for element in matched:
        anchor = element if element.name == "a" else element.find("a", href=True)
        if anchor is None:
            continue
        url = _absolute(base, str(anchor.get("href") or ""))
        if url and url not in seen:
            seen.add(url)
            links.append((url, " ".join(anchor.get_text(" ").split())))
    return links
