"""Named, append-only schema migrations.

Never edit or reorder a migration that has shipped: add a new one at the end. Each
runs in its own transaction and is recorded in ``_migrations`` by name.
"""

from __future__ import annotations

MIGRATIONS: list[tuple[str, str]] = [
    (
        "0001_initial",
        """
        CREATE TABLE sources (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            url TEXT NOT NULL,
            type TEXT NOT NULL DEFAULT 'feed',
            feed_url TEXT,
            etag TEXT,
            last_modified TEXT,
            last_status TEXT,
            last_error TEXT,
            error_count INTEGER NOT NULL DEFAULT 0,
            last_fetched TEXT,
            last_ok TEXT,
            next_fetch TEXT,
            created TEXT NOT NULL
        );
        CREATE TABLE articles (
            id INTEGER PRIMARY KEY,
            url TEXT NOT NULL UNIQUE,
            guid TEXT,
            title TEXT NOT NULL,
            body TEXT NOT NULL,
            published TEXT,
            updated TEXT,
            authors TEXT NOT NULL DEFAULT '[]',
            lang TEXT,
            image TEXT,
            source TEXT,
            fingerprint TEXT,
            works TEXT NOT NULL DEFAULT '[]',
            people TEXT NOT NULL DEFAULT '[]',
            first_seen TEXT NOT NULL
        );
        CREATE INDEX articles_guid ON articles(source, guid) WHERE guid IS NOT NULL;
        CREATE INDEX articles_fingerprint ON articles(fingerprint) WHERE fingerprint IS NOT NULL;
        CREATE INDEX articles_first_seen ON articles(first_seen);
        CREATE TABLE sightings (
            id INTEGER PRIMARY KEY,
            article_id INTEGER NOT NULL REFERENCES articles(id),
            url TEXT NOT NULL,
            source TEXT,
            seen_at TEXT NOT NULL,
            match TEXT NOT NULL
        );
        CREATE INDEX sightings_article ON sightings(article_id);
        CREATE INDEX sightings_url ON sightings(url);
        CREATE TABLE stories (
            id INTEGER PRIMARY KEY,
            title TEXT NOT NULL,
            created TEXT NOT NULL,
            first_seen TEXT NOT NULL,
            last_seen TEXT NOT NULL,
            merged_into INTEGER REFERENCES stories(id)
        );
        CREATE INDEX stories_last_seen ON stories(last_seen);
        CREATE TABLE story_members (
            article_id INTEGER PRIMARY KEY REFERENCES articles(id),
            story_id INTEGER NOT NULL REFERENCES stories(id),
            reason TEXT NOT NULL,
            score REAL NOT NULL DEFAULT 0,
            signals TEXT NOT NULL DEFAULT '{}',
            decided_at TEXT NOT NULL,
            decided_by TEXT NOT NULL DEFAULT 'matcher'
        );
        CREATE INDEX story_members_story ON story_members(story_id);
        CREATE TABLE article_keys (
            kind TEXT NOT NULL,
            key TEXT NOT NULL,
            article_id INTEGER NOT NULL REFERENCES articles(id),
            PRIMARY KEY (kind, key, article_id)
        ) WITHOUT ROWID;
        CREATE INDEX article_keys_article ON article_keys(article_id);
        CREATE VIRTUAL TABLE articles_fts USING fts5(
            title, body, content='articles', content_rowid='id',
            tokenize='unicode61 remove_diacritics 2'
        );
        CREATE TRIGGER articles_ai AFTER INSERT ON articles BEGIN
            INSERT INTO articles_fts(rowid, title, body) VALUES (new.id, new.title, new.body);
        END;
        CREATE TRIGGER articles_ad AFTER DELETE ON articles BEGIN
            INSERT INTO articles_fts(articles_fts, rowid, title, body)
            VALUES ('delete', old.id, old.title, old.body);
        END;
        CREATE TRIGGER articles_au AFTER UPDATE OF title, body ON articles BEGIN
            INSERT INTO articles_fts(articles_fts, rowid, title, body)
            VALUES ('delete', old.id, old.title, old.body);
            INSERT INTO articles_fts(rowid, title, body) VALUES (new.id, new.title, new.body);
        END;
        """,
    ),
    (
        "0002_crawl_state",
        """
        ALTER TABLE sources ADD COLUMN last_http_status INTEGER;
        ALTER TABLE sources ADD COLUMN last_warning TEXT;
        ALTER TABLE sources ADD COLUMN failing_since TEXT;
        ALTER TABLE sources ADD COLUMN interval_seconds REAL;
        ALTER TABLE sources ADD COLUMN last_new_at TEXT;
        ALTER TABLE sources ADD COLUMN content_hash TEXT;
        CREATE TABLE pending_pages (
            id INTEGER PRIMARY KEY,
            source TEXT NOT NULL,
            url TEXT NOT NULL,
            guid TEXT,
            title TEXT,
            published TEXT,
            attempts INTEGER NOT NULL DEFAULT 0,
            last_error TEXT,
            created TEXT NOT NULL,
            last_try TEXT,
            UNIQUE (source, url)
        );
        """,
    ),
    (
        "0004_query_search_digest",
        """
        CREATE VIRTUAL TABLE articles_folded USING fts5(
            title, body, extra, facets, tokenize='unicode61 remove_diacritics 2'
        );
        INSERT INTO articles_folded(articles_folded, rank)
            VALUES ('rank', 'bm25(5.0, 1.0, 1.0, 0.0)');
        CREATE TRIGGER articles_folded_ad AFTER DELETE ON articles BEGIN
            DELETE FROM articles_folded WHERE rowid = old.id;
        END;
        CREATE TRIGGER articles_folded_au AFTER UPDATE OF title, body ON articles BEGIN
            DELETE FROM articles_folded WHERE rowid = old.id;
        END;
        CREATE TABLE query_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE digest_state (
            target TEXT PRIMARY KEY,
            format TEXT NOT NULL,
            since TEXT NOT NULL,
            until TEXT NOT NULL,
            last_article_id INTEGER NOT NULL,
            written_at TEXT NOT NULL
        );
        CREATE INDEX articles_source ON articles(source);
        CREATE INDEX articles_meta ON articles(id, source, published, first_seen, url);
        CREATE INDEX story_members_story_article ON story_members(story_id, article_id);
        """,
    ),
]
