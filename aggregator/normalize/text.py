"""Comparable forms of text: folded for matching, fingerprinted for identity."""

from __future__ import annotations

import hashlib
import re
import unicodedata

_NON_WORD = re.compile(r"[^\w]+", re.UNICODE)
_SPACES = re.compile(r"\s+")


def strip_accents(text: str) -> str:
    """'Amélie' -> 'Amelie'; Hangul and kanji are left as they are."""
    if text.isascii():  # nothing to decompose: the common case, kept fast
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def fold_text(text: str) -> str:
    """Lower-case, accent-free, punctuation-free, single-spaced text for comparison."""
    if not text.isascii():  # ASCII is already NFKC and accent-free
        text = strip_accents(unicodedata.normalize("NFKC", text))
    text = text.casefold()
    text = _NON_WORD.sub(" ", text).replace("_", " ")
    return _SPACES.sub(" ", text).strip()


def content_fingerprint(title: str, body: str, folded_body: str | None = None) -> str | None:
    """A hash of the normalized text; None when there is too little text to identify.

    The body alone is hashed when it is substantial, so a re-post under a new
    headline still counts as the same text; short bodies include the title.
    ``folded_body``: ``fold_text(body)``, when the caller has it already.
    """
    if folded_body is None:
        folded_body = fold_text(body)
    if len(folded_body) >= 200:
        basis = folded_body
    else:
        basis = f"{fold_text(title)}\n{folded_body}".strip()
        if len(basis) < 20:
            return None
    return hashlib.sha1(basis.encode("utf-8")).hexdigest()


def lead(body: str, limit: int = 280) -> str:
    """The first paragraph of a body, cut at a word boundary: a one-line summary."""
    for paragraph in body.split("\n"):
        paragraph = paragraph.strip()
        if len(paragraph) >= 40 or (paragraph and paragraph[-1:] in ".!?"):
            break
    else:
        paragraph = body.strip()
    paragraph = _SPACES.sub(" ", paragraph)
    if len(paragraph) <= limit:
        return paragraph
    cut = paragraph[:limit].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + "…"
