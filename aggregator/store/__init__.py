"""The SQLite store: the only place that runs SQL.

:class:`Store` combines the repositories, each in its own module, over one connection.
"""

from __future__ import annotations

from pathlib import Path

from aggregator.store.articles import ArticlesRepo
from aggregator.store.db import connect
from aggregator.store.digests import DigestRepo
from aggregator.store.pending import PendingPagesRepo
from aggregator.store.profiles import ProfilesRepo
from aggregator.store.queries import QueriesRepo
from aggregator.store.sources import SourcesRepo
from aggregator.store.stories import StoriesRepo


class Store(
    ArticlesRepo, StoriesRepo, ProfilesRepo, SourcesRepo, QueriesRepo, PendingPagesRepo, DigestRepo
):
    """All repositories over one connection."""


def open_store(path: Path, create: bool = True) -> Store:
    """Open (and migrate) the database at ``path``; see :func:`connect` for errors."""
    store = Store(path, connect(path, create=create))
    try:
        store._migrate()
    except BaseException:
        store.close()
        raise
    return store


__all__ = ["Store", "open_store"]
