"""Atomic file writes, shared by digests and feeds.yaml edits."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from aggregator.errors import AggregatorError


class WriteError(AggregatorError):
    """A file cannot be written where asked."""


def write_atomic(path: Path, text: str, mode: int = 0o644) -> None:
    """Write ``text`` to a temporary file beside ``path`` and rename it into place,
    so a reader (a web server, a mailer, a crawl reading feeds.yaml) never sees
    half a file, and a failure leaves the old file as it was."""
    directory = path.parent
    try:
        directory.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise WriteError(f"{path}: cannot write here: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, mode)
        os.replace(temp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise WriteError(f"{path}: cannot write: {exc.strerror or exc}") from None
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
