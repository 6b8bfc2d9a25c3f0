"""The main text of a page: trafilatura first, readability as a second opinion.

trafilatura (precision mode) finds the article text on most pages. It sometimes
stops early on pages that split the article into several blocks (ads or widgets
between them) or returns only a legal notice. A cheap page-structure signal
catches those cases: the page's long ``<p>`` paragraphs hold much more text than
trafilatura returned. Only then is readability-lxml run, and its text is taken
when it is substantially longer. JSON-LD ``articleBody`` is used only when neither
finds more than a few lines: on 8 of the 16 evaluation pages that carry one it was
a teaser or held markup, so it never replaces a successful extraction.

Each of these choices was measured with bench/extraction.py; the thresholds below
are the values it picked.
"""

from __future__ import annotations

import logging
import re
from copy import deepcopy

import lxml.html
import trafilatura
from lxml import etree

from aggregator.parse.clean import clean_paragraphs, split_paragraphs

log = logging.getLogger(__name__)
# Both libraries log a full traceback at ERROR level for every page they cannot
# handle; the parser reports its own one-line reason instead, so keep them quiet.
logging.getLogger("readability.readability").setLevel(logging.CRITICAL)
logging.getLogger("trafilatura").setLevel(logging.CRITICAL)

# trafilatura text shorter than this is suspicious whatever the page looks like.
MIN_TRUSTED_CHARS = 300
# A <p> this long is a sentence of prose, not a label or a caption.
MIN_PROSE_PARAGRAPH_CHARS = 60
# Ask readability when the page's prose paragraphs hold this many times the text
# trafilatura returned...
SECOND_OPINION_RATIO = 2.0
# ...and take its text when it is this many times longer.
SECOND_OPINION_GAIN = 1.6
# Paragraph-level tags whose text readability's output is read from.
_READABILITY_BLOCKS = ("p", "h2", "h3", "h4", "li", "pre", "blockquote")
_TAG_OR_ENTITY = re.compile(r"<[a-zA-Z/][^>]*>|&[a-z]+;|&#\d+;")
_ELLIPSIS_END = re.compile(r"(?:\.\.\.|…|&hellip;)\s*$")


def prose_chars(tree: etree._Element) -> int:
    """Characters in the page's prose paragraphs: a cheap bound on its article text."""
    total = 0
    for paragraph in tree.iter("p"):
        size = len(paragraph.text_content())
        if size >= MIN_PROSE_PARAGRAPH_CHARS:
            total += size
    return total


def _trafilatura(tree: etree._Element, url: str) -> str:
    try:
        doc = trafilatura.bare_extraction(
            tree, url=url or None, with_metadata=False, favor_precision=True, include_comments=False
        )
    except Exception as exc:  # trafilatura raises many types on hostile pages
        log.debug("trafilatura failed on %s: %s", url, exc)
        return ""
    text = getattr(doc, "text", None)  # a Document; a dict only with as_dict=True
    return str(text) if text else ""


def _readability(tree: etree._Element, url: str) -> str:
    from readability import Document  # imported late: rarely needed, slow to import

    try:
        summary = Document(deepcopy(tree), url=url or None).summary(html_partial=True)
        content = lxml.html.fromstring(summary)
    except Exception as exc:  # readability raises bare Exceptions on odd pages
        log.debug("readability failed on %s: %s", url, exc)
        return ""
    lines = []
    for block in content.iter(*_READABILITY_BLOCKS):
        if block.tag == "li" and block.find(".//p") is not None:
            continue
        text = " ".join(block.text_content().split())
        if text:
            lines.append(text)
    return "\n".join(lines)


def usable_jsonld_body(text: str) -> str:
    """JSON-LD articleBody when it is plain, complete text; "" when it is a teaser."""
    if not text or _TAG_OR_ENTITY.search(text) or _ELLIPSIS_END.search(text):
        return ""
    return text


def extract_body(tree: etree._Element, url: str, title: str = "", jsonld_body: str = "") -> str:
    """Main text of a parsed page as paragraphs separated by blank lines ("" if none)."""
    text = _trafilatura(tree, url)
    if len(text) < MIN_TRUSTED_CHARS or prose_chars(tree) > SECOND_OPINION_RATIO * len(text):
        second = _readability(tree, url)
        if len(second) > SECOND_OPINION_GAIN * len(text):
            text = second
    body = "\n\n".join(clean_paragraphs(split_paragraphs(text), title))
    if len(body) < MIN_TRUSTED_CHARS:
        # Pages that render their text with scripts often carry it in JSON-LD only.
        fallback = "\n\n".join(
            clean_paragraphs(split_paragraphs(usable_jsonld_body(jsonld_body)), title)
        )
        if len(fallback) > len(body):
            return fallback
    return body
