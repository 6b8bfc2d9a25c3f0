"""Digests: one entry per story with new articles in a time window.

:mod:`.select` turns store rows into a :class:`~.model.Digest`; one module per
format renders it to text (pure functions, no I/O); :mod:`.files` writes the
result atomically and names dated files. Every renderer treats all feed content
as hostile: see :mod:`.text` for what each format does with it.
"""

from __future__ import annotations

from collections.abc import Callable

from aggregator.digest.atom import render_atom
from aggregator.digest.html import render_html
from aggregator.digest.json_format import render_json
from aggregator.digest.markdown import render_markdown
from aggregator.digest.model import Digest, DigestArticle, DigestEntry
from aggregator.digest.select import build_digest

RENDERERS: dict[str, Callable[[Digest], str]] = {
    "md": render_markdown,
    "html": render_html,
    "json": render_json,
    "atom": render_atom,
}
EXTENSIONS = {"md": "md", "html": "html", "json": "json", "atom": "xml"}
FORMATS = tuple(RENDERERS)


def render(digest: Digest, fmt: str) -> str:
    return RENDERERS[fmt](digest)


__all__ = [
    "EXTENSIONS",
    "FORMATS",
    "Digest",
    "DigestArticle",
    "DigestEntry",
    "build_digest",
    "render",
]
