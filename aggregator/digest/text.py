"""Making feed content fit to print in a digest, whatever it contains.

Titles and bodies come from other people's feeds and may hold markup, control
characters, characters XML forbids, or absurd lengths. Each renderer escapes for
its own format; these helpers do what all formats share: strip what no format
can carry, bound lengths, and decide which links may be clickable.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

# Characters XML 1.0 forbids (and C1 controls, bidi overrides and zero-widths that
# can disguise text), removed from everything a digest prints.
_UNPRINTABLE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069"
    "\ud800-\udfff\ufffe\uffff\ue000-\uf8ff]"
)
_SPACES = re.compile(r"\s+")
# What a URI (RFC 3986) or IRI (RFC 3987) may not hold, and formats read as the end
# of a link or an escape: quotes, pointy brackets, backslash, spaces, controls.
_NOT_IN_IRI = re.compile(r'[\x00-\x20"<>\\^`{|}\x7f-\x9f]')
TITLE_CHARS = 300
SUMMARY_CHARS = 320
URL_CHARS = 2000
LINKABLE_SCHEMES = frozenset({"http", "https", "file"})


def clean(value: object, limit: int | None = None) -> str:
    """One line of printable text, cut to ``limit`` characters with an ellipsis."""
    text = "" if value is None else str(value)
    text = _SPACES.sub(" ", _UNPRINTABLE.sub("", text)).strip()
    if limit is not None and len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return text


def safe_link(url: str) -> str | None:
    """``url`` if it may be a clickable link (http, https, file), else None.

    Anything with whitespace or control characters inside, an unknown scheme
    (javascript:, data:, vbscript:) or an absurd length is never linked.
    """
    url = url.strip()
    if not url or len(url) > URL_CHARS or _SPACES.search(url) or _UNPRINTABLE.search(url):
        return None
    try:
        scheme = urlsplit(url).scheme.lower()
    except ValueError:
        return None
    return url if scheme in LINKABLE_SCHEMES else None


def encode_link(url: str) -> str:
    """``url`` with every character a URI or IRI may not hold percent-encoded (as
    UTF-8), so it is one unbroken token in any format: ``https://ex.com/a\\`` ->
    ``https://ex.com/a%5C``. Characters already allowed, ``%`` included, are kept."""
    return _NOT_IN_IRI.sub(lambda m: "".join(f"%{b:02X}" for b in m.group().encode()), url)
