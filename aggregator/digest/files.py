"""Where digests go: dated names in a directory (writes are atomic, see fileutil)."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from aggregator.fileutil import write_atomic

DAY = timedelta(days=1)

__all__ = ["dated_path", "write_atomic"]


def dated_path(directory: Path, moment: datetime, extension: str, every: timedelta) -> Path:
    """``digest-2026-11-21.md`` for daily digests; with the time when more frequent.

    An existing file is never overwritten: a second digest on the same day gets
    the time in its name too.
    """
    day = moment.strftime("%Y-%m-%d")
    stamp = moment.strftime("%Y-%m-%dT%H%M%S")
    path = directory / f"digest-{day if every >= DAY else stamp}.{extension}"
    if path.exists():
        path = directory / f"digest-{stamp}.{extension}"
    return path
