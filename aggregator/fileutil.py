"""Atomic file writes, shared by digests and feeds.yaml edits."""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path

from aggregator.errors import AggregatorError


class WriteError(AggregatorError):
    """A file cannot be written where asked."""


def _newline_of(path: Path) -> str:
    """The line ending an existing file uses: CRLF when its first line ends so."""
    try:
        with path.open("rb") as handle:
            head = handle.read(64 * 1024)
    except OSError:
        return "\n"
    first = head.find(b"\n")
    return "\r\n" if first > 0 and head[first - 1 : first] == b"\r" else "\n"


def write_atomic(path: Path, text: str, mode: int = 0o644) -> None:
    """Write ``text`` to a temporary file beside ``path`` and rename it into place,
    so a reader (a web server, a mailer, a crawl reading feeds.yaml) never sees
    half a file, and a failure leaves the old file as it was.

    A symlink is written through: the file it points to is replaced (atomically,
    in that file's directory) and the link stays a link. An existing file keeps
    its permission bits and its line endings (CRLF stays CRLF); ``mode`` is for a
    new file.
    """
    target = Path(os.path.realpath(path)) if path.is_symlink() else path
    try:
        existing: os.stat_result | None = target.stat()
    except OSError:
        existing = None
    if existing is not None and stat.S_ISREG(existing.st_mode):
        mode = stat.S_IMODE(existing.st_mode)
        newline = _newline_of(target)
    else:
        newline = "\n"
    if newline == "\r\n":
        text = text.replace("\r\n", "\n")  # each \n becomes \r\n once when written
    directory = target.parent
    try:
        directory.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise WriteError(f"{path}: cannot write here: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline=newline) as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, mode)
        os.replace(temp, target)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise WriteError(f"{path}: cannot write: {exc.strerror or exc}") from None
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
