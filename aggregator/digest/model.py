"""The digest as plain data: what every format renders."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DigestArticle:
    id: int
    url: str
    title: str
    source: str | None
    outlet: str
    published: str | None
    first_seen: str


@dataclass(frozen=True)
class DigestEntry:
    """One story with new articles in the window."""

    story_id: int
    title: str
    year: int | None
    kind: str | None
    summary: str
    outlets: int  # distinct outlets across the whole story
    article_count: int  # articles in the whole story
    updated: str  # when the newest of its new articles was first seen
    articles: tuple[DigestArticle, ...]  # the new ones, oldest first
    best_article_id: int  # the article the summary comes from

    @property
    def best(self) -> DigestArticle:
        return next((a for a in self.articles if a.id == self.best_article_id), self.articles[0])


@dataclass(frozen=True)
class Digest:
    title: str
    since: str
    until: str
    generated: str
    entries: tuple[DigestEntry, ...]
    feed_id: str  # a stable identity for the digest target (Atom feed id)

    @property
    def article_total(self) -> int:
        return sum(len(e.articles) for e in self.entries)
