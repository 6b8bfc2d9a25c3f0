"""Articles, sightings and the key index used to find candidate stories."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, fields

from aggregator.models import Article, Person, Work
from aggregator.normalize.search_fold import FoldedText, facet_tokens
from aggregator.store.search_index import SearchIndexRepo
from aggregator.timeutil import parse_datetime, to_iso

# Keys per IN list: well under SQLite's limit of bound parameters.
_KEY_CHUNK = 400


@dataclass(frozen=True)
class ArticleColumns:
    """An article's JSON columns and search facets, as stored.

    Pure, so that a large import computes them in its preparing process rather than
    in the process that writes.
    """

    authors: str
    works: str
    people: str
    facets: str


_WORK_FIELDS = tuple(f.name for f in fields(Work))
_PERSON_FIELDS = tuple(f.name for f in fields(Person))


def article_columns(article: Article) -> ArticleColumns:
    # As dataclasses.asdict, without its deep copies: every field is a plain value.
    works = [{name: getattr(w, name) for name in _WORK_FIELDS} for w in article.works]
    people = [{name: getattr(p, name) for name in _PERSON_FIELDS} for p in article.people]
    return ArticleColumns(
        authors=json.dumps(list(article.authors), ensure_ascii=False),
        works=json.dumps(works, ensure_ascii=False),
        people=json.dumps(people, ensure_ascii=False),
        facets=facet_tokens(
            article.source, [w.title for w in article.works], [p.name for p in article.people]
        ),
    )


class ArticlesRepo(SearchIndexRepo):
    def find_identity(
        self, url: str, guid: str | None, source: str | None, fingerprint: str | None
    ) -> tuple[int, str] | None:
        """The stored article this input is a copy of, and which identity matched.

        Checked in order of certainty: a GUID from the same source, the URL (as an
        article or as a sighting), then the normalized-text fingerprint. A GUID is
        only unique within its feed: without a source it identifies nothing (two
        exports both numbering their records "1" are not one article).
        """
        if guid and source:
            found = self.scalar(
                "SELECT id FROM articles WHERE guid = ? AND source IS ?", (guid, source)
            )
            if found is not None:
                return int(found), "same-guid"
        found = self.scalar("SELECT id FROM articles WHERE url = ?", (url,))
        if found is None:
            found = self.scalar("SELECT article_id FROM sightings WHERE url = ? LIMIT 1", (url,))
        if found is not None:
            return int(found), "same-url"
        if fingerprint:
            found = self.scalar(
                "SELECT id FROM articles WHERE fingerprint = ? LIMIT 1", (fingerprint,)
            )
            if found is not None:
                return int(found), "same-text"
        return None

    def has_other_guid(self, article_id: int, guid: str | None, source: str | None) -> bool:
        """Does the stored article come from ``source`` with a GUID other than ``guid``?
        Then an input of that source with ``guid`` is another article, whatever
        address the two share."""
        if not guid:
            return False
        row = self.execute(
            "SELECT guid, source FROM articles WHERE id = ?", (article_id,)
        ).fetchone()
        return row is not None and row[1] == source and row[0] is not None and row[0] != guid

    def insert_article(
        self,
        article: Article,
        url: str,
        fingerprint: str | None,
        seen_at: str,
        folded: FoldedText | None = None,
        columns: ArticleColumns | None = None,
    ) -> int:
        """Store a new article with its search rows and its first sighting.

        ``folded`` and ``columns`` are :func:`fold_document` and :func:`article_columns`
        of the article when the caller computed them already.
        """
        columns = columns or article_columns(article)
        cursor = self.execute(
            """INSERT INTO articles (url, guid, title, body, published, updated, authors, lang,
                   image, source, fingerprint, works, people, first_seen)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            (
                url,
                article.guid,
                article.title,
                article.body,
                to_iso(article.published),
                to_iso(article.updated),
                columns.authors,
                article.lang,
                article.image,
                article.source,
                fingerprint,
                columns.works,
                columns.people,
                seen_at,
            ),
        )
        article_id = int(cursor.lastrowid or 0)
        self.index_for_search(article_id, article, folded, columns.facets)
        self.add_sighting(article_id, url, article.source, seen_at, "original")
        return article_id

    def add_sighting(
        self,
        article_id: int,
        url: str,
        source: str | None,
        seen_at: str,
        match: str,
        signals: dict[str, object] | None = None,
    ) -> None:
        """Record where an article was seen; once per address and source: a feed
        lists its entries again on every crawl, and a folder imported by cron is read
        again every day, which would otherwise add a row each time."""
        if self.scalar(
            "SELECT 1 FROM sightings WHERE url = ? AND article_id = ? AND source IS ? LIMIT 1",
            (url, article_id, source),
        ):
            return
        self.execute(
            """INSERT INTO sightings (article_id, url, source, seen_at, match, signals)
               VALUES (?, ?, ?, ?, ?, ?)""",
            (
                article_id,
                url,
                source,
                seen_at,
                match,
                json.dumps(signals, ensure_ascii=False) if signals else None,
            ),
        )

    def add_keys(self, article_id: int, kind: str, keys: Iterable[str]) -> None:
        self.conn.executemany(
            "INSERT OR IGNORE INTO article_keys (kind, key, article_id) VALUES (?, ?, ?)",
            [(kind, key, article_id) for key in set(keys) if key],
        )

    def article_count(self) -> int:
        return int(self.scalar("SELECT count(*) FROM articles") or 0)

    def newest_article_id(self) -> int:
        """The highest article id: the store's size, read from the index in O(log n)."""
        return int(self.scalar("SELECT max(id) FROM articles") or 0)

    # --- near-duplicate index (MinHash LSH) ---------------------------------------
    def add_sketch(
        self, article_id: int, shingles: int, signature: bytes, buckets: Iterable[int]
    ) -> None:
        """Persist an article's MinHash signature and LSH buckets, so copies that
        arrive in later runs find it without rebuilding anything in memory."""
        if not signature:
            return
        self.execute(
            "INSERT INTO article_sketches (article_id, shingles, signature) VALUES (?, ?, ?)",
            (article_id, shingles, signature),
        )
        self.conn.executemany(
            "INSERT OR IGNORE INTO article_lsh (bucket, article_id) VALUES (?, ?)",
            [(bucket, article_id) for bucket in buckets],
        )

    def lsh_candidates(self, buckets: Iterable[int], limit: int) -> list[tuple[int, bytes]]:
        """Articles sharing a bucket, most shared buckets first, with their signatures."""
        values = list(buckets)
        if not values:
            return []
        rows = self.execute(
            f"""SELECT l.article_id, count(*) AS hits, s.signature
                FROM article_lsh l JOIN article_sketches s ON s.article_id = l.article_id
                WHERE l.bucket IN ({",".join("?" * len(values))})
                GROUP BY l.article_id ORDER BY hits DESC, l.article_id DESC LIMIT {int(limit)}""",
            values,
        ).fetchall()
        return [(int(r[0]), bytes(r[2])) for r in rows]

    def article_source(self, article_id: int) -> str | None:
        value = self.scalar("SELECT source FROM articles WHERE id = ?", (article_id,))
        return None if value is None else str(value)

    def article_body(self, article_id: int) -> str:
        return str(self.scalar("SELECT body FROM articles WHERE id = ?", (article_id,)) or "")

    # --- key statistics (how rare a name is) ---------------------------------------
    def key_counter(self) -> KeyCounter:
        """Document frequencies counted in memory for one write transaction."""
        return KeyCounter(self)

    def _read_key_stats(self, keys: Iterable[tuple[str, str]]) -> dict[tuple[str, str], int]:
        """Stored document frequencies of ``keys`` (absent keys are left out)."""
        by_kind: dict[str, list[str]] = {}
        for kind, key in keys:
            by_kind.setdefault(kind, []).append(key)
        found: dict[tuple[str, str], int] = {}
        for kind, values in by_kind.items():
            values.sort()  # in index order: neighbouring keys share pages
            for start in range(0, len(values), _KEY_CHUNK):
                chunk = values[start : start + _KEY_CHUNK]
                for key, df in self.execute(
                    f"SELECT key, df FROM key_stats WHERE kind = ? "
                    f"AND key IN ({','.join('?' * len(chunk))})",
                    [kind, *chunk],
                ):
                    found[(kind, key)] = int(df)
        return found

    def _write_key_stats(self, counts: Iterable[tuple[str, str, int]]) -> None:
        self.conn.executemany(
            """INSERT INTO key_stats (kind, key, df) VALUES (?, ?, ?)
               ON CONFLICT(kind, key) DO UPDATE SET df = excluded.df""",
            counts,
        )

    def load_articles(self, article_ids: list[int]) -> dict[int, Article]:
        """Stored articles rebuilt as Article objects (for re-deriving their keys):
        every field that is stored (the declared canonical address is stored as
        ``url``)."""
        work_fields = {f.name for f in fields(Work)}
        person_fields = {f.name for f in fields(Person)}
        result: dict[int, Article] = {}
        for start in range(0, len(article_ids), 500):
            chunk = article_ids[start : start + 500]
            for row in self.query(
                f"SELECT * FROM articles WHERE id IN ({','.join('?' * len(chunk))})", chunk
            ):
                result[int(row["id"])] = Article(
                    url=row["url"],
                    title=row["title"],
                    body=row["body"],
                    published=parse_datetime(row["published"]) if row["published"] else None,
                    updated=parse_datetime(row["updated"]) if row["updated"] else None,
                    authors=tuple(str(a) for a in json.loads(row["authors"] or "[]")),
                    lang=row["lang"],
                    image=row["image"],
                    source=row["source"],
                    guid=row["guid"],
                    works=tuple(
                        Work(**{k: v for k, v in w.items() if k in work_fields})
                        for w in json.loads(row["works"])
                    ),
                    people=tuple(
                        Person(**{k: v for k, v in p.items() if k in person_fields})
                        for p in json.loads(row["people"])
                    ),
                )
        return result


class KeyCounter:
    """Document frequencies for one write transaction: read once, counted in memory,
    written once by :meth:`flush`.

    An import counts ~50 keys per article, and most recur within a batch (common
    words, a release's cast): one upsert per key and article (as the store did
    before) was the largest single cost of storing an article. The counts read are
    those of the open transaction, which holds the write lock, so no other writer
    can change them meanwhile; if the transaction rolls back, the counter is simply
    dropped with it.
    """

    def __init__(self, repo: ArticlesRepo) -> None:
        self._repo = repo
        self._df: dict[tuple[str, str], int] = {}
        self._stored: dict[tuple[str, str], int] = {}  # as in the table (0: no row)

    def preload(self, keys: Iterable[tuple[str, str]]) -> None:
        """Read the counts of keys the batch will count, in one pass over the index."""
        missing = {k for k in keys if k[1] and k not in self._df}
        if missing:
            stored = self._repo._read_key_stats(missing)
            for key in missing:
                self._df[key] = self._stored[key] = stored.get(key, 0)

    def uncount(self, keys: dict[str, set[str]]) -> None:
        """Count one article less for each key (its text changed and no longer
        carries them)."""
        for row, df in self.current(keys).items():
            self._df[row] = max(0, df - 1)

    def current(self, keys: dict[str, set[str]]) -> dict[tuple[str, str], int]:
        """How many articles carry each key now (without counting one more)."""
        rows = [(kind, key) for kind, values in keys.items() for key in values if key]
        self.preload(rows)
        return {row: self._df[row] for row in rows}

    def count(self, keys: dict[str, set[str]]) -> dict[tuple[str, str], int]:
        """Count one more article for each key; returns how many carried it before
        (0 for a key never seen)."""
        rows = [(kind, key) for kind, values in keys.items() for key in values if key]
        df = self._df
        found: dict[tuple[str, str], int] = {}
        for row in rows:
            before = df.get(row)
            if before is None:
                self.preload(rows)
                before = df[row]
            found[row] = before
            df[row] = before + 1
        return found

    def flush(self) -> None:
        """Write the counts changed since they were read (inside the same transaction)."""
        changed = [
            (kind, key, df)
            for (kind, key), df in sorted(self._df.items())
            if df != self._stored.get((kind, key))
        ]
        self._repo._write_key_stats(changed)
        self._stored.update(((kind, key), df) for kind, key, df in changed)
