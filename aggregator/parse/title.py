"""Choosing the article's own headline among the titles a page carries.

A page names its article up to five times: JSON-LD ``headline``, ``og:title``,
``twitter:title``, the visible ``<h1>`` and ``<title>``. The metadata titles often
carry the site name ("Headline | Site", "Site - Headline") or an SEO rewrite; the
``<h1>`` may be the site logo. The visible headline is trusted when a metadata
title agrees with it; otherwise the metadata titles are used with the site name
cut off, and the first ``<h1>`` is the last resort.

On the 159 labelled pages of the extraction benchmark this picks the visible
headline every time (bench/extraction.py, "title exact").
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import urlsplit

# Separators between a headline and a site or section name.
_SEPARATOR = re.compile(r"\s+(?:[|\u2013\u2014·•»:]{1,2}|-{1,2}|::)\s+")
_SEPARATOR_CHARS = "|-\u2013\u2014:·•»"
_SPACE = re.compile(r"\s+")
_FOLD = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u00a0": " ",
    }
)
# A site or section name is short; a longer side part is part of the headline.
MAX_AFFIX_WORDS = 5
# An <h1> shorter than this is a logo or section label, not a headline.
MIN_HEADLINE_CHARS = 8


def tidy(title: str) -> str:
    return _SPACE.sub(" ", title or "").strip()


def _fold(text: str) -> str:
    return tidy(unicodedata.normalize("NFKC", text).translate(_FOLD)).casefold()


def _letters(text: str) -> str:
    return "".join(ch for ch in text.casefold() if ch.isalnum())


def _site_words(site_name: str, url: str) -> set[str]:
    """Letter-only forms of the site's names: og:site_name and the host's main label."""
    names = {_letters(site_name)} if site_name else set()
    host = urlsplit(url).hostname or ""
    labels = [label for label in host.split(".") if label not in ("www", "m", "amp")]
    if len(labels) >= 2:
        names.add(_letters(labels[-2]))
        names.add(_letters("".join(labels[:-1])))
    return {n for n in names if n}


def _is_site_part(part: str, sites: set[str]) -> bool:
    letters = _letters(part)
    if not letters:
        return True
    short = len(part.split()) <= MAX_AFFIX_WORDS
    return any(
        letters == s or (short and len(s) >= 4 and (s in letters or letters in s)) for s in sites
    )


def strip_site_name(title: str, site_name: str = "", url: str = "") -> str:
    """'Headline | Site', 'Site - Headline' -> 'Headline'.

    A side part is cut only when it names the site (og:site_name or the host), or
    when the separator is a bar and the part is short: dashes and colons also occur
    inside headlines ("Review – shoots for the moon").
    """
    title = tidy(title)
    parts = _SEPARATOR.split(title)
    if len(parts) < 2:
        return title
    separators = _SEPARATOR.findall(title)
    sites = _site_words(site_name, url)
    while len(parts) > 1:
        last, first = parts[-1], parts[0]
        if _is_site_part(last, sites) or (
            "|" in separators[-1] and len(last.split()) <= MAX_AFFIX_WORDS
        ):
            parts, separators = parts[:-1], separators[:-1]
        elif _is_site_part(first, sites) or (
            "|" in separators[0]
            and len(first.split()) <= MAX_AFFIX_WORDS < len(" ".join(parts[1:]).split())
        ):
            parts, separators = parts[1:], separators[1:]
        else:
            break
    rebuilt = parts[0]
    for separator, part in zip(separators, parts[1:], strict=True):
        rebuilt += separator + part
    return rebuilt.strip() or title


def _agrees(heading: str, meta_title: str) -> bool:
    """The metadata title is the heading, or the heading plus a site/section affix."""
    h, m = _fold(heading), _fold(meta_title)
    if not h or not m:
        return False
    if h == m:
        return True
    if len(h) < MIN_HEADLINE_CHARS or h not in m:
        return False
    before, _, after = m.partition(h)
    return (not before.strip() or before.rstrip()[-1] in _SEPARATOR_CHARS) and (
        not after.strip() or after.lstrip()[0] in _SEPARATOR_CHARS
    )


def choose_title(
    *,
    jsonld: str = "",
    og: str = "",
    twitter: str = "",
    html_title: str = "",
    headings: list[str] | None = None,
    site_name: str = "",
    url: str = "",
) -> str:
    """The article's headline, or "" when the page has none."""
    metas = [tidy(t) for t in (jsonld, og, twitter, html_title) if tidy(t)]
    sites = _site_words(site_name, url)
    heads = [
        tidy(h)
        for h in headings or ()
        if len(tidy(h)) >= MIN_HEADLINE_CHARS and not _is_site_part(tidy(h), sites)
    ]
    for head in heads:
        if any(_agrees(head, meta) for meta in metas):
            return head
    for meta in metas:
        stripped = strip_site_name(meta, site_name, url)
        if stripped and not _is_site_part(stripped, sites):
            return stripped
    return heads[0] if heads else ""
