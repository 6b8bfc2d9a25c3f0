"""Durations and dates out of datetime's range are one clear error, not a traceback."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import Result
from query_helpers import build_store

from aggregator.timeutil import MAX_DURATION, parse_datetime, parse_duration, parse_since

NOW = datetime(2026, 1, 10, tzinfo=UTC)
HUGE = ["1000000d", "99999999999d", "9" * 400 + "w"]


@pytest.mark.parametrize("text", HUGE)
def test_huge_durations_are_value_errors_naming_the_limit(text: str) -> None:
    with pytest.raises(ValueError, match="too long; durations go up to 36500d"):
        parse_duration(text)
    with pytest.raises(ValueError, match="too long"):
        parse_since(text, NOW)


def test_the_longest_duration_still_works() -> None:
    assert parse_duration("36500d") == MAX_DURATION
    assert parse_since("36500d", NOW) == NOW - MAX_DURATION


def test_a_duration_before_year_one_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="before year 1"):
        parse_since("36500d", datetime(50, 1, 1, tzinfo=UTC))


def test_dates_leaving_the_range_in_utc_are_value_errors() -> None:
    with pytest.raises(ValueError, match="out of range"):
        parse_datetime("0001-01-01T00:00:00+01:00")
    with pytest.raises(ValueError, match="out of range"):
        parse_since("9999-12-31T23:00:00-05:00", NOW)
    assert parse_since("0001-01-01", NOW) == datetime(1, 1, 1, tzinfo=UTC)
    assert parse_duration("1.5h") == timedelta(minutes=90)


@pytest.fixture()
def stored(db_path: Path) -> None:
    build_store(db_path).close()


@pytest.mark.usefixtures("stored")
@pytest.mark.parametrize(
    "command",
    [
        ["search", "Ballerina"],
        ["stories"],
        ["releases"],
        ["digest"],
    ],
)
@pytest.mark.parametrize("since", ["1000000d", "0001-01-01T00:00:00+01:00"])
def test_since_out_of_range_is_one_line(
    run: Callable[..., Result], command: list[str], since: str
) -> None:
    result = run(*command, "--since", since)
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: --since: ")
    assert len(result.stderr.splitlines()) == 1


@pytest.mark.usefixtures("stored")
def test_digest_every_too_long_is_a_usage_error(run: Callable[..., Result]) -> None:
    result = run("digest", "--every", "99999999999d", "-o", "digests/")
    assert result.exit_code == 2
    assert "Invalid value for --every: '99999999999d' is too long" in result.stderr


@pytest.mark.parametrize(
    ("every", "reason"), [("abc", "is not a duration"), ("0s", "longer than 0 s")]
)
def test_crawl_every_that_is_no_interval_is_a_usage_error(
    run: Callable[..., Result], tmp_path: Path, every: str, reason: str
) -> None:
    feeds = tmp_path / "feeds.yaml"
    feeds.write_text("sources:\n  - name: A\n    url: http://127.0.0.1:9/feed.xml\n")
    result = run("crawl", "--feeds", str(feeds), "--every", every)
    assert result.exit_code == 2
    assert "Invalid value for --every" in result.stderr and reason in result.stderr
