"""stories / story / releases: ordering, counts, filters, the JSON contract."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from query_helpers import CORPUS, article, build_store

from aggregator.cli import cli
from aggregator.errors import QueryError
from aggregator.models import ImportReport
from aggregator.pipeline import store_articles
from aggregator.store import Store

STORY_KEYS = {"id", "title", "films", "people", "first_seen", "last_seen", "articles"}
ARTICLE_KEYS = {"id", "url", "title", "source", "published", "duplicates"}


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return build_store(tmp_path / "q.db")


def test_newest_activity_first_with_counts(store: Store) -> None:
    stories = store.list_stories(limit=0)
    assert [s["title"] for s in stories] == ["The Host", "Parasite", "Ballerina"]
    ballerina = stories[-1]
    assert ballerina["article_count"] == 3
    assert ballerina["outlets"] == 3
    assert ballerina["year"] == 2023 and ballerina["kind"] == "film"
    assert ballerina["people"][:2] == ["Jeon Jong-seo", "Kim Ji-hoon"]
    assert [a["published"][:10] for a in ballerina["articles"]] == [
        "2023-09-05",
        "2023-09-20",
        "2023-10-07",
    ]


def test_a_person_spelled_several_ways_is_listed_once(tmp_path: Path) -> None:
    # One actor, romanized three ways across three reports of one release: listed
    # once, under the spelling most reports use.
    spellings = [("Ok-joo", "Jeon Jong-seo"), ("Ok-ju", "Jeon Jong-seo"), ("Ok-ju",)]
    articles = [
        article(
            f"https://e.example/{n}",
            f"'Ballerina' news {n}",
            "Netflix's Ballerina: a report.",
            published=f"2023-09-0{n}T10:00:00",
            work="Ballerina",
            year=2023,
            people=names,
        )
        for n, names in enumerate(spellings, 1)
    ]
    with build_store(tmp_path / "spell.db", articles) as store:
        (story,) = store.list_stories(limit=0)
        assert story["article_count"] == 3
        assert story["people"] == ["Ok-ju", "Jeon Jong-seo"]


def test_limit_and_per_story(store: Store) -> None:
    assert len(store.list_stories(limit=1)) == 1
    assert len(store.list_stories(limit=0)) == 3
    ballerina = store.list_stories(film="Ballerina", per_story=1)[0]
    assert ballerina["article_count"] == 3
    assert [a["published"][:10] for a in ballerina["articles"]] == ["2023-10-07"]


def test_filters(store: Store) -> None:
    assert [s["title"] for s in store.list_stories(film="ballerina")] == ["Ballerina"]
    assert [s["title"] for s in store.list_stories(person="Bong Joon-ho")] == [
        "The Host",
        "Parasite",
    ]
    assert [s["title"] for s in store.list_stories(source="k-drama daily")] == ["Ballerina"]
    assert [s["title"] for s in store.list_stories(since="2024-03-01T00:00:00+00:00")] == [
        "The Host"
    ]
    with pytest.raises(QueryError, match="--film"):
        store.list_stories(film="!!!")


LONG_BODY = (
    "The restored print of Parasite keeps every frame of the original cut but drains the "
    "colour out of it, and the director has said the film plays more like a fable this way. "
    "Cinemas in Seoul, London and New York will show it for one week from Friday."
)


def test_duplicates_are_listed_under_their_article(tmp_path: Path) -> None:
    original = article(
        "https://wire.example/parasite-print",
        "‘Parasite’ print",
        LONG_BODY,
        source="Wire",
        work="Parasite",
    )
    copy = article("https://mirror.example/copy", "A new headline over the same text", LONG_BODY)
    store = build_store(tmp_path / "q.db", [*CORPUS, original, copy])
    story = store.get_story(store.list_stories(film="Parasite")[0]["id"])
    assert story is not None
    printed = next(a for a in story["articles"] if a["url"] == original.url)
    assert printed["duplicates"] == ["https://mirror.example/copy"]


def test_json_contract_every_input_appears_once(tmp_path: Path) -> None:
    original = article("https://wire.example/print", "‘Parasite’ print", LONG_BODY)
    copy = article("https://mirror.example/copy", "Copy", LONG_BODY, source="Mirror")
    build_store(tmp_path / "q.db", [*CORPUS, original, copy]).close()
    result = CliRunner().invoke(
        cli, ["--db", str(tmp_path / "q.db"), "stories", "--limit", "0", "--json"]
    )
    assert result.exit_code == 0, result.output
    stories = json.loads(result.output)
    seen: list[str] = []
    for story in stories:
        assert set(story) >= STORY_KEYS
        for item in story["articles"]:
            assert set(item) >= ARTICLE_KEYS
            seen.append(item["url"])
            seen.extend(item["duplicates"])
    expected = [a.url for a in CORPUS] + [original.url, "https://mirror.example/copy"]
    assert sorted(seen) == sorted(expected)


def test_story_command_shows_release_and_articles(tmp_path: Path) -> None:
    store = build_store(tmp_path / "q.db")
    story_id = store.list_stories(film="Ballerina")[0]["id"]
    store.close()
    result = CliRunner().invoke(cli, ["--db", str(tmp_path / "q.db"), "story", str(story_id)])
    assert result.exit_code == 0, result.output
    assert "Ballerina (2023, film)" in result.output
    assert "people: Jeon Jong-seo, Kim Ji-hoon" in result.output
    assert "K-Drama Daily, 2023-10-07 12:00" in result.output
    assert "https://kdrama.example/ballerina-review" in result.output
    assert "\x1b[" not in result.output  # plain text when not on a terminal
    missing = CliRunner().invoke(cli, ["--db", str(tmp_path / "q.db"), "story", "999"])
    assert missing.exit_code == 1 and "no story 999" in missing.output


def test_stories_cli_plain_listing(tmp_path: Path) -> None:
    build_store(tmp_path / "q.db").close()
    result = CliRunner().invoke(cli, ["--db", str(tmp_path / "q.db"), "stories", "--limit", "0"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].endswith("The Host (2006, film)  1 article, 1 outlet, last 2024-05-01 10:00")
    assert any(
        line.endswith("Ballerina (2023, film)  3 articles, 3 outlets, last 2023-10-07 12:00")
        for line in lines
    )
    none = CliRunner().invoke(
        cli, ["--db", str(tmp_path / "q.db"), "stories", "--film", "Nothing Like It"]
    )
    assert none.output.strip() == "No stories match."


def test_long_stories_show_the_newest_articles(tmp_path: Path) -> None:
    many = [
        article(
            f"https://many.example/{n}",
            f"‘Ballerina’ update number {n}",
            f"Update {n} on the film, with different words each time: {'x' * n} {n * 7}.",
            source=f"Outlet {n}",
            published=f"2023-11-{n + 1:02d}T00:00:00",
            work="Ballerina",
            year=2023,
            kind="film",
            people=("Jeon Jong-seo",),
        )
        for n in range(8)
    ]
    build_store(tmp_path / "q.db", [*CORPUS, *many]).close()
    result = CliRunner().invoke(
        cli, ["--db", str(tmp_path / "q.db"), "stories", "--film", "Ballerina"]
    )
    assert "11 articles" in result.output
    assert "… 6 earlier (see: aggregator story" in result.output
    assert "update number 7" in result.output and "update number 2" not in result.output


def test_releases(tmp_path: Path) -> None:
    store = build_store(tmp_path / "q.db")
    store_articles(
        store,
        [article("https://x.example/no-work", "Weekend box office is quiet", "Nothing named.")],
        ImportReport(),
    )
    releases = store.list_releases(sort="articles")
    assert [(r["title"], r["article_count"], r["year"]) for r in releases] == [
        ("Ballerina", 3, 2023),
        ("The Host", 1, 2006),
        ("Parasite", 1, 2019),
    ]
    assert "Weekend box office is quiet" not in {r["title"] for r in releases}
    assert [r["title"] for r in store.list_releases(sort="title")] == [
        "Ballerina",
        "Parasite",
        "The Host",
    ]
    store.close()
    result = CliRunner().invoke(cli, ["--db", str(tmp_path / "q.db"), "releases", "--json"])
    assert {r["title"] for r in json.loads(result.output)} == {"Ballerina", "Parasite", "The Host"}
    table = CliRunner().invoke(cli, ["--db", str(tmp_path / "q.db"), "releases"])
    assert table.output.splitlines()[0].split() == [
        "story",
        "release",
        "year",
        "kind",
        "articles",
        "outlets",
        "last",
        "activity",
    ]


def test_a_date_in_the_future_does_not_keep_a_story_on_top(tmp_path: Path) -> None:
    future = article(
        "https://typo.example/1",
        "‘Glass Harbor’ trailer",
        "The trailer for Glass Harbor is out; Petra Lund stars.",
        published="2099-01-01T00:00:00",
        work="Glass Harbor",
    )
    store = build_store(tmp_path / "q.db", [*CORPUS, future])
    last = store.scalar("SELECT max(last_seen) FROM stories")
    # Its story's activity is when it was seen, not the year 2099; also when the
    # span is counted again from the articles (as split and move do).
    assert last is not None and not last.startswith("2099")
    for (story_id,) in store.execute("SELECT id FROM stories").fetchall():
        store.refresh_story(story_id)
    last = store.scalar("SELECT max(last_seen) FROM stories")
    store.close()
    assert last is not None and not last.startswith("2099")


def test_film_filter_knows_every_way_an_installment_is_written(tmp_path: Path) -> None:
    third = article(
        "https://s.example/sg3",
        "‘Squid Game’ season 3 teaser",
        "The third season of Squid Game returns in June.",
        work="Squid Game season 3",
        kind="season",
    )
    store = build_store(tmp_path / "q.db", [*CORPUS, third])
    for film in ("Squid Game 3", "Squid Game Season III", "squid game season three"):
        assert [s["title"] for s in store.list_stories(film=film)] == ["Squid Game season 3"], film
        assert [h["url"] for h in store.search("teaser", film=film)] == ["https://s.example/sg3"], (
            film
        )
    assert store.list_stories(film="Squid Game 4") == []
    store.close()
