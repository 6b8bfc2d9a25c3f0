"""A fingerprint of the rules that turn an article into matching keys.

The store keeps, for every story, the keys its articles carried when they were
stored (``story_keys``), and for every article its MinHash sketch and key counts.
Those were derived by the feature rules of the version that stored them. When the
rules change (a new kind of key, a better romanization, another shingle size),
old stories no longer look the way a new article would expect: a story stored
before named works were recorded can never be found as "the film this sequel
names". The store records this fingerprint with its profiles and rebuilds them
when it differs (see :mod:`aggregator.profiles`).

The fingerprint is computed, not maintained by hand, from three things:

- probe articles written to exercise the rules (quoted, Hangul, Japanese and
  romanized Korean titles, romanized Korean and Japanese names, a Title Case
  headline and a Korean name in a Title Case run, a dateline, a named sequel, a
  season, figures, a platform, a body longer than is read), with the works and
  people the parser finds in them, run through the functions the import uses,
  with everything the store keeps from them;
- the data tables of the modules that derive keys (stop words, romanization
  tables, platforms, patterns), so a change to a spelling the probes do not
  contain is seen too;
- every setting, except those that only weigh keys when deciding
  (:data:`DECISION_SETTINGS`): a rebuild is slow, and a threshold changes no key.

Pure; sets are sorted first, so it is the same in every process.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import fields
from datetime import UTC, datetime
from functools import lru_cache
from importlib.metadata import version
from types import ModuleType

import numpy as np

from aggregator.match import duplicates, features
from aggregator.match.features import extract_features, term_vector
from aggregator.match.matcher import _REASONS, EVIDENCE_KINDS, member_keys
from aggregator.match.settings import MatchSettings
from aggregator.models import Article, Person, Work
from aggregator.normalize import names, text
from aggregator.parse import dateline

# Bump when the way profiles are stored changes in a way the probes cannot show.
PROFILE_FORMAT = 1

# Settings that only weigh keys when deciding (which story, or whether a copy):
# changing one changes no stored key, so it does not call for a rebuild. Every other
# setting is part of the fingerprint, including ones added later.
DECISION_SETTINGS = frozenset(
    {
        "ordinal_conflict_relations",
        "salient_mentions",
        "dup_jaccard_short",
        "dup_jaccard_medium",
        "dup_jaccard_long",
        "dup_short_shingles",
        "dup_long_shingles",
        "dup_containment",
        "dup_min_length_ratio",
        "dup_min_containment_shingles",
        "max_lsh_candidates",
        "similar_text_min",
        "max_candidate_stories",
        "max_key_df",
        "max_retrieval_names",
        "max_retrieval_words",
        "max_retrieval_terms",
        "retrieval_budget",
        "complete_top_candidates",
        "weight_person",
        "weight_name",
        "weight_word",
        "rarity_k",
        "join_same_work",
        "join_same_base",
        "join_no_work",
        "join_no_work_cosine",
        "join_one_titled_cosine",
        "join_same_base_cosine",
        "merge_min_cosine",
        "join_other_work_cosine",
        "other_work_min_names",
        "people_conflict_min",
        "year_conflict_gap",
        "event_year_gap",
        "merge_min_evidence",
    }
)
# Modules whose data tables are part of the fingerprint. Not ``duplicates``: its
# capitalized dictionary is a cache that fills as articles are hashed (the probes'
# shingles and the bucket keys below show its rules).
_TABLE_MODULES: tuple[ModuleType, ...] = (features, names, text, dateline)
_TABLE_TYPES = (re.Pattern, str, int, float, tuple, list, dict, set, frozenset)

_LONG_BODY = (
    "TOKYO - The second season of Blue Lantern returns on Prime Video with Sato Koji "
    "and Ohno Shou reprising their roles. Satou Kouji told reporters the finale was "
    "filmed in Hokkaido during the eleventh week of the shoot, in February 2022. "
    "Tsutsumi Shinichi directs; Disney+ and Apple TV+ passed on it. "
    # Longer than is read: the cut-off shows.
    + "The cast returns for more. " * 800
    + "Yoshida Yuu and Ichikawa Tsuyoshi join in 2025."
)
# With the works and people the parser gives, written out: the rebuild keeps the
# parsed works and people stored with each article, so a parser change alone calls
# for none. Their sources (headline quote, quote, cue word, structured data) are
# what the feature rules weigh.
_PROBES = (
    Article(
        url="https://probe.invalid/series",
        title="Netflix sets April date for 'Harbor of Lanterns' with Kim Ji-hoo and Choi Pro",
        body=(
            "BUSAN, March 3, 2024 - Netflix will stream 'Harbor of Lanterns' from April 19, "
            "the streamer said on Sunday. Kim Jihoo plays a ferry captain opposite Choi-pro "
            "and Lee Seo-yeon, and director Park Chan-wook's regular composer Jo Yeong-wook "
            "wrote the score. The series is the follow-up to 'Night Tide', which drew 4.5 "
            "million viewers in its first week and won at the 59th Baeksang Arts Awards. "
            "Its second season was shot on Jeju in 2023 with Moon So-ri and Mun Sori's "
            "co-star Shin Eun-kyung."
        ),
        works=(
            Work("Harbor of Lanterns", None, None, "headline-quote"),
            Work("Night Tide", None, None, "quote"),
            Work("Baeksang Arts Awards", "awards", None, "cue"),
        ),
        people=(
            Person("Kim Jihoo", "cast"),
            Person("Lee Seo-yeon", "cast"),
            Person("Park Chan-wook", "director"),
            Person("Jo Yeong-wook", "music"),
            Person("Shin Eun-kyung", "cast"),
        ),
    ),
    Article(
        url="https://probe.invalid/season",
        title="Review: 'Blue Lantern' season 2 finds Satō Kōji in fine form",
        body=_LONG_BODY,
        works=(Work("Blue Lantern season 2", "season", None, "headline-quote", 2),),
    ),
    Article(
        url="https://probe.invalid/hangul",
        title="넷플릭스 '발레리나' 전종서 주연, 10월 공개",
        body=(
            "배우 전종서가 주연을 맡은 영화 '발레리나'가 10월 6일 넷플릭스에서 공개된다. "
            "Jeon Jong-seo stars in Ballerina (2023), directed by Lee Chung-hyun, who also "
            "made The Call. Kim Ji-hoon appears as the villain."
        ),
        published=datetime(2023, 9, 20, 9, 30, tzinfo=UTC),
        works=(Work("발레리나", "film", 2023, "jsonld"), Work("Ballerina", "film", 2023)),
        people=(Person("전종서", "cast"), Person("Jeon Jong-seo", "cast")),
    ),
    Article(
        url="https://probe.invalid/japanese",
        title="'Shougun' finale: the regent's plan is revealed",
        body=(
            "The last episode of Shougun (2024) ends in Osaka. It follows the 1980 "
            "miniseries of the same name; Sanada Hiroyuki produced and stars."
        ),
        works=(Work("Shougun", None, None, "headline-quote"),),
        people=(Person("Sanada Hiroyuki", "cast"),),
    ),
    Article(
        url="https://probe.invalid/korean-title",
        title="'Jeong-nyeon: The Star Is Born' Climbs To 9% In Its Fourth Week",
        body=(
            "The tvN drama rose to 9 percent as Kim Tae-ri's character took the stage. "
            "Kim Tae Ri Takes The Stage Again, read the network's caption."
        ),
        works=(Work("Jeong-nyeon: The Star Is Born", None, None, "headline-quote"),),
        people=(Person("Kim Tae-ri", "cast"),),
    ),
)


def _canonical(value: object) -> object:
    """A JSON-ready copy with every set and mapping in a stable order."""
    if isinstance(value, dict):
        return sorted(([_canonical(k), _canonical(v)] for k, v in value.items()), key=repr)
    if isinstance(value, set | frozenset):
        return sorted((_canonical(v) for v in value), key=repr)
    if isinstance(value, tuple | list):
        return [_canonical(v) for v in value]
    if isinstance(value, re.Pattern):
        return [value.pattern, value.flags]
    if isinstance(value, float):
        return round(value, 9)
    if isinstance(value, str | int | bool) or value is None:
        return value
    return repr(value)


def _tables(module: ModuleType) -> dict[str, object]:
    """A module's constant data: names in capitals (a leading underscore or not)."""
    kept: dict[str, object] = {}
    for name, value in vars(module).items():
        bare = name.lstrip("_")
        if bare and bare.upper() == bare and isinstance(value, _TABLE_TYPES):
            kept[name] = _canonical(value)
    return kept


def _probe(article: Article, settings: MatchSettings) -> dict[str, object]:
    derived = extract_features(article, settings)
    shingles = duplicates.shingle_hashes(
        article.body, settings.shingle_words, settings.max_feature_chars
    )
    story_keys = derived.story_keys()
    return {
        "keys": story_keys,
        "evidence": {kind: story_keys.get(kind, set()) for kind in EVIDENCE_KINDS},
        "members": {
            reason: member_keys(derived, reason)
            for reason in (*_REASONS.values(), "new-story", "moved-by-user")
        },
        "article_keys": [derived.work_keys, derived.person_keys],
        "terms": term_vector(derived.term_counts, {}, 100, settings),
        "shingles": shingles,
    }


@lru_cache(maxsize=8)
def rules_signature(settings: MatchSettings) -> str:
    """Changes whenever what the store keeps for an article would change."""
    kept = {
        "format": PROFILE_FORMAT,
        "settings": {
            f.name: getattr(settings, f.name)
            for f in fields(settings)
            if f.name not in DECISION_SETTINGS
        },
        "tables": {module.__name__: _tables(module) for module in _TABLE_MODULES},
        "probes": [_probe(article, settings) for article in _PROBES],
        # MinHash signatures come from datasketch's permutations: its version and
        # scheme stand for them, and LSH buckets are shown on fixed values. Not a
        # probe signature: importing datasketch (and scipy) costs the storing
        # process 0.4 s and 40 MB it otherwise never needs.
        "minhash": [version("datasketch"), duplicates._SCHEME],
        "buckets": duplicates.band_keys(
            np.arange(1, settings.num_perm + 1, dtype=np.uint64) * np.uint64(2654435761),
            settings.lsh_bands,
            settings.lsh_rows,
        ),
    }
    encoded = json.dumps(_canonical(kept), ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(encoded.encode("utf-8")).hexdigest()[:16]
