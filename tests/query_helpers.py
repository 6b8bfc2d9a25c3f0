"""Shared fixtures for the query, digest and feeds tests: small stores we build
ourselves, through the real pipeline (normalize -> match -> store)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from aggregator.models import Article, ImportReport, Person, Work
from aggregator.pipeline import store_articles
from aggregator.store import Store, open_store


def article(
    url: str,
    title: str,
    body: str,
    *,
    source: str | None = None,
    published: str | None = None,
    work: str | None = None,
    year: int | None = None,
    kind: str | None = None,
    people: tuple[str, ...] = (),
) -> Article:
    return Article(
        url=url,
        title=title,
        body=body,
        source=source,
        published=datetime.fromisoformat(published).replace(tzinfo=UTC) if published else None,
        works=(Work(work, kind=kind, year=year, source="test"),) if work else (),
        people=tuple(Person(p, "cast") for p in people),
    )


BALLERINA_CAST = ("Jeon Jong-seo", "Kim Ji-hoon")

CORPUS = [
    article(
        "https://screenbeat.example/ballerina-date",
        "Netflix dates its revenge thriller ‘Ballerina’ for October",
        "Netflix has set an October date for Ballerina, the Korean action film directed by "
        "Lee Chung-hyun. Jeon Jong-seo plays Ok-joo, a former bodyguard out for revenge.",
        source="ScreenBeat",
        published="2023-09-05T09:00:00",
        work="Ballerina",
        year=2023,
        kind="film",
        people=BALLERINA_CAST,
    ),
    article(
        "https://culturewire.example/busan-ballerina",
        "Busan festival adds ‘Ballerina’ to its gala line-up",
        "The Busan International Film Festival will screen Ballerina before its streaming "
        "launch. Ok-ju, the heroine, is played by Jeon Jong-seo.",
        source="Culture Wire",
        published="2023-09-20T06:00:00",
        work="Ballerina",
        year=2023,
        kind="film",
        people=BALLERINA_CAST,
    ),
    article(
        "https://kdrama.example/ballerina-review",
        "Review: ‘Ballerina’ is stylish, brutal and brief",
        "Okju moves through the film like a blade. The Busan premiere crowd cheered the "
        "final fight, and the cinematography is the best thing in it.",
        source="K-Drama Daily",
        published="2023-10-07T12:00:00",
        work="Ballerina",
        year=2023,
        kind="film",
        people=BALLERINA_CAST,
    ),
    article(
        "https://screenbeat.example/the-host-4k",
        "‘The Host’ gets a 4K restoration for its anniversary",
        "Bong Joon-ho's monster film The Host returns restored. The studio says the new "
        "transfer took two years of work.",
        source="ScreenBeat",
        published="2024-05-01T10:00:00",
        work="The Host",
        year=2006,
        kind="film",
        people=("Bong Joon-ho", "Song Kang-ho"),
    ),
    article(
        "https://culturewire.example/parasite-bw",
        "‘Parasite’ returns to cinemas in black and white",
        "A monochrome version of Parasite by Bong Joon-ho is back on big screens this "
        "weekend. Ok Joo, a fan who queued all night, called it a new film.",
        source="Culture Wire",
        published="2024-02-10T11:00:00",
        work="Parasite",
        year=2019,
        kind="film",
        people=("Bong Joon-ho",),
    ),
]


def build_store(path: Path, articles: list[Article] | None = None) -> Store:
    store = open_store(path)
    store_articles(store, CORPUS if articles is None else articles, ImportReport())
    return store
