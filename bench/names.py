"""Name folding vs a stock fuzzy scorer on labelled spelling-variant pairs.

Each pair in tests/fixtures/names/variant_pairs.jsonl is two spellings of one person
("same": true: romanization variants, name order, accents, scripts) or two different
people with look-alike names ("same": false). A method predicts "same" for a pair;
we print precision, recall and F1 of:

  folded key        fold_name(a) == fold_name(b)
  token_sort_ratio  rapidfuzz token_sort_ratio(a, b) >= t, at the t that gives
                    it the best F1 on this very data (a generous comparison)

Usage: python bench/names.py [PAIRS.jsonl]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from rapidfuzz import fuzz

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from aggregator.normalize.names import fold_name  # noqa: E402


def prf(predicted: list[bool], gold: list[bool]) -> tuple[float, float, float]:
    tp = sum(p and g for p, g in zip(predicted, gold, strict=True))
    fp = sum(p and not g for p, g in zip(predicted, gold, strict=True))
    fn = sum(g and not p for p, g in zip(predicted, gold, strict=True))
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def main() -> None:
    path = (
        Path(sys.argv[1])
        if len(sys.argv) > 1
        else ROOT / "tests" / "fixtures" / "names" / "variant_pairs.jsonl"
    )
    pairs = [
        json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()
    ]
    gold = [bool(p["same"]) for p in pairs]
    folded = [fold_name(p["a"]) == fold_name(p["b"]) and fold_name(p["a"]) != "" for p in pairs]
    scores = [fuzz.token_sort_ratio(p["a"], p["b"]) for p in pairs]
    best = max(
        ((t, prf([s >= t for s in scores], gold)) for t in range(50, 101)),
        key=lambda item: item[1][2],
    )
    print(
        f"{len(pairs)} pairs ({sum(gold)} same person, {len(gold) - sum(gold)} different) "
        f"from {path.name}"
    )
    p, r, f = prf(folded, gold)
    print(f"  folded key (fold_name)          P={p:.3f} R={r:.3f} F1={f:.3f}")
    p, r, f = best[1]
    print(
        f"  rapidfuzz token_sort_ratio>={best[0]:<3} P={p:.3f} R={r:.3f} F1={f:.3f}  "
        "(best threshold)"
    )
    if "--verbose" in sys.argv:
        for pair, g, pred in zip(pairs, gold, folded, strict=True):
            if g != pred:
                print(
                    f"    wrong: {pair['a']!r} / {pair['b']!r} gold={g} -> "
                    f"{fold_name(pair['a'])} {fold_name(pair['b'])}"
                )


if __name__ == "__main__":
    main()
