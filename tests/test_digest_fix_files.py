"""Dated digests in a directory: every run gets its own file, none is overwritten."""

from __future__ import annotations

import json
import os
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from query_helpers import build_store

from aggregator.digest import files
from aggregator.digest.files import write_dated
from aggregator.digest.service import write_digest

NOW = datetime(2026, 11, 21, 10, 0, 0, tzinfo=UTC)
DAILY = timedelta(days=1)


def test_digests_in_the_same_second_get_their_own_files(tmp_path: Path) -> None:
    store = build_store(tmp_path / "d.db")
    out = tmp_path / "digests"
    windows = [NOW - timedelta(days=d) for d in range(1, 7)]
    paths = [
        write_digest(store, "json", out, directory=True, since=since, now=NOW).path
        for since in windows
    ]
    names = [p.name for p in paths if p is not None]
    assert names == [
        "digest-2026-11-21.json",
        "digest-2026-11-21T100000.json",
        "digest-2026-11-21T100000-2.json",
        "digest-2026-11-21T100000-3.json",
        "digest-2026-11-21T100000-4.json",
        "digest-2026-11-21T100000-5.json",
    ]
    assert sorted(p.name for p in out.iterdir()) == sorted(names)  # no temporary files left
    # Each file still holds the digest written to it.
    for path, since in zip(paths, windows, strict=True):
        assert path is not None
        assert json.loads(path.read_text())["since"] == since.isoformat()


def test_sub_daily_names_keep_the_time_and_count_on(tmp_path: Path) -> None:
    hourly = timedelta(hours=1)
    first = write_dated(tmp_path, NOW, "md", hourly, "one\n")
    second = write_dated(tmp_path, NOW, "md", hourly, "two\n")
    assert (first.name, second.name) == (
        "digest-2026-11-21T100000.md",
        "digest-2026-11-21T100000-2.md",
    )
    assert (first.read_text(), second.read_text()) == ("one\n", "two\n")
    assert oct(second.stat().st_mode & 0o777) == oct(0o644)


def test_an_existing_file_is_never_overwritten(tmp_path: Path) -> None:
    for name in ("digest-2026-11-21.md", "digest-2026-11-21T100000.md"):
        (tmp_path / name).write_text("keep me\n")
    path = write_dated(tmp_path, NOW, "md", DAILY, "new\n")
    assert path.name == "digest-2026-11-21T100000-2.md"
    assert (tmp_path / "digest-2026-11-21.md").read_text() == "keep me\n"
    assert (tmp_path / "digest-2026-11-21T100000.md").read_text() == "keep me\n"


def test_concurrent_writers_never_share_a_name(tmp_path: Path) -> None:
    out = tmp_path / "out"
    texts = [f"digest {i}\n" for i in range(8)]
    barrier = threading.Barrier(len(texts))
    written: list[Path] = []

    def run(text: str) -> None:
        barrier.wait()
        written.append(write_dated(out, NOW, "md", DAILY, text))

    threads = [threading.Thread(target=run, args=(t,)) for t in texts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len({p.name for p in written}) == len(texts)
    assert sorted(p.read_text() for p in out.iterdir()) == sorted(texts)


def test_without_hard_links_the_name_is_still_claimed_exclusively(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_links(src: str, dst: str) -> None:
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(files.os, "link", no_links)
    out = tmp_path / "out"
    out.mkdir()
    (out / "digest-2026-11-21.md").write_text("keep me\n")
    path = write_dated(out, NOW, "md", DAILY, "new\n")
    assert path.name == "digest-2026-11-21T100000.md" and path.read_text() == "new\n"
    assert (out / "digest-2026-11-21.md").read_text() == "keep me\n"
    assert sorted(os.listdir(out)) == ["digest-2026-11-21.md", "digest-2026-11-21T100000.md"]


def test_a_pipe_is_written_into_not_replaced_and_keeps_no_state(tmp_path: Path) -> None:
    store = build_store(tmp_path / "d.db")
    fifo = tmp_path / "digest.pipe"
    os.mkfifo(fifo)
    received: list[str] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_text()), daemon=True)
    reader.start()
    result = write_digest(store, "json", fifo, since=NOW - timedelta(days=7), now=NOW)
    reader.join(timeout=10)
    assert fifo.is_fifo()  # still the pipe, not a file renamed over it
    assert received == [result.text]
    assert json.loads(received[0])["stories"]
    # No state kept for it: the next digest there starts from the default window again.
    assert store.query("SELECT count(*) AS n FROM digest_state")[0]["n"] == 0
