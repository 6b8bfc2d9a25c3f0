"""robots.txt, fetched once per host per crawl and obeyed for article pages.

Following RFC 9309: a missing robots.txt (any 4xx) allows everything; a server
error or an unreachable host disallows everything for now, so pages wait for a
later crawl instead of being fetched against the owner's wishes.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit
from urllib.robotparser import RobotFileParser

from aggregator.errors import FetchError
from aggregator.fetch.http import HttpClient, HTTPStatusError
from aggregator.fetch.safety import check_link, check_peer, host_key

log = logging.getLogger(__name__)

# RFC 9309 asks crawlers to read at least 500 KiB of a robots.txt.
ROBOTS_MAX_BYTES = 512 * 1024


@dataclass(frozen=True)
class RobotsVerdict:
    allowed: bool
    crawl_delay: float | None = None
    temporary: bool = False  # True when robots.txt could not be read (retry later)
    reason: str = ""


@dataclass(frozen=True)
class _Rules:
    parser: RobotFileParser | None  # None: everything allowed
    unavailable: str = ""  # non-empty: robots.txt could not be read, disallow for now


class RobotsCache:
    """Per-crawl, per-host robots.txt rules; safe to use from many threads."""

    def __init__(self, client: HttpClient, user_agent: str) -> None:
        self.client = client
        self.user_agent = user_agent
        self._rules: dict[str, _Rules] = {}
        self._guard = threading.Lock()
        self._host_locks: dict[str, threading.Lock] = {}

    def check(self, url: str, user_agent: str | None = None) -> RobotsVerdict:
        agent = user_agent or self.user_agent
        rules = self._rules_for(url, agent)
        if rules.unavailable:
            return RobotsVerdict(False, temporary=True, reason=rules.unavailable)
        if rules.parser is None:
            return RobotsVerdict(True)
        delay = rules.parser.crawl_delay(agent)
        allowed = rules.parser.can_fetch(agent, url)
        return RobotsVerdict(
            allowed,
            crawl_delay=float(delay) if delay is not None else None,
            reason="" if allowed else f"{url}: disallowed by robots.txt",
        )

    def _rules_for(self, url: str, agent: str) -> _Rules:
        key = host_key(url)
        with self._guard:
            lock = self._host_locks.setdefault(key, threading.Lock())
        with lock:  # one fetch of robots.txt per host, even with many threads
            if key not in self._rules:
                self._rules[key] = self._fetch(url, agent)
            return self._rules[key]

    def _fetch(self, url: str, agent: str) -> _Rules:
        parts = urlsplit(url)
        robots_url = urlunsplit((parts.scheme, parts.netloc, "/robots.txt", "", ""))
        try:
            result = self.client.get(
                robots_url,
                user_agent=agent,
                accept="text/plain",
                max_bytes=ROBOTS_MAX_BYTES,
                check_hop=lambda hop: check_link(hop, frozenset({host_key(url)})),
                check_peer=lambda hop, ip: check_peer(hop, ip, frozenset({host_key(url)})),
            )
        except HTTPStatusError as exc:
            if 400 <= exc.status < 500:
                return _Rules(None)
            return _Rules(None, f"{robots_url}: unavailable (HTTP {exc.status}); pages wait")
        except FetchError as exc:
            return _Rules(None, f"{exc}; pages wait until robots.txt can be read")
        text = result.content.decode("utf-8", errors="replace")
        parser = RobotFileParser(robots_url)
        parser.parse(text.splitlines())
        return _Rules(parser)
