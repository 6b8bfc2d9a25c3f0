"""``aggregator demo``: the whole job end to end on the bundled sample site, offline."""

from __future__ import annotations

import click

from aggregator.cli import AppContext, cli
from aggregator.cli.query import stories_command
from aggregator.demo import SITE_DIR
from aggregator.pipeline import import_paths


@cli.command("demo")
@click.pass_context
def demo_command(ctx: click.Context) -> None:
    """Ingest the bundled sample site (no internet needed) and show the stories.

    The sample has articles from three outlets about a handful of releases,
    including a syndicated copy and two spellings of one character's name.
    Pass --db to keep the result somewhere other than the default database.

    \b
    Example:
      aggregator --db /tmp/demo.db demo
    """
    app: AppContext = ctx.obj
    with app.open() as store:
        report = import_paths(store, [SITE_DIR])
    click.echo(
        f"Sample site: {report.new} new articles, {report.duplicates} duplicates, "
        f"{report.new_stories} new stories in {app.db_path}\n"
    )
    ctx.invoke(stories_command, since=None, film=None, source=None, limit=0, as_json=False)
