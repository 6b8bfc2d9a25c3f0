"""A search query may start with '-' (an excluded word) without being read as an
option; ``--`` before the query works too and is documented in --help."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result
from query_helpers import build_store


@pytest.fixture(autouse=True)
def stored(db_path: Path) -> None:
    build_store(db_path).close()


def titles(result: Result) -> list[str]:
    assert result.exit_code == 0, result.output
    return [hit["title"] for hit in json.loads(result.stdout)]


@pytest.mark.parametrize(
    "args",
    [
        ["search", "-cinematography Ballerina", "--all-articles", "--json"],
        ["search", "--all-articles", "--json", "-cinematography Ballerina"],
        ["search", "--limit", "5", "-horror Ballerina", "--since", "36500d", "--json"],
        ["search", "--all-articles", "--json", "--", "-cinematography Ballerina"],
    ],
)
def test_query_starting_with_a_dash_is_searched(
    run: Callable[..., Result], args: list[str]
) -> None:
    found = titles(run(*args))
    assert found and all("Ballerina" in t for t in found)
    if "-cinematography Ballerina" in args:
        assert len(found) == 2  # the review, which mentions cinematography, is excluded
        assert not any(t.startswith("Review") for t in found)


def test_option_values_starting_with_a_dash_stay_values(run: Callable[..., Result]) -> None:
    result = run("search", "--source", "-nope", "Ballerina")
    assert result.exit_code == 1
    assert "no articles from a source named '-nope'" in result.stderr


def test_unknown_long_option_hints_at_double_dash(run: Callable[..., Result]) -> None:
    result = run("search", "--trailer")
    assert result.exit_code == 2
    assert "aggregator search -- '-trailer Ballerina'" in result.stderr


def test_a_misspelt_option_still_gets_a_suggestion(run: Callable[..., Result]) -> None:
    result = run("search", "--sincee", "7d", "Ballerina")
    assert result.exit_code == 2
    assert "Did you mean" in result.stderr and "'-trailer Ballerina'" not in result.stderr


def test_help_documents_double_dash(run: Callable[..., Result]) -> None:
    for flag in ("-h", "--help"):
        help_text = run("search", flag).stdout
        assert "aggregator search --since 7d -- '-trailer Ballerina'" in help_text
