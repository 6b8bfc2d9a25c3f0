"""Duplicate copies: the same text republished under another URL or headline.

The body is cut into overlapping word shingles; a MinHash signature (datasketch)
summarizes the shingle set, and its bands become locality-sensitive hash buckets
that the store indexes, so a copy finds its original through a few indexed lookups
whatever the size of the store. A candidate is then confirmed on the exact shingle
sets with a length-aware threshold. Pure functions, no I/O.
"""

from __future__ import annotations

import threading
import zlib
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np

from aggregator.match.settings import MatchSettings
from aggregator.normalize.text import fold_text

if TYPE_CHECKING:
    from datasketch import MinHash

_SCHEME = "affine32"
# A text's opening: its first quarter, and at least 10 shingles (about 13 words).
# A copy keeps most of its original's opening, whatever header or footer was added.
LEAD_SHINGLES = 10
LEAD_PART = 4
_MASK64 = np.uint64(0xFFFFFFFFFFFFFFFF)


@dataclass(frozen=True)
class Sketch:
    """An article's shingle hashes, MinHash signature and LSH bucket keys.

    The shingle hashes travel as packed uint32 bytes: a large import prepares
    sketches in another process, and unpickling a set of a hundred ints in the
    storing process cost more than anything else it received. The set is built only
    for the rare exact comparison with a candidate copy.
    """

    shingle_bytes: bytes  # sorted distinct uint32 shingle hashes
    signature: bytes  # num_perm uint32 values; empty when the text is too short
    buckets: tuple[int, ...]
    lead_bytes: bytes = b""  # the first shingles in text order (see lead_agrees)

    @property
    def lead(self) -> frozenset[int]:
        return frozenset(np.frombuffer(self.lead_bytes, dtype=np.uint32).tolist())

    @property
    def shingle_count(self) -> int:
        return len(self.shingle_bytes) // 4

    @property
    def shingles(self) -> frozenset[int]:
        return frozenset(np.frombuffer(self.shingle_bytes, dtype=np.uint32).tolist())


@lru_cache(maxsize=4)
def _permutations(num_perm: int) -> tuple[np.ndarray, np.ndarray]:
    """The MinHash permutations, made once: fixed seed, so stored signatures stay valid."""
    from datasketch import MinHash  # imported on first use: it pulls in scipy (~0.4 s)

    perms = MinHash(num_perm=num_perm, seed=1, scheme=_SCHEME).permutations
    return perms[0], perms[1]


@lru_cache(maxsize=4)
def _band_mixers(bands: int, rows: int) -> np.ndarray:
    rng = np.random.default_rng(7)
    return rng.integers(1, 2**63 - 1, size=(bands, rows + 1), dtype=np.uint64) | np.uint64(1)


def _identity(value: int) -> int:
    return value


_LOCAL = threading.local()


def _minhash(num_perm: int) -> MinHash:
    """One MinHash per thread, cleared for each text: building one costs more than
    hashing a whole article (a crawl may prepare articles in several threads)."""
    from datasketch import MinHash

    cached: dict[int, MinHash] = _LOCAL.__dict__.setdefault("minhash", {})
    if num_perm not in cached:
        cached[num_perm] = MinHash(
            num_perm=num_perm,
            scheme=_SCHEME,
            permutations=_permutations(num_perm),
            hashfunc=_identity,
        )
    return cached[num_perm]


# Word hashes are looked up far more often than computed: news reuses its words.
_WORD_HASHES: dict[str, int] = {}
_WORD_HASHES_MAX = 200_000


def _word_hash(word: str) -> int:
    value = _WORD_HASHES.get(word)
    if value is None:
        if len(_WORD_HASHES) >= _WORD_HASHES_MAX:
            _WORD_HASHES.clear()
        value = _WORD_HASHES[word] = zlib.crc32(word.encode("utf-8"))
    return value


def _shingle_arrays(
    text: str, words_per_shingle: int, max_chars: int, folded: str | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Sorted distinct 32-bit hashes of the word n-grams of the folded text, and the
    hashes of its opening n-grams (the first quarter, at least LEAD_SHINGLES)."""
    words = (folded if folded is not None else fold_text(text[:max_chars])).split()
    if len(words) < words_per_shingle:
        empty = np.zeros(0, dtype=np.uint32)
        return empty, empty
    word_hashes = np.fromiter(map(_word_hash, words), dtype=np.uint64, count=len(words))
    count = len(words) - words_per_shingle + 1
    combined = np.zeros(count, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for offset in range(words_per_shingle):
            combined = combined * np.uint64(1_000_003) + word_hashes[offset : offset + count]
    hashes = (combined & np.uint64(0xFFFFFFFF)).astype(np.uint32)
    return np.unique(hashes), hashes[: max(LEAD_SHINGLES, count // LEAD_PART)]


def _shingle_array(
    text: str, words_per_shingle: int, max_chars: int, folded: str | None = None
) -> np.ndarray:
    return _shingle_arrays(text, words_per_shingle, max_chars, folded)[0]


def shingle_hashes(
    text: str, words_per_shingle: int, max_chars: int, folded: str | None = None
) -> frozenset[int]:
    """32-bit hashes of the word n-grams of the folded text (``folded``: already folded)."""
    return frozenset(_shingle_array(text, words_per_shingle, max_chars, folded).tolist())


def shingles_and_lead(
    text: str, words_per_shingle: int, max_chars: int
) -> tuple[frozenset[int], frozenset[int]]:
    """:func:`shingle_hashes` and the hashes of the text's first shingles."""
    shingles, lead = _shingle_arrays(text, words_per_shingle, max_chars)
    return frozenset(shingles.tolist()), frozenset(lead.tolist())


def sketch(body: str, settings: MatchSettings, folded: str | None = None) -> Sketch:
    """Shingles, signature and LSH buckets of a body (empty for very short texts)."""
    shingles, lead = _shingle_arrays(
        body, settings.shingle_words, settings.max_feature_chars, folded
    )
    if len(shingles) < settings.min_shingles:
        return Sketch(
            shingle_bytes=shingles.tobytes(), signature=b"", buckets=(), lead_bytes=lead.tobytes()
        )
    minhash = _minhash(settings.num_perm)
    minhash.clear()
    minhash.update_batch(shingles.tolist())
    values = minhash.hashvalues.astype(np.uint64)
    return Sketch(
        shingle_bytes=shingles.tobytes(),
        signature=values.astype(np.uint32).tobytes(),
        buckets=band_keys(values, settings.lsh_bands, settings.lsh_rows),
        lead_bytes=lead.tobytes(),
    )


def band_keys(values: np.ndarray, bands: int, rows: int) -> tuple[int, ...]:
    """One signed 64-bit bucket key per band (band number mixed in)."""
    mixers = _band_mixers(bands, rows)
    banded = values[: bands * rows].reshape(bands, rows)
    with np.errstate(over="ignore"):
        keys = mixers[:, rows].copy()
        for row in range(rows):
            keys = (keys ^ banded[:, row]) * mixers[:, row]
            keys ^= keys >> np.uint64(29)
    return tuple(int(k) for k in keys.astype(np.int64))


def estimated_jaccard(a: bytes, b: bytes) -> float:
    """Share of equal MinHash values: an unbiased estimate of the Jaccard similarity."""
    if not a or len(a) != len(b):
        return 0.0
    va = np.frombuffer(a, dtype=np.uint32)
    vb = np.frombuffer(b, dtype=np.uint32)
    return float(np.count_nonzero(va == vb)) / len(va)


def jaccard_threshold(size: int, settings: MatchSettings) -> float:
    """The Jaccard a pair needs, by the shorter text's number of shingles."""
    if size < settings.dup_short_shingles:
        return settings.dup_jaccard_short
    if size > settings.dup_long_shingles:
        return settings.dup_jaccard_long
    return settings.dup_jaccard_medium


def lead_agrees(
    a: frozenset[int], b: frozenset[int], lead_a: frozenset[int], lead_b: frozenset[int]
) -> bool:
    """Does either text's opening appear in the other? A copy carries its original's
    opening, whatever boilerplate was put before or after it; two short briefs that
    share only an outlet's long footer ("About StarDaily ...") do not."""
    if not lead_a or not lead_b:
        return True  # too short to tell: the thresholds alone decide
    return any(len(lead & other) * 2 >= len(lead) for lead, other in ((lead_a, b), (lead_b, a)))


def compare(
    a: frozenset[int],
    b: frozenset[int],
    settings: MatchSettings,
    leads: tuple[frozenset[int], frozenset[int]] | None = None,
) -> dict[str, float] | None:
    """The duplicate signals of two shingle sets, or None when they are not copies.
    ``leads``: the first shingles of each text (see :func:`lead_agrees`)."""
    if not a or not b:
        return None
    if leads is not None and not lead_agrees(a, b, *leads):
        return None
    shared = len(a & b)
    smaller, larger = sorted((len(a), len(b)))
    jaccard = shared / (len(a) + len(b) - shared)
    containment = shared / smaller
    threshold = jaccard_threshold(smaller, settings)
    is_copy = jaccard >= threshold or (
        containment >= settings.dup_containment
        and smaller >= settings.dup_min_containment_shingles
        and smaller / larger >= settings.dup_min_length_ratio
    )
    if not is_copy:
        return None
    return {
        "jaccard": round(jaccard, 3),
        "containment": round(containment, 3),
        "threshold": threshold,
        "shingles": smaller,
    }


def screen(signature: bytes, candidate: bytes, settings: MatchSettings) -> bool:
    """Worth an exact comparison? The estimate is loose on purpose (it has noise)."""
    return estimated_jaccard(signature, candidate) >= settings.dup_jaccard_long * 0.6
