"""Romanization-folded search text: what the folded full-text index holds.

Outlets spell one Korean name several ways (Ok-joo, Ok-ju, Okju, Ok Joo). The plain
FTS index cannot see that these are one word, so every article is also indexed in a
folded form, where each word is replaced by its spelling-insensitive key
(:func:`aggregator.normalize.names.fold_name`), and queries are folded the same way.
Folding happens in Python at insert time (not in an SQL function) so the database
stays usable from Datasette and the sqlite-utils CLI.

Per article the index holds three columns:

- ``title`` and ``body``: one key per word, in order, so phrases still work;
  a hyphenated word ("Ok-joo", "Jong-seo") is one key, as a name should be;
- ``extra``: the other ways a reader may type those words: the parts of hyphenated
  words, the unfolded spelling when folding changed it (so prefixes typed as
  written still match), and adjacent short capitalized words joined ("Ok Joo" ->
  one key), because romanized given names are written both split and joined.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from aggregator.normalize.names import fold_name, name_key, title_key
from aggregator.normalize.text import fold_text

# Scripts written without spaces between words (Chinese characters, kana): each
# character is a word of its own, so a search finds "映画" inside "映画館" (as a
# phrase of two) where the run of characters as one word could never be found.
_UNSPACED = "\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f"
# A word, with hyphens inside it kept: "Ok-joo" is one word, "Netflix’s" two.
WORD = re.compile(rf"[{_UNSPACED}]|[^\W_{_UNSPACED}]+(?:[-‐‑][^\W_{_UNSPACED}]+)*")
_HYPHENS = re.compile(r"[-‐‑]")
# Romanized Korean syllables are at most six letters ("hyeong"); adjacent capitalized
# words this short are the split spelling of one name ("Ok Joo", "Ji Hye").
MAX_SYLLABLE_LETTERS = 6
# Spelling equivalences applied after fold_name. They only matter while fold_name
# itself lacks them (the release matcher extends fold_name with a full rule set);
# applying them on both the index and the query side keeps the two consistent.
SEARCH_EQUIVALENTS: tuple[tuple[str, str], ...] = (("oo", "u"),)
# Names whose keys make up the folding signature: when fold_name's rules change,
# the signature changes and the stored folded index is rebuilt.
SIGNATURE_PROBES = (
    "Ok-joo",
    "Ok-ju",
    "Okju",
    "Choi-pro",
    "Choe Pro",
    "Jeon Jong-seo",
    "Jun Jong-seo",
    "Ki-woo",
    "Gi-woo",
    "Lee Chung-hyun",
    "Yi Chung-hyeon",
    "Amélie",
    "Seong Gi-hun",
    "Lusi Zhao",
)
# Words repeat heavily across articles; folding each distinct word once makes
# indexing several times faster. Bounded so a long-running crawl stays small.
FOLD_CACHE_WORDS = 200_000


@lru_cache(maxsize=FOLD_CACHE_WORDS)
def search_key(word: str) -> str:
    """The folded key of one word or hyphenated name ('' when it has no letters)."""
    key = fold_name(word)
    for old, new in SEARCH_EQUIVALENTS:
        key = key.replace(old, new)
    return key


@lru_cache(maxsize=FOLD_CACHE_WORDS)
def plain_key(word: str) -> str:
    """The word lower-cased and accent-free, without romanization folding."""
    return fold_text(word).replace(" ", "")


def fold_signature() -> str:
    """A string that changes whenever folding rules change (stored with the index)."""
    return "|".join(
        [
            *(
                f"{search_key(name)},{title_key(name)},{name_key(name)},{source_facet(name)}"
                for name in (*SIGNATURE_PROBES, "★★★")
            ),
            # How words are cut: a run of kanji and kana is one word per character.
            " ".join(WORD.findall("映画パラサイト Ok-joo")),
        ]
    )


# Filters (--source, --film, --person) are tokens in a fourth column, so FTS5
# intersects them with the words before ranking and only filtered matches are
# ranked. Prefixes keep the kinds apart; the column is weighted 0 in bm25.
SOURCE_FACET, WORK_FACET, PERSON_FACET = "src", "work", "person"


def source_facet(source: str) -> str:
    """The facet token of a source name. A name with no letters or digits ("★★★")
    has no folded form, so it is named by a digest of itself: every source can be
    searched by."""
    key = plain_key(source)
    if not key and source.strip():
        key = "x" + hashlib.sha1(source.strip().encode("utf-8")).hexdigest()[:16]
    return f"{SOURCE_FACET}{key}" if key else ""


def work_facet(title: str) -> str:
    key = title_key(title)
    return f"{WORK_FACET}{key}" if key else ""


def person_facet(name: str) -> str:
    key = name_key(name)
    return f"{PERSON_FACET}{key}" if key else ""


def facet_tokens(source: str | None, works: list[str], people: list[str]) -> str:
    tokens = [source_facet(source or "")]
    tokens += [work_facet(w) for w in works]
    tokens += [person_facet(p) for p in people]
    return " ".join(dict.fromkeys(t for t in tokens if t))


@dataclass(frozen=True)
class Word:
    text: str
    start: int
    end: int


def words(text: str) -> Iterator[Word]:
    for match in WORD.finditer(text):
        yield Word(match.group(), match.start(), match.end())


def _is_syllable(word: str) -> bool:
    return (
        word[:1].isupper()
        and len(word) <= MAX_SYLLABLE_LETTERS
        and word.isalpha()
        and not _HYPHENS.search(word)
    )


@lru_cache(maxsize=FOLD_CACHE_WORDS)
def word_variants(word: str) -> frozenset[str]:
    """Keys besides the main one under which ``word`` can also be found."""
    key = search_key(word)
    variants = {plain_key(word)}
    parts = [p for p in _HYPHENS.split(word) if p]
    if len(parts) > 1:
        for part in parts:
            variants.add(search_key(part))
            variants.add(plain_key(part))
    variants.discard(key)
    variants.discard("")
    return frozenset(variants)


@dataclass(frozen=True)
class FoldedText:
    title: str
    body: str
    extra: str


@lru_cache(maxsize=FOLD_CACHE_WORDS)
def _word_entry(word: str) -> tuple[str, tuple[str, ...], bool]:
    """A word's key, its other keys in a stable order, and whether it can be one
    syllable of a romanized name; cached because news reuses its words."""
    return search_key(word), tuple(sorted(word_variants(word))), _is_syllable(word)


def _fold_field(text: str, extra: list[str]) -> str:
    keys: list[str] = []
    append, extend, entry = keys.append, extra.extend, _word_entry  # run for every word
    previous = ""
    previous_syllable = False
    for word in WORD.findall(text):
        key, variants, syllable = entry(word)
        if not key:
            previous, previous_syllable = "", False
            continue
        append(key)
        if variants:
            extend(variants)
        if previous_syllable and syllable:
            # "Ok Joo" written apart is also indexed as the joined name "Okjoo".
            extra.append(search_key(previous + word))
        previous, previous_syllable = word, syllable
    return " ".join(keys)


def fold_document(title: str, body: str) -> FoldedText:
    """The folded index columns for an article (see the module docstring)."""
    extra: list[str] = []
    folded_title = _fold_field(title, extra)
    folded_body = _fold_field(body, extra)
    # Each variant once: the index only needs to know the article contains it.
    unique = list(dict.fromkeys(extra))
    return FoldedText(folded_title, folded_body, " ".join(unique))
