import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from aggregator.errors import StoreError
from aggregator.models import Article, ImportReport
from aggregator.pipeline import store_articles
from aggregator.store import open_store
from aggregator.store.migrations import MIGRATIONS


def article(n: int, title: str = "‘Ballerina’ news") -> Article:
    return Article(url=f"https://e.example/{n}", title=f"{title} {n}", body=f"Body number {n}.")


def test_new_database_is_wal_and_fully_migrated(db_path: Path) -> None:
    with open_store(db_path) as store:
        assert store.scalar("PRAGMA journal_mode") == "wal"
        assert store.applied_migrations() == [name for name, _ in MIGRATIONS]
        assert {"sources", "articles", "sightings", "stories", "story_members"} <= set(
            store.db.table_names()
        )
    with open_store(db_path) as store:  # reopening applies nothing twice
        assert len(store.applied_migrations()) == len(MIGRATIONS)


def test_fts_follows_inserts_and_updates(db_path: Path) -> None:
    with open_store(db_path) as store:
        store_articles(store, [article(1)], ImportReport())
        assert [h["url"] for h in store.search("Ballerina")] == ["https://e.example/1"]
        with store.transaction():
            store.execute("UPDATE articles SET title = 'Parasite review' WHERE id = 1")
        assert store.search("Ballerina") == []
        assert len(store.search("Parasite")) == 1


def test_upgrade_drops_the_raw_text_index_and_keeps_articles(db_path: Path) -> None:
    # A database made before 0005 has the raw-text index articles_fts and a trigger
    # feeding it; upgrading drops both and every article stays searchable.
    with open_store(db_path) as store:
        store_articles(store, [article(1)], ImportReport())
        with store.transaction():
            store.execute("DELETE FROM _migrations WHERE name = '0005_drop_raw_fts'")
            store.execute(
                "CREATE VIRTUAL TABLE articles_fts USING fts5(title, body, "
                "content='articles', content_rowid='id')"
            )
            store.execute(
                "CREATE TRIGGER articles_ai AFTER INSERT ON articles BEGIN "
                "INSERT INTO articles_fts(rowid, title, body) VALUES (new.id, new.title, "
                "new.body); END"
            )
    with open_store(db_path) as store:
        assert "articles_fts" not in store.db.table_names()
        assert (
            store.scalar(
                "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name = 'articles_ai'"
            )
            == 0
        )
        assert store.applied_migrations()[-1] == "0005_drop_raw_fts"
        store_articles(store, [article(2)], ImportReport())
        folded = "SELECT count(*) FROM articles_folded WHERE articles_folded MATCH 'ballerina'"
        assert store.scalar(folded) == 2


def test_failed_batch_leaves_database_as_before(db_path: Path) -> None:
    class Boom(Exception):
        pass

    with open_store(db_path) as store:
        store_articles(store, [article(1)], ImportReport())
        report = ImportReport()
        with pytest.raises(Boom), store.transaction():
            store.insert_article(
                article(2), "https://e.example/2", None, "2026-01-01T00:00:00+00:00"
            )
            raise Boom
        assert store.article_count() == 1
        assert store.scalar("SELECT count(*) FROM sightings") == 1
        assert report.new == 0


def test_not_a_database_is_refused_and_untouched(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("these are my notes, not a database\n" * 100)
    before = path.read_bytes()
    with pytest.raises(StoreError, match="is not an SQLite database"):
        open_store(path)
    assert path.read_bytes() == before


def test_directory_and_missing_database(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="is a directory"):
        open_store(tmp_path)
    with pytest.raises(StoreError, match="no database here yet"):
        open_store(tmp_path / "absent.db", create=False)


def test_database_locked_by_another_process(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("aggregator.store.db.BUSY_TIMEOUT_SECONDS", 0.2)
    open_store(db_path).close()
    with subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sqlite3, sys, time\n"
            f"c = sqlite3.connect({str(db_path)!r}, isolation_level=None)\n"
            "c.execute('BEGIN EXCLUSIVE')\n"
            "print('locked', flush=True)\n"
            "time.sleep(30)\n",
        ],
        stdout=subprocess.PIPE,
        text=True,
    ) as holder:
        try:
            assert holder.stdout is not None
            assert holder.stdout.readline().strip() == "locked"
            with pytest.raises(StoreError, match="locked by another process"):  # noqa: SIM117
                with open_store(db_path) as store, store.transaction():
                    store.insert_article(article(1), "https://e.example/1", None, "2026-01-01")
        finally:
            holder.kill()
    with open_store(db_path) as store:
        assert store.article_count() == 0


def test_ordinary_sqlite_file(db_path: Path) -> None:
    with open_store(db_path) as store:
        store_articles(store, [article(1)], ImportReport())
    conn = sqlite3.connect(db_path)
    assert conn.execute("SELECT title FROM articles").fetchone()[0] == "‘Ballerina’ news 1"
    conn.close()
