"""Stories and membership: which article belongs to which story, and why.

Each story keeps a profile in ``story_keys``: every key its articles carry (release
titles, folded names, years, platforms) with how many articles carry it. New
articles find candidate stories through the (kind, key) index of that table, so a
lookup reads only the stories that share a key, never the whole store. Merges,
moves and a person's corrections are recorded in ``story_events``; blocks in
``story_blocks`` / ``article_blocks`` keep later matching from undoing them.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from aggregator.errors import QueryError
from aggregator.models import Decision, StoryCandidate
from aggregator.store.db import ARTICLE_TIME, Database

MAX_CANDIDATES = 50
# Kinds whose postings are read to find candidates, and kinds read as a story's profile.
RETRIEVAL_KINDS = ("work", "base", "person", "name", "word", "term")
PROFILE_KINDS = ("work", "base", "year", "myear", "platform", "ordinal")
PEOPLE_KINDS = ("person", "name")
# Enough to tell "a few people" from "none": counting stops here.
PEOPLE_COUNT_CAP = 10


@dataclass
class _StoryInfo:
    """What candidate lookup reads about a story besides the shared keys."""

    story_id: int
    title: str
    size: int
    norm2: float  # squared length of the TF-IDF centroid
    live: bool  # not merged into another story
    profile: defaultdict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    n_people: int | None = None  # read when first needed


class StoriesRepo(Database):
    # Stories read for candidates, while a batch caches them (see caching_stories).
    _story_cache: dict[int, _StoryInfo] | None = None

    def create_story(self, title: str, activity: str, seen_at: str) -> int:
        cursor = self.execute(
            "INSERT INTO stories (title, created, first_seen, last_seen) VALUES (?, ?, ?, ?)",
            (title, seen_at, activity, activity),
        )
        return int(cursor.lastrowid or 0)

    def add_member(
        self,
        article_id: int,
        story_id: int,
        decision: Decision,
        activity: str,
        seen_at: str,
        decided_by: str = "matcher",
        keys: Mapping[str, Iterable[str]] | None = None,
        terms: Mapping[str, float] | None = None,
        new_story: bool = False,
    ) -> None:
        self.execute(
            """INSERT INTO story_members (article_id, story_id, reason, score, signals,
                   decided_at, decided_by) VALUES (?, ?, ?, ?, ?, ?, ?)""",
            (
                article_id,
                story_id,
                decision.reason,
                decision.score,
                json.dumps(decision.signals, ensure_ascii=False, default=str),
                seen_at,
                decided_by,
            ),
        )
        self._forget_story(story_id)
        terms = terms or {}
        # One update for the span, the size and the centroid's squared length.
        self.execute(
            """UPDATE stories SET first_seen = min(first_seen, ?), last_seen = max(last_seen, ?),
                   size = size + 1, term_norm2 = term_norm2 + ? WHERE id = ?""",
            (activity, activity, self._norm2_growth(story_id, terms, new_story), story_id),
        )
        self._upsert_story_keys(story_id, keys or {}, terms)

    def _term_dot(self, story_id: int, terms: Mapping[str, float]) -> float:
        """Dot product of a story's TF-IDF centroid with a term vector."""
        if not terms:
            return 0.0
        names = list(terms)
        rows = self.execute(
            f"""SELECT key, weight FROM story_keys WHERE story_id = ? AND kind = 'term'
                AND key IN ({",".join("?" * len(names))})""",
            [story_id, *names],
        )
        return sum(float(weight) * terms[key] for key, weight in rows)

    def _norm2_growth(self, story_id: int, terms: Mapping[str, float], new_story: bool) -> float:
        """How much adding a term vector grows the centroid's squared length:
        |c + v|^2 - |c|^2 = 2 c.v + |v|^2."""
        if not terms:
            return 0.0
        dot = 0.0 if new_story else self._term_dot(story_id, terms)
        square = sum(w * w for w in terms.values())
        return 2 * dot + square

    def add_story_keys(
        self,
        story_id: int,
        keys: Mapping[str, Iterable[str]],
        terms: Mapping[str, float],
        new_story: bool = False,
    ) -> None:
        """Add one article's keys and term vector to a story's profile (and its norm)."""
        self._forget_story(story_id)
        if terms:
            self.execute(
                "UPDATE stories SET term_norm2 = term_norm2 + ? WHERE id = ?",
                (self._norm2_growth(story_id, terms, new_story), story_id),
            )
        self._upsert_story_keys(story_id, keys, terms)

    def _upsert_story_keys(
        self, story_id: int, keys: Mapping[str, Iterable[str]], terms: Mapping[str, float]
    ) -> None:
        rows = [
            (story_id, kind, key, 0.0) for kind, values in keys.items() for key in values if key
        ]
        rows.extend((story_id, "term", key, weight) for key, weight in terms.items())
        self.conn.executemany(
            """INSERT INTO story_keys (story_id, kind, key, count, weight) VALUES (?, ?, ?, 1, ?)
               ON CONFLICT(story_id, kind, key) DO UPDATE SET count = count + 1,
                   weight = weight + excluded.weight""",
            rows,
        )

    def clear_story_profile(self, story_id: int) -> None:
        """Drop a story's profile and centroid (to sum it again from its articles)."""
        self._forget_story(story_id)
        self.execute("DELETE FROM story_keys WHERE story_id = ?", (story_id,))
        self.execute("UPDATE stories SET term_norm2 = 0 WHERE id = ?", (story_id,))

    # --- candidates ---------------------------------------------------------------
    def story_candidates(
        self,
        keys: Mapping[str, Iterable[str]],
        text_similarity: Mapping[int, float] | None = None,
        limit: int = MAX_CANDIDATES,
        complete: Mapping[str, Iterable[str]] | None = None,
        complete_top: int = 0,
        needs_text: Callable[[frozenset[str], frozenset[str], frozenset[str], int], bool]
        | None = None,
        has_corrections: bool | None = None,
        named: Iterable[str] = (),
        count_people: bool = True,
    ) -> list[StoryCandidate]:
        """Live stories sharing a key with the article (or similar text), with profiles.

        ``keys`` find the stories (rare keys: each has few postings, so the lookup
        stays cheap however large the store grows); stories sharing a title come
        first, then those sharing the most. For the best ``complete_top`` of them the
        shared rows of the ``complete`` keys are read as well, by story id: common
        words for stories compared by text (``needs_text``, given a story's work,
        base and named-work keys and how many people it shares so far, says which),
        common names for stories sharing the title.
        ``has_corrections``: whether any block exists, when the caller knows already
        (see :meth:`has_corrections`). ``named``: the article's own release keys;
        each candidate reports which of them its articles named in passing (only
        these are read: a story may name many works). ``count_people``: whether the
        candidates' number of people is needed (for articles with a title).
        """
        similar = dict(text_similarity or {})
        clauses: list[str] = []
        params: list[str] = []
        for kind, values in keys.items():
            wanted = sorted({v for v in values if v})
            if kind in RETRIEVAL_KINDS and wanted:
                clauses.append(f"(kind = ? AND key IN ({','.join('?' * len(wanted))}))")
                params.extend([kind, *wanted])
        shared: dict[int, list[tuple[str, str, int, float]]] = defaultdict(list)
        titled: dict[int, int] = defaultdict(int)
        overlap: dict[int, float] = defaultdict(float)
        if clauses:
            for story_id, kind, key, count, weight in self.execute(
                f"""SELECT story_id, kind, key, count, weight FROM story_keys
                    WHERE {" OR ".join(clauses)}""",
                params,
            ):
                shared[story_id].append((kind, key, count, weight))
                if kind == "work" or kind == "base":
                    titled[story_id] += 1
                overlap[story_id] += weight if kind == "term" else 1.0
        for story_id in similar:
            shared.setdefault(story_id, [])
        if not shared:
            return []

        def rank(story_id: int) -> tuple[int, float, float, int]:
            return (titled[story_id], overlap[story_id], similar.get(story_id, 0.0), story_id)

        story_ids = sorted(shared, key=rank, reverse=True)[:limit]
        marks = ",".join("?" * len(story_ids))
        infos = self._story_infos(story_ids)
        stories = {sid: (i.title, i.size, i.norm2) for sid, i in infos.items() if i.live}
        profile = {sid: infos[sid].profile for sid in story_ids}
        named_by: dict[int, set[str]] = defaultdict(set)
        wanted_named = sorted(set(named))
        if wanted_named:
            for story_id, key in self.execute(
                f"""SELECT story_id, key FROM story_keys WHERE story_id IN ({marks})
                    AND kind = 'named' AND key IN ({",".join("?" * len(wanted_named))})""",
                [*story_ids, *wanted_named],
            ):
                named_by[int(story_id)].add(str(key))
        wants_text = [
            sid
            for sid in story_ids
            if needs_text is None
            or needs_text(
                frozenset(profile[sid]["work"]),
                frozenset(profile[sid]["base"]),
                frozenset(named_by[sid]),
                len({key for kind, key, *_ in shared[sid] if kind in PEOPLE_KINDS}),
            )
        ]
        titled_top = [sid for sid in story_ids if titled[sid]][:complete_top]
        for kind, values in (complete or {}).items():
            # Text similarity matters for stories compared by text; shared people for
            # stories that share the title (a title with other people is another release).
            top = wants_text[:complete_top] if kind == "term" else titled_top
            wanted = sorted({v for v in values if v})
            if not top or not wanted:
                continue
            for story_id, key, count, weight in self.execute(
                f"""SELECT story_id, key, count, weight FROM story_keys
                    WHERE story_id IN ({",".join("?" * len(top))}) AND kind = ?
                    AND key IN ({",".join("?" * len(wanted))})""",
                [*top, kind, *wanted],
            ):
                shared[int(story_id)].append((kind, key, int(count), float(weight)))
        blocked_stories: dict[int, set[int]] = defaultdict(set)
        blocked_articles: dict[int, set[int]] = defaultdict(set)
        if has_corrections is None:
            has_corrections = self.has_corrections()
        if has_corrections:
            for a, b in self.execute(
                f"""SELECT story_id, other_story_id FROM story_blocks
                    WHERE story_id IN ({marks}) OR other_story_id IN ({marks})""",
                [*story_ids, *story_ids],
            ):
                blocked_stories[int(a)].add(int(b))
                blocked_stories[int(b)].add(int(a))
            for article_id, story_id in self.execute(
                f"SELECT article_id, story_id FROM article_blocks WHERE story_id IN ({marks})",
                story_ids,
            ):
                blocked_articles[int(story_id)].add(int(article_id))
        candidates = []
        for story_id in story_ids:
            if story_id not in stories:
                continue
            title, size, norm2 = stories[story_id]
            keys_of = profile[story_id]
            # How many people it names matters under a title: shared, related or other.
            has_title = count_people and bool(keys_of["work"])
            candidates.append(
                StoryCandidate(
                    story_id=story_id,
                    title=title,
                    work_keys=frozenset(keys_of["work"]),
                    base_keys=frozenset(keys_of["base"]),
                    person_keys=frozenset(
                        k for kind, k, _, _ in shared[story_id] if kind == "person"
                    ),
                    years=frozenset(int(y) for y in keys_of["year"] if y.isdigit()),
                    mentioned_years=frozenset(int(y) for y in keys_of["myear"] if y.isdigit()),
                    platforms=frozenset(keys_of["platform"]),
                    ordinals=frozenset(keys_of["ordinal"]),
                    named_works=frozenset(named_by[story_id]),
                    size=size,
                    n_people=self._cached_people_count(infos[story_id]) if has_title else 0,
                    shared=tuple(shared[story_id]),
                    term_norm=norm2**0.5 if norm2 > 0 else 0.0,
                    text_similarity=similar.get(story_id, 0.0),
                    blocked_article_ids=frozenset(blocked_articles[story_id]),
                    blocked_story_ids=frozenset(blocked_stories[story_id]),
                )
            )
        return candidates

    def _story_infos(self, story_ids: list[int]) -> dict[int, _StoryInfo]:
        """Title, size, centroid norm and profile of stories, from the batch cache
        when it is on (see :meth:`caching_stories`)."""
        cache = self._story_cache if self._story_cache is not None else {}
        missing = [sid for sid in story_ids if sid not in cache]
        if missing:
            marks = ",".join("?" * len(missing))
            found: dict[int, _StoryInfo] = {}
            for row in self.execute(
                f"""SELECT id, title, size, term_norm2, merged_into IS NULL FROM stories
                    WHERE id IN ({marks})""",
                missing,
            ):
                found[int(row[0])] = _StoryInfo(
                    story_id=int(row[0]),
                    title=str(row[1]),
                    size=int(row[2] or 0),
                    norm2=float(row[3] or 0.0),
                    live=bool(row[4]),
                )
            for story_id, kind, key in self.execute(
                f"""SELECT story_id, kind, key FROM story_keys WHERE story_id IN ({marks})
                    AND kind IN ({",".join("?" * len(PROFILE_KINDS))})""",
                [*missing, *PROFILE_KINDS],
            ):
                info = found.get(int(story_id))
                if info is not None:
                    info.profile[kind].add(key)
            for sid in missing:
                cache[sid] = found.get(sid) or _StoryInfo(sid, "", 0, 0.0, live=False)
        return {sid: cache[sid] for sid in story_ids}

    def _cached_people_count(self, info: _StoryInfo) -> int:
        if info.n_people is None:
            info.n_people = self._people_count(info.story_id)
        return info.n_people

    @contextmanager
    def caching_stories(self) -> Iterator[None]:
        """Keep the stories read for candidates in memory for a batch of articles.

        Within a batch (one transaction, holding the write lock) consecutive
        articles are compared with many of the same stories; each write to a
        story below drops it from the cache, so what is read is always current.
        """
        self._story_cache = {}
        try:
            yield
        finally:
            self._story_cache = None

    def _forget_story(self, *story_ids: int) -> None:
        if self._story_cache is not None:
            for story_id in story_ids:
                self._story_cache.pop(story_id, None)

    def has_corrections(self) -> bool:
        """Whether any block exists: usually none, and then two lookups per article are saved."""
        return bool(
            self.scalar(
                "SELECT EXISTS(SELECT 1 FROM story_blocks) OR EXISTS(SELECT 1 FROM article_blocks)"
            )
        )

    def _people_count(self, story_id: int) -> int:
        return int(
            self.scalar(
                f"""SELECT count(*) FROM (SELECT 1 FROM story_keys WHERE story_id = ?
                    AND kind IN ('person', 'name') LIMIT {PEOPLE_COUNT_CAP})""",
                (story_id,),
            )
            or 0
        )

    def stories_of(self, article_ids: Iterable[int]) -> dict[int, int]:
        ids = list(article_ids)
        if not ids:
            return {}
        return {
            int(a): int(s)
            for a, s in self.execute(
                "SELECT article_id, story_id FROM story_members "
                f"WHERE article_id IN ({','.join('?' * len(ids))})",
                ids,
            )
        }

    # --- merges, moves and corrections ------------------------------------------------
    def live_story(self, story_id: int) -> int:
        """The story a (possibly merged) story id now lives in; QueryError if unknown."""
        seen: set[int] = set()
        current = story_id
        while True:
            row = self.execute(
                "SELECT merged_into FROM stories WHERE id = ?", (current,)
            ).fetchone()
            if row is None:
                raise QueryError(f"no story {story_id}; 'aggregator stories' lists the ids")
            if row[0] is None or current in seen:
                return current
            seen.add(current)
            current = int(row[0])

    def merge_block(self, target: int, other: int) -> str | None:
        """Why two stories may not be merged automatically (a person's correction), or None."""
        low, high = sorted((target, other))
        if self.scalar(
            "SELECT 1 FROM story_blocks WHERE story_id = ? AND other_story_id = ?", (low, high)
        ):
            return f"a person kept stories {low} and {high} apart"
        row = self.execute(
            """SELECT ab.article_id, ab.story_id FROM article_blocks ab
               JOIN story_members sm ON sm.article_id = ab.article_id
               WHERE (ab.story_id = ? AND sm.story_id = ?) OR (ab.story_id = ? AND sm.story_id = ?)
               LIMIT 1""",
            (target, other, other, target),
        ).fetchone()
        if row:
            return f"a person moved article {row[0]} out of story {row[1]}"
        return None

    def merge_stories(
        self, target: int, other: int, decided_by: str, at: str, details: dict[str, Any]
    ) -> None:
        """Fold ``other`` into ``target``: members, profile and blocks move over."""
        if target == other:
            return
        self._forget_story(target, other)
        self.execute("UPDATE story_members SET story_id = ? WHERE story_id = ?", (target, other))
        # |a + b|^2 = |a|^2 + |b|^2 + 2 a.b for the two TF-IDF centroids.
        dot = float(
            self.scalar(
                """SELECT coalesce(sum(a.weight * b.weight), 0) FROM story_keys a
                   JOIN story_keys b ON b.story_id = ? AND b.kind = a.kind AND b.key = a.key
                   WHERE a.story_id = ? AND a.kind = 'term'""",
                (other, target),
            )
            or 0.0
        )
        self.execute(
            """UPDATE stories SET term_norm2 = term_norm2 + ? +
                   (SELECT term_norm2 FROM stories WHERE id = ?) WHERE id = ?""",
            (2 * dot, other, target),
        )
        self.execute(
            """INSERT INTO story_keys (story_id, kind, key, count, weight)
               SELECT ?, kind, key, count, weight FROM story_keys WHERE story_id = ? AND true
               ON CONFLICT(story_id, kind, key) DO UPDATE SET
                   count = story_keys.count + excluded.count,
                   weight = story_keys.weight + excluded.weight""",
            (target, other),
        )
        self.execute("DELETE FROM story_keys WHERE story_id = ?", (other,))
        self.execute(
            """UPDATE stories SET
                 size = size + (SELECT size FROM stories WHERE id = ?),
                 first_seen = min(first_seen, (SELECT first_seen FROM stories WHERE id = ?)),
                 last_seen = max(last_seen, (SELECT last_seen FROM stories WHERE id = ?))
               WHERE id = ?""",
            (other, other, other, target),
        )
        # Its profile moved over: a merged story has none left, nor a centroid.
        self.execute(
            "UPDATE stories SET merged_into = ?, size = 0, term_norm2 = 0 WHERE id = ?",
            (target, other),
        )
        # Corrections about the old story now hold for the story it lives on in.
        self.execute(
            "UPDATE OR IGNORE article_blocks SET story_id = ? WHERE story_id = ?", (target, other)
        )
        self.execute("DELETE FROM article_blocks WHERE story_id = ?", (other,))
        for a, b in self.execute(
            """SELECT story_id, other_story_id FROM story_blocks
               WHERE story_id = ? OR other_story_id = ?""",
            (other, other),
        ).fetchall():
            peer = b if a == other else a
            if peer != target:
                self.block_stories(target, peer, decided_by, at)
        self.execute(
            "DELETE FROM story_blocks WHERE story_id = ? OR other_story_id = ?", (other, other)
        )
        self.record_event("merge", target, decided_by, at, details, other_story_id=other)

    def block_stories(self, a: int, b: int, decided_by: str, at: str) -> None:
        low, high = sorted((a, b))
        self.execute(
            """INSERT OR IGNORE INTO story_blocks (story_id, other_story_id, created, decided_by)
               VALUES (?, ?, ?, ?)""",
            (low, high, at, decided_by),
        )

    def unblock_stories(self, a: int, b: int) -> None:
        low, high = sorted((a, b))
        self.execute(
            "DELETE FROM story_blocks WHERE story_id = ? AND other_story_id = ?", (low, high)
        )

    def block_article(self, article_id: int, story_id: int, decided_by: str, at: str) -> None:
        self.execute(
            """INSERT OR IGNORE INTO article_blocks (article_id, story_id, created, decided_by)
               VALUES (?, ?, ?, ?)""",
            (article_id, story_id, at, decided_by),
        )

    def unblock_article(self, article_id: int, story_id: int) -> None:
        self.execute(
            "DELETE FROM article_blocks WHERE article_id = ? AND story_id = ?",
            (article_id, story_id),
        )

    def move_member(
        self, article_id: int, to_story: int, decision: Decision, decided_by: str, at: str
    ) -> None:
        """Re-home one article; the caller adjusts both stories' key profiles."""
        self._forget_story(to_story)
        self.execute(
            """UPDATE story_members SET story_id = ?, reason = ?, score = ?, signals = ?,
                   decided_at = ?, decided_by = ? WHERE article_id = ?""",
            (
                to_story,
                decision.reason,
                decision.score,
                json.dumps(decision.signals, ensure_ascii=False, default=str),
                at,
                decided_by,
                article_id,
            ),
        )

    def refresh_story(self, story_id: int) -> None:
        """Recount a story's size and activity span from its members."""
        self._forget_story(story_id)
        self.execute(
            f"""UPDATE stories SET
                 size = (SELECT count(*) FROM story_members WHERE story_id = stories.id),
                 first_seen = coalesce((SELECT min({ARTICLE_TIME})
                     FROM story_members sm JOIN articles a ON a.id = sm.article_id
                     WHERE sm.story_id = stories.id), first_seen),
                 last_seen = coalesce((SELECT max({ARTICLE_TIME})
                     FROM story_members sm JOIN articles a ON a.id = sm.article_id
                     WHERE sm.story_id = stories.id), last_seen)
               WHERE id = ?""",
            (story_id,),
        )

    def story_title(self, story_id: int) -> str:
        return str(self.scalar("SELECT title FROM stories WHERE id = ?", (story_id,)) or "")

    def member_reasons(self, article_ids: list[int]) -> dict[int, str]:
        """Why each article is in its story (the decision's reason)."""
        if not article_ids:
            return {}
        marks = ",".join("?" * len(article_ids))
        return {
            int(article_id): str(reason)
            for article_id, reason in self.execute(
                f"SELECT article_id, reason FROM story_members WHERE article_id IN ({marks})",
                article_ids,
            )
        }

    def member_ids(self, story_id: int) -> list[int]:
        return [
            int(r[0])
            for r in self.execute(
                "SELECT article_id FROM story_members WHERE story_id = ? ORDER BY article_id",
                (story_id,),
            )
        ]

    def was_emptied(self, story_id: int) -> bool:
        """Was the story closed because a person moved its last articles away (not
        merged into another)?"""
        return bool(
            self.scalar(
                "SELECT 1 FROM story_events WHERE kind = 'emptied' AND other_story_id = ? LIMIT 1",
                (story_id,),
            )
        )

    def record_event(
        self,
        kind: str,
        story_id: int,
        decided_by: str,
        at: str,
        details: Mapping[str, Any],
        other_story_id: int | None = None,
        article_id: int | None = None,
    ) -> None:
        self.execute(
            """INSERT INTO story_events (kind, story_id, other_story_id, article_id, decided_by,
                   decided_at, details) VALUES (?, ?, ?, ?, ?, ?, ?)""",
            (
                kind,
                story_id,
                other_story_id,
                article_id,
                decided_by,
                at,
                json.dumps(dict(details), ensure_ascii=False, default=str),
            ),
        )

    def story_events(self, story_id: int) -> list[dict[str, Any]]:
        """Merges, moves and corrections touching a story, oldest first."""
        rows = self.query(
            """SELECT id, kind, story_id, other_story_id, article_id, decided_by, decided_at,
                      details
               FROM story_events WHERE story_id = ? OR other_story_id = ? ORDER BY id""",
            (story_id, story_id),
        )
        for row in rows:
            row["details"] = json.loads(row["details"])
        return rows

    def duplicate_decisions(self, story_id: int) -> list[dict[str, Any]]:
        """Near-duplicate copies folded into the story's articles, with their signals."""
        rows = self.query(
            """SELECT s.article_id, s.url, s.match, s.signals, s.seen_at FROM sightings s
               JOIN story_members sm ON sm.article_id = s.article_id
               WHERE sm.story_id = ? AND s.match NOT IN ('original', 'alias')
               ORDER BY s.id""",
            (story_id,),
        )
        for row in rows:
            row["signals"] = json.loads(row["signals"]) if row["signals"] else {}
        return rows

    def close_empty_story(self, story_id: int, successor: int, at: str) -> None:
        """A story whose last article was moved away lives on in ``successor``."""
        self._forget_story(story_id, successor)
        self.execute(
            "DELETE FROM story_blocks WHERE story_id = ? OR other_story_id = ?",
            (story_id, story_id),
        )
        self.execute(
            "UPDATE stories SET merged_into = ?, size = 0 WHERE id = ?", (successor, story_id)
        )
        self.record_event("emptied", successor, "user", at, {}, other_story_id=story_id)
