"""``aggregator import``: ingest local files without HTTP."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

import click

from aggregator.cli import AppContext, cli
from aggregator.cli.output import clean, emit_json


@cli.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the counts as JSON.")
@click.pass_obj
def import_command(app: AppContext, paths: tuple[Path, ...], as_json: bool) -> None:
    """Import articles from .jsonl, .html/.htm and .txt files or directories.

    A .txt file's first non-empty line is its title (a line above or below it
    that only gives a date is its publication date); a .jsonl file has one JSON
    object per line with 'url' and 'title'/'body' or 'html'. Copies of stored
    articles are counted as duplicates. Exits 1 if any file or line failed; the
    rest is imported all the same.

    \b
    Example:
      aggregator import ../shared/seeds/*.txt articles.jsonl pages/
    """
    with app.open() as store:
        from aggregator.pipeline import import_paths  # the parsers load only when needed

        report = import_paths(store, list(paths))
    for message in report.errors:
        click.echo(f"Error: {clean(message)}", err=True)
    if as_json:
        data = asdict(report)
        emit_json(data)
    else:
        click.echo(
            f"Imported {report.new} new, {report.duplicates} duplicates, {report.failed} failed "
            f"({report.new_stories} new stories) into {app.db_path}"
        )
    if report.failed:
        raise SystemExit(1)
