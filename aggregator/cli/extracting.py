"""``aggregator extract``: parse files and print what the parser found; no store."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from aggregator.cli import cli
from aggregator.cli.output import clean, emit_json
from aggregator.models import Article
from aggregator.timeutil import to_iso

if TYPE_CHECKING:
    from aggregator.ingest.files import Item


def article_json(path: str, url: str | None, article: Article) -> dict[str, Any]:
    """The ``extract`` object of one parsed input (DESIGN.md contract, plus extras).

    ``url`` is the address ``import`` would store the article under: its declared
    canonical URL, else where it was found (a file's ``file://`` URI).
    """
    from aggregator.prepare import identity_url

    return {
        "path": path,
        "url": identity_url(article) if article.url else url,
        "title": article.title,
        "body": article.body,
        "published": to_iso(article.published),
        "updated": to_iso(article.updated),
        "authors": list(article.authors),
        "lang": article.lang,
        "canonical_url": article.canonical_url,
        "image": article.image,
        "films": [
            {
                "title": w.title,
                "kind": w.kind,
                "year": w.year,
                "season": w.season,
                "source": w.source,
            }
            for w in article.works
        ],
        "people": [{"name": p.name, "role": p.role} for p in article.people],
    }


def item_json(item: Item) -> dict[str, Any]:
    if item.article is None:
        return {"path": item.where, "url": item.url, "error": item.error or "no article found"}
    return article_json(item.where, item.url, item.article)


@cli.command("extract")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print one JSON list of objects.")
@click.option("--jsonl", "as_jsonl", is_flag=True, help="Print one JSON object per line.")
def extract_command(paths: tuple[Path, ...], as_json: bool, as_jsonl: bool) -> None:
    """Parse .html/.htm, .txt and .jsonl files and print the articles found, without
    storing anything: title, body, dates, authors, language, canonical URL, and the
    films and people each one is about. A .jsonl file gives one object per line.

    An input with no article gives an object with an "error" reason; the others
    are still printed, and the exit code is 1.

    \b
    Example:
      aggregator extract page.html notes.txt --jsonl | jq .films
    """
    if as_json and as_jsonl:
        raise click.UsageError("choose one of --json and --jsonl")
    failed = False
    objects: list[dict[str, Any]] = []
    from aggregator.ingest.files import read_items  # the parsers load only when needed

    for item in read_items(list(paths)):
        data = item_json(item)
        failed = failed or item.article is None
        if as_jsonl:
            click.echo(json.dumps(data, ensure_ascii=False))
        elif as_json:
            objects.append(data)
        elif item.article is None:
            click.echo(f"Error: {clean(item.error)}", err=True)
        else:
            films = ", ".join(w.title for w in item.article.works[:3]) or "-"
            click.echo(f"{clean(item.where)}: {clean(item.article.title)}  [films: {clean(films)}]")
    if as_json:
        emit_json(objects)
    if failed:
        raise SystemExit(1)
