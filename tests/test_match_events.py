"""Look-alike events: told apart by who they are about, and by the details they state."""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from aggregator.match import DEFAULT_SETTINGS, MatchSettings, decide, extract_features
from aggregator.match.features import (
    DETAIL_PREFIX,
    ENTITY_PREFIX,
    ArticleFeatures,
    figures,
    ordinals,
    term_vector,
)
from aggregator.match.matcher import _ordinal_conflict, _years_apart
from aggregator.models import Article, ImportReport, StoryCandidate
from aggregator.parse import parse_text
from aggregator.pipeline import store_articles
from aggregator.store import open_store
from tests.test_match_grouping import story_of


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


# --- event details: figures, ordinals, calendar words, mentioned years -------------
def test_figures_keep_decimals_and_read_ordinals_in_digits() -> None:
    found = figures("A magnitude 4.4 tremor, a 33-year-old, the 81st show, a $1,200 fine, an A380.")
    assert {"#4.4", "#33", "#81th", "#1200"} <= set(found)
    assert "#380" not in found  # glued to a name: part of it, not a figure


def test_ordinals_in_words_and_digits_meet() -> None:
    assert ordinals("Meet the Eleventh Doctor") == ordinals("meet the 11th doctor")
    assert ordinals("the 81st annual Academy Awards") == {"academy#81"}
    # Counting times is not numbering an event.
    assert ordinals("for the second time, a third straight win") == set()
    assert ordinals("the 2nd round", min_number=4) == set()


def _article(title: str, body: str, n: int = 0) -> Article:
    return Article(url=f"https://example.org/{n}", title=title, body=body)


def test_details_enter_the_term_counts() -> None:
    features = extract_features(
        _article("Tremor on Tuesday", "The eleventh tremor this August measured 4.4."),
        DEFAULT_SETTINGS,
    )
    assert {"#11th", "#aug", "#tue", "#4.4"} <= set(features.term_counts)


def test_the_details_block_keeps_its_share_of_the_vector() -> None:
    counts = {"quake": 3, "tremor": 2, ENTITY_PREFIX + "portselby": 2, DETAIL_PREFIX + "4.4": 2}
    vector = term_vector(counts, {}, 100, DEFAULT_SETTINGS)
    details = sum(w * w for k, w in vector.items() if k.startswith(DETAIL_PREFIX))
    names, weight = DEFAULT_SETTINGS.entity_block_weight, DEFAULT_SETTINGS.detail_block_weight
    assert math.isclose(details, weight**2 / (1 + names**2 + weight**2))


def _cosine(a: dict[str, float], b: dict[str, float]) -> float:
    return sum(w * b.get(k, 0.0) for k, w in a.items())


QUAKE_A = (
    "Quake rattles the Ardent Valley",
    "A magnitude 4.4 earthquake shook the Ardent Valley early on Tuesday. It was centred "
    "12 km north of Port Selby at a depth of 9 km; nobody was hurt.",
)
QUAKE_A_AGAIN = (
    "Ardent Valley shaken by moderate earthquake",
    "Tuesday's earthquake in the Ardent Valley measured 4.4 and was centred 12 km north "
    "of Port Selby, 9 km down. No injuries were reported.",
)
QUAKE_B = (
    "Strong earthquake damages homes in the Ardent Valley",
    "Walls fell after a magnitude 6.1 earthquake struck the Ardent Valley on Sunday. It "
    "was centred 40 km east of Port Selby, 25 km down; three people were hurt.",
)


def _vectors(settings: MatchSettings) -> list[dict[str, float]]:
    features = [
        extract_features(_article(*text, n), settings)
        for n, text in enumerate((QUAKE_A, QUAKE_A_AGAIN, QUAKE_B))
    ]
    df: dict[str, int] = {}
    for f in features:
        for term in f.term_counts:
            df[term] = df.get(term, 0) + 1
    # As in a store where the topic words are common and the figures are not.
    total = 50
    df.update({k: 30 for k in df if not k.startswith((DETAIL_PREFIX, ENTITY_PREFIX))})
    return [term_vector(f.term_counts, df, total, settings) for f in features]


def test_a_magnitude_4_4_quake_reads_closer_to_itself_than_to_the_6_1() -> None:
    a, again, other = _vectors(DEFAULT_SETTINGS)
    # Without the figures, two reports of the same place read almost as alike as
    # two reports of the same quake; with them, the same quake is far closer.
    plain = _vectors(replace(DEFAULT_SETTINGS, detail_block_weight=0.0))
    assert _cosine(plain[0], plain[1]) - _cosine(plain[0], plain[2]) < 0.1
    assert _cosine(a, again) - _cosine(a, other) > 0.3


def test_an_undated_text_is_dated_by_the_years_it_mentions() -> None:
    undated = extract_features(
        _article("Coach fired", "The club let its coach go after losing 12 of 17 games in 2010."),
        DEFAULT_SETTINGS,
    )
    assert undated.mentioned_years == {2010}
    assert undated.years == set()  # written, not its own date: weaker evidence
    dated = extract_features(
        replace(
            _article("Coach fired", "Losing 12 of 17 games in 2010 cost him his job."),
            published=datetime(2013, 5, 2, tzinfo=UTC),
        ),
        DEFAULT_SETTINGS,
    )
    assert dated.years == {2013}  # its own date, not the years it looks back on
    assert dated.mentioned_years == set()


def test_years_a_text_only_mentions_never_rule_out_another_such_text() -> None:
    none: frozenset[int] = frozenset()
    # Two undated reports, one recalling a 1999 film, one a 2005 season: no verdict.
    assert _years_apart(none, frozenset({1999}), none, frozenset({2005}), 2) is None
    # An undated report mentioning only 2005 is not about a story dated 2012 ...
    assert _years_apart(none, frozenset({2005}), frozenset({2012}), none, 2) == (
        frozenset({2005}),
        frozenset({2012}),
    )
    # ... nor a dated one about a story whose reports only mention years long past.
    assert _years_apart(frozenset({2013}), none, none, frozenset({2007, 2008}), 2)
    # Its own years near any of the other side's: the same event.
    assert _years_apart(frozenset({2009}), none, frozenset({2008, 2012}), none, 2) is None


def test_ordinal_conflict_needs_the_same_noun_numbered_differently() -> None:
    assert _ordinal_conflict(frozenset({"academy#81"}), frozenset({"academy#86"}))
    assert not _ordinal_conflict(frozenset({"academy#81"}), frozenset({"academy#81", "x#5"}))
    assert not _ordinal_conflict(frozenset({"academy#81"}), frozenset({"round#6"}))
    assert not _ordinal_conflict(frozenset(), frozenset({"academy#86"}))


# --- through the pipeline -----------------------------------------------------------
OSCAR_HOSTS = [
    "Comedian Dana Pell to host the Oscars\n"
    "The Academy of Motion Picture Arts and Sciences said on Friday that comedian Dana "
    "Pell will host the 81st Academy Awards. Academy president Lou Marsh praised Pell's "
    "timing. Producers Kim Oakes and Ray Tull will run the broadcast.",
    "Singer Tom Vance to host the Oscars\n"
    "The Academy of Motion Picture Arts and Sciences said on Monday that singer Tom Vance "
    "will host the 86th Academy Awards. Academy president Lou Marsh praised Vance's "
    "energy. Producers Kim Oakes and Ray Tull will run the broadcast again.",
]

COACH_FIRINGS = [
    "The Harbor City Gulls let head coach Sam Ortel go on Saturday after they lost 12 "
    "of their first 17 games of the 2010 campaign.\nGeneral manager Lee Brand said "
    "assistant Joe Kimm takes over.",
    "November 20, 2016\n"
    "The Harbor City Gulls let head coach Sam Ortel go in 2016, ending his second spell "
    "in charge.\nGeneral manager Lee Brand said assistant Joe Kimm takes over for now.",
    "Sam Ortel is out as head coach of the Harbor City Gulls, who lost 12 of their "
    "first 17 games of the 2010 campaign.\nLee Brand, the general manager, named Joe "
    "Kimm interim coach.",
]


def _stories(tmp_path: Path, texts: list[str], settings: MatchSettings) -> list[int]:
    store = open_store(tmp_path / "events.db")
    articles = [parse_text(text, f"https://example.org/{n}") for n, text in enumerate(texts)]
    store_articles(store, articles, ImportReport(), settings=settings)
    stories = [story_of(store, article.url) for article in articles]
    store.close()
    return stories


def test_the_81st_and_the_86th_ceremony_are_not_one_story(tmp_path: Path) -> None:
    first, second = _stories(tmp_path, OSCAR_HOSTS, DEFAULT_SETTINGS)
    assert first != second


def test_without_the_ordinals_the_shared_title_would_merge_them(tmp_path: Path) -> None:
    blind = replace(DEFAULT_SETTINGS, ordinal_conflict_relations=())
    first, second = _stories(tmp_path, OSCAR_HOSTS, blind)
    assert first == second  # so the test above is about the ordinals


def test_a_dated_report_is_not_one_story_with_reports_of_years_before(
    tmp_path: Path,
) -> None:
    # The first and last only mention 2010; the second is dated 2016.
    first, later, again = _stories(tmp_path, COACH_FIRINGS, DEFAULT_SETTINGS)
    assert first == again
    assert later != first


def test_reports_that_only_mention_years_are_not_kept_apart_by_them(tmp_path: Path) -> None:
    undated = [COACH_FIRINGS[0], COACH_FIRINGS[1].split("\n", 1)[1], COACH_FIRINGS[2]]
    first, later, again = _stories(tmp_path, undated, DEFAULT_SETTINGS)
    assert first == later == again
