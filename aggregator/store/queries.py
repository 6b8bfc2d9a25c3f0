"""Read-side queries behind ``stories``, ``story`` and ``search``."""

from __future__ import annotations

import json
import sqlite3
from collections import Counter, defaultdict
from typing import Any
from urllib.parse import urlsplit

from aggregator.errors import QueryError
from aggregator.normalize.names import title_key
from aggregator.store.db import Database

ARTICLE_TIME = "coalesce(a.published, a.first_seen)"
# Private-use characters mark matched words in snippets; no article text contains them
# after cleaning, and they cannot be confused with markup.
HIT_START, HIT_END = "\ue000", "\ue001"


def _names(values: list[list[dict[str, Any]]], field: str) -> list[str]:
    """Distinct names across articles, most frequent first (ties: first seen)."""
    counts: Counter[str] = Counter()
    spelled: dict[str, str] = {}
    for items in values:
        for item in items:
            name = str(item.get(field) or "").strip()
            key = title_key(name)
            if key:
                counts[key] += 1
                spelled.setdefault(key, name)
    return [spelled[key] for key, _ in counts.most_common()]


def outlet(source: str | None, url: str) -> str:
    """Who published an article: its source name, else its host, else 'local'."""
    return source or urlsplit(url).hostname or "local"


class QueriesRepo(Database):
    def _articles_for(self, story_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
        if not story_ids:
            return {}
        marks = ",".join("?" * len(story_ids))
        rows = self.query(
            f"""SELECT sm.story_id, a.id, a.url, a.title, a.source, a.published, a.first_seen,
                       a.works, a.people, sm.reason
                FROM story_members sm JOIN articles a ON a.id = sm.article_id
                WHERE sm.story_id IN ({marks})
                ORDER BY {ARTICLE_TIME}, a.id""",
            story_ids,
        )
        article_ids = [r["id"] for r in rows]
        dups: dict[int, list[str]] = defaultdict(list)
        for start in range(0, len(article_ids), 500):
            chunk = article_ids[start : start + 500]
            for row in self.execute(
                f"""SELECT s.article_id, s.url
                    FROM sightings s JOIN articles a ON a.id = s.article_id
                    WHERE s.article_id IN ({",".join("?" * len(chunk))})
                      AND s.url != a.url AND s.match != 'alias'
                    GROUP BY s.article_id, s.url ORDER BY min(s.id)""",
                chunk,
            ):
                dups[row[0]].append(row[1])
        grouped: dict[int, list[dict[str, Any]]] = defaultdict(list)
        for row in rows:
            row["duplicates"] = dups.get(row["id"], [])
            row["works"] = json.loads(row["works"])
            row["people"] = json.loads(row["people"])
            grouped[row.pop("story_id")].append(row)
        return grouped

    def _story_dicts(self, story_rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        articles = self._articles_for([s["id"] for s in story_rows])
        result = []
        for story in story_rows:
            members = articles.get(story["id"], [])
            result.append(
                {
                    "id": story["id"],
                    "title": story["title"],
                    "films": _names([m["works"] for m in members], "title"),
                    "people": _names([m["people"] for m in members], "name"),
                    "first_seen": story["first_seen"],
                    "last_seen": story["last_seen"],
                    "outlets": len({outlet(m["source"], m["url"]) for m in members}),
                    "articles": [
                        {
                            "id": m["id"],
                            "url": m["url"],
                            "title": m["title"],
                            "source": m["source"],
                            "published": m["published"],
                            "duplicates": m["duplicates"],
                            "reason": m["reason"],
                        }
                        for m in members
                    ],
                }
            )
        return result

    def list_stories(
        self,
        since: str | None = None,
        film: str | None = None,
        source: str | None = None,
        limit: int = 20,
    ) -> list[dict[str, Any]]:
        """Stories with newest activity first; ``limit`` 0 means all."""
        where = ["s.merged_into IS NULL"]
        params: list[Any] = []
        if since:
            where.append("s.last_seen >= ?")
            params.append(since)
        if film:
            key = title_key(film)
            if not key:
                raise QueryError(f"--film {film!r} has no letters or digits to match")
            where.append(
                """s.id IN (SELECT sm.story_id FROM article_keys ak
                   JOIN story_members sm ON sm.article_id = ak.article_id
                   WHERE ak.kind = 'work' AND ak.key = ?)"""
            )
            params.append(key)
        if source:
            where.append(
                """s.id IN (SELECT sm.story_id FROM story_members sm
                   JOIN articles a ON a.id = sm.article_id WHERE a.source = ?)"""
            )
            params.append(source)
        sql = (
            f"SELECT s.* FROM stories s WHERE {' AND '.join(where)} "
            "ORDER BY s.last_seen DESC, s.id DESC"
        )
        if limit:
            sql += f" LIMIT {int(limit)}"
        return self._story_dicts(self.query(sql, params))

    def get_story(self, story_id: int) -> dict[str, Any] | None:
        rows = self.query("SELECT * FROM stories WHERE id = ?", (story_id,))
        if not rows:
            return None
        story = self._story_dicts(rows)[0]
        story["merged_into"] = rows[0]["merged_into"]
        story["decisions"] = self.query(
            """SELECT sm.article_id, a.title, sm.reason, sm.score, sm.signals, sm.decided_at,
                      sm.decided_by
               FROM story_members sm JOIN articles a ON a.id = sm.article_id
               WHERE sm.story_id = ? ORDER BY sm.decided_at, sm.article_id""",
            (story_id,),
        )
        for decision in story["decisions"]:
            decision["signals"] = json.loads(decision["signals"])
        return story

    def search(self, query: str, limit: int = 20) -> list[dict[str, Any]]:
        """bm25-ranked full-text hits; an FTS syntax error becomes a QueryError."""
        if not query.strip():
            raise QueryError("the search query is empty; give one or more words")
        try:
            return self.query(
                f"""SELECT a.id, a.url, a.title, a.source, a.published, sm.story_id,
                          snippet(articles_fts, 1, ?, ?, '…', 12) AS snippet
                   FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid
                   LEFT JOIN story_members sm ON sm.article_id = a.id
                   WHERE articles_fts MATCH ? ORDER BY bm25(articles_fts, 5.0, 1.0)
                   {"LIMIT " + str(int(limit)) if limit else ""}""",
                (HIT_START, HIT_END, query),
            )
        except sqlite3.OperationalError as exc:
            raise QueryError(
                f"cannot search for {query!r}: {exc}; put phrases in double quotes and "
                "avoid stray quotes or operators"
            ) from None
