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
        "0003_matcher_release_index",
        """
        CREATE TABLE story_keys (
            story_id INTEGER NOT NULL REFERENCES stories(id),
            kind TEXT NOT NULL,
            key TEXT NOT NULL,
            count INTEGER NOT NULL DEFAULT 1,
            weight REAL NOT NULL DEFAULT 0,
            PRIMARY KEY (story_id, kind, key)
        ) WITHOUT ROWID;
        CREATE INDEX story_keys_lookup ON story_keys(kind, key);
        CREATE TABLE key_stats (
            kind TEXT NOT NULL,
            key TEXT NOT NULL,
            df INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (kind, key)
        ) WITHOUT ROWID;
        CREATE TABLE article_sketches (
            article_id INTEGER PRIMARY KEY REFERENCES articles(id),
            shingles INTEGER NOT NULL,
            signature BLOB NOT NULL
        );
        CREATE TABLE article_lsh (
            bucket INTEGER NOT NULL,
            article_id INTEGER NOT NULL REFERENCES articles(id),
            PRIMARY KEY (bucket, article_id)
        ) WITHOUT ROWID;
        CREATE TABLE story_events (
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL,
            story_id INTEGER NOT NULL REFERENCES stories(id),
            other_story_id INTEGER REFERENCES stories(id),
            article_id INTEGER REFERENCES articles(id),
            decided_by TEXT NOT NULL,
            decided_at TEXT NOT NULL,
            details TEXT NOT NULL DEFAULT '{}'
        );
        CREATE INDEX story_events_story ON story_events(story_id);
        CREATE INDEX story_events_other ON story_events(other_story_id);
        CREATE TABLE story_blocks (
            story_id INTEGER NOT NULL REFERENCES stories(id),
            other_story_id INTEGER NOT NULL REFERENCES stories(id),
            created TEXT NOT NULL,
            decided_by TEXT NOT NULL DEFAULT 'user',
            PRIMARY KEY (story_id, other_story_id)
        ) WITHOUT ROWID;
        CREATE INDEX story_blocks_other ON story_blocks(other_story_id);
        CREATE TABLE article_blocks (
            article_id INTEGER NOT NULL REFERENCES articles(id),
            story_id INTEGER NOT NULL REFERENCES stories(id),
            created TEXT NOT NULL,
            decided_by TEXT NOT NULL DEFAULT 'user',
            PRIMARY KEY (article_id, story_id)
        ) WITHOUT ROWID;
        CREATE INDEX article_blocks_story ON article_blocks(story_id);
        ALTER TABLE stories ADD COLUMN size INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE stories ADD COLUMN term_norm2 REAL NOT NULL DEFAULT 0;
        ALTER TABLE sightings ADD COLUMN signals TEXT;
        UPDATE stories SET size = (
            SELECT count(*) FROM story_members sm WHERE sm.story_id = stories.id
        );
        INSERT INTO story_keys (story_id, kind, key, count)
            SELECT sm.story_id, ak.kind, ak.key, count(*) FROM article_keys ak
            JOIN story_members sm ON sm.article_id = ak.article_id
            WHERE ak.kind IN ('work', 'person')
            GROUP BY sm.story_id, ak.kind, ak.key;
        INSERT INTO key_stats (kind, key, df)
            SELECT kind, key, count(*) FROM article_keys WHERE kind = 'person' GROUP BY kind, key;
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
    (
        # The raw-text full-text index duplicated articles_folded (which search reads)
        # and cost about a ninth of the time to store an article; search, the digest
        # and the README's sqlite-utils example use articles_folded.
        "0005_drop_raw_fts",
        """
        DROP TRIGGER IF EXISTS articles_ai;
        DROP TRIGGER IF EXISTS articles_ad;
        DROP TRIGGER IF EXISTS articles_au;
        DROP TABLE IF EXISTS articles_fts;
        """,
    ),
    (
        # The settings of feeds.yaml that change how a source's document is read
        # (type, link_selector, user_agent), so that changing one makes the next
        # crawl read the document again even when its bytes have not changed.
        "0006_source_read_settings",
        """
        ALTER TABLE sources ADD COLUMN read_settings TEXT;
        """,
    ),
    (
        # When a source was found missing from feeds.yaml (removed or renamed): it
        # is kept with its articles but no longer crawled, listed or alerted on;
        # listing it in feeds.yaml again clears this.
        "0007_source_removed_at",
        """
        ALTER TABLE sources ADD COLUMN removed_at TEXT;
        """,
    ),
    (
        # Versions before this one recorded which folding rules wrote the search
        # index only at the first search: a store never searched has rows of unknown
        # rules. Marked so, its index is rebuilt once at the next search. Stores
        # record the rules with their first articles from now on.
        "0008_search_rules_unknown",
        """
        INSERT INTO query_meta (key, value)
        SELECT 'fold_signature', 'unknown'
        WHERE EXISTS (SELECT 1 FROM articles)
          AND NOT EXISTS (SELECT 1 FROM query_meta WHERE key = 'fold_signature');
        """,
    ),
]
