"""digest: windows and state per target, atomic files, dated files, the schedule."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from click.testing import CliRunner
from query_helpers import CORPUS, article, build_store

from aggregator.cli import cli
from aggregator.digest.service import run_schedule, target_key, write_digest
from aggregator.models import ImportReport
from aggregator.pipeline import store_articles
from aggregator.store import open_store


def test_stdout_markdown_by_default(tmp_path: Path) -> None:
    build_store(tmp_path / "d.db").close()
    result = CliRunner().invoke(cli, ["--db", str(tmp_path / "d.db"), "digest"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("# News digest")
    assert "## Ballerina (2023, film)" in result.output
    assert "3 outlets · 3 new articles" in result.output


def test_count_without_every_is_a_usage_error(tmp_path: Path) -> None:
    build_store(tmp_path / "d.db").close()
    result = CliRunner().invoke(cli, ["--db", str(tmp_path / "d.db"), "digest", "--count", "3"])
    assert result.exit_code == 2
    assert "--count only counts scheduled digests: add --every" in result.output


def test_every_needs_a_directory_not_a_file_name(tmp_path: Path) -> None:
    build_store(tmp_path / "d.db").close()
    args = ["--db", str(tmp_path / "d.db"), "digest", "--every", "1d", "--count", "1"]
    result = CliRunner().invoke(cli, [*args, "-o", str(tmp_path / "out" / "digest.md")])
    assert result.exit_code == 2 and "must be a directory" in result.output
    assert not (tmp_path / "out").exists()


def test_written_file_and_state_continue_where_the_last_ended(tmp_path: Path) -> None:
    db = tmp_path / "d.db"
    build_store(db).close()
    out = tmp_path / "public" / "digest.json"
    runner = CliRunner()
    first = runner.invoke(cli, ["--db", str(db), "digest", "--format", "json", "-o", str(out)])
    assert first.exit_code == 0, first.output
    assert "Wrote" in first.output
    assert len(json.loads(out.read_text())["stories"]) == 3
    assert not [p for p in out.parent.iterdir() if p.name.endswith(".tmp")]
    # Nothing new since: the next digest to the same path is empty...
    second = runner.invoke(cli, ["--db", str(db), "digest", "--format", "json", "-o", str(out)])
    assert second.exit_code == 0
    data = json.loads(out.read_text())
    assert data["stories"] == []
    # ...until a new article arrives; then only its story is in the digest.
    with open_store(db) as store:
        store_articles(
            store,
            [
                article(
                    "https://late.example/ballerina",
                    "‘Ballerina’ tops the streaming chart",
                    "Ballerina reached the top of the chart in its first weekend online.",
                    source="Late",
                    work="Ballerina",
                    year=2023,
                    people=("Jeon Jong-seo",),
                )
            ],
            ImportReport(),
        )
    third = runner.invoke(cli, ["--db", str(db), "digest", "--format", "json", "-o", str(out)])
    assert third.exit_code == 0
    stories = json.loads(out.read_text())["stories"]
    assert [(s["title"], len(s["articles"]), s["outlets"]) for s in stories] == [
        ("Ballerina", 1, 4)
    ]
    # The release as `stories` gives it, though the new article names no kind.
    assert (stories[0]["year"], stories[0]["kind"]) == (2023, "film")
    # Another path has its own state: its first digest covers the last 24 hours.
    other = tmp_path / "other.md"
    runner.invoke(cli, ["--db", str(db), "digest", "-o", str(other)])
    assert "3 stories with 6 new articles" in other.read_text()


def test_explicit_since_overrides_state(tmp_path: Path) -> None:
    db = tmp_path / "d.db"
    store = build_store(db)
    now = datetime.now(UTC) + timedelta(seconds=2)
    result = write_digest(store, "md", None, since=now + timedelta(hours=1), now=now)
    assert result.digest.entries == ()
    result = write_digest(store, "md", None, since=now - timedelta(days=3), now=now)
    assert len(result.digest.entries) == 3


def test_directory_target_gets_dated_files(tmp_path: Path) -> None:
    db = tmp_path / "d.db"
    build_store(db).close()
    target = tmp_path / "digests"
    runner = CliRunner()
    result = runner.invoke(cli, ["--db", str(db), "digest", "--format", "html", "-o", f"{target}/"])
    assert result.exit_code == 0, result.output
    again = runner.invoke(cli, ["--db", str(db), "digest", "--format", "html", "-o", f"{target}/"])
    assert again.exit_code == 0
    names = sorted(p.name for p in target.iterdir())
    today = datetime.now(UTC).strftime("%Y-%m-%d")
    assert names[0] == f"digest-{today}.html"
    assert len(names) == 2 and names[1].startswith(f"digest-{today}T")


def test_schedule_writes_until_count(tmp_path: Path) -> None:
    db = tmp_path / "d.db"
    build_store(db).close()
    clock = [datetime.now(UTC) + timedelta(seconds=1)]
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        clock[0] += timedelta(seconds=seconds)

    written = run_schedule(
        lambda: open_store(db),
        "atom",
        tmp_path / "feed",
        timedelta(hours=12),
        count=3,
        sleep=sleep,
        clock=lambda: clock[0],
    )
    assert written == 3
    assert slept == [43200.0, 43200.0]
    files = sorted((tmp_path / "feed").iterdir())
    assert len(files) == 3 and all(f.suffix == ".xml" for f in files)
    with open_store(db) as store:
        state = store.digest_state(target_key(tmp_path / "feed", "atom", directory=True))
    assert state is not None and state["format"] == "atom"


def test_every_cli_and_usage_errors(tmp_path: Path) -> None:
    db = tmp_path / "d.db"
    build_store(db, CORPUS[:1]).close()
    runner = CliRunner()
    result = runner.invoke(
        cli,
        ["--db", str(db), "digest", "--every", "1s", "--count", "1", "-o", str(tmp_path / "x")],
    )
    assert result.exit_code == 0, result.output
    assert len(list((tmp_path / "x").iterdir())) == 1
    assert runner.invoke(cli, ["--db", str(db), "digest", "--every", "1d"]).exit_code == 2
    bad = runner.invoke(cli, ["--db", str(db), "digest", "--since", "yesterday-ish"])
    assert bad.exit_code == 1 and "--since" in bad.output
    missing = runner.invoke(cli, ["--db", str(tmp_path / "none.db"), "digest"])
    assert missing.exit_code == 1 and "no database" in missing.output


def test_a_dash_prints_and_writes_no_file(tmp_path: Path, monkeypatch: Any) -> None:
    build_store(tmp_path / "d.db").close()
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["--db", str(tmp_path / "d.db"), "digest", "-o", "-"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("# News digest")
    assert not (tmp_path / "-").exists()
    every = ["--every", "1d", "--count", "1", "-o", "-"]
    result = CliRunner().invoke(cli, ["--db", str(tmp_path / "d.db"), "digest", *every])
    assert result.exit_code == 2 and "not -" in result.output


def test_a_file_in_the_way_of_the_path_is_named(tmp_path: Path) -> None:
    build_store(tmp_path / "d.db").close()
    (tmp_path / "notes.md").write_text("mine\n")
    out = tmp_path / "notes.md" / "digest.md"
    result = CliRunner().invoke(cli, ["--db", str(tmp_path / "d.db"), "digest", "-o", str(out)])
    assert result.exit_code == 1
    assert f"{tmp_path / 'notes.md'} is a file, not a directory" in result.output
    assert (tmp_path / "notes.md").read_text() == "mine\n"


def test_a_directory_target_through_a_file_names_the_file(tmp_path: Path) -> None:
    build_store(tmp_path / "d.db").close()
    (tmp_path / "notes.md").write_text("mine\n")
    result = CliRunner().invoke(
        cli, ["--db", str(tmp_path / "d.db"), "digest", "-o", f"{tmp_path / 'notes.md'}/"]
    )
    assert result.exit_code == 1
    assert f"{tmp_path / 'notes.md'} is a file, not a directory" in result.output
