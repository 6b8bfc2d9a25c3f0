"""``aggregator crawl``: fetch the due sources once, or on a schedule."""

from __future__ import annotations

import json
import signal
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from aggregator.cli import AppContext, cli
from aggregator.cli.output import clean, safe
from aggregator.config import DEFAULT_FEEDS, Config, load_config
from aggregator.errors import AggregatorError
from aggregator.timeutil import parse_duration

if TYPE_CHECKING:
    from aggregator.crawl import CrawlReport


def _run_once(
    app: AppContext, config: Config, names: tuple[str, ...], force: bool, as_json: bool
) -> CrawlReport:
    """One locked crawl, with a progress bar when stderr is a terminal."""
    # The crawler (requests, parsers, matcher) is imported when a crawl runs, so that
    # the other commands start fast.
    from aggregator.crawl import Crawl
    from aggregator.crawl.lock import crawl_lock

    with crawl_lock(app.db_path), app.open() as store:
        crawl = Crawl(store, config)
        if sys.stderr.isatty() and not as_json:
            with Progress(
                TextColumn("crawling"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("{task.description}"),
                TimeElapsedColumn(),
                console=Console(stderr=True),
                transient=True,
            ) as bar:
                task = bar.add_task("", total=None)

                def advance(name: str, status: str) -> None:
                    bar.update(task, advance=1, description=safe(name[:40]))

                crawl.progress = advance
                crawl.on_due = lambda due: bar.update(task, total=due)
                report = crawl.run(names, force)
        else:
            report = crawl.run(names, force)
    for message in report.errors:
        click.echo(f"failed: {clean(message)}", err=True)
    if as_json:
        click.echo(json.dumps(report.as_dict(), ensure_ascii=False))
    else:
        click.echo(report.summary())
    return report


@contextmanager
def _sigterm_stops() -> Iterator[None]:
    """systemd and kill send SIGTERM: stop as cleanly as on Ctrl-C. The handler
    before is put back afterwards (a caller in the same process keeps its own)."""

    def handler(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@cli.command("crawl")
@click.option(
    "--feeds",
    "feeds_path",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Sources file (default: ./feeds.yaml).",
)
@click.option(
    "--source",
    "names",
    multiple=True,
    metavar="NAME",
    help="Only this source (repeatable). Still only when due, unless --all.",
)
@click.option("--all", "force", is_flag=True, help="Fetch every selected source, due or not.")
@click.option(
    "--every",
    metavar="DURATION",
    help="Keep crawling on this schedule (e.g. 30m) until stopped with Ctrl-C.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the run's counts as JSON.")
@click.pass_obj
def crawl_command(
    app: AppContext,
    feeds_path: Path | None,
    names: tuple[str, ...],
    force: bool,
    every: str | None,
    as_json: bool,
) -> None:
    """Fetch the sources that are due and store new articles.

    Each source is fetched when its next fetch time has come (it adapts to how
    often the source posts, and backs off after errors); --all fetches them all
    now. Feeds are fetched with conditional GET, article pages obey robots.txt,
    and one host gets one request at a time. Each run ends with one summary
    line; failed sources are listed on stderr first and make the exit code 1.
    Only one crawl per database runs at a time: a second one exits 1 at once.

    \b
    Example:
      aggregator crawl --feeds feeds.yaml
      aggregator crawl --source Soompi --all
      aggregator crawl --every 30m
    """
    from aggregator.crawl import select_sources
    from aggregator.crawl.lock import CrawlLockedError

    config = load_config(feeds_path or DEFAULT_FEEDS)
    select_sources(config, names)  # unknown names fail before anything is fetched
    if every is None:
        try:
            with _sigterm_stops():
                report = _run_once(app, config, names, force, as_json)
        except KeyboardInterrupt:
            click.echo("Interrupted; sources finished before that were stored.", err=True)
            raise SystemExit(130) from None
        if report.failed:
            raise SystemExit(1)
        return
    try:
        period = parse_duration(every).total_seconds()
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--every") from None
    if period <= 0:
        raise click.BadParameter("must be longer than 0 s, e.g. 30m", param_hint="--every")
    try:
        with _sigterm_stops():
            while True:
                started = time.monotonic()
                try:
                    _run_once(app, config, names, force, as_json)
                except CrawlLockedError as exc:
                    click.echo(f"skipped: {exc}", err=True)
                except AggregatorError as exc:  # e.g. the database is busy: try next time
                    click.echo(f"Error: {exc}", err=True)
                time.sleep(max(0.0, started + period - time.monotonic()))
    except KeyboardInterrupt:
        click.echo("Stopped.", err=True)
