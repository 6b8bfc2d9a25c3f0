"""Wording shared by the human-readable formats."""

from __future__ import annotations

from aggregator.digest.model import Digest, DigestArticle, DigestEntry
from aggregator.digest.text import TITLE_CHARS, clean


def when(value: str | None) -> str:
    """'2026-11-21T10:00:00+00:00' -> '2026-11-21 10:00 UTC'."""
    return (value.replace("T", " ")[:16] + " UTC") if value else ""


def heading(entry: DigestEntry) -> str:
    details = [str(v) for v in (entry.year, entry.kind) if v]
    title = clean(entry.title, TITLE_CHARS)
    return f"{title} ({', '.join(details)})" if details else title


def counts(entry: DigestEntry) -> str:
    new = len(entry.articles)
    return (
        f"{entry.outlets} outlet{'s' if entry.outlets != 1 else ''} · "
        f"{new} new article{'s' if new != 1 else ''}"
        + (f" · {entry.article_count} in all" if entry.article_count > new else "")
    )


def article_meta(article: DigestArticle) -> str:
    return clean(f"{article.outlet}, {when(article.published or article.first_seen)}")


def window(digest: Digest) -> str:
    return f"{when(digest.since)} to {when(digest.until)}"


def intro(digest: Digest) -> str:
    if not digest.entries:
        return f"Nothing new from {window(digest)}."
    stories = len(digest.entries)
    return (
        f"{stories} stor{'ies' if stories != 1 else 'y'} with {digest.article_total} new "
        f"article{'s' if digest.article_total != 1 else ''}, {window(digest)}."
    )
