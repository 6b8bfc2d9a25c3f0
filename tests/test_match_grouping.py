"""Same-release grouping through the real pipeline, on our labelled fixtures."""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from aggregator.models import Article, ImportReport, Person, Work
from aggregator.normalize.urls import canonicalize_url
from aggregator.parse import parse_record
from aggregator.pipeline import store_articles
from aggregator.store import Store, open_store

FIXTURE = Path(__file__).parent / "fixtures" / "grouping" / "releases.jsonl"
RECORDS = [json.loads(line) for line in FIXTURE.read_text(encoding="utf-8").splitlines()]


def to_article(record: dict[str, Any], hints: bool) -> Article:
    fields = ("url", "title", "body", "published", "source")
    article = parse_record({k: record[k] for k in fields if k in record})
    if not hints:
        return article
    works = tuple(Work(w["title"], w.get("kind"), w.get("year"), "hint") for w in record["works"])
    people = tuple(Person(p["name"], p.get("role")) for p in record["people"])
    return replace(article, works=works or article.works, people=people or article.people)


def story_of(store: Store, url: str) -> int:
    article_id = store.scalar(
        "SELECT article_id FROM sightings WHERE url = ? ORDER BY id LIMIT 1",
        (canonicalize_url(url),),
    )
    story = store.scalar("SELECT story_id FROM story_members WHERE article_id = ?", (article_id,))
    return store.live_story(int(story))


def grouped(tmp_path: Path, hints: bool) -> tuple[dict[str, set[int]], ImportReport]:
    store = open_store(tmp_path / "test.db")
    report = ImportReport()
    store_articles(store, [to_article(r, hints) for r in RECORDS], report)
    stories: dict[str, set[int]] = defaultdict(set)
    for record in RECORDS:
        stories[record["label"]].add(story_of(store, record["url"]))
    store.close()
    return stories, report


@pytest.mark.parametrize("hints", [True, False], ids=["with-hints", "plain-text"])
def test_no_two_releases_share_a_story(tmp_path: Path, hints: bool) -> None:
    stories, _ = grouped(tmp_path, hints)
    owner: dict[int, str] = {}
    for label, ids in stories.items():
        for story in ids:
            assert owner.setdefault(story, label) == label, f"{label} merged with {owner[story]}"


@pytest.mark.parametrize("hints", [True, False], ids=["with-hints", "plain-text"])
def test_every_release_is_one_story(tmp_path: Path, hints: bool) -> None:
    # In plain text too: the Hangul-only report of the Netflix Ballerina ('발레리나')
    # joins its English coverage through the title's romanization.
    stories, report = grouped(tmp_path, hints)
    assert {label: len(ids) for label, ids in stories.items() if len(ids) > 1} == {}
    assert report.duplicates == 1  # the syndicated copy


def test_three_ballerinas_are_three_stories(tmp_path: Path) -> None:
    stories, _ = grouped(tmp_path, hints=False)
    ballerinas = [stories[label] for label in stories if label.startswith("ballerina-")]
    assert len(ballerinas) == 3
    assert not set.intersection(*ballerinas)
    assert len(stories["ballerina-2023-netflix"]) == 1
    assert len(stories["ballerina-2025-john-wick"]) == 1
    assert len(stories["ballerina-2016-animated"]) == 1


def test_near_duplicates_are_found_across_runs(tmp_path: Path) -> None:
    """The LSH buckets live in the store: a copy arriving in a later run is folded."""
    original = next(r for r in RECORDS if r["url"].endswith("2023/09/ballerina-busan"))
    copy = next(r for r in RECORDS if r.get("duplicate_of"))
    store = open_store(tmp_path / "runs.db")
    store_articles(store, [to_article(original, False)], ImportReport())
    store.close()
    store = open_store(tmp_path / "runs.db")
    report = ImportReport()
    store_articles(store, [to_article(copy, False)], report)
    assert report.duplicates == 1 and report.new == 0
    row = store.query("SELECT match, signals FROM sightings WHERE url = ?", (copy["url"],))[0]
    assert row["match"] == "near-duplicate" and json.loads(row["signals"])["jaccard"] > 0.5
    store.close()


def test_decisions_carry_their_signals(tmp_path: Path) -> None:
    store = open_store(tmp_path / "why.db")
    store_articles(store, [to_article(r, True) for r in RECORDS[:4]], ImportReport())
    rows = store.query("SELECT reason, signals FROM story_members ORDER BY article_id")
    assert rows[0]["reason"] == "new-story"
    joined = json.loads(rows[1]["signals"])
    assert rows[1]["reason"] == "same-release"
    assert joined["work_key"] == "ballerina" and "jonjongso" in joined["shared_person"]
    store.close()


def test_a_bridging_article_merges_two_stories(tmp_path: Path) -> None:
    people = (Person("Bong Joon-ho"), Person("Song Kang-ho"), Person("Choi Woo-shik"))
    local = Article(
        url="https://a.example/1",
        title="'Gisaengchung' tops the Korean box office",
        body="Bong Joon-ho's Gisaengchung sold a million tickets in its first week. Song Kang-ho "
        "plays the father of a poor family and Choi Woo-shik his son, the tutor.",
        works=(Work("Gisaengchung", year=2019),),
        people=people,
    )
    international = Article(
        url="https://b.example/2",
        title="'Parasite' wins in Cannes",
        body="Parasite, the new film by Bong Joon-ho, won the top prize in Cannes. Song Kang-ho "
        "and Choi Woo-shik play a poor father and son who con a rich family.",
        works=(Work("Parasite", year=2019),),
        people=people,
    )
    bridge = Article(
        url="https://c.example/3",
        title="'Parasite' (Gisaengchung) returns in black and white",
        body="Bong Joon-ho's Parasite (Gisaengchung) is back in a black and white version. Song "
        "Kang-ho and Choi Woo-shik, the poor father and son, look sharper than ever.",
        works=(Work("Parasite", year=2019), Work("Gisaengchung", year=2019)),
        people=people,
    )
    store = open_store(tmp_path / "bridge.db")
    report = ImportReport()
    store_articles(store, [local, international], report)
    assert report.new_stories == 2
    store_articles(store, [bridge], report)
    assert report.new_stories == 2
    assert story_of(store, local.url) == story_of(store, international.url)
    events = store.query("SELECT kind, decided_by FROM story_events")
    assert events == [{"kind": "merge", "decided_by": "matcher"}]
    store.close()


def test_large_import_path_gives_the_same_stories(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Preparing articles in a second process must not change any decision."""
    from aggregator import pipeline

    jsonl = tmp_path / "fixture.jsonl"
    fields = ("url", "title", "body", "published", "source")
    jsonl.write_text(
        "\n".join(json.dumps({k: r[k] for k in fields}) for r in RECORDS) + "\n", encoding="utf-8"
    )

    def run(name: str) -> list[dict[str, Any]]:
        store = open_store(tmp_path / name)
        report = pipeline.import_paths(store, [jsonl])
        assert report.failed == 0 and report.new + report.duplicates == len(RECORDS)
        rows = store.query(
            "SELECT a.url, sm.story_id, sm.reason FROM story_members sm "
            "JOIN articles a ON a.id = sm.article_id ORDER BY a.id"
        )
        store.close()
        return rows

    sequential = run("sequential.db")
    monkeypatch.setattr(pipeline, "PARALLEL_MIN_BYTES", 0)
    assert run("parallel.db") == sequential


def test_a_title_alone_does_not_pick_one_of_three_ballerinas(tmp_path: Path) -> None:
    store = open_store(tmp_path / "test.db")
    store_articles(store, [to_article(r, False) for r in RECORDS], ImportReport())
    before = {label: story_of(store, r["url"]) for r in RECORDS for label in [r["label"]]}
    vague = parse_record(
        {
            "url": "https://vague.example/ballerina",
            "title": "Why everyone is talking about 'Ballerina'",
            "body": "'Ballerina' is trending this week. Fans shared clips and opinions online.",
        }
    )
    store_articles(store, [vague], ImportReport())
    story = story_of(store, "https://vague.example/ballerina")
    ballerinas = {before[label] for label in before if label.startswith("ballerina-")}
    # Undated, it could be about any of the three (2016, 2023, 2025): a story of its
    # own, not a merge on empty evidence.
    assert story not in ballerinas
    decision = store.query(
        "SELECT sm.signals FROM story_members sm JOIN sightings s ON s.article_id = sm.article_id "
        "WHERE s.url = ?",
        ("https://vague.example/ballerina",),
    )[0]["signals"]
    assert "nothing else here" in json.loads(decision)["why"]
    # The next such article joins that story rather than starting one more.
    again = parse_record(
        {
            "url": "https://vague.example/ballerina-2",
            "title": "'Ballerina' again tops the conversation",
            "body": "People keep posting about 'Ballerina' on every platform this week.",
        }
    )
    store_articles(store, [again], ImportReport())
    assert story_of(store, "https://vague.example/ballerina-2") == story
    store.close()
