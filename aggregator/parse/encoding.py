"""Turning bytes into text: HTML honours its declared charset, plain text must be UTF-8."""

from __future__ import annotations

from bs4.dammit import UnicodeDammit

from aggregator.errors import ParseError


def decode_html(data: bytes, declared: str | None = None) -> str:
    """Decode a page: the HTTP charset if it works, else the page's own declaration,
    else UTF-8, else windows-1252 (what browsers assume)."""
    encodings = [declared] if declared else []
    dammit = UnicodeDammit(data, known_definite_encodings=encodings, is_html=True)
    if dammit.unicode_markup is None:
        raise ParseError("cannot decode the page in any known character encoding")
    return str(dammit.unicode_markup)


def decode_text(data: bytes) -> str:
    """Plain text must be UTF-8 (a BOM is allowed): guessing would garble names."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ParseError(
            f"not UTF-8 (invalid byte at offset {exc.start}); convert it first, "
            "e.g. iconv -f LATIN1 -t UTF-8"
        ) from None
