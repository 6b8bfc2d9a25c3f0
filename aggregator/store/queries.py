"""Read-side queries behind ``stories``, ``story``, ``releases``, ``search`` and digests.

Listings fetch one page of stories first (by index) and only then the articles of
those stories, so the cost of ``stories --limit 20`` does not grow with the store.
"""

from __future__ import annotations

import json
import sqlite3
from collections import Counter, defaultdict
from typing import Any
from urllib.parse import urlsplit

from aggregator.errors import QueryError
from aggregator.normalize.names import name_key, title_key
from aggregator.query.search_syntax import parse_query
from aggregator.query.snippet import HIT_END, HIT_START, make_snippet
from aggregator.store.search_index import SearchIndexRepo

ARTICLE_TIME = "coalesce(a.published, a.first_seen)"
DUPLICATE_CHUNK = 500
SOURCE_SUGGESTIONS = 10

__all__ = ["HIT_END", "HIT_START", "QueriesRepo", "StoryFilters", "outlet"]


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


def _release(title: str, works: list[list[dict[str, Any]]]) -> dict[str, Any]:
    """Year and kind of the release a story is about, from its articles' works."""
    key = title_key(title)
    years: Counter[int] = Counter()
    kinds: Counter[str] = Counter()
    for items in works:
        for work in items:
            if title_key(str(work.get("title") or "")) != key:
                continue
            if isinstance(work.get("year"), int):
                years[work["year"]] += 1
            if work.get("kind"):
                kinds[str(work["kind"])] += 1
    return {
        "year": years.most_common(1)[0][0] if years else None,
        "kind": kinds.most_common(1)[0][0] if kinds else None,
    }


def outlet(source: str | None, url: str) -> str:
    """Who published an article: its source name, else its host, else 'local'."""
    return source or urlsplit(url).hostname or "local"


class StoryFilters:
    """``--since/--film/--source/--person`` as SQL conditions on stories or articles.

    Story-level conditions (``story_sql``) select stories; article-level ones
    (``article_sql``) select search hits. Keys are looked up through the
    ``article_keys`` index, names through ``articles_source``.
    """

    def __init__(
        self,
        since: str | None = None,
        film: str | None = None,
        source: str | None = None,
        person: str | None = None,
    ) -> None:
        self.since = since
        self.film_key = self._key(film, title_key, "--film") if film else None
        self.person_key = self._key(person, name_key, "--person") if person else None
        self.source = source

    @staticmethod
    def _key(value: str, fold: Any, option: str) -> str:
        key = str(fold(value))
        if not key:
            raise QueryError(f"{option} {value!r} has no letters or digits to match")
        return key

    def _key_clause(self, story_column: str) -> tuple[list[str], list[Any]]:
        where: list[str] = []
        params: list[Any] = []
        for kind, key in (("work", self.film_key), ("person", self.person_key)):
            if key:
                where.append(
                    f"""{story_column} IN (SELECT sm_k.story_id FROM article_keys ak
                        JOIN story_members sm_k ON sm_k.article_id = ak.article_id
                        WHERE ak.kind = ? AND ak.key = ?)"""
                )
                params.extend([kind, key])
        return where, params

    def story_sql(self, sources: list[str]) -> tuple[list[str], list[Any]]:
        where, params = self._key_clause("s.id")
        if self.since:
            where.append("s.last_seen >= ?")
            params.append(self.since)
        if self.source is not None:
            where.append(
                f"""s.id IN (SELECT sm_s.story_id FROM articles a_s
                    JOIN story_members sm_s ON sm_s.article_id = a_s.id
                    WHERE a_s.source IN ({",".join("?" * len(sources))}))"""
            )
            params.extend(sources)
        return where, params

    def article_sql(self, sources: list[str]) -> tuple[list[str], list[Any]]:
        where, params = self._key_clause("sm.story_id")
        if self.since:
            where.append(f"{ARTICLE_TIME} >= ?")
            params.append(self.since)
        if self.source is not None:
            where.append(f"a.source IN ({','.join('?' * len(sources))})")
            params.extend(sources)
        return where, params


class QueriesRepo(SearchIndexRepo):
    def resolve_source(self, name: str) -> list[str]:
        """Source names as stored for ``name`` (exact, else case-insensitive)."""
        if self.scalar("SELECT 1 FROM articles WHERE source = ? LIMIT 1", (name,)):
            return [name]
        found = [
            r[0]
            for r in self.execute(
                "SELECT DISTINCT source FROM articles WHERE source = ? COLLATE NOCASE", (name,)
            )
        ]
        if found:
            return found
        known = [
            r[0]
            for r in self.execute(
                f"SELECT DISTINCT source FROM articles WHERE source IS NOT NULL "
                f"ORDER BY source LIMIT {SOURCE_SUGGESTIONS + 1}"
            )
        ]
        listed = ", ".join(known[:SOURCE_SUGGESTIONS]) + (
            "…" if len(known) > SOURCE_SUGGESTIONS else ""
        )
        raise QueryError(
            f"no articles from a source named {name!r}; "
            + (
                f"sources with articles: {listed}"
                if known
                else "the store has no named sources yet"
            )
        )

    def _sources_for(self, filters: StoryFilters) -> list[str]:
        return self.resolve_source(filters.source) if filters.source is not None else []

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
        for start in range(0, len(article_ids), DUPLICATE_CHUNK):
            chunk = article_ids[start : start + DUPLICATE_CHUNK]
            for row in self.execute(
                f"""SELECT s.article_id, s.url FROM sightings s
                    JOIN articles a ON a.id = s.article_id
                    WHERE s.article_id IN ({",".join("?" * len(chunk))}) AND s.url != a.url
                      AND s.match != 'alias'
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
            works = [m["works"] for m in members]
            result.append(
                {
                    "id": story["id"],
                    "title": story["title"],
                    **_release(story["title"], works),
                    "films": _names(works, "title"),
                    "people": _names([m["people"] for m in members], "name"),
                    "first_seen": story["first_seen"],
                    "last_seen": story["last_seen"],
                    "article_count": len(members),
                    "outlets": len({outlet(m["source"], m["url"]) for m in members}),
                    "articles": [
                        {
                            "id": m["id"],
                            "url": m["url"],
                            "title": m["title"],
                            "source": m["source"],
                            "published": m["published"],
                            "first_seen": m["first_seen"],
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
        person: str | None = None,
    ) -> list[dict[str, Any]]:
        """Stories with newest activity first; ``limit`` 0 means all."""
        filters = StoryFilters(since=since, film=film, source=source, person=person)
        where, params = filters.story_sql(self._sources_for(filters))
        where.insert(0, "s.merged_into IS NULL")
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

    def list_releases(
        self, since: str | None = None, sort: str = "activity", limit: int = 50
    ) -> list[dict[str, Any]]:
        """Stories that are about a named work, with article and outlet counts."""
        order = {
            "activity": "s.last_seen DESC, s.id DESC",
            "articles": "article_count DESC, s.last_seen DESC",
            "title": "s.title COLLATE NOCASE, s.id",
        }.get(sort)
        if order is None:
            raise QueryError(f"cannot sort releases by {sort!r}; use activity, articles or title")
        where = [
            "s.merged_into IS NULL",
            """EXISTS (SELECT 1 FROM story_members sm_w JOIN article_keys ak
                   ON ak.article_id = sm_w.article_id AND ak.kind = 'work'
                   WHERE sm_w.story_id = s.id)""",
        ]
        params: list[Any] = []
        if since:
            where.append("s.last_seen >= ?")
            params.append(since)
        sql = f"""SELECT s.id, s.title, s.first_seen, s.last_seen,
                     (SELECT count(*) FROM story_members c WHERE c.story_id = s.id) AS article_count
                  FROM stories s WHERE {" AND ".join(where)} ORDER BY {order}"""
        if limit:
            sql += f" LIMIT {int(limit)}"
        rows = self.query(sql, params)
        ids = [r["id"] for r in rows]
        details: dict[int, list[dict[str, Any]]] = defaultdict(list)
        if ids:
            for row in self.query(
                f"""SELECT sm.story_id, a.source, a.url, a.works FROM story_members sm
                    JOIN articles a ON a.id = sm.article_id
                    WHERE sm.story_id IN ({",".join("?" * len(ids))})""",
                ids,
            ):
                details[row["story_id"]].append(row)
        releases = []
        for row in rows:
            members = details[row["id"]]
            works = [json.loads(m["works"]) for m in members]
            releases.append(
                {
                    "story_id": row["id"],
                    "title": row["title"],
                    **_release(row["title"], works),
                    "article_count": row["article_count"],
                    "outlets": len({outlet(m["source"], m["url"]) for m in members}),
                    "first_seen": row["first_seen"],
                    "last_seen": row["last_seen"],
                }
            )
        return releases

    def search(
        self,
        query: str,
        limit: int = 20,
        since: str | None = None,
        film: str | None = None,
        source: str | None = None,
        person: str | None = None,
        all_articles: bool = False,
    ) -> list[dict[str, Any]]:
        """bm25-ranked hits over the folded index, one per story unless ``all_articles``.

        Snippets carry :data:`HIT_START`/:data:`HIT_END` around matched words.
        """
        parsed = parse_query(query)
        filters = StoryFilters(since=since, film=film, source=source, person=person)
        where, params = filters.article_sql(self._sources_for(filters))
        self.ensure_search_index()
        conditions = " AND ".join(where) or "1"
        sql = f"""
            WITH hits AS (
                SELECT rowid AS id, rank FROM articles_folded WHERE articles_folded MATCH ?
            ),
            ranked AS (
                SELECT h.id, h.rank, sm.story_id,
                       row_number() OVER (PARTITION BY coalesce(sm.story_id, -h.id)
                                          ORDER BY h.rank, h.id) AS story_rank,
                       count(*) OVER (PARTITION BY coalesce(sm.story_id, -h.id)) AS story_hits
                FROM hits h JOIN articles a ON a.id = h.id
                LEFT JOIN story_members sm ON sm.article_id = h.id
                WHERE {conditions}
            )
            SELECT r.id, a.url, a.title, a.source, a.published, a.first_seen, r.story_id,
                   s.title AS story_title, r.story_hits, r.rank, a.body
            FROM ranked r JOIN articles a ON a.id = r.id
            LEFT JOIN stories s ON s.id = r.story_id
            {"" if all_articles else "WHERE r.story_rank = 1"}
            ORDER BY r.rank, r.id
            {f"LIMIT {int(limit)}" if limit else ""}"""
        try:
            hits = self.query(sql, [parsed.fts(), *params])
        except sqlite3.OperationalError as exc:
            raise QueryError(
                f"cannot search for {query!r}: {exc}; put phrases in double quotes and "
                "prefixes as word*"
            ) from None
        highlighter = parsed.highlighter()
        for hit in hits:
            hit["snippet"] = make_snippet(hit.pop("body"), highlighter)
            hit["score"] = round(-float(hit.pop("rank")), 4)
        return hits
