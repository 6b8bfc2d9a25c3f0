"""Opening the database, applying migrations, and write transactions.

Writes go through :meth:`Store.transaction`, an explicit ``BEGIN IMMEDIATE`` ...
``COMMIT``: one source's results or one import batch is all-or-nothing, so a crash
leaves the file as it was before the batch. sqlite-utils' own write helpers commit
on their own, so inside transactions only plain ``execute`` is used.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Self

import sqlite_utils

from aggregator.errors import StoreError
from aggregator.store.migrations import MIGRATIONS
from aggregator.timeutil import to_iso, utcnow

BUSY_TIMEOUT_SECONDS = 5.0
# SQLite's page cache per connection, filled only as pages are read: a large import
# reads the matcher's indexes (story keys, LSH buckets, URLs) at random, and at
# 100,000 articles 64 MB held too little of them (storing cost 2.2 ms per article
# there, 1.95 ms with 256 MB).
CACHE_KIB = 256 * 1024
# Past what the page cache holds, pages are read through a memory map of the file
# instead of copied into the cache: at 100,000 articles (a 600 MB file) storing cost
# about a sixth less per article. Mapped pages are the operating system's file cache,
# shared and reclaimable; only the address space is reserved.
MMAP_BYTES = 1024 * 1024 * 1024
# Prepared statements kept per connection. Candidate lookups build their IN lists
# to size, so an import runs a few hundred distinct statements: more than the
# default 128, and re-preparing them costs more than running most of them.
STATEMENT_CACHE = 1024


def _split_statements(script: str) -> list[str]:
    """Split a migration script into statements, keeping trigger bodies whole."""
    statements: list[str] = []
    current = ""
    for line in script.splitlines(keepends=True):
        current += line
        if sqlite3.complete_statement(current):
            if current.strip():
                statements.append(current.strip())
            current = ""
    if current.strip():
        statements.append(current.strip())
    return statements


# When an article happened, in SQL over ``articles a``: its publication time, unless
# that is more than a day after it was first seen (a typo, or a trick to stay on top
# of listings: the pipeline counts such an article as of when it was seen too).
ARTICLE_TIME = (
    "(CASE WHEN a.published IS NOT NULL"
    " AND julianday(a.published) <= julianday(a.first_seen) + 1"
    " THEN a.published ELSE a.first_seen END)"
)


def _locked_message(path: Path) -> str:
    return (
        f"{path}: the database is locked by another process (a crawl or import still "
        "running?); wait for it to finish and try again"
    )


class Database:
    """The connection and its transaction discipline; repositories build on it."""

    def __init__(self, path: Path, conn: sqlite3.Connection) -> None:
        self.path = path
        self.conn = conn
        self.db = sqlite_utils.Database(conn)

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """All-or-nothing write; a lock held elsewhere becomes a clear StoreError."""
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc) or "busy" in str(exc):
                raise StoreError(_locked_message(self.path)) from None
            raise StoreError(f"{self.path}: cannot start a write: {exc}") from None
        try:
            yield
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        else:
            self.conn.execute("COMMIT")

    def execute(self, sql: str, params: Any = ()) -> sqlite3.Cursor:
        return self.conn.execute(sql, params)

    def query(self, sql: str, params: Any = ()) -> list[dict[str, Any]]:
        return list(self.db.query(sql, params))

    def scalar(self, sql: str, params: Any = ()) -> Any:
        row = self.conn.execute(sql, params).fetchone()
        return row[0] if row else None

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def applied_migrations(self) -> list[str]:
        return [r["name"] for r in self.query("SELECT name FROM _migrations ORDER BY id")]

    def _migrate(self) -> None:
        self.conn.execute(
            "CREATE TABLE IF NOT EXISTS _migrations "
            "(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, applied_at TEXT NOT NULL)"
        )
        done = set(self.applied_migrations())
        for name, script in MIGRATIONS:
            if name in done:
                continue
            with self.transaction():
                for statement in _split_statements(script):
                    self.conn.execute(statement)
                self.conn.execute(
                    "INSERT INTO _migrations (name, applied_at) VALUES (?, ?)",
                    (name, to_iso(utcnow())),
                )


def connect(path: Path, create: bool = True) -> sqlite3.Connection:
    """Open ``path`` as SQLite in WAL mode, refusing files that are not SQLite.

    Nothing is written before the file has been read as a database, so a wrong path
    (a text file, an image) is never overwritten.
    """
    if not path.exists():
        if not create:
            raise StoreError(
                f"{path}: no database here yet; run 'aggregator import' or 'aggregator crawl' "
                "first, or pass --db PATH"
            )
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except (FileExistsError, NotADirectoryError):
            raise StoreError(
                f"{path}: a part of this path is a file, not a directory; pass another --db path"
            ) from None
        except OSError as exc:
            raise StoreError(
                f"{path}: cannot create its directory ({exc.strerror or exc}); "
                "pass another --db path"
            ) from None
    elif path.is_dir():
        raise StoreError(f"{path}: is a directory; pass the path of a database file with --db")
    try:
        conn = sqlite3.connect(
            path,
            timeout=BUSY_TIMEOUT_SECONDS,
            isolation_level=None,
            check_same_thread=False,
            cached_statements=STATEMENT_CACHE,
        )
    except sqlite3.Error as exc:
        raise StoreError(f"{path}: cannot open the database: {exc}") from None
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        conn.execute("PRAGMA foreign_keys = ON")
        mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if str(mode).lower() != "wal":
            raise StoreError(f"{path}: cannot switch the database to WAL mode (got {mode})")
        conn.execute("PRAGMA synchronous = NORMAL")
        # The matcher's indexes are read at random on every import: keep more in memory.
        conn.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
        conn.execute(f"PRAGMA mmap_size = {MMAP_BYTES}")
    except sqlite3.DatabaseError as exc:
        conn.close()
        message = str(exc)
        if "not a database" in message or "malformed" in message:
            raise StoreError(
                f"{path}: is not an SQLite database; pass a different --db path "
                "(the file was left untouched)"
            ) from None
        if "locked" in message or "busy" in message:
            raise StoreError(_locked_message(path)) from None
        raise StoreError(f"{path}: cannot open the database: {message}") from None
    return conn
