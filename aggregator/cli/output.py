"""Output helpers shared by the commands: JSON, rich on a terminal, plain when piped.

All content shown comes from untrusted feeds and pages, so every string passes
through :func:`clean` before it reaches a terminal: control characters (which could
carry terminal escape sequences) are removed. Styled lines are built with
:func:`line` as rich Text, never as markup strings, so no title can open, close or
break a style; :func:`safe` is only for places that take one whole markup string.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Sequence
from typing import Any

import click
from rich.console import Console
from rich.table import Table
from rich.text import Text

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")
# What rich's markup parser reads as a tag, with the backslashes before it.
_TAG_LIKE = re.compile(r"(\\*)(\[[a-z#/@][^[]*?])")

# A piece of a :func:`line`: plain text, or a (value, rich style) pair.
Piece = str | tuple[Any, str]


def console() -> Console:
    """A console for stdout; colour and boxes only when stdout is a terminal."""
    return Console(highlight=False, soft_wrap=True, emoji=False)


def is_terminal() -> bool:
    return sys.stdout.isatty()


def clean(value: Any) -> str:
    """A one-line, control-character-free string for any output."""
    text = "" if value is None else str(value)
    return _CONTROL.sub("", text.replace("\n", " ").replace("\t", " "))


def safe(value: Any) -> str:
    """:func:`clean`, escaped as a whole rich markup string that prints as written.

    Only for a complete markup string (a table cell, a progress label). Unlike
    rich's escape(), a trailing backslash is not doubled: that doubling is for text
    pasted before a tag, and printed twice everywhere else. To style part of a line,
    use :func:`line` instead of pasting escaped text into markup.
    """
    return _TAG_LIKE.sub(_escape_tag, clean(value))


def _escape_tag(match: re.Match[str]) -> str:
    backslashes, tag = match.groups()
    return f"{backslashes}{backslashes}\\{tag}"


def line(*pieces: Piece) -> Text:
    """One line of output from plain text and (value, style) pairs.

    Each value is :func:`clean`-ed and appended as text, never parsed as markup, so
    brackets and backslashes in a title print exactly and cannot touch the styles.
    """
    text = Text()
    for piece in pieces:
        value, style = (piece, "") if isinstance(piece, str) else piece
        text.append(clean(value), style=style)
    return text


def emit_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def render_table(headers: Sequence[str], rows: Sequence[Sequence[Any]], title: str = "") -> None:
    """A rich table on a terminal; tab-free aligned plain text when piped."""
    if is_terminal():
        table = Table(title=title or None, header_style="bold")
        for header in headers:
            table.add_column(header, overflow="fold")
        for row in rows:
            # Cells are Text, not markup: a value prints exactly as written.
            table.add_row(*(v if isinstance(v, Text) else Text(clean(v)) for v in row))
        console().print(table)
        return
    cells = [[clean(v) for v in row] for row in rows]
    widths = [max([len(h)] + [len(r[i]) for r in cells]) for i, h in enumerate(headers)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip()]
    for row in cells:
        lines.append("  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)).rstrip())
    click.echo("\n".join(lines))


def short_time(value: str | None) -> str:
    """'2026-11-21T10:00:00+00:00' -> '2026-11-21 10:00'."""
    if not value:
        return "-"
    return value.replace("T", " ")[:16]
