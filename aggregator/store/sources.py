"""Sources: the subscriptions from feeds.yaml and their fetch state."""

from __future__ import annotations

import json
from typing import Any

from aggregator.config import SourceConfig
from aggregator.store.db import Database
from aggregator.timeutil import to_iso, utcnow

SOURCE_FIELDS = (
    "name",
    "url",
    "type",
    "feed_url",
    "last_status",
    "last_http_status",
    "last_error",
    "last_warning",
    "error_count",
    "failing_since",
    "last_fetched",
    "last_ok",
    "next_fetch",
    "removed_at",
)
# Columns the crawler may write; anything else passed in is a programming error.
STATE_COLUMNS = frozenset(
    {
        "feed_url",
        "etag",
        "last_modified",
        "last_status",
        "last_http_status",
        "last_error",
        "last_warning",
        "error_count",
        "failing_since",
        "last_fetched",
        "last_ok",
        "next_fetch",
        "interval_seconds",
        "last_new_at",
        "content_hash",
    }
)


def read_settings(source: SourceConfig) -> str:
    """The settings that change how a source's document is fetched and read, as
    one comparable string (stored in ``sources.read_settings``)."""
    return json.dumps(
        {
            "type": source.type,
            "link_selector": source.link_selector,
            "user_agent": source.user_agent,
        },
        sort_keys=True,
    )


class SourcesRepo(Database):
    def sync_sources(self, sources: tuple[SourceConfig, ...]) -> None:
        """Add sources that are new in feeds.yaml and update changed ones.

        A changed URL forgets what was learned about the old one (discovered feed,
        validators) and makes the source due at once. So does a change to how the
        source is read (type, link_selector, user_agent): the same bytes must be
        parsed again, so the validators (ETag, Last-Modified, content hash) go too.
        A source stored before its settings were recorded keeps its schedule but
        loses its validators once.

        A stored source missing from ``sources`` has been removed from feeds.yaml
        (or renamed): it is marked ``removed_at`` and keeps its row and articles.
        Listing it again revives it as it was: its schedule, back-off and error streak
        are kept (another feeds file used on the same database must not reset them).
        """
        now = to_iso(utcnow())
        with self.transaction():
            for source in sources:
                self.execute(
                    """INSERT INTO sources (name, url, type, read_settings, created)
                       VALUES (?, ?, ?, ?, ?)
                       ON CONFLICT(name) DO UPDATE SET
                         feed_url = CASE WHEN sources.url = excluded.url
                                          AND sources.type = excluded.type
                                         THEN sources.feed_url ELSE NULL END,
                         etag = CASE WHEN sources.url = excluded.url
                                      AND sources.read_settings IS excluded.read_settings
                                     THEN sources.etag ELSE NULL END,
                         last_modified = CASE WHEN sources.url = excluded.url
                                               AND sources.read_settings IS excluded.read_settings
                                              THEN sources.last_modified ELSE NULL END,
                         content_hash = CASE WHEN sources.url = excluded.url
                                              AND sources.read_settings IS excluded.read_settings
                                             THEN sources.content_hash ELSE NULL END,
                         next_fetch = CASE WHEN sources.url = excluded.url
                                            AND (sources.read_settings IS NULL
                                                 OR sources.read_settings = excluded.read_settings)
                                           THEN sources.next_fetch ELSE NULL END,
                         removed_at = NULL,
                         url = excluded.url, type = excluded.type,
                         read_settings = excluded.read_settings""",
                    (source.name, source.url, source.type, read_settings(source), now),
                )
            self.execute(
                """UPDATE sources SET removed_at = ?
                   WHERE removed_at IS NULL
                     AND name NOT IN (SELECT value FROM json_each(?))""",
                (now, json.dumps([source.name for source in sources])),
            )

    def list_sources(self) -> list[dict[str, Any]]:
        """Every source's state, with how many article pages wait for a retry;
        sources removed from feeds.yaml have ``removed_at`` set."""
        return self.query(
            f"""SELECT {", ".join(SOURCE_FIELDS)},
                   (SELECT count(*) FROM pending_pages p WHERE p.source = sources.name)
                   AS pending_pages
                FROM sources ORDER BY name"""
        )

    def source_states(self) -> dict[str, dict[str, Any]]:
        """Every source's full row (validators and schedule included), by name."""
        return {row["name"]: row for row in self.query("SELECT * FROM sources")}

    def update_source_state(self, name: str, values: dict[str, Any]) -> None:
        """Write fetch-state columns; call inside a transaction (the caller's batch)."""
        unknown = set(values) - STATE_COLUMNS
        if unknown:
            raise ValueError(f"not source state columns: {', '.join(sorted(unknown))}")
        if not values:
            return
        assignments = ", ".join(f"{column} = ?" for column in values)
        self.execute(f"UPDATE sources SET {assignments} WHERE name = ?", [*values.values(), name])
