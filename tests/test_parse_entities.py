"""Works and people: unit cases, and the fixture evaluation's goals."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from aggregator.parse.entities import find_entities
from aggregator.parse.works import find_works, quoted_spans

ROOT = Path(__file__).resolve().parent.parent


def _bench() -> object:
    spec = importlib.util.spec_from_file_location("bench_entities", ROOT / "bench" / "entities.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_entities"] = module
    spec.loader.exec_module(module)
    return module


def test_fixture_goals() -> None:
    bench = _bench()
    result = bench.score(bench.load_cases(bench.FIXTURES))  # type: ignore[attr-defined]
    assert result["cases"] >= 25
    for kind in ("work", "person"):
        assert result[f"{kind}_precision"] >= 0.95, result
        assert result[f"{kind}_recall"] >= 0.90, result
    assert result["primary_work"] >= 0.9


@pytest.mark.parametrize(
    ("headline", "expected"),
    [
        ("Bookmakers back Aviator for Oscar", "Aviator"),
        ("Fockers retain US box office lead", "Fockers"),
        ("Netflix's Ballerina Is Coming This October", "Ballerina"),
        ("‘Parasite’ and ‘Okja’ director to head jury", "Parasite"),
        ("«Anatomie d’une chute» remporte la Palme d’or", "Anatomie d’une chute"),
        ("(K-Drama) “Netflix’s ‘Ballerina’: A Blend of Action and Grief”", "Ballerina"),
    ],
)
def test_primary_work_from_headline(headline: str, expected: str) -> None:
    works = find_works(headline)
    assert works and works[0].title == expected


def test_headline_with_two_works() -> None:
    titles = [
        w.title for w in find_works("‘Parasite’ and ‘Okja’ director Bong Joon-ho to head jury")
    ]
    assert titles[:2] == ["Parasite", "Okja"]


def test_season_and_year() -> None:
    works = find_works("Squid Game season 2 lands in December")
    assert (works[0].title, works[0].kind, works[0].season) == ("Squid Game season 2", "season", 2)
    works = find_works("Why ‘Ballerina’ (2023) is not the spin-off")
    assert works[0].year == 2023


def test_the_object_of_a_hyphenated_prefix_is_not_a_title() -> None:
    assert find_works("Crowds cheer for anti-Nazi film at the festival") == []
    assert [w.title for w in find_works("Fans queue for the new Spider-Man film")] == ["Spider-Man"]


def test_people_owning_an_unquoted_title_are_not_part_of_it() -> None:
    headline = "Mara Quill and Jonah Veld's Lantern Road tops box office"
    works = find_works(headline, people=["Mara Quill", "Jonah Veld"])
    assert [w.title for w in works] == ["Lantern Road"]
    # A romanized name with a hyphenated given name owns the title even unnamed.
    works = find_works("Jang Jae-hyun's Exhuma tops Korean box office")
    assert [w.title for w in works] == ["Exhuma"]
    # A name nobody introduced is the title's own; so is a character's.
    for title in ("Bridget Jones's Diary", "Howl's Moving Castle"):
        assert [w.title for w in find_works(f"{title} tops box office")] == [title]
    works, _ = find_entities(
        "Bridget Jones's Diary tops box office",
        "Renée Zellweger plays Bridget Jones in the comedy.",
    )
    assert [w.title for w in works] == ["Bridget Jones's Diary"]


def test_an_apostrophe_inside_single_quotes_does_not_close_them() -> None:
    for quoted in ("'Single's Inferno 3'", "‘Single’s Inferno 3’"):
        works = find_works(f"{quoted} premieres with ten new singles")
        assert [w.title for w in works] == [quoted[1:-1]]


def test_speech_and_section_quotes_are_not_works() -> None:
    assert find_works("‘I cried reading the script,’ says the lead") == []
    body = "It plays in the “Korean Cinema Today: Special Premieres” section."
    assert find_works("A headline", body) == []


def test_festival_possessive() -> None:
    works = find_works(
        "A headline", "It debuts at the 28th Busan International Film Festival’s gala."
    )
    assert [w.title for w in works] == ["Busan International Film Festival"]


def test_festival_ranks_after_the_film() -> None:
    works = find_works(
        "‘Ballerina’ heads to Busan", "It screens at the 28th Busan International Film Festival."
    )
    assert [w.title for w in works] == ["Ballerina", "Busan International Film Festival"]
    assert works[1].kind == "festival"


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            "Ok-ju, played by the talented Jeon Jong-seo, hunts.",
            {("Ok-ju", "character"), ("Jeon Jong-seo", "cast")},
        ),
        ("Jun Jong-seo plays Okju with calm.", {("Jun Jong-seo", "cast"), ("Okju", "character")}),
        (
            "Kim Ji-hoon as Choi-pro is menacing.",
            {("Kim Ji-hoon", "cast"), ("Choi-pro", "character")},
        ),
        (
            "Choi Pro, played by Kim Ji-hoon, smiles.",
            {("Choi Pro", "character"), ("Kim Ji-hoon", "cast")},
        ),
        ("The film was directed by Lee Chung-hyun.", {("Lee Chung-hyun", "director")}),
        (
            "It stars Jeon Jong-seo, Kim Ji-hoon and Park Yu-rim.",
            {("Jeon Jong-seo", "cast"), ("Kim Ji-hoon", "cast"), ("Park Yu-rim", "cast")},
        ),
    ],
)
def test_people_in_every_written_form(body: str, expected: set[tuple[str, str]]) -> None:
    _, people = find_entities("A headline", body)
    assert expected <= {(p.name, p.role) for p in people}


def test_person_is_not_a_work() -> None:
    works, _ = find_entities("Why Busan is excited", "Jeon Jong-seo stars as Ok-ju in the film.")
    assert "Jeon Jong-seo" not in [w.title for w in works]


def test_quoted_spans_nest() -> None:
    assert [s[0] for s in quoted_spans("“Netflix’s ‘Ballerina’: a blend”")] == ["Ballerina"]


def test_names_in_hangul_after_a_role_cue_are_people() -> None:
    from aggregator.normalize.names import fold_name
    from aggregator.parse.people import find_people

    people = find_people(
        "", "The thriller, starring 전종서 and 김지훈, directed by 이충현, opens soon."
    )
    assert [(p.name, p.role) for p in people] == [
        ("전종서", "cast"),
        ("김지훈", "cast"),
        ("이충현", "director"),
    ]
    assert fold_name(people[0].name) == fold_name("Jeon Jong-seo")
    # Longer runs of Hangul are words, not names.
    assert find_people("", "starring 대한민국의배우들 in a new film") == []
