"""Related works: a sequel named with its original, an event under its other name."""

from __future__ import annotations

from pathlib import Path

from aggregator.match import DEFAULT_SETTINGS, extract_features
from aggregator.match.features import ArticleFeatures
from aggregator.match.matcher import _relation, assess
from aggregator.models import ImportReport, StoryCandidate
from aggregator.parse import parse_text
from aggregator.pipeline import store_articles
from aggregator.store import open_store
from tests.test_match_grouping import story_of

ORIGINAL_SEQUEL_TALKS = (
    "Mara Quill in talks to direct 'Lantern Road' sequel\n"
    "Mara Quill, who directed 'Lantern Road', is in talks with Halcyon Pictures to direct "
    "its sequel. Halcyon wants the sequel in cinemas next winter. Jonah Veld and Ines "
    "Marrow would return."
)
SEQUEL_TITLE_TALKS = (
    "Mara Quill negotiates to return for 'Ember Falls'\n"
    "Halcyon Pictures is negotiating with Mara Quill to direct 'Ember Falls', the sequel "
    "to 'Lantern Road'. The talks about the sequel are said to be slow over her fee. "
    "Jonah Veld and Ines Marrow are signed."
)
OTHER_FILM_SAME_STUDIO = (
    "First trailer for 'Glass Harbor'\n"
    "Halcyon Pictures, the studio behind 'Lantern Road', released the first trailer for "
    "'Glass Harbor'. Director Tomas Reyk cast Petra Lund and Oskar Brenn as rival divers "
    "off the coast of Portugal."
)


def _features(text: str) -> ArticleFeatures:
    return extract_features(parse_text(text, "https://example.org/a"), DEFAULT_SETTINGS)


def test_an_article_names_the_other_works_it_mentions() -> None:
    features = _features(SEQUEL_TITLE_TALKS)
    assert features.release is not None and features.release.key == "emberfalls"
    assert features.named_works == {"lanternroad"}
    assert features.story_keys()["named"] == {"lanternroad"}


def test_naming_the_storys_work_makes_a_related_not_another_work() -> None:
    features = _features(SEQUEL_TITLE_TALKS)
    original = StoryCandidate(
        story_id=1, title="Lantern Road", work_keys=frozenset({"lanternroad"})
    )
    unrelated = StoryCandidate(story_id=2, title="Dune", work_keys=frozenset({"dune"}))
    # The story's articles named the article's work in passing.
    naming = StoryCandidate(
        story_id=3,
        title="Night Swim",
        work_keys=frozenset({"nightswim"}),
        named_works=frozenset({"emberfalls"}),
    )
    assert _relation(features, original)[0] == "related-work"
    assert _relation(features, unrelated)[0] == "other-work"
    assert _relation(features, naming)[0] == "related-work"


def test_the_sequel_under_its_own_title_joins_the_talks_about_it(tmp_path: Path) -> None:
    texts = [ORIGINAL_SEQUEL_TALKS, SEQUEL_TITLE_TALKS, OTHER_FILM_SAME_STUDIO]
    store = open_store(tmp_path / "related.db")
    articles = [parse_text(text, f"https://example.org/{n}") for n, text in enumerate(texts)]
    store_articles(store, articles, ImportReport())
    talks, sequel, other = (story_of(store, a.url) for a in articles)
    store.close()
    assert talks == sequel
    # Naming a work in passing is not enough: the text and the people must agree.
    assert other != talks


def test_a_related_work_with_other_people_is_another_release() -> None:
    features = _features(SEQUEL_TITLE_TALKS)
    # The story names four people, none of them the article's.
    story = StoryCandidate(
        story_id=1,
        title="Lantern Road",
        work_keys=frozenset({"lanternroad"}),
        n_people=4,
    )
    assessment = assess(features, story, {}, 100, DEFAULT_SETTINGS)
    assert assessment.relation == "related-work"
    assert any("no shared people" in c for c in assessment.conflicts)
