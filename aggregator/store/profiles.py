"""What matching derived from stored articles, and the rules it was derived by.

Story profiles (``story_keys``), key counts (``key_stats``), article keys and
MinHash sketches are all computed from the articles by the feature rules of the
version that stored them. ``query_meta`` records a fingerprint of those rules
(:func:`aggregator.match.signature.rules_signature`) so that a newer version can
tell its profiles are stale and rebuild them (:mod:`aggregator.profiles`).
"""

from __future__ import annotations

from aggregator.store.db import Database

RULES_KEY = "match_rules"


class ProfilesRepo(Database):
    def profile_rules(self) -> str | None:
        """The fingerprint of the rules the stored profiles were built by (None:
        built by a version that did not record one, or nothing stored yet)."""
        value = self.scalar("SELECT value FROM query_meta WHERE key = ?", (RULES_KEY,))
        return None if value is None else str(value)

    def set_profile_rules(self, signature: str) -> None:
        self.execute(
            "INSERT INTO query_meta (key, value) VALUES (?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (RULES_KEY, signature),
        )

    def has_members(self) -> bool:
        return bool(self.scalar("SELECT EXISTS(SELECT 1 FROM story_members)"))

    def clear_profiles(self) -> None:
        """Drop everything matching derived from the articles (inside a transaction:
        the caller writes it all again before committing)."""
        for table in ("story_keys", "key_stats", "article_keys", "article_lsh", "article_sketches"):
            self.execute(f"DELETE FROM {table}")
        self.execute("UPDATE stories SET term_norm2 = 0")

    def members_after(self, article_id: int, limit: int) -> list[tuple[int, int, str]]:
        """(article id, story id, reason) of stored articles after ``article_id``, in
        the order they were stored."""
        return [
            (int(a), int(s), str(r))
            for a, s, r in self.execute(
                """SELECT article_id, story_id, reason FROM story_members
                   WHERE article_id > ? ORDER BY article_id LIMIT ?""",
                (article_id, limit),
            )
        ]

    def remove_article_index(self, article_id: int) -> None:
        """Drop one article's sketch, LSH buckets and keys (to derive them again)."""
        for table in ("article_lsh", "article_sketches", "article_keys"):
            self.execute(f"DELETE FROM {table} WHERE article_id = ?", (article_id,))
