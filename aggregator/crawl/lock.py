"""One crawl at a time per database, so overlapping cron runs cannot collide.

An advisory ``flock`` on a file next to the database: the kernel drops it when
the process ends in any way (even SIGKILL), so a stale lock cannot block later
runs and there is nothing to clean up by hand.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from aggregator.errors import AggregatorError


class CrawlLockedError(AggregatorError):
    """Another crawl holds the lock for this database."""


def lock_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".crawl.lock")


@contextmanager
def crawl_lock(db_path: Path) -> Iterator[Path]:
    """Hold the crawl lock for ``db_path`` or raise :class:`CrawlLockedError` at once."""
    path = lock_path(db_path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except (FileExistsError, NotADirectoryError):
        raise CrawlLockedError(
            f"{db_path}: a part of this path is a file, not a directory; pass another --db path"
        ) from None
    except OSError as exc:
        raise CrawlLockedError(
            f"{path}: cannot create the crawl lock beside the database "
            f"({exc.strerror or exc}); pass a --db path in a directory this user can write"
        ) from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
            who = f", pid {holder}" if holder.isdigit() else ""
            raise CrawlLockedError(
                f"another crawl is running (lock {path}{who}); this run did nothing. "
                "Let it finish, or space the cron runs further apart"
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode("ascii"), 0)
        try:
            yield path
        finally:
            os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
