"""A person's corrections to the grouping: merge two stories, move articles out.

Corrections are recorded as ``decided_by='user'`` (memberships and story events) and
leave blocks behind, so that later matching never undoes them: an article moved out
of a story is never brought back into it by an automatic merge, and stories a person
split are never merged again by a bridging article. Like the pipeline, this module
orchestrates: the matcher derives keys, the store runs the SQL.
"""

from __future__ import annotations

from typing import Any

from aggregator.errors import QueryError
from aggregator.match import DEFAULT_SETTINGS, MatchSettings, extract_features
from aggregator.models import Article, Decision
from aggregator.profiles import refresh_story_profile
from aggregator.store import Store
from aggregator.timeutil import to_iso, utcnow

USER = "user"


def merge_stories(store: Store, target: int, other: int) -> dict[str, Any]:
    """Fold story ``other`` into ``target`` because a person says they are one release."""
    at = to_iso(utcnow()) or ""
    with store.transaction():
        target_live, other_live = store.live_story(target), store.live_story(other)
        if target_live == other_live:
            raise QueryError(
                f"stories {target} and {other} are already one story ({target_live}); "
                "nothing to merge"
            )
        store.unblock_stories(target_live, other_live)
        for article_id in store.member_ids(other_live):
            store.unblock_article(article_id, target_live)
        for article_id in store.member_ids(target_live):
            store.unblock_article(article_id, other_live)
        store.merge_stories(
            target_live,
            other_live,
            USER,
            at,
            {"requested": [target, other], "why": "merged by a person"},
        )
    return {"story": target_live, "merged": other_live}


def _new_story_title(articles: list[Article], settings: MatchSettings) -> str:
    """A story made by a correction is named as the matcher names one: by the release
    of the first article that has one, else by the first article's headline."""
    for article in articles:
        release = extract_features(article, settings).release
        if release is not None:
            return release.title
    return articles[0].title or "(untitled)"


def move_articles(
    store: Store,
    article_ids: list[int],
    to: int | None,
    settings: MatchSettings = DEFAULT_SETTINGS,
    expected_story: int | None = None,
) -> dict[str, Any]:
    """Move articles into story ``to`` (None: one new story), blocking their old story.

    With ``expected_story`` (split), every article must belong to that story.
    """
    article_ids = list(dict.fromkeys(article_ids))  # an id given twice is moved once
    if not article_ids:
        raise QueryError("name at least one article id to move")
    at = to_iso(utcnow()) or ""
    with store.transaction():
        homes = store.stories_of(article_ids)
        missing = [a for a in article_ids if a not in homes]
        if missing:
            raise QueryError(
                f"no article {missing[0]} in any story; 'aggregator story ID' lists article ids"
            )
        if expected_story is not None:
            story = store.live_story(expected_story)
            outside = [a for a in article_ids if homes[a] != story]
            if outside:
                raise QueryError(
                    f"article {outside[0]} is in story {homes[outside[0]]}, not in story {story}"
                )
        articles = store.load_articles(article_ids)
        destination = store.live_story(to) if to is not None else None
        if destination is None:
            title = _new_story_title([articles[a] for a in article_ids], settings)
            destination = store.create_story(title, at, at)
        moved: list[int] = []
        already: list[int] = []
        old_stories: set[int] = set()
        for article_id in article_ids:
            old = homes[article_id]
            if old == destination:
                already.append(article_id)
                continue
            decision = Decision(
                story_id=destination,
                reason="moved-by-user",
                score=1.0,
                signals={"from_story": old, "why": "moved by a person"},
            )
            store.move_member(article_id, destination, decision, USER, at)
            store.block_article(article_id, old, USER, at)
            store.unblock_article(article_id, destination)
            store.record_event(
                "move",
                destination,
                USER,
                at,
                {"from_story": old},
                other_story_id=old,
                article_id=article_id,
            )
            moved.append(article_id)
            old_stories.add(old)
        for old in old_stories:
            # A person separated these: a later bridging article must not join them again.
            store.block_stories(old, destination, USER, at)
            store.refresh_story(old)
            # Profiles summed again from the articles each story now has; a moved
            # article counts in its new story as its own ("moved-by-user").
            refresh_story_profile(store, old, settings)
            if not store.member_ids(old):
                store.close_empty_story(old, destination, at)
        store.refresh_story(destination)
        refresh_story_profile(store, destination, settings)
    return {"story": destination, "moved": moved, "already": already, "from": sorted(old_stories)}
