"""``aggregator sources``: the subscriptions and how their last fetches went."""

from __future__ import annotations

from pathlib import Path

import click

from aggregator.cli import AppContext, cli
from aggregator.cli.output import emit_json, render_table, short_time
from aggregator.config import DEFAULT_FEEDS, load_config


@cli.command("sources")
@click.option(
    "--feeds",
    "feeds_path",
    type=click.Path(path_type=Path, dir_okay=False),
    help="feeds.yaml to read sources from (default: ./feeds.yaml when it exists).",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_obj
def sources_command(app: AppContext, feeds_path: Path | None, as_json: bool) -> None:
    """List sources with their fetch state: last status and error, error count,
    last and next fetch.

    Sources listed in feeds.yaml are added to the database first, so new ones show
    up before their first crawl.

    \b
    Example:
      aggregator sources --json
    """
    path = feeds_path or (DEFAULT_FEEDS if DEFAULT_FEEDS.exists() else None)
    config = load_config(path) if path else None
    with app.open() as store:
        if config is not None:
            store.sync_sources(config.sources)
        rows = store.list_sources()
    if as_json:
        emit_json(rows)
        return
    if not rows:
        click.echo("No sources yet: add them to feeds.yaml (see README).")
        return
    render_table(
        ["name", "status", "errors", "last fetched", "next fetch", "last error"],
        [
            [
                r["name"],
                r["last_status"] or "never fetched",
                r["error_count"],
                short_time(r["last_fetched"]),
                short_time(r["next_fetch"]),
                (r["last_error"] or "")[:80],
            ]
            for r in rows
        ],
    )
