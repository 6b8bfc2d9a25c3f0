#!/usr/bin/env python3
"""Precision and recall of the works and people the parser finds, on our own fixtures.

The fixtures (tests/fixtures/entities/*.json) are short articles written for this
project: headlines that never quote their titles, headlines naming two works, and
every romanized form of the names we meet. Each case is a plain-text article
(``title`` + ``body``), a page (``html``) or a feed entry (``entry``), with the
works (primary first) and people a reader would list.

Scoring: a work matches when its folded title (leading article dropped) equals an
expected one; a person
when the folded name does. Precision and recall are micro-averaged over all cases;
the primary-work rate counts cases whose first expected work is ``works[0]``;
the role rate counts matched people whose expected role (when given) is found.

Usage:
    python bench/entities.py [FIXTURE_DIR] [--verbose]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from aggregator.models import Article  # noqa: E402
from aggregator.parse import parse_html, parse_text  # noqa: E402
from aggregator.parse.clean import line_key  # noqa: E402
from aggregator.parse.entry import parse_entry_fields  # noqa: E402
from aggregator.parse.works import work_key  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures" / "entities"


def load_cases(folder: Path) -> list[dict[str, Any]]:
    cases: list[dict[str, Any]] = []
    for path in sorted(folder.glob("*.json")):
        cases.extend(json.loads(path.read_text(encoding="utf-8")))
    return cases


def parse_case(case: dict[str, Any]) -> Article:
    url = f"https://fixtures.invalid/{case['id']}"
    if "html" in case:
        return parse_html(case["html"], url)
    if "entry" in case:
        entry = case["entry"]
        return parse_entry_fields(
            entry["title"], entry.get("content", ""), url, categories=entry.get("categories", [])
        )
    return parse_text(f"{case['title']}\n\n{case['body']}", url)


def score(cases: list[dict[str, Any]], verbose: bool = False) -> dict[str, float]:
    counters = "work_tp work_pred work_gold person_tp person_pred person_gold"
    counters += " primary_ok primary_n role_ok role_n"
    totals = dict.fromkeys(counters.split(), 0)
    for case in cases:
        article = parse_case(case)
        gold_works = [work_key(w["title"]) for w in case["works"]]
        pred_works = [work_key(w.title) for w in article.works]
        gold_people = {line_key(p["name"]): p.get("role") for p in case["people"]}
        pred_people = {line_key(p.name): p.role for p in article.people}
        totals["work_tp"] += len(set(gold_works) & set(pred_works))
        totals["work_pred"] += len(set(pred_works))
        totals["work_gold"] += len(set(gold_works))
        totals["person_tp"] += len(set(gold_people) & set(pred_people))
        totals["person_pred"] += len(pred_people)
        totals["person_gold"] += len(gold_people)
        if gold_works:
            totals["primary_n"] += 1
            totals["primary_ok"] += bool(pred_works) and pred_works[0] == gold_works[0]
        for name, role in gold_people.items():
            if role and name in pred_people:
                totals["role_n"] += 1
                totals["role_ok"] += pred_people[name] == role
        if verbose:
            extra_w = sorted(set(pred_works) - set(gold_works))
            missed_w = sorted(set(gold_works) - set(pred_works))
            extra_p = sorted(set(pred_people) - set(gold_people))
            missed_p = sorted(set(gold_people) - set(pred_people))
            wrong_role = sorted(
                f"{n}: {pred_people[n]} (want {r})"
                for n, r in gold_people.items()
                if r and n in pred_people and pred_people[n] != r
            )
            primary_wrong = gold_works and (not pred_works or pred_works[0] != gold_works[0])
            if extra_w or missed_w or extra_p or missed_p or wrong_role or primary_wrong:
                print(
                    f"{case['id']}: works +{extra_w} -{missed_w} people +{extra_p} -{missed_p}"
                    f"{' roles ' + str(wrong_role) if wrong_role else ''}"
                    f"{' primary ' + repr(pred_works[:1]) if primary_wrong else ''}"
                )

    def ratio(a: str, b: str) -> float:
        return totals[a] / totals[b] if totals[b] else 1.0

    return {
        "cases": len(cases),
        "work_precision": ratio("work_tp", "work_pred"),
        "work_recall": ratio("work_tp", "work_gold"),
        "person_precision": ratio("person_tp", "person_pred"),
        "person_recall": ratio("person_tp", "person_gold"),
        "primary_work": ratio("primary_ok", "primary_n"),
        "role_accuracy": ratio("role_ok", "role_n"),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("fixtures", nargs="?", type=Path, default=FIXTURES)
    parser.add_argument("-v", "--verbose", action="store_true", help="list each case's errors")
    args = parser.parse_args(argv)
    cases = load_cases(args.fixtures)
    if not cases:
        print(f"skipped: no fixtures in {args.fixtures}")
        return 0
    started = time.perf_counter()
    result = score(cases, args.verbose)
    elapsed = time.perf_counter() - started
    print(
        f"cases {result['cases']}"
        f"  works P {result['work_precision']:.3f} R {result['work_recall']:.3f}"
        f"  people P {result['person_precision']:.3f} R {result['person_recall']:.3f}"
        f"  primary {result['primary_work']:.3f}  roles {result['role_accuracy']:.3f}"
        f"  ({elapsed * 1000:.0f} ms)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
