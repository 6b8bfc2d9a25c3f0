"""Snippets: the part of an article's text where the query matched.

Computed in Python over the page of hits (not by FTS5's snippet()), because matches
are found in the folded index while the snippet must show the text as written.
Matched words are wrapped in :data:`HIT_START` / :data:`HIT_END`, private-use
characters which the CLI turns into colour or drops. Stored text is untrusted and
may hold those characters too, so they are replaced by spaces before marking: only
the marks this module adds are ever in a snippet.
"""

from __future__ import annotations

import re

from aggregator.normalize.search_fold import WORD
from aggregator.query.search_syntax import Highlighter

HIT_START, HIT_END = "\ue000", "\ue001"
_CLOSING = re.compile(r"[^\w\s]{1,3}")
SNIPPET_WORDS = 24
ELLIPSIS = "…"


def make_snippet(body: str, highlighter: Highlighter, size: int = SNIPPET_WORDS) -> str:
    """The window of ``size`` words of ``body`` with the most matched words in it."""
    body = _unmarked(body)
    found = [(m.start(), m.end()) for m in WORD.finditer(body)]
    if not found:
        return ""
    marked = [highlighter.matches(body[start:end]) for start, end in found]
    best_start, best_count, count = 0, -1, 0
    for index in range(len(found)):
        count += marked[index]
        if index >= size:
            count -= marked[index - size]
        start = max(0, index - size + 1)
        if count > best_count:
            best_start, best_count = start, count
        if best_count >= size:
            break
    if best_count <= 0:
        best_start = 0
    else:
        # Centre the matched words in the window rather than leaving them at an edge.
        hits = [i for i in range(best_start, min(len(found), best_start + size)) if marked[i]]
        middle = (hits[0] + hits[-1]) // 2
        best_start = max(0, min(middle - size // 2, len(found) - size))
    window = range(best_start, min(len(found), best_start + size))
    pieces: list[str] = []
    cursor = found[window.start][0]
    for index in window:
        start, end = found[index]
        pieces.append(body[cursor:start])
        text = body[start:end]
        pieces.append(f"{HIT_START}{text}{HIT_END}" if marked[index] else text)
        cursor = end
    # The punctuation that closes the last word ("'Kingdom'.", "(really)!"): without
    # it a quote or a bracket is left open, which reads like damaged text.
    closing = _CLOSING.match(body, cursor)
    if closing:
        pieces.append(closing.group())
    text = " ".join("".join(pieces).split())
    if window.start > 0:
        text = ELLIPSIS + text
    if window.stop < len(found):
        text += ELLIPSIS
    return text


def _unmarked(text: str) -> str:
    """``text`` with any marker characters of its own turned into spaces (they
    separate words, as they do in the search index)."""
    return text.replace(HIT_START, " ").replace(HIT_END, " ")


def strip_marks(text: str) -> str:
    return text.replace(HIT_START, "").replace(HIT_END, "")
