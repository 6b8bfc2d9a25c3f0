"""A person's corrections: merge, split and move, and later matching respects them."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from aggregator.cli import cli
from aggregator.models import Article, ImportReport, Person, Work
from aggregator.pipeline import store_articles
from aggregator.store import Store, open_store

PEOPLE = (Person("Jeon Jong-seo"), Person("Kim Ji-hoon"), Person("Lee Chung-hyun"))


def ballerina(number: int, text: str) -> Article:
    return Article(
        url=f"https://news.example/ballerina/{number}",
        title=f"'Ballerina' news number {number}",
        body=text,
        works=(Work("Ballerina", year=2023),),
        people=PEOPLE,
    )


TEXTS = [
    "Netflix dated the revenge thriller for October; Jeon Jong-seo plays a bodyguard.",
    "Busan invited the film, and Kim Ji-hoon will join Jeon Jong-seo on the red carpet.",
    "Critics praised Lee Chung-hyun's direction and the neon-lit fights of the thriller.",
    "The thriller entered the global top ten in its first week on the streaming service.",
]


def seeded(tmp_path: Path) -> tuple[Path, Store]:
    db = tmp_path / "corrections.db"
    store = open_store(db)
    store_articles(store, [ballerina(i, t) for i, t in enumerate(TEXTS[:3])], ImportReport())
    return db, store


def test_split_keeps_articles_apart_from_then_on(tmp_path: Path) -> None:
    db, store = seeded(tmp_path)
    assert store.member_ids(1) == [1, 2, 3]
    store.close()
    result = CliRunner().invoke(cli, ["--db", str(db), "split", "1", "3", "--json"])
    assert result.exit_code == 0, result.output
    new_story = json.loads(result.output)["story"]
    store = open_store(db)
    assert store.member_ids(1) == [1, 2] and store.member_ids(new_story) == [3]
    # Named by its release, as the matcher names a story, not by the headline.
    assert store.scalar("SELECT title FROM stories WHERE id = ?", (new_story,)) == "Ballerina"
    member = store.query("SELECT decided_by, reason FROM story_members WHERE article_id = 3")[0]
    assert member == {"decided_by": "user", "reason": "moved-by-user"}
    # A later article about the same release joins one story, and never bridges the two.
    store_articles(store, [ballerina(9, TEXTS[3])], ImportReport())
    assert store.merge_block(1, new_story) is not None
    assert store.live_story(1) != store.live_story(new_story)
    # --why says the correction is what kept them apart.
    joined = store.scalar("SELECT story_id FROM story_members WHERE article_id = 4")
    other = new_story if joined == 1 else 1
    store.close()
    why = CliRunner().invoke(cli, ["--db", str(db), "story", str(joined), "--why", "--json"])
    decision = next(d for d in json.loads(why.output)["decisions"] if d["article_id"] == 4)
    assert decision["signals"]["kept_apart_by_correction"] == [other]


def test_merge_and_why(tmp_path: Path) -> None:
    db, store = seeded(tmp_path)
    store.close()
    runner = CliRunner()
    assert runner.invoke(cli, ["--db", str(db), "move", "2", "--to", "new"]).exit_code == 0
    result = runner.invoke(cli, ["--db", str(db), "merge", "1", "2"])
    assert result.exit_code == 0, result.output
    assert "Merged story 2 into story 1" in result.output
    store = open_store(db)
    assert store.member_ids(1) == [1, 2, 3]
    assert store.merge_block(1, 2) is None  # the person's merge lifted the block
    store.close()
    why = runner.invoke(cli, ["--db", str(db), "story", "1", "--why", "--json"])
    events = json.loads(why.output)["events"]
    assert [(e["kind"], e["decided_by"]) for e in events] == [("move", "user"), ("merge", "user")]
    text = runner.invoke(cli, ["--db", str(db), "story", "1", "--why"]).output
    assert "merge story 2 -> 1" in text


def test_corrections_report_bad_ids(tmp_path: Path) -> None:
    db, store = seeded(tmp_path)
    store.close()
    runner = CliRunner()
    same = runner.invoke(cli, ["--db", str(db), "merge", "1", "1"])
    assert same.exit_code == 1 and "already one story" in same.output
    missing = runner.invoke(cli, ["--db", str(db), "move", "99", "--to", "new"])
    assert missing.exit_code == 1 and "no article 99" in missing.output
    wrong = runner.invoke(cli, ["--db", str(db), "split", "7", "1"])
    assert wrong.exit_code == 1 and "no story 7" in wrong.output
    bad_to = runner.invoke(cli, ["--db", str(db), "move", "1", "--to", "later"])
    assert bad_to.exit_code == 2


def test_a_story_split_empty_says_so_not_merged(tmp_path: Path) -> None:
    db, store = seeded(tmp_path)
    store.close()
    runner = CliRunner()
    result = runner.invoke(cli, ["--db", str(db), "split", "1", "1", "2", "3"])
    assert result.exit_code == 0, result.output
    shown = runner.invoke(cli, ["--db", str(db), "story", "1"]).output
    assert "has no articles left: a person moved them out" in shown
    assert "was merged into" not in shown


def test_moving_an_article_into_its_own_story_says_it_is_already_there(tmp_path: Path) -> None:
    db, store = seeded(tmp_path)
    store.close()
    result = CliRunner().invoke(cli, ["--db", str(db), "move", "1", "--to", "1"])
    assert result.exit_code == 0
    assert "Moved 0 article(s) into story 1. Already there: article(s) 1." in result.output
