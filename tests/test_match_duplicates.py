"""Near-duplicate copies: shingles, MinHash LSH buckets and length-aware thresholds."""

from __future__ import annotations

from aggregator.match import DEFAULT_SETTINGS as SETTINGS
from aggregator.match.duplicates import compare, estimated_jaccard, shingle_hashes, sketch

BODY = (
    "The Busan festival has invited the thriller to its Korean Cinema Today section. "
    "Director Lee Chung-hyun reunites with Jeon Jong-seo after their earlier film together. "
    "She said the role was the most physical part she has played and that she trained "
    "for months with the stunt team before shooting began in the spring."
)


def test_a_copy_with_boilerplate_added_is_a_duplicate() -> None:
    original = sketch(BODY, SETTINGS)
    copy = sketch(
        BODY + "\nThis story first appeared elsewhere. Follow us for more news.", SETTINGS
    )
    assert set(original.buckets) & set(copy.buckets)
    signals = compare(original.shingles, copy.shingles, SETTINGS)
    assert signals is not None and signals["containment"] == 1.0


def test_different_text_on_the_same_topic_is_not() -> None:
    other = (
        "Critics in Busan praised the thriller after its first screening on Friday. "
        "Jeon Jong-seo was cheered when she arrived, and the director thanked the stunt team "
        "for months of hard work; the film reaches the streaming service next week."
    )
    assert (
        compare(sketch(BODY, SETTINGS).shingles, sketch(other, SETTINGS).shingles, SETTINGS) is None
    )


def test_short_texts_have_no_buckets() -> None:
    short = sketch("Trailer out now.", SETTINGS)
    assert short.signature == b"" and short.buckets == ()


def test_sketches_are_stable() -> None:
    """Buckets are stored and compared across runs: they must not depend on the process."""
    a, b = sketch(BODY, SETTINGS), sketch(BODY, SETTINGS)
    assert a.buckets == b.buckets and estimated_jaccard(a.signature, b.signature) == 1.0
    assert len(a.buckets) == SETTINGS.lsh_bands


def test_a_sketch_carries_its_shingles_packed() -> None:
    packed = sketch(BODY, SETTINGS)
    expected = shingle_hashes(BODY, SETTINGS.shingle_words, SETTINGS.max_feature_chars)
    assert packed.shingles == expected
    assert packed.shingle_count == len(expected)
    assert isinstance(packed.shingle_bytes, bytes)
