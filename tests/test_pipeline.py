"""End to end: fixture articles we wrote, imported through the real pipeline."""

from pathlib import Path

from aggregator.pipeline import import_paths
from aggregator.store import open_store

from conftest import FIXTURES

IMPORT = FIXTURES / "import"


def stories_by_title(db_path: Path) -> dict[str, list[dict]]:
    """Articles per story, keyed by the story's release title without its kind/season."""
    with open_store(db_path) as store:
        stories = store.list_stories(limit=0)
    keyed: dict[str, list[dict]] = {}
    for story in stories:
        for name in ("Ballerina", "Squid Game", "Decision to Leave"):
            if story["title"].startswith(name):
                assert name not in keyed, f"two stories for {name}"
                keyed[name] = story["articles"]
    return keyed


def test_spelling_variants_of_one_film_form_one_story(db_path: Path) -> None:
    with open_store(db_path) as store:
        report = import_paths(store, [IMPORT])
    assert report.failed == 0, report.errors
    assert report.new == 6
    assert report.duplicates == 2  # a syndicated copy and a re-tracked URL
    stories = stories_by_title(db_path)
    ballerina = stories["Ballerina"]
    titles = " ".join(a["title"] for a in ballerina)
    assert "Busan festival" in titles
    assert "Netflix dates" in titles or "October date" in titles
    assert len(ballerina) == 2
    assert sum(len(a["duplicates"]) for a in ballerina) == 1
    assert len(stories["Squid Game"]) == 2
    assert "Decision to Leave" in stories
    assert len(stories["Decision to Leave"]) == 1


def test_every_input_appears_exactly_once(db_path: Path) -> None:
    with open_store(db_path) as store:
        import_paths(store, [IMPORT])
        stories = store.list_stories(limit=0)
    seen = [a["url"] for s in stories for a in s["articles"]]
    seen += [d for s in stories for a in s["articles"] for d in a["duplicates"]]
    assert len(seen) == len(set(seen))
    expected_files = {p.resolve().as_uri() for p in IMPORT.glob("*.txt")}
    assert expected_files <= set(seen)
    assert "https://news.example/squid-game-2-teaser" in seen
    assert not any("utm_source" in url for url in seen)


def test_reimport_stores_nothing_twice(db_path: Path) -> None:
    with open_store(db_path) as store:
        first = import_paths(store, [IMPORT])
        second = import_paths(store, [IMPORT])
        assert second.new == 0
        assert second.duplicates == first.new + first.duplicates
        assert store.article_count() == first.new
