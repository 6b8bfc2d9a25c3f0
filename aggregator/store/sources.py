"""Sources: the subscriptions from feeds.yaml and their fetch state."""

from __future__ import annotations

from typing import Any

from aggregator.config import SourceConfig
from aggregator.store.db import Database
from aggregator.timeutil import to_iso, utcnow

SOURCE_FIELDS = (
    "name", "url", "type", "feed_url", "last_status", "last_error", "error_count",
    "last_fetched", "last_ok", "next_fetch",
)


class SourcesRepo(Database):
    def sync_sources(self, sources: tuple[SourceConfig, ...]) -> None:
        """Add sources that are new in feeds.yaml and update changed URLs or types."""
        now = to_iso(utcnow())
        with self.transaction():
            for source in sources:
                self.execute(
                    """INSERT INTO sources (name, url, type, created) VALUES (?, ?, ?, ?)
                       ON CONFLICT(name) DO UPDATE SET
                         feed_url = CASE WHEN sources.url = excluded.url
                                         THEN sources.feed_url ELSE NULL END,
                         url = excluded.url, type = excluded.type""",
                    (source.name, source.url, source.type, now),
                )

    def list_sources(self) -> list[dict[str, Any]]:
        return self.query(f"SELECT {', '.join(SOURCE_FIELDS)} FROM sources ORDER BY name")
