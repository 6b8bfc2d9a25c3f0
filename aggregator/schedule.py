"""When to fetch a source next: pure arithmetic on times and counts.

A source that posts hourly is polled about every half hour; one that posts weekly
is polled at ``max_interval``. Failures back off (interval x consecutive errors,
with jitter so that many failing sources do not retry in lockstep, capped at a
day) but are always retried: a source is never given up on silently.
"""

from __future__ import annotations

import itertools
import random
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from aggregator.config import Settings, SourceConfig
from aggregator.timeutil import parse_duration

MAX_ERROR_BACKOFF = timedelta(days=1)
# A Retry-After longer than this is taken as a week: a typo or a hostile header
# must not silence a source for years.
MAX_RETRY_AFTER = timedelta(days=7)
# Poll twice per typical gap between posts, so a new post waits half a gap at most.
POLLS_PER_POST = 2.0
# Without post dates, each fetch that finds nothing new stretches the interval by
# this factor, and one that finds something halves it.
QUIET_GROWTH = 1.5
RECENT_POSTS = 10
JITTER = 0.1


@dataclass(frozen=True)
class Bounds:
    minimum: float
    maximum: float
    default: float

    @classmethod
    def from_settings(cls, settings: Settings) -> Bounds:
        low = parse_duration(settings.min_interval).total_seconds()
        high = max(low, parse_duration(settings.max_interval).total_seconds())
        default = parse_duration(settings.default_interval).total_seconds()
        return cls(low, high, min(max(default, low), high))

    def clamp(self, seconds: float) -> float:
        return min(max(seconds, self.minimum), self.maximum)


def base_interval(source: SourceConfig, bounds: Bounds, current: float | None) -> float:
    """The interval to start from: the source's fixed one, else its learned one."""
    if source.interval:
        return parse_duration(source.interval).total_seconds()
    return current if current else bounds.default


def adapt_interval(
    source: SourceConfig,
    bounds: Bounds,
    current: float | None,
    post_dates: Sequence[datetime],
    found_new: bool,
    now: datetime,
) -> float:
    """The next polling interval, following the source's posting rate.

    With dated posts: half the typical gap between recent posts, or half the age
    of the newest post when the source has gone quiet. Without dates: shrink
    after news, grow after silence. A source with its own ``interval`` keeps it.
    """
    if source.interval:
        return base_interval(source, bounds, current)
    previous = current or bounds.default
    dates = sorted({d for d in post_dates if d <= now}, reverse=True)[:RECENT_POSTS]
    if len(dates) >= 2:
        gaps = [(a - b).total_seconds() for a, b in itertools.pairwise(dates)]
        typical = statistics.median(gaps)
        quiet_for = (now - dates[0]).total_seconds()
        return bounds.clamp(max(typical, quiet_for) / POLLS_PER_POST)
    if found_new:
        return bounds.clamp(previous / 2)
    return bounds.clamp(previous * QUIET_GROWTH)


def next_after_success(
    now: datetime,
    interval: float,
    max_age: float | None,
    bounds: Bounds,
    rng: random.Random,
) -> datetime:
    """Next fetch after a good one: the interval less some jitter, no sooner than
    the server's Cache-Control max-age (itself capped at ``max_interval``)."""
    seconds = interval * (1 - JITTER * rng.random())
    if max_age is not None:
        seconds = max(seconds, min(max_age, bounds.maximum))
    return now + timedelta(seconds=seconds)


def next_after_error(
    now: datetime,
    interval: float,
    error_count: int,
    retry_after: float | None,
    rng: random.Random,
) -> datetime:
    """Back off: interval x consecutive errors, jittered, capped at a day; a
    Retry-After from the server (429/503) pushes it further, up to a week."""
    backoff = interval * max(error_count, 1) * (1 + JITTER * (2 * rng.random() - 1))
    delay = min(timedelta(seconds=backoff), MAX_ERROR_BACKOFF)
    if retry_after is not None:
        delay = max(delay, min(timedelta(seconds=retry_after), MAX_RETRY_AFTER))
    return now + delay


def is_due(next_fetch: str | None, now: datetime) -> bool:
    if not next_fetch:
        return True
    try:
        return datetime.fromisoformat(next_fetch) <= now
    except ValueError:
        return True
