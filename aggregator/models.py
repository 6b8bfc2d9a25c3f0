"""Plain data objects passed between pipeline stages.

Stages exchange these frozen dataclasses rather than dicts so that every field an
article carries is named in one place; parsing produces :class:`Article`, matching
consumes it together with :class:`StoryCandidate` objects and returns a
:class:`Decision`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class Work:
    """A named work an article is about (film, series, season, album, event)."""

    title: str
    kind: str | None = None  # "film", "series", "season", "album", "festival", ...
    year: int | None = None
    source: str = ""  # how it was found: "headline-quote", "jsonld", "cue", ...
    season: int | None = None  # for kind "season": which one ("Squid Game" season 2)


@dataclass(frozen=True)
class Person:
    """A person named in an article, with the role the text gives them if any."""

    name: str
    role: str | None = None  # "cast", "director", "character", ...


@dataclass(frozen=True)
class Article:
    """One parsed article, ready to be normalized, matched and stored.

    ``url`` is the address it was seen at; ``canonical_url`` the address the content
    declares for itself (rel=canonical / og:url), when it declares one.
    """

    url: str
    title: str
    body: str
    published: datetime | None = None
    updated: datetime | None = None
    authors: tuple[str, ...] = ()
    lang: str | None = None
    canonical_url: str | None = None
    guid: str | None = None
    source: str | None = None
    image: str | None = None
    works: tuple[Work, ...] = ()
    people: tuple[Person, ...] = ()

    @property
    def primary_work(self) -> Work | None:
        """The most prominent work: the parser lists works most prominent first."""
        return self.works[0] if self.works else None


@dataclass(frozen=True)
class StoryCandidate:
    """What the matcher needs to know about an existing story to compare against."""

    story_id: int
    title: str
    work_keys: frozenset[str] = frozenset()
    person_keys: frozenset[str] = frozenset()
    years: frozenset[int] = frozenset()  # its articles' own years (dated)
    blocked_article_ids: frozenset[int] = frozenset()
    # Filled by the release matcher's candidate lookup (all optional):
    base_keys: frozenset[str] = frozenset()  # work titles without season/installment
    platforms: frozenset[str] = frozenset()
    size: int = 0  # articles in the story
    n_people: int = 0  # distinct people and names the story's articles mention
    # Keys the story shares with the article being matched: (kind, key, articles,
    # summed weight); for kind 'term' the weight is the story centroid's component.
    shared: tuple[tuple[str, str, int, float], ...] = ()
    term_norm: float = 0.0  # length of the story's TF-IDF centroid
    text_similarity: float = 0.0  # best MinHash estimate against one of its articles
    blocked_story_ids: frozenset[int] = frozenset()  # a person said: never merge with these
    mentioned_years: frozenset[int] = frozenset()  # years its undated articles write
    ordinals: frozenset[str] = frozenset()  # 'noun#N' its articles' leads number
    # Of the article's own release keys, those its articles named in passing.
    named_works: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Decision:
    """The matcher's verdict for one article, with the signals that led to it.

    ``story_id`` is None when the article starts a new story.
    """

    story_id: int | None
    reason: str
    score: float = 0.0
    signals: dict[str, object] = field(default_factory=dict)
    # Other stories the article bridges: they are about the same release and are
    # merged into ``story_id``.
    merge_with: tuple[int, ...] = ()


@dataclass
class ImportReport:
    """Counts for one import or crawl run, plus one message per failed input."""

    new: int = 0
    duplicates: int = 0
    failed: int = 0
    new_stories: int = 0
    errors: list[str] = field(default_factory=list)

    def fail(self, message: str) -> None:
        self.failed += 1
        self.errors.append(message)

    def merge(self, other: ImportReport) -> None:
        self.new += other.new
        self.duplicates += other.duplicates
        self.failed += other.failed
        self.new_stories += other.new_stories
        self.errors.extend(other.errors)
