"""Producing and writing digests: the window, the rendering, the state, the schedule.

The window of a digest written to a path starts where the previous digest for
that path ended (kept in the store's ``digest_state``), or 24 hours back on a
first run; ``--since`` overrides it.
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
from aggregator.digest.files import dated_path, write_atomic
from aggregator.digest.model import Digest
from aggregator.digest.select import build_digest
from aggregator.store import Store
from aggregator.timeutil import parse_datetime, to_iso, utcnow

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


def window_for(store: Store, target: str, since: datetime | None, now: datetime) -> tuple[str, str]:
    until = to_iso(now) or ""
    if since is not None:
        return to_iso(since) or "", until
    state = store.digest_state(target) if target != STDOUT_TARGET else None
    if state is not None and state["until"] < until:
        return str(state["until"]), until
    return to_iso(now - FIRST_DIGEST_WINDOW) or "", until


def produce_digest(
    store: Store,
    fmt: str,
    target: str,
    since: datetime | None = None,
    now: datetime | None = None,
    title: str = "News digest",
) -> tuple[Digest, str]:
    now = (now or utcnow()).replace(microsecond=0)
    start, until = window_for(store, target, since, now)
    rows = store.new_articles(start, until)
    totals = store.story_totals(sorted({r["story_id"] for r in rows}))
    digest = build_digest(
        rows,
        totals,
        since=start,
        until=until,
        generated=until,
        feed_id=target,
        title=title,
    )
    return digest, render(digest, fmt)


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
    target = target_key(output, fmt, directory)
    digest, text = produce_digest(store, fmt, target, since=since, now=now)
    if output is None:
        return DigestResult(digest, text, None)
    path = dated_path(output, now, EXTENSIONS[fmt], every) if directory else output
    write_atomic(path, text)
    store.save_digest_state(target, fmt, digest.since, digest.until, to_iso(utcnow()) or "")
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


def parse_state_time(value: str) -> datetime:
    return parse_datetime(value)
