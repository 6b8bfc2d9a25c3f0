"""A fingerprint of the rules that turn an article into matching keys.

The store keeps, for every story, the keys its articles carried when they were
stored (``story_keys``), and for every article its MinHash sketch and key counts.
Those were derived by the feature rules of the version that stored them. When the
rules change (a new kind of key, a better romanization, another shingle size),
old stories no longer look the way a new article would expect: a story stored
before named works were recorded can never be found as "the film this sequel
names". The store records this fingerprint with its profiles and rebuilds them
when it differs (see :mod:`aggregator.profiles`).

The fingerprint is computed, not maintained by hand: a few probe articles written
to exercise every rule (quoted and Hangul titles, romanized Korean and Japanese
names, a dateline, a named sequel, a season, figures, a platform) are run through
the same functions the import uses, and everything the store keeps from them is
hashed. Pure; sets are sorted first, so it is the same in every process.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from functools import lru_cache

from aggregator.match.duplicates import sketch
from aggregator.match.features import extract_features, term_vector
from aggregator.match.matcher import member_keys
from aggregator.match.settings import MatchSettings
from aggregator.models import Article, Person, Work

# Bump when the way profiles are stored changes in a way the probes cannot show.
PROFILE_FORMAT = 1

_PROBES = (
    Article(
        url="https://probe.invalid/1",
        title="Netflix sets April date for 'Harbor of Lanterns' with Kim Ji-hoo and Choi Pro",
        body=(
            "BUSAN, March 3, 2024 - Netflix will stream 'Harbor of Lanterns' from April 19, "
            "the streamer said on Sunday. Kim Jihoo plays a ferry captain opposite Choi-pro "
            "and Lee Seo-yeon, and director Park Chan-wook's regular composer Jo Yeong-wook "
            "wrote the score. The series is the follow-up to 'Night Tide', which drew "
            "4.5 million viewers in its first week and won at the 59th Baeksang Arts Awards. "
            "Its second season was shot on Jeju in 2023."
        ),
        published=datetime(2024, 3, 3, 9, 30, tzinfo=UTC),
        works=(Work("Harbor of Lanterns", "series", 2024), Work("Night Tide", "series")),
        people=(Person("Kim Ji-hoo", "cast"), Person("Choi Pro", "cast")),
    ),
    Article(
        url="https://probe.invalid/2",
        title="넷플릭스 '발레리나' 전종서 주연, 10월 공개",
        body=(
            "배우 전종서가 주연을 맡은 영화 '발레리나'가 10월 6일 넷플릭스에서 공개된다. "
            "Jeon Jong-seo stars in Ballerina (2023), directed by Lee Chung-hyun, who also "
            "made The Call. Kim Ji-hoon appears as the villain."
        ),
        works=(Work("발레리나", "film", 2023), Work("Ballerina", "film", 2023)),
        people=(Person("전종서", "cast"), Person("Jeon Jong-seo", "cast")),
    ),
    Article(
        url="https://probe.invalid/3",
        title="Review: 'Blue Lantern' season 2 finds Satō Kōji in fine form",
        body=(
            "TOKYO - The second season of Blue Lantern returns on Prime Video with Sato Koji "
            "and Ohno Shou reprising their roles. Satou Kouji told reporters the finale was "
            "filmed in Hokkaido during the eleventh week of the shoot, in February 2022."
        ),
        works=(Work("Blue Lantern", "season", 2022, season=2),),
        people=(Person("Satō Kōji", "cast"), Person("Ohno Shou", "cast")),
    ),
)


def _sorted(value: object) -> object:
    """A JSON-ready copy with every set and mapping in a stable order."""
    if isinstance(value, dict):
        return sorted(([_sorted(k), _sorted(v)] for k, v in value.items()), key=repr)
    if isinstance(value, set | frozenset | tuple | list):
        items = [_sorted(v) for v in value]
        return items if isinstance(value, tuple | list) else sorted(items, key=repr)
    if isinstance(value, float):
        return round(value, 9)
    return value


@lru_cache(maxsize=8)
def rules_signature(settings: MatchSettings) -> str:
    """Changes whenever what the store keeps for an article would change."""
    kept: list[object] = [PROFILE_FORMAT]
    for article in _PROBES:
        features = extract_features(article, settings)
        sketched = sketch(article.body, settings)
        terms = term_vector(features.term_counts, {}, 100, settings)
        kept.append(
            {
                "keys": features.story_keys(),
                "loose": member_keys(features, "related-title-names-agree"),
                "article_keys": [features.work_keys, features.person_keys],
                "terms": terms,
                "sketch": [sketched.shingle_bytes.hex(), sketched.signature.hex()],
                "buckets": list(sketched.buckets),
            }
        )
    text = json.dumps(_sorted(kept), ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
