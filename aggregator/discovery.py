"""Feed discovery for ``feeds add URL``: is this a feed, or a page that links one?

Fetches with requests (timeout and a size cap, no cookies kept). When the crawler's
HTTP client (aggregator/fetch/) lands, :func:`fetch` should be switched to it; the
rest is pure: :func:`feed_links` reads ``<link rel="alternate">`` from a page and
:func:`feed_title` checks that bytes are a feed.
"""

from __future__ import annotations

import ipaddress
import logging
import socket
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

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


def is_private_host(host: str) -> bool:
    """True when ``host`` is, or resolves to, a loopback, private, link-local or
    otherwise non-public address (resolving does not contact the host itself)."""
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError):
        return False  # unresolvable: the fetch fails on its own
    for info in infos:
        address = ipaddress.ip_address(str(info[4][0]).split("%")[0])
        if not address.is_global:
            return True
    return False


def check_link(url: str, trusted_host: str) -> None:
    """Links found in fetched content (and redirects) may not lead to private or
    loopback addresses unless they stay on the trusted URL's host (DESIGN.md)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FetchError(f"{url}: not an http(s) address; refused")
    if parts.hostname.lower() != trusted_host.lower() and is_private_host(parts.hostname):
        raise FetchError(
            f"{url}: leads to a private or loopback address from {trusted_host}; refused"
        )


def fetch(url: str, settings: Settings, trusted_host: str | None = None) -> Fetched:
    """GET ``url`` with the configured user agent, timeouts and size cap.

    ``trusted_host`` is the host of the address the person typed: the URL itself
    and every redirect are checked with :func:`check_link` against it.
    """
    trusted = trusted_host or urlsplit(url).hostname or ""
    limit = min(settings.max_response_bytes, MAX_DISCOVERY_BYTES)
    current = url
    try:
        with requests.Session() as session:
            for _ in range(settings.max_redirects + 1):
                check_link(current, trusted)
                with session.get(
                    current,
                    headers={"User-Agent": settings.user_agent, "Accept": "*/*"},
                    timeout=(settings.connect_timeout, settings.read_timeout),
                    stream=True,
                    allow_redirects=False,
                ) as response:
                    if response.is_redirect and response.headers.get("Location"):
                        current = urljoin(current, response.headers["Location"])
                        continue
                    if response.status_code >= 400:
                        raise FetchError(
                            f"{current}: HTTP {response.status_code}; check the address"
                        )
                    return Fetched(
                        current,
                        response.headers.get("Content-Type", ""),
                        _read_capped(response, current, limit),
                    )
    except requests.RequestException as exc:
        raise FetchError(f"{current}: cannot fetch ({type(exc).__name__}: {exc})") from None
    raise FetchError(f"{url}: more than {settings.max_redirects} redirects; refused")


def _read_capped(response: requests.Response, url: str, limit: int) -> bytes:
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_content(64 * 1024):
        size += len(chunk)
        if size > limit:
            raise FetchError(f"{url}: response over {limit // (1024 * 1024)} MB; not a feed")
        chunks.append(chunk)
    return b"".join(chunks)


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
    trusted = urlsplit(url).hostname or ""
    first = fetch(url, settings, trusted)
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
            fetched = fetch(candidate, settings, trusted)
        except FetchError as exc:
            errors.append(str(exc))
            continue
        title = feed_title(fetched.body)
        if title is not None:
            return DiscoveredFeed(candidate, title or page_title(first.body), url)
        errors.append(f"{candidate}: not a feed")
    raise FetchError(f"{url}: the page links feeds, but none could be read: {'; '.join(errors)}")
