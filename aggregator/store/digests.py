"""What digests read (new articles in a window) and remember (per target, until when)."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from aggregator.store.db import Database
from aggregator.store.queries import outlet


class DigestRepo(Database):
    def new_articles(self, since: str, until: str) -> list[dict[str, Any]]:
        """Articles first seen in ``[since, until)``, with the story each belongs to.

        The window is half-open so consecutive digests (the next one starts where
        the last ended) neither drop nor repeat an article.
        """
        return self.query(
            """SELECT a.id, a.url, a.title, a.body, a.source, a.published, a.first_seen,
                      a.works, sm.story_id
               FROM articles a JOIN story_members sm ON sm.article_id = a.id
               WHERE a.first_seen >= ? AND a.first_seen < ?
               ORDER BY a.first_seen, a.id""",
            (since, until),
        )

    def story_totals(self, story_ids: list[int]) -> dict[int, dict[str, Any]]:
        """Per story: title, article count and distinct outlets over all its articles."""
        if not story_ids:
            return {}
        marks = ",".join("?" * len(story_ids))
        totals: dict[int, dict[str, Any]] = {}
        for row in self.query(f"SELECT id, title FROM stories WHERE id IN ({marks})", story_ids):
            totals[row["id"]] = {"title": row["title"], "article_count": 0, "outlets": 0}
        outlets: dict[int, set[str]] = defaultdict(set)
        for story_id, source, url in self.execute(
            f"""SELECT sm.story_id, a.source, a.url FROM story_members sm
                JOIN articles a ON a.id = sm.article_id WHERE sm.story_id IN ({marks})""",
            story_ids,
        ):
            outlets[story_id].add(outlet(source, url))
            if story_id in totals:
                totals[story_id]["article_count"] += 1
        for story_id, names in outlets.items():
            if story_id in totals:
                totals[story_id]["outlets"] = len(names)
        return totals

    def digest_state(self, target: str) -> dict[str, Any] | None:
        rows = self.query("SELECT * FROM digest_state WHERE target = ?", (target,))
        return rows[0] if rows else None

    def save_digest_state(
        self, target: str, fmt: str, since: str, until: str, written_at: str
    ) -> None:
        with self.transaction():
            self.execute(
                """INSERT INTO digest_state (target, format, since, until, written_at)
                   VALUES (?, ?, ?, ?, ?)
                   ON CONFLICT(target) DO UPDATE SET format = excluded.format,
                     since = excluded.since, until = excluded.until,
                     written_at = excluded.written_at""",
                (target, fmt, since, until, written_at),
            )
