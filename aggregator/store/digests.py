"""What digests remember: per target (a file, or a directory and format), until when.

What they read (new articles in a window) is in :mod:`aggregator.store.queries`.
"""

from __future__ import annotations

from typing import Any

from aggregator.store.db import Database


class DigestRepo(Database):
    def digest_state(self, target: str) -> dict[str, Any] | None:
        rows = self.query("SELECT * FROM digest_state WHERE target = ?", (target,))
        return rows[0] if rows else None

    def save_digest_state(
        self, target: str, fmt: str, since: str, until: str, last_article_id: int, written_at: str
    ) -> None:
        """Remember that ``target`` now covers everything up to ``last_article_id``."""
        with self.transaction():
            self.execute(
                """INSERT INTO digest_state
                       (target, format, since, until, last_article_id, written_at)
                   VALUES (?, ?, ?, ?, ?, ?)
                   ON CONFLICT(target) DO UPDATE SET format = excluded.format,
                     since = excluded.since, until = excluded.until,
                     last_article_id = excluded.last_article_id,
                     written_at = excluded.written_at""",
                (target, fmt, since, until, last_article_id, written_at),
            )
