"""Read-side queries behind ``stories``, ``story``, ``releases``, ``search`` and digests.

Listings fetch one page of stories first (by index) and only then the articles of
those stories, so the cost of ``stories --limit 20`` does not grow with the store.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import urlsplit

from aggregator.errors import QueryError, StoreError
from aggregator.normalize.names import name_key, title_key
from aggregator.normalize.search_fold import PERSON_FACET, WORK_FACET, source_facet
from aggregator.query.films import film_keys
from aggregator.query.search_syntax import Highlighter, parse_query
from aggregator.query.snippet import HIT_END, HIT_START, make_snippet
from aggregator.store.db import ARTICLE_TIME
from aggregator.store.search_index import SearchIndexRepo

log = logging.getLogger(__name__)
# Who published an article, in SQL: its source, else the host of its URL (URLs are
# stored canonical: lower-case host, no default port), else 'local' (file:// URLs).
_AFTER_SCHEME = "substr(a.url, instr(a.url, '://') + 3)"
OUTLET_SQL = (
    f"coalesce(a.source, nullif(CASE WHEN instr(a.url, '://') > 0 THEN "
    f"substr({_AFTER_SCHEME}, 1, CASE WHEN instr({_AFTER_SCHEME}, '/') > 0 "
    f"THEN instr({_AFTER_SCHEME}, '/') - 1 ELSE length({_AFTER_SCHEME}) END) END, ''), 'local')"
)
# How many of a story's newest articles its release details (spellings, year,
# kind, people) are read from.
AGGREGATE_SAMPLE = 20
DUPLICATE_CHUNK = 500
# bm25 ranks the newest RANK_SCAN matches of a query: ranking costs a few
# microseconds per match, so on a 100k store a word found in 40% of the articles
# takes ~90 ms to rank in full and ~5 ms capped (bench/query_speed.py); older
# matches follow by date. Filters and one-hit-per-story are applied FILTER_CHUNK hits at a time.
RANK_SCAN = 2000
FILTER_CHUNK = 500
SOURCE_SUGGESTIONS = 10
# Above this many articles, `stories --source` checks each story (newest first)
# instead of collecting the source's stories first (bench/query_speed.py).
SOURCE_SCAN_ARTICLES = 1000

__all__ = ["HIT_END", "HIT_START", "QueriesRepo", "StoryFilters", "outlet"]


def _names(
    values: list[list[dict[str, Any]]], field: str, key_of: Callable[[str], str] = title_key
) -> list[str]:
    """Distinct names across articles, most frequent first (ties: first seen), each
    under its most used spelling. ``key_of`` says which spellings are one name:
    people go through :func:`name_key`, so "Ok-joo", "Ok-ju" and "Okju" are listed once.
    """
    counts: Counter[str] = Counter()
    spellings: dict[str, Counter[str]] = defaultdict(Counter)
    keys: dict[str, str] = {}  # the same names recur in every article of a story
    for items in values:
        for item in items:
            name = str(item.get(field) or "").strip()
            key = keys.get(name)
            if key is None:
                key = keys[name] = key_of(name)
            if key:
                counts[key] += 1
                spellings[key][name] += 1
    return [spellings[key].most_common(1)[0][0] for key, _ in counts.most_common()]


def _release(title: str, works: list[list[dict[str, Any]]]) -> dict[str, Any]:
    """Year and kind of the release a story is about, from its articles' works."""
    key = title_key(title)
    years: Counter[int] = Counter()
    kinds: Counter[str] = Counter()
    same: dict[str, bool] = {}
    for items in works:
        for work in items:
            work_title = str(work.get("title") or "")
            if work_title not in same:
                same[work_title] = title_key(work_title) == key
            if not same[work_title]:
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
    """``--since/--film/--source/--person`` as SQL conditions on stories.

    (Search applies the same filters as facet tokens inside its FTS index.) Keys are
    looked up through the ``article_keys`` index, names through ``articles_source``.
    """

    def __init__(
        self,
        since: str | None = None,
        film: str | None = None,
        source: str | None = None,
        person: str | None = None,
    ) -> None:
        self.since = since
        self.film_keys = film_keys(self._key(film, title_key, "--film"), film) if film else []
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
        people = [self.person_key] if self.person_key else []
        wanted = (("work", self.film_keys), ("person", people))
        for kind, keys in wanted:
            if keys:
                where.append(
                    f"""{story_column} IN (SELECT sm_k.story_id FROM article_keys ak
                        JOIN story_members sm_k ON sm_k.article_id = ak.article_id
                        WHERE ak.kind = ? AND ak.key IN ({",".join("?" * len(keys))}))"""
                )
                params.extend([kind, *keys])
        return where, params

    def story_sql(
        self, sources: list[str], source_articles: int = 0
    ) -> tuple[list[str], list[Any]]:
        """Conditions on stories ``s``. A big source is checked per story while the
        stories are read newest first (a few stories in, LIMIT is met); a small one
        is looked up through its few articles."""
        where, params = self._key_clause("s.id")
        if self.since:
            where.append("s.last_seen >= ?")
            params.append(self.since)
        if self.source is not None:
            marks = ",".join("?" * len(sources))
            if source_articles > SOURCE_SCAN_ARTICLES:
                where.append(
                    f"""EXISTS (SELECT 1 FROM story_members sm_s
                        JOIN articles a_s INDEXED BY articles_meta ON a_s.id = sm_s.article_id
                        WHERE sm_s.story_id = s.id AND a_s.source IN ({marks}))"""
                )
            else:
                where.append(
                    f"""s.id IN (SELECT sm_s.story_id FROM articles a_s
                        JOIN story_members sm_s ON sm_s.article_id = a_s.id
                        WHERE a_s.source IN ({marks}))"""
                )
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

    def _story_counts(self, story_ids: list[int]) -> dict[int, tuple[int, int]]:
        """Per story: (articles, distinct outlets), counted in SQL over all members."""
        marks = ",".join("?" * len(story_ids))
        return {
            row[0]: (row[1], row[2])
            for row in self.execute(
                f"""SELECT sm.story_id, count(*), count(DISTINCT {OUTLET_SQL})
                    FROM story_members sm JOIN articles a ON a.id = sm.article_id
                    WHERE sm.story_id IN ({marks}) GROUP BY sm.story_id""",
                story_ids,
            )
        }

    def _story_samples(self, story_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
        """The newest few articles' works and people per story, for the release
        details (title spellings, year, kind, people): a bounded sample read
        backwards through the (story_id, article_id) index, so a story with
        thousands of articles costs no more than one with twenty."""
        samples: dict[int, list[dict[str, Any]]] = defaultdict(list)
        decoded: dict[str, Any] = {}  # articles of one story mostly carry the same lists

        def load(text: str) -> Any:
            if text not in decoded:
                decoded[text] = json.loads(text)
            return decoded[text]

        for story_id in story_ids:
            for works, people in self.execute(
                """SELECT a.works, a.people FROM story_members sm
                   JOIN articles a ON a.id = sm.article_id
                   WHERE sm.story_id = ? ORDER BY sm.article_id DESC LIMIT ?""",
                (story_id, AGGREGATE_SAMPLE),
            ):
                samples[story_id].append({"works": load(works), "people": load(people)})
        return samples

    def _articles_for(
        self, story_ids: list[int], per_story: int | None = None
    ) -> dict[int, list[dict[str, Any]]]:
        """Member articles per story, oldest first; only the newest ``per_story``
        of each when given (what a terminal listing shows)."""
        if not story_ids:
            return {}
        marks = ",".join("?" * len(story_ids))
        columns = (
            "sm.story_id, a.id, a.url, a.title, a.source, a.published, a.first_seen, sm.reason"
        )
        if per_story is None:
            sql = f"""SELECT {columns} FROM story_members sm JOIN articles a ON a.id = sm.article_id
                      WHERE sm.story_id IN ({marks}) ORDER BY {ARTICLE_TIME}, a.id"""
        else:
            sql = f"""SELECT * FROM (
                        SELECT {columns}, {ARTICLE_TIME} AS at,
                               row_number() OVER (PARTITION BY sm.story_id
                                                  ORDER BY {ARTICLE_TIME} DESC, a.id DESC) AS n
                        FROM story_members sm JOIN articles a ON a.id = sm.article_id
                        WHERE sm.story_id IN ({marks}))
                      WHERE n <= {int(per_story)} ORDER BY at, id"""
        rows = self.query(sql, story_ids)
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
            grouped[row["story_id"]].append(
                {
                    "id": row["id"],
                    "url": row["url"],
                    "title": row["title"],
                    "source": row["source"],
                    "published": row["published"],
                    "first_seen": row["first_seen"],
                    "duplicates": dups.get(row["id"], []),
                    "reason": row["reason"],
                }
            )
        return grouped

    def _story_dicts(
        self, story_rows: list[dict[str, Any]], per_story: int | None = None
    ) -> list[dict[str, Any]]:
        """Stories as the JSON contract has them; ``per_story`` limits the articles
        listed (counts always cover all of them)."""
        ids = [s["id"] for s in story_rows]
        if not ids:
            return []
        articles = self._articles_for(ids, per_story)
        counts = self._story_counts(ids)
        samples = self._story_samples(ids)
        result = []
        for story in story_rows:
            sample = samples.get(story["id"], [])
            works = [m["works"] for m in sample]
            article_count, outlets = counts.get(story["id"], (0, 0))
            result.append(
                {
                    "id": story["id"],
                    "title": story["title"],
                    **_release(story["title"], works),
                    "films": _names(works, "title"),
                    "people": _names([m["people"] for m in sample], "name", name_key),
                    "first_seen": story["first_seen"],
                    "last_seen": story["last_seen"],
                    "article_count": article_count,
                    "outlets": outlets,
                    "articles": articles.get(story["id"], []),
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
        per_story: int | None = None,
    ) -> list[dict[str, Any]]:
        """Stories with newest activity first; ``limit`` 0 means all.

        ``per_story`` lists only the newest N articles of each (None: all of them,
        as the JSON contract has it)."""
        filters = StoryFilters(since=since, film=film, source=source, person=person)
        sources = self._sources_for(filters)
        source_articles = 0
        if sources:
            marks = ",".join("?" * len(sources))
            count_sql = f"SELECT count(*) FROM articles WHERE source IN ({marks})"
            source_articles = int(self.scalar(count_sql, sources) or 0)
        where, params = filters.story_sql(sources, source_articles)
        where.insert(0, "s.merged_into IS NULL")
        sql = (
            f"SELECT s.* FROM stories s WHERE {' AND '.join(where)} "
            "ORDER BY s.last_seen DESC, s.id DESC"
        )
        if limit:
            sql += f" LIMIT {int(limit)}"
        return self._story_dicts(self.query(sql, params), per_story)

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
        if not ids:
            return []
        counts = self._story_counts(ids)
        samples = self._story_samples(ids)
        return [
            {
                "story_id": row["id"],
                "title": row["title"],
                **_release(row["title"], [m["works"] for m in samples.get(row["id"], [])]),
                "article_count": row["article_count"],
                "outlets": counts.get(row["id"], (0, 0))[1],
                "first_seen": row["first_seen"],
                "last_seen": row["last_seen"],
            }
            for row in rows
        ]

    def last_article_id(self) -> int:
        return int(self.scalar("SELECT max(id) FROM articles") or 0)

    def new_articles(
        self, through_id: int, since: str | None = None, after_id: int | None = None
    ) -> list[dict[str, Any]]:
        """Articles stored up to ``through_id`` and either first seen since ``since``
        or stored after ``after_id``, with the story each belongs to.

        Consecutive digests follow article ids rather than clock times: ids only
        grow, so the next digest starts exactly after the last article the previous
        one saw, and nothing stored in the same second is dropped or repeated.
        """
        where = ["a.id <= ?"]
        params: list[Any] = [through_id]
        if after_id is not None:
            where.append("a.id > ?")
            params.append(after_id)
        if since is not None:
            where.append("a.first_seen >= ?")
            params.append(since)
        return self.query(
            f"""SELECT a.id, a.url, a.title, a.body, a.source, a.published, a.first_seen,
                       a.works, sm.story_id
                FROM articles a JOIN story_members sm ON sm.article_id = a.id
                WHERE {" AND ".join(where)}
                ORDER BY a.id""",
            params,
        )

    def story_totals(self, story_ids: list[int]) -> dict[int, dict[str, Any]]:
        """Per story: title, article count and distinct outlets over all its articles,
        and the release's year and kind as `stories` gives them."""
        if not story_ids:
            return {}
        marks = ",".join("?" * len(story_ids))
        counts = self._story_counts(story_ids)
        samples = self._story_samples(story_ids)
        works = {sid: [sample["works"] for sample in samples.get(sid, [])] for sid in story_ids}
        return {
            row["id"]: {
                "title": row["title"],
                "article_count": counts.get(row["id"], (0, 0))[0],
                "outlets": counts.get(row["id"], (0, 0))[1],
                # As `stories` and `releases` give it: from the story's newest articles.
                **_release(row["title"], works.get(row["id"], [])),
            }
            for row in self.query(f"SELECT id, title FROM stories WHERE id IN ({marks})", story_ids)
        }

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
        """Hits over the folded index, best first, one per story unless ``all_articles``.

        ``--source/--film/--person`` are facet tokens in the index, so FTS5 applies
        them before ranking; ``--since`` becomes a rowid range (ids grow with
        first_seen) refined by the article's date. bm25 then ranks the newest
        :data:`RANK_SCAN` matches (ranking costs microseconds per match, so this
        bounds the cost on a big store); older matches follow, newest first, when
        those are not enough. Snippets carry :data:`HIT_START`/:data:`HIT_END`.
        """
        parsed = parse_query(query)
        filters = StoryFilters(since=since, film=film, source=source, person=person)
        expression = f"{{title body extra}} : ({parsed.fts()})"
        facets = self._facet_expression(filters)
        if facets:
            expression += f" AND facets : ({facets})"
        lowest_id = 0
        if filters.since:
            # Through the first_seen index: a range scan, not a walk over every row.
            found = self.scalar(
                "SELECT min(id) FROM articles INDEXED BY articles_first_seen WHERE first_seen >= ?",
                (since,),
            )
            if found is None:
                return []
            lowest_id = int(found)
        try:
            self.ensure_search_index()
        except StoreError as exc:  # a crawl holds the write lock: search what is indexed
            log.warning("search index not refreshed: %s", exc)
        chosen: list[int] = []
        scores: dict[int, float | None] = {}
        stories: dict[int, int | None] = {}
        story_hits: Counter[int] = Counter()
        for batch in self._matches(expression, query, lowest_id):
            for article_id, story_id in self._story_ids(list(batch), filters.since):
                group = story_id if story_id is not None else -article_id
                story_hits[group] += 1
                stories[article_id] = story_id
                if all_articles or story_hits[group] == 1:
                    chosen.append(article_id)
                    scores[article_id] = batch[article_id]
            # Batches come best first, so once a batch fills the page the rest
            # cannot outrank it; the page's story counts cover the batches read.
            if limit and len(chosen) >= limit:
                break
        if limit:
            chosen = chosen[:limit]
        return self._hits(chosen, scores, stories, story_hits, parsed.highlighter())

    def _facet_expression(self, filters: StoryFilters) -> str:
        """The FTS5 condition on the facets column for --source/--film/--person."""
        parts: list[str] = []
        if filters.source is not None:
            names = [source_facet(n) for n in self._sources_for(filters)]
            parts.append("(" + " OR ".join(f'"{n}"' for n in names if n) + ")")
        if filters.film_keys:
            parts.append("(" + " OR ".join(f'"{WORK_FACET}{k}"' for k in filters.film_keys) + ")")
        if filters.person_key:
            parts.append(f'"{PERSON_FACET}{filters.person_key}"')
        return " AND ".join(parts)

    def _matches(
        self, expression: str, query: str, lowest_id: int
    ) -> Iterator[dict[int, float | None]]:
        """Matching article ids in the order hits are taken, in batches: the newest
        RANK_SCAN matches by bm25 (score: higher is better), then older ones by date
        (score None)."""
        try:
            threshold = self.scalar(
                "SELECT rowid FROM articles_folded WHERE articles_folded MATCH ? "
                "AND rowid >= ? ORDER BY rowid DESC LIMIT 1 OFFSET ?",
                (expression, lowest_id, RANK_SCAN - 1),
            )
            ranked = self.execute(
                "SELECT rowid, rank FROM articles_folded WHERE articles_folded MATCH ? "
                "AND rowid >= ? ORDER BY rank",
                (expression, threshold or lowest_id),
            ).fetchall()
        except sqlite3.OperationalError as exc:
            raise QueryError(
                f"cannot search for {query!r}: {exc}; put phrases in double quotes and "
                "prefixes as word*"
            ) from None
        for start in range(0, len(ranked), FILTER_CHUNK):
            yield {int(r[0]): -float(r[1]) for r in ranked[start : start + FILTER_CHUNK]}
        if threshold is None:
            return
        cursor = self.execute(
            "SELECT rowid FROM articles_folded WHERE articles_folded MATCH ? "
            "AND rowid >= ? AND rowid < ? ORDER BY rowid DESC",
            (expression, lowest_id, threshold),
        )
        while rows := cursor.fetchmany(FILTER_CHUNK * 4):
            yield {int(r[0]): None for r in rows}

    def _story_ids(self, article_ids: list[int], since: str | None) -> list[tuple[int, int | None]]:
        """(article id, story id) in the order given, dropping articles dated before
        ``since`` (the rowid range only bounds first_seen)."""
        time_check = f"AND {ARTICLE_TIME} >= ?" if since else ""
        found = dict(
            self.execute(
                f"""SELECT a.id, sm.story_id FROM articles a INDEXED BY articles_meta
                    LEFT JOIN story_members sm ON sm.article_id = a.id
                    WHERE a.id IN (SELECT value FROM json_each(?)) {time_check}""",
                [json.dumps(article_ids), *([since] if since else [])],
            ).fetchall()
        )
        return [(i, found[i]) for i in article_ids if i in found]

    def _hits(
        self,
        chosen: list[int],
        scores: dict[int, float | None],
        stories: dict[int, int | None],
        story_hits: Counter[int],
        highlighter: Highlighter,
    ) -> list[dict[str, Any]]:
        if not chosen:
            return []
        rows = {
            row["id"]: row
            for row in self.query(
                """SELECT a.id, a.url, a.title, a.source, a.published, a.first_seen,
                          s.title AS story_title, a.body
                   FROM articles a LEFT JOIN story_members sm ON sm.article_id = a.id
                   LEFT JOIN stories s ON s.id = sm.story_id
                   WHERE a.id IN (SELECT value FROM json_each(?))""",
                [json.dumps(chosen)],
            )
        }
        hits = []
        for article_id in chosen:
            row = rows[article_id]
            story_id = stories[article_id]
            hits.append(
                {
                    "id": article_id,
                    "url": row["url"],
                    "title": row["title"],
                    "source": row["source"],
                    "published": row["published"],
                    "first_seen": row["first_seen"],
                    "story_id": story_id,
                    "story_title": row["story_title"],
                    "story_hits": story_hits[story_id if story_id is not None else -article_id],
                    "score": None
                    if scores[article_id] is None
                    else round(scores[article_id] or 0, 4),
                    "snippet": make_snippet(row["body"], highlighter),
                }
            )
        return hits
