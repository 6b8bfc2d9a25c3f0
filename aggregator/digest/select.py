"""Which stories go into a digest, and what each entry says.

Given the articles first seen in the window (with their story) and per-story
totals, build one entry per story, not one per article: the release title, a
one-line summary from the best new article, how many outlets cover the story,
and a link to each new article.
"""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Any

from aggregator.digest.model import Digest, DigestArticle, DigestEntry
from aggregator.digest.text import SUMMARY_CHARS, TITLE_CHARS, clean
from aggregator.normalize.text import lead
from aggregator.store.queries import outlet


def _best(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """The new article that says the most: the longest body, earliest on ties."""
    return max(rows, key=lambda r: (len(r["body"] or ""), -r["id"]))


def _release(title: str, rows: list[dict[str, Any]]) -> tuple[int | None, str | None]:
    for row in rows:
        for work in json.loads(row.get("works") or "[]"):
            if str(work.get("title", "")).casefold() == title.casefold():
                year = work.get("year") if isinstance(work.get("year"), int) else None
                return year, work.get("kind")
    return None, None


def build_digest(
    rows: list[dict[str, Any]],
    stories: dict[int, dict[str, Any]],
    *,
    since: str,
    until: str,
    generated: str,
    feed_id: str,
    title: str = "News digest",
) -> Digest:
    """``rows``: new articles (id, url, title, body, source, published, first_seen,
    works, story_id); ``stories``: per story id its title, outlets and article_count.
    """
    by_story: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        by_story[row["story_id"]].append(row)
    entries: list[DigestEntry] = []
    for story_id, members in by_story.items():
        story = stories.get(story_id, {})
        members.sort(key=lambda r: (r["published"] or r["first_seen"], r["id"]))
        best = _best(members)
        story_title = str(story.get("title") or best["title"])
        year, kind = _release(story_title, members)
        # The story's own year and kind (from all its articles) when the store gave
        # them: the same as `stories` and `releases` show, whichever articles are new.
        year = story.get("year", year)
        kind = story.get("kind", kind)
        summary = clean(lead(best["body"] or ""), SUMMARY_CHARS) or clean(
            best["title"], TITLE_CHARS
        )
        articles = tuple(
            DigestArticle(
                id=r["id"],
                url=r["url"],
                title=clean(r["title"]) or r["url"],
                source=r["source"],
                outlet=outlet(r["source"], r["url"]),
                published=r["published"],
                first_seen=r["first_seen"],
            )
            for r in members
        )
        entries.append(
            DigestEntry(
                story_id=story_id,
                title=clean(story_title) or "(untitled)",
                year=year,
                kind=kind,
                summary=summary,
                outlets=int(story.get("outlets") or len({a.outlet for a in articles})),
                article_count=int(story.get("article_count") or len(articles)),
                updated=max(a.first_seen for a in articles),
                articles=articles,
                best_article_id=best["id"],
            )
        )
    # Biggest news first: most new articles, then most outlets, then most recent.
    entries.sort(key=lambda e: e.updated, reverse=True)
    entries.sort(key=lambda e: (len(e.articles), e.outlets), reverse=True)
    return Digest(
        title=title,
        since=since,
        until=until,
        generated=generated,
        entries=tuple(entries),
        feed_id=feed_id,
    )
