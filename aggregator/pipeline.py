"""The orchestrator: the one place that knows the order of the stages.

parse (done by the caller: import reads files, crawl fetches) -> normalize ->
match -> store. Each batch is stored in one transaction.
"""

from __future__ import annotations

import gc
import logging
import multiprocessing
import os
import queue as queue_module
import signal
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from functools import partial
from multiprocessing.queues import Queue
from pathlib import Path
from typing import Any

from aggregator.errors import InputError, StoreError
from aggregator.ingest.files import Batch, read_batches
from aggregator.match import DEFAULT_SETTINGS, MatchSettings, decide
from aggregator.match.duplicates import (
    Sketch,
    compare,
    estimated_jaccard,
    screen,
    shingles_and_lead,
)
from aggregator.match.matcher import member_keys, needs_text
from aggregator.models import Article, ImportReport
from aggregator.prepare import Prepared, prepare
from aggregator.profiles import ensure_profiles, evidence_keys, index_article
from aggregator.store import Store
from aggregator.store.articles import KeyCounter
from aggregator.timeutil import to_iso, utcnow

__all__ = ["import_paths", "store_articles"]

log = logging.getLogger(__name__)

# Imports at least this large are parsed and prepared in a second process; smaller
# ones are not worth starting it.
PARALLEL_MIN_BYTES = 2 * 1024 * 1024
PARALLEL_BATCH_ARTICLES = 2000  # per transaction
PARALLEL_PART_ARTICLES = 250  # per hand-over from the preparing process
PARALLEL_QUEUE_PARTS = 3 * PARALLEL_BATCH_ARTICLES // PARALLEL_PART_ARTICLES
PARALLEL_POLL_SECONDS = 1.0
# Allocations between young-generation garbage collections during an import (Python's
# default is 700). See _fewer_collections.
IMPORT_GC_THRESHOLD = 50_000
# A published time this far past the clock (time zones, slow clocks) still counts.
FUTURE_DATE_SLACK = timedelta(days=1)
# A batch that failed is stored again article by article; after this many of its
# articles failed too, the fault is not in one article: the rest are reported.
MAX_ONE_BY_ONE_FAILURES = 10


def store_articles(
    store: Store,
    articles: Iterable[Article],
    report: ImportReport,
    then: Callable[[], None] | None = None,
    settings: MatchSettings = DEFAULT_SETTINGS,
    prepared: Sequence[Prepared | None] | None = None,
) -> list[int]:
    """Store one batch in one transaction; returns the ids of new articles.

    ``then`` runs inside the same transaction after the articles (the crawler
    records the source's fetch state there, so a crash never keeps one without
    the other). ``prepared`` (optional, aligned with ``articles``) holds
    :func:`prepare` results computed elsewhere. Counts reach ``report`` only after
    the commit, so a rolled-back batch counts nothing.
    """
    return _store_parts(store, [(articles, prepared)], report, then, settings)


def _store_parts(
    store: Store,
    parts: Iterable[tuple[Iterable[Article], Sequence[Prepared | None] | None]],
    report: ImportReport,
    then: Callable[[], None] | None = None,
    settings: MatchSettings = DEFAULT_SETTINGS,
) -> list[int]:
    """:func:`store_articles` for a batch that arrives in parts: all in one transaction.

    A large import's preparing process hands over a 2,000-article transaction in
    small parts, so this process starts storing as soon as the first part is ready
    instead of waiting for the whole batch.
    """
    new_ids: list[int] = []
    counts = ImportReport()
    with store.transaction(), store.caching_stories():
        batch = _Batch(store.key_counter(), store.has_corrections())
        checked = False
        for articles, prepared in parts:
            articles = list(articles)
            if articles and not checked:
                # Profiles derived by other rules are rebuilt before anything is
                # matched against them, in this transaction: with the batch or not at
                # all. Only once there is something to store: a crawl of unchanged
                # feeds does not pay for the check.
                ensure_profiles(store, settings)
                store.note_search_rules()
                checked = True
            if prepared is not None:
                batch.key_counter.preload(
                    (kind, key)
                    for ready in prepared
                    if ready is not None
                    for kind, keys in evidence_keys(ready.features).items()
                    for key in keys
                )
            for index, article in enumerate(articles):
                ready = prepared[index] if prepared is not None else None
                article_id = _store_one(store, article, counts, settings, ready, batch)
                if article_id is not None:
                    new_ids.append(article_id)
        batch.key_counter.flush()
        if then is not None:
            then()
    report.merge(counts)
    return new_ids


@dataclass
class _Batch:
    """What holds for a whole write transaction: document frequencies counted in
    memory, and whether any correction (block) exists, which importing never adds."""

    key_counter: KeyCounter
    has_corrections: bool


def _near_duplicate(
    store: Store, sketch_: Sketch, settings: MatchSettings
) -> tuple[int | None, dict[str, object], dict[int, float]]:
    """(original article id, signals) of a near-identical stored text, if any, and the
    MinHash similarity of the other LSH neighbours (evidence for the story match)."""
    neighbours: dict[int, float] = {}
    if not sketch_.buckets:
        return None, {}, neighbours
    for candidate_id, signature in store.lsh_candidates(
        sketch_.buckets, settings.max_lsh_candidates
    ):
        estimate = estimated_jaccard(sketch_.signature, signature)
        if screen(sketch_.signature, signature, settings):
            other, other_lead = shingles_and_lead(
                store.article_body(candidate_id), settings.shingle_words, settings.max_feature_chars
            )
            signals = compare(sketch_.shingles, other, settings, leads=(sketch_.lead, other_lead))
            if signals is not None:
                return candidate_id, {"original": candidate_id, **signals}, neighbours
        if estimate >= settings.similar_text_min:
            neighbours[candidate_id] = max(neighbours.get(candidate_id, 0.0), estimate)
    return None, {}, neighbours


def _retrieval_keys(
    story_keys: dict[str, set[str]],
    terms: dict[str, float],
    df: dict[tuple[str, str], int],
    settings: MatchSettings,
    headline: frozenset[str] = frozenset(),
) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """Keys to look candidates up by (titles, and the rarest names and words: few
    postings each, so the lookup cost does not grow with the store), and the terms
    whose overlap is then read for the best candidates only."""

    budget = settings.retrieval_budget

    def rare(kind: str, keys: Iterable[str], limit: int) -> set[str]:
        nonlocal budget
        # A key no earlier article carried cannot find a story: skip it rather than
        # let it take a place among the rarest.
        usable = sorted(
            (df.get((kind, k), 0), k)
            for k in keys
            if 0 < df.get((kind, k), 0) <= settings.max_key_df
        )
        chosen: set[str] = set()
        for count, key in usable[:limit]:
            if count > budget:
                break
            budget -= count
            chosen.add(key)
        return chosen

    retrieval = {
        "work": story_keys.get("work", set()),
        "base": story_keys.get("base", set()) | headline,
        "person": rare("person", story_keys.get("person", ()), settings.max_retrieval_names),
        "name": rare("name", story_keys.get("name", ()), settings.max_retrieval_names),
        "term": rare("term", terms, settings.max_retrieval_terms),
        "word": rare("word", story_keys.get("word", ()), settings.max_retrieval_words),
    }
    complete = {
        "term": set(terms) - retrieval["term"],
        "person": set(story_keys.get("person", ())) - retrieval["person"],
        "name": set(story_keys.get("name", ())) - retrieval["name"],
    }
    return retrieval, complete


def _store_one(
    store: Store,
    article: Article,
    report: ImportReport,
    settings: MatchSettings,
    ready: Prepared | None,
    batch: _Batch,
) -> int | None:
    now = utcnow()
    seen_at = to_iso(now) or ""
    ready = ready or prepare(article, settings)
    url, seen_url, fingerprint = ready.url, ready.seen_url, ready.fingerprint
    existing = store.find_identity(url, article.guid, article.source, fingerprint)
    if (
        existing is not None
        and existing[1] == "same-url"
        and url != seen_url
        # Unlike texts alone prove nothing: a feed summary and its page are one article.
        and store.has_other_guid(existing[0], article.guid, article.source)
    ):
        # The address the page declares is another entry's of the same feed (pages
        # declaring one shared canonical URL): the address this one was seen at is its own.
        url = seen_url
        existing = store.find_identity(url, article.guid, article.source, fingerprint)
    if existing is not None:
        article_id, match = existing
        report.duplicates += 1
        store.add_sighting(article_id, url, article.source, seen_at, match)
        if seen_url != url:
            store.add_sighting(article_id, seen_url, article.source, seen_at, "alias")
        return None
    sketch_ = ready.sketch
    original, dup_signals, neighbours = _near_duplicate(store, sketch_, settings)
    if original is not None:
        # A re-post of a stored text (syndication, new headline, other boilerplate):
        # listed as a duplicate of the original, whatever its URL.
        report.duplicates += 1
        store.add_sighting(original, url, article.source, seen_at, "near-duplicate", dup_signals)
        if seen_url != url:
            store.add_sighting(original, seen_url, article.source, seen_at, "alias")
        return None
    article_id = store.insert_article(
        article, url, fingerprint, seen_at, ready.folded, ready.columns
    )
    if seen_url != url:
        # Where the content was found, when it declares another address for itself;
        # an alias of the article's own identity, not a copy (not listed in duplicates).
        store.add_sighting(article_id, seen_url, article.source, seen_at, "alias")
    features, df = index_article(
        store, article_id, sketch_, ready.features, batch.key_counter, settings
    )
    story_keys = features.story_keys()
    terms = features.term_vector
    retrieval, complete = _retrieval_keys(story_keys, terms, df, settings, features.headline_titles)
    similar_stories: dict[int, float] = {}
    for neighbour, story in store.stories_of(neighbours).items():
        similar_stories[story] = max(similar_stories.get(story, 0.0), neighbours[neighbour])
    candidates = store.story_candidates(
        retrieval,
        similar_stories,
        settings.max_candidate_stories,
        complete=complete,
        complete_top=settings.complete_top_candidates,
        needs_text=partial(needs_text, features, min_names=settings.other_work_min_names),
        named=({features.release.key, *features.aliases} if features.release else ()),
        count_people=features.release is not None,
        has_corrections=batch.has_corrections,
    )
    # The store's size (for how rare a key is): the new row's id.
    decision = decide(features, candidates, df, article_id, settings, article_id=article_id)
    activity = seen_at
    if article.published is not None and article.published <= now + FUTURE_DATE_SLACK:
        # A date in the future is a typo or a trick to stay on top of every listing:
        # the story's activity is when the article was seen instead.
        activity = to_iso(article.published) or seen_at
    story_id = decision.story_id
    if story_id is None:
        title = features.release.title if features.release else article.title
        story_id = store.create_story(title or "(untitled)", activity, seen_at)
        report.new_stories += 1
    store.add_member(
        article_id,
        story_id,
        decision,
        activity,
        seen_at,
        keys=member_keys(features, decision.reason),
        terms=terms,
        new_story=decision.story_id is None,
    )
    for other in decision.merge_with:
        blocked = store.merge_block(story_id, other)
        if blocked is None:
            store.merge_stories(
                story_id,
                other,
                "matcher",
                seen_at,
                {"bridge_article": article_id, **decision.signals},
            )
    report.new += 1
    return article_id


@contextmanager
def _fewer_collections() -> Iterator[None]:
    """Run the cyclic garbage collector far less often, for the length of an import.

    An import allocates millions of short-lived containers (parsed articles, their
    keys, SQL rows, the parts the preparing process hands over), nearly none in
    reference cycles; at Python's default threshold the collector ran every 700 of
    them and re-scanned everything alive, a third of the storing process's time.
    Objects alive before the import (modules, caches) are frozen out of the scans.
    Collection still happens, so memory stays bounded if some cycle is made.
    """
    threshold = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(IMPORT_GC_THRESHOLD, *threshold[1:])
    try:
        yield
    finally:
        gc.set_threshold(*threshold)
        gc.unfreeze()


def import_paths(store: Store, paths: list[Path]) -> ImportReport:
    """Import local files; one bad file or line never stops the others.

    Large imports read, parse and prepare articles in a second process while this
    one stores them: the store's writes and the matching decisions stay here, in
    input order, so the result is the same as a sequential import.
    """
    with _fewer_collections():
        return _import_paths(store, paths)


def _import_paths(store: Store, paths: list[Path]) -> ImportReport:
    report = ImportReport()
    parts = _prepared_parts(paths)
    for first in parts:
        group = _Group(first, parts, report)
        if not first.batch.articles and first.ends:
            group.drain()
            continue
        consumed: list[tuple[list[Article], Sequence[Prepared | None] | None]] = []
        try:
            _store_parts(store, _kept(group.articles(), consumed), report)
        except _ReadFailed as failed:
            raise failed.error from None  # the input stream broke: as if outside a batch
        except StoreError:
            raise  # a locked or broken database stops the run: nothing else can be stored
        except sqlite3.OperationalError as exc:  # a full disk, an I/O error: the same
            raise _database_failed(store, exc) from exc
        except Exception as exc:  # one bad article must not cost the others
            log.warning(
                "storing %s failed (%s); storing its articles one by one",
                first.batch.origin,
                exc,
            )
            log.debug("the batch failed here", exc_info=True)
            consumed.extend(group.rest())
            _store_one_by_one(store, consumed, report, first.batch.origin)
    return report


def _database_failed(store: Store, exc: sqlite3.OperationalError) -> StoreError:
    """The database itself failed (a full disk, an I/O error): no other article can be
    stored either, so the import stops with what was committed kept."""
    return StoreError(
        f"{store.path}: the database could not be written ({exc}); free disk space or "
        "check the file, then run the import again (what was stored is kept)"
    )


def _kept(
    parts: Iterable[tuple[list[Article], Sequence[Prepared | None] | None]],
    into: list[tuple[list[Article], Sequence[Prepared | None] | None]],
) -> Iterator[tuple[list[Article], Sequence[Prepared | None] | None]]:
    """The parts, each also kept in ``into``: to store again if the batch fails.

    Only the articles are kept, not what was prepared for them (twice the memory for
    a path taken rarely): a failed batch prepares its articles again."""
    for articles, prepared in parts:
        into.append((articles, None))
        yield articles, prepared


def _store_one_by_one(
    store: Store,
    parts: list[tuple[list[Article], Sequence[Prepared | None] | None]],
    report: ImportReport,
    origin: str | None,
) -> None:
    """Store a failed batch's articles each in its own transaction, reporting the ones
    that fail. The batch was rolled back whole (with the key counts and the story
    cache that lived only in it), so nothing of the failed attempt remains."""
    failures = 0
    for articles, prepared in parts:
        for index, article in enumerate(articles):
            if failures >= MAX_ONE_BY_ONE_FAILURES:
                report.fail(
                    f"{origin or 'input'}: the article {article.url} was not stored: "
                    f"{failures} articles before it failed; fix the input or report a bug"
                )
                continue
            ready = prepared[index] if prepared is not None else None
            try:
                store_articles(store, [article], report, prepared=[ready])
            except StoreError:
                raise
            except sqlite3.OperationalError as exc:
                raise _database_failed(store, exc) from exc
            except Exception as exc:
                failures += 1
                log.debug("storing %s from %s failed", article.url, origin, exc_info=True)
                report.fail(
                    f"{origin or 'input'}: the article {article.url} could not be stored "
                    f"({exc}); it was skipped, the others were kept"
                )


@dataclass(frozen=True)
class _Part:
    """Some consecutive articles of one input, prepared or not; ``ends`` marks the
    last part of a transaction."""

    batch: Batch
    prepared: Sequence[Prepared | None] | None
    ends: bool = True


class _ReadFailed(Exception):
    """The input stream failed while a transaction was open (it is rolled back)."""

    def __init__(self, error: BaseException) -> None:
        super().__init__(str(error))
        self.error = error


class _Group:
    """The parts of one transaction, read from the shared stream as they are stored."""

    def __init__(self, first: _Part, rest: Iterator[_Part], report: ImportReport) -> None:
        self._pending: _Part | None = first
        self._done = False
        self._rest = rest
        self._report = report

    def _parts(self) -> Iterator[_Part]:
        # The next part is fetched only once the current one is stored: the
        # preparing process works on it meanwhile.
        while not self._done:
            if self._pending is None:
                try:
                    self._pending = next(self._rest)
                except StopIteration:
                    self._done = True
                    return
                except BaseException as exc:
                    self._done = True
                    raise _ReadFailed(exc) from exc
            part, self._pending = self._pending, None
            self._done = part.ends
            for message in part.batch.errors:
                self._report.fail(message)
            yield part

    def articles(self) -> Iterator[tuple[list[Article], Sequence[Prepared | None] | None]]:
        for part in self._parts():
            yield part.batch.articles, part.prepared

    def drain(self) -> None:
        """Skip what is left of the transaction (its input errors are still reported)."""
        self.rest()

    def rest(self) -> list[tuple[list[Article], Sequence[Prepared | None] | None]]:
        """What is left of the transaction (its input errors are still reported)."""
        try:
            return [(part.batch.articles, part.prepared) for part in self._parts()]
        except _ReadFailed as failed:
            raise failed.error from None


def _input_bytes(paths: list[Path]) -> int:
    """Roughly how much there is to import (stops counting at the parallel threshold)."""
    total = 0
    for path in paths:
        files = path.rglob("*") if path.is_dir() else [path]
        for file in files:
            try:
                total += file.stat().st_size if file.is_file() else 0
            except OSError:
                continue
            if total >= PARALLEL_MIN_BYTES:
                return total
    return total


def _prepare_batch(batch: Batch) -> list[Prepared | None]:
    prepared: list[Prepared | None] = []
    for article in batch.articles:
        try:
            prepared.append(prepare(article))
        except Exception:  # prepared again, in the storing process, where it is reported
            prepared.append(None)
    return prepared


def _large_parts(paths: list[Path]) -> Iterator[tuple[Batch, bool]]:
    """Parts of at most PARALLEL_PART_ARTICLES articles, each flagged when it ends a
    transaction: consecutive batches of one file joined up to PARALLEL_BATCH_ARTICLES.

    A commit writes every index page the batch touched; in a large store few pages are
    shared between articles, so fewer, larger transactions write far less per article.
    Small parts let the storing process start on a transaction early.
    """
    held: Batch | None = None  # the last part, until we know whether it ends its group
    origin: str | None = None
    size = 0
    for batch in read_batches(paths):
        if held is not None and not (batch.origin and batch.origin == origin):
            yield held, True
            held, size = None, 0
        origin = batch.origin
        starts = range(0, max(1, len(batch.articles)), PARALLEL_PART_ARTICLES)
        for number, start in enumerate(starts):
            part = Batch(
                origin=batch.origin,
                articles=batch.articles[start : start + PARALLEL_PART_ARTICLES],
                errors=batch.errors if number == 0 else [],
            )
            if held is not None:
                yield held, False
            held = part
        size += len(batch.articles)
        if held is not None and size >= PARALLEL_BATCH_ARTICLES:
            yield held, True
            held, size = None, 0
    if held is not None:
        yield held, True


def _producer(paths: list[Path], queue: Queue[Any]) -> None:
    """Second process: read, parse and prepare parts, in order, into ``queue``."""
    # A handler the importing process had (a crawl's SIGTERM handler, in a process
    # that crawls and imports) must not keep this one from ending when told to.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    parent = os.getppid()
    threading.Thread(target=_exit_when_orphaned, args=(parent,), daemon=True).start()
    try:
        for part, ends in _large_parts(paths):
            queue.put(_Part(part, _prepare_batch(part), ends))
    except BaseException as exc:  # reported by the consumer
        queue.put(exc)
    queue.put(None)


def _exit_when_orphaned(parent: int) -> None:
    """Watch, in the preparing process, for the importer's death: wherever this
    process then waits (a full queue, or at exit for its queue's pipe to drain),
    nobody will ever read what it holds, so it ends itself."""
    while os.getppid() == parent:
        time.sleep(PARALLEL_POLL_SECONDS)
    os._exit(1)


def _prepared_parts(paths: list[Path]) -> Iterator[_Part]:
    if (
        (os.cpu_count() or 1) < 2
        or "fork" not in multiprocessing.get_all_start_methods()
        or _input_bytes(paths) < PARALLEL_MIN_BYTES
    ):
        for batch in read_batches(paths):
            yield _Part(batch, None)
        return
    # fork: the child needs nothing but the paths, and must not re-run the caller's
    # main module (which "spawn" would); it never touches the database.
    context = multiprocessing.get_context("fork")
    queue: Queue[Any] = context.Queue(maxsize=PARALLEL_QUEUE_PARTS)
    worker = context.Process(target=_producer, args=(paths, queue), daemon=True)
    worker.start()
    try:
        while True:
            try:
                item = queue.get(timeout=PARALLEL_POLL_SECONDS)
            except queue_module.Empty:
                if worker.is_alive():
                    continue
                raise InputError(
                    "the process reading the input files stopped unexpectedly "
                    f"(exit code {worker.exitcode}); run the import again"
                ) from None
            if item is None:
                break
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        if worker.is_alive():
            worker.kill()  # it holds nothing to clean up: it never writes anything
        worker.join()
