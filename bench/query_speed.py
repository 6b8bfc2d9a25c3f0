"""How fast do ``search`` and ``stories`` answer on a big store?

Builds a synthetic store (100,000 articles by default) directly through the store
repositories (no parsing or matching, so building takes a minute, not an hour),
then times typical searches and story listings through the same library calls the
CLI makes, and prints median and p95 latencies. Not a test: run it by hand.

    python bench/query_speed.py                  # 100k articles in a temporary db
    python bench/query_speed.py --articles 20000 --db bench/out/q.db --keep

Target (issue 6): median <= 50 ms for each search and listing at 100k articles.
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from aggregator.cli.query import ARTICLES_PER_STORY_SHOWN as SHOWN
from aggregator.match import DEFAULT_SETTINGS, extract_features
from aggregator.models import Article, Decision, Person, Work
from aggregator.store import Store, open_store
from aggregator.timeutil import to_iso


def wordlist(text: str) -> list[str]:
    return text.split()


SYLLABLES = wordlist(
    "ok joo ju min ji hye seo jong hyun woo gi ki soo su yeon young jae hoon sung "
    "eun chan ho bin na ra da mi kyung sook hee won tae"
)
SURNAMES = wordlist("Kim Lee Park Choi Jeon Jung Kang Cho Yoon Jang Lim Han Oh Seo Shin Kwon")
TITLE_WORDS = wordlist(
    "silent harbor midnight garden broken crown last train winter letter red river "
    "paper moon hidden city golden hour glass house summer storm iron heart blue "
    "mountain lost signal velvet night burning bridge little empire"
)
EVENTS = (
    "trailer",
    "release date",
    "review",
    "box office",
    "premiere",
    "casting",
    "teaser",
    "festival lineup",
    "interview",
    "first look",
)
COMMON = wordlist(
    "the a of and to in is it that for on with as was at by an be this from are his her "
    "film series season director actor actress studio story cast critics audience festival "
    "cinematography performance premiere streaming theatrical sequel trailer review"
)
CONSONANTS = wordlist("b c d f g h j k l m n p r s t v w z ch sh th")
VOWELS = wordlist("a e i o u ai ea ou")


def vocabulary(rng: random.Random, size: int = 20_000) -> list[str]:
    """Common words first, then made-up words: drawn with Zipf weights, like prose."""
    words = list(COMMON)
    seen = set(words)
    while len(words) < size:
        word = "".join(
            rng.choice(CONSONANTS) + rng.choice(VOWELS) for _ in range(rng.randint(2, 4))
        )
        if word not in seen:
            seen.add(word)
            words.append(word)
    return words


SOURCES = [f"Outlet {n:02d}" for n in range(30)]


def name(rng: random.Random) -> str:
    given = "-".join(rng.sample(SYLLABLES, 2)).capitalize()
    return f"{rng.choice(SURNAMES)} {given}"


def build(store: Store, articles: int, seed: int = 6) -> dict[str, Any]:
    """Fill ``store`` with ``articles`` synthetic articles in stories of varied size."""
    rng = random.Random(seed)
    vocab = vocabulary(rng)
    cumulative = list(itertools.accumulate(1 / (rank + 1) for rank in range(len(vocab))))
    stories_wanted = max(1, articles // 12)
    releases = []
    for index in range(stories_wanted):
        words = rng.sample(TITLE_WORDS, rng.choice((1, 2, 2, 3)))
        title = " ".join(w.capitalize() for w in words) + ("" if index < 300 else f" {index}")
        releases.append(
            {
                "title": title,
                "year": rng.randint(2015, 2026),
                "people": [name(rng) for _ in range(rng.randint(2, 4))],
                "story_id": None,
            }
        )
    now = datetime.now(UTC).replace(microsecond=0)
    # Articles arrive in time order, as a crawl stores them (ids grow with first_seen).
    minutes = sorted(rng.randint(0, 90 * 24 * 60) for _ in range(articles))
    started = time.perf_counter()
    with store.transaction():
        for number in range(articles):
            # Popular releases get many more articles than the long tail (the most
            # popular about 1% of all articles).
            release = releases[int(stories_wanted * rng.random() ** 2)]
            when = now - timedelta(minutes=minutes[-1 - number])
            person = rng.choice(release["people"])
            spelled = person.replace("-", "") if rng.random() < 0.3 else person
            body = " ".join(rng.choices(vocab, cum_weights=cumulative, k=rng.randint(80, 200)))
            body = (
                f"{spelled} stars in {release['title']}, due in {release['year']}. {body} "
                f"{rng.choice(release['people'])} joins the cast."
            )
            article = Article(
                url=f"https://outlet{number % 30}.example/news/{number}",
                title=f"‘{release['title']}’ {rng.choice(EVENTS)} with {spelled}",
                body=body,
                published=when,
                source=SOURCES[number % 30],
                works=(Work(release["title"], kind="film", year=release["year"]),),
                people=tuple(Person(p, "cast") for p in release["people"]),
            )
            seen = to_iso(when) or ""
            article_id = store.insert_article(article, article.url, None, seen)
            features = extract_features(article, DEFAULT_SETTINGS)
            store.add_keys(article_id, "work", features.work_keys)  # as the pipeline does
            store.add_keys(article_id, "person", features.person_keys)
            if release["story_id"] is None:
                release["story_id"] = store.create_story(release["title"], seen, seen)
                decision = Decision(None, "new-story")
            else:
                decision = Decision(release["story_id"], "same-work-title", 1.0)
            store.add_member(article_id, release["story_id"], decision, seen, seen)
    return {
        "seconds": time.perf_counter() - started,
        "film": releases[0]["title"],
        "person": releases[0]["people"][0],
        "rare": vocab[500],
    }


def timed(call: Callable[[], object], runs: int) -> tuple[float, float]:
    call()  # warm the page cache
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return statistics.median(samples), samples[min(len(samples) - 1, int(len(samples) * 0.95))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--db", type=Path, help="Database to build (default: a temporary file).")
    parser.add_argument("--keep", action="store_true", help="Keep the database afterwards.")
    parser.add_argument(
        "--reuse", action="store_true", help="Time an existing --db built with --keep."
    )
    args = parser.parse_args()
    workdir = tempfile.TemporaryDirectory()
    path = args.db or Path(workdir.name) / "bench.db"
    facts = path.with_suffix(".json")
    if path.exists() and not (args.reuse and facts.exists()):
        sys.exit(f"{path} exists; pass a new path (or --reuse one kept earlier)")
    with open_store(path) as store:
        if args.reuse:
            info = json.loads(facts.read_text())
        else:
            info = build(store, args.articles)
            facts.write_text(json.dumps(info))
        store.ensure_search_index()
        store.execute("ANALYZE")
        count = store.article_count()
        stories = store.scalar("SELECT count(*) FROM stories")
        print(
            f"built {count} articles in {stories} stories in {info['seconds']:.1f}s "
            f"({path.stat().st_size / 1e6:.0f} MB)"
        )
        film, person, rare = info["film"], info["person"], info["rare"]
        surname, given = person.split(" ", 1)
        week = to_iso(datetime.now(UTC) - timedelta(days=7))
        cases: list[tuple[str, Callable[[], object]]] = [
            (f"search {film!r}", lambda: store.search(film)),
            (f"search {given!r} (romanized)", lambda: store.search(given)),
            (f"search {given.replace('-', '')!r}", lambda: store.search(given.replace("-", ""))),
            (f'search "{person}" (phrase)', lambda: store.search(f'"{person}"')),
            ('search "the cast" (phrase of stop words)', lambda: store.search('"the cast"')),
            ("search cinematog* (prefix)", lambda: store.search("cinematog*")),
            ("search review (in 10% of titles)", lambda: store.search("review")),
            ("search festival (in 40% of bodies)", lambda: store.search("festival")),
            (f"search {rare} (rare word)", lambda: store.search(rare)),
            ("search sequel --since 7d", lambda: store.search("sequel", since=week)),
            (
                f"search festival --person {person!r}",
                lambda: store.search("festival", person=person),
            ),
            (
                f"search trailer --source 'Outlet 03' --film {film!r}",
                lambda: store.search("trailer", source="Outlet 03", film=film),
            ),
            (
                "search review --all-articles --limit 50",
                lambda: store.search("review", all_articles=True, limit=50),
            ),
            ("stories (limit 20)", lambda: store.list_stories(per_story=SHOWN)),
            ("stories --json (limit 20, every article)", lambda: store.list_stories()),
            ("stories --since 7d", lambda: store.list_stories(since=week, per_story=SHOWN)),
            (
                f"stories --film {film!r}",
                lambda: store.list_stories(film=film, per_story=SHOWN),
            ),
            (
                "stories --source 'Outlet 07'",
                lambda: store.list_stories(source="Outlet 07", per_story=SHOWN),
            ),
            (
                f"stories --person {person!r}",
                lambda: store.list_stories(person=person, per_story=SHOWN),
            ),
            ("stories --limit 100", lambda: store.list_stories(limit=100, per_story=SHOWN)),
            ("releases (limit 50)", lambda: store.list_releases()),
        ]
        print(f"{'query':58} {'median ms':>10} {'p95 ms':>8}")
        worst = 0.0
        for label, call in cases:
            median, p95 = timed(call, args.runs)
            worst = max(worst, median)
            print(f"{label[:58]:58} {median:10.1f} {p95:8.1f}")
        print(f"slowest median: {worst:.1f} ms (target <= 50 ms)")
        _ = surname
    if args.keep:
        print(f"kept {path}")
    else:
        workdir.cleanup()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
