"""The search syntax people type, turned into a safe FTS5 expression.

Nothing typed is passed to FTS5 as syntax: every word is folded to its search key
and quoted, so quotes, operators, brackets and SQL-looking text can never cause a
syntax error or an injection. What is understood on purpose:

- words: all must appear (``ballerina netflix``);
- ``"a phrase"``: the words next to each other (an unclosed quote runs to the end);
- ``prefix*``: any word starting so;
- ``OR`` (upper case) between two terms: either;
- ``-word`` or ``NOT word``: must not appear.

Every key is looked up in the romanization-folded index, so ``Ok-ju`` also finds
Ok-joo and Okju; see :mod:`aggregator.normalize.search_fold`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from aggregator.errors import QueryError
from aggregator.normalize.search_fold import (
    MAX_SYLLABLE_LETTERS,
    plain_key,
    search_key,
    word_variants,
    words,
)

_CHUNK = re.compile(r'(?P<neg>-?)"(?P<phrase>[^"]*)(?:"(?P<star>\*?)|$)|(?P<word>[^\s"]+)')
MAX_TERMS = 32
# Longest quoted phrase whose split names are also tried joined (each joined pair is
# one more alternative phrase: the expression grows with the square of the length).
MAX_JOINED_PHRASE_WORDS = 8

TermKind = Literal["word", "phrase", "prefix"]


@dataclass(frozen=True)
class Term:
    kind: TermKind
    words: tuple[str, ...]
    negated: bool = False

    def keys(self) -> list[str]:
        return [search_key(w) for w in self.words]

    def fts(self) -> str:
        keys = self.keys()
        if self.kind == "prefix":
            alternatives = [_quote(" ".join(keys)) + "*"]
            plain = [plain_key(w) for w in self.words]
            if plain != keys:
                alternatives.append(_quote(" ".join(plain)) + "*")
            return _any(alternatives)
        if self.kind == "phrase":
            return _any([_quote(" ".join(k)) for k in _joined_names(self.words, keys)])
        return _quote(" ".join(keys))


def _is_syllable_word(word: str) -> bool:
    """Could the word be one syllable of a romanized name?"""
    return word.isascii() and word.isalpha() and len(word) <= MAX_SYLLABLE_LETTERS


def _joined_names(words: tuple[str, ...], keys: list[str]) -> list[list[str]]:
    """The phrase's keys as typed, then with each pair of short neighbouring words
    joined: "Ok Joo" is also the name written "Okjoo" or "Ok-joo", which the index
    holds as one word (as an unquoted query already finds it)."""
    phrasings = [keys]
    if len(words) > MAX_JOINED_PHRASE_WORDS:
        return phrasings  # a quoted sentence, not a name: one phrasing
    for index in range(len(words) - 1):
        first, second = words[index], words[index + 1]
        if _is_syllable_word(first) and _is_syllable_word(second):
            joined = search_key(first + second)
            if joined:
                phrasings.append([*keys[:index], joined, *keys[index + 2 :]])
    return phrasings


def _quote(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _any(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else "(" + " OR ".join(parts) + ")"


def _short_word(term: Term) -> bool:
    if term.kind != "word" or term.negated:
        return False
    word = term.words[0]
    return word.isalpha() and len(word) <= MAX_SYLLABLE_LETTERS


@dataclass(frozen=True)
class SearchQuery:
    """A parsed query: an AND of groups, each an OR of terms, minus excluded terms."""

    text: str
    groups: tuple[tuple[Term, ...], ...]
    excluded: tuple[Term, ...] = ()

    def fts(self) -> str:
        """The FTS5 MATCH expression for the folded index."""
        parts: list[str] = []
        index = 0
        groups = self.groups
        while index < len(groups):
            group = groups[index]
            following = groups[index + 1] if index + 1 < len(groups) else None
            if (
                following is not None
                and len(group) == 1
                and len(following) == 1
                and _short_word(group[0])
                and _short_word(following[0])
            ):
                # "Ok Joo" typed split also finds "Okjoo" written joined.
                first, second = group[0], following[0]
                joined = _quote(search_key(first.words[0] + second.words[0]))
                parts.append(f"(({first.fts()} AND {second.fts()}) OR {joined})")
                index += 2
                continue
            parts.append(_any([t.fts() for t in group]))
            index += 1
        expression = " AND ".join(parts)
        if self.excluded:
            expression += " NOT " + _any([t.fts() for t in self.excluded])
        return expression

    def highlighter(self) -> Highlighter:
        keys: set[str] = set()
        prefixes: set[str] = set()
        for group in self.groups:
            for term in group:
                if term.kind == "prefix":
                    *whole, last = term.words
                    keys.update(search_key(w) for w in whole)
                    prefixes.update(k for k in (search_key(last), plain_key(last)) if k)
                else:
                    keys.update(term.keys())
        keys.discard("")
        return Highlighter(frozenset(keys), tuple(sorted(prefixes)))


@dataclass(frozen=True)
class Highlighter:
    """Decides which words of a text the query matched (for snippets)."""

    keys: frozenset[str]
    prefixes: tuple[str, ...]
    # Verdicts per word, shared by all snippets of one search (words recur).
    _seen: dict[str, bool] = field(default_factory=dict, compare=False, hash=False, repr=False)

    def matches(self, word: str) -> bool:
        verdict = self._seen.get(word)
        if verdict is None:
            verdict = self._seen[word] = self._matches(word)
        return verdict

    def _matches(self, word: str) -> bool:
        key = search_key(word)
        if key in self.keys or self.keys & word_variants(word):
            return True
        if self.prefixes:
            forms = (key, plain_key(word))
            return any(f.startswith(p) for f in forms for p in self.prefixes)
        return False


def _term(kind: TermKind, text: str, negated: bool) -> Term | None:
    found = tuple(w.text for w in words(text))
    if not found:
        return None
    if kind == "word" and len(found) > 1:
        kind = "phrase"  # "foo.bar" is two words written together: a phrase
    return Term(kind, found, negated)


def parse_query(text: str) -> SearchQuery:
    """Parse what was typed; raises QueryError when nothing searchable is left."""
    groups: list[list[Term]] = []
    excluded: list[Term] = []
    pending_or = False
    negate_next = False
    for match in _CHUNK.finditer(text):
        term: Term | None
        if match.group("word") is not None:
            chunk = match.group("word")
            if chunk == "OR":
                pending_or = bool(groups)
                continue
            if chunk == "AND":
                continue
            if chunk == "NOT":
                negate_next = True
                continue
            negated = negate_next or (chunk.startswith("-") and len(chunk) > 1)
            body = chunk[1:] if chunk.startswith("-") else chunk
            kind: TermKind = "prefix" if body.endswith("*") and body.strip("*") else "word"
            term = _term(kind, body.rstrip("*"), negated)
        else:
            negated = negate_next or bool(match.group("neg"))
            kind = "prefix" if match.group("star") else "phrase"
            term = _term(kind, match.group("phrase"), negated)
        negate_next = False
        if term is None:
            continue
        if term.negated:
            excluded.append(term)
        elif pending_or and groups:
            groups[-1].append(term)
        else:
            groups.append([term])
        pending_or = False
    if not groups:
        raise QueryError(
            f"nothing to search for in {text!r}: give one or more words, "
            '"a phrase" in double quotes, or a prefix*'
        )
    if sum(len(g) for g in groups) + len(excluded) > MAX_TERMS:
        raise QueryError(f"the query has more than {MAX_TERMS} terms; shorten it")
    return SearchQuery(text, tuple(tuple(g) for g in groups), tuple(excluded))
