"""Cleaning shared by every input kind: boilerplate lines out, paragraphs kept.

Pages, feed entries and plain-text files carry the same noise: the headline repeated
as the first body line, comment prompts, share bars, a caption repeated twice.
"""

from __future__ import annotations

import re

from aggregator.normalize.text import fold_text

# Whole lines that are never article text (compared after folding).
BOILERPLATE_LINES = frozenset(
    fold_text(line)
    for line in (
        "Be the first to comment",
        "Leave a Reply",
        "Leave a Comment",
        "Leave a reply Cancel reply",
        "Share this article",
        "Share this",
        "Share on Facebook",
        "Share on Twitter",
        "Click to share",
        "Sign up for our newsletter",
        "Subscribe to our newsletter",
        "Advertisement",
        "Related articles",
        "Read more",
        "Comments",
        "Post a comment",
    )
)
_BLANKS = re.compile(r"\n\s*\n+")
_INLINE_SPACE = re.compile(r"[ \t\u00a0]+")


def split_paragraphs(text: str) -> list[str]:
    """Paragraphs of a text, with inline whitespace collapsed and empty ones dropped."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = [_INLINE_SPACE.sub(" ", line).strip() for line in text.split("\n")]
    return [line for line in lines if line]


def clean_body(body: str, title: str = "") -> str:
    """Drop boilerplate lines, a leading repeat of the headline, and immediate repeats.

    A line repeated straight after itself is a caption or credit printed twice
    ("Lee Chung-hyun / Lee Chung-hyun"); the second copy goes.
    """
    title_folded = fold_text(title)
    kept: list[str] = []
    for paragraph in split_paragraphs(body):
        folded = fold_text(paragraph)
        if not folded or folded in BOILERPLATE_LINES:
            continue
        if not kept and title_folded and folded == title_folded:
            continue
        if kept and fold_text(kept[-1]) == folded:
            continue
        kept.append(paragraph)
    return "\n\n".join(kept)


def clean_title(title: str) -> str:
    return _INLINE_SPACE.sub(" ", title.replace("\n", " ")).strip()
