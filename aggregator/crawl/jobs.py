"""What the worker threads do: fetch and parse, never touch the database.

:meth:`Fetcher.fetch_source` gets a source's document (feed, section page or
sitemap) and turns it into entries or links; :meth:`Fetcher.fetch_pages` gets
article pages. Both return plain outcomes, errors included, for the main thread
to store; nothing here raises for a bad source.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from aggregator.config import Settings, SourceConfig
from aggregator.errors import AggregatorError, FetchError, ParseError
from aggregator.fetch import (
    ACCEPT_FEED,
    ACCEPT_PAGE,
    FetchResult,
    HttpClient,
    HTTPStatusError,
    RobotsCache,
    check_link,
    check_peer,
    host_key,
)
from aggregator.fetch.safety import is_public_address
from aggregator.models import Article
from aggregator.normalize.urls import (
    InvalidURLError,
    canonicalize_url,
    check_http_url,
    site_of,
)
from aggregator.parse import parse_html
from aggregator.parse.encoding import decode_html
from aggregator.parse.feed import parse_feed
from aggregator.parse.links import feed_links, is_html_page, section_links
from aggregator.parse.sitemap import parse_sitemap

log = logging.getLogger(__name__)

# A sitemap index can list thousands of sitemaps; the newest few hold the news.
MAX_CHILD_SITEMAPS = 3
# Links read from one sitemap or section page per crawl (newest first for sitemaps).
MAX_LINKS_PER_DOCUMENT = 1000
PAGE_TYPES = ("text/html", "application/xhtml+xml", "")
# Statuses after which a page is not worth asking for again.
PERMANENT_PAGE_STATUSES = frozenset({400, 401, 403, 404, 405, 410, 451})
# Statuses by which a host asks us to back off: its remaining pages wait for next time.
SLOW_DOWN_STATUSES = frozenset({429, 503})


@dataclass
class PageTask:
    """One article page to fetch: for a new feed entry, a link, or a retry."""

    url: str
    entry: Article | None = None  # the feed entry when the page completes one
    title: str | None = None
    published: datetime | None = None
    guid: str | None = None
    retry: bool = False  # from the pending queue
    attempts: int = 0


@dataclass
class PageOutcome:
    task: PageTask
    article: Article | None = None
    error: str | None = None
    permanent: bool = False  # do not try this page again
    status: int | None = None  # HTTP status of a failed fetch
    tried: bool = True  # False: deferred (budget, stop, server asked to slow down)


@dataclass
class SourceOutcome:
    """Everything one fetch of a source produced, for the main thread to store."""

    source: SourceConfig
    state: dict[str, Any]
    fetched_url: str = ""
    result: FetchResult | None = None
    unchanged: bool = False
    feed_url: str | None = None  # the URL to fetch next time, when not the source URL
    entries: list[Article] = field(default_factory=list)
    copies: list[Article] = field(default_factory=list)  # entries stored via another source
    links: list[PageTask] = field(default_factory=list)
    post_dates: list[datetime] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    error: str | None = None
    http_status: int | None = None
    retry_after: float | None = None
    parsed: int = 0
    content_hash: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    pages: list[PageOutcome] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return self.error is not None


class Fetcher:
    def __init__(
        self,
        client: HttpClient,
        robots: RobotsCache,
        settings: Settings,
        stop: threading.Event,
    ) -> None:
        self.client = client
        self.robots = robots
        self.settings = settings
        self.stop = stop

    # -- the source's own document ------------------------------------------------
    def fetch_source(self, source: SourceConfig, state: dict[str, Any]) -> SourceOutcome:
        outcome = SourceOutcome(source=source, state=state, feed_url=state.get("feed_url"))
        try:
            self._fetch_source(outcome)
        except HTTPStatusError as exc:
            outcome.error, outcome.http_status = str(exc), exc.status
            outcome.retry_after = exc.retry_after
            if outcome.feed_url and exc.status in (404, 410):
                outcome.feed_url = None  # the discovered feed moved: rediscover next time
        except AggregatorError as exc:
            outcome.error = _with_url(str(exc), outcome.fetched_url or source.url)
        except Exception as exc:  # a bug or a hostile document must not stop the crawl
            log.exception("fetching source %s failed", source.name)
            outcome.error = f"{source.url}: unexpected error ({type(exc).__name__}: {exc})"
        return outcome

    def _fetch_source(self, outcome: SourceOutcome) -> None:
        source, state = outcome.source, outcome.state
        target = outcome.feed_url or source.url
        outcome.fetched_url = target
        result = self.client.get(
            target,
            user_agent=source.user_agent,
            etag=state.get("etag"),
            last_modified=state.get("last_modified"),
            accept=ACCEPT_FEED if source.type != "page" else ACCEPT_PAGE,
            # The configured URL is trusted; where its redirects lead is not.
            check_hop=lambda hop: check_link(hop, self._trusted(outcome)),
            check_peer=lambda hop, ip: check_peer(hop, ip, self._trusted(outcome)),
        )
        self._note(outcome, result)
        if result.permanent_url:
            outcome.feed_url = result.permanent_url
        if result.not_modified or outcome.content_hash == state.get("content_hash"):
            outcome.unchanged = True
            return
        if source.type == "page":
            self._read_section(outcome, result)
        elif source.type == "sitemap":
            self._read_sitemap(outcome, result)
        else:
            self._read_feed(outcome, result)

    def _note(self, outcome: SourceOutcome, result: FetchResult) -> None:
        outcome.result = result
        outcome.http_status = result.status
        if result.not_modified:
            # A 304 may refresh the validators; keep the old ones when it does not.
            outcome.etag = result.etag or outcome.state.get("etag")
            outcome.last_modified = result.last_modified or outcome.state.get("last_modified")
            outcome.content_hash = outcome.state.get("content_hash")
        else:
            outcome.etag = result.etag
            outcome.last_modified = result.last_modified
            outcome.content_hash = hashlib.sha256(result.content).hexdigest()

    def _read_feed(self, outcome: SourceOutcome, result: FetchResult) -> None:
        source = outcome.source
        if is_html_page(result.content, result.content_type):
            if outcome.feed_url:
                outcome.feed_url = None  # rediscover from the source URL next time
                raise ParseError(
                    f"{result.final_url}: the discovered feed now returns an HTML page; "
                    "it will be looked for again on the next crawl"
                )
            html = decode_html(result.content, result.charset)
            found = feed_links(html, result.final_url)
            if not found:
                raise ParseError(
                    f"{result.final_url}: is an HTML page, not a feed, and it announces no "
                    "feed (<link rel=alternate>); point 'url' at the feed, or use "
                    "type: page with a link_selector"
                )
            feed_url = found[0]
            check_link(feed_url, self._trusted(outcome))
            outcome.fetched_url = feed_url
            result = self.client.get(
                feed_url,
                user_agent=source.user_agent,
                check_hop=lambda hop: check_link(hop, self._trusted(outcome)),
                check_peer=lambda hop, ip: check_peer(hop, ip, self._trusted(outcome)),
            )
            self._note(outcome, result)
            outcome.feed_url = result.permanent_url or feed_url
            if is_html_page(result.content, result.content_type):
                raise ParseError(f"{feed_url}: announced as a feed but is an HTML page")
        feed = parse_feed(result.content, result.headers, result.final_url, source.name)
        outcome.parsed += 1
        outcome.entries = list(feed.entries)
        outcome.post_dates = [e.published for e in feed.entries if e.published]
        outcome.warnings.extend(feed.warnings)
        outcome.warnings.extend(feed.skipped)

    def _read_section(self, outcome: SourceOutcome, result: FetchResult) -> None:
        selector = outcome.source.link_selector or ""
        html = decode_html(result.content, result.charset)
        links = section_links(html, result.final_url, selector)
        outcome.parsed += 1
        if not links:
            raise ParseError(
                f"{result.final_url}: link_selector {selector!r} matches no links; "
                "check it against the page's HTML"
            )
        outcome.links = [
            PageTask(url=url, title=text or None) for url, text in links[:MAX_LINKS_PER_DOCUMENT]
        ]

    def _read_sitemap(self, outcome: SourceOutcome, result: FetchResult) -> None:
        sitemap = parse_sitemap(result.content, self.settings.max_response_bytes)
        outcome.parsed += 1
        entries = list(sitemap.entries)
        failures: list[str] = []
        for child in sitemap.children[:MAX_CHILD_SITEMAPS]:
            try:
                check_link(child.url, self._trusted(outcome))
                child_result = self.client.get(
                    child.url,
                    user_agent=outcome.source.user_agent,
                    check_hop=lambda hop: check_link(hop, self._trusted(outcome)),
                    check_peer=lambda hop, ip: check_peer(hop, ip, self._trusted(outcome)),
                )
                child_entries = parse_sitemap(
                    child_result.content, self.settings.max_response_bytes
                ).entries
            except AggregatorError as exc:
                # One broken child sitemap is a warning; the others' pages are read.
                failures.append(_with_url(str(exc), child.url))
                continue
            entries.extend(child_entries)
            outcome.parsed += 1
        if failures:
            # Forget the index's validators, so the next crawl reads it again and
            # retries the failed children even when the index itself is unchanged.
            outcome.content_hash = outcome.etag = outcome.last_modified = None
        if not entries:
            if failures:
                raise ParseError(
                    f"{result.final_url}: no child sitemap could be read: {'; '.join(failures)}"
                )
            raise ParseError(f"{result.final_url}: the sitemap lists no pages")
        outcome.warnings.extend(f"child sitemap skipped: {f}" for f in failures)
        outcome.links = [
            PageTask(url=e.url, title=e.title, published=e.published)
            for e in entries[:MAX_LINKS_PER_DOCUMENT]
        ]
        outcome.post_dates = [e.published for e in entries if e.published]

    def _trusted(self, outcome: SourceOutcome) -> frozenset[str]:
        """Hosts links may stay on even when private: the source's own."""
        urls = [outcome.source.url, outcome.feed_url, outcome.fetched_url]
        return frozenset(host_key(u) for u in urls if u)

    # -- article pages ---------------------------------------------------------
    def fetch_pages(self, outcome: SourceOutcome, tasks: list[PageTask]) -> SourceOutcome:
        """Fetch ``tasks`` in order within the per-source time budget."""
        started = time.monotonic()
        slow_down = False
        for task in tasks:
            over_budget = time.monotonic() - started > self.settings.page_time_budget
            if self.stop.is_set() or over_budget or slow_down:
                reason = (
                    "the crawl is stopping"
                    if self.stop.is_set()
                    else (
                        "the server asked us to slow down"
                        if slow_down
                        else "this source's page-time budget is used up"
                    )
                )
                outcome.pages.append(PageOutcome(task, error=f"deferred: {reason}", tried=False))
                continue
            page = self._fetch_page(outcome, task)
            outcome.pages.append(page)
            slow_down = page.status in SLOW_DOWN_STATUSES
        return outcome

    def _fetch_page(self, outcome: SourceOutcome, task: PageTask) -> PageOutcome:
        source = outcome.source
        trusted = self._trusted(outcome)
        try:
            url = canonicalize_url(task.url)  # no tracking parameters sent back to the site
        except InvalidURLError as exc:
            return PageOutcome(task, error=str(exc), permanent=True)
        try:
            check_link(url, trusted)
            delay = None
            if self.settings.obey_robots:
                verdict = self.robots.check(url, source.user_agent)
                if not verdict.allowed:
                    return PageOutcome(task, error=verdict.reason, permanent=not verdict.temporary)
                delay = verdict.crawl_delay
            result = self.client.get(
                url,
                user_agent=source.user_agent,
                accept=ACCEPT_PAGE,
                check_hop=lambda hop: check_link(hop, trusted),
                check_peer=lambda hop, ip: check_peer(hop, ip, trusted),
                min_delay=delay,
            )
            if result.content_type not in PAGE_TYPES:
                return PageOutcome(
                    task,
                    error=f"{url}: not an HTML page ({result.content_type})",
                    permanent=True,
                )
            html = decode_html(result.content, result.charset)
            page = parse_html(html, result.final_url, source.name)
        except HTTPStatusError as exc:
            return PageOutcome(
                task,
                error=str(exc),
                permanent=exc.status in PERMANENT_PAGE_STATUSES,
                status=exc.status,
            )
        except ParseError as exc:
            return PageOutcome(task, error=f"{url}: {exc}", permanent=True)
        except FetchError as exc:
            # Refused links (private address, scheme) never become fetchable.
            return PageOutcome(
                task,
                error=_with_url(str(exc), url),
                permanent="refused" in str(exc) or "only http" in str(exc),
            )
        except Exception as exc:  # a hostile page must not stop the source
            log.exception("page %s failed", url)
            return PageOutcome(task, error=f"{url}: unexpected error ({exc})", permanent=True)
        return PageOutcome(task, article=merge_page(task, page, result.final_url))


def merge_page(task: PageTask, page: Article, final_url: str) -> Article:
    """One article from a feed entry (or link) and its fetched page.

    The entry's link stays the article's ``url`` (so the next crawl recognises the
    entry); the page's canonical URL, else where redirects ended, is its identity.
    The feed's own title and date win; the page's text wins when longer.
    """
    canonical = page.canonical_url
    if not canonical or not _usable(canonical) or _foreign(canonical, final_url):
        # None given, one that cannot be an address (a bad port), or one on another
        # site: where the redirects ended is the page's identity then.
        canonical = final_url if final_url != task.url else None
    entry = task.entry
    if entry is None:
        return replace(
            page,
            url=task.url,
            canonical_url=canonical,
            title=page.title or task.title or task.url,
            published=page.published or task.published,
        )
    title = entry.title if entry.title and entry.title != entry.url else page.title
    return replace(
        entry,
        title=title,
        body=page.body if len(page.body) > len(entry.body) else entry.body,
        published=entry.published or page.published,
        updated=entry.updated or page.updated,
        authors=entry.authors or page.authors,
        lang=page.lang or entry.lang,
        canonical_url=canonical,
        image=entry.image or page.image,
        works=entry.works or page.works,
        people=entry.people or page.people,
    )


def _foreign(canonical: str, served_from: str) -> bool:
    """Does a page declare an address on another site than the one it was served
    from? Anyone can write any address into a page: trusting one on another site
    would let a page take over another outlet's article (that outlet's real text,
    arriving later, would be read as a copy of the planted one). Syndicated copies
    are still folded into their original by their text. Judged against where the
    page was served from, after redirects (a feed's redirector links are not the
    site). A page served from this machine or network (a mirror, a test server)
    keeps its declared address."""
    host = urlsplit(served_from).hostname or ""
    if host == "localhost" or host.endswith(".localhost"):
        return False
    try:
        if not is_public_address(host):
            return False
    except ValueError:
        pass  # a name, not an address
    return site_of(canonical) != site_of(served_from)


def _usable(url: str) -> bool:
    try:
        check_http_url(url)
    except InvalidURLError:
        return False
    return True


def _with_url(message: str, url: str) -> str:
    return message if "://" in message.split(" ", 1)[0] else f"{url}: {message}"


__all__ = [
    "Fetcher",
    "PageOutcome",
    "PageTask",
    "SourceOutcome",
    "merge_page",
]
