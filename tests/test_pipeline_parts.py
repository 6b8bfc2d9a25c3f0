"""Large imports: prepared articles handed over in parts, one transaction per group."""

from __future__ import annotations

import gc
import json
import multiprocessing
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from aggregator import pipeline
from aggregator.errors import StoreError
from aggregator.ingest import files
from aggregator.models import Article
from aggregator.pipeline import import_paths
from aggregator.store import open_store


def write_jsonl(path: Path, count: int, bad_every: int = 0) -> list[str]:
    """``count`` lines, every ``bad_every``-th one not JSON; returns the good URLs."""
    urls: list[str] = []
    with path.open("w", encoding="utf-8") as out:
        for number in range(count):
            if bad_every and number % bad_every == bad_every - 1:
                out.write("{not json\n")
                continue
            url = f"https://parts.example/{path.stem}/{number}"
            urls.append(url)
            record = {
                "url": url,
                "title": f"Note {number} from {path.stem}",
                "body": f"Item {number} of {path.stem}: a short text that says little.",
            }
            out.write(json.dumps(record) + "\n")
    return urls


@pytest.fixture
def small_parts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pipeline, "PARALLEL_MIN_BYTES", 0)
    monkeypatch.setattr(pipeline, "PARALLEL_PART_ARTICLES", 40)
    monkeypatch.setattr(pipeline, "PARALLEL_BATCH_ARTICLES", 120)
    monkeypatch.setattr(files, "BATCH_SIZE", 50)


def test_parts_keep_order_and_group_by_file(tmp_path: Path, small_parts: None) -> None:
    first = write_jsonl(tmp_path / "a.jsonl", 700, bad_every=50)
    second = write_jsonl(tmp_path / "b.jsonl", 30)
    parts = list(pipeline._large_parts([tmp_path / "a.jsonl", tmp_path / "b.jsonl"]))
    assert [a.url for part, _ in parts for a in part.articles] == first + second
    assert all(len(part.articles) <= 40 for part, _ in parts)
    assert sum(len(part.errors) for part, _ in parts) == 14
    assert parts[-1][1]
    groups: list[list[str]] = [[]]
    for part, ends in parts:
        groups[-1].extend(a.url for a in part.articles)
        if ends:
            groups.append([])
    groups.pop()
    # A group is one file's consecutive articles, at least the batch size unless it
    # is the file's last.
    assert all(len({url.split("/")[3] for url in group}) == 1 for group in groups)
    assert all(len(group) >= 120 for group in groups[:-2])
    assert groups[-1] == second


def test_a_failing_group_is_stored_again_one_by_one_without_the_bad_article(
    tmp_path: Path, small_parts: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    urls = write_jsonl(tmp_path / "a.jsonl", 600, bad_every=100)
    poisoned = urls[300]
    real_store_one = pipeline._store_one
    calls: dict[str, int] = {}

    def store_one(store, article: Article, *args, **kwargs):  # type: ignore[no-untyped-def]
        calls[article.url] = calls.get(article.url, 0) + 1
        if article.url == poisoned:
            raise RuntimeError("disk on fire")
        return real_store_one(store, article, *args, **kwargs)

    monkeypatch.setattr(pipeline, "_store_one", store_one)
    with open_store(tmp_path / "parts.db") as store:
        report = import_paths(store, [tmp_path / "a.jsonl"])
        stored = {r["url"] for r in store.query("SELECT url FROM articles")}
        members = store.scalar("SELECT count(*) FROM story_members")
    # Every bad line is reported once, the article that failed once (by its URL), and
    # only it is missing: its group was rolled back and stored again article by article.
    assert sum("not valid JSON" in e for e in report.errors) == 6
    failed = [e for e in report.errors if "could not be stored" in e]
    assert len(failed) == 1 and poisoned in failed[0] and "disk on fire" in failed[0]
    assert [u for u in urls if u not in stored] == [poisoned]
    assert report.new == len(stored) == members
    # Only its group was tried again: the articles before it in the group twice.
    assert calls[poisoned] == 2 and calls[urls[0]] == 1 and calls[urls[-1]] == 1
    assert max(calls.values()) == 2


def test_a_fault_in_every_article_is_reported_without_trying_them_all(
    tmp_path: Path, small_parts: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_jsonl(tmp_path / "a.jsonl", 300)
    tried: list[str] = []

    def store_one(store, article: Article, *args, **kwargs):  # type: ignore[no-untyped-def]
        tried.append(article.url)
        raise RuntimeError("schema mismatch")

    monkeypatch.setattr(pipeline, "_store_one", store_one)
    with open_store(tmp_path / "parts.db") as store:
        report = import_paths(store, [tmp_path / "a.jsonl"])
    assert report.new == 0 and report.failed == 300
    assert len(tried) < 300 + 5 * (pipeline.MAX_ONE_BY_ONE_FAILURES + 1)
    limit = 5 * pipeline.MAX_ONE_BY_ONE_FAILURES
    assert sum("schema mismatch" in e for e in report.errors) <= limit


def test_an_import_collects_garbage_less_often_and_restores_the_collector(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_jsonl(tmp_path / "a.jsonl", 5)
    before = gc.get_threshold()
    seen: list[tuple[int, ...]] = []
    real_store_parts = pipeline._store_parts

    def store_parts(*args, **kwargs):  # type: ignore[no-untyped-def]
        seen.append(gc.get_threshold())
        return real_store_parts(*args, **kwargs)

    def locked(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise StoreError("the database is locked")

    with open_store(tmp_path / "gc.db") as store:
        monkeypatch.setattr(pipeline, "_store_parts", store_parts)
        assert import_paths(store, [tmp_path / "a.jsonl"]).new == 5
        assert seen and seen[0][0] == pipeline.IMPORT_GC_THRESHOLD
        assert gc.get_threshold() == before and gc.get_freeze_count() == 0
        # Restored when the import stops on an error too.
        monkeypatch.setattr(pipeline, "_store_parts", locked)
        with pytest.raises(StoreError):
            import_paths(store, [tmp_path / "a.jsonl"])
        assert gc.get_threshold() == before and gc.get_freeze_count() == 0


def test_a_database_that_cannot_be_written_stops_the_import_in_one_error(
    tmp_path: Path, small_parts: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_jsonl(tmp_path / "a.jsonl", 300)
    tried: list[str] = []

    def store_one(store, article: Article, *args, **kwargs):  # type: ignore[no-untyped-def]
        tried.append(article.url)
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(pipeline, "_store_one", store_one)
    with (
        open_store(tmp_path / "parts.db") as store,
        pytest.raises(StoreError, match=r"disk is full.*free disk space"),
    ):
        import_paths(store, [tmp_path / "a.jsonl"])
    assert len(tried) == 1


def test_the_preparing_process_exits_when_the_importer_has_died() -> None:
    """A killed import (kill -9, a supervisor's SIGTERM) must not leave its preparing
    process waiting forever on a queue that nobody reads."""
    context = multiprocessing.get_context("fork")
    # The importer's pid as the child saw it at start: not its parent any more.
    gone = os.getpid() + 1_000_000
    child = context.Process(target=pipeline._exit_when_orphaned, args=(gone,))
    child.start()
    child.join(timeout=10)
    try:
        assert not child.is_alive()
        assert child.exitcode == 1
    finally:
        if child.is_alive():
            child.kill()
            child.join()


def test_the_preparing_process_goes_on_while_the_importer_lives() -> None:
    context = multiprocessing.get_context("fork")
    child = context.Process(target=pipeline._exit_when_orphaned, args=(os.getpid(),))
    child.start()
    child.join(timeout=2.5)  # two checks: still watching
    try:
        assert child.is_alive()
    finally:
        child.kill()
        child.join()


_FAILED_IMPORT_WITH_A_SIGTERM_HANDLER = """
import signal, sqlite3, sys
from pathlib import Path
from aggregator import pipeline
from aggregator.errors import StoreError
from aggregator.store import open_store

def handler(signum, frame):
    raise KeyboardInterrupt

signal.signal(signal.SIGTERM, handler)  # as a crawl in the same process installs
pipeline.PARALLEL_MIN_BYTES = 0
pipeline.PARALLEL_PART_ARTICLES = 40
pipeline.PARALLEL_BATCH_ARTICLES = 120

def store_one(*args, **kwargs):
    raise sqlite3.OperationalError("database or disk is full")

pipeline._store_one = store_one
folder = Path(sys.argv[1])
try:
    with open_store(folder / "x.db") as store:
        pipeline.import_paths(store, [folder / "a.jsonl"])
except StoreError:
    print("stopped")
"""


def test_a_failed_import_ends_its_preparing_process_whatever_handlers_it_inherited(
    tmp_path: Path,
) -> None:
    # The preparing process finishes and waits at exit for its queue to drain while
    # the import has stopped reading: it must still be ended, not waited for forever.
    write_jsonl(tmp_path / "a.jsonl", 3000)
    done = subprocess.run(
        [sys.executable, "-c", _FAILED_IMPORT_WITH_A_SIGTERM_HANDLER, str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "stopped"
