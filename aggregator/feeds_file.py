"""Adding sources to feeds.yaml without disturbing what a person wrote there.

feeds.yaml is edited by hand, with comments and an order that matter to its
owner, so new sources are inserted as text at the end of the ``sources:`` list
(in the list's own indentation) rather than by re-dumping the parsed YAML. The
result is parsed and validated before it replaces the file (atomically); if it
would not read back as the old sources plus the new ones, nothing is written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from aggregator.config import SourceConfig, load_config, parse_source
from aggregator.errors import ConfigError
from aggregator.fileutil import write_atomic
from aggregator.normalize.urls import InvalidURLError, canonicalize_url, check_http_url

_SOURCES_KEY = re.compile(r"^sources:\s*(?P<rest>[^#]*?)\s*(#.*)?$")
_ITEM = re.compile(r"^(?P<indent>\s*)- ")
DEFAULT_INDENT = "  "
MAX_NAME_CHARS = 80


@dataclass(frozen=True)
class NewSource:
    name: str
    url: str
    tags: tuple[str, ...] = ()


@dataclass
class AddResult:
    added: list[NewSource] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # one line each: what and why


def existing_sources(path: Path) -> tuple[SourceConfig, ...]:
    """The sources feeds.yaml has now (none when the file does not exist yet)."""
    if not path.exists():
        return ()
    return load_config(path).sources


def fallback_name(url: str) -> str:
    """A source name from its URL's host; :class:`InvalidURLError` (one line, exit 1
    in the CLI) when ``url`` is not a valid address."""
    host = urlsplit(check_http_url(url)).hostname or url
    return host.removeprefix("www.")


def _unique_name(name: str, taken: set[str]) -> str:
    name = " ".join(name.split())[:MAX_NAME_CHARS] or "feed"
    candidate, number = name, 2
    while candidate.casefold() in taken:
        candidate = f"{name} ({number})"
        number += 1
    return candidate


def plan_additions(current: tuple[SourceConfig, ...], candidates: list[NewSource]) -> AddResult:
    """Which candidates are new: same feed URL (canonicalized) means already there;
    a taken name gets a number; non-http(s) URLs and URLs that are not valid (no
    host, a space in it, a bad port) are refused, one line each in ``skipped``."""
    result = AddResult()
    seen_urls = {_key(s.url) for s in current}
    in_file = set(seen_urls)
    taken = {s.name.casefold() for s in current}
    for candidate in candidates:
        url = candidate.url.strip()
        if not url.lower().startswith(("http://", "https://")):
            result.skipped.append(f"{candidate.name or url}: not an http(s) feed URL ({url!r})")
            continue
        try:
            check_http_url(url)
        except InvalidURLError as exc:
            result.skipped.append(f"{candidate.name or url}: {exc}")
            continue
        key = _key(url)
        if key in seen_urls:
            where = "the feeds file" if key in in_file else "this list, under another entry"
            result.skipped.append(f"{candidate.name or url}: already in {where} ({url})")
            continue
        name = _unique_name(candidate.name or fallback_name(url), taken)
        taken.add(name.casefold())
        seen_urls.add(key)
        result.added.append(NewSource(name, url, candidate.tags))
    return result


def _key(url: str) -> str:
    try:
        return canonicalize_url(url)
    except InvalidURLError:
        return url.strip()


def _entry_yaml(source: NewSource, indent: str) -> list[str]:
    entry: dict[str, Any] = {"name": source.name, "url": source.url}
    if source.tags:
        entry["tags"] = list(source.tags)
    text = yaml.safe_dump(
        [entry], allow_unicode=True, sort_keys=False, default_flow_style=False, width=10_000
    )
    return [indent + line if line else line for line in text.splitlines()]


def insert_sources(text: str, sources: list[NewSource], where: str) -> str:
    """``text`` with ``sources`` appended to its ``sources:`` list."""
    lines = text.splitlines()
    key_line = next((i for i, line in enumerate(lines) if _SOURCES_KEY.match(line)), None)
    if key_line is None:
        if lines and lines[-1].strip():
            lines.append("")
        lines.append("sources:")
        key_line = len(lines) - 1
    else:
        match = _SOURCES_KEY.match(lines[key_line])
        rest = match.group("rest") if match else ""
        if rest in ("[]", "~", "null"):
            lines[key_line] = "sources:"
        elif rest:
            raise ConfigError(
                f"{where}: 'sources' is written inline ({rest[:40]}); rewrite it as a "
                "block list ('- name: ...' lines) so entries can be added"
            )
    end = key_line + 1
    indent = None
    for index in range(key_line + 1, len(lines)):
        line = lines[index]
        if line.strip() == "" or line.lstrip().startswith("#"):
            continue
        if not line[0].isspace() and not line.startswith("-"):
            break  # the next top-level key
        if indent is None and (item := _ITEM.match(line)):
            indent = item.group("indent")
        end = index + 1
    item_indent = DEFAULT_INDENT if indent is None else indent
    new_lines = [line for s in sources for line in _entry_yaml(s, item_indent)]
    lines[end:end] = new_lines
    return "\n".join(lines) + "\n"


def add_sources(path: Path, candidates: list[NewSource], dry_run: bool = False) -> AddResult:
    """Add the new ones among ``candidates`` to feeds.yaml at ``path``."""
    where = str(path)
    current = existing_sources(path)
    result = plan_additions(current, candidates)
    if not result.added or dry_run:
        return result
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    updated = insert_sources(text, result.added, where)
    _check(updated, current, result.added, where)
    write_atomic(path, updated)
    return result


def _check(text: str, before: tuple[SourceConfig, ...], added: list[NewSource], where: str) -> None:
    """Refuse to write unless the edited file reads back as before + added."""
    try:
        data = yaml.safe_load(text) or {}
        raw = data.get("sources") or []
        parsed = [parse_source(item, i, where) for i, item in enumerate(raw)]
    except (yaml.YAMLError, AttributeError, ConfigError) as exc:
        raise ConfigError(
            f"{where}: adding sources would break the file ({exc}); nothing was changed"
        ) from None
    expected = [(s.name, s.url) for s in before] + [(s.name, s.url) for s in added]
    if [(s.name, s.url) for s in parsed] != expected:
        raise ConfigError(
            f"{where}: could not add sources without disturbing the file's layout; "
            "nothing was changed; add them by hand"
        )
