"""Does the import stay fast as the store grows? A synthetic corpus at 2k, 20k, 100k.

The generator writes JSONL articles about made-up releases: each release has a title
(some titles are shared by different releases, years apart), a year, a platform and a
cast whose names are spelled differently from outlet to outlet (Korean romanization
variants, Japanese long vowels, name order); each release is covered by a handful
of articles (announcement, festival, review, box office) and some articles are
syndicated copies under a new headline with boilerplate added.

Each size is imported by ``aggregator import`` (the real path: JSONL reading,
parsing, the pipeline, the store) into a fresh database, in a fresh process, and
we report articles/s, the cost per article relative to the smallest run, the cost
of the last 2,000 articles of each run (imported after the rest, into the full
store: the marginal cost at that size), and the peak memory of the process, with
how much of it was the database file read through its memory map at the end (the
operating system's file cache: shared and reclaimable, not the import's own).

Usage:
  python bench/scale.py [--sizes 2000,20000,100000] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

KO_SURNAMES = [
    ("Kim", "Gim"),
    ("Lee", "Yi"),
    ("Park", "Pak"),
    ("Choi", "Choe"),
    ("Jeon", "Jun"),
    ("Jung", "Jeong"),
    ("Kang", "Gang"),
    ("Yoon", "Yun"),
    ("Han", "Han"),
    ("Seo", "Suh"),
]
KO_SYLLABLES = [
    ("joo", "ju"),
    ("seo", "so"),
    ("hoon", "hun"),
    ("woo", "u"),
    ("min", "min"),
    ("ji", "ji"),
    ("hyun", "hyeon"),
    ("jong", "jong"),
    ("yeon", "yeon"),
    ("sung", "seong"),
    ("eun", "eun"),
    ("ha", "ha"),
    ("kyung", "gyeong"),
    ("bin", "bin"),
    ("soo", "su"),
]
JA_NAMES = [
    ("Shouhei", "Shohei"),
    ("Yuuji", "Yuji"),
    ("Ryuuichi", "Ryuichi"),
    ("Sakura", "Sakura"),
    ("Kouji", "Koji"),
    ("Youko", "Yoko"),
    ("Shinji", "Shinji"),
    ("Tsubasa", "Tsubasa"),
]
JA_SURNAMES = [
    ("Ootani", "Ohtani"),
    ("Satou", "Sato"),
    ("Katou", "Kato"),
    ("Itou", "Ito"),
    ("Andou", "Ando"),
    ("Kondou", "Kondo"),
    ("Sakamoto", "Sakamoto"),
    ("Honda", "Honda"),
]
EN_FIRST = [
    "Anna",
    "Mark",
    "Lucy",
    "Daniel",
    "Grace",
    "Owen",
    "Maya",
    "Henry",
    "Clara",
    "Felix",
    "Ruth",
    "Isaac",
    "Nora",
    "Simon",
    "Vera",
    "Jonah",
    "Iris",
    "Miles",
    "Hazel",
    "Leo",
]
EN_LAST = [
    "Whitfield",
    "Carver",
    "Lindqvist",
    "Okafor",
    "Marlowe",
    "Brennan",
    "Castellano",
    "Haverford",
    "Quinlan",
    "Ashdown",
    "Pemberton",
    "Radcliffe",
    "Sorensen",
    "Delacroix",
]
TITLE_WORDS = [
    "Midnight",
    "Harbor",
    "Ballerina",
    "Signal",
    "Winter",
    "Garden",
    "Echo",
    "Crown",
    "Silent",
    "River",
    "Glass",
    "Storm",
    "Paper",
    "Tiger",
    "Lantern",
    "Orbit",
    "Mirror",
    "Hollow",
    "Velvet",
    "Ember",
    "Falcon",
    "Summit",
    "Tide",
    "Cipher",
    "Harvest",
    "Atlas",
]
PLATFORMS = ["Netflix", "Disney+", "Prime Video", "Apple TV+", "tvN", "JTBC", "theaters", "Hulu"]
COMMON_WORDS = [
    "the",
    "a",
    "of",
    "and",
    "to",
    "in",
    "with",
    "for",
    "on",
    "that",
    "was",
    "at",
    "by",
    "from",
    "as",
    "but",
    "after",
    "while",
    "this",
    "its",
    "their",
    "when",
    "story",
    "film",
    "series",
    "scene",
    "crew",
    "cast",
    "score",
    "studio",
    "audience",
    "critics",
    "music",
    "camera",
    "night",
    "city",
    "family",
    "season",
    "episode",
    "premiere",
    "release",
]
KINDS = [
    (
        "announcement",
        "{platform} sets a date for '{title}' starring {lead}",
        "{platform} will release '{title}' next month. {lead} leads the cast with {second} "
        "and {third}. "
        "Director {director} said the story follows a family that loses everything in one night.",
    ),
    (
        "festival",
        "'{title}' invited to the {festival} festival",
        "The {festival} festival has invited '{title}', directed by {director}. {lead} and "
        "{second} "
        "will walk the red carpet before the premiere.",
    ),
    (
        "review",
        "Review: '{title}' gives {lead} the role of a lifetime",
        "{lead} carries '{title}' with quiet force. {second} is excellent as a rival and {third} "
        "brings warmth. {director} keeps the camera close and the running time short.",
    ),
    (
        "box-office",
        "'{title}' leads the weekend box office",
        "'{title}' took first place at the box office this weekend. {lead} and {second} "
        "thanked fans "
        "in a video. The film from {director} has now passed two million admissions.",
    ),
]


def _korean_name(rng: random.Random) -> tuple[str, str]:
    surname = rng.choice(KO_SURNAMES)
    a, b = rng.choice(KO_SYLLABLES), rng.choice(KO_SYLLABLES)
    return f"{surname[0]} {a[0].title()}-{b[0]}", f"{surname[1]} {a[1].title()}{b[1]}"


def _japanese_name(rng: random.Random) -> tuple[str, str]:
    given, surname = rng.choice(JA_NAMES), rng.choice(JA_SURNAMES)
    return f"{given[0]} {surname[0]}", f"{surname[1]} {given[1]}"


def _english_name(rng: random.Random) -> tuple[str, str]:
    name = f"{rng.choice(EN_FIRST)} {rng.choice(EN_LAST)}"
    return name, name


def _person(rng: random.Random) -> tuple[str, str]:
    roll = rng.random()
    if roll < 0.5:
        return _korean_name(rng)
    if roll < 0.65:
        return _japanese_name(rng)
    return _english_name(rng)


def generate(n_articles: int, path: Path, seed: int = 7) -> int:
    """Write ``n_articles`` JSONL records; returns the number of releases."""
    rng = random.Random(seed)
    # Made-up content words, so that filler text varies like real prose does.
    vocabulary = [
        "".join(
            rng.choice("bcdfghklmnprstvz") + rng.choice("aeiou") for _ in range(rng.randint(2, 4))
        )
        for _ in range(5000)
    ]
    releases = []
    n_releases = max(1, n_articles // 8)
    for number in range(n_releases):
        if releases and rng.random() < 0.1:
            title = rng.choice(releases)["title"]  # a shared title, another release
        else:
            title = " ".join(rng.sample(TITLE_WORDS, rng.choice((1, 2, 2, 3)))) + f" {number}"
        releases.append(
            {
                "title": title,
                "year": rng.randint(2005, 2025),
                "platform": rng.choice(PLATFORMS),
                "cast": [_person(rng) for _ in range(4)],
                "festival": rng.choice(["Busan", "Cannes", "Venice", "Sundance", "Toronto"]),
            }
        )
    written: list[dict[str, str]] = []
    with path.open("w", encoding="utf-8") as out:
        for index in range(n_articles):
            if written and rng.random() < 0.08:
                original = rng.choice(written[-2000:])
                record = {
                    "url": f"https://copies{index % 50}.example/{index}",
                    "source": f"Copy {index % 50}",
                    "published": original["published"],
                    "title": "Syndicated: " + original["title"].lower(),
                    "body": original["body"] + "\nThis article first appeared on a partner site.",
                }
            else:
                release = releases[rng.randrange(len(releases))]
                kind, headline, body = rng.choice(KINDS)
                spell = [p[rng.randrange(2)] for p in release["cast"]]
                values = {
                    "title": release["title"],
                    "platform": release["platform"],
                    "festival": release["festival"],
                    "lead": spell[0],
                    "second": spell[1],
                    "third": spell[2],
                    "director": spell[3],
                }
                filler = " ".join(
                    rng.choice(COMMON_WORDS) if rng.random() < 0.45 else rng.choice(vocabulary)
                    for _ in range(rng.randint(60, 110))
                )
                record = {
                    "url": f"https://outlet{index % 30}.example/{kind}/{index}",
                    "source": f"Outlet {index % 30}",
                    "published": (
                        f"{release['year']}-{rng.randint(1, 12):02d}-"
                        f"{rng.randint(1, 28):02d}T10:00:00Z"
                    ),
                    "title": headline.format(**values),
                    "body": body.format(**values) + " " + filler.capitalize() + ".",
                }
            written.append(record)
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return n_releases


def _file_backed_kb() -> int:
    """Resident pages of mapped files (the database is read through a memory map):
    the operating system's file cache, shared and reclaimable, yet counted in the
    peak. 0 where /proc is not available."""
    try:
        status = Path("/proc/self/status").read_text(encoding="ascii")
    except OSError:
        return 0
    for line in status.splitlines():
        if line.startswith("RssFile:"):
            return int(line.split()[1])
    return 0


def _import_worker(db: str, jsonl: str, tail: int) -> None:
    """Runs in a fresh process: import, then print timings and peak memory as JSON."""
    from aggregator import pipeline
    from aggregator.models import ImportReport
    from aggregator.pipeline import import_paths
    from aggregator.store import open_store

    # Time every part on the large-import path (a second process prepares articles,
    # 2,000-article transactions), so the small and large runs compare like with like.
    pipeline.PARALLEL_MIN_BYTES = 0

    head_path = Path(jsonl).with_suffix(".head.jsonl")
    tail_path = Path(jsonl).with_suffix(".tail.jsonl")
    with Path(jsonl).open(encoding="utf-8") as source:
        total = sum(1 for _ in source)
    # Streamed, so that the peak memory reported is the import's, not this split's.
    with (
        Path(jsonl).open(encoding="utf-8") as source,
        head_path.open("w", encoding="utf-8") as head,
        tail_path.open("w", encoding="utf-8") as rest,
    ):
        for number, line in enumerate(source):
            (head if number < total - tail else rest).write(line)
    store = open_store(Path(db))
    started = time.perf_counter()
    report = ImportReport()
    report.merge(import_paths(store, [head_path]))
    middle = time.perf_counter()
    report.merge(import_paths(store, [tail_path]))
    ended = time.perf_counter()
    mapped_kb = _file_backed_kb()  # before closing: the database's mapped pages
    store.close()
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        json.dumps(
            {
                "seconds": ended - started,
                "tail_seconds": ended - middle,
                "new": report.new,
                "duplicates": report.duplicates,
                "failed": report.failed,
                "stories": report.new_stories,
                "peak_mb": peak_kb / 1024,
                "mapped_mb": mapped_kb / 1024,
            }
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="2000,20000,100000")
    parser.add_argument(
        "--tail", type=int, default=2000, help="articles timed at the end of each run"
    )
    parser.add_argument("--keep", type=Path, help="keep corpora and databases here")
    parser.add_argument("--worker", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        _import_worker(args.worker[0], args.worker[1], args.tail)
        return
    sizes = [int(s) for s in args.sizes.split(",")]
    base = args.keep or Path(tempfile.mkdtemp(prefix="aggregator-scale-"))
    base.mkdir(parents=True, exist_ok=True)
    results = {}
    print(
        f"{'articles':>9} {'releases':>8} {'seconds':>8} {'articles/s':>10} {'ms/article':>10} "
        f"{'last-2k ms/article':>18} {'copies folded':>13} {'stories':>8} {'peak MB':>8} "
        f"{'of it mapped file MB':>20}"
    )
    for size in sizes:
        corpus = base / f"corpus-{size}.jsonl"
        releases = generate(size, corpus)
        db = base / f"scale-{size}.db"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        tail = min(args.tail, size // 2)
        output = subprocess.run(
            [sys.executable, __file__, "--tail", str(tail), "--worker", str(db), str(corpus)],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        result = json.loads(output.strip().splitlines()[-1])
        results[size] = result
        print(
            f"{size:>9} {releases:>8} {result['seconds']:>8.1f} {size / result['seconds']:>10.0f} "
            f"{1000 * result['seconds'] / size:>10.3f} "
            f"{1000 * result['tail_seconds'] / tail:>18.3f} "
            f"{result['duplicates']:>13} {result['stories']:>8} {result['peak_mb']:>8.0f} "
            f"{result['mapped_mb']:>20.0f}"
        )
    if len(sizes) > 1:
        small, large = sizes[0], sizes[-1]
        ratio = (results[large]["seconds"] / large) / (results[small]["seconds"] / small)
        tail_ratio = (results[large]["tail_seconds"] / min(args.tail, large // 2)) / (
            results[small]["tail_seconds"] / min(args.tail, small // 2)
        )
        print(
            f"per-article cost {large} vs {small}: {ratio:.2f}x overall, "
            f"{tail_ratio:.2f}x for the last articles of each run"
        )
    if not args.keep:
        for path in base.iterdir():
            path.unlink()
        base.rmdir()


if __name__ == "__main__":
    main()
