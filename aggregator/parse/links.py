"""Links in HTML: feed discovery and article links on a section page.

Pure: HTML text and its URL in, absolute http(s) URLs out.
"""

from __future__ import annotations

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


def looks_like_html(data: bytes, content_type: str = "") -> bool:
    """True for an HTML page (by media type, else by its first bytes)."""
    if content_type in ("text/html", "application/xhtml+xml"):
        return True
    head = data[:1024].lstrip().lower()
    return head.startswith(_HTML_MARKERS) or (
        head.startswith(b"<!--") and any(m in head for m in _HTML_MARKERS)
    )


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
    soup = BeautifulSoup(html, "lxml")
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
    soup = BeautifulSoup(html, "lxml")
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
