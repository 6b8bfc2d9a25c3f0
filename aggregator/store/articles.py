"""Articles, sightings and the key index used to find candidate stories."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict

from aggregator.models import Article
from aggregator.store.search_index import SearchIndexRepo
from aggregator.timeutil import to_iso


class ArticlesRepo(SearchIndexRepo):
    def find_identity(
        self, url: str, guid: str | None, source: str | None, fingerprint: str | None
    ) -> tuple[int, str] | None:
        """The stored article this input is a copy of, and which identity matched.

        Checked in order of certainty: a GUID from the same source, the URL (as an
        article or as a sighting), then the normalized-text fingerprint.
        """
        if guid:
            found = self.scalar(
                "SELECT id FROM articles WHERE guid = ? AND source IS ?", (guid, source)
            )
            if found is not None:
                return int(found), "same-guid"
        found = self.scalar("SELECT id FROM articles WHERE url = ?", (url,))
        if found is None:
            found = self.scalar("SELECT article_id FROM sightings WHERE url = ? LIMIT 1", (url,))
        if found is not None:
            return int(found), "same-url"
        if fingerprint:
            found = self.scalar(
                "SELECT id FROM articles WHERE fingerprint = ? LIMIT 1", (fingerprint,)
            )
            if found is not None:
                return int(found), "same-text"
        return None

    def insert_article(
        self, article: Article, url: str, fingerprint: str | None, seen_at: str
    ) -> int:
        cursor = self.execute(
            """INSERT INTO articles (url, guid, title, body, published, updated, authors, lang,
                   image, source, fingerprint, works, people, first_seen)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            (
                url,
                article.guid,
                article.title,
                article.body,
                to_iso(article.published),
                to_iso(article.updated),
                json.dumps(list(article.authors), ensure_ascii=False),
                article.lang,
                article.image,
                article.source,
                fingerprint,
                json.dumps([asdict(w) for w in article.works], ensure_ascii=False),
                json.dumps([asdict(p) for p in article.people], ensure_ascii=False),
                seen_at,
            ),
        )
        article_id = int(cursor.lastrowid or 0)
        self.index_for_search(article_id, article)
        self.add_sighting(article_id, url, article.source, seen_at, "original")
        return article_id

    def add_sighting(
        self, article_id: int, url: str, source: str | None, seen_at: str, match: str
    ) -> None:
        self.execute(
            "INSERT INTO sightings (article_id, url, source, seen_at, match) "
            "VALUES (?, ?, ?, ?, ?)",
            (article_id, url, source, seen_at, match),
        )

    def add_keys(self, article_id: int, kind: str, keys: Iterable[str]) -> None:
        self.conn.executemany(
            "INSERT OR IGNORE INTO article_keys (kind, key, article_id) VALUES (?, ?, ?)",
            [(kind, key, article_id) for key in set(keys) if key],
        )

    def article_count(self) -> int:
        return int(self.scalar("SELECT count(*) FROM articles") or 0)
