"""Large imports: prepared articles handed over in parts, one transaction per group."""

from __future__ import annotations

import gc
import json
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


def test_a_failing_group_is_rolled_back_whole_and_the_rest_stored(
    tmp_path: Path, small_parts: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    urls = write_jsonl(tmp_path / "a.jsonl", 600, bad_every=100)
    poisoned = urls[300]
    real_store_one = pipeline._store_one

    def store_one(store, article: Article, *args, **kwargs):  # type: ignore[no-untyped-def]
        if article.url == poisoned:
            raise RuntimeError("disk on fire")
        return real_store_one(store, article, *args, **kwargs)

    monkeypatch.setattr(pipeline, "_store_one", store_one)
    with open_store(tmp_path / "parts.db") as store:
        report = import_paths(store, [tmp_path / "a.jsonl"])
        stored = {r["url"] for r in store.query("SELECT url FROM articles")}
    # Every bad line is reported once, the failed group once, and only its articles
    # are missing: the groups before and after it were stored.
    assert sum("not valid JSON" in e for e in report.errors) == 6
    assert sum("could not be stored" in e for e in report.errors) == 1
    missing = [u for u in urls if u not in stored]
    assert poisoned in missing
    assert 120 <= len(missing) < 240
    assert urls[0] in stored and urls[-1] in stored
    assert report.new == len(stored)


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
