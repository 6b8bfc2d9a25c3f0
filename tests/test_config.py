import re
from pathlib import Path

import pytest

from aggregator.config import Settings, load_config, resolve_db_path
from aggregator.errors import ConfigError


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "feeds.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_valid_config_with_defaults(tmp_path: Path) -> None:
    config = load_config(
        write(
            tmp_path,
            """
settings:
  workers: 2
  per_host_delay: 0
sources:
  - name: Soompi
    url: https://www.soompi.com/feed
  - name: Section
    url: https://example.org/film
    type: page
    link_selector: "article h2 a"
    fetch_pages: false
    interval: 2h
    tags: [film]
""",
        )
    )
    assert config.settings.workers == 2
    assert config.settings.per_host_delay == 0.0
    assert config.settings.user_agent == Settings().user_agent
    assert [s.name for s in config.sources] == ["Soompi", "Section"]
    assert config.sources[1].fetch_pages is False
    assert config.sources[1].tags == ("film",)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("sources: [{name: A}]", "source 'A': 'url' is required"),
        ("sources: [{name: A, url: ftp://x}]", "must start with http"),
        ("sources: [{name: A, url: 'http://x', colour: red}]", "unknown key 'colour'"),
        ("settings: {workers: 0}", "'workers' must be at least 1"),
        ("settings: {workers: true}", "'workers' must be a number"),
        ("settings: {speed: 3}", "unknown setting 'speed'"),
        ("settings: {min_interval: soon}", "not a duration"),
        ("sources: [{name: A, url: 'http://x', type: page}]", "needs 'link_selector'"),
        ("sources: [{name: A, url: 'http://x'}, {name: A, url: 'http://y'}]", "used twice"),
        ("sources: [a, b", "not valid YAML at line"),
        ("- just a list", "top level must be a mapping"),
    ],
)
def test_invalid_config_names_the_problem(tmp_path: Path, text: str, message: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert message in str(info.value)
    assert str(path) in str(info.value)


def test_missing_file_says_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="file not found"):
        load_config(tmp_path / "absent.yaml")


def test_db_path_precedence() -> None:
    assert resolve_db_path("x.db", {"AGGREGATOR_DB": "y.db"}) == Path("x.db")
    assert resolve_db_path(None, {"AGGREGATOR_DB": "y.db"}) == Path("y.db")
    assert resolve_db_path(None, {}) == Path("db/aggregator.db")


@pytest.mark.parametrize(
    ("yaml_text", "message"),
    [
        ("interval: 0s", "'interval' must be longer than 0"),
        ("interval: 3600", "'interval' must be text (like 1h or 30m"),
        ("user_agent: ''", "'user_agent' is empty"),
    ],
)
def test_a_source_setting_that_means_nothing_is_refused(
    tmp_path: Path, yaml_text: str, message: str
) -> None:
    path = tmp_path / "feeds.yaml"
    path.write_text(f"sources:\n  - name: A\n    url: https://a.example/feed\n    {yaml_text}\n")
    with pytest.raises(ConfigError, match=re.escape(message)):
        load_config(path)


def test_a_number_for_a_name_asks_for_quotes_and_an_upper_case_scheme_is_a_url(
    tmp_path: Path,
) -> None:
    path = tmp_path / "feeds.yaml"
    path.write_text("sources:\n  - name: 123\n    url: https://a.example/feed\n")
    with pytest.raises(ConfigError, match="'name' must be text, got 123; put it in quotes"):
        load_config(path)
    path.write_text("sources:\n  - name: A\n    url: HTTP://a.example/feed\n")
    assert load_config(path).sources[0].url == "HTTP://a.example/feed"
