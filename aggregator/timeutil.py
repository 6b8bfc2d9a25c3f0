"""Parsing and formatting of times and durations shared by the CLI and the stages.

All times are stored as ISO 8601 UTC strings ("2026-11-21T10:00:00+00:00") so that
SQLite compares them as text in the right order.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhdw])\s*$", re.IGNORECASE)
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}


def utcnow() -> datetime:
    return datetime.now(UTC)


def parse_duration(text: str) -> timedelta:
    """'30m', '24h', '7d', '2w', '45s' -> timedelta; raises ValueError with a hint."""
    match = _DURATION.match(text or "")
    if not match:
        raise ValueError(
            f"{text!r} is not a duration; use a number and a unit, like 30m, 24h or 7d"
        )
    return timedelta(seconds=float(match.group(1)) * _UNITS[match.group(2).lower()])


def parse_datetime(text: str) -> datetime:
    """An ISO 8601 date or time; naive values are taken as UTC."""
    value = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def parse_since(text: str, now: datetime | None = None) -> datetime:
    """``--since`` values: a duration back from now ('24h', '7d') or an ISO date."""
    now = now or utcnow()
    try:
        return now - parse_duration(text)
    except ValueError:
        pass
    try:
        return parse_datetime(text)
    except ValueError:
        raise ValueError(
            f"{text!r} is neither a duration (24h, 7d) nor an ISO date (2026-11-01)"
        ) from None


def to_iso(value: datetime | None) -> str | None:
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).isoformat(timespec="seconds")
