"""Sitemaps (plain and Google News) to a list of article URLs, newest first.

The XML parser resolves no entities and loads nothing from the network, so a
hostile sitemap cannot read local files or expand into gigabytes.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from datetime import datetime

from lxml import etree

from aggregator.errors import ParseError
from aggregator.timeutil import parse_datetime

GZIP_MAGIC = b"\x1f\x8b"


@dataclass(frozen=True)
class SitemapEntry:
    url: str
    published: datetime | None = None
    title: str | None = None


@dataclass(frozen=True)
class Sitemap:
    """Article URLs, or (for a sitemap index) the child sitemaps to read."""

    entries: tuple[SitemapEntry, ...] = ()
    children: tuple[SitemapEntry, ...] = ()


def _local(tag: object) -> str:
    return str(tag).rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _gunzip(data: bytes, limit: int) -> bytes:
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        out = inflater.decompress(data, limit + 1)
    except zlib.error as exc:
        raise ParseError(f"sitemap is gzip-compressed but corrupt: {exc}") from None
    if len(out) > limit:
        raise ParseError(f"sitemap expands past {limit} bytes when decompressed; refused")
    return out


def _date(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        return parse_datetime(text)
    except ValueError:
        return None


def parse_sitemap(data: bytes, max_bytes: int = 50 * 1024 * 1024) -> Sitemap:
    """Parse ``<urlset>`` or ``<sitemapindex>``; newest first when dates are given."""
    if data.startswith(GZIP_MAGIC):
        data = _gunzip(data, max_bytes)
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, recover=True)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise ParseError(f"not a sitemap: {exc}") from None
    if root is None or _local(root.tag) not in ("urlset", "sitemapindex"):
        raise ParseError("not a sitemap: expected <urlset> or <sitemapindex>")
    items: list[SitemapEntry] = []
    for node in root:
        if _local(node.tag) not in ("url", "sitemap"):
            continue
        fields: dict[str, str] = {}
        for child in node.iter():
            name = _local(child.tag)
            if name in ("loc", "lastmod", "publication_date", "title") and child.text:
                fields.setdefault(name, child.text.strip())
        if not fields.get("loc"):
            continue
        items.append(
            SitemapEntry(
                url=fields["loc"],
                published=_date(fields.get("publication_date") or fields.get("lastmod")),
                title=fields.get("title"),
            )
        )
    # Sort newest first; undated items keep their order after the dated ones.
    items.sort(
        key=lambda e: (e.published is None, -(e.published.timestamp() if e.published else 0))
    )
    if _local(root.tag) == "sitemapindex":
        return Sitemap(children=tuple(items))
    return Sitemap(entries=tuple(items))
