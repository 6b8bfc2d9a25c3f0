"""How well does the matcher group articles? BCubed and pairwise precision/recall/F1.

Runs every labelled article through the real import pipeline into a temporary store,
then compares the stories it made with the labels:

  (a) our own fixtures, tests/fixtures/grouping/*.jsonl (one article per line with a
      ``label`` naming its release), twice: as plain text through today's parser, and
      with the ``works``/``people`` hints the fixtures carry (what a better parser
      would find); then the untuned batches, tests/fixtures/grouping-untuned/*.jsonl
      (round1: 86 articles in 20 scenarios, round2: 125 articles in 21 scenarios,
      written by testers after the matcher's settings were chosen; fixes were made
      from their failures, but no setting is tuned on them), each on its own;
  (b) ECB+ (third-party; read from the folder given, never copied): all topics, and
      the five entertainment topics on their own, plus how many topics had their two
      look-alike subtopics merged;
  (c) the UCI News Aggregator headlines (third-party, --uci DIR): the 2,188
      entertainment headlines, headline only, in time order, against the
      aggregator's own story ids. Those are coarse, automatic labels (a whole TV
      finale's news cycle is one story), so read precision as the signal: recall is
      low by design when a headline names nothing the others do.

Usage:
  python bench/grouping.py [--fixtures DIR] [--untuned DIR] [--verbose] [--ceiling]
                           [--uci DIR] [ECBPLUS_DIR]

--ceiling adds an upper bound for ECB+: how well the best cut-off of offline,
whole-topic clustering on the matcher's own text vectors could do.

ECBPLUS_DIR defaults to ../shared/eval/clustering/ecbplus and --uci to
../shared/eval/clustering/uci_news_aggregator_prefix; when one is absent that part is
skipped with a message.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import UTC, datetime
from itertools import combinations
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from aggregator.errors import InputError  # noqa: E402
from aggregator.match import DEFAULT_SETTINGS, extract_features  # noqa: E402
from aggregator.match.features import term_vector  # noqa: E402
from aggregator.match.matcher import _years_apart  # noqa: E402
from aggregator.models import Article, ImportReport, Person, Work  # noqa: E402
from aggregator.normalize.urls import canonicalize_url  # noqa: E402
from aggregator.parse import parse_record, parse_text  # noqa: E402
from aggregator.pipeline import store_articles  # noqa: E402
from aggregator.store import Store, open_store  # noqa: E402

ENTERTAINMENT_TOPICS = {1, 2, 4, 6, 39}
DEFAULT_ECB = ROOT.parent / "shared" / "eval" / "clustering" / "ecbplus"
DEFAULT_UCI = ROOT.parent / "shared" / "eval" / "clustering" / "uci_news_aggregator_prefix"


def bcubed(gold: dict[str, str], pred: dict[str, Any]) -> tuple[float, float, float]:
    gold_groups: dict[str, set[str]] = defaultdict(set)
    pred_groups: dict[Any, set[str]] = defaultdict(set)
    for item, label in gold.items():
        gold_groups[label].add(item)
        pred_groups[pred[item]].add(item)
    precision = recall = 0.0
    for item in gold:
        same_pred = pred_groups[pred[item]]
        same_gold = gold_groups[gold[item]]
        both = len(same_pred & same_gold)
        precision += both / len(same_pred)
        recall += both / len(same_gold)
    n = len(gold)
    p, r = precision / n, recall / n
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def pairwise(gold: dict[str, str], pred: dict[str, Any]) -> tuple[float, float, float]:
    def pairs(labels: dict[str, Any]) -> set[tuple[str, str]]:
        groups: dict[Any, list[str]] = defaultdict(list)
        for item, label in labels.items():
            groups[label].append(item)
        return {tuple(sorted(p)) for g in groups.values() for p in combinations(g, 2)}  # type: ignore[misc]

    gold_pairs, pred_pairs = pairs(gold), pairs({k: pred[k] for k in gold})
    tp = len(gold_pairs & pred_pairs)
    p = tp / len(pred_pairs) if pred_pairs else 1.0
    r = tp / len(gold_pairs) if gold_pairs else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def run(
    articles: Iterable[Article], batch: int = 500
) -> tuple[dict[str, int], ImportReport, float]:
    """Import into a temporary store; the story each input URL ended up in."""
    items = list(articles)
    report = ImportReport()
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(Path(tmp) / "bench.db")
        started = time.perf_counter()
        for start in range(0, len(items), batch):
            store_articles(store, items[start : start + batch], report)
        elapsed = time.perf_counter() - started
        result = {a.url: _story_of(store, a.url) for a in items}
        store.close()
    return result, report, elapsed


def _story_of(store: Store, url: str) -> int:
    article_id = store.scalar(
        "SELECT article_id FROM sightings WHERE url = ? ORDER BY id LIMIT 1",
        (canonicalize_url(url),),
    )
    if article_id is None:
        return -1
    story = store.scalar("SELECT story_id FROM story_members WHERE article_id = ?", (article_id,))
    return store.live_story(int(story)) if story is not None else -1


def line(name: str, gold: dict[str, str], pred: dict[str, Any], extra: str = "") -> None:
    bp, br, bf = bcubed(gold, pred)
    pp, pr, pf = pairwise(gold, pred)
    print(
        f"  {name:<34} n={len(gold):<4} stories={len(set(pred[k] for k in gold)):<4} "
        f"gold={len(set(gold.values())):<4} BCubed P={bp:.3f} R={br:.3f} F1={bf:.3f}  "
        f"pairwise P={pp:.3f} R={pr:.3f} F1={pf:.3f}{extra}"
    )


# --- our fixtures -----------------------------------------------------------------
def fixture_records(folder: Path, pattern: str = "*.jsonl") -> list[dict[str, Any]]:
    records = []
    for path in sorted(folder.glob(pattern)):
        for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if raw.strip():
                record = json.loads(raw)
                record["_where"] = f"{path.name}:{number}"
                records.append(record)
    return records


def fixture_article(record: dict[str, Any], hints: bool) -> Article:
    article = parse_record(
        {
            k: v
            for k, v in record.items()
            if k in ("url", "title", "body", "published", "source", "guid", "html")
        }
    )
    if not hints:
        return article
    works = tuple(
        Work(title=w["title"], kind=w.get("kind"), year=w.get("year"), source="hint")
        for w in record.get("works", [])
    )
    people = tuple(Person(name=p["name"], role=p.get("role")) for p in record.get("people", []))
    return replace(article, works=works or article.works, people=people or article.people)


def evaluate_fixtures(folder: Path, name: str = "Our fixtures", pattern: str = "*.jsonl") -> None:
    records = fixture_records(folder, pattern)
    if not records:
        print(f"fixtures: none in {folder}")
        return
    print(
        f"{name} ({len(records)} articles, "
        f"{len({r['label'] for r in records})} releases, {folder}):"
    )
    for hints in (False, True):
        articles, gold = [], {}
        for record in records:
            try:
                articles.append(fixture_article(record, hints))
            except InputError as exc:
                print(f"  {record['_where']}: skipped ({exc})")
                continue
            gold[record["url"]] = record["label"]
        pred, report, _ = run(articles)
        expected_dups = sum(1 for r in records if r.get("duplicate_of"))
        line(
            "with works/people hints" if hints else "plain text, today's parser",
            gold,
            pred,
            f"  duplicates folded {report.duplicates}/{expected_dups}",
        )
        if "--verbose" in sys.argv:
            _explain(records, gold, pred)


def _explain(records: list[dict[str, Any]], gold: dict[str, str], pred: dict[str, Any]) -> None:
    by_story: dict[Any, Counter[str]] = defaultdict(Counter)
    for url, label in gold.items():
        by_story[pred[url]][label] += 1
    for story, labels in by_story.items():
        if len(labels) > 1:
            print(f"    merged in story {story}: {dict(labels)}")
    by_label: dict[str, set[Any]] = defaultdict(set)
    for url, label in gold.items():
        by_label[label].add(pred[url])
    for label, stories in by_label.items():
        if len(stories) > 1:
            print(f"    split {label}: stories {sorted(stories)}")


# --- ECB+ ------------------------------------------------------------------------
def evaluate_ecbplus(folder: Path) -> None:
    docs_path = folder / "docs.jsonl"
    if not docs_path.is_file():
        print(f"ECB+: {docs_path} not found; skipped (pass the ecbplus folder as an argument)")
        return
    docs = [
        json.loads(raw) for raw in docs_path.read_text(encoding="utf-8").splitlines() if raw.strip()
    ]
    articles, gold, topic_of = [], {}, {}
    for doc in docs:
        url = f"https://ecbplus.invalid/{doc['doc_id']}"
        try:
            # As `aggregator import` reads a .txt file: headline on top (past any
            # date line), the rest is the body.
            articles.append(parse_text(doc["text"], url))
        except InputError:
            continue
        gold[url] = doc["subtopic"]
        topic_of[url] = doc["topic"]
    pred, _, elapsed = run(articles)
    print(f"ECB+ ({len(gold)} documents, plain text; imported in {elapsed:.1f}s):")
    merged_topics = _merged_subtopics(gold, pred, topic_of)
    line("all topics", gold, pred, f"  topics with both subtopics merged: {len(merged_topics)}")
    ent = {u: g for u, g in gold.items() if topic_of[u] in ENTERTAINMENT_TOPICS}
    line(
        "entertainment topics 1,2,4,6,39",
        ent,
        pred,
        f"  merged: {sorted(t for t in merged_topics if t in ENTERTAINMENT_TOPICS)}",
    )
    within = _within_topic_pairs(gold, pred, topic_of)
    print(f"  within-topic look-alike pairs wrongly linked: {within[0]} of {within[1]}")
    if merged_topics:
        print(f"  merged topics: {sorted(merged_topics)}")
    if "--ceiling" in sys.argv:
        _ceiling(articles, gold, topic_of)


def evaluate_uci(folder: Path) -> None:
    path = folder / "uci-news-aggregator.prefix.csv"
    if not path.is_file():
        print(f"UCI headlines: {path} not found; skipped (pass the folder with --uci)")
        return
    with path.open(encoding="utf-8", newline="") as source:
        rows = [
            row
            for row in csv.DictReader(source)
            # The saved prefix ends in a cut-off line: rows without a label or a
            # numeric time are left out.
            if row.get("CATEGORY") == "e"
            and row.get("STORY")
            and (row.get("TIMESTAMP") or "").isdigit()
            and row.get("TITLE")
        ]
    rows.sort(key=lambda row: int(row["TIMESTAMP"]))  # as a stream, in time order
    articles, gold = [], {}
    for row in rows:
        url = f"https://uci.invalid/{row['ID']}"  # one per row: reposts are separate rows
        published = datetime.fromtimestamp(int(row["TIMESTAMP"]) / 1000, UTC).isoformat()
        record = {"url": url, "title": row["TITLE"], "body": "", "published": published}
        try:
            articles.append(parse_record({**record, "source": row["PUBLISHER"]}))
        except InputError:
            continue
        gold[url] = row["STORY"]
    pred, _, elapsed = run(articles)
    print(f"UCI entertainment headlines ({len(gold)}, headline only; {elapsed:.1f}s):")
    line("coarse aggregator stories", gold, pred)


def _ceiling(articles: list[Article], gold: dict[str, str], topic_of: dict[str, int]) -> None:
    """How far could any threshold on the matcher's text vectors go?

    An upper bound, far more generous than the real matcher: it is told each
    document's topic, sees a whole topic at once (no arrival order), clusters it by
    average linkage on the same TF-IDF vectors (words, names and details) the matcher
    compares, and the one cut-off that scores best over the corpus is picked with
    the answers in hand. Twice: on the text alone, and never joining two clusters
    whose years the matcher would hold apart (matcher._years_apart). What it cannot
    reach, the matcher cannot reach on these features either.
    """
    features = {a.url: extract_features(a, DEFAULT_SETTINGS) for a in articles if a.url in gold}
    df: Counter[str] = Counter(k for f in features.values() for k in f.term_counts)
    vectors = {
        url: term_vector(f.term_counts, dict(df), len(features), DEFAULT_SETTINGS)
        for url, f in features.items()
    }
    by_topic: dict[int, list[str]] = defaultdict(list)
    for url in vectors:
        by_topic[topic_of[url]].append(url)

    def years_apart(urls: list[str]) -> Callable[[list[int], list[int]], bool]:
        def years(members: list[int]) -> tuple[frozenset[int], frozenset[int]]:
            chosen = [features[urls[m]] for m in members]
            dated = frozenset().union(*(f.years for f in chosen))
            return dated, frozenset().union(*(f.mentioned_years for f in chosen))

        def apart(a: list[int], b: list[int]) -> bool:
            gap = DEFAULT_SETTINGS.event_year_gap
            return _years_apart(*years(a), *years(b), gap) is not None

        return apart

    sims = {t: _similarities([vectors[u] for u in urls]) for t, urls in by_topic.items()}
    # Without constraints average linkage is monotone: one clustering per topic, cut
    # at each level. With them a merge can allow a later, higher one, so each level
    # is clustered on its own.
    merges_by_topic = {t: _average_linkage(sim) for t, sim in sims.items()}
    aparts = {t: years_apart(urls) for t, urls in by_topic.items()}

    def clusters(topic: int, cut: float, use_years: bool) -> list[list[int]]:
        if not use_years:
            return _cut(len(by_topic[topic]), merges_by_topic[topic], cut)
        merges = _average_linkage(sims[topic], aparts[topic], floor=cut)
        return _cut(len(by_topic[topic]), merges, cut)

    for label, use_years in (("text only", False), ("and years", True)):
        print(
            f"  ceiling, {label} (oracle topics, whole-topic average linkage, "
            "best cut-off chosen on gold):"
        )
        best: tuple[float, float, int] | None = None
        for step in range(5, 60):
            cut = step / 100
            pred: dict[str, tuple[int, int]] = {}
            for topic, urls in by_topic.items():
                for index, cluster in enumerate(clusters(topic, cut, use_years)):
                    for member in cluster:
                        pred[urls[member]] = (topic, index)
            _, _, f1 = pairwise({u: gold[u] for u in pred}, pred)
            merged = len(_merged_subtopics({u: gold[u] for u in pred}, pred, topic_of))
            if best is None or f1 > best[1]:
                best = (cut, f1, merged)
            if step % 5 == 0:
                print(f"    similarity >= {cut:.2f}: pairwise F1 {f1:.3f}, topics merged {merged}")
        if best:
            print(
                f"    best: similarity >= {best[0]:.2f}, pairwise F1 {best[1]:.3f}, "
                f"merged {best[2]}"
            )


def _cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(w * b.get(k, 0.0) for k, w in a.items())


def _similarities(vectors: list[dict[str, float]]) -> list[list[float]]:
    return [[_cosine(a, b) for b in vectors] for a in vectors]


def _average_linkage(
    sim: list[list[float]],
    apart: Callable[[list[int], list[int]], bool] | None = None,
    floor: float = float("-inf"),
) -> list[tuple[float, int, int]]:
    """Merges (similarity, cluster, cluster) of average-linkage clustering, best first,
    down to similarity ``floor``; two clusters ``apart`` says are apart never merge."""
    clusters: dict[int, list[int]] = {i: [i] for i in range(len(sim))}
    merges: list[tuple[float, int, int]] = []
    while len(clusters) > 1:
        allowed = [
            (
                sum(sim[i][j] for i in clusters[x] for j in clusters[y])
                / (len(clusters[x]) * len(clusters[y])),
                x,
                y,
            )
            for x, y in combinations(sorted(clusters), 2)
            if apart is None or not apart(clusters[x], clusters[y])
        ]
        if not allowed:
            break
        score, a, b = max(allowed)
        if score < floor:
            break
        merges.append((score, a, b))
        clusters[a] += clusters.pop(b)
    return merges


def _cut(n: int, merges: list[tuple[float, int, int]], cut: float) -> list[list[int]]:
    clusters: dict[int, list[int]] = {i: [i] for i in range(n)}
    for score, a, b in merges:
        if score < cut:
            break
        clusters[a] += clusters.pop(b)
    return list(clusters.values())


def _merged_subtopics(
    gold: dict[str, str], pred: dict[str, Any], topic_of: dict[str, int]
) -> set[int]:
    stories: dict[Any, set[str]] = defaultdict(set)
    for url, label in gold.items():
        stories[pred[url]].add(label)
    merged = set()
    for labels in stories.values():
        topics = Counter(int(label.split("_")[0]) for label in labels)
        merged |= {t for t, n in topics.items() if n > 1}
    return merged


def _within_topic_pairs(
    gold: dict[str, str], pred: dict[str, Any], topic_of: dict[str, int]
) -> tuple[int, int]:
    by_topic: dict[int, list[str]] = defaultdict(list)
    for url in gold:
        by_topic[topic_of[url]].append(url)
    wrong = total = 0
    for urls in by_topic.values():
        for a, b in combinations(urls, 2):
            if gold[a] != gold[b]:
                total += 1
                wrong += pred[a] == pred[b]
    return wrong, total


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("ecbplus", nargs="?", type=Path, default=DEFAULT_ECB)
    parser.add_argument("--fixtures", type=Path, default=ROOT / "tests" / "fixtures" / "grouping")
    parser.add_argument(
        "--untuned",
        type=Path,
        default=ROOT / "tests" / "fixtures" / "grouping-untuned",
        help="held-out fixture batch",
    )
    parser.add_argument("--verbose", action="store_true")
    parser.add_argument("--skip-fixtures", action="store_true")
    parser.add_argument(
        "--ceiling", action="store_true", help="ECB+: also print the offline upper bound"
    )
    parser.add_argument("--uci", type=Path, default=DEFAULT_UCI, help="UCI headlines folder")
    args = parser.parse_args()
    if not args.skip_fixtures:
        evaluate_fixtures(args.fixtures)
        for batch in sorted(args.untuned.glob("*.jsonl")):
            evaluate_fixtures(args.untuned, f"Untuned fixtures, {batch.stem}", batch.name)
    evaluate_ecbplus(args.ecbplus)
    evaluate_uci(args.uci)


if __name__ == "__main__":
    main()
