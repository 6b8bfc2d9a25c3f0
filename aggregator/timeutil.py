"""Parsing and formatting of times and durations shared by the CLI and the stages.

All times are stored as ISO 8601 UTC strings ("2026-11-21T10:00:00+00:00") so that
SQLite compares them as text in the right order.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhdw])\s*$", re.IGNORECASE)
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}
# Longer than any sensible window or interval, yet small enough that "now" minus or
# plus it, and a sleep of it, stay inside what datetime and time.sleep can hold.
MAX_DURATION = timedelta(days=36500)


class OutOfRangeError(ValueError):
    """A well-formed duration or date that datetime cannot represent."""


def utcnow() -> datetime:
    return datetime.now(UTC)


def parse_duration(text: str) -> timedelta:
    """'30m', '24h', '7d', '2w', '45s' -> timedelta; raises ValueError with a hint."""
    match = _DURATION.match(text or "")
    if not match:
        raise ValueError(
            f"{text!r} is not a duration; use a number and a unit, like 30m, 24h or 7d"
        )
    seconds = float(match.group(1)) * _UNITS[match.group(2).lower()]
    if seconds > MAX_DURATION.total_seconds():
        raise OutOfRangeError(
            f"{text!r} is too long; durations go up to {MAX_DURATION.days}d (about 100 years)"
        )
    return timedelta(seconds=seconds)


def parse_datetime(text: str) -> datetime:
    """An ISO 8601 date or time; naive values are taken as UTC.

    Raises ValueError (never OverflowError, which callers parsing feeds do not
    expect) for a date that only leaves datetime's range once moved to UTC.
    """
    value = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    try:
        return value.astimezone(UTC)
    except OverflowError:
        raise OutOfRangeError(
            f"{text!r} is out of range; use a date between 0001-01-02 and 9999-12-30"
        ) from None


def parse_since(text: str, now: datetime | None = None) -> datetime:
    """``--since`` values: a duration back from now ('24h', '7d') or an ISO date.

    Raises ValueError whose message names the allowed forms; a duration or date
    out of range says so rather than claiming the text is malformed.
    """
    now = now or utcnow()
    if _DURATION.match(text or ""):
        return _before(now, parse_duration(text))
    try:
        return parse_datetime(text)
    except OutOfRangeError:
        raise
    except ValueError:
        raise ValueError(
            f"{text!r} is neither a duration (24h, 7d) nor an ISO date (2026-11-01)"
        ) from None


def _before(now: datetime, duration: timedelta) -> datetime:
    try:
        return now - duration
    except OverflowError:
        raise OutOfRangeError(f"{duration.days}d before {to_iso(now)} is before year 1") from None


def to_iso(value: datetime | None) -> str | None:
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).isoformat(timespec="seconds")
