"""Writing digests: atomically, and with dated names in a directory."""

from __future__ import annotations

import contextlib
import os
import tempfile
from datetime import datetime, timedelta
from pathlib import Path

from aggregator.errors import AggregatorError

DAY = timedelta(days=1)


class DigestError(AggregatorError):
    """A digest cannot be written where asked."""


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to a temporary file beside ``path`` and rename it into place,
    so a reader (a web server, a mailer) never sees half a digest."""
    directory = path.parent
    try:
        directory.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise DigestError(f"{path}: cannot write the digest here: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, 0o644)
        os.replace(temp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise DigestError(f"{path}: cannot write the digest: {exc.strerror or exc}") from None
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


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
