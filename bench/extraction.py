#!/usr/bin/env python3
"""Body and title extraction quality of the page parser, and its speed.

Runs :func:`aggregator.parse.parse_html` over a folder of reference pages (the
public article-extraction benchmark layout: ``html/<id>.html.gz``,
``ground-truth.json``, ``derived/silver-titles.json``) and prints body F1,
precision and recall, exact title match and pages per second.

The body metric follows the benchmark's published definition (4-word shingle
multisets per page, macro-averaged precision and recall, F1 of the two means);
titles are compared after NFKC, case-folding and unified quotes and dashes.

The data is third-party and never part of the repository: pass its folder, and
the script exits 0 with a message when it is absent. ``--check`` compares the
figures with ``bench/floors.json`` and exits 1 when one drops below its floor.

Usage:
    python bench/extraction.py ../shared/eval/extraction [--check] [--per-page OUT.json]
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import statistics
import sys
import time
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from aggregator.errors import ParseError  # noqa: E402
from aggregator.parse import parse_html  # noqa: E402
from aggregator.parse.encoding import decode_html  # noqa: E402

FLOORS = Path(__file__).resolve().parent / "floors.json"
SHINGLE = 4
_WORD = re.compile(r"\w+")
_TITLE_CHARS = str.maketrans(
    {
        "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
        "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u2033": '"',
        "\u2013": "-", "\u2014": "-", "\u2012": "-", "\u2212": "-", "\u00a0": " ",
    }
)  # fmt: skip


def shingles(text: str) -> Counter[tuple[str, ...]]:
    tokens = _WORD.findall(text or "")
    if not tokens:
        return Counter()
    if len(tokens) <= SHINGLE:
        return Counter([tuple(tokens)])
    return Counter(tuple(tokens[i : i + SHINGLE]) for i in range(len(tokens) - SHINGLE + 1))


def page_shares(reference: str, predicted: str) -> tuple[float, float, float]:
    """(matched, extra, missed) shingle shares of one page; they sum to 1 (or all 0)."""
    ref, pred = shingles(reference), shingles(predicted)
    matched = sum((ref & pred).values())
    extra = sum((pred - ref).values())
    missed = sum((ref - pred).values())
    total = matched + extra + missed
    return (matched / total, extra / total, missed / total) if total else (0.0, 0.0, 0.0)


def body_scores(shares: list[tuple[float, float, float]]) -> dict[str, float]:
    precisions, recalls = [], []
    for matched, extra, missed in shares:
        perfect = extra == 0 and missed == 0
        if matched + extra > 0:
            precisions.append(1.0 if perfect else matched / (matched + extra))
        if matched + missed > 0:
            recalls.append(1.0 if perfect else matched / (matched + missed))
    p = statistics.mean(precisions) if precisions else 0.0
    r = statistics.mean(recalls) if recalls else 0.0
    return {"f1": 2 * p * r / (p + r) if p + r else 0.0, "precision": p, "recall": r}


def norm_title(text: str) -> str:
    text = unicodedata.normalize("NFKC", text or "").translate(_TITLE_CHARS).casefold()
    return " ".join(text.split())


def run(data: Path, per_page_out: Path | None) -> dict[str, Any]:
    truth = json.loads((data / "ground-truth.json").read_text(encoding="utf-8"))
    titles_path = data / "derived" / "silver-titles.json"
    titles = json.loads(titles_path.read_text(encoding="utf-8")) if titles_path.exists() else {}
    pages = {pid: gzip.decompress((data / "html" / f"{pid}.html.gz").read_bytes()) for pid in truth}
    shares, title_hits, per_page = [], [], {}
    # CPU time of this process: one core's throughput, whatever else the machine runs.
    started = time.process_time()
    outputs: dict[str, tuple[str, str]] = {}
    for pid, raw in pages.items():
        try:
            article = parse_html(decode_html(raw), url=truth[pid].get("url") or "")
            outputs[pid] = (article.title, article.body)
        except ParseError as exc:
            outputs[pid] = ("", "")
            per_page[pid] = {"error": str(exc)}
    elapsed = time.process_time() - started
    for pid, (title, body) in outputs.items():
        share = page_shares(truth[pid].get("articleBody") or "", body)
        shares.append(share)
        record = per_page.setdefault(pid, {})
        record.update(
            matched=round(share[0], 3), extra=round(share[1], 3), missed=round(share[2], 3)
        )
        reference = titles.get(pid)
        if isinstance(reference, str) and reference:
            hit = norm_title(reference) == norm_title(title)
            title_hits.append(hit)
            if not hit:
                record.update(title=title, title_ref=reference)
    result: dict[str, Any] = body_scores(shares)
    result["title_exact"] = statistics.mean(title_hits) if title_hits else 0.0
    result["title_n"] = len(title_hits)
    result["pages"] = len(pages)
    result["pages_per_second"] = len(pages) / elapsed if elapsed else 0.0
    if per_page_out:
        per_page_out.write_text(
            json.dumps(per_page, indent=1, ensure_ascii=False), encoding="utf-8"
        )
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("data", type=Path, help="folder with html/ and ground-truth.json")
    parser.add_argument("--check", action="store_true", help="exit 1 below bench/floors.json")
    parser.add_argument("--per-page", type=Path, help="write per-page scores (JSON) here")
    args = parser.parse_args(argv)
    if not (args.data / "ground-truth.json").is_file() or not (args.data / "html").is_dir():
        print(f"skipped: no extraction data at {args.data}")
        return 0
    result = run(args.data, args.per_page)
    print(
        f"pages {result['pages']}  body F1 {result['f1']:.3f}  precision {result['precision']:.3f}"
        f"  recall {result['recall']:.3f}  title exact {result['title_exact']:.3f}"
        f" (n={result['title_n']})  {result['pages_per_second']:.1f} pages/s"
    )
    if not args.check:
        return 0
    floors = json.loads(FLOORS.read_text(encoding="utf-8"))["extraction"]
    failed = [
        f"{key} {result[key]:.3f} < floor {floor}"
        for key, floor in floors.items()
        if result[key] < floor
    ]
    for line in failed:
        print(f"below floor: {line}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
