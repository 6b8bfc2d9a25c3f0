"""The command line: a thin click shell over the library.

Each command opens the store, calls one library function, formats the result, and
turns library errors into one clean line (exit 1). Usage errors exit 2 (click).
Output that cannot be written (a full disk) is one line too; a reader that went
away (``| head``) ends the command quietly, as it does for Unix tools.
"""

from __future__ import annotations

import io
import logging
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

from aggregator import __version__
from aggregator.config import resolve_db_path
from aggregator.errors import AggregatorError
from aggregator.store import Store, open_store

if TYPE_CHECKING:
    from _typeshed import ReadableBuffer


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


class WatchedStdout(io.FileIO):
    """Standard output's file descriptor, remembering a failed write.

    So that :func:`main` can tell "the output could not be written" from any other
    OSError, which is a bug and keeps its traceback.
    """

    failure: OSError | None = None

    def write(self, data: ReadableBuffer, /) -> int:
        try:
            return super().write(data)
        except OSError as exc:
            self.failure = exc
            raise


def watch_stdout() -> WatchedStdout | None:
    """Put a :class:`WatchedStdout` under ``sys.stdout``; None when stdout is not a
    file descriptor (an embedding program's stream), which is then left alone."""
    stream = sys.stdout
    try:
        fd = stream.fileno()
    except (AttributeError, OSError, ValueError):
        return None
    stream.flush()
    watched = WatchedStdout(fd, "w", closefd=False)
    sys.stdout = io.TextIOWrapper(
        io.BufferedWriter(watched),
        encoding=stream.encoding,
        errors=stream.errors,
        line_buffering=bool(stream.line_buffering),
    )
    return watched


def output_failed(failure: OSError) -> NoReturn:
    """Exit 1: quietly for a closed pipe, else with one line saying why.

    Stdout is pointed at the null device first, so the interpreter's own last
    flush of what is still buffered cannot fail a second time.
    """
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
        os.close(null)
    except (AttributeError, OSError, ValueError):
        pass
    if not isinstance(failure, BrokenPipeError):
        reason = failure.strerror or str(failure)
        click.echo(f"Error: cannot write the output: {reason}", err=True)
    raise SystemExit(1)


def main() -> None:
    """The console entry point (also ``python -m aggregator``)."""
    watched = watch_stdout()
    try:
        try:
            cli(prog_name="aggregator")
        finally:
            sys.stdout.flush()  # surface a write error here, not at interpreter exit
    except OSError:
        if watched is None or watched.failure is None:
            raise
        output_failed(watched.failure)


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
