"""Related works: a sequel named with its original, an event under its other name."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from aggregator.corrections import move_articles
from aggregator.match import DEFAULT_SETTINGS, extract_features
from aggregator.match.features import ArticleFeatures, headline_titles
from aggregator.match.matcher import _relation, assess, decide, member_keys
from aggregator.models import Article, ImportReport, StoryCandidate, Work
from aggregator.parse import parse_text
from aggregator.pipeline import store_articles
from aggregator.store import Store, open_store
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


SCARE_QUOTES = [
    "Crowds 'Riot' in Eastmoor after police shoot a teenager\n"
    "Hundreds of people clashed with police in Eastmoor on Monday night after officers "
    "shot Darnell Pike, 16. Councillor Rosa Vey called for calm and said the shooting "
    "of Darnell Pike would be investigated. Police arrested 40 people in Eastmoor.",
    "Eastmoor Is 'A Tinderbox' After the police shooting of Darnell Pike\n"
    "A second night of clashes with police followed the shooting of Darnell Pike, 16, "
    "in Eastmoor. Councillor Rosa Vey said the people of Eastmoor wanted answers about "
    "the shooting, and police made 46 arrests in the clashes.",
]
TWO_FILMS_ONE_TEMPLATE = [
    "'Copper Sky' starts shooting in Vancouver\n"
    "Cameras are rolling on 'Copper Sky', the new thriller from director Ada Brisk, "
    "with Noor Halim and Felix Dunmore in the leads. Filming in Vancouver runs until "
    "the spring; Halcyon Pictures plans a release next year.",
    "'Iron Tide' starts shooting in Vancouver\n"
    "Cameras are rolling on 'Iron Tide', the new thriller from director Bo Castell, "
    "with Mira Santos and Emil Roke in the leads. Filming in Vancouver runs until the "
    "spring; Halcyon Pictures plans a release next year.",
]


def _story_ids(tmp_path: Path, texts: list[str]) -> list[int]:
    store = open_store(tmp_path / "stories.db")
    articles = [parse_text(text, f"https://example.org/{n}") for n, text in enumerate(texts)]
    store_articles(store, articles, ImportReport())
    stories = [story_of(store, a.url) for a in articles]
    store.close()
    return stories


def test_scare_quotes_taken_for_titles_do_not_split_one_event(tmp_path: Path) -> None:
    first, second = (_features(text) for text in SCARE_QUOTES)
    assert first.release and second.release  # both quotes were read as titles
    assert first.release.key != second.release.key
    riot, tinderbox = _story_ids(tmp_path, SCARE_QUOTES)
    assert riot == tinderbox


def test_two_films_written_up_alike_stay_apart_by_their_people(tmp_path: Path) -> None:
    copper, iron = _story_ids(tmp_path, TWO_FILMS_ONE_TEMPLATE)
    assert copper != iron


def test_a_story_under_another_title_says_how_many_people_it_names(tmp_path: Path) -> None:
    # Needed for the people check of related and other titles, not only shared ones.
    store = open_store(tmp_path / "people.db")
    store_articles(
        store, [parse_text(ORIGINAL_SEQUEL_TALKS, "https://example.org/0")], ImportReport()
    )
    sequel = _features(SEQUEL_TITLE_TALKS)
    candidates = store.story_candidates({"name": set(sequel.name_keys)})
    store.close()
    assert [c.work_keys for c in candidates] == [{"lanternroad"}]
    assert candidates[0].n_people >= 3


def test_a_title_given_with_another_in_parentheses_makes_an_alias() -> None:
    for text in (
        "'Parasite' (Gisaengchung) returns\nBong Joon-ho's film is back.",
        "Bong Joon-ho's ‘Parasite’ (Gisaengchung, 2019) is back\nIn black and white.",
        "'Parasite' returns\nParasite  (Gisaengchung) is back in black and white.",
    ):
        features = _features(text)
        assert features.release is not None and features.release.key == "parasite"
        assert features.aliases == {"gisaengchung"}, text
    # A title ending in a quote mark of its own.
    rollin = Article(
        url="https://example.org/r",
        title="Rollin' (Wheels of Fire) is back",
        body="The film Rollin' (Wheels of Fire) returns to cinemas.",
        works=(Work("Rollin'", "film"),),
    )
    assert extract_features(rollin, DEFAULT_SETTINGS).aliases == {"wheelsoffire"}
    # Past a long run of spaces too.
    spaced = Article(
        url="https://example.org/s",
        title="Parasite",
        body="Parasite" + " " * 5_000 + "(Gisaengchung) " + "x (y) " * 1_000,
        works=(Work("Parasite", "film"),),
    )
    assert extract_features(spaced, DEFAULT_SETTINGS).aliases == {"gisaengchung"}
    # A year in parentheses is not another title.
    assert _features("'Parasite' (2019) returns\nBong Joon-ho's film is back.").aliases == set()


ONE_DIRECTOR_TWO_FILMS = [
    "'Copper Sky' starts shooting in Vancouver\n"
    "Cameras are rolling on 'Copper Sky', the new thriller from director Ada Brisk, "
    "with Noor Halim and Felix Dunmore in the leads. Filming in Vancouver runs until "
    "the spring; Halcyon Pictures plans a release next year.",
    "'Iron Tide' starts shooting in Vancouver\n"
    "Cameras are rolling on 'Iron Tide', the new thriller from director Ada Brisk, "
    "with Mira Santos and Emil Roke in the leads. Filming in Vancouver runs until the "
    "spring; Northgate Films plans a release next year.",
]


def test_one_shared_person_is_not_two_shared_names(tmp_path: Path) -> None:
    # The director is both a parsed person and a capitalized name: one key, once.
    copper, iron = _story_ids(tmp_path, ONE_DIRECTOR_TWO_FILMS)
    assert copper != iron


def test_a_loose_title_join_adds_the_title_as_named_not_as_the_storys_own() -> None:
    features = _features(SEQUEL_TITLE_TALKS)
    own = member_keys(features, "same-release")
    loose = member_keys(features, "related-title-names-agree")
    assert own["work"] == {"emberfalls"} and "emberfalls" not in own["named"]
    assert "work" not in loose and "base" not in loose
    assert loose["named"] == {"emberfalls", "lanternroad"}


def _talks_and_sequel(tmp_path: Path) -> tuple[Store, list[Article]]:
    """A store holding the sequel talks and the sequel under its own title."""
    store = open_store(tmp_path / "sequel.db")
    articles = [
        parse_text(text, f"https://example.org/{n}")
        for n, text in enumerate([ORIGINAL_SEQUEL_TALKS, SEQUEL_TITLE_TALKS])
    ]
    store_articles(store, articles, ImportReport())
    return store, articles


def test_moving_out_a_loose_join_takes_its_title_off_the_old_story(tmp_path: Path) -> None:
    store, articles = _talks_and_sequel(tmp_path)
    talks, sequel = (story_of(store, a.url) for a in articles)
    assert talks == sequel

    def named(story: int) -> set[str]:
        rows = store.execute(
            "SELECT key FROM story_keys WHERE story_id = ? AND kind = 'named'", (story,)
        )
        return {key for (key,) in rows}

    assert "emberfalls" in named(talks)
    moved_id = store.scalar("SELECT max(article_id) FROM story_members")
    result = move_articles(store, [int(moved_id)], None)
    assert "emberfalls" not in named(talks)
    new_story = result["story"]
    works = store.execute(
        "SELECT key FROM story_keys WHERE story_id = ? AND kind = 'work'", (new_story,)
    ).fetchall()
    store.close()
    assert ("emberfalls",) in works


def test_an_article_named_twice_in_a_move_is_moved_once(tmp_path: Path) -> None:
    store, articles = _talks_and_sequel(tmp_path)
    story = story_of(store, articles[0].url)

    def profile(story_id: int) -> list[tuple[str, str, int]]:
        return store.execute(
            "SELECT kind, key, count FROM story_keys WHERE story_id = ? ORDER BY kind, key",
            (story_id,),
        ).fetchall()

    first_id = int(store.scalar("SELECT min(article_id) FROM story_members"))
    second_id = int(store.scalar("SELECT max(article_id) FROM story_members"))
    result = move_articles(store, [second_id], None)
    once, moved_out = profile(story), profile(result["story"])
    move_articles(store, [second_id], story)  # back, then out again naming it twice
    again = move_articles(store, [second_id, second_id], None)
    assert profile(story) == once
    assert profile(again["story"]) == moved_out
    assert again["moved"] == [second_id] and first_id != second_id
    store.close()


def test_a_titled_article_joins_a_story_that_never_named_one_only_on_closer_text() -> None:
    """Two names in common can be incidental (a bookmaker's spokesman quoted on a
    reality show and on the next spy film): text as close as two untitled reports
    need (cosine 0.22 here) is not enough when only the article names a release."""
    titled = replace(_features(SEQUEL_TITLE_TALKS), term_vector={"odds": 1.0})
    untitled = replace(titled, release=None)
    story = StoryCandidate(
        story_id=1,
        title="Evictions from the house",
        shared=(
            ("term", "odds", 1, 0.22),
            ("name", "maraquill", 1, 0.0),
            ("name", "jonahveld", 1, 0.0),
        ),
        term_norm=1.0,
    )
    # A story whose articles named the article's release in passing did name one.
    naming = replace(story, named_works=frozenset({"emberfalls"}))
    settings = DEFAULT_SETTINGS
    assert settings.join_no_work_cosine < 0.22 < settings.join_one_titled_cosine
    for features, candidate, joins in (
        (untitled, story, True),
        (titled, story, False),
        (titled, naming, True),
    ):
        assessment = assess(features, candidate, {}, 100, settings)
        assert assessment.relation == "no-work"
        assert assessment.cosine == 0.22
        assert assessment.eligible is joins
    # `story --why` shows the bar the text missed.
    decision = decide(titled, [story], {}, 100, settings)
    assert decision.story_id is None
    rejected = decision.signals["rejected"]
    assert isinstance(rejected, list)
    assert rejected[0]["min_cosine"] == settings.join_one_titled_cosine


def test_an_untitled_article_sharing_one_name_with_a_titled_story_needs_closer_text() -> None:
    """One singer named in a box-office report and in a poll of funeral songs."""
    untitled = replace(_features(SEQUEL_TITLE_TALKS), release=None, term_vector={"chart": 1.0})
    one_name = (("term", "chart", 1, 0.22), ("name", "maraquill", 1, 0.0))
    two_names = (*one_name, ("name", "jonahveld", 1, 0.0))
    titled_story = frozenset({"lanternroad"})
    # Two untitled reports sharing one name need only join_no_work_cosine.
    for works, shared, joins in (
        (titled_story, two_names, True),
        (titled_story, one_name, False),
        (frozenset(), one_name, True),
    ):
        story = StoryCandidate(
            story_id=1, title="Weekend box office", work_keys=works, shared=shared, term_norm=1.0
        )
        assessment = assess(untitled, story, {}, 100, DEFAULT_SETTINGS)
        assert (assessment.relation, assessment.cosine) == ("no-work", 0.22)
        assert assessment.eligible is joins


def test_related_titles_keep_their_own_bar() -> None:
    """The sequel names the story's work: a related title, not a one-sided one."""
    features = replace(_features(SEQUEL_TITLE_TALKS), term_vector={"sequel": 1.0})
    story = StoryCandidate(
        story_id=1,
        title="Lantern Road",
        work_keys=frozenset({"lanternroad"}),
        shared=(
            ("term", "sequel", 1, 0.22),
            ("name", "maraquill", 1, 0.0),
            ("name", "jonahveld", 1, 0.0),
        ),
        term_norm=1.0,
    )
    assessment = assess(features, story, {}, 100, DEFAULT_SETTINGS)
    assert (assessment.relation, assessment.min_cosine) == (
        "related-work",
        DEFAULT_SETTINGS.join_no_work_cosine,
    )
    assert assessment.eligible


def test_a_release_is_dated_by_the_year_beside_its_own_title_only() -> None:
    dated = _features("'Lantern Road' (2019) returns\nMara Quill's film is back in cinemas.")
    assert dated.release is not None and dated.release.year == 2019
    assert dated.years == {2019}
    # The year given for the first film is not the sequel's.
    sequel = _features(
        "'Ember Falls' premiere draws a crowd\n"
        "The sequel to Mara Quill's Lantern Road (2019) premiered in London."
    )
    assert sequel.release is not None and sequel.release.key == "emberfalls"
    assert sequel.release.year is None
    assert 2019 not in sequel.years


ROUNDUP_FILMS = [
    "'Paper Moons' opens in cinemas\n"
    "Pixel Harbor's 'Paper Moons' opens on Friday. Lena Ortiz voices the girl and Milo "
    "Brandt her grandfather in the animated film about a kite that flies to the moon.",
    "'Hard Rain Blues' rides to a big opening\n"
    "The action comedy 'Hard Rain Blues' opened to $50 million. Dax Monroe and Rico "
    "Vance return as the two detectives, chasing a smuggler across Miami.",
    # A box-office report on the first film names the second film's cast, not its own.
    "Box office: 'Paper Moons' opens to $150 million ahead of 'Hard Rain Blues'\n"
    "'Paper Moons' opened to $150 million, the best start of the year. 'Hard Rain Blues' "
    "came second with $30 million; Dax Monroe and Rico Vance drew older crowds.",
]


def test_a_roundup_naming_another_films_cast_joins_its_own_films_story(
    tmp_path: Path,
) -> None:
    store = open_store(tmp_path / "roundup.db")
    articles = [parse_text(t, f"https://example.org/r{n}") for n, t in enumerate(ROUNDUP_FILMS)]
    store_articles(store, articles, ImportReport())
    moons, rain, roundup = (story_of(store, a.url) for a in articles)
    why = store.scalar("SELECT signals FROM story_members WHERE article_id = 3")
    store.close()
    assert moons != rain
    assert roundup == moons
    assert '"shared_people_of"' in why


def test_people_no_named_work_explains_still_make_another_release(tmp_path: Path) -> None:
    # The other 'Paper Moons': its cast is its own, and the film it names has no story.
    other = (
        "'Paper Moons' remake shoots in Prague\n"
        "The live-action 'Paper Moons', from the team behind 'Night Ferry', started "
        "shooting in Prague with Ana Kovac and Tomas Berg as the girl and her grandfather."
    )
    store = open_store(tmp_path / "remake.db")
    articles = [
        parse_text(ROUNDUP_FILMS[0], "https://example.org/a"),
        parse_text(other, "https://example.org/b"),
    ]
    store_articles(store, articles, ImportReport())
    first, remake = (story_of(store, a.url) for a in articles)
    store.close()
    assert first != remake


def test_headline_phrases_are_tried_as_titles() -> None:
    keys = headline_titles("Inside Out 2 is 2024's biggest film, First says")
    assert {"insideout", "inside"} <= keys
    assert "first" not in keys  # a common word alone is never a title
    # The words after an owner or a label, and a subtitle after a colon, are tried too.
    assert "emberfalls" in headline_titles("Mara Quill's Ember Falls Sells 1.1 Million Copies")
    assert "emberfalls" in headline_titles("Box Office: Ember Falls Sells 1.1 Million Tickets")
    subtitled = headline_titles("Night Ferry: The Crossing Season 2 Crowns Its Winner")
    assert {"nightferry", "nightferrythecrossing"} <= subtitled
    assert _features("Inside Out 2 is 2024's biggest film\nIt made $1.6 billion.").release is None


def test_a_headline_naming_a_story_title_without_quotes_joins_it(tmp_path: Path) -> None:
    texts = [
        "'Lantern Road 2' passes $700 million worldwide\n"
        "Halcyon Pictures' animated sequel 'Lantern Road 2' passed $700 million at the "
        "global box office on Sunday, its fifth weekend in cinemas.",
        # No quotes, no cue word: the parser finds no title; the story's title does.
        "Lantern Road 2 is the year's biggest film\n"
        "The animated sequel has now made more at the global box office than any other "
        "film released this year, Halcyon Pictures said.",
    ]
    store = open_store(tmp_path / "unquoted.db")
    articles = [parse_text(t, f"https://example.org/u{n}") for n, t in enumerate(texts)]
    store_articles(store, articles, ImportReport())
    titled, unquoted = (story_of(store, a.url) for a in articles)
    reason = store.scalar("SELECT reason FROM story_members WHERE article_id = 2")
    store.close()
    assert titled == unquoted
    assert reason == "same-title-people-agree"


def test_people_another_story_explains_in_part_still_make_another_release(
    tmp_path: Path,
) -> None:
    # The other 'Paper Moons' names 'Hard Rain Blues' and two of its cast, but its own
    # leads are in no story: its people still say it is another release.
    other = (
        "'Paper Moons' remake casts its leads\n"
        "The live-action 'Paper Moons' cast Ana Kovac and Tomas Berg as the girl and "
        "her grandfather. Dax Monroe and Rico Vance of 'Hard Rain Blues' have cameos."
    )
    store = open_store(tmp_path / "remake2.db")
    articles = [
        parse_text(ROUNDUP_FILMS[0], "https://example.org/a"),
        parse_text(ROUNDUP_FILMS[1], "https://example.org/b"),
        parse_text(other, "https://example.org/c"),
    ]
    store_articles(store, articles, ImportReport())
    first, _, remake = (story_of(store, a.url) for a in articles)
    store.close()
    assert first != remake


def test_a_title_given_by_its_subtitle_alone_is_a_related_title() -> None:
    features = _features(
        "Mara Quill's 'Ember Falls' passes 10 million admissions\n"
        "The sequel passed 10 million admissions on Sunday."
    )
    full = StoryCandidate(
        story_id=1,
        title="Lantern Road: Ember Falls",
        work_keys=frozenset({"lanternroademberfalls"}),
    )
    other = StoryCandidate(
        story_id=2, title="Lantern Road: Night Tide", work_keys=frozenset({"lanternroadnighttide"})
    )
    assert _relation(features, full)[0] == "related-work"
    assert _relation(features, other)[0] == "other-work"


def _joined(tmp_path: Path, texts: list[str]) -> tuple[bool, str]:
    store = open_store(tmp_path / "joined.db")
    articles = [parse_text(t, f"https://example.org/j{n}") for n, t in enumerate(texts)]
    store_articles(store, articles, ImportReport())
    stories = {story_of(store, a.url) for a in articles}
    why = str(store.scalar("SELECT signals FROM story_members ORDER BY article_id DESC LIMIT 1"))
    store.close()
    return len(stories) == 1, why


def test_an_unquoted_headline_title_counts_as_evidence(tmp_path: Path) -> None:
    # A box-office report names no one and shares no word with the review but the
    # title its headline gives without quotes: the title itself is the evidence.
    joined, why = _joined(
        tmp_path,
        [
            "Review: 'Lantern Road 2' sails on charm and little else\n"
            "Mira Okafor's animated sequel is lovely to look at and forgets its own "
            "heroine halfway through; the songs carry what the plot drops.",
            "Lantern Road 2 Sails To Record $225 Million Thanksgiving Debut\n"
            "The animated sequel took a record $225 million over the five-day holiday "
            "weekend in North America and $386 million worldwide.",
        ],
    )
    assert joined
    assert '"shared_title": ["lanternroad"]' in why


def test_a_headline_title_that_is_a_persons_name_needs_the_text_to_agree(
    tmp_path: Path,
) -> None:
    # "Priscilla Presley Settles ..." opens with the film's title and shares the
    # film's people, but it is court news about the woman: the texts read unlike.
    joined, _ = _joined(
        tmp_path,
        [
            "Sofia Coppola's 'Priscilla' wins over Venice\n"
            "Cailee Spaeny plays Priscilla Presley opposite Jacob Elordi's Elvis Presley "
            "in Sofia Coppola's drama, which follows the couple from an army base in "
            "Germany to Graceland in Memphis.",
            "Priscilla Presley Settles Graceland Dispute With Granddaughter\n"
            "The dispute over the Memphis mansion and the estate of Elvis Presley has "
            "ended with a settlement, lawyers for both sides told a Tennessee court on "
            "Monday. The terms were not disclosed.",
        ],
    )
    assert not joined


def test_a_renamed_film_months_later_still_joins_when_the_texts_agree(
    tmp_path: Path,
) -> None:
    # A working title in February, the final title in October, and no article naming
    # both: the cast, the director, the town and the plot say it is one film. (A
    # sequel under another title reads alike too; time alone cannot tell which.)
    shoot = (
        "Dana Holt and Ivy Marsh start shooting fishing-town thriller 'Blue Harbor'\n"
        "Cameras are rolling in Halifax on 'Blue Harbor', the fishing-town thriller Owen "
        "Pratt directs for Halcyon Pictures. Dana Holt plays a harbour pilot who finds a "
        "trawler adrift; Ivy Marsh plays the coast guard officer who doubts her."
    )
    trailer = (
        "First trailer for 'Tidewater': Dana Holt and Ivy Marsh in a fishing-town thriller\n"
        "Halcyon Pictures released the first trailer for 'Tidewater', Owen Pratt's "
        "fishing-town thriller shot in Halifax: Dana Holt's harbour pilot finds a "
        "trawler adrift, and Ivy Marsh's coast guard officer doubts her."
    )
    articles = [
        replace(
            parse_text(shoot, "https://example.org/a"), published=datetime(2025, 2, 10, tzinfo=UTC)
        ),
        replace(
            parse_text(trailer, "https://example.org/b"),
            published=datetime(2025, 10, 20, tzinfo=UTC),
        ),
    ]
    store = open_store(tmp_path / "renamed.db")
    store_articles(store, articles, ImportReport())
    stories = {story_of(store, a.url) for a in articles}
    store.close()
    assert len(stories) == 1


def _published(text: str, n: int, year: int, month: int, day: int) -> Article:
    return replace(
        parse_text(text, f"https://example.org/t{n}"),
        published=datetime(year, month, day, tzinfo=UTC),
    )


def _dated_stories(
    tmp_path: Path, texts: list[str], dates: list[tuple[int, int, int]]
) -> list[int]:
    """The story of each text, published on its date, stored in order in a new store."""
    articles = [_published(text, n, *dates[n]) for n, text in enumerate(texts)]
    store = open_store(tmp_path / "dated.db")
    store_articles(store, articles, ImportReport())
    stories = [story_of(store, a.url) for a in articles]
    store.close()
    return stories


def test_a_korean_title_romanized_two_ways_is_one_release(tmp_path: Path) -> None:
    # Two outlets, two romanizations of one drama's title, one lead spelled two ways.
    first = (
        "'Jeong-nyeon' opens at 4.8% as Kim Tae-ri sings her way out of Mokpo\n"
        "tvN's 'Jeong-nyeon' premiered to 4.8 percent nationwide. Viewers praised Kim "
        "Tae-ri's pansori singing."
    )
    second = (
        "'Jungnyeon' climbs to 9% in its fourth week\n"
        "The tvN drama 'Jungnyeon' rose to 9 percent as Kim Taeri's character joined the "
        "troupe's stage for the first time."
    )
    stories = set(_dated_stories(tmp_path, [first, second], [(2024, 10, 13), (2024, 10, 27)]))
    assert len(stories) == 1


def test_a_subtitled_sequel_with_the_same_cast_is_its_own_story(tmp_path: Path) -> None:
    # 'Lantern Road' and its second half 'Lantern Road: For Good' share a director and
    # a cast, and the first title is the second's without its subtitle; still two
    # releases. (Reading the short title as the same work merged them, and franchise
    # spin-offs with it.)
    first = [
        "'Lantern Road' review: Dana Holt and Ivy Marsh soar in Owen Pratt's musical\n"
        "Owen Pratt's 'Lantern Road' brings the stage hit to the screen. Dana Holt plays "
        "the lamplighter with real fire, and Ivy Marsh's rival is a comic delight.",
        "'Lantern Road' lands ten Oscar nominations\n"
        "'Lantern Road' earned ten nominations, with Dana Holt up for best actress and Ivy "
        "Marsh for supporting actress. Owen Pratt's film also scored for its costumes.",
    ]
    second = [
        "'Lantern Road: For Good' final trailer: Dana Holt and Ivy Marsh face off\n"
        "Halcyon Pictures released the final trailer for 'Lantern Road: For Good', the "
        "second half of Owen Pratt's adaptation. Dana Holt's lamplighter is now an outlaw.",
        "'Lantern Road: For Good' opens to $150 million\n"
        "'Lantern Road: For Good' opened to $150 million, topping the first film's start. "
        "Dana Holt and Ivy Marsh led Owen Pratt's sequel.",
    ]
    dates = [(2024, 11, 22), (2025, 1, 23), (2025, 9, 24), (2025, 11, 24)]
    stories = _dated_stories(tmp_path, first + second, dates)
    assert stories[0] == stories[1]
    assert stories[2] == stories[3]
    assert stories[0] != stories[2]


def test_a_remake_the_originals_coverage_dates_ahead_is_its_own_story(tmp_path: Path) -> None:
    # The original's story gives the remake's year, and the remake's coverage names the
    # original's director as producer: a same-title article that year is still the
    # remake, not the original (reading a written later year as the release's own
    # merged remakes, later seasons and re-releases; withdrawn after review).
    texts = [
        "Noa Brandt's 'Salt Meridian' sails into cinemas\n"
        "Noa Brandt's thriller 'Salt Meridian' stars Rafe Holm as a ferry captain who finds "
        "a stowaway. Ilse Varga plays his daughter.",
        "'Salt Meridian' passes one million admissions\n"
        "Noa Brandt's 'Salt Meridian' passed one million admissions on Sunday. An American "
        "remake of 'Salt Meridian' is planned for 2025, Noa Brandt said.",
        "First look at the 'Salt Meridian' remake\n"
        "The English-language 'Salt Meridian' stars Dana Holt as the captain, with Owen "
        "Pratt directing and Noa Brandt producing.",
    ]
    dates = [(2022, 4, 8), (2022, 5, 1), (2025, 2, 3)]
    stories = _dated_stories(tmp_path, texts, dates)
    assert stories[0] == stories[1]
    assert stories[2] != stories[0]


HARBOR_LIGHTS_DATED = (
    "'Harbor Lights' season 2 sets December 26 premiere\n"
    "Seanet has dated the second season of Hwang Dong-su's thriller for December 26, "
    "with Choi Min-jae back as the harbor pilot."
)


@pytest.mark.parametrize(
    "follow_up",
    [
        # The teaser's headline runs the lead's name into the words after it, and its
        # body names only newcomers: without the name taken out of the run, the two
        # share no one and the same season's teaser starts a story of its own.
        "Choi Min Jae Returns To The Docks In Teaser For Harbor Lights 2\n"
        "Seanet has dropped a new teaser for Harbor Lights 2. Nam Gyu-ri returns as the "
        "smuggler, while Yoon Ha-eun and Bae Seung-ho join the cast.",
        # The newcomer is the only person the casting news names. Read as her name plus
        # the run "Yoon Ha Eun Joins" as another, the article named two people the
        # season's story does not, which reads as another release.
        "Yoon Ha Eun Joins 'Harbor Lights' Season 2 As A Smuggler\n"
        "Yoon Ha-eun will play a smuggler in the second season of 'Harbor Lights', "
        "Seanet said on Monday.",
    ],
    ids=["lead-in-teaser-headline", "newcomer-casting-headline"],
)
def test_a_title_case_headline_with_a_korean_name_joins_the_seasons_story(
    tmp_path: Path, follow_up: str
) -> None:
    stories = _dated_stories(
        tmp_path, [HARBOR_LIGHTS_DATED, follow_up], [(2024, 8, 1), (2024, 9, 20)]
    )
    assert stories[0] == stories[1]
