"""The command line: a thin click shell over the library.

Each command opens the store, calls one library function, formats the result, and
turns library errors into one clean line (exit 1). Usage errors exit 2 (click).
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import Any

import click

from aggregator import __version__
from aggregator.config import resolve_db_path
from aggregator.errors import AggregatorError
from aggregator.store import Store, open_store


class AppContext:
    """What every command needs: where the database is."""

    def __init__(self, db: str | None) -> None:
        self.db_path: Path = resolve_db_path(db)

    def open(self, create: bool = True) -> Store:
        return open_store(self.db_path, create=create)


class AggregatorGroup(click.Group):
    """Turns AggregatorError into 'Error: message' and exit code 1, without a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except AggregatorError as exc:
            click.echo(f"Error: {exc}", err=True)
            ctx.exit(1)


@click.group(cls=AggregatorGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--db",
    metavar="PATH",
    help="Database file. Default: $AGGREGATOR_DB, else db/aggregator.db.",
)
@click.option("-v", "--verbose", count=True, help="Log more (-v info, -vv debug).")
@click.version_option(__version__, prog_name="aggregator")
@click.pass_context
def cli(ctx: click.Context, db: str | None, verbose: int) -> None:
    """Entertainment news aggregator: crawl feeds, fold duplicate copies, and group
    articles about the same film or show into stories.

    \b
    Example:
      aggregator import ../shared/seeds/*.txt && aggregator stories
    """
    level = logging.WARNING - 10 * min(verbose, 2)
    logging.basicConfig(
        level=level, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr
    )
    ctx.obj = AppContext(db)


def main() -> None:
    cli(prog_name="aggregator")


# Command modules register themselves on ``cli``; import them last.
from aggregator.cli import (  # noqa: E402
    corrections,
    crawl,
    demo,
    digest,
    extracting,
    feeds,
    importing,
    query,
    sources,
)

__all__ = [
    "cli",
    "corrections",
    "crawl",
    "demo",
    "digest",
    "extracting",
    "feeds",
    "importing",
    "main",
    "query",
    "sources",
]
