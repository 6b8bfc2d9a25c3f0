"""The first release matcher: articles whose headlines name the same work are grouped.

Candidates come from the work-title key index; among several stories with the same
title the one sharing the most people wins. The release-matcher issue replaces these
internals; the interface (keys in, Decision out) stays.
"""

from __future__ import annotations

from aggregator.models import Article, Decision, StoryCandidate
from aggregator.normalize.names import name_key, title_key


def article_keys(article: Article) -> dict[str, set[str]]:
    """Index keys by kind: 'work' for titles, 'person' for people."""
    return {
        "work": {k for k in (title_key(w.title) for w in article.works) if k},
        "person": {k for k in (name_key(p.name) for p in article.people) if k},
    }


def decide(article: Article, candidates: list[StoryCandidate]) -> Decision:
    primary = article.primary_work
    key = title_key(primary.title) if primary else ""
    if not key:
        return Decision(story_id=None, reason="new-story", signals={"why": "no work title found"})
    people = article_keys(article)["person"]
    same_title = [c for c in candidates if key in c.work_keys]
    if not same_title:
        return Decision(
            story_id=None,
            reason="new-story",
            signals={"work_key": key, "why": "no story has this title"},
        )
    best = max(same_title, key=lambda c: len(c.person_keys & people))
    shared = sorted(best.person_keys & people)
    return Decision(
        story_id=best.story_id,
        reason="same-work-title",
        score=1.0,
        signals={
            "work_key": key,
            "work": primary.title if primary else "",
            "shared_people": shared,
        },
    )
