"""Profiles derived by older rules are rebuilt from the stored articles, once."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from dataclasses import fields, replace
from pathlib import Path
from typing import Any

import pytest

import aggregator.profiles as profiles
from aggregator.corrections import merge_stories, move_articles
from aggregator.errors import StoreError
from aggregator.match import DEFAULT_SETTINGS
from aggregator.match.features import term_vector
from aggregator.match.settings import MatchSettings
from aggregator.match.signature import DECISION_SETTINGS, rules_signature
from aggregator.models import ImportReport
from aggregator.normalize import names
from aggregator.parse import parse_text
from aggregator.pipeline import store_articles
from aggregator.prepare import match_keys
from aggregator.store import Store, open_store
from tests.test_match_grouping import RECORDS, to_article
from tests.test_match_related import ORIGINAL_SEQUEL_TALKS, SEQUEL_TITLE_TALKS

ROOT = Path(__file__).resolve().parent.parent


def _derived(conn: sqlite3.Connection) -> dict[str, list[Any]]:
    """Everything matching derived from the articles (weights rounded: a merge adds
    the same numbers in another order)."""
    return {
        "story_keys": conn.execute(
            "SELECT story_id, kind, key, count, round(weight, 9) FROM story_keys ORDER BY 1, 2, 3"
        ).fetchall(),
        "key_stats": conn.execute("SELECT * FROM key_stats ORDER BY 1, 2").fetchall(),
        "article_keys": conn.execute("SELECT * FROM article_keys ORDER BY 1, 2, 3").fetchall(),
        "article_lsh": conn.execute("SELECT * FROM article_lsh ORDER BY 1, 2").fetchall(),
        "article_sketches": conn.execute("SELECT * FROM article_sketches ORDER BY 1").fetchall(),
        "norms": [
            round(n, 9) for (n,) in conn.execute("SELECT term_norm2 FROM stories ORDER BY id")
        ],
    }


def _mark_stale(store: Store) -> None:
    """As a store written by a version with other feature rules looks."""
    with store.transaction():
        store.set_profile_rules("rules of an older version")


def _store(store: Store, *texts: str) -> None:
    first = store.newest_article_id() + 1
    articles = [parse_text(text, f"https://example.org/{n}") for n, text in enumerate(texts, first)]
    store_articles(store, articles, ImportReport())


@pytest.mark.parametrize("chunk", [profiles.REBUILD_CHUNK, 3], ids=["one-chunk", "chunks-of-3"])
def test_rebuild_writes_exactly_what_the_import_wrote(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, chunk: int
) -> None:
    monkeypatch.setattr(profiles, "REBUILD_CHUNK", chunk)
    store = open_store(tmp_path / "test.db")
    store_articles(store, [to_article(r, hints=False) for r in RECORDS], ImportReport())
    # A sequel joined under its own title ("related-title-names-agree") adds that
    # title as a named work, not as the story's own: the stored reason counts.
    _store(store, SEQUEL_TITLE_TALKS, ORIGINAL_SEQUEL_TALKS)
    reasons = {r for (r,) in store.execute("SELECT reason FROM story_members")}
    assert "related-title-names-agree" in reasons
    # Two stories merged: the profile of one moved to the other.
    first, second = (
        store.live_story(int(s))
        for (s,) in store.execute("SELECT story_id FROM story_members WHERE article_id IN (1, 9)")
    )
    assert first != second
    merge_stories(store, first, second)
    imported = _derived(store.conn)
    assert imported["story_keys"] and imported["article_sketches"]
    members = store.execute("SELECT * FROM story_members ORDER BY article_id").fetchall()
    _mark_stale(store)
    with store.transaction():
        rebuilt = profiles.ensure_profiles(store, DEFAULT_SETTINGS)
    assert rebuilt == len(members)
    assert _derived(store.conn) == imported
    # Decisions are kept as they were: only what was derived is recomputed.
    assert store.execute("SELECT * FROM story_members ORDER BY article_id").fetchall() == members
    assert store.profile_rules() == rules_signature(DEFAULT_SETTINGS)
    store.close()


def test_a_store_from_before_named_works_links_a_sequel_after_the_rebuild(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    store = open_store(tmp_path / "test.db")
    _store(store, SEQUEL_TITLE_TALKS)  # 'Ember Falls', "the sequel to 'Lantern Road'"
    # An older version recorded neither the works an article names nor its rules.
    with store.transaction():
        store.execute("DELETE FROM story_keys WHERE kind = 'named'")
        store.execute("DELETE FROM query_meta WHERE key = 'match_rules'")
    _store(store, ORIGINAL_SEQUEL_TALKS)  # 'Lantern Road' sequel talks
    rows = store.execute(
        "SELECT story_id, reason FROM story_members ORDER BY article_id"
    ).fetchall()
    assert rows[1] == (rows[0][0], "related-title-names-agree")
    assert "rebuilding their profiles" in caplog.text
    store.close()


def test_a_store_with_current_rules_is_not_rebuilt(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = open_store(tmp_path / "test.db")
    _store(store, SEQUEL_TITLE_TALKS)
    assert store.profile_rules() == rules_signature(DEFAULT_SETTINGS)

    def fail(*_: object) -> int:
        raise AssertionError("rebuilt a store whose profiles are current")

    monkeypatch.setattr(profiles, "_rebuild", fail)
    _store(store, ORIGINAL_SEQUEL_TALKS)
    assert store.execute("SELECT count(*) FROM story_members").fetchone()[0] == 2
    store.close()


def test_a_failed_rebuild_keeps_the_old_profiles_and_stops_the_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = open_store(tmp_path / "test.db")
    _store(store, SEQUEL_TITLE_TALKS, ORIGINAL_SEQUEL_TALKS)
    _mark_stale(store)
    before = _derived(store.conn)
    calls = 0
    real = Store.add_story_keys

    def crash_on_second(self: Store, *args: Any, **kwargs: Any) -> None:
        nonlocal calls
        calls += 1
        if calls == 2:
            raise OSError("disk full")
        real(self, *args, **kwargs)

    monkeypatch.setattr(Store, "add_story_keys", crash_on_second)
    # A StoreError, which stops an import or crawl: every batch would fail alike.
    with pytest.raises(StoreError, match="rebuilding the stories' matching profiles failed"):
        _store(store, "A third article\nIt names Jonah Veld and nothing else of note.")
    assert _derived(store.conn) == before
    assert store.profile_rules() == "rules of an older version"
    assert store.newest_article_id() == 2  # the batch went with the rebuild
    monkeypatch.setattr(Store, "add_story_keys", real)
    _store(store, "A third article\nIt names Jonah Veld and nothing else of note.")
    assert store.profile_rules() == rules_signature(DEFAULT_SETTINGS)
    assert store.newest_article_id() == 3
    store.close()


def test_an_article_the_new_rules_cannot_read_is_skipped_not_fatal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    store = open_store(tmp_path / "test.db")
    _store(store, SEQUEL_TITLE_TALKS, ORIGINAL_SEQUEL_TALKS)
    _mark_stale(store)
    real = profiles.match_keys

    def fail_on_first(article: Any, settings: MatchSettings) -> Any:
        if article.url.endswith("/1"):
            raise ValueError("unreadable")
        return real(article, settings)

    monkeypatch.setattr(profiles, "match_keys", fail_on_first)
    with store.transaction():
        assert profiles.ensure_profiles(store, DEFAULT_SETTINGS) == 1
    assert "article 1: its matching keys could not be derived (unreadable)" in caplog.text
    assert store.stories_of([1, 2]) == {1: 1, 2: 1}  # still stored, still in its story
    assert store.execute("SELECT count(*) FROM article_sketches").fetchone()[0] == 1
    store.close()


def test_storing_nothing_checks_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = open_store(tmp_path / "test.db")
    _store(store, SEQUEL_TITLE_TALKS)
    _mark_stale(store)

    def fail(*_: object) -> int:
        raise AssertionError("checked the profiles for an empty batch")

    monkeypatch.setattr("aggregator.pipeline.ensure_profiles", fail)
    store_articles(store, [], ImportReport())  # a crawl of unchanged feeds
    assert store.profile_rules() == "rules of an older version"
    store.close()


def test_the_rebuild_keeps_a_persons_corrections(tmp_path: Path) -> None:
    store = open_store(tmp_path / "test.db")
    _store(store, SEQUEL_TITLE_TALKS, ORIGINAL_SEQUEL_TALKS)
    story = store.live_story(1)
    move_articles(store, [2], None)  # a person says the second one is another story
    moved_to = store.stories_of([2])[2]
    assert moved_to != story
    _mark_stale(store)
    with store.transaction():
        profiles.ensure_profiles(store, DEFAULT_SETTINGS)
    assert store.stories_of([1, 2]) == {1: story, 2: moved_to}
    # Moved in as its own: its title is the new story's work, not a named one.
    own = {
        key
        for (key,) in store.execute(
            "SELECT key FROM story_keys WHERE story_id = ? AND kind = 'work'", (moved_to,)
        )
    }
    assert own == {"lanternroad"}
    assert store.has_corrections()


def test_a_move_leaves_both_stories_profiled_by_the_articles_they_hold(
    tmp_path: Path,
) -> None:
    """Taking a moved article's keys off its old story, recomputed with later
    counts, used to take other articles' words with them."""
    store = open_store(tmp_path / "test.db")
    store_articles(store, [to_article(r, hints=False) for r in RECORDS], ImportReport())
    story = store.stories_of([1])[1]
    members = store.member_ids(story)
    assert len(members) >= 3
    move_articles(store, [members[-1]], None)
    assert store.execute("SELECT count(*) FROM story_keys WHERE weight < 0").fetchone()[0] == 0
    # Every word each remaining article weighs most today is in the story's profile.
    words = {
        key
        for (key,) in store.execute(
            "SELECT key FROM story_keys WHERE story_id = ? AND kind = 'term'", (story,)
        )
    }
    total = store.newest_article_id()
    for article_id in members[:-1]:
        _, features = match_keys(store.load_articles([article_id])[article_id], DEFAULT_SETTINGS)
        counts = store.key_counter().current({"term": set(features.term_counts)})
        df = {key: n for (_, key), n in counts.items()}
        assert set(term_vector(features.term_counts, df, total, DEFAULT_SETTINGS)) <= words
    # Names, titles, years: what a rebuild from the stored articles gives.
    not_terms = (
        "SELECT story_id, kind, key, count FROM story_keys WHERE kind != 'term' ORDER BY 1, 2, 3"
    )
    moved = store.execute(not_terms).fetchall()
    _mark_stale(store)
    with store.transaction():
        profiles.ensure_profiles(store, DEFAULT_SETTINGS)
    assert store.execute(not_terms).fetchall() == moved
    store.close()


def test_the_rules_signature_is_the_same_in_every_process() -> None:
    code = (
        "from aggregator.match import DEFAULT_SETTINGS\n"
        "from aggregator.match.signature import rules_signature\n"
        "print(rules_signature(DEFAULT_SETTINGS))"
    )
    seen = set()
    for seed in ("1", "2"):
        result = subprocess.run(
            [sys.executable, "-c", code],
            env={**os.environ, "PYTHONHASHSEED": seed},
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        seen.add(result.stdout.strip())
    assert seen == {rules_signature(DEFAULT_SETTINGS)}


def test_the_signature_follows_key_rules_not_decision_thresholds() -> None:
    current = rules_signature(DEFAULT_SETTINGS)
    assert rules_signature(replace(DEFAULT_SETTINGS, shingle_words=5)) != current
    assert rules_signature(replace(DEFAULT_SETTINGS, max_name_keys=3)) != current
    assert rules_signature(replace(DEFAULT_SETTINGS, max_feature_chars=600)) != current
    # Thresholds change decisions, not what is stored: no rebuild for them.
    assert rules_signature(replace(DEFAULT_SETTINGS, join_no_work_cosine=0.5)) == current
    assert {f.name for f in fields(MatchSettings)} >= DECISION_SETTINGS


def test_the_signature_sees_a_spelling_table_and_not_the_caches(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    compute = rules_signature.__wrapped__
    current = compute(DEFAULT_SETTINGS)
    # Storing articles fills caches (word hashes, folded words): no change.
    store = open_store(tmp_path / "test.db")
    store_articles(store, [to_article(r, hints=False) for r in RECORDS], ImportReport())
    store.close()
    assert compute(DEFAULT_SETTINGS) == current
    # One spelling of one family name less (no probe contains it): a change.
    surnames = dict(names._KO_SURNAMES)
    surnames.pop(next(iter(surnames)))
    monkeypatch.setattr(names, "_KO_SURNAMES", surnames)
    assert compute(DEFAULT_SETTINGS) != current
