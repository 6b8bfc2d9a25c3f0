"""Shared fixtures: a temporary database and a CLI runner bound to it."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from crawl_site import Site

from aggregator.cli import cli
from aggregator.store import Store, open_store

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(autouse=True)
def isolated_cwd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run every test in an empty directory, so the repository's feeds.yaml and db/
    are never read or written by a test."""
    work = tmp_path / "cwd"
    work.mkdir()
    monkeypatch.chdir(work)
    monkeypatch.delenv("AGGREGATOR_DB", raising=False)


@pytest.fixture
def site() -> Iterator[Site]:
    """A real HTTP server on 127.0.0.1 serving the routes a test adds."""
    with Site().running() as running:
        yield running


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    """An empty store in the test's directory (tests may define their own)."""
    with open_store(tmp_path / "db.sqlite") as opened:
        yield opened


@pytest.fixture()
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "test.db"


@pytest.fixture()
def run(db_path: Path) -> Callable[..., Result]:
    """Invoke the CLI against the temporary database; returns click's Result."""

    def invoke(*args: str, **kwargs: Any) -> Result:
        runner = CliRunner()
        return runner.invoke(cli, ["--db", str(db_path), *args], catch_exceptions=False, **kwargs)

    return invoke


@pytest.fixture()
def run_json(run: Callable[..., Result]) -> Callable[..., Any]:
    """Invoke a listing command with --json and return the decoded output."""

    def invoke(*args: str) -> Any:
        result = run(*args, "--json")
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout)

    return invoke


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES
