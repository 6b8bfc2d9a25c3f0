"""Article pages: headline, clean body and metadata from HTML.

trafilatura finds the main text; the headline and canonical URL are read from the
page's own metadata first, because trafilatura's title often keeps the site name.
"""

from __future__ import annotations

import logging
import re
from datetime import datetime

import lxml.html
import trafilatura
from lxml.etree import ParserError as LxmlParserError

from aggregator.errors import ParseError
from aggregator.models import Article
from aggregator.parse.clean import clean_body, clean_title
from aggregator.parse.works import works_from_headline
from aggregator.timeutil import parse_datetime

log = logging.getLogger(__name__)

MAX_HTML_CHARS = 5_000_000
_SITE_SEPARATORS = re.compile(r"\s+[|\u2013\u2014·•»]\s+|\s+-\s+")


def _meta(tree: lxml.html.HtmlElement, *names: str) -> str | None:
    for name in names:
        for attr in ("property", "name", "itemprop"):
            values = tree.xpath(f'//meta[@{attr}="{name}"]/@content')
            for value in values:
                if str(value).strip():
                    return str(value).strip()
    return None


def strip_site_name(title: str, site_names: set[str]) -> str:
    """'Headline | Site' or 'Site - Headline' -> 'Headline', keeping the longest part."""
    parts = [p.strip() for p in _SITE_SEPARATORS.split(title) if p.strip()]
    if len(parts) < 2:
        return title.strip()
    folded_sites = {s.casefold() for s in site_names if s}
    kept = [p for p in parts if p.casefold() not in folded_sites]
    return max(kept or parts, key=len)


def _published(tree: lxml.html.HtmlElement) -> datetime | None:
    candidates = [
        _meta(tree, "article:published_time", "datePublished", "pubdate", "date"),
        *(str(v) for v in tree.xpath("//time/@datetime")[:1]),
    ]
    for value in candidates:
        if value:
            try:
                return parse_datetime(value)
            except ValueError:
                continue
    return None


def parse_html(html: str, url: str, source: str | None = None) -> Article:
    """Extract an article from a page; raises :class:`ParseError` with the reason."""
    if not html.strip():
        raise ParseError("no article found: the page is empty")
    html = html[:MAX_HTML_CHARS]
    try:
        tree = lxml.html.fromstring(html)
    except (LxmlParserError, ValueError) as exc:
        raise ParseError(f"no article found: not parseable as HTML ({exc})") from None
    site = _meta(tree, "og:site_name") or ""
    heading = next((h.text_content() for h in tree.xpath("//h1") if h.text_content().strip()), "")
    raw_title = (
        _meta(tree, "og:title", "twitter:title")
        or heading
        or "".join(tree.xpath("//title//text()"))
    )
    title = clean_title(strip_site_name(clean_title(raw_title), {site}))
    canonical = (tree.xpath('//link[@rel="canonical"]/@href') or [None])[0] or _meta(tree, "og:url")
    try:
        extracted = trafilatura.bare_extraction(
            html, url=url, with_metadata=True, include_comments=False
        )
        doc = None if isinstance(extracted, dict) else extracted
    except Exception as exc:  # trafilatura raises many types on hostile pages
        log.debug("trafilatura failed on %s: %s", url, exc)
        doc = None
    body = doc.text if doc is not None and doc.text else ""
    if not title and doc is not None and doc.title:
        title = clean_title(doc.title)
    if not title:
        raise ParseError("no article found: the page has no headline")
    body = clean_body(body, title)
    if not body:
        raise ParseError("no article found: the page has no main text")
    lang = tree.get("lang") or (doc.language if doc is not None else None)
    authors = tuple(a.strip() for a in (doc.author or "").split(";") if a.strip()) if doc else ()
    return Article(
        url=url,
        title=title,
        body=body,
        published=_published(tree),
        authors=authors,
        lang=lang,
        canonical_url=str(canonical).strip() if canonical else None,
        source=source or site or None,
        image=_meta(tree, "og:image", "twitter:image"),
        works=tuple(works_from_headline(title)),
    )
