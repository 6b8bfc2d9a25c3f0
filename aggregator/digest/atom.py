"""Atom (RFC 4287) digests that any feed reader can subscribe to.

Built with ElementTree, which escapes all text and attribute values; characters
XML cannot carry were removed beforehand (:func:`aggregator.digest.text.clean`).
Links are IRIs as RFC 4287 requires: what an IRI may not hold is percent-encoded.
Ids are ``urn:uuid:`` values derived from the digest target and the story (and,
for entries, the window), so a reader sees each digest entry once.
"""

from __future__ import annotations

import uuid
import xml.etree.ElementTree as ET

from aggregator import PROJECT_URL, __version__
from aggregator.digest.common import article_meta, counts, heading, intro
from aggregator.digest.html import _e
from aggregator.digest.model import Digest, DigestEntry
from aggregator.digest.text import TITLE_CHARS, clean, encode_link, safe_link

ATOM = "http://www.w3.org/2005/Atom"
ET.register_namespace("", ATOM)
_ID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, PROJECT_URL + "/digest")


def _urn(*parts: object) -> str:
    return uuid.uuid5(_ID_NAMESPACE, "/".join(str(p) for p in parts)).urn


def _link(url: str) -> str | None:
    link = safe_link(url)
    return encode_link(link) if link else None


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
    if text is not None:
        element.text = text
    return element


def _content_html(entry: DigestEntry) -> str:
    """The entry body as escaped HTML (carried as text inside type="html")."""
    items = []
    for article in entry.articles:
        text = _e(clean(article.title, TITLE_CHARS))
        link = _link(article.url)
        label = f'<a href="{_e(link)}">{text}</a>' if link else text
        items.append(f"<li>{label} ({_e(article_meta(article))})</li>")
    summary = f"<p>{_e(entry.summary)}</p>" if entry.summary else ""
    return f"{summary}<p>{_e(counts(entry))}</p><ul>{''.join(items)}</ul>"


def render_atom(digest: Digest) -> str:
    feed = ET.Element(f"{{{ATOM}}}feed")
    _sub(feed, "id", _urn("feed", digest.feed_id))
    _sub(feed, "title", clean(digest.title) or "News digest")
    _sub(feed, "subtitle", intro(digest))
    _sub(feed, "updated", digest.until)
    author = _sub(feed, "author")
    _sub(author, "name", "aggregator")
    _sub(feed, "generator", "aggregator", uri=PROJECT_URL, version=__version__)
    for entry in digest.entries:
        item = _sub(feed, "entry")
        _sub(item, "id", _urn("entry", digest.feed_id, entry.story_id, digest.until))
        _sub(item, "title", heading(entry))
        _sub(item, "updated", entry.updated)
        best = _link(entry.best.url)
        if best:
            _sub(item, "link", rel="alternate", href=best, type="text/html")
        for article in entry.articles:
            link = _link(article.url)
            if link and link != best:  # the others: the alternate link is the summarised one
                _sub(
                    item, "link", rel="related", href=link, title=clean(article.title, TITLE_CHARS)
                )
        if entry.summary:
            _sub(item, "summary", entry.summary)
        _sub(item, "content", _content_html(entry), type="html")
    ET.indent(feed)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="unicode") + "\n"
