"""Odd articles never raise and never merge on empty evidence."""

from __future__ import annotations

from pathlib import Path

from aggregator.match import DEFAULT_SETTINGS, extract_features
from aggregator.models import Article, ImportReport, Person, Work
from aggregator.pipeline import store_articles
from aggregator.store import open_store

ODD = [
    Article(url="https://x.example/1", title="", body=""),
    Article(url="https://x.example/2", title="?!", body=""),
    Article(url="https://x.example/3", title="...", body="!!! ??? ---"),
    Article(
        url="https://x.example/4",
        title="Untitled",
        body="",
        works=(Work(""),),
        people=(Person(""),),
    ),
    Article(
        url="https://x.example/5",
        title="전종서 주연 영화",
        body="이충현 감독의 영화가 공개된다.",
        people=(Person("전종서"), Person("山田太郎")),
    ),
    Article(
        url="https://x.example/6",
        title="山田太郎の新作",
        body="山田太郎が主演する。",
        works=(Work("新作"),),
    ),
    Article(url="https://x.example/7", title="Long read", body=("word " * 200_000)[:1_000_000]),
    Article(
        url="https://x.example/8", title="Another long read", body=("other " * 200_000)[:1_000_000]
    ),
]


def test_odd_articles_are_stored_without_merging(tmp_path: Path) -> None:
    store = open_store(tmp_path / "odd.db")
    report = ImportReport()
    store_articles(store, ODD, report)
    assert report.failed == 0
    assert report.new + report.duplicates == len(ODD)
    # Nothing shares a title or names: every stored article is its own story.
    assert report.new_stories == report.new
    store.close()


def test_empty_articles_have_no_evidence() -> None:
    for article in ODD[:4]:
        features = extract_features(article, DEFAULT_SETTINGS)
        assert not features.has_evidence, article.url


def test_huge_bodies_are_read_only_at_the_start() -> None:
    features = extract_features(ODD[6], DEFAULT_SETTINGS)
    assert sum(features.term_counts.values()) <= DEFAULT_SETTINGS.max_feature_chars
