"""The CLI contract: exit codes, --json listings, one-line errors."""

import json
from pathlib import Path

from click.testing import CliRunner

from aggregator.cli import cli

from conftest import FIXTURES

IMPORT = FIXTURES / "import"


def test_import_then_stories_json(run, run_json) -> None:
    result = run("import", str(IMPORT))
    assert result.exit_code == 0, result.output
    assert "Imported 6 new, 2 duplicates, 0 failed" in result.stdout
    stories = run_json("stories", "--limit", "0")
    assert {"id", "title", "films", "people", "first_seen", "last_seen", "articles"} <= set(
        stories[0]
    )
    article = stories[0]["articles"][0]
    assert {"id", "url", "title", "source", "published", "duplicates"} <= set(article)
    ballerina = [s for s in stories if s["title"].startswith("Ballerina")]
    assert len(ballerina) == 1 and len(ballerina[0]["articles"]) == 2
    assert len(run_json("stories", "--limit", "1")) == 1
    assert [s["id"] for s in run_json("stories", "--film", "ballerina")] == [ballerina[0]["id"]]
    assert run_json("stories", "--source", "Other Example")[0]["title"].startswith("Squid Game")
    assert run_json("stories", "--since", "2000-01-01")
    assert all(s["last_seen"] >= "2024-12-01" for s in run_json("stories", "--since", "2024-12-01"))


def test_story_and_why(run, run_json) -> None:
    run("import", str(IMPORT))
    story_id = next(
        s["id"] for s in run_json("stories", "--limit", "0") if s["title"] == "Ballerina"
    )
    story = run_json("story", str(story_id), "--why")
    assert [d["reason"] for d in story["decisions"]] == ["new-story", "same-release"]
    human = run("story", str(story_id), "--why")
    assert human.exit_code == 0
    assert "same-release" in human.stdout and "duplicate:" in human.stdout
    missing = run("story", "9999")
    assert missing.exit_code == 1
    assert missing.stderr.strip() == "Error: no story 9999; 'aggregator stories' lists the ids"


def test_search(run, run_json) -> None:
    run("import", str(IMPORT))
    hits = run_json("search", "Busan")
    assert hits and {"url", "title", "story_id", "snippet"} <= set(hits[0])
    assert "Busan" in hits[0]["snippet"]
    assert run("search", '"unbalanced').exit_code == 0  # searched as a plain word
    bad = run("search", "***")
    assert bad.exit_code == 1
    assert bad.stderr.startswith("Error: nothing to search for in '***'")
    assert "Traceback" not in bad.output


def test_import_failure_exit_code_and_messages(run, tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "ok.txt").write_text("A ‘Title’\n\nSome body text.\n")
    result = run("import", str(tmp_path / "empty.txt"), str(tmp_path / "ok.txt"))
    assert result.exit_code == 1
    assert "Imported 1 new, 0 duplicates, 1 failed" in result.stdout
    assert f"Error: {tmp_path / 'empty.txt'}: file is empty" in result.stderr
    counts = run("import", "--json", str(tmp_path / "ok.txt"))
    assert json.loads(counts.stdout)["duplicates"] == 1


def test_usage_errors_exit_2(run) -> None:
    assert run("import").exit_code == 2
    assert run("stories", "--limit", "-1").exit_code == 2
    assert run("nonsense").exit_code == 2


def test_bad_database_path_is_one_clean_line(tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("not a database " * 50)
    result = CliRunner().invoke(cli, ["--db", str(notes), "stories"])
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1 and "is not an SQLite database" in result.stderr
    assert notes.read_text() == "not a database " * 50


def test_query_before_any_import(run) -> None:
    result = run("stories")
    assert result.exit_code == 1
    assert "no database here yet" in result.stderr


def test_env_var_selects_database(tmp_path: Path) -> None:
    path = tmp_path / "env.db"
    runner = CliRunner(env={"AGGREGATOR_DB": str(path)})
    assert runner.invoke(cli, ["import", str(IMPORT / "quiet_weekend.txt")]).exit_code == 0
    assert path.exists()


def test_sources_lists_configured_feeds(run, run_json, tmp_path: Path) -> None:
    feeds = tmp_path / "feeds.yaml"
    feeds.write_text("sources:\n  - name: Example\n    url: https://example.org/feed\n")
    rows = run_json("sources", "--feeds", str(feeds))
    assert rows[0]["name"] == "Example"
    assert {"url", "last_status", "last_error", "error_count", "last_fetched", "next_fetch"} <= set(
        rows[0]
    )
    bad = tmp_path / "bad.yaml"
    bad.write_text("sources: [{name: X}]")
    result = run("sources", "--feeds", str(bad))
    assert result.exit_code == 1 and "'url' is required" in result.stderr


def test_hostile_titles_are_escaped_in_human_output(run, tmp_path: Path) -> None:
    (tmp_path / "evil.txt").write_text("[bold red]‘Pwn’[/] \x1b[31mred\x1b[0m\n\nbody text\n")
    run("import", str(tmp_path / "evil.txt"))
    out = run("stories").stdout
    assert "\x1b" not in out
    assert "[bold red]" in out  # shown literally, not interpreted as markup


def test_demo_runs_offline(run) -> None:
    result = run("demo")
    assert result.exit_code == 0, result.output
    assert "Ballerina" in result.stdout and "Squid Game" in result.stdout


def test_module_entry_point() -> None:
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-m", "aggregator", "--help"], capture_output=True, text=True, check=True
    )
    assert "Example:" in result.stdout


def test_a_db_path_through_a_file_is_one_clear_error(tmp_path: Path) -> None:
    (tmp_path / "feeds.yaml").write_text("sources: []\n")
    db = tmp_path / "feeds.yaml" / "x.db"
    (tmp_path / "a.jsonl").write_text('{"url": "https://a.example/1", "title": "T", "body": "B"}\n')
    result = CliRunner().invoke(cli, ["--db", str(db), "import", str(tmp_path / "a.jsonl")])
    assert result.exit_code == 1
    assert "a part of this path is a file, not a directory" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_a_crawl_lock_that_cannot_be_created_is_one_clear_error(tmp_path: Path) -> None:
    from aggregator.crawl.lock import CrawlLockedError, crawl_lock

    (tmp_path / "file").write_text("x")
    try:
        with crawl_lock(tmp_path / "file" / "db.sqlite"):
            raise AssertionError("the lock should not be taken")
    except CrawlLockedError as exc:
        assert "a part of this path is a file, not a directory" in str(exc)
        assert "pass another --db path" in str(exc)


def test_a_source_name_cannot_carry_control_characters(tmp_path: Path) -> None:
    from aggregator.parse.record import parse_record

    article = parse_record(
        {"url": "https://a.example/1", "title": "T", "body": "B", "source": "Ctl\u0007Src"}
    )
    assert article.source == "CtlSrc"
