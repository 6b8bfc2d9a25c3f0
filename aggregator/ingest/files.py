"""Local inputs for ``aggregator import``: find files, read them, parse them.

Reading is the only I/O; each file becomes batches of parsed articles plus one
error message per record or file that could not be used, naming file and line.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from aggregator.errors import InputError
from aggregator.models import Article
from aggregator.normalize.urls import file_uri
from aggregator.parse import parse_html, parse_record, parse_text
from aggregator.parse.encoding import decode_html, decode_text

SUFFIXES = {".jsonl": "jsonl", ".html": "html", ".htm": "html", ".txt": "text"}
MB = 1024 * 1024
MAX_FILE_BYTES = 50 * MB
MAX_LINE_BYTES = 10 * MB
BATCH_SIZE = 500
# A file whose first lines all fail to read as JSON is not JSONL (binary, CSV, a
# feed): one message for it, not one per line.
MAX_UNREADABLE_LEADING_LINES = 20


@dataclass
class Batch:
    """Articles to store in one transaction, and the inputs that failed to parse."""

    origin: str
    articles: list[Article] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def find_inputs(paths: list[Path]) -> Iterator[Path | InputError]:
    """Files to import: given files as they are, directories walked for known suffixes."""
    for path in paths:
        if path.is_dir():
            found = skipped = 0
            for child in sorted(path.rglob("*")):
                if child.is_file() and child.suffix.lower() in SUFFIXES:
                    found += 1
                    yield child
                elif child.is_file() and not child.name.startswith("."):
                    skipped += 1
            if not found:
                others = f" ({skipped} other files skipped)" if skipped else ""
                yield InputError(
                    f"{path}: no .jsonl, .html, .htm or .txt files in this folder{others}; "
                    "import takes those"
                )
        elif not path.exists():
            yield InputError(f"{path}: no such file or directory")
        elif path.suffix.lower() not in SUFFIXES:
            yield InputError(
                f"{path}: unsupported file type '{path.suffix or '(none)'}'; "
                "import takes .jsonl, .html, .htm and .txt"
            )
        else:
            yield path


def _read(path: Path) -> bytes:
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise InputError(
                f"{path}: file is {size // MB} MB, over the {MAX_FILE_BYTES // MB} MB limit; "
                "split it into smaller files"
            )
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None
    if not data.strip():
        raise InputError(f"{path}: file is empty")
    return data


def _document(path: Path, kind: str) -> Article:
    data = _read(path)
    url = file_uri(path)
    try:
        if kind == "text":
            return parse_text(decode_text(data), url=url)
        return parse_html(decode_html(data), url=url)
    except InputError as exc:
        raise InputError(f"{path}: {exc}") from None


def _json_problem(exc: json.JSONDecodeError) -> str:
    """ "Expecting value at column 3", "Unterminated string starting at column 39"."""
    message = exc.msg.removesuffix(" at")
    return f"{message} at column {exc.colno}"


def _jsonl_batches(path: Path) -> Iterator[Batch]:
    batch = Batch(origin=str(path))
    try:
        handle = path.open("rb")
    except OSError as exc:
        batch.errors.append(f"{path}: cannot read: {exc.strerror or exc}")
        yield batch
        return
    any_line = False
    json_lines = unreadable = 0
    with handle:
        for number, raw in enumerate(handle, start=1):
            where = f"{path}:{number}"
            if not raw.strip():
                continue
            any_line = True
            if not json_lines and unreadable >= MAX_UNREADABLE_LEADING_LINES:
                # One message for the file instead of its lines' (nothing was read
                # from it yet, so every error so far is one of those).
                batch.errors[:] = [
                    f"{path}: not a JSONL file (its first {unreadable} lines are not JSON); "
                    "skipped. Import takes one JSON object per line"
                ]
                break
            if len(raw) > MAX_LINE_BYTES:
                batch.errors.append(f"{where}: line is over {MAX_LINE_BYTES // MB} MB; skipped")
                continue
            try:
                record = json.loads(raw.decode("utf-8-sig"))
                json_lines += 1
                batch.articles.append(parse_record(record))
            except UnicodeDecodeError:
                unreadable += 1
                batch.errors.append(f"{where}: not UTF-8; re-save the file as UTF-8")
            except json.JSONDecodeError as exc:
                unreadable += 1
                batch.errors.append(f"{where}: not valid JSON ({_json_problem(exc)})")
            except InputError as exc:
                batch.errors.append(f"{where}: {exc}")
            if len(batch.articles) >= BATCH_SIZE:
                yield batch
                batch = Batch(origin=str(path))
    if not any_line:
        batch.errors.append(f"{path}: file is empty")
    yield batch


@dataclass
class Item:
    """One input for ``extract``: a file, or one line of a JSONL file, parsed or not."""

    where: str
    url: str | None
    article: Article | None = None
    error: str | None = None


def read_items(paths: list[Path]) -> Iterator[Item]:
    """Every input parsed on its own, in order; failures carry their reason."""
    for item in find_inputs(paths):
        if isinstance(item, InputError):
            yield Item(where=str(item).split(": ", 1)[0], url=None, error=str(item))
            continue
        kind = SUFFIXES[item.suffix.lower()]
        if kind != "jsonl":
            try:
                yield Item(where=str(item), url=file_uri(item), article=_document(item, kind))
            except InputError as exc:
                yield Item(where=str(item), url=file_uri(item), error=str(exc))
            continue
        yield from _jsonl_items(item)


def _jsonl_items(path: Path) -> Iterator[Item]:
    try:
        handle = path.open("rb")
    except OSError as exc:
        yield Item(where=str(path), url=None, error=f"{path}: cannot read: {exc.strerror or exc}")
        return
    with handle:
        for number, raw in enumerate(handle, start=1):
            where = f"{path}:{number}"
            if not raw.strip():
                continue
            if len(raw) > MAX_LINE_BYTES:
                yield Item(where=where, url=None, error=f"{where}: line is over the size limit")
                continue
            try:
                record = json.loads(raw.decode("utf-8-sig"))
                url = record.get("url") if isinstance(record, dict) else None
                yield Item(
                    where=where,
                    url=url if isinstance(url, str) else None,
                    article=parse_record(record),
                )
            except UnicodeDecodeError:
                yield Item(
                    where=where, url=None, error=f"{where}: not UTF-8; re-save the file as UTF-8"
                )
            except json.JSONDecodeError as exc:
                yield Item(
                    where=where,
                    url=None,
                    error=f"{where}: not valid JSON ({_json_problem(exc)})",
                )
            except InputError as exc:
                yield Item(where=where, url=None, error=f"{where}: {exc}")


def read_batches(paths: list[Path]) -> Iterator[Batch]:
    """Batches in input order: a JSONL file in chunks, every other file on its own."""
    for item in find_inputs(paths):
        if isinstance(item, InputError):
            yield Batch(origin="", errors=[str(item)])
            continue
        kind = SUFFIXES[item.suffix.lower()]
        if kind == "jsonl":
            yield from _jsonl_batches(item)
            continue
        batch = Batch(origin=str(item))
        try:
            batch.articles.append(_document(item, kind))
        except InputError as exc:
            batch.errors.append(str(exc))
        yield batch
