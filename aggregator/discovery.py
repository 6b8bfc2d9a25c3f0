"""Feed discovery for ``feeds add URL``: is this a feed, or a page that links one?

Fetches with requests (timeout and a size cap, no cookies kept). When the crawler's
HTTP client (aggregator/fetch/) lands, :func:`fetch` should be switched to it; the
rest is pure: :func:`feed_links` reads ``<link rel="alternate">`` from a page and
:func:`feed_title` checks that bytes are a feed.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from urllib.parse import urljoin

import feedparser
import requests
from lxml import html as lxml_html

from aggregator.config import Settings
from aggregator.errors import FetchError

log = logging.getLogger(__name__)
FEED_TYPES = (
    "application/rss+xml",
    "application/atom+xml",
    "application/rdf+xml",
    "application/xml",
    "text/xml",
)
MAX_DISCOVERY_BYTES = 5 * 1024 * 1024
MAX_CANDIDATES = 5


@dataclass(frozen=True)
class Fetched:
    url: str  # after redirects
    content_type: str
    body: bytes


@dataclass(frozen=True)
class DiscoveredFeed:
    url: str
    title: str
    page_url: str | None = None  # the page the feed was found on, when it was a page


def fetch(url: str, settings: Settings) -> Fetched:
    """GET ``url`` with the configured user agent, timeouts and size cap."""
    limit = min(settings.max_response_bytes, MAX_DISCOVERY_BYTES)
    try:
        with requests.get(
            url,
            headers={"User-Agent": settings.user_agent, "Accept": "*/*"},
            timeout=(settings.connect_timeout, settings.read_timeout),
            stream=True,
            allow_redirects=True,
        ) as response:
            if response.status_code >= 400:
                raise FetchError(f"{url}: HTTP {response.status_code}; check the address")
            chunks: list[bytes] = []
            size = 0
            for chunk in response.iter_content(64 * 1024):
                size += len(chunk)
                if size > limit:
                    raise FetchError(
                        f"{url}: response over {limit // (1024 * 1024)} MB; not a feed"
                    )
                chunks.append(chunk)
            return Fetched(response.url, response.headers.get("Content-Type", ""), b"".join(chunks))
    except requests.RequestException as exc:
        raise FetchError(f"{url}: cannot fetch ({type(exc).__name__}: {exc})") from None


def feed_title(body: bytes) -> str | None:
    """The feed's title if ``body`` is an RSS/Atom/RDF feed (title may be ''), else None."""
    parsed = feedparser.parse(body)
    if not parsed.get("version"):
        return None
    return str(parsed.feed.get("title") or "").strip()


def feed_links(body: bytes, base_url: str) -> list[str]:
    """Feed URLs a page declares with ``<link rel="alternate" type="...rss/atom...">``."""
    try:
        document = lxml_html.fromstring(body)
    except (ValueError, TypeError, Exception):  # lxml raises several types on junk
        return []
    found: list[str] = []
    for link in document.iter("link"):
        rel = (link.get("rel") or "").lower().split()
        kind = (link.get("type") or "").lower().split(";")[0].strip()
        href = (link.get("href") or "").strip()
        if "alternate" in rel and kind in FEED_TYPES and href:
            url = urljoin(base_url, href)
            if url.startswith(("http://", "https://")) and url not in found:
                found.append(url)
    return found


def page_title(body: bytes) -> str:
    try:
        document = lxml_html.fromstring(body)
    except Exception:
        return ""
    title = document.findtext(".//title") or ""
    return " ".join(title.split())


def discover(url: str, settings: Settings) -> DiscoveredFeed:
    """The feed at ``url``, or the first working feed its page links to."""
    first = fetch(url, settings)
    title = feed_title(first.body)
    if title is not None:
        return DiscoveredFeed(url, title)
    candidates = feed_links(first.body, first.url)
    if not candidates:
        raise FetchError(
            f'{url}: neither a feed nor a page that links one (no <link rel="alternate" '
            'type="application/rss+xml">); pass the feed\'s own URL, or add it with --no-discover'
        )
    errors: list[str] = []
    for candidate in candidates[:MAX_CANDIDATES]:
        try:
            fetched = fetch(candidate, settings)
        except FetchError as exc:
            errors.append(str(exc))
            continue
        title = feed_title(fetched.body)
        if title is not None:
            return DiscoveredFeed(candidate, title or page_title(first.body), url)
        errors.append(f"{candidate}: not a feed")
    raise FetchError(f"{url}: the page links feeds, but none could be read: {'; '.join(errors)}")
