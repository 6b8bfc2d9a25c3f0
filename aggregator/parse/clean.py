"""Cleaning shared by every input kind: boilerplate lines out, paragraphs kept.

Pages, feed entries and plain-text files carry the same noise: the headline repeated
as the first body line, comment prompts, share bars, newsletter pleas, "read more"
teasers, and a caption or credit printed twice. Each rule here was kept only when
the extraction evaluation (bench/extraction.py) did not drop with it.
"""

from __future__ import annotations

import re

# Whole lines that are never article text, compared by :func:`line_key`.
BOILERPLATE_LINES = frozenset(
    re.sub(r"[\W_]+", " ", line.casefold()).strip()
    for line in (
        "Be the first to comment",
        "Leave a Reply",
        "Leave a Comment",
        "Leave a reply Cancel reply",
        "Cancel reply",
        "Share this article",
        "Share this",
        "Share this story",
        "Share on Facebook",
        "Share on Twitter",
        "Click to share",
        "Sign up for our newsletter",
        "Subscribe to our newsletter",
        "Advertisement",
        "Ad",
        "Related articles",
        "Related",
        "Related stories",
        "Read more",
        "Read next",
        "Comments",
        "Post a comment",
        "Don't miss",
        "Tags",
        "Tell us what you think",
        "Like this story Share it with a friend",
        "Most popular",
        "Recommended",
        "Continue reading",
        "Print",
        "Email",
        "Next article",
        "Previous article",
    )
)
# Lines that open with a teaser or prompt label, or end with a link-list tag.
_BOILERPLATE_PREFIX = re.compile(
    r"^(?:READ MORE|SEE MORE|READ ALSO|ALSO READ|MORE|RELATED|Read more|See more|Read also"
    r"|Also read|Related(?: coverage| stories| articles)?|Also on [\w.]+|WATCH|Watch)\s*[:|]\s*\S"
    r"|(?:Have a tip\?|Like this story\?|Get the latest updates\b|Sign up (?:for|to)\b"
    r"|Subscribe (?:to|for)\b|Follow us\b|Click here to\b|This copy is for your personal"
    r"|\d+\s+comments?$)",
)
# A lone lower-case word is a tag or a widget label, never a paragraph of prose.
_LONE_WORD = re.compile(r"^[a-zà-ÿ][\w-]*$")
# A dateline/byline strip: "05/10/2018 - Posted by: Name - Category: Health".
_BYLINE = re.compile(
    r"^(?:\d{1,2}[/.]\d{1,2}[/.]\d{2,4}\s*[-|–]\s*)?(?:Posted|Published|Publicado|Publié|Veröffentlicht)"
    r"\s+(?:by|por|par|von)\b.{0,120}$",
    re.IGNORECASE,
)
# A photo credit on its own line: "From Netflix", "Photo: Reuters", "Image via CJ ENM".
_CREDIT = re.compile(
    r"^(?:From|Photo|Photos|Image|Images|Picture|Credit|Source|Courtesy(?: of)?)"
    r"(?:\s*[:/]|\s+by|\s+via|\s+(?=[A-Z]))\s*[\w&.,'’ -]{1,40}$"
)
_LINK_TAG = re.compile(
    r"\[(?:INSIGHT|VIDEO|PICS|REACTION|POLL|LATEST|REVEAL|UPDATE|MAPPED)\]\s*\|?$"
)
# A "Related:" label is followed by a short list of linked headlines ("- Headline").
_LIST_ITEM = re.compile(r"^[-–•*]\s+\S")
_NEWSLETTER = re.compile(r"\bnewsletters?\b", re.IGNORECASE)
_SIGNUP = re.compile(r"\b(?:sign up|subscribe|inbox)\b", re.IGNORECASE)
# A newsletter plea is a short paragraph; an article about newsletters is not.
MAX_PLEA_CHARS = 220
_NON_WORD = re.compile(r"[\W_]+")
_INLINE_SPACE = re.compile(r"[ \t\u00a0\u2009\u200a\u202f]+")
_NEWLINES = re.compile(r"\r\n?|[\u2028\u2029\x0b\x0c]")
# Control characters (terminal escapes start with one) and the bidirectional
# overrides and isolates that reorder what a reader sees: never part of an article.
_INVISIBLE = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def line_key(text: str) -> str:
    """Lower-case, punctuation-free form of a line, for comparing repeats cheaply."""
    return _NON_WORD.sub(" ", text.casefold()).strip()


def split_paragraphs(text: str) -> list[str]:
    """Paragraphs of a text, with inline whitespace collapsed and empty ones dropped."""
    text = _INVISIBLE.sub("", _NEWLINES.sub("\n", text))
    if "  " in text or "\t" in text or "\u00a0" in text or "\u2009" in text or "\u202f" in text:
        text = _INLINE_SPACE.sub(" ", text)
    return [line.strip() for line in text.split("\n") if line and not line.isspace()]


# Boilerplate lines are short; longer paragraphs skip the set lookup.
MAX_BOILERPLATE_LINE_CHARS = 60


def is_boilerplate(paragraph: str) -> bool:
    """A paragraph that is a prompt, teaser label, share bar or newsletter plea."""
    if len(paragraph) <= MAX_BOILERPLATE_LINE_CHARS:
        key = line_key(paragraph)
        if not key or key in BOILERPLATE_LINES:
            return True
    if _BOILERPLATE_PREFIX.match(paragraph):
        return True
    if paragraph.endswith(("]", "|")) and _LINK_TAG.search(paragraph):
        return True
    if _LONE_WORD.match(paragraph) or _BYLINE.match(paragraph):
        return True
    if len(paragraph) <= MAX_BOILERPLATE_LINE_CHARS and _CREDIT.match(paragraph):
        return True
    return (
        len(paragraph) <= MAX_PLEA_CHARS
        and _NEWSLETTER.search(paragraph) is not None
        and _SIGNUP.search(paragraph) is not None
    )


# A first line this close to the headline is the headline again, with a site tag or
# a kicker added or dropped.
TITLE_REPEAT_SHARE = 0.6


def _repeats_title(key: str, title_key: str) -> bool:
    if key == title_key:
        return True
    shorter, longer = sorted((key, title_key), key=len)
    return bool(shorter) and shorter in longer and len(shorter) >= TITLE_REPEAT_SHARE * len(longer)


def clean_paragraphs(paragraphs: list[str], title: str = "") -> list[str]:
    """Drop boilerplate, a leading repeat of the headline (unless it is all the text
    and says more than the headline), and immediate repeats.

    A line repeated straight after itself is a caption or credit printed twice
    ("Lee Chung-hyun / Lee Chung-hyun"); the second copy goes. List items right
    after a dropped "Related"/"Read more" label are links to other articles.
    """
    title_key = line_key(title)
    kept: list[str] = []
    previous = ""
    in_link_list = False
    repeated = ""
    for paragraph in paragraphs:
        if in_link_list and _LIST_ITEM.match(paragraph):
            continue
        in_link_list = False
        if is_boilerplate(paragraph):
            in_link_list = True
            continue
        if not kept and title_key and _repeats_title(line_key(paragraph), title_key):
            repeated = repeated or paragraph
            continue
        if previous and paragraph.casefold() == previous:
            continue
        kept.append(paragraph)
        previous = paragraph.casefold()
    if not kept and repeated and line_key(repeated) != title_key:
        # The whole text is one lead sentence that tells the headline's news with more
        # in it ("Bong Joon-ho's Parasite wins ..."): the story itself, not a repeat.
        return [repeated]
    return kept


def clean_body(body: str, title: str = "") -> str:
    """A body as paragraphs separated by blank lines, with the noise removed."""
    return "\n\n".join(clean_paragraphs(split_paragraphs(body), title))


# Real headlines run to 150 characters or so; a feed can send a megabyte.
MAX_TITLE_CHARS = 400


def clean_title(title: str) -> str:
    """One line, spaces collapsed, cut at a word to MAX_TITLE_CHARS (with an ellipsis)."""
    text = _INLINE_SPACE.sub(" ", _INVISIBLE.sub("", _NEWLINES.sub(" ", title).replace("\n", " ")))
    text = text.strip()
    if len(text) <= MAX_TITLE_CHARS:
        return text
    cut = text[:MAX_TITLE_CHARS]
    space = cut.rfind(" ")
    return (cut[:space] if space > MAX_TITLE_CHARS // 2 else cut).rstrip() + "…"
