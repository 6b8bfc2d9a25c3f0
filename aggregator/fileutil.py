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
    in that file's directory) and the link stays a link. A pipe or a device
    (``/dev/null``, ``/dev/stdout``) is written into, never replaced. An existing file keeps
    its permission bits and its line endings (CRLF stays CRLF); ``mode`` is for a
    new file.
    """
    if is_special(path):
        _write_into(path, text)
        return
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
    except (FileExistsError, NotADirectoryError):
        raise WriteError(
            f"{path}: cannot write here: {file_in_the_way(directory)} is a file, not a "
            "directory; choose another path"
        ) from None
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


def is_special(path: Path) -> bool:
    """A pipe, a terminal or a device (``/dev/null``, ``/dev/stdout``): something to
    write into, never to replace with a file of our own."""
    try:
        mode = os.stat(path).st_mode  # through symlinks: /dev/stdout is one
    except OSError:
        return False
    return not stat.S_ISREG(mode) and not stat.S_ISDIR(mode)


def _write_into(path: Path, text: str) -> None:
    try:
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(text)
    except OSError as exc:
        raise WriteError(f"{path}: cannot write: {exc.strerror or exc}") from None


def file_in_the_way(directory: Path) -> Path:
    """The nearest ancestor of ``directory`` (or itself) that exists and is not a
    directory: what stops a path from being created."""
    for candidate in (directory, *directory.parents):
        if candidate.exists() and not candidate.is_dir():
            return candidate
    return directory
