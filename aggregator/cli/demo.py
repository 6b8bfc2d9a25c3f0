"""``aggregator demo``: the whole job end to end on the bundled sample site, offline.

The sample site is served on 127.0.0.1 and crawled with the real crawler (feeds,
conditional GET, robots.txt, article pages), so the demo shows what a crawl does.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import click

from aggregator.cli import AppContext, cli
from aggregator.cli.query import stories_command
from aggregator.config import load_config

DEMO_SOURCES = (
    ("ScreenBeat", "/screenbeat/rss.xml"),
    ("K-Drama Daily", "/kdrama-daily/atom.xml"),
    ("Culture Wire", "/culture-wire/rss.xml"),
)


def demo_feeds(base_url: str) -> str:
    """A feeds.yaml for the served sample site: no per-host delay (it is local) and
    one worker, so sources are stored in the listed order and the output is stable."""
    lines = ["settings:", "  per_host_delay: 0", "  workers: 1", "sources:"]
    for name, path in DEMO_SOURCES:
        lines += [f"  - name: {name}", f"    url: {base_url}{path}"]
    return "\n".join(lines) + "\n"


@cli.command("demo")
@click.pass_context
def demo_command(ctx: click.Context) -> None:
    """Crawl the bundled sample site (served on 127.0.0.1, no internet needed)
    and show the stories.

    The sample has an RSS and an Atom feed and a third outlet that syndicates,
    with articles about a handful of releases, a syndicated copy and two
    spellings of one character's name. Pass --db to keep the result somewhere
    other than the default database.

    \b
    Example:
      aggregator --db /tmp/demo.db demo
    """
    app: AppContext = ctx.obj
    from aggregator.crawl import crawl  # imported here so other commands start fast
    from aggregator.crawl.lock import crawl_lock
    from aggregator.demo.server import serve_site

    with serve_site() as base_url, tempfile.TemporaryDirectory() as tmp:
        feeds = Path(tmp) / "feeds.yaml"
        feeds.write_text(demo_feeds(base_url), encoding="utf-8")
        config = load_config(feeds)
        with crawl_lock(app.db_path), app.open() as store:
            report = crawl(store, config, force=True)
    for message in report.errors:
        click.echo(f"failed: {message}", err=True)
    click.echo(f"Sample site at {base_url}: {report.summary()} (database {app.db_path})\n")
    ctx.invoke(stories_command, since=None, film=None, source=None, limit=0, as_json=False)
