"""Title-less news: two look-alike events are told apart by who they are about."""

from __future__ import annotations

import math
from dataclasses import replace

from aggregator.match import DEFAULT_SETTINGS, decide, extract_features
from aggregator.match.features import ENTITY_PREFIX, ArticleFeatures, term_vector
from aggregator.models import Article, StoryCandidate


def test_names_form_a_block_of_fixed_weight() -> None:
    counts = {"rehab": 3, "clinic": 2, "actress": 1, ENTITY_PREFIX + "tarareid": 4}
    vector = term_vector(counts, {}, 100, DEFAULT_SETTINGS)
    assert math.isclose(sum(w * w for w in vector.values()), 1.0)
    names = sum(w * w for k, w in vector.items() if k.startswith(ENTITY_PREFIX))
    weight = DEFAULT_SETTINGS.entity_block_weight
    # However many words there are, the names keep their share of the vector.
    assert math.isclose(names, weight**2 / (1 + weight**2))


def test_a_name_every_article_carries_weighs_nothing() -> None:
    counts = {"rehab": 3, ENTITY_PREFIX + "losangeles": 2}
    vector = term_vector(counts, {ENTITY_PREFIX + "losangeles": 99}, 99, DEFAULT_SETTINGS)
    assert ENTITY_PREFIX + "losangeles" not in vector


def test_the_names_an_article_mentions_enter_its_terms() -> None:
    article = Article(
        url="https://example.org/a",
        title="Tara Reid checks into rehab",
        body="Tara Reid entered a clinic in Malibu. A spokesman for Tara Reid confirmed it.",
    )
    features = extract_features(article, DEFAULT_SETTINGS)
    assert features.term_counts[ENTITY_PREFIX + "tarareid"] >= 3


def _candidate(story_id: int, dot: float, shared_names: int) -> StoryCandidate:
    shared = [("term", "rehab", 3, dot)]
    shared += [("name", f"name{i}", 3, 0.0) for i in range(shared_names)]
    return StoryCandidate(
        story_id=story_id, title=str(story_id), size=3, shared=tuple(shared), term_norm=1.0
    )


def _untitled(title: str, body: str) -> ArticleFeatures:
    """Features of an article naming no work, with a one-word term vector."""
    article = Article(url="https://example.org/" + str(abs(hash(title))), title=title, body=body)
    features = extract_features(article, DEFAULT_SETTINGS)
    assert features.has_evidence
    return replace(features, release=None, term_vector={"rehab": 1.0})


def test_without_a_title_the_closest_text_wins_over_more_shared_names() -> None:
    features = _untitled(
        "Pierre Thomas placed on injured reserve",
        "The Saints placed running back Pierre Thomas on injured reserve.",
    )
    look_alike = _candidate(1, dot=0.3, shared_names=5)  # same club, other player
    same_event = _candidate(2, dot=0.6, shared_names=1)
    decision = decide(features, [look_alike, same_event], {}, 1000, DEFAULT_SETTINGS)
    assert decision.story_id == 2
    assert decision.signals["runner_up"]["story"] == 1  # type: ignore[index]


def test_text_below_the_threshold_starts_a_new_story() -> None:
    features = _untitled(
        "Injury news", "The club said Pierre Thomas and Reggie Bush will miss the game."
    )
    below = DEFAULT_SETTINGS.join_no_work_cosine - 0.05
    decision = decide(features, [_candidate(1, below, 5)], {}, 1000, DEFAULT_SETTINGS)
    assert decision.story_id is None
