"""search: folding of romanized spellings, syntax, filters, safety, CLI output."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner
from query_helpers import article, build_store

from aggregator.cli import cli
from aggregator.errors import QueryError
from aggregator.models import ImportReport
from aggregator.pipeline import store_articles
from aggregator.query.search_syntax import parse_query
from aggregator.query.snippet import HIT_END, HIT_START, make_snippet
from aggregator.store import Store, open_store

HOSTILE_QUERIES = [
    '"',
    "'",
    "*",
    "OR",
    "AND OR NOT",
    '"unclosed phrase',
    'a"b"c',
    "-",
    "--",
    "(",
    ")",
    "NEAR(ballerina busan)",
    "title:ballerina",
    "^ballerina",
    "'; DROP TABLE articles; --",
    "1=1 OR 1=1",
    "ballerina) OR (1",
    "{title body}: x",
    "x" * 5000,
    "Ok-ju*",
    '"Ok-ju"*',
    "\x00\x1b[31m",
    "🎬 ballerina",
    "NOT ballerina",
    "ballerina NOT",
    "-ballerina",
]


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return build_store(tmp_path / "q.db")


def ids(hits: list[dict[str, object]]) -> set[object]:
    return {h["url"] for h in hits}


def test_romanized_spellings_fold_together(store: Store) -> None:
    # Ok-joo, Ok-ju, Okju and "Ok Joo" are one name however the query spells it.
    for query in ("Ok-ju", "Ok-joo", "Okju", "okjoo", "Ok Joo", '"Ok Joo"', '"Ok-ju"'):
        urls = ids(store.search(query, all_articles=True))
        assert urls == {
            "https://screenbeat.example/ballerina-date",
            "https://culturewire.example/busan-ballerina",
            "https://kdrama.example/ballerina-review",
            "https://culturewire.example/parasite-bw",
        }, query


def test_one_hit_per_story_unless_all_articles(store: Store) -> None:
    grouped = store.search("Ok-ju")
    assert len(grouped) == 2
    assert len({h["story_id"] for h in grouped}) == 2
    ballerina = next(h for h in grouped if h["story_title"] == "Ballerina")
    assert ballerina["story_hits"] == 3
    assert len(store.search("Ok-ju", all_articles=True)) == 4


def test_phrase_prefix_or_and_exclusion(store: Store) -> None:
    assert ids(store.search('"Busan International Film Festival"')) == {
        "https://culturewire.example/busan-ballerina"
    }
    # Words in any order match; the same words as a phrase in the wrong order do not.
    assert store.search("festival busan", all_articles=True)
    assert not store.search('"festival busan"')
    assert ids(store.search("cinematog*")) == {"https://kdrama.example/ballerina-review"}
    assert ids(store.search("monochrome OR restored", all_articles=True)) == {
        "https://culturewire.example/parasite-bw",
        "https://screenbeat.example/the-host-4k",
    }
    assert ids(store.search("Busan -review", all_articles=True)) == {
        "https://culturewire.example/busan-ballerina"
    }
    assert ids(store.search("Busan NOT gala", all_articles=True)) == {
        "https://kdrama.example/ballerina-review"
    }


def test_title_matches_rank_above_body_matches(store: Store) -> None:
    hits = store.search("restoration OR studio", all_articles=True)
    assert hits[0]["url"] == "https://screenbeat.example/the-host-4k"


@pytest.mark.parametrize("query", HOSTILE_QUERIES)
def test_any_input_is_safe(store: Store, query: str) -> None:
    try:
        hits = store.search(query)
    except QueryError as exc:
        assert str(exc)
    else:
        assert isinstance(hits, list)
    assert store.article_count() == 5


def test_sql_looking_text_is_searched_as_words(store: Store) -> None:
    assert store.search("'; DROP TABLE articles; --") == []
    assert store.scalar("SELECT count(*) FROM articles") == 5


def test_nothing_searchable_is_a_clear_error() -> None:
    with pytest.raises(QueryError, match="nothing to search for"):
        parse_query('"" * -- ()')


def test_expressions_always_parse_in_fts5() -> None:
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE VIRTUAL TABLE t USING fts5(a)")
    for query in HOSTILE_QUERIES:
        try:
            expression = parse_query(query).fts()
        except QueryError:
            continue
        conn.execute("SELECT * FROM t WHERE t MATCH ?", (expression,)).fetchall()


def test_filters(store: Store) -> None:
    assert {
        h["source"] for h in store.search("Ok-ju", all_articles=True, source="culture wire")
    } == {"Culture Wire"}
    assert ids(store.search("Ok-ju", all_articles=True, film="ballerina")) == {
        "https://screenbeat.example/ballerina-date",
        "https://culturewire.example/busan-ballerina",
        "https://kdrama.example/ballerina-review",
    }
    assert ids(store.search("Bong", all_articles=True, person="Song Kang-ho")) == {
        "https://screenbeat.example/the-host-4k"
    }
    assert ids(store.search("Ok-ju", all_articles=True, since="2024-01-01T00:00:00+00:00")) == {
        "https://culturewire.example/parasite-bw"
    }
    with pytest.raises(QueryError, match="no articles from a source named"):
        store.search("Ok-ju", source="Nowhere Weekly")


def test_a_source_named_without_letters_or_digits_can_be_searched(tmp_path: Path) -> None:
    with open_store(tmp_path / "stars.db") as store:
        store_articles(
            store,
            [
                article("https://a.example/1", "Alien returns", "Alien is back.", source="★★★"),
                article("https://b.example/2", "Alien again", "Alien once more.", source="☆☆"),
            ],
            ImportReport(),
        )
        found = store.search("Alien", all_articles=True, source="★★★")
    assert [h["url"] for h in found] == ["https://a.example/1"]


def test_snippet_marks_matches_as_written() -> None:
    highlighter = parse_query("Ok-ju").highlighter()
    body = "Long before the finale, Ok-joo and Okju are one person in two spellings."
    snippet = make_snippet(body, highlighter)
    assert f"{HIT_START}Ok-joo{HIT_END}" in snippet
    assert f"{HIT_START}Okju{HIT_END}" in snippet


def test_search_index_backfills_and_rebuilds(store: Store) -> None:
    store.execute("DELETE FROM articles_folded")
    assert store.ensure_search_index() == 5
    assert len(store.search("Ok-ju", all_articles=True)) == 4
    # Folding rules changed since the index was written: everything is rebuilt.
    store.execute("UPDATE query_meta SET value = 'older rules' WHERE key = 'fold_signature'")
    assert store.ensure_search_index() == 5
    assert store.ensure_search_index() == 0


def test_a_store_never_searched_by_older_versions_is_reindexed_once(tmp_path: Path) -> None:
    store = build_store(tmp_path / "legacy.db")
    assert store.scalar("SELECT value FROM query_meta WHERE key = 'fold_signature'")
    # As an older version left it: rows written, no rules recorded, never searched.
    store.execute("DELETE FROM query_meta WHERE key = 'fold_signature'")
    store.execute("DELETE FROM _migrations WHERE name = '0008_search_rules_unknown'")
    store.execute("UPDATE articles_folded SET title = 'stale' WHERE rowid = 1")
    store.close()
    store = open_store(tmp_path / "legacy.db")
    assert store.ensure_search_index() == 5
    assert store.ensure_search_index() == 0
    store.close()


def test_cli_search_json_and_errors(tmp_path: Path) -> None:
    build_store(tmp_path / "q.db").close()
    runner = CliRunner()
    result = runner.invoke(cli, ["--db", str(tmp_path / "q.db"), "search", "Ok-ju", "--json"])
    assert result.exit_code == 0, result.output
    hits = json.loads(result.output)
    assert {"url", "title", "story_id", "snippet"} <= set(hits[0])
    assert HIT_START not in result.output and "\x1b[" not in result.output
    result = runner.invoke(cli, ["--db", str(tmp_path / "q.db"), "search", '"" ()'])
    assert result.exit_code == 1
    assert result.output.startswith("Error: nothing to search for")
    assert "Traceback" not in result.output
    result = runner.invoke(cli, ["--db", str(tmp_path / "q.db"), "search", "Ok-ju"])
    assert result.exit_code == 0
    assert "Okju moves" in result.output
    assert "+2 more in story" in result.output


def test_chinese_characters_and_kana_are_found_inside_longer_runs(tmp_path: Path) -> None:
    with open_store(tmp_path / "cjk.db") as store:
        store_articles(
            store,
            [
                article(
                    "https://jp.example/1",
                    "映画パラサイトが再公開",
                    "ポン・ジュノ監督の映画パラサイトが白黒版で再公開される。",
                ),
                article("https://jp.example/2", "新作ドラマ", "来月から放送される連続ドラマ。"),
            ],
            ImportReport(),
        )
        for query in ("映画", "パラサイト", "監督"):
            assert ids(store.search(query, all_articles=True)) == {"https://jp.example/1"}
        assert ids(store.search("ドラマ", all_articles=True)) == {"https://jp.example/2"}


def test_a_long_quoted_phrase_stays_one_phrase() -> None:
    expression = parse_query('"' + " ".join(["ok"] * 2_000) + '"').fts()
    assert len(expression) < 10_000


@pytest.mark.parametrize(
    ("body", "query", "expected"),
    [
        ("Ju Ji-hoon returns in the series 'Kingdom'.", "Kingdom", "'Kingdom'."),
        ("The show is great (really)!", "great", "(really)!"),
    ],
)
def test_a_snippet_keeps_the_punctuation_that_closes_its_last_word(
    body: str, query: str, expected: str
) -> None:
    snippet = make_snippet(body, parse_query(query).highlighter())
    assert snippet.replace(HIT_START, "").replace(HIT_END, "").endswith(expected)
