"""Article pages still to fetch, and filling in articles stored from feed fields.

When an entry's page cannot be fetched, the article is stored from what the feed
said and its page waits here; a later crawl fetches it and completes the article.
"""

from __future__ import annotations

import json
from typing import Any

from aggregator.models import Article
from aggregator.store.db import Database
from aggregator.timeutil import to_iso


class PendingPagesRepo(Database):
    def pending_pages(self, source: str, limit: int) -> list[dict[str, Any]]:
        """Oldest first, so every page gets its turn."""
        return self.query(
            """SELECT url, guid, title, published, attempts FROM pending_pages
               WHERE source = ? ORDER BY id LIMIT ?""",
            (source, limit),
        )

    def pending_count(self, source: str | None = None) -> int:
        if source is None:
            return int(self.scalar("SELECT count(*) FROM pending_pages") or 0)
        return int(self.scalar("SELECT count(*) FROM pending_pages WHERE source = ?", (source,)))

    def queue_page(
        self,
        source: str,
        url: str,
        guid: str | None,
        title: str | None,
        published: str | None,
        error: str,
        tried_at: str,
        tried: bool = True,
    ) -> None:
        """Add a page to retry, or count one more failed attempt for it."""
        self.execute(
            """INSERT INTO pending_pages (source, url, guid, title, published, attempts,
                   last_error, created, last_try) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
               ON CONFLICT(source, url) DO UPDATE SET
                   attempts = attempts + excluded.attempts,
                   last_error = excluded.last_error, last_try = excluded.last_try""",
            (source, url, guid, title, published, int(tried), error, tried_at, tried_at),
        )

    def seen_by_source(self, source: str, url: str, guid: str | None) -> bool:
        """Has ``source`` already delivered this entry (by its GUID or at this URL)?

        Narrower than identity: an article first seen elsewhere is still news for
        this source once, so that its sighting here gets recorded.
        """
        if guid and self.scalar(
            "SELECT 1 FROM articles WHERE guid = ? AND source IS ? LIMIT 1", (guid, source)
        ):
            return True
        return bool(
            self.scalar(
                "SELECT 1 FROM sightings WHERE url = ? AND source IS ? LIMIT 1", (url, source)
            )
        )

    def drop_pending(self, source: str, url: str) -> None:
        self.execute("DELETE FROM pending_pages WHERE source = ? AND url = ?", (source, url))

    def complete_article(
        self,
        article_id: int,
        page: Article,
        fingerprint: str | None,
        alias: str | None,
        seen_at: str,
    ) -> None:
        """Fill an article stored from feed fields with what its page says.

        The page's text replaces the feed's only when longer (a feed summary is
        shorter than the page; a failed extraction is not); missing dates, authors,
        language and image are filled in. ``alias`` (the page's canonical URL) is
        recorded so later copies under that address are recognised.
        """
        row = self.query(
            "SELECT body, published, authors FROM articles WHERE id = ?", (article_id,)
        )
        if not row:
            return
        current = row[0]
        if len(page.body) > len(current["body"] or ""):
            self.execute(
                "UPDATE articles SET body = ?, fingerprint = coalesce(?, fingerprint) WHERE id = ?",
                (page.body, fingerprint, article_id),
            )
        if not current["published"] and page.published is not None:
            self.execute(
                "UPDATE articles SET published = ? WHERE id = ?",
                (to_iso(page.published), article_id),
            )
        if current["authors"] in (None, "", "[]") and page.authors:
            self.execute(
                "UPDATE articles SET authors = ? WHERE id = ?",
                (json.dumps(list(page.authors), ensure_ascii=False), article_id),
            )
        self.execute(
            """UPDATE articles SET lang = coalesce(lang, ?), image = coalesce(image, ?)
               WHERE id = ?""",
            (page.lang, page.image, article_id),
        )
        if alias and not self.scalar(
            "SELECT 1 FROM sightings WHERE url = ? UNION SELECT 1 FROM articles WHERE url = ?",
            (alias, alias),
        ):
            self.execute(
                """INSERT INTO sightings (article_id, url, source, seen_at, match)
                   VALUES (?, ?, ?, ?, 'alias')""",
                (article_id, alias, page.source, seen_at),
            )
