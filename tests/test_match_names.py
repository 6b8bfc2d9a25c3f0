"""Name folding: romanization variants meet, English names keep their spelling."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest

from aggregator.match import DEFAULT_SETTINGS, extract_features
from aggregator.match.features import ArticleFeatures
from aggregator.models import Article, Work
from aggregator.normalize.names import (
    fold_name,
    japanese_title,
    korean_names_in,
    korean_title,
    name_key,
    romanized_title,
    title_key,
)

FIXTURES = Path(__file__).parent / "fixtures" / "names"

VARIANTS = [
    ["Ok-joo", "Ok-ju", "Okju", "Ok Joo"],
    ["Jeon Jong-seo", "Jun Jong-seo", "Jongseo Jeon", "Chun Jong-seo", "전종서"],
    ["Ki-woo", "Gi-woo", "Kiwoo"],
    ["Choi-pro", "Choi Pro"],
    ["Lee Byung-hun", "Yi Byung-hun", "Rhee Byung-hun", "Byung-hun Lee", "Lee Byeong-heon"],
    ["Park Chan-wook", "Pak Chan-wook", "Bak Chan-uk", "박찬욱"],
    ["Jung Ho-yeon", "Jeong Ho-yeon", "Chung Ho-yeon"],
    ["Kim Ji-hoon", "Gim Ji-hun", "Kim Jihoon"],
    ["Choi Woo-shik", "Choe U-sik"],
    ["Shohei Ohtani", "Shōhei Ōtani", "Ohtani Shohei", "Shouhei Outani"],
    ["Hirokazu Kore-eda", "Koreeda Hirokazu"],
    ["Ryuichi Sakamoto", "Ryūichi Sakamoto", "Sakamoto Ryuuichi"],
    ["Tsubasa Honda", "Tubasa Honda"],
    ["Ana de Armas", "Ána de Armas"],
]


@pytest.mark.parametrize("spellings", VARIANTS, ids=lambda group: group[0])
def test_variant_spellings_share_one_key(spellings: list[str]) -> None:
    keys = {fold_name(s) for s in spellings}
    assert len(keys) == 1, keys


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Tara Reid", "tarareid"),
        ("Tom Hanks", "tomhanks"),
        ("Ballerina", "ballerina"),
        ("Parasite", "parasite"),
        ("Dan Stevens", "danstevens"),
        ("Jon Favreau", "jonfavreau"),
    ],
)
def test_english_names_are_not_over_folded(name: str, key: str) -> None:
    assert fold_name(name) == key


@pytest.mark.parametrize("pair", [("Park Bo-young", "Park Bo-gum"), ("Kim Ji-won", "Kim Ji-hoon")])
def test_different_people_keep_different_keys(pair: tuple[str, str]) -> None:
    assert fold_name(pair[0]) != fold_name(pair[1])


@pytest.mark.parametrize("text", ["", "!!!", "  ", "—", "...?"])
def test_empty_names_have_no_key(text: str) -> None:
    assert fold_name(text) == "" and name_key(text) == ""


def test_scripts_without_romanization_are_kept() -> None:
    assert fold_name("山田太郎") == "山田太郎"


def test_single_tokens_fold_like_names() -> None:
    """Search folds query tokens with fold_name: one token must meet its variants."""
    assert fold_name("Ok-ju") == fold_name("Okjoo") == fold_name("Ok-joo")


def test_title_key() -> None:
    assert title_key("The Ballerina!") == title_key("ballerina") == "ballerina"
    assert title_key("?!") == ""


def test_folded_key_beats_fuzzy_scoring_on_labelled_pairs() -> None:
    pairs = [
        json.loads(line)
        for line in (FIXTURES / "variant_pairs.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    tp = sum(p["same"] and fold_name(p["a"]) == fold_name(p["b"]) for p in pairs)
    fp = sum(not p["same"] and fold_name(p["a"]) == fold_name(p["b"]) for p in pairs)
    fn = sum(p["same"] and fold_name(p["a"]) != fold_name(p["b"]) for p in pairs)
    f1 = 2 * tp / (2 * tp + fp + fn)
    assert f1 >= 0.95


def test_hangul_titles_are_romanized_as_revised_romanization_writes_them() -> None:
    assert romanized_title("발레리나") == "ballerina"  # ㄹ before ㄹ is "ll"
    assert romanized_title("기생충") == "gisaengchung"
    assert romanized_title("오징어 게임") == "ojingeo geim"
    assert romanized_title("Ballerina") is None
    assert romanized_title(unicodedata.normalize("NFD", "발레리나")) == "ballerina"


def test_japanese_titles_meet_whatever_their_long_vowels() -> None:
    assert {japanese_title(t) for t in ("Shōgun", "Shougun", "Shogun", "Shohgun")} == {"shogun"}
    # Titles that do not read as Japanese are left alone.
    for title in ("The Last of Us", "Inside Out 2", "Ballerina", "Love Next Door"):
        assert japanese_title(title) is None
    spelled = [
        extract_features(
            Article(url=f"https://e.example/{n}", title=f"'{t}' finale", body="", works=(Work(t),)),
            DEFAULT_SETTINGS,
        )
        for n, t in enumerate(("Shōgun", "Shougun"))
    ]
    assert spelled[0].release is not None and spelled[0].release.key == "shogun"
    assert "shogun" in spelled[1].aliases


def test_korean_titles_meet_whatever_their_romanization() -> None:
    spellings = ("Jeong-nyeon", "Jeongnyeon", "Jungnyeon", "Jeong-Nyeon")
    assert {korean_title(t) for t in spellings} == {"jongnyon"}
    # The installment and an English subtitle stay as written.
    assert korean_title("Ojingeo Geim 2") == "ojingo geim 2"
    assert korean_title("Jungnyeon: The Star Is Born") == korean_title(
        "Jeongnyeon: The Star Is Born"
    )
    # English words that read as Korean syllables without a spelling only Korean
    # uses are left alone ('Rolling' and 'Luring' would fold alike), and so are
    # Japanese titles and single syllables.
    for title in ("Rolling", "Luring", "Kingdom", "Ballerina", "Big Bang", "Shogun", "Moon"):
        assert korean_title(title) is None, title
    spelled = [
        extract_features(
            Article(url=f"https://e.example/{n}", title=f"'{t}' finale", body="", works=(Work(t),)),
            DEFAULT_SETTINGS,
        )
        for n, t in enumerate(("Jeong-nyeon", "Jungnyeon"))
    ]
    assert spelled[0].aliases & spelled[1].aliases == {"jongnyon"}


def _features(title: str, body: str = "") -> ArticleFeatures:
    return extract_features(
        Article(url="https://e.example/a", title=title, body=body), DEFAULT_SETTINGS
    )


def _korean_names(headline: str) -> list[str]:
    words = headline.split()
    return [" ".join(words[start:end]) for start, end in korean_names_in(words)]


def test_korean_names_are_found_in_a_title_case_run() -> None:
    assert _korean_names("Choi Min Jae Returns To The Docks In Harbor Lights 2") == ["Choi Min Jae"]
    assert _korean_names("Kim Soo Hyun And Kim Ji Won Share A Scene") == [
        "Kim Soo Hyun",
        "Kim Ji Won",
    ]
    assert _korean_names("Kang Ha Neul Joins The Cast") == ["Kang Ha Neul"]
    # Headline English that happens to start with a family name stays words.
    for headline in (
        "I Am Sam Returns",
        "So Do We Say Goodbye",
        "Moon Light Falls Tonight",
        "Everything You Need To Know About Harbor Lights",
        "New Moon Set To Rise",
        "Jurassic Park To Get Sequel",
        "Hong Kong Pop Star Returns",
        "Bang Bang Bang Tops The Chart",
    ):
        assert _korean_names(headline) == [], headline
    key = name_key("Choi Min Jae")
    assert key == name_key("Choi Min-jae")
    headline = _features("Choi Min Jae Returns To The Docks In Teaser For Harbor Lights 2")
    # The name is what the run stands for: the run is not also kept as a long name.
    assert headline.name_keys == {key}


def test_common_words_in_a_title_case_headline_are_not_name_words() -> None:
    # Capitalized only by the headline's style: "First" and "Week" ("wig" once folded
    # like a Korean syllable) said two unrelated reports shared a name word.
    words = _features(
        "Nova's Eclipse Sells 1.1 Million Copies In Its First Week",
        "The girl group's first full album sold 1.1 million copies, its label said.",
    ).word_keys
    assert {"eclipse", "copies"} <= words
    assert not words & {"first", "week", name_key("Week")}
    # In running text a capital still says "name": the singer Will is a name word.
    sendoff = _features(
        "Fans gather at the training camp gate",
        "Hundreds of fans came to see Will off at the gate on Monday.",
    )
    assert name_key("Will") in sendoff.word_keys


def test_an_occupation_before_a_name_is_not_part_of_it() -> None:
    # Capitalized only where the sentence or the headline starts.
    names = _features(
        "Singer Yoo Da-bin's agency responds to dating reports",
        "Actor Nam Do-hyun was stopped for drunk driving in Mapo on June 3, police said.",
    ).name_keys
    assert {name_key("Yoo Da-bin"), name_key("Nam Do-hyun")} <= names
    assert not any(key.startswith(("singer", "actor")) for key in names)


def test_chinese_names_fold_in_either_order() -> None:
    for a, b in (
        ("Zhao Lusi", "Lusi Zhao"),
        ("Zhao Lu-si", "Lusi Zhao"),
        ("Chen Zheyuan", "Zheyuan Chen"),
        ("Zhou Dongyu", "Dongyu Zhou"),
    ):
        assert fold_name(a) == fold_name(b), (a, b)
    # Not pinyin, or no Chinese family name: written order kept.
    assert fold_name("Tom Hanks") != fold_name("Hanks Tom")
    assert fold_name("Lusi Zhao") != fold_name("Lusi Zhou")
