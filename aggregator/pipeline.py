"""The orchestrator: the one place that knows the order of the stages.

parse (done by the caller: import reads files, crawl fetches) -> normalize ->
match -> store. Each batch is stored in one transaction.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from pathlib import Path

from aggregator.errors import AggregatorError
from aggregator.ingest.files import read_batches
from aggregator.match import article_keys, decide
from aggregator.models import Article, ImportReport
from aggregator.normalize.text import content_fingerprint
from aggregator.normalize.urls import canonicalize_url
from aggregator.store import Store
from aggregator.timeutil import to_iso, utcnow

log = logging.getLogger(__name__)


def identity_url(article: Article) -> str:
    """The URL an article is stored under: its declared canonical URL, else where seen."""
    return canonicalize_url(article.canonical_url or article.url)


def store_articles(
    store: Store,
    articles: Iterable[Article],
    report: ImportReport,
    then: Callable[[], None] | None = None,
) -> list[int]:
    """Store one batch in one transaction; returns the ids of new articles.

    ``then`` runs inside the same transaction after the articles (the crawler
    records the source's fetch state there, so a crash never keeps one without
    the other). Counts reach ``report`` only after the commit, so a rolled-back
    batch counts nothing.
    """
    new_ids: list[int] = []
    counts = ImportReport()
    with store.transaction():
        for article in articles:
            article_id = _store_one(store, article, counts)
            if article_id is not None:
                new_ids.append(article_id)
        if then is not None:
            then()
    report.merge(counts)
    return new_ids


def _store_one(store: Store, article: Article, report: ImportReport) -> int | None:
    seen_at = to_iso(utcnow()) or ""
    url = identity_url(article)
    seen_url = canonicalize_url(article.url)
    fingerprint = content_fingerprint(article.title, article.body)
    existing = store.find_identity(url, article.guid, article.source, fingerprint)
    if existing is not None:
        article_id, match = existing
        report.duplicates += 1
        store.add_sighting(article_id, url, article.source, seen_at, match)
        if seen_url != url:
            store.add_sighting(article_id, seen_url, article.source, seen_at, "alias")
        return None
    article_id = store.insert_article(article, url, fingerprint, seen_at)
    if seen_url != url:
        # Where the content was found, when it declares another address for itself;
        # an alias of the article's own identity, not a copy (not listed in duplicates).
        store.add_sighting(article_id, seen_url, article.source, seen_at, "alias")
    keys = article_keys(article)
    for kind, values in keys.items():
        store.add_keys(article_id, kind, values)
    decision = decide(article, store.story_candidates(keys))
    activity = to_iso(article.published) or seen_at
    story_id = decision.story_id
    if story_id is None:
        title = article.primary_work.title if article.primary_work else article.title
        story_id = store.create_story(title, activity, seen_at)
        report.new_stories += 1
    store.add_member(article_id, story_id, decision, activity, seen_at)
    report.new += 1
    return article_id


def import_paths(store: Store, paths: list[Path]) -> ImportReport:
    """Import local files; one bad file or line never stops the others."""
    report = ImportReport()
    for batch in read_batches(paths):
        for message in batch.errors:
            report.fail(message)
        if not batch.articles:
            continue
        try:
            store_articles(store, batch.articles, report)
        except AggregatorError:
            raise  # a locked or broken database stops the run: nothing else can be stored
        except Exception as exc:  # one bad batch must not stop the import
            log.exception("storing %s failed", batch.origin)
            report.fail(f"{batch.origin}: could not be stored ({exc}); nothing from it was kept")
    return report
