"""``aggregator sources``: the subscriptions and how their last fetches went."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import click
from rich.text import Text

from aggregator.cli import AppContext, cli
from aggregator.cli.output import clean, emit_json, is_terminal, render_table, short_time
from aggregator.config import DEFAULT_FEEDS, load_config
from aggregator.timeutil import utcnow

# A source failing for longer than this is shown loudly: past a day, a glitch
# has become something a person must look at.
FAILING_LOUDLY_AFTER = timedelta(days=1)


def failing_days(row: dict[str, Any], now: datetime) -> float | None:
    """How many days a source has failed without a success, when past the alert age."""
    since = row.get("failing_since")
    if not since:
        return None
    try:
        age = now - datetime.fromisoformat(since)
    except ValueError:
        return None
    return age.total_seconds() / 86400 if age >= FAILING_LOUDLY_AFTER else None


def _status(row: dict[str, Any], days: float | None) -> str | Text:
    status = row["last_status"] or "never fetched"
    if days is None:
        return status
    loud = f"FAILING since {short_time(row['failing_since'])} ({days:.0f} d)"
    if is_terminal():
        return Text(loud, style="bold red")
    return "!! " + loud


def _problem(row: dict[str, Any]) -> str:
    if row["last_error"]:
        return str(row["last_error"])
    return f"warning: {row['last_warning']}" if row["last_warning"] else ""


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
    last and next fetch, and the feed found on a page (feed_url).

    Sources listed in feeds.yaml are added to the database first, so new ones show
    up before their first crawl. A source that has failed for more than a day is
    marked FAILING (in red on a terminal, with '!!' when piped). Sources removed
    from feeds.yaml (or renamed) keep their articles but are no longer crawled;
    they are named after the table (in --json, with removed_at set).

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
    now = utcnow()
    for row in rows:
        # A source removed from feeds.yaml is not crawled, so not alerted on.
        days = None if row.get("removed_at") else failing_days(row, now)
        row["failing_days"] = round(days, 1) if days is not None else None
    if as_json:
        emit_json(rows)
        return
    removed = [r for r in rows if r.get("removed_at")]
    rows = [r for r in rows if not r.get("removed_at")]
    if not rows:
        if removed:
            click.echo(f"No sources in {path.name if path else 'feeds.yaml'}.")
        else:
            click.echo(
                f"No sources yet: add them to {path.name if path else 'feeds.yaml'} (see README)."
            )
        _echo_removed(removed, path)
        return
    headers = ["name", "status", "errors", "last fetched", "next fetch", "feed", "last problem"]
    table = [
        [
            r["name"],
            _status(r, r["failing_days"]),
            r["error_count"],
            short_time(r["last_fetched"]),
            short_time(r["next_fetch"]),
            r["feed_url"] or "",
            _problem(r)[:100],
        ]
        for r in rows
    ]
    if not any(r["feed_url"] for r in rows):  # no discovered feeds: spare the width
        headers.pop(5)
        for line in table:
            line.pop(5)
    render_table(headers, table)
    _echo_removed(removed, path)
    failing = [r["name"] for r in rows if r["failing_days"] is not None]
    if failing:
        click.echo(
            f"{len(failing)} source(s) failing for more than a day: "
            f"{', '.join(clean(n) for n in failing)}; see 'last problem' and fix "
            f"{path.name if path else 'feeds.yaml'}",
            err=True,
        )


def _echo_removed(removed: list[dict[str, Any]], path: Path | None) -> None:
    if removed:
        click.echo(
            f"{len(removed)} source(s) removed from {path.name if path else 'feeds.yaml'} "
            "(not crawled; their articles "
            f"are kept): {', '.join(clean(r['name']) for r in removed)}"
        )
