"""feeds.yaml: read once, validated with messages that name file, source and key.

The result is a frozen :class:`Config` passed down to the stages; no other module
reads the file or the environment.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

import yaml

from aggregator import PROJECT_URL, __version__
from aggregator.errors import ConfigError
from aggregator.normalize.urls import InvalidURLError, check_http_url
from aggregator.timeutil import parse_duration

DEFAULT_DB = Path("db") / "aggregator.db"
DEFAULT_FEEDS = Path("feeds.yaml")
SOURCE_TYPES = ("feed", "page", "sitemap")


@dataclass(frozen=True)
class Settings:
    """Crawl-wide settings; every key may be set under ``settings:`` in feeds.yaml."""

    user_agent: str = f"aggregator/{__version__} (+{PROJECT_URL})"
    connect_timeout: float = 10.0
    read_timeout: float = 30.0
    total_timeout: float = 120.0  # wall-clock limit on one download (slow-drip servers)
    max_response_bytes: int = 10 * 1024 * 1024
    max_redirects: int = 5
    workers: int = 4
    per_host_delay: float = 1.0
    min_interval: str = "15m"
    max_interval: str = "1d"
    default_interval: str = "1h"
    fetch_pages: bool = True
    max_pages_per_source: int = 50
    obey_robots: bool = True
    page_time_budget: float = 300.0  # seconds of page fetching per source per crawl


@dataclass(frozen=True)
class SourceConfig:
    """One subscription from feeds.yaml."""

    name: str
    url: str
    type: str = "feed"
    fetch_pages: bool | None = None  # None: use the crawl-wide setting
    interval: str | None = None
    tags: tuple[str, ...] = ()
    user_agent: str | None = None
    link_selector: str | None = None  # for type: page


@dataclass(frozen=True)
class Config:
    settings: Settings = field(default_factory=Settings)
    sources: tuple[SourceConfig, ...] = ()
    path: Path | None = None


def resolve_db_path(option: str | None, environ: dict[str, str] | None = None) -> Path:
    """The database path: ``--db``, else ``$AGGREGATOR_DB``, else ``db/aggregator.db``."""
    env = os.environ if environ is None else environ
    if option:
        return Path(option)
    if env.get("AGGREGATOR_DB"):
        return Path(env["AGGREGATOR_DB"])
    return DEFAULT_DB


def _check_type(where: str, key: str, value: Any, expected: type | tuple[type, ...]) -> None:
    # bool is an int subclass; a setting that wants a number must not accept true/false.
    if isinstance(value, bool) and expected in (int, float, (int, float)):
        raise ConfigError(f"{where}: '{key}' must be a number, got {value!r}")
    if not isinstance(value, expected):
        kinds = expected if isinstance(expected, tuple) else (expected,)
        names = " or ".join(dict.fromkeys(_KIND_NAMES.get(t, t.__name__) for t in kinds))
        hint = (
            " (like 1h or 30m, in quotes if YAML reads it as a number)"
            if key.endswith("interval")
            else ""
        )
        raise ConfigError(f"{where}: '{key}' must be {names}{hint}, got {value!r}")


# What a setting's type is called in a message for someone editing YAML.
_KIND_NAMES: dict[type, str] = {
    str: "text",
    bool: "true or false",
    int: "a whole number",
    float: "a number",
    list: "a list",
    dict: "a mapping",
}


def parse_settings(raw: Any, where: str) -> Settings:
    """Validate the ``settings:`` mapping against :class:`Settings` field types."""
    if raw is None:
        return Settings()
    if not isinstance(raw, dict):
        raise ConfigError(f"{where}: 'settings' must be a mapping of key: value")
    known = {f.name: f for f in fields(Settings)}
    defaults = Settings()
    values: dict[str, Any] = {}
    for key, value in raw.items():
        if key not in known:
            raise ConfigError(
                f"{where}: unknown setting '{key}'; known settings: {', '.join(sorted(known))}"
            )
        default = getattr(defaults, key)
        expected: type | tuple[type, ...] = (
            (int, float) if isinstance(default, float) else type(default)
        )
        _check_type(f"{where} settings", key, value, expected)
        if isinstance(default, (int, float)) and not isinstance(default, bool) and value < 0:
            raise ConfigError(f"{where} settings: '{key}' must not be negative, got {value}")
        values[key] = float(value) if isinstance(default, float) else value
    if "workers" in values and values["workers"] < 1:
        raise ConfigError(f"{where} settings: 'workers' must be at least 1")
    for key in ("connect_timeout", "read_timeout", "total_timeout", "max_response_bytes"):
        if key in values and values[key] <= 0:
            raise ConfigError(f"{where} settings: '{key}' must be greater than 0")
    for key in ("min_interval", "max_interval", "default_interval"):
        if key in values:
            _validate_duration(values[key], f"{where} settings", key)
    if "user_agent" in values and not values["user_agent"].strip():
        raise ConfigError(f"{where} settings: 'user_agent' is empty; give one or leave it out")
    return replace(defaults, **values)


def _validate_duration(value: str, where: str, key: str) -> None:
    try:
        duration = parse_duration(value)
    except ValueError as exc:
        raise ConfigError(f"{where}: '{key}': {exc}") from None
    if duration.total_seconds() <= 0:
        raise ConfigError(f"{where}: '{key}' must be longer than 0, like 30m, got {value!r}")


def parse_source(raw: Any, index: int, where: str) -> SourceConfig:
    if not isinstance(raw, dict):
        raise ConfigError(f"{where}: source #{index + 1} must be a mapping with name and url")
    name = raw.get("name")
    label = f"{where}: source '{name}'" if name else f"{where}: source #{index + 1}"
    allowed = {f.name for f in fields(SourceConfig)}
    for key in raw:
        if key not in allowed:
            raise ConfigError(
                f"{label}: unknown key '{key}'; allowed: {', '.join(sorted(allowed))}"
            )
    for key in ("name", "url"):
        value = raw.get(key)
        if value is not None and not isinstance(value, str):
            raise ConfigError(f"{label}: '{key}' must be text, got {value!r}; put it in quotes")
        if not isinstance(value, str) or not value.strip():
            raise ConfigError(f"{label}: '{key}' is required and must be a non-empty string")
    url = raw["url"].strip()
    if not url.lower().startswith(("http://", "https://")):
        raise ConfigError(f"{label}: 'url' must start with http:// or https://, got {url!r}")
    kind = raw.get("type", "feed")
    if kind not in SOURCE_TYPES:
        raise ConfigError(f"{label}: 'type' must be one of {', '.join(SOURCE_TYPES)}, got {kind!r}")
    if kind == "page" and not raw.get("link_selector"):
        raise ConfigError(f"{label}: a 'page' source needs 'link_selector' (a CSS selector)")
    fetch_pages = raw.get("fetch_pages")
    if fetch_pages is not None:
        _check_type(label, "fetch_pages", fetch_pages, bool)
    interval = raw.get("interval")
    if interval is not None:
        _check_type(label, "interval", interval, str)
        _validate_duration(interval, label, "interval")
    tags = raw.get("tags") or []
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        raise ConfigError(f"{label}: 'tags' must be a list of strings")
    for key in ("user_agent", "link_selector"):
        if raw.get(key) is not None:
            _check_type(label, key, raw[key], str)
            if not raw[key].strip():
                raise ConfigError(f"{label}: '{key}' is empty; give a value or leave it out")
    return SourceConfig(
        name=raw["name"].strip(),
        url=url,
        type=kind,
        fetch_pages=fetch_pages,
        interval=interval,
        tags=tuple(tags),
        user_agent=raw.get("user_agent"),
        link_selector=raw.get("link_selector"),
    )


def load_config(path: Path) -> Config:
    """Read and validate feeds.yaml; raises :class:`ConfigError` naming what is wrong."""
    where = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(
            f"{where}: file not found; create it (see README 'Configuring feeds') "
            "or pass --feeds PATH"
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{where}: cannot read: {exc}") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = f" at line {mark.line + 1}" if mark is not None else ""
        raise ConfigError(f"{where}: not valid YAML{at}: {getattr(exc, 'problem', exc)}") from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ConfigError(f"{where}: top level must be a mapping with 'settings' and 'sources'")
    unknown = set(data) - {"settings", "sources"}
    if unknown:
        raise ConfigError(f"{where}: unknown top-level key(s): {', '.join(sorted(unknown))}")
    settings = parse_settings(data.get("settings"), where)
    raw_sources = data.get("sources") or []
    if not isinstance(raw_sources, list):
        raise ConfigError(f"{where}: 'sources' must be a list")
    sources = tuple(parse_source(raw, i, where) for i, raw in enumerate(raw_sources))
    seen: set[str] = set()
    for source in sources:
        if source.name in seen:
            raise ConfigError(
                f"{where}: source name '{source.name}' is used twice; names must be unique"
            )
        seen.add(source.name)
    return validate_config(Config(settings=settings, sources=sources, path=path))


def check_source(source: SourceConfig, where: str) -> None:
    """Raise :class:`ConfigError` naming ``where`` and the source when its URL is not
    a usable http(s) address or its ``link_selector`` is not valid CSS."""
    label = f"{where}: source '{source.name}'"
    try:
        check_http_url(source.url)
    except InvalidURLError as exc:
        raise ConfigError(
            f"{label}: 'url' {source.url!r} is not a valid URL ({exc.reason}); correct the address"
        ) from None
    if source.link_selector is not None:
        import soupsieve  # the parser's dependency, imported only when needed

        try:
            soupsieve.compile(source.link_selector)
        except (soupsieve.SelectorSyntaxError, ValueError) as exc:
            reason = " ".join(str(exc).split("\n", 1)[0].split())
            raise ConfigError(
                f"{label}: 'link_selector' {source.link_selector!r} is not a valid CSS "
                f"selector ({reason}); write one like 'article h2 a'"
            ) from None


def check_settings(settings: Settings, where: str) -> None:
    """Raise :class:`ConfigError` for settings that are each valid but contradict."""
    low = parse_duration(settings.min_interval)
    high = parse_duration(settings.max_interval)
    if low > high:
        raise ConfigError(
            f"{where} settings: 'min_interval' ({settings.min_interval}) is longer than "
            f"'max_interval' ({settings.max_interval}); make min_interval the shorter one"
        )


def validate_config(config: Config) -> Config:
    """``config`` if its sources and settings can be used, else :class:`ConfigError`
    naming the file, the source and what to fix.

    Checks across fields, after each field was read: every URL is a
    usable http(s) address (a host, no space in it, a port from 0 to 65535), every
    ``link_selector`` compiles, ``min_interval`` is not longer than ``max_interval``.
    """
    where = str(config.path or "feeds.yaml")
    check_settings(config.settings, where)
    for source in config.sources:
        check_source(source, where)
    return config
