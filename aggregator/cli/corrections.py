"""``merge``, ``split`` and ``move``: a person's corrections to the grouping.

Each is recorded as decided by a user, and later matching respects it (see
aggregator/corrections.py).
"""

from __future__ import annotations

from typing import Any

import click

from aggregator.cli import AppContext, cli
from aggregator.cli.output import emit_json
from aggregator.corrections import merge_stories, move_articles


def _report(result: dict[str, Any], as_json: bool, text: str) -> None:
    if as_json:
        emit_json(result)
    else:
        click.echo(text)


@cli.command("merge")
@click.argument("target", type=int)
@click.argument("other", type=int)
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@click.pass_obj
def merge_command(app: AppContext, target: int, other: int, as_json: bool) -> None:
    """Merge story OTHER into story TARGET: they are about the same release.

    Any earlier "keep apart" correction between the two is lifted.

    \b
    Example:
      aggregator merge 12 15
    """
    with app.open(create=False) as store:
        result = merge_stories(store, target, other)
    _report(result, as_json, f"Merged story {result['merged']} into story {result['story']}.")


@cli.command("split")
@click.argument("story_id", type=int)
@click.argument("article_ids", type=int, nargs=-1, required=True)
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@click.pass_obj
def split_command(
    app: AppContext, story_id: int, article_ids: tuple[int, ...], as_json: bool
) -> None:
    """Move ARTICLE_IDS out of STORY_ID into one new story.

    The two stories are kept apart from then on, and the articles never go back
    into STORY_ID automatically. 'aggregator story ID' lists the article ids.

    \b
    Example:
      aggregator split 12 41 42
    """
    with app.open(create=False) as store:
        result = move_articles(store, list(article_ids), None, expected_story=story_id)
    _report(
        result,
        as_json,
        f"Moved {len(result['moved'])} article(s) from story {story_id} "
        f"into new story {result['story']}.",
    )


@cli.command("move")
@click.argument("article_ids", type=int, nargs=-1, required=True)
@click.option("--to", "to", required=True, metavar="STORY|new", help="A story id, or 'new'.")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@click.pass_obj
def move_command(app: AppContext, article_ids: tuple[int, ...], to: str, as_json: bool) -> None:
    """Move articles into another story (or a new one).

    They are never brought back into the story they left automatically.

    \b
    Example:
      aggregator move 41 --to 15
      aggregator move 41 42 --to new
    """
    if to != "new" and not to.isdigit():
        raise click.BadParameter("must be a story id or 'new'", param_hint="--to")
    destination = None if to == "new" else int(to)
    with app.open(create=False) as store:
        result = move_articles(store, list(article_ids), destination)
    already = result["already"]
    note = f" Already there: article(s) {', '.join(map(str, already))}." if already else ""
    _report(
        result,
        as_json,
        f"Moved {len(result['moved'])} article(s) into story {result['story']}.{note}",
    )
