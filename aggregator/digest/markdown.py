"""Markdown digests (CommonMark), safe to render with any Markdown processor.

Feed content has its emphasis, code, link and table characters backslash-escaped,
anything that would start a block at the beginning of a line neutralised, and
``<``, ``>``, ``&`` turned into entities, so a title can neither inject raw HTML
nor break out of a link, and the file stays readable as plain text (it is often
mailed as is). Only http, https and file URLs become links, with every character
that could end or escape a link destination percent-encoded.
"""

from __future__ import annotations

import re

from aggregator.digest.common import article_meta, counts, heading, intro
from aggregator.digest.model import Digest
from aggregator.digest.text import TITLE_CHARS, clean, encode_link, safe_link

_ESCAPED = re.compile(r"([\\`*_\[\]|~])")
# What would open a heading, list, quote, code block or rule at the start of a line.
_BLOCK_START = re.compile(r"^(\s*)([#+=-]|\d+[.)])")
_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
# A run of # ending a heading line would be read as its closing sequence and dropped.
_CLOSING_HASHES = re.compile(r"(?<!\S)(#+)$")
# What Markdown would decode as an entity (&copy;, &#38;) inside a link destination.
_ENTITY_LIKE = re.compile(r"&(?=#?[0-9A-Za-z]+;)")


def md_text(value: str) -> str:
    text = _ESCAPED.sub(r"\\\1", value)
    text = _BLOCK_START.sub(lambda m: m.group(1) + m.group(2)[:-1] + "\\" + m.group(2)[-1], text)
    return "".join(_ENTITIES.get(ch, ch) for ch in text)


def md_heading(value: str) -> str:
    """Heading text: :func:`md_text`, and a trailing ``#`` run kept as text."""
    return _CLOSING_HASHES.sub(r"\\\1", md_text(value))


def md_url(url: str) -> str:
    """A link destination in pointy brackets that nothing inside can end or escape:
    backslash, brackets, quotes, spaces and controls percent-encoded, and ``&`` written
    as ``&amp;`` where Markdown would otherwise decode an entity (``&copy;``)."""
    return "<" + _ENTITY_LIKE.sub("&amp;", encode_link(url)) + ">"


def render_markdown(digest: Digest) -> str:
    lines = [f"# {md_heading(clean(digest.title))}", "", md_text(intro(digest)), ""]
    for entry in digest.entries:
        lines += [f"## {md_heading(heading(entry))}", ""]
        if entry.summary:
            lines += [md_text(entry.summary), ""]
        lines += [f"*{md_text(counts(entry))}*", ""]
        for article in entry.articles:
            title = md_text(clean(article.title, TITLE_CHARS))
            link = safe_link(article.url)
            label = f"[{title}]({md_url(link)})" if link else title
            lines.append(f"- {label} — {md_text(article_meta(article))}")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"
