"""Where digests go: dated names in a directory (writes are atomic, see fileutil).

A dated file is written to a temporary file first and then given its name with a
hard link, which fails if the name is taken, so a reader never sees half a digest
and no digest ever replaces another, even when two runs write in the same second.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import tempfile
from collections.abc import Iterable, Iterator
from datetime import datetime, timedelta
from pathlib import Path

from aggregator.fileutil import WriteError, file_in_the_way, write_atomic

DAY = timedelta(days=1)

__all__ = ["dated_names", "dated_path", "write_atomic", "write_dated", "write_new"]


def dated_names(
    directory: Path, moment: datetime, extension: str, every: timedelta
) -> Iterator[Path]:
    """The names a dated digest may take, in order of preference.

    ``digest-2026-11-21.md`` for daily digests, then the time too
    (``digest-2026-11-21T100000.md``; always the time when more frequent), then
    ``digest-2026-11-21T100000-2.md``, ``-3`` ... for more digests in that second.
    """
    day = moment.strftime("%Y-%m-%d")
    stamp = moment.strftime("%Y-%m-%dT%H%M%S")
    if every >= DAY:
        yield directory / f"digest-{day}.{extension}"
    yield directory / f"digest-{stamp}.{extension}"
    for number in itertools.count(2):
        yield directory / f"digest-{stamp}-{number}.{extension}"


def dated_path(directory: Path, moment: datetime, extension: str, every: timedelta) -> Path:
    """The first of :func:`dated_names` not taken yet. Another run may take it before
    it is written: write with :func:`write_dated`, which claims the name itself."""
    return next(
        path for path in dated_names(directory, moment, extension, every) if not path.exists()
    )


def write_dated(
    directory: Path, moment: datetime, extension: str, every: timedelta, text: str
) -> Path:
    """Write ``text`` under the first free dated name in ``directory``; returns the path.
    An existing file is never overwritten."""
    return write_new(directory, dated_names(directory, moment, extension, every), text)


def write_new(directory: Path, names: Iterable[Path], text: str, mode: int = 0o644) -> Path:
    """Write ``text`` under the first of ``names`` (all in ``directory``) that does not
    exist yet, claiming it atomically; returns the path written."""
    try:
        directory.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(prefix=".digest-", suffix=".tmp", dir=directory)
    except (FileExistsError, NotADirectoryError):
        raise WriteError(
            f"{directory}: cannot write here: {file_in_the_way(directory)} is a file, not a "
            "directory; choose another path"
        ) from None
    except OSError as exc:
        raise WriteError(f"{directory}: cannot write here: {exc.strerror or exc}") from None
    path = directory
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, mode)
        for path in names:
            if _claim(temp, path, mode):
                return path
        raise WriteError(f"{directory}: no free name for a digest")
    except OSError as exc:
        raise WriteError(f"{path}: cannot write: {exc.strerror or exc}") from None
    finally:
        with contextlib.suppress(OSError):
            os.unlink(temp)


def _claim(temp: str, path: Path, mode: int) -> bool:
    """Give the written ``temp`` the name ``path`` unless it is taken (False then)."""
    try:
        os.link(temp, path)  # fails if the name exists: atomic and exclusive
        return True
    except FileExistsError:
        return False
    except OSError:
        pass  # no hard links on this file system: reserve the name, then fill it
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode))
    except FileExistsError:
        return False
    try:
        os.replace(temp, path)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(path)  # the empty file reserved above, nobody else's
        raise
    return True
