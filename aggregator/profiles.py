"""What later articles find a stored one by, and rebuilding it when the rules change.

When an article is stored, matching writes what later articles will find it and
its story by: its MinHash sketch (for copies), its title and people keys, the
counts of its keys (how rare each is), and its keys and term vector added to its
story's profile. All of it is derived by the feature rules of the version doing
the storing. A newer version with other rules (a new kind of key, better
romanization) would otherwise match new articles against profiles it cannot read
the same way: a story stored before named works were recorded is never found as
"the film this sequel names".

So the store records a fingerprint of the rules
(:func:`~aggregator.match.signature.rules_signature`), and before the first batch
a version with other rules stores, it rebuilds all of it from the stored articles,
in the order they were stored and with the stories they are in (membership, merges
and a person's corrections are kept; only what was derived is recomputed). That is
what importing everything again would have written, minus the decisions.
"""

from __future__ import annotations

import logging
import time
from dataclasses import replace

from aggregator.errors import AggregatorError, StoreError
from aggregator.match.duplicates import Sketch
from aggregator.match.features import ArticleFeatures, term_vector
from aggregator.match.matcher import EVIDENCE_KINDS, member_keys
from aggregator.match.settings import MatchSettings
from aggregator.match.signature import rules_signature
from aggregator.models import Article
from aggregator.prepare import match_keys
from aggregator.store import Store
from aggregator.store.articles import KeyCounter

log = logging.getLogger(__name__)

REBUILD_CHUNK = 2000  # articles read at a time


def evidence_keys(features: ArticleFeatures) -> dict[str, set[str]]:
    """The keys whose document frequencies an article counts (and is weighed by)."""
    story_keys = features.story_keys()
    keys = {kind: story_keys.get(kind, set()) for kind in EVIDENCE_KINDS}
    keys["term"] = set(features.term_counts)
    return keys


def index_article(
    store: Store,
    article_id: int,
    sketch_: Sketch,
    features: ArticleFeatures,
    key_counter: KeyCounter,
    settings: MatchSettings,
) -> tuple[ArticleFeatures, dict[tuple[str, str], int]]:
    """Write an article's sketch and keys and count its keys.

    Returns the features with their TF-IDF term vector, weighed by how many
    earlier articles carried each word, and those counts.
    """
    store.add_sketch(article_id, sketch_.shingle_count, sketch_.signature, sketch_.buckets)
    store.add_keys(article_id, "work", features.work_keys)
    store.add_keys(article_id, "person", features.person_keys)
    df = key_counter.count(evidence_keys(features))
    # The store's size: a new row's id is one more than the largest before it.
    terms = term_vector(
        features.term_counts,
        {k: n for (kind, k), n in df.items() if kind == "term"},
        article_id,
        settings,
    )
    return replace(features, term_vector=terms), df


def rekey_article(store: Store, article_id: int, before: Article, settings: MatchSettings) -> bool:
    """Derive a stored article's sketch, keys and search row again after its text
    changed (a crawl completing a feed summary with its page, an updated feed entry);
    returns whether its keys were derived again.

    The article stays in its story: that was decided, and may have been corrected,
    on what was known then. Its old keys come off the counts and the new ones go
    on, and its story's profile is summed again from its articles (see
    :func:`refresh_story_profile`). Keys that cannot be derived from the new text
    leave everything as it was, with a warning.
    """
    after = store.load_articles([article_id]).get(article_id)
    story = store.stories_of([article_id]).get(article_id)
    if after is None or story is None:
        return False
    if (after.title, after.body, after.published) == (before.title, before.body, before.published):
        return False  # nothing its keys are derived from changed
    store.refresh_search_row(article_id)
    try:
        _, old = match_keys(before, settings)
        sketch_, new = match_keys(after, settings)
    except Exception as exc:  # one page must not keep its source from being stored
        log.warning(
            "article %d: its keys could not be derived again from its page (%s); it "
            "keeps those of its feed summary",
            article_id,
            exc,
        )
        return False
    counter = store.key_counter()
    counter.uncount(evidence_keys(old))
    store.remove_article_index(article_id)
    index_article(store, article_id, sketch_, new, counter, settings)
    counter.flush()
    refresh_story_profile(store, story, settings)
    return True


def refresh_story_profile(store: Store, story_id: int, settings: MatchSettings) -> None:
    """Sum a story's profile again from its articles, after articles left it, came
    in or changed.

    Taking one article's keys off instead would need its term vector exactly as it
    was added: recomputed with today's key counts, its best terms and their weights
    differ, and the story would lose other articles' terms and keep some of its own.
    Every term vector here is weighed by today's counts, so the centroid is
    consistent (an import weighs each by the counts of its day). Costs one feature
    extraction per article of the story.
    """
    members = store.member_ids(story_id)
    articles = store.load_articles(members)
    reasons = store.member_reasons(members)
    counter = store.key_counter()
    total = store.newest_article_id()
    profile: list[tuple[dict[str, set[str]], dict[str, float]]] = []
    for article_id in members:
        try:
            _, features = match_keys(articles[article_id], settings)
        except Exception as exc:
            log.warning(
                "article %d: its matching keys could not be derived (%s); story %d is "
                "profiled without it",
                article_id,
                exc,
                story_id,
            )
            continue
        df = counter.current({"term": set(features.term_counts)})
        terms = term_vector(
            features.term_counts, {key: n for (_, key), n in df.items()}, total, settings
        )
        profile.append((member_keys(features, reasons.get(article_id, "")), terms))
    store.clear_story_profile(story_id)
    for keys, terms in profile:
        store.add_story_keys(story_id, keys, terms)


def ensure_profiles(store: Store, settings: MatchSettings) -> int:
    """Rebuild what matching derived from stored articles if other rules derived
    it; returns how many articles were gone through (0: up to date).

    Call inside the writing transaction, before anything is matched: the rebuild
    commits with the batch or not at all, so a crash leaves the old profiles and
    the next run rebuilds again. A failure is a :class:`StoreError`, which stops
    the run (every batch would fail the same way).
    """
    current = rules_signature(settings)
    if store.profile_rules() == current:
        return 0
    rebuilt = 0
    if store.has_members():
        log.warning(
            "%s: the matching rules changed since these stories were stored; rebuilding "
            "their profiles from the stored articles once (a minute or two per 30,000 "
            "articles); stories and corrections are kept",
            store.path,
        )
        started = time.perf_counter()
        try:
            rebuilt = _rebuild(store, settings)
        except AggregatorError:
            raise
        except Exception as exc:
            raise StoreError(
                f"{store.path}: rebuilding the stories' matching profiles failed ({exc}); "
                "nothing was changed. Run again; if it fails again, report it with this "
                "message"
            ) from exc
        log.warning(
            "%s: rebuilt the profiles of %d stored articles in %.0f s",
            store.path,
            rebuilt,
            time.perf_counter() - started,
        )
    store.set_profile_rules(current)
    return rebuilt


def _rebuild(store: Store, settings: MatchSettings) -> int:
    store.clear_profiles()
    rebuilt = 0
    last = 0
    while members := store.members_after(last, REBUILD_CHUNK):
        articles = store.load_articles([article_id for article_id, _, _ in members])
        # Counted per chunk and written back, as an import does per batch, so memory
        # holds one chunk's keys, not the whole store's.
        counter = store.key_counter()
        for article_id, story_id, reason in members:
            try:
                sketch_, features = match_keys(articles[article_id], settings)
            except Exception as exc:  # one article must not keep every later one out
                log.warning(
                    "article %d: its matching keys could not be derived (%s); it stays "
                    "in story %d, but later articles will not be matched against it",
                    article_id,
                    exc,
                    story_id,
                )
                continue
            features, _ = index_article(store, article_id, sketch_, features, counter, settings)
            store.add_story_keys(story_id, member_keys(features, reason), features.term_vector)
            rebuilt += 1
        counter.flush()
        last = members[-1][0]
    return rebuilt
