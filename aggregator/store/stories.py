"""Stories and membership: which article belongs to which story, and why."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable

from aggregator.models import Decision, StoryCandidate
from aggregator.store.db import Database

MAX_CANDIDATES = 50


class StoriesRepo(Database):
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
        self.execute(
            """UPDATE stories SET first_seen = min(first_seen, ?), last_seen = max(last_seen, ?)
               WHERE id = ?""",
            (activity, activity, story_id),
        )

    def story_candidates(self, keys: dict[str, Iterable[str]]) -> list[StoryCandidate]:
        """Stories holding an article that shares any key (by kind) with the new one.

        Looked up through the ``article_keys`` index, so the cost depends on how many
        articles share a key, not on the size of the store.
        """
        clauses: list[str] = []
        params: list[str] = []
        for kind, values in keys.items():
            values = sorted(set(values))
            if values:
                clauses.append(f"(ak.kind = ? AND ak.key IN ({','.join('?' * len(values))}))")
                params.extend([kind, *values])
        if not clauses:
            return []
        story_ids = [
            int(row[0])
            for row in self.execute(
                f"""SELECT sm.story_id, max(sm.article_id) AS newest
                    FROM article_keys ak JOIN story_members sm ON sm.article_id = ak.article_id
                    WHERE {" OR ".join(clauses)}
                    GROUP BY sm.story_id ORDER BY newest DESC LIMIT {MAX_CANDIDATES}""",
                params,
            )
        ]
        if not story_ids:
            return []
        marks = ",".join("?" * len(story_ids))
        titles = dict(
            self.execute(f"SELECT id, title FROM stories WHERE id IN ({marks})", story_ids).fetchall()
        )
        story_keys: dict[int, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
        for story_id, kind, key in self.execute(
            f"""SELECT sm.story_id, ak.kind, ak.key FROM story_members sm
                JOIN article_keys ak ON ak.article_id = sm.article_id
                WHERE sm.story_id IN ({marks})""",
            story_ids,
        ):
            story_keys[story_id][kind].add(key)
        return [
            StoryCandidate(
                story_id=sid,
                title=titles.get(sid, ""),
                work_keys=frozenset(story_keys[sid]["work"]),
                person_keys=frozenset(story_keys[sid]["person"]),
            )
            for sid in story_ids
        ]
