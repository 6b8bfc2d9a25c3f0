"""``aggregator digest``: export what is new as Markdown, HTML, JSON or Atom."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import click

from aggregator.cli import AppContext, cli
from aggregator.digest import FORMATS
from aggregator.digest.service import DigestResult, is_directory_target, run_schedule, write_digest
from aggregator.errors import QueryError
from aggregator.timeutil import parse_duration, parse_since


def _since(value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        return parse_since(value)
    except ValueError as exc:
        raise QueryError(f"--since: {exc}") from None


def _summary(result: DigestResult) -> str:
    digest = result.digest
    return (
        f"Wrote {result.path}: {_count(len(digest.entries), 'story', 'stories')}, "
        f"{_count(digest.article_total, 'new article', 'new articles')} "
        f"from {digest.since} to {digest.until}"
    )


def _count(number: int, one: str, many: str) -> str:
    return f"{number} {one if number == 1 else many}"


@cli.command("digest")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="md",
    show_default=True,
    help="md (Markdown), html (a standalone page), json, or atom (a feed).",
)
@click.option(
    "--since",
    metavar="D",
    help="Start of the window (24h, 7d, or an ISO date). Default: where the previous "
    "digest written to the same path ended, or 24h on a first run.",
)
@click.option(
    "-o",
    "--output",
    metavar="PATH",
    help="Write here (atomically) instead of printing; a directory (or PATH/) gets a "
    "dated file; - prints.",
)
@click.option(
    "--every",
    metavar="DURATION",
    help="Keep running and write a dated digest into the -o directory every DURATION "
    "(1d, 12h); stop with Ctrl-C.",
)
@click.option(
    "--count",
    default=0,
    show_default=True,
    help="With --every: stop after this many digests (0: run until stopped).",
)
@click.pass_obj
def digest_command(
    app: AppContext,
    fmt: str,
    since: str | None,
    output: str | None,
    every: str | None,
    count: int,
) -> None:
    """Export a digest: one entry per story with new articles in the window, with
    the release title, a one-line summary, the number of outlets and a link to
    each new article.

    \b
    Example:
      aggregator digest --format html -o public/digest.html
      aggregator digest --format atom -o public/digest.xml --since 7d
      aggregator digest --format md --every 1d -o digests/
    """
    since_time = _since(since)
    if output == "-":
        if every is not None:
            raise click.UsageError("--every needs -o DIR/ to write dated digests into, not -")
        output = None  # the usual spelling of "print it"
    if count < 0:
        raise click.BadParameter("must be 0 (until stopped) or more", param_hint="--count")
    if count and every is None:
        raise click.UsageError("--count only counts scheduled digests: add --every DURATION")
    if every is not None:
        try:
            interval = parse_duration(every)
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="--every") from None
        if interval.total_seconds() < 1:
            raise click.BadParameter("must be at least 1s", param_hint="--every")
        if output is None:
            raise click.UsageError("--every needs -o DIR/ to write dated digests into")
        directory = Path(output)
        if (directory.exists() and not directory.is_dir()) or (
            not directory.exists() and directory.suffix and not output.endswith("/")
        ):
            raise click.UsageError(
                f"--every writes dated files: -o {output} must be a directory "
                "(end it with / to create one)"
            )
        try:
            run_schedule(
                lambda: app.open(create=False),
                fmt,
                directory,
                interval,
                since=since_time,
                count=count,
                report=lambda result: click.echo(_summary(result), err=True),
            )
        except KeyboardInterrupt:
            click.echo("Stopped.", err=True)
        return
    path = Path(output) if output is not None else None
    into_directory = path is not None and output is not None and is_directory_target(path, output)
    with app.open(create=False) as store:
        result = write_digest(store, fmt, path, directory=into_directory, since=since_time)
    if result.path is None:
        click.echo(result.text, nl=False)
    else:
        click.echo(_summary(result), err=True)
