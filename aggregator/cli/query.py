"""``stories``, ``story`` and ``search``: reading the store."""

from __future__ import annotations

from typing import Any

import click

from aggregator.cli import AppContext, cli
from aggregator.cli.output import console, emit_json, is_terminal, safe, short_time
from aggregator.errors import QueryError
from aggregator.store.queries import HIT_END, HIT_START
from aggregator.timeutil import parse_since, to_iso


def highlight(snippet: str, terminal: bool) -> str:
    """Rich markup for a snippet: matched words bold on a terminal, plain otherwise."""
    text = safe(snippet)
    if terminal:
        return text.replace(HIT_START, "[bold yellow]").replace(HIT_END, "[/bold yellow]")
    return text.replace(HIT_START, "").replace(HIT_END, "")


def since_option(value: str | None) -> str | None:
    if value is None:
        return None
    try:
        return to_iso(parse_since(value))
    except ValueError as exc:
        raise QueryError(f"--since: {exc}") from None


def _print_story(story: dict[str, Any], full: bool) -> None:
    out = console()
    films = ", ".join(story["films"][:3])
    header = (
        f"[bold]#{story['id']}[/bold] {safe(story['title'])}"
        f"  [dim]{len(story['articles'])} articles, {story['outlets']} outlets, "
        f"last {safe(short_time(story['last_seen']))}[/dim]"
    )
    out.print(header)
    if full and films:
        out.print(f"  films: {safe(films)}")
    if full and story["people"]:
        out.print(f"  people: {safe(', '.join(story['people'][:8]))}")
    for article in story["articles"]:
        source = article["source"] or "-"
        out.print(
            f"  - {safe(article['title'])}  [dim]{safe(source)}, "
            f"{safe(short_time(article['published']))}[/dim]"
        )
        if full:
            out.print(f"    {safe(article['url'])}")
        for dup in article["duplicates"]:
            out.print(f"    [dim]duplicate: {safe(dup)}[/dim]")


@cli.command("stories")
@click.option("--since", metavar="D", help="Only stories active since D (24h, 7d, or an ISO date).")
@click.option("--film", metavar="TEXT", help="Only stories about a work with this title.")
@click.option("--source", metavar="NAME", help="Only stories with an article from this source.")
@click.option("--limit", default=20, show_default=True, help="How many stories; 0 means all.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (see README for the schema).")
@click.pass_obj
def stories_command(
    app: AppContext,
    since: str | None,
    film: str | None,
    source: str | None,
    limit: int,
    as_json: bool,
) -> None:
    """List stories (groups of articles about one release), newest activity first.

    \b
    Example:
      aggregator stories --since 7d --film Ballerina
    """
    if limit < 0:
        raise click.BadParameter("must be 0 (all) or more", param_hint="--limit")
    with app.open(create=False) as store:
        stories = store.list_stories(since=since_option(since), film=film, source=source, limit=limit)
    if as_json:
        emit_json(stories)
        return
    if not stories:
        click.echo("No stories match." if (since or film or source) else "No stories yet.")
        return
    for story in stories:
        _print_story(story, full=False)


@cli.command("story")
@click.argument("story_id", type=int)
@click.option("--why", is_flag=True, help="Show each grouping decision and its signals.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_obj
def story_command(app: AppContext, story_id: int, why: bool, as_json: bool) -> None:
    """Show one story: its release, people, and every article with its duplicates.

    \b
    Example:
      aggregator story 12 --why
    """
    with app.open(create=False) as store:
        story = store.get_story(story_id)
        if story is not None and why:
            story["events"] = store.story_events(story_id)
            story["duplicate_decisions"] = store.duplicate_decisions(story_id)
    if story is None:
        raise QueryError(f"no story {story_id}; 'aggregator stories' lists the ids")
    if not why:
        story.pop("decisions", None)
    if as_json:
        emit_json(story)
        return
    if story.get("merged_into"):
        click.echo(f"Story {story_id} was merged into story {story['merged_into']}.")
    _print_story(story, full=True)
    if why:
        out = console()
        out.print("[bold]Decisions[/bold]")
        for decision in story["decisions"]:
            signals = ", ".join(f"{k}={v}" for k, v in decision["signals"].items())
            out.print(
                f"  article {decision['article_id']} {safe(decision['title'])}: "
                f"[bold]{safe(decision['reason'])}[/bold] score {decision['score']:.2f} "
                f"by {safe(decision['decided_by'])}  [dim]{safe(signals)}[/dim]"
            )
        for dup in story["duplicate_decisions"]:
            signals = ", ".join(f"{k}={v}" for k, v in dup["signals"].items())
            out.print(
                f"  copy {safe(dup['url'])} of article {dup['article_id']}: "
                f"[bold]{safe(dup['match'])}[/bold]  [dim]{safe(signals)}[/dim]"
            )
        for event in story["events"]:
            details = ", ".join(f"{k}={v}" for k, v in event["details"].items())
            out.print(
                f"  {safe(event['kind'])} story {event['other_story_id']} -> {event['story_id']}"
                f"{' article ' + str(event['article_id']) if event['article_id'] else ''} "
                f"by {safe(event['decided_by'])} at {safe(event['decided_at'])}  "
                f"[dim]{safe(details)}[/dim]"
            )


@cli.command("search")
@click.argument("query")
@click.option("--limit", default=20, show_default=True, help="How many hits; 0 means all.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON hits.")
@click.pass_obj
def search_command(app: AppContext, query: str, limit: int, as_json: bool) -> None:
    """Full-text search over titles and bodies, best matches first.

    Words must all appear; "double quotes" search a phrase; word* a prefix.

    \b
    Example:
      aggregator search '"Busan International Film Festival" Ballerina'
    """
    with app.open(create=False) as store:
        hits = store.search(query, limit=limit)
    if as_json:
        for hit in hits:
            hit["snippet"] = hit["snippet"].replace(HIT_START, "").replace(HIT_END, "")
        emit_json(hits)
        return
    if not hits:
        click.echo("No matches.")
        return
    out = console()
    for hit in hits:
        snippet = highlight(hit["snippet"], is_terminal())
        out.print(
            f"[bold]{safe(hit['title'])}[/bold]  [dim]story {hit['story_id']}, "
            f"{safe(hit['source'] or '-')}[/dim]\n  {snippet}\n  {safe(hit['url'])}"
        )
