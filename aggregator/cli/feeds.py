"""``aggregator feeds``: move subscriptions in and out (OPML) and add feeds by URL."""

from __future__ import annotations

from pathlib import Path

import click

from aggregator.cli import cli
from aggregator.cli.output import clean, emit_json
from aggregator.config import DEFAULT_FEEDS, Settings, load_config
from aggregator.errors import InputError
from aggregator.feeds_file import (
    AddResult,
    NewSource,
    add_sources,
    fallback_name,
)
from aggregator.fileutil import write_atomic
from aggregator.normalize.urls import InvalidURLError, check_http_url
from aggregator.opml import OpmlFeed, parse_opml, render_opml

FEEDS_OPTION = click.option(
    "--feeds",
    "feeds_path",
    type=click.Path(path_type=Path, dir_okay=False),
    default=DEFAULT_FEEDS,
    show_default=True,
    help="The feeds file to read and change.",
)


def _report(result: AddResult, path: Path, dry_run: bool, as_json: bool) -> None:
    if as_json:
        emit_json(
            {
                "added": [
                    {"name": s.name, "url": s.url, "tags": list(s.tags)} for s in result.added
                ],
                "skipped": result.skipped,
                "dry_run": dry_run,
            }
        )
        return
    verb = "Would add" if dry_run else "Added"
    for source in result.added:
        click.echo(f"{verb} {clean(source.name)}: {clean(source.url)}")
    for line in result.skipped:
        click.echo(f"Skipped {clean(line)}", err=True)
    click.echo(f"{verb} {len(result.added)}, skipped {len(result.skipped)} in {path}")


@cli.group("feeds")
def feeds_group() -> None:
    """Manage the subscriptions in feeds.yaml: import and export OPML, add a feed
    by its URL or by a page that links it.

    \b
    Example:
      aggregator feeds import-opml subscriptions.opml
    """


@feeds_group.command("import-opml")
@click.argument("opml_file", type=click.Path(path_type=Path, dir_okay=False))
@FEEDS_OPTION
@click.option("--dry-run", is_flag=True, help="Show what would be added; change nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print what was added and skipped as JSON.")
def import_opml_command(opml_file: Path, feeds_path: Path, dry_run: bool, as_json: bool) -> None:
    """Add the feeds of an OPML file (exported by another reader) to feeds.yaml.

    Feeds already listed (same URL) are skipped; OPML folders become tags; the
    rest of feeds.yaml, comments included, is left as it was.

    \b
    Example:
      aggregator feeds import-opml ~/Downloads/feedly.opml --dry-run
    """
    try:
        data = opml_file.read_bytes()
    except OSError as exc:
        raise InputError(f"{opml_file}: cannot read: {exc.strerror or exc}") from None
    feeds = parse_opml(data, str(opml_file))
    candidates = [NewSource(f.title, f.xml_url, f.categories) for f in feeds]
    result = add_sources(feeds_path, candidates, dry_run=dry_run)
    _report(result, feeds_path, dry_run, as_json)


@feeds_group.command("export-opml")
@FEEDS_OPTION
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, dir_okay=False, allow_dash=True),
    help="Write here (atomically) instead of printing; - prints.",
)
def export_opml_command(feeds_path: Path, output: Path | None) -> None:
    """Export the feed sources of feeds.yaml as OPML, for any other reader.

    Sources of type page or sitemap are not feeds and are left out.

    \b
    Example:
      aggregator feeds export-opml -o subscriptions.opml
    """
    sources = load_config(feeds_path).sources
    feeds = [OpmlFeed(s.name, s.url, categories=s.tags) for s in sources if s.type == "feed"]
    text = render_opml(feeds)
    if output is None or str(output) == "-":
        click.echo(text, nl=False)
    else:
        write_atomic(output, text)
        click.echo(f"Wrote {len(feeds)} feeds to {output}", err=True)


@feeds_group.command("add")
@click.argument("url")
@FEEDS_OPTION
@click.option("--name", help="The source's name (default: the feed's title).")
@click.option("--tag", "tags", multiple=True, help="A tag for the source (repeatable).")
@click.option("--no-discover", is_flag=True, help="Add URL as it is, without fetching it.")
@click.option("--json", "as_json", is_flag=True, help="Print what was added as JSON.")
def add_command(
    url: str,
    feeds_path: Path,
    name: str | None,
    tags: tuple[str, ...],
    no_discover: bool,
    as_json: bool,
) -> None:
    """Add a feed to feeds.yaml. URL may be the feed itself or a web page that
    links its feed (<link rel="alternate" type="application/rss+xml">); the page
    is fetched once to find it.

    \b
    Example:
      aggregator feeds add https://www.example.com/ --tag film
    """
    if not url.lower().startswith(("http://", "https://")):
        raise click.BadParameter("must start with http:// or https://", param_hint="URL")
    try:
        url = check_http_url(url)
    except InvalidURLError as exc:
        raise click.BadParameter(str(exc), param_hint="URL") from None
    # Read (and validate) the feeds file before fetching anything.
    settings = load_config(feeds_path).settings if feeds_path.exists() else Settings()
    if no_discover:
        feed_url, title = url, ""
    else:
        # Imported here: requests and feedparser are only needed by this command.
        from aggregator.discovery import discover

        found = discover(url, settings)
        feed_url, title = found.url, found.title
        if found.page_url:
            click.echo(f"Found feed {clean(feed_url)} on {clean(found.page_url)}", err=True)
    candidate = NewSource(name or title or fallback_name(feed_url), feed_url, tags)
    result = add_sources(feeds_path, [candidate])
    _report(result, feeds_path, False, as_json)
