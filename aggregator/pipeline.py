"""The orchestrator: the one place that knows the order of the stages.

parse (done by the caller: import reads files, crawl fetches) -> normalize ->
match -> store. Each batch is stored in one transaction.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from collections.abc import Iterable
from pathlib import Path

from aggregator.errors import AggregatorError
from aggregator.ingest.files import read_batches
from aggregator.match import DEFAULT_SETTINGS, MatchSettings, decide, extract_features
from aggregator.match.features import term_vector
from aggregator.match.duplicates import (
    Sketch,
    compare,
    estimated_jaccard,
    screen,
    shingle_hashes,
    sketch,
)
from aggregator.match.matcher import EVIDENCE_KINDS
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
    settings: MatchSettings = DEFAULT_SETTINGS,
) -> list[int]:
    """Store one batch in one transaction; returns the ids of new articles.

    Counts reach ``report`` only after the commit, so a rolled-back batch counts nothing.
    """
    new_ids: list[int] = []
    counts = ImportReport()
    with store.transaction():
        for article in articles:
            article_id = _store_one(store, article, counts, settings)
            if article_id is not None:
                new_ids.append(article_id)
    report.merge(counts)
    return new_ids


def _near_duplicate(
    store: Store, sketch_: Sketch, settings: MatchSettings
) -> tuple[int | None, dict[str, object], dict[int, float]]:
    """(original article id, signals) of a near-identical stored text, if any, and the
    MinHash similarity of the other LSH neighbours (evidence for the story match)."""
    neighbours: dict[int, float] = {}
    if not sketch_.buckets:
        return None, {}, neighbours
    for candidate_id, signature in store.lsh_candidates(sketch_.buckets, settings.max_lsh_candidates):
        estimate = estimated_jaccard(sketch_.signature, signature)
        if screen(sketch_.signature, signature, settings):
            other = shingle_hashes(
                store.article_body(candidate_id), settings.shingle_words, settings.max_feature_chars
            )
            signals = compare(sketch_.shingles, other, settings)
            if signals is not None:
                return candidate_id, {"original": candidate_id, **signals}, neighbours
        if estimate >= settings.similar_text_min:
            neighbours[candidate_id] = max(neighbours.get(candidate_id, 0.0), estimate)
    return None, {}, neighbours


def _store_one(
    store: Store, article: Article, report: ImportReport, settings: MatchSettings
) -> int | None:
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
    sketch_ = sketch(article.body, settings)
    original, dup_signals, neighbours = _near_duplicate(store, sketch_, settings)
    if original is not None:
        # A re-post of a stored text (syndication, new headline, other boilerplate):
        # listed as a duplicate of the original, whatever its URL.
        report.duplicates += 1
        store.add_sighting(original, url, article.source, seen_at, "near-duplicate", dup_signals)
        if seen_url != url:
            store.add_sighting(original, seen_url, article.source, seen_at, "alias")
        return None
    article_id = store.insert_article(article, url, fingerprint, seen_at)
    if seen_url != url:
        # Where the content was found, when it declares another address for itself;
        # an alias of the article's own identity, not a copy (not listed in duplicates).
        store.add_sighting(article_id, seen_url, article.source, seen_at, "alias")
    store.add_sketch(article_id, len(sketch_.shingles), sketch_.signature, sketch_.buckets)
    features = extract_features(article, settings)
    store.add_keys(article_id, "work", features.work_keys)
    store.add_keys(article_id, "person", features.person_keys)
    story_keys = features.story_keys()
    evidence_keys = {kind: story_keys.get(kind, set()) for kind in EVIDENCE_KINDS}
    evidence_keys["term"] = set(features.term_counts)
    df = store.key_df(evidence_keys)
    store.bump_df(evidence_keys)
    total = store.newest_article_id()
    terms = term_vector(
        features.term_counts, {k: n for (kind, k), n in df.items() if kind == "term"}, total, settings
    )
    features = replace(features, term_vector=terms)
    retrieval: dict[str, set[str]] = {
        kind: {k for k in keys if df.get((kind, k), 0) <= settings.max_key_df}
        for kind, keys in story_keys.items()
    }
    retrieval["term"] = {k for k in terms if df.get(("term", k), 0) <= settings.max_key_df}
    similar_stories: dict[int, float] = {}
    for neighbour, story in store.stories_of(neighbours).items():
        similar_stories[story] = max(similar_stories.get(story, 0.0), neighbours[neighbour])
    candidates = store.story_candidates(retrieval, similar_stories, settings.max_candidate_stories)
    decision = decide(features, candidates, df, total, settings, article_id=article_id)
    activity = to_iso(article.published) or seen_at
    story_id = decision.story_id
    if story_id is None:
        title = features.release.title if features.release else article.title
        story_id = store.create_story(title or "(untitled)", activity, seen_at)
        report.new_stories += 1
    store.add_member(
        article_id, story_id, decision, activity, seen_at, keys=story_keys, terms=terms
    )
    for other in decision.merge_with:
        blocked = store.merge_block(story_id, other)
        if blocked is None:
            store.merge_stories(
                story_id, other, "matcher", seen_at, {"bridge_article": article_id, **decision.signals}
            )
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
