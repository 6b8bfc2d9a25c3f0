"""Turning bytes into text: HTML honours its declared charset, plain text must be UTF-8.

Pages are decoded cheaply and close to what browsers do: a byte-order mark wins,
then UTF-8 when the bytes are valid UTF-8, then the HTTP charset, then a
``<meta charset>`` in the first bytes, else windows-1252. Statistical charset
guessing is not used: it is slow on large pages (a quarter of the parse time) and
rarely better than this order.
"""

from __future__ import annotations

import codecs
import re

from aggregator.errors import ParseError

# Browsers look for the charset declaration in the first 1024 bytes; pages in the
# wild put it later (after long <script> blocks), so look further.
SNIFF_BYTES = 16_384
FALLBACK_ENCODING = "windows-1252"
_META_CHARSET = re.compile(
    rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9._:-]{2,40})""", re.IGNORECASE
)
_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Labels that browsers map to another decoder (WHATWG encoding standard).
_ALIASES = {
    "iso-8859-1": "windows-1252",
    "latin1": "windows-1252",
    "latin-1": "windows-1252",
    "us-ascii": "windows-1252",
    "ascii": "windows-1252",
    "x-sjis": "shift_jis",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "euc-kr": "cp949",
    "ks_c_5601-1987": "cp949",
}


def _codec(label: str | None) -> str | None:
    """A Python codec name for a charset label, or None when it is unknown."""
    if not label:
        return None
    name = label.strip().strip("\"'").lower()
    name = _ALIASES.get(name, name)
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def sniff_charset(data: bytes) -> str | None:
    """The charset a page declares in its first bytes (``<meta charset>``), if any."""
    match = _META_CHARSET.search(data[:SNIFF_BYTES])
    return _codec(match.group(1).decode("ascii", "replace")) if match else None


def decode_html(data: bytes, declared: str | None = None) -> str:
    """Decode a page; never fails on odd bytes (they become U+FFFD)."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(name, errors="replace")
    if not data.isascii():
        # Valid UTF-8 with non-ASCII bytes is almost never another encoding by
        # chance, while stale "charset=iso-8859-1" headers are common.
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            pass
    candidates = [c for c in (_codec(declared), sniff_charset(data)) if c]
    for name in candidates:
        if name in ("utf-16", "utf-16-le", "utf-16-be", "utf-32"):
            # A page that parsed as ASCII to find this label is not UTF-16.
            continue
        try:
            return data.decode(name)
        except UnicodeDecodeError:
            break
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    name = candidates[0] if candidates else FALLBACK_ENCODING
    return data.decode(name, errors="replace")


def decode_text(data: bytes) -> str:
    """Plain text must be UTF-8 (a BOM is allowed): guessing would garble names."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ParseError(
            f"not UTF-8 (invalid byte at offset {exc.start}); convert it first, "
            "e.g. iconv -f LATIN1 -t UTF-8"
        ) from None
