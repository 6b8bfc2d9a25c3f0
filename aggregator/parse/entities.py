"""Works and people of one article, found together so that each informs the other.

Both look for cue words; scanning each text once for the cue words of both (one
combined :class:`CueSet`) costs half of scanning twice, which matters for bulk
imports of plain-text articles.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from aggregator.models import Person, Work
from aggregator.parse import people as people_module
from aggregator.parse import works as works_module
from aggregator.parse.cues import Cue, CueSet

_ALL_CUES = CueSet.union(works_module.CUES, people_module.CUES)
_WORK_CUES = frozenset(id(cue) for cue in works_module.CUES.cues)
Matches = list[tuple[Cue, re.Match[str]]]


def _scan(text: str) -> tuple[Matches, Matches]:
    """(work cue matches, person cue matches) in one text."""
    work_matches: Matches = []
    person_matches: Matches = []
    if text:
        for cue, match in _ALL_CUES.matches(text):
            (work_matches if id(cue) in _WORK_CUES else person_matches).append((cue, match))
    return work_matches, person_matches


def find_entities(
    title: str,
    body: str,
    *,
    jsonld: Iterable[tuple[str, str | None, int | None]] = (),
    italics: Iterable[str] = (),
    categories: Iterable[str] = (),
) -> tuple[tuple[Work, ...], tuple[Person, ...]]:
    """(works, people) of an article; works most prominent first."""
    body = body[: min(works_module.MAX_BODY_CHARS, people_module.MAX_TEXT_CHARS)]
    head_works, head_people = _scan(title)
    body_works, body_people = _scan(body)
    people = people_module.find_people(title, body, cue_matches=(head_people, body_people))
    strong: set[str] = set()
    works = works_module.find_works(
        title,
        body,
        jsonld=jsonld,
        italics=italics,
        categories=categories,
        people=[p.name for p in people],
        owners=[p.name for p in people if p.role != "character"],
        cue_matches=(head_works, body_works),
        strong_titles=strong,
    )
    # "Marvel's Fantastic Four as Reed Richards": the name pattern misread a title.
    people = [p for p in people if p.name.casefold() not in strong]
    return tuple(works), tuple(people)
