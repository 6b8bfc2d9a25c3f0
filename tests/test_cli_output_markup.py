"""Listings print stored text exactly: no backslash, bracket or marker character in
an article can break the styling, crash a query, or be shown doubled."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from query_helpers import article, build_store
from rich.markup import render

from aggregator.cli import cli, query
from aggregator.cli.output import safe
from aggregator.query.search_syntax import parse_query
from aggregator.query.snippet import HIT_END, HIT_START, make_snippet

BOLD_YELLOW = "\x1b[1;33m"

HOSTILE = [
    article(
        "https://paths.example/mulan",
        "Mulan\\",
        "C:\\Mulan is a path on disk, and so is D:\\Mulan\\ [bold]Mulan[/bold] again.",
        source="Back\\",
        published="2024-06-01T10:00:00",
        work="Mulan",
        year=2020,
        kind="film",
    ),
    article(
        "https://marks.example/kong",
        f"Marker {HIT_END}Kong{HIT_START} title",
        f"Here {HIT_END}Kong{HIT_START} the {HIT_START} stray marks {HIT_END} about Kong.",
        source="Marks",
        published="2024-06-02T10:00:00",
    ),
]


@pytest.fixture()
def db(tmp_path: Path) -> Path:
    path = tmp_path / "hostile.db"
    build_store(path, HOSTILE).close()
    return path


def invoke(db: Path, *args: str, terminal: bool = False) -> Result:
    """Run the CLI; ``terminal`` makes it behave (and colour) as on a terminal."""
    env = {"FORCE_COLOR": "1"} if terminal else {"NO_COLOR": "1"}
    return CliRunner(env=env).invoke(cli, ["--db", str(db), *args])


@pytest.fixture()
def on_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(query, "is_terminal", lambda: True)


@pytest.mark.usefixtures("on_terminal")
def test_search_on_a_terminal_survives_a_backslash_before_a_match(db: Path) -> None:
    result = invoke(db, "search", "Mulan", terminal=True)
    assert result.exit_code == 0, result.output
    assert f"C:\\{BOLD_YELLOW}Mulan" in result.stdout
    assert "[bold]" in result.stdout  # the article's own brackets, shown literally


@pytest.mark.usefixtures("on_terminal")
def test_search_on_a_terminal_survives_marker_characters_in_the_text(db: Path) -> None:
    result = invoke(db, "search", "Kong", terminal=True)
    assert result.exit_code == 0, result.output
    snippet = result.stdout.splitlines()[1]
    assert snippet.count(BOLD_YELLOW) == 2  # both Kongs, and only they, are marked


def test_snippets_carry_only_their_own_marks() -> None:
    body = f"{HIT_START}x{HIT_END} Kong{HIT_END} and {HIT_START}Kong y"
    snippet = make_snippet(body, parse_query("Kong").highlighter())
    assert snippet.count(HIT_START) == snippet.count(HIT_END) == 2
    assert snippet.replace(HIT_START, "<").replace(HIT_END, ">") == "x <Kong> and <Kong> y"


def test_highlight_tolerates_unbalanced_marks() -> None:
    text = query.highlight(f"a{HIT_END}b\\{HIT_START}c{HIT_START}", terminal=True)
    assert text.plain == "ab\\c"


@pytest.mark.parametrize("terminal", [False, True])
@pytest.mark.parametrize("command", [["stories"], ["story", "1"], ["search", "Mulan"]])
def test_trailing_backslashes_are_not_doubled(
    db: Path, monkeypatch: pytest.MonkeyPatch, command: list[str], terminal: bool
) -> None:
    monkeypatch.setattr(query, "is_terminal", lambda: terminal)
    result = invoke(db, *command, terminal=terminal)
    assert result.exit_code == 0, result.output
    assert "Mulan\\" in result.stdout and "Back\\" in result.stdout
    assert "\\\\" not in result.stdout


@pytest.mark.parametrize(
    "value",
    ["Mulan\\", "a\\[bold]x", "x\\\\[b]", "[bold]", "\\[/]", "[/]", "[link=x]y", "\\"],
)
def test_safe_is_markup_that_prints_as_written(value: str) -> None:
    assert render(safe(value)).plain == value
