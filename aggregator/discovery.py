"""Feed discovery for ``feeds add URL``: is this a feed, or a page that links one?

Fetching goes through the crawler's client (timeouts, size cap, redirect limit) and
its link-safety rules: the address the person typed is trusted, but the feed links a
page declares, and every redirect, may not lead to a private or loopback address on
another host. The crawler follows the same rules when a source URL is a page.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from urllib.parse import urlsplit

import feedparser
from lxml import html as lxml_html

from aggregator.config import Settings
from aggregator.errors import FetchError
from aggregator.fetch.http import FetchResult, HttpClient, TooLargeError
from aggregator.fetch.safety import check_link, check_peer, host_key
from aggregator.normalize.urls import InvalidURLError, check_http_url
from aggregator.parse.encoding import decode_html
from aggregator.parse.links import feed_links as page_feed_links

log = logging.getLogger(__name__)
MAX_DISCOVERY_BYTES = 5 * 1024 * 1024
MAX_CANDIDATES = 5


@dataclass(frozen=True)
class DiscoveredFeed:
    url: str
    title: str
    page_url: str | None = None  # the page the feed was found on, when it was a page


def feed_title(body: bytes) -> str | None:
    """The feed's title if ``body`` is an RSS/Atom/RDF feed (title may be ''), else None."""
    parsed = feedparser.parse(body)
    if not parsed.get("version"):
        return None
    return str(parsed.feed.get("title") or "").strip()


def feed_links(body: bytes, base_url: str) -> list[str]:
    """Feed URLs a page declares with ``<link rel="alternate" type="...rss/atom...">``."""
    try:
        return page_feed_links(decode_html(body), base_url)
    except Exception:  # junk bytes: no links rather than a crash
        return []


def page_title(body: bytes) -> str:
    try:
        document = lxml_html.fromstring(body)
    except Exception:
        return ""
    title = document.findtext(".//title") or ""
    return " ".join(title.split())


def discover(url: str, settings: Settings) -> DiscoveredFeed:
    """The feed at ``url``, or the first working feed its page links to.

    A URL that is not a valid http(s) address (no host, a space in it, a bad
    port) raises :class:`FetchError` saying so, before anything is fetched.
    """
    try:
        url = check_http_url(url)
    except InvalidURLError as exc:
        raise FetchError(f"{exc}; nothing was fetched or added") from None
    trusted = frozenset({host_key(url)})
    settings = replace(
        settings,
        per_host_delay=0.0,
        max_response_bytes=min(settings.max_response_bytes, MAX_DISCOVERY_BYTES),
    )

    def fetch(client: HttpClient, target: str) -> FetchResult:
        return client.get(
            target,
            accept="*/*",
            check_hop=lambda hop: check_link(hop, trusted),
            check_peer=lambda hop, address: check_peer(hop, address, trusted),
        )

    with HttpClient(settings) as client:
        try:
            first = fetch(client, url)
        except TooLargeError:
            raise TooLargeError(
                f"{url}: over the {MAX_DISCOVERY_BYTES // (1024 * 1024)} MB that checking a "
                "URL reads; if it is a genuine feed, add it with --no-discover --name NAME "
                "(crawls read up to max_response_bytes)"
            ) from None
        title = feed_title(first.content)
        if title is not None:
            # A feed that has moved for good (every hop a permanent redirect) is
            # subscribed at its new address, which also finds it in the feeds file
            # when it is already there under that address.
            return DiscoveredFeed(first.permanent_url or url, title)
        candidates = feed_links(first.content, first.final_url)
        if not candidates:
            raise FetchError(
                f'{url}: neither a feed nor a page that links one (no <link rel="alternate" '
                'type="application/rss+xml">); pass the feed\'s own URL, or, for a section '
                "page or a sitemap, add it to feeds.yaml by hand with 'type: page' and a "
                "'link_selector', or 'type: sitemap' (see README 'Source types')"
            )
        errors: list[str] = []
        for candidate in candidates[:MAX_CANDIDATES]:
            try:
                check_http_url(candidate)
                check_link(candidate, trusted)
                fetched = fetch(client, candidate)
            except (FetchError, InvalidURLError) as exc:
                errors.append(str(exc))
                continue
            title = feed_title(fetched.content)
            if title is not None:
                return DiscoveredFeed(candidate, title or page_title(first.content), url)
            errors.append(f"{candidate}: not a feed")
    host = urlsplit(url).hostname
    raise FetchError(
        f"{url}: the page on {host} links feeds, but none could be read: {'; '.join(errors)}"
    )
