"""Preparing an article for the store: everything about it that needs no store.

Addresses, content fingerprint, MinHash sketch, matching keys and the search
index's folded columns. Pure, so a large import computes it in a second process
while the first writes the previous batch (see :mod:`aggregator.pipeline`).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from aggregator.match import DEFAULT_SETTINGS, MatchSettings, extract_features
from aggregator.match.duplicates import Sketch, sketch
from aggregator.match.features import ArticleFeatures
from aggregator.models import Article
from aggregator.normalize.search_fold import FoldedText, fold_document
from aggregator.normalize.text import content_fingerprint, fold_text
from aggregator.normalize.urls import InvalidURLError, canonicalize_url
from aggregator.store.articles import ArticleColumns, article_columns


def identity_url(article: Article) -> str:
    """The URL an article is stored under: its declared canonical URL, else where seen.

    A canonical URL that cannot be parsed (a page's ``<link rel="canonical">`` with
    port 99999, say), or that is the home page of the site the article was seen
    at, identifies nothing: the address it was seen at is used instead. (A crawled
    page's canonical on another site is dropped before this: see
    :func:`aggregator.crawl.jobs.merge_page`.)
    """
    if article.canonical_url:
        try:
            canonical = canonicalize_url(article.canonical_url)
        except InvalidURLError:
            canonical = None
        seen = canonicalize_url(article.url)
        if canonical is not None and not _is_section_of(canonical, seen):
            return canonical
        return seen
    return canonicalize_url(article.url)


def _is_section_of(canonical: str, seen: str) -> bool:
    """Is ``canonical`` the home page of the site the article was seen at, on a page
    of its own? Pages of some sites all declare it (a common CMS mistake): it names
    the site, not them. (Not a section front: "/slug/" is also the address an AMP
    page "/slug/amp/" rightly declares.) A saved page (``file:``) was seen at no
    site: any home page is taken as its site's."""
    page, declared = urlsplit(seen), urlsplit(canonical)
    if declared.query or declared.path not in ("", "/"):
        return False
    if page.scheme == "file":
        return True
    return declared.netloc == page.netloc and page.path not in ("", "/")


@dataclass(frozen=True)
class Prepared:
    """Everything about one article that needs no store: addresses, fingerprint,
    MinHash sketch and matching keys. Pure, so it can be computed in another process
    while this one writes the previous batch."""

    url: str
    seen_url: str
    fingerprint: str | None
    sketch: Sketch
    features: ArticleFeatures
    folded: FoldedText  # the search index's folded columns
    columns: ArticleColumns  # JSON columns and search facets


def prepare(article: Article, settings: MatchSettings = DEFAULT_SETTINGS) -> Prepared:
    folded_body = fold_text(article.body[: settings.max_feature_chars])
    whole = len(article.body) <= settings.max_feature_chars  # folded once, not twice
    sketch_, features = match_keys(article, settings, folded_body)
    return Prepared(
        url=identity_url(article),
        seen_url=canonicalize_url(article.url),
        fingerprint=content_fingerprint(
            article.title, article.body, folded_body if whole else None
        ),
        sketch=sketch_,
        features=features,
        folded=fold_document(article.title, article.body),
        columns=article_columns(article),
    )


def match_keys(
    article: Article, settings: MatchSettings, folded_body: str | None = None
) -> tuple[Sketch, ArticleFeatures]:
    """What matching keeps of an article: its MinHash sketch and its keys.

    ``folded_body``: fold_text of the body's first max_feature_chars, when the
    caller has it. Rebuilding stored profiles derives them here too, so they are
    derived exactly as at import.
    """
    if folded_body is None:
        folded_body = fold_text(article.body[: settings.max_feature_chars])
    return (
        sketch(article.body, settings, folded_body),
        extract_features(article, settings, folded_body),
    )
