"""``stories``, ``story``, ``releases`` and ``search``: reading the store."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, TypeVar

import click
from rich.text import Text

from aggregator.cli import AppContext, cli
from aggregator.cli.output import (
    clean,
    console,
    emit_json,
    is_terminal,
    line,
    render_table,
    short_time,
)
from aggregator.errors import QueryError
from aggregator.query.snippet import HIT_END, HIT_START, strip_marks
from aggregator.timeutil import parse_since, to_iso

# Titles can be any length (a broken feed once sent 10,000 characters); listings
# cut them so one bad headline cannot push everything else off the screen.
DISPLAY_TITLE_CHARS = 160
ARTICLES_PER_STORY_SHOWN = 5

F = TypeVar("F", bound=Callable[..., Any])


def shorten(value: Any, limit: int = DISPLAY_TITLE_CHARS) -> str:
    text = "" if value is None else str(value)
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


_MARK = re.compile(f"([{HIT_START}{HIT_END}])")


def highlight(snippet: str, terminal: bool) -> Text:
    """A snippet as Text: matched words bold yellow on a terminal, plain otherwise.

    Built piece by piece, not as markup, so nothing in an article (a backslash
    before a matched word, a bracket) can break the styling; a stray marker only
    switches the colour, it never fails the query.
    """
    text = Text()
    marked = False
    for part in _MARK.split(snippet):
        if part in (HIT_START, HIT_END):
            marked = part == HIT_START
        elif part:
            text.append(clean(part), style="bold yellow" if marked and terminal else "")
    return text


def since_option(value: str | None) -> str | None:
    if value is None:
        return None
    try:
        return to_iso(parse_since(value))
    except ValueError as exc:
        raise QueryError(f"--since: {exc}") from None


def check_limit(limit: int) -> None:
    if limit < 0:
        raise click.BadParameter("must be 0 (all) or more", param_hint="--limit")


FILTER_HELP = {
    "stories": (
        "Only stories active since D (24h, 7d, or an ISO date).",
        "Only stories about a work with this title (an installment however written: "
        "'Squid Game 3' finds Squid Game season 3).",
        "Only stories with an article from source NAME.",
        "Only stories naming this person (any spelling).",
    ),
    "articles": (
        "Only articles published since D (24h, 7d, or an ISO date).",
        "Only articles about a work with this title (an installment however written).",
        "Only articles from source NAME (any case).",
        "Only articles naming this person (any spelling).",
    ),
}


def filter_options(what: str) -> Callable[[F], F]:
    """--since/--film/--source/--person, shared by ``stories`` and ``search``."""
    since_help, film_help, source_help, person_help = FILTER_HELP[what]

    def decorate(func: F) -> F:
        options = [
            click.option("--since", metavar="D", help=since_help),
            click.option("--film", metavar="TEXT", help=film_help),
            click.option("--source", metavar="NAME", help=source_help),
            click.option("--person", metavar="NAME", help=person_help),
        ]
        for option in reversed(options):
            func = option(func)
        return func

    return decorate


def release_label(story: dict[str, Any]) -> str:
    """'Ballerina (2023, film)': the title with the year and kind when known."""
    details = [str(v) for v in (story.get("year"), story.get("kind")) if v]
    title = shorten(story["title"])
    return f"{title} ({', '.join(details)})" if details else title


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'s' if count != 1 else ''}"


def _print_story(story: dict[str, Any], full: bool) -> None:
    out = console()
    count = story.get("article_count", len(story["articles"]))
    summary = (
        f"{plural(count, 'article')}, {plural(story['outlets'], 'outlet')}, "
        f"last {short_time(story['last_seen'])}"
    )
    out.print(
        line(
            (f"#{story['id']}", "bold cyan"),
            " ",
            (release_label(story), "bold"),
            "  ",
            (summary, "dim"),
        )
    )
    if full and story["films"]:
        out.print(line("  works: ", ", ".join(shorten(f, 80) for f in story["films"][:5])))
    if full and story["people"]:
        out.print(line("  people: ", ", ".join(shorten(p, 60) for p in story["people"][:10])))
    articles = story["articles"]
    if count > len(articles):
        hidden = count - len(articles)
        out.print(line("  ", (f"… {hidden} earlier (see: aggregator story {story['id']})", "dim")))
    for article in articles:
        source = article["source"] or "-"
        published = short_time(article["published"] or article.get("first_seen"))
        out.print(line("  - ", shorten(article["title"]), "  ", (f"{source}, {published}", "dim")))
        if full:
            out.print(line("    ", (article["url"], "blue")))
        for dup in article["duplicates"]:
            out.print(line("    ", (f"duplicate: {dup}", "dim")))


@cli.command("stories")
@filter_options("stories")
@click.option("--limit", default=20, show_default=True, help="How many stories; 0 means all.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (see README for the schema).")
@click.pass_obj
def stories_command(
    app: AppContext,
    since: str | None,
    film: str | None,
    source: str | None,
    person: str | None,
    limit: int,
    as_json: bool,
) -> None:
    """List stories (groups of articles about one release), newest activity first,
    with how many articles and distinct outlets each has.

    \b
    Example:
      aggregator stories --since 7d --film Ballerina
      aggregator stories --person "Jeon Jong-seo" --limit 0 --json
    """
    check_limit(limit)
    with app.open(create=False) as store:
        stories = store.list_stories(
            since=since_option(since),
            film=film,
            source=source,
            person=person,
            limit=limit,
            per_story=None if as_json else ARTICLES_PER_STORY_SHOWN,
        )
    if as_json:
        emit_json(stories)
        return
    if not stories:
        filtered = since or film or source or person
        click.echo("No stories match." if filtered else "No stories yet.")
        return
    for story in stories:
        _print_story(story, full=False)


@cli.command("story")
@click.argument("story_id", type=int)
@click.option("--why", is_flag=True, help="Show each grouping decision and its signals.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_obj
def story_command(app: AppContext, story_id: int, why: bool, as_json: bool) -> None:
    """Show one story: its release (title, year, kind, people) and every article with
    its source, date and duplicate copies.

    \b
    Example:
      aggregator story 12 --why
    """
    with app.open(create=False) as store:
        story = store.get_story(story_id)
        emptied = story is not None and bool(story.get("merged_into"))
        emptied = emptied and store.was_emptied(story_id)
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
    if emptied:
        click.echo(
            f"Story {story_id} has no articles left: a person moved them out; the last "
            f"went to story {story['merged_into']}."
        )
    elif story.get("merged_into"):
        click.echo(f"Story {story_id} was merged into story {story['merged_into']}.")
    _print_story(story, full=True)
    if why:
        _print_decisions(story)


def _print_decisions(story: dict[str, Any]) -> None:
    """The ``--why`` part of ``story``: grouping decisions, copies and merges."""
    out = console()
    out.print(line(("Decisions", "bold")))
    for decision in story["decisions"]:
        signals = ", ".join(f"{k}={v}" for k, v in decision["signals"].items())
        out.print(
            line(
                f"  article {decision['article_id']} {shorten(decision['title'])}: ",
                (decision["reason"], "bold"),
                f" score {decision['score']:.2f} by {decision['decided_by']}  ",
                (signals, "dim"),
            )
        )
    for dup in story["duplicate_decisions"]:
        signals = ", ".join(f"{k}={v}" for k, v in dup["signals"].items())
        out.print(
            line(
                f"  copy {dup['url']} of article {dup['article_id']}: ",
                (dup["match"], "bold"),
                "  ",
                (signals, "dim"),
            )
        )
    for event in story["events"]:
        details = ", ".join(f"{k}={v}" for k, v in event["details"].items())
        article = f" article {event['article_id']}" if event["article_id"] else ""
        out.print(
            line(
                f"  {event['kind']} story {event['other_story_id']} -> {event['story_id']}"
                f"{article} by {event['decided_by']} at {event['decided_at']}  ",
                (details, "dim"),
            )
        )


@cli.command("releases")
@click.option("--since", metavar="D", help="Only releases active since D (24h, 7d, or a date).")
@click.option(
    "--sort",
    type=click.Choice(["activity", "articles", "title"]),
    default="activity",
    show_default=True,
    help="Newest activity first, most articles first, or by title.",
)
@click.option("--limit", default=50, show_default=True, help="How many releases; 0 means all.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (see README for the schema).")
@click.pass_obj
def releases_command(
    app: AppContext, since: str | None, sort: str, limit: int, as_json: bool
) -> None:
    """List the releases (films, series, albums, events) the store has articles
    about, with article and outlet counts and the last activity.

    \b
    Example:
      aggregator releases --sort articles --limit 10
    """
    check_limit(limit)
    with app.open(create=False) as store:
        releases = store.list_releases(since=since_option(since), sort=sort, limit=limit)
    if as_json:
        emit_json(releases)
        return
    if not releases:
        click.echo("No releases match." if since else "No releases yet.")
        return
    render_table(
        ["story", "release", "year", "kind", "articles", "outlets", "last activity"],
        [
            [
                r["story_id"],
                shorten(r["title"], 80),
                r["year"] or "-",
                r["kind"] or "-",
                r["article_count"],
                r["outlets"],
                short_time(r["last_seen"]),
            ]
            for r in releases
        ],
    )


DASH_QUERY_HINT = "a query starting with - goes after --: aggregator search -- '-trailer Ballerina'"


class QueryCommand(click.Command):
    """A command whose argument is a query, which may start with '-' (an excluded
    word): ``search '-trailer Ballerina'`` searches instead of failing with "No
    such option '-t'".

    The only short option is -h, so any other word starting with a single '-' is
    taken as the query: when there is one, every positional word is moved behind
    ``--`` (in order) before click parses. Option values (``--source -x``) stay.
    """

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, self._dash_words_as_query(ctx, args))
        except click.NoSuchOption as exc:
            if exc.possibilities:  # a typo of a real option: click suggests it
                raise
            message = f"{exc.message.rstrip('.')}; {DASH_QUERY_HINT}"
            raise click.NoSuchOption(exc.option_name, message, ctx=ctx) from None

    def _dash_words_as_query(self, ctx: click.Context, args: list[str]) -> list[str]:
        if "--" in args:
            return args
        options = [p for p in self.get_params(ctx) if isinstance(p, click.Option)]
        names = {name for o in options for name in (*o.opts, *o.secondary_opts)}
        with_value = {name for o in options if not o.is_flag and not o.count for name in o.opts}
        flags: list[str] = []
        words: list[str] = []
        index = 0
        while index < len(args):
            arg = args[index]
            if arg in names or arg.startswith("--"):
                taken = 2 if arg in with_value else 1
                flags.extend(args[index : index + taken])
                index += taken
            else:
                words.append(arg)
                index += 1
        if not any(w.startswith("-") and w != "-" for w in words):
            return args
        return [*flags, "--", *words]


@cli.command("search", cls=QueryCommand)
@click.argument("query")
@filter_options("articles")
@click.option(
    "--all-articles", is_flag=True, help="List every matching article, not one per story."
)
@click.option("--limit", default=20, show_default=True, help="How many hits; 0 means all.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON hits (see README).")
@click.pass_obj
def search_command(
    app: AppContext,
    query: str,
    since: str | None,
    film: str | None,
    source: str | None,
    person: str | None,
    all_articles: bool,
    limit: int,
    as_json: bool,
) -> None:
    """Full-text search over titles and bodies, best matches first, one hit per story.

    Words must all appear; "double quotes" search a phrase; word* a prefix;
    OR between two terms matches either; -word excludes. Romanized spellings are
    folded: Ok-ju also finds Ok-joo and Okju. Anything else typed is searched as
    plain words, never as syntax. A query that starts with -word is read as the
    query, not an option; in scripts, put -- before the query to be sure.

    \b
    Example:
      aggregator search '"Busan International Film Festival" Ballerina'
      aggregator search Ok-ju --since 30d --all-articles
      aggregator search --since 7d -- '-trailer Ballerina'
    """
    check_limit(limit)
    with app.open(create=False) as store:
        hits = store.search(
            query,
            limit=limit,
            since=since_option(since),
            film=film,
            source=source,
            person=person,
            all_articles=all_articles,
        )
    if as_json:
        for hit in hits:
            hit["snippet"] = strip_marks(hit["snippet"])
        emit_json(hits)
        return
    if not hits:
        click.echo("No matches.")
        return
    out = console()
    terminal = is_terminal()
    for hit in hits:
        where = f"{hit['source'] or '-'}, {short_time(hit['published'] or hit['first_seen'])}"
        story = f"story {hit['story_id']}" if hit["story_id"] is not None else "no story"
        more = hit["story_hits"] - 1
        extra = f", +{more} more in story" if more > 0 and not all_articles else ""
        out.print(line((shorten(hit["title"]), "bold"), "  ", (f"{story}, {where}{extra}", "dim")))
        if hit["snippet"]:
            out.print(line("  ") + highlight(hit["snippet"], terminal))
        out.print(line("  ", (hit["url"], "blue")))
