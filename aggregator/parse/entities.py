"""Works and people of one article, found together so that each informs the other."""

from __future__ import annotations

from collections.abc import Iterable

from aggregator.models import Person, Work
from aggregator.parse.people import find_people
from aggregator.parse.works import find_works


def find_entities(
    title: str,
    body: str,
    *,
    jsonld: Iterable[tuple[str, str | None]] = (),
    italics: Iterable[str] = (),
    categories: Iterable[str] = (),
) -> tuple[tuple[Work, ...], tuple[Person, ...]]:
    """(works, people) of an article; works most prominent first."""
    people = find_people(title, body)
    works = find_works(
        title,
        body,
        jsonld=jsonld,
        italics=italics,
        categories=categories,
        people=[p.name for p in people],
    )
    return tuple(works), tuple(people)
