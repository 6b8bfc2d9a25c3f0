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


FOOTER = (
    "About StarDaily: StarDaily is an independent entertainment news service covering film, "
    "television and music across Asia since 2009. Our reporters in Seoul, Tokyo and Shanghai "
    "file stories every day, and our newsletter reaches readers in forty countries. Press "
    "releases, corrections and tips can be sent to the newsroom at any time of day. All "
    "rights reserved; our articles may not be republished without written permission from "
    "the editors, who review every request within five working days of receiving it. "
    "Subscribers get early access to interviews, festival coverage and weekly box office "
    "charts, along with invitations to preview screenings held in partner cinemas. Our "
    "journalists follow a published code of ethics, and readers who spot an error are "
    "asked to tell us so that we can correct it promptly and note the change below the "
    "story it concerns, with the date on which the correction was made. Advertising "
    "enquiries, partnership proposals and requests to license our photographs go to a "
    "separate desk, which answers by email and keeps a list of its rates on our site."
)


def _leads(a: object, b: object) -> tuple[frozenset[int], frozenset[int]]:
    return a.lead, b.lead  # type: ignore[attr-defined]


def test_briefs_that_share_only_a_long_footer_are_not_copies() -> None:
    exhuma = sketch(
        "The occult thriller Exhuma, directed by Jang Jae-hyun and starring Choi Min-sik "
        "and Kim Go-eun, passed ten million admissions in Korean cinemas on Sunday, the "
        "first film of the year to do so.\n" + FOOTER,
        SETTINGS,
    )
    tears = sketch(
        "The romantic drama Queen of Tears, starring Kim Soo-hyun and Kim Ji-won, drew "
        "the highest ratings for a cable series premiere this year, according to figures "
        "released on Monday morning.\n" + FOOTER,
        SETTINGS,
    )
    assert compare(exhuma.shingles, tears.shingles, SETTINGS) is not None  # footer alone
    assert compare(exhuma.shingles, tears.shingles, SETTINGS, _leads(exhuma, tears)) is None


def test_a_copy_with_a_header_and_a_footer_added_keeps_the_originals_opening() -> None:
    original = sketch(BODY, SETTINGS)
    copy = sketch(
        "Syndicated from the Busan Daily. Sign up for our newsletter today.\n"
        + BODY
        + "\nAll rights reserved.",
        SETTINGS,
    )
    signals = compare(original.shingles, copy.shingles, SETTINGS, _leads(original, copy))
    assert signals is not None
