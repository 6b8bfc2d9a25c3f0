"""Keys for work titles and people's names.

A key is what two spellings of one title or name have in common, so that the store
can index candidates by key and the matcher can compare keys instead of strings.
:func:`fold_name` is the romanization-aware folding used by matching and search.
"""

from __future__ import annotations

import re

from aggregator.normalize.text import fold_text

_LEADING_ARTICLE = re.compile(r"^(the|a|an)\s+")


def title_key(title: str) -> str:
    """'The Ballerina!' and 'ballerina' -> 'ballerina'. Empty when nothing is left."""
    folded = fold_text(title)
    folded = _LEADING_ARTICLE.sub("", folded)
    return folded.replace(" ", "")


def fold_name(name: str) -> str:
    """A spelling-insensitive key for a name or a single name token.

    'Ok-joo', 'Ok joo', 'Okjoo' -> one key. The release-matcher work extends this
    with romanization rules (Ok-ju, Choe/Choi, ...); callers rely only on "same key
    for variant spellings of one name".
    """
    return fold_text(name).replace(" ", "")


def name_key(name: str) -> str:
    """The index key of a person's name."""
    return fold_name(name)
