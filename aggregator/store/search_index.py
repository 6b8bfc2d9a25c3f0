"""The romanization-folded search index (``articles_folded``), kept in step with articles.

Rows are written from Python when an article is inserted (the folding rules live in
:mod:`aggregator.normalize.search_fold`, not in an SQL function, so the file stays
an ordinary SQLite database). SQL triggers drop a row when its article is deleted
or its text changes; :meth:`SearchIndexRepo.ensure_search_index` refills what is
missing and rebuilds everything when the folding rules have changed.
"""

from __future__ import annotations

import json
import logging

from aggregator.models import Article
from aggregator.normalize.search_fold import (
    FoldedText,
    facet_tokens,
    fold_document,
    fold_signature,
)
from aggregator.store.db import Database

log = logging.getLogger(__name__)
SIGNATURE_KEY = "fold_signature"
REINDEX_CHUNK = 2000


class SearchIndexRepo(Database):
    def index_for_search(
        self,
        article_id: int,
        article: Article,
        folded: FoldedText | None = None,
        facets: str | None = None,
    ) -> None:
        """Write a new article's folded row; call inside the writing transaction.

        ``folded`` is :func:`fold_document` of the article and ``facets`` its
        :func:`facet_tokens`, when the caller computed them already (a large import
        does so in its second process).
        """
        if facets is None:
            facets = facet_tokens(
                article.source, [w.title for w in article.works], [p.name for p in article.people]
            )
        self._write_folded(article_id, article.title, article.body, facets, folded)

    def refresh_search_row(self, article_id: int) -> None:
        """Write a stored article's folded row again after its text changed (a page
        completing a feed summary, an updated feed entry)."""
        row = self.execute(
            "SELECT title, body, source, works, people FROM articles WHERE id = ?", (article_id,)
        ).fetchone()
        if row is None:
            return
        title, body, source, works, people = row
        facets = facet_tokens(
            source,
            [str(w.get("title") or "") for w in json.loads(works)],
            [str(p.get("name") or "") for p in json.loads(people)],
        )
        self._write_folded(article_id, title, body, facets)

    def _write_folded(
        self,
        article_id: int,
        title: str,
        body: str,
        facets: str,
        folded: FoldedText | None = None,
    ) -> None:
        folded = folded or fold_document(title, body)
        self.execute("DELETE FROM articles_folded WHERE rowid = ?", (article_id,))
        self.execute(
            "INSERT INTO articles_folded (rowid, title, body, extra, facets) "
            "VALUES (?, ?, ?, ?, ?)",
            (article_id, folded.title, folded.body, folded.extra, facets),
        )

    def _missing_from_search_index(self) -> bool:
        # One statement, so both counts come from the same snapshot even while a
        # crawl commits.
        articles, folded = self.execute(
            "SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM articles_folded_docsize)"
        ).fetchone()
        return bool(articles != folded)

    def note_search_rules(self) -> None:
        """Record which folding rules write the index rows, unless some are recorded
        already (then those rows were written by them; a rebuild may be due)."""
        self.execute(
            "INSERT OR IGNORE INTO query_meta (key, value) VALUES (?, ?)",
            (SIGNATURE_KEY, fold_signature()),
        )

    def ensure_search_index(self) -> int:
        """Refill the folded index where it lags behind; returns how many rows were written.

        Cheap when nothing is missing (two counts and a signature read), so the
        search command calls it every time.
        """
        stored = self.scalar("SELECT value FROM query_meta WHERE key = ?", (SIGNATURE_KEY,))
        current = fold_signature()
        # No signature: no article was stored yet (the first batch records one).
        rebuild = stored is not None and stored != current
        if stored == current and not self._missing_from_search_index():
            return 0
        written = 0
        with self.transaction():
            if rebuild:
                log.warning(
                    "%s: the spelling-folding rules changed; rebuilding the search index "
                    "once (about a minute per 100,000 articles)",
                    self.path,
                )
                self.execute("DELETE FROM articles_folded")
                missing_sql = (
                    "SELECT id, title, body, source, works, people FROM articles "
                    "WHERE id > ? ORDER BY id LIMIT ?"
                )
            else:
                missing_sql = """SELECT id, title, body, source, works, people FROM articles
                    WHERE id > ? AND id NOT IN (SELECT id FROM articles_folded_docsize)
                    ORDER BY id LIMIT ?"""
            last = 0
            while True:
                rows = self.execute(missing_sql, (last, REINDEX_CHUNK)).fetchall()
                if not rows:
                    break
                for article_id, title, body, source, works, people in rows:
                    facets = facet_tokens(
                        source,
                        [str(w.get("title") or "") for w in json.loads(works)],
                        [str(p.get("name") or "") for p in json.loads(people)],
                    )
                    self._write_folded(article_id, title, body, facets)
                    written += 1
                last = rows[-1][0]
            self.execute(
                "INSERT INTO query_meta (key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (SIGNATURE_KEY, current),
            )
        return written
