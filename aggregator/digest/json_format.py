"""JSON digests; the schema is documented in the README ("Digest JSON")."""

from __future__ import annotations

import json

from aggregator.digest.model import Digest

SCHEMA_VERSION = 1


def render_json(digest: Digest) -> str:
    data = {
        "version": SCHEMA_VERSION,
        "title": digest.title,
        "generated": digest.generated,
        "since": digest.since,
        "until": digest.until,
        "stories": [
            {
                "story_id": entry.story_id,
                "title": entry.title,
                "year": entry.year,
                "kind": entry.kind,
                "summary": entry.summary,
                "outlets": entry.outlets,
                "article_count": entry.article_count,
                "updated": entry.updated,
                "articles": [
                    {
                        "id": a.id,
                        "url": a.url,
                        "title": a.title,
                        "source": a.source,
                        "outlet": a.outlet,
                        "published": a.published,
                        "first_seen": a.first_seen,
                    }
                    for a in entry.articles
                ],
            }
            for entry in digest.entries
        ],
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
