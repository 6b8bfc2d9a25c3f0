"""Crawling: fetch the due sources politely and in parallel, store each one's results.

Worker threads fetch and parse (:mod:`aggregator.crawl.jobs`); the main thread
alone talks to the database. A source goes through two rounds: its document
(feed, section page or sitemap), then, for entries not stored yet, their article
pages. Its articles and its new fetch state are then written in ONE transaction
through :func:`aggregator.pipeline.store_articles`, so a crawl killed at any
moment leaves every source either fully recorded or untouched.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from aggregator.config import Config, SourceConfig, validate_config
from aggregator.crawl.jobs import Fetcher, PageOutcome, PageTask, SourceOutcome
from aggregator.errors import ConfigError, StoreError
from aggregator.fetch import HostGate, HttpClient, RobotsCache, parse_max_age
from aggregator.match import DEFAULT_SETTINGS
from aggregator.models import Article, ImportReport
from aggregator.normalize.text import content_fingerprint
from aggregator.normalize.urls import InvalidURLError, canonicalize_url, redact_credentials
from aggregator.pipeline import store_articles
from aggregator.prepare import identity_url
from aggregator.profiles import rekey_article
from aggregator.schedule import (
    Bounds,
    adapt_interval,
    base_interval,
    is_due,
    next_after_error,
    next_after_success,
)
from aggregator.store import Store
from aggregator.timeutil import parse_datetime, to_iso, utcnow

log = logging.getLogger(__name__)

# A page that failed this many crawls in a row is given up on (the article keeps
# the feed's text); the give-up is logged and shown as the source's warning.
MAX_PAGE_ATTEMPTS = 5
# Warnings kept on a source's row, joined; the log has them all.
MAX_STORED_WARNINGS = 3

ProgressCallback = Callable[[str, str], None]


@dataclass
class CrawlReport:
    """Counts for one crawl run; ``summary()`` is the one line a run ends with."""

    due: int = 0
    ok: int = 0
    unchanged: int = 0
    failed: int = 0
    not_due: int = 0
    articles: ImportReport = field(default_factory=ImportReport)
    parsed: int = 0
    pages_fetched: int = 0
    page_errors: int = 0
    pending_pages: int = 0
    seconds: float = 0.0
    next_due: str | None = None
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def summary(self) -> str:
        parts = [
            f"{self.ok} sources ok, {self.unchanged} unchanged, {self.failed} failed",
        ]
        if self.not_due:
            parts[0] += f" ({self.not_due} not due)"
        parts.append(
            f"{self.articles.new} new articles, {self.articles.duplicates} duplicates, "
            f"{self.articles.new_stories} new stories"
        )
        parts.append(f"{self.pages_fetched} pages in {self.seconds:.1f} s")
        if self.pending_pages:
            # Feed entries stored from their summary until their page is fetched.
            parts.append(
                f"{self.pending_pages} pages waiting to be fetched when their source is "
                "next due (or with --all)"
            )
        line = "Crawl: " + "; ".join(parts)
        if not self.due and self.next_due:
            line += f"; next source due {self.next_due}"
        return line

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "unchanged": self.unchanged,
            "failed": self.failed,
            "not_due": self.not_due,
            "new": self.articles.new,
            "duplicates": self.articles.duplicates,
            "new_stories": self.articles.new_stories,
            "parsed": self.parsed,
            "pages_fetched": self.pages_fetched,
            "page_errors": self.page_errors,
            "pending_pages": self.pending_pages,
            "seconds": round(self.seconds, 3),
            "next_due": self.next_due,
            "errors": self.errors,
            "warnings": self.warnings,
        }


def select_sources(config: Config, names: tuple[str, ...] = ()) -> tuple[SourceConfig, ...]:
    """The sources named on the command line (all when none), unknown names refused.

    The configuration is checked first (:func:`validate_config`): a source whose
    URL or link_selector cannot work stops the run before anything is fetched.
    """
    validate_config(config)
    if not names:
        return config.sources
    by_name = {s.name: s for s in config.sources}
    unknown = [n for n in names if n not in by_name]
    if unknown:
        where = config.path or "feeds.yaml"
        raise ConfigError(
            f"{where}: no source named {', '.join(repr(n) for n in unknown)}; "
            f"known: {', '.join(sorted(by_name)) or 'none'}"
        )
    return tuple(by_name[n] for n in dict.fromkeys(names))


class Crawl:
    """One crawl run over one store; use :func:`crawl`."""

    def __init__(
        self,
        store: Store,
        config: Config,
        progress: ProgressCallback | None = None,
        rng: random.Random | None = None,
    ) -> None:
        self.store = store
        self.config = config
        self.settings = config.settings
        self.bounds = Bounds.from_settings(config.settings)
        self.progress = progress
        self.rng = rng or random.Random()
        self.report = CrawlReport()
        self.stop = threading.Event()
        self.on_due: Callable[[int], None] | None = None  # told how many sources are due

    def run(self, names: tuple[str, ...] = (), force: bool = False) -> CrawlReport:
        started = time.monotonic()
        selected = select_sources(self.config, names)
        self.store.sync_sources(self.config.sources)
        states = self.store.source_states()
        now = utcnow()
        due = [s for s in selected if force or is_due(states[s.name].get("next_fetch"), now)]
        self.report.due = len(due)
        self.report.not_due = len(selected) - len(due)
        if self.on_due is not None:
            self.on_due(len(due))
        if due:
            self._crawl(due, states)
        self.report.seconds = time.monotonic() - started
        self.report.pending_pages = self.store.pending_count()
        upcoming = [
            row["next_fetch"]
            for name, row in self.store.source_states().items()
            if row.get("next_fetch") and name in {s.name for s in selected}
        ]
        self.report.next_due = min(upcoming) if upcoming else None
        return self.report

    def _crawl(self, due: list[SourceConfig], states: dict[str, dict[str, Any]]) -> None:
        gate = HostGate(self.settings.per_host_delay, self.stop)
        client = HttpClient(self.settings, gate)
        fetcher = Fetcher(
            client, RobotsCache(client, self.settings.user_agent), self.settings, self.stop
        )
        pool = ThreadPoolExecutor(self.settings.workers, thread_name_prefix="crawl")
        futures: dict[Future[SourceOutcome], str] = {}
        try:
            for source in due:
                futures[pool.submit(fetcher.fetch_source, source, states[source.name])] = "source"
            while futures:
                done, _ = wait(futures, return_when=FIRST_COMPLETED)
                for future in done:
                    round_ = futures.pop(future)
                    outcome = future.result()  # jobs never raise; they return errors
                    try:
                        if round_ == "source" and not outcome.failed:
                            tasks = self._plan_pages(outcome)
                            if tasks:
                                futures[pool.submit(fetcher.fetch_pages, outcome, tasks)] = "pages"
                                continue
                        self._finish(outcome)
                    except StoreError:
                        raise  # a locked or broken database stops the run
                    except Exception as exc:  # one bad source must not stop the others
                        log.exception("storing source %s failed", outcome.source.name)
                        outcome.error = f"{outcome.source.url}: could not be stored ({exc})"
                        self._record_error(outcome)
        except BaseException:
            self.stop.set()
            pool.shutdown(wait=False, cancel_futures=True)
            client.close()
            raise
        pool.shutdown(wait=True)
        client.close()

    # -- main thread: deciding what is new ----------------------------------------
    def _wants_pages(self, source: SourceConfig) -> bool:
        if source.type != "feed":
            return True  # link-only sources have nothing without their pages
        return self.settings.fetch_pages if source.fetch_pages is None else source.fetch_pages

    def _plan_pages(self, outcome: SourceOutcome) -> list[PageTask]:
        """Keep only entries not stored yet; return the pages to fetch for them.

        Entries beyond ``max_pages_per_source`` are stored from the feed now and
        their pages queued for a later crawl; queued retries use what is left.
        """
        source = outcome.source
        outcome.entries = self._new_entries(outcome)
        pending = self.store.pending_pages(source.name, 10 * self.settings.max_pages_per_source)
        pending_urls = {row["url"] for row in pending}
        links = [
            t
            for t in _unique_links(outcome.links, outcome.warnings, source.name)
            if t.url not in pending_urls
            and not self.store.seen_by_source(source.name, canonicalize_url(t.url), None)
        ]
        outcome.links = links
        if not self._wants_pages(source):
            return []
        budget = self.settings.max_pages_per_source
        tasks = [PageTask(url=e.url, entry=e, guid=e.guid) for e in outcome.entries] + links
        for row in pending:
            task = PageTask(
                url=row["url"],
                guid=row["guid"],
                title=row["title"],
                retry=True,
                attempts=int(row["attempts"]),
                published=_parse_time(row["published"]),
            )
            try:
                canonicalize_url(task.url)
            except InvalidURLError as exc:
                # Queued by an older version; never fetchable: dropped from the queue.
                outcome.pages.append(PageOutcome(task, error=str(exc), permanent=True, tried=False))
                continue
            tasks.append(task)
        now_tasks, later = tasks[:budget], tasks[budget:]
        outcome.pages.extend(
            PageOutcome(t, error="deferred: max_pages_per_source reached", tried=False)
            for t in later
            if not t.retry
        )
        return now_tasks

    def _new_entries(self, outcome: SourceOutcome) -> list[Article]:
        """Entries not stored yet, each once; a GUID a feed reuses for different links
        identifies nothing, so those entries are told apart by link instead."""
        entries: list[Article] = []
        for entry in outcome.entries:
            try:
                canonicalize_url(entry.url)  # identity_url falls back to it
                entries.append(entry)
            except InvalidURLError as exc:
                _skipped_link(outcome.warnings, outcome.source.name, entry.title, exc)
        links_per_guid: dict[str, set[str]] = {}
        for entry in entries:
            if entry.guid:
                links_per_guid.setdefault(entry.guid, set()).add(canonicalize_url(entry.url))
        reused = {g for g, links in links_per_guid.items() if len(links) > 1}
        if reused:
            outcome.warnings.append(
                f"the feed reuses {len(reused)} GUID(s) for different links "
                f"(e.g. {sorted(reused)[0]!r}); those entries are identified by link"
            )
        fresh: list[Article] = []
        seen: set[str] = set()
        for entry in entries:
            if entry.guid in reused:
                entry = replace(entry, guid=None)
            key = entry.guid or canonicalize_url(entry.url)
            if key in seen:
                continue
            seen.add(key)
            if self.store.seen_by_source(outcome.source.name, identity_url(entry), entry.guid):
                continue
            if self.store.find_identity(identity_url(entry), entry.guid, entry.source, None):
                # Stored from another source already: a copy, no page needed. Storing
                # it records that this source carried it too (once).
                outcome.copies.append(entry)
                continue
            fresh.append(entry)
        return fresh

    # -- main thread: storing ------------------------------------------------------
    def _finish(self, outcome: SourceOutcome) -> None:
        if outcome.failed:
            self._record_error(outcome)
            return
        source = outcome.source
        now = utcnow()
        seen_at = to_iso(now) or ""
        articles: list[Article] = list(outcome.copies)
        if not self._wants_pages(source):
            articles.extend(outcome.entries)
        queue: list[PageOutcome] = []
        drops: list[str] = []
        completions: list[tuple[int, Article]] = []
        paged = {id(p.task.entry) for p in outcome.pages if p.task.entry is not None}
        if self._wants_pages(source):
            articles.extend(e for e in outcome.entries if id(e) not in paged)
        for page in outcome.pages:
            task = page.task
            self.report.pages_fetched += int(page.tried)
            if page.article is not None:
                if task.retry:
                    drops.append(task.url)
                    found = self.store.find_identity(
                        canonicalize_url(task.url), task.guid, source.name, None
                    )
                    if found is not None:
                        # Only an article this source stored from its feed is
                        # completed: an entry folded in as a copy of another
                        # outlet's article must not rewrite that outlet's text.
                        if self.store.article_source(found[0]) == source.name:
                            completions.append((found[0], page.article))
                        continue
                articles.append(page.article)
                continue
            if page.tried:
                self.report.page_errors += 1
            if task.entry is not None:
                articles.append(task.entry)  # stored from the feed's own fields
            exhausted = page.tried and task.retry and task.attempts + 1 >= MAX_PAGE_ATTEMPTS
            if page.permanent or exhausted:
                if task.retry:
                    drops.append(task.url)
                verb = "skipped" if page.permanent else f"given up after {task.attempts + 1} tries"
                outcome.warnings.append(f"page {verb}: {page.error}")
            else:
                queue.append(page)
        outcome.warnings = [redact_credentials(m) for m in outcome.warnings]
        for message in outcome.warnings:
            # Kept on the source's row (shown by `sources`); logged at info so that
            # cron runs stay quiet about things that are not failures.
            log.info("%s: %s", source.name, message)
        self.report.warnings.extend(f"{source.name}: {m}" for m in outcome.warnings)

        found_new = bool(outcome.entries or outcome.links)
        interval = adapt_interval(
            source,
            self.bounds,
            outcome.state.get("interval_seconds"),
            outcome.post_dates,
            found_new,
            now,
        )
        max_age = (
            parse_max_age(outcome.result.headers.get("cache-control")) if outcome.result else None
        )
        state: dict[str, Any] = {
            "feed_url": outcome.feed_url if outcome.feed_url != source.url else None,
            "etag": outcome.etag,
            "last_modified": outcome.last_modified,
            "content_hash": outcome.content_hash,
            "last_status": "unchanged"
            if outcome.unchanged
            else ("warning" if outcome.warnings else "ok"),
            "last_http_status": outcome.http_status,
            "last_error": None,
            "last_warning": "; ".join(outcome.warnings[:MAX_STORED_WARNINGS]) or None,
            "error_count": 0,
            "failing_since": None,
            "last_fetched": seen_at,
            "last_ok": seen_at,
            "next_fetch": to_iso(next_after_success(now, interval, max_age, self.bounds, self.rng)),
            "interval_seconds": interval,
        }
        if found_new:
            state["last_new_at"] = seen_at

        def then() -> None:
            for article_id, page_article in completions:
                alias = identity_url(page_article)
                before = self.store.load_articles([article_id]).get(article_id)
                self.store.complete_article(
                    article_id,
                    page_article,
                    content_fingerprint(page_article.title, page_article.body),
                    alias,
                    seen_at,
                )
                if before is not None:
                    # Later articles are matched against the page's text, not the
                    # feed summary it was first stored from.
                    rekey_article(self.store, article_id, before, DEFAULT_SETTINGS)
            for url in drops:
                self.store.drop_pending(source.name, url)
            for page in queue:
                task = page.task
                self.store.queue_page(
                    source.name,
                    task.url,
                    task.guid or (task.entry.guid if task.entry else None),
                    task.title or (task.entry.title if task.entry else None),
                    to_iso(task.published or (task.entry.published if task.entry else None)),
                    redact_credentials(page.error or ""),
                    seen_at,
                    tried=page.tried,
                )
            self.store.update_source_state(source.name, state)

        store_articles(self.store, articles, self.report.articles, then=then)
        self.report.parsed += outcome.parsed
        if outcome.unchanged:
            self.report.unchanged += 1
        else:
            self.report.ok += 1
        self._progress(source.name, str(state["last_status"]))

    def _record_error(self, outcome: SourceOutcome) -> None:
        source, previous = outcome.source, outcome.state
        # A source URL may carry a password (https://user:secret@host/feed).
        outcome.error = redact_credentials(outcome.error or "")
        now = utcnow()
        count = int(previous.get("error_count") or 0) + 1
        interval = base_interval(source, self.bounds, previous.get("interval_seconds"))
        state = {
            "feed_url": outcome.feed_url if outcome.feed_url != source.url else None,
            "last_status": "error",
            "last_http_status": outcome.http_status,
            "last_error": outcome.error,
            "error_count": count,
            "failing_since": previous.get("failing_since") or to_iso(now),
            "last_fetched": to_iso(now),
            "next_fetch": to_iso(
                next_after_error(now, interval, count, outcome.retry_after, self.rng)
            ),
        }
        if outcome.feed_url != previous.get("feed_url"):
            state.update(etag=None, last_modified=None, content_hash=None)
        with self.store.transaction():
            self.store.update_source_state(source.name, state)
        log.info("%s: %s", source.name, outcome.error)  # the CLI prints the failure
        self.report.failed += 1
        self.report.parsed += outcome.parsed
        self.report.errors.append(f"{source.name}: {outcome.error}")
        self._progress(source.name, "error")

    def _progress(self, name: str, status: str) -> None:
        if self.progress is not None:
            self.progress(name, status)


def _skipped_link(
    warnings: list[str], source: str, title: str | None, exc: InvalidURLError
) -> None:
    """One bad link is the publisher's typo: skipped, said once, the rest stored."""
    what = f"entry {title[:60]!r}" if title and title != exc.url else "a link"
    message = f"{what} skipped: its link {exc.url!r} is not a valid URL ({exc.reason})"
    log.warning("%s: %s", source, message)
    warnings.append(message)


def _unique_links(
    tasks: list[PageTask], warnings: list[str] | None = None, source: str = ""
) -> list[PageTask]:
    """``tasks`` once per canonical URL; links that are not valid URLs are skipped
    (with a warning in ``warnings``)."""
    seen: set[str] = set()
    unique: list[PageTask] = []
    for task in tasks:
        try:
            key = canonicalize_url(task.url)
        except InvalidURLError as exc:
            if warnings is not None:
                _skipped_link(warnings, source, task.title, exc)
            continue
        if key not in seen:
            seen.add(key)
            unique.append(task)
    return unique


def _parse_time(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return parse_datetime(value)
    except ValueError:
        return None


def crawl(
    store: Store,
    config: Config,
    names: tuple[str, ...] = (),
    force: bool = False,
    progress: ProgressCallback | None = None,
) -> CrawlReport:
    """Fetch the due sources of ``config`` (all of them with ``force``) into ``store``."""
    return Crawl(store, config, progress).run(names, force)


__all__ = ["Crawl", "CrawlReport", "crawl", "select_sources"]
