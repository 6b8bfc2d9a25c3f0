"""Producing and writing digests: the window, the rendering, the state, the schedule.

The window of a digest written to a path starts where the previous digest for
that path ended (kept in the store's ``digest_state`` as the last article id it
covered), or 24 hours back on a first run; ``--since`` overrides it.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Protocol

from aggregator.digest import EXTENSIONS, render
from aggregator.digest.files import write_atomic, write_dated
from aggregator.digest.model import Digest
from aggregator.digest.select import build_digest
from aggregator.fileutil import is_special
from aggregator.store import Store
from aggregator.timeutil import to_iso, utcnow

log = logging.getLogger(__name__)
FIRST_DIGEST_WINDOW = timedelta(hours=24)
STDOUT_TARGET = "-"


@dataclass(frozen=True)
class DigestResult:
    digest: Digest
    text: str
    path: Path | None  # None: printed, not written


def is_directory_target(output: Path, raw: str) -> bool:
    return output.is_dir() or raw.endswith(("/", "\\"))


def target_key(output: Path | None, fmt: str, directory: bool) -> str:
    """What digest state is kept under: the file, or the directory and format."""
    if output is None:
        return STDOUT_TARGET
    resolved = str(output.resolve())
    return f"{resolved}/*.{EXTENSIONS[fmt]}" if directory else resolved


@dataclass(frozen=True)
class Window:
    since: str  # shown as the start of the digest
    until: str
    through_id: int  # the newest article when the digest was made
    after_id: int | None = None  # continue after this article (from the state)
    since_filter: str | None = None  # or: first seen since this time


def window_for(store: Store, target: str, since: datetime | None, now: datetime) -> Window:
    """--since if given; else after the previous digest to ``target``; else 24 hours."""
    until = to_iso(now) or ""
    through = store.last_article_id()
    if since is not None:
        start = to_iso(since) or ""
        return Window(start, until, through, since_filter=start)
    state = store.digest_state(target) if target != STDOUT_TARGET else None
    if state is not None:
        return Window(str(state["until"]), until, through, after_id=state["last_article_id"])
    start = to_iso(now - FIRST_DIGEST_WINDOW) or ""
    return Window(start, until, through, since_filter=start)


def produce_digest(
    store: Store,
    fmt: str,
    target: str,
    since: datetime | None = None,
    now: datetime | None = None,
    title: str = "News digest",
) -> tuple[Digest, str, Window]:
    now = (now or utcnow()).replace(microsecond=0)
    window = window_for(store, target, since, now)
    rows = store.new_articles(window.through_id, window.since_filter, window.after_id)
    totals = store.story_totals(sorted({r["story_id"] for r in rows}))
    digest = build_digest(
        rows,
        totals,
        since=window.since,
        until=window.until,
        generated=window.until,
        feed_id=target,
        title=title,
    )
    return digest, render(digest, fmt), window


def write_digest(
    store: Store,
    fmt: str,
    output: Path | None,
    directory: bool = False,
    since: datetime | None = None,
    now: datetime | None = None,
    every: timedelta = timedelta(days=1),
) -> DigestResult:
    """Render a digest and write it (atomically) to ``output``, or return it to print."""
    now = (now or utcnow()).replace(microsecond=0)
    # A pipe or a device (-o /dev/stdout) is printed to, in effect: no file to continue.
    special = output is not None and not directory and is_special(output)
    target = target_key(None if special else output, fmt, directory)
    digest, text, window = produce_digest(store, fmt, target, since=since, now=now)
    if output is None:
        return DigestResult(digest, text, None)
    if directory:
        path = write_dated(output, now, EXTENSIONS[fmt], every, text)
    else:
        path = output
        write_atomic(path, text)
        if special:
            return DigestResult(digest, text, path)
    store.save_digest_state(
        target, fmt, digest.since, digest.until, window.through_id, to_iso(utcnow()) or ""
    )
    return DigestResult(digest, text, path)


class StoreOpener(Protocol):
    def __call__(self) -> Store: ...


def run_schedule(
    open_store: StoreOpener,
    fmt: str,
    directory: Path,
    every: timedelta,
    since: datetime | None = None,
    count: int = 0,
    report: Callable[[DigestResult], None] = lambda result: None,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], datetime] = utcnow,
) -> int:
    """Write a dated digest into ``directory`` every ``every`` until stopped
    (or ``count`` digests when count > 0); returns how many were written.

    Runs are aligned to the first run's time so they do not drift; the store is
    opened per run and closed while waiting, so crawls are never blocked.
    """
    started = clock()
    written = 0
    while True:
        with open_store() as store:
            result = write_digest(
                store, fmt, directory, directory=True, since=since, now=clock(), every=every
            )
        since = None  # only the first run uses an explicit --since
        written += 1
        report(result)
        if count and written >= count:
            return written
        next_run = started + every * written
        delay = (next_run - clock()).total_seconds()
        if delay > 0:
            sleep(delay)
