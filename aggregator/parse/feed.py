"""Feeds (RSS 0.9x/1.0/2.0, Atom) to articles: bytes and response headers in.

feedparser is handed the bytes, never a URL, so it does no I/O of its own. It is
liberal: a broken ("bozo") feed that still yields entries is kept, with the
problem returned as a warning; a document with no entries is a ParseError.
"""

from __future__ import annotations

import calendar
import codecs
import io
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

import feedparser

from aggregator.errors import ParseError
from aggregator.models import Article
from aggregator.parse.clean import clean_title, split_paragraphs
from aggregator.parse.entry import html_to_text as entry_html_to_text
from aggregator.parse.entry import parse_entry_fields
from aggregator.parse.links import looks_like_feed

_XML_DECLARATION = re.compile(rb"^(\s*<\?xml[^>]*?encoding\s*=\s*)([\"'])([A-Za-z0-9._:-]+)\2")
# Python's names (codecs.lookup(...).name) of the single-byte Latin charsets.
_SINGLE_BYTE_FAMILIES = frozenset({"iso8859-1", "ascii", "cp1252", "iso8859-15"})


@dataclass(frozen=True)
class ParsedFeed:
    """What one feed document holds: its entries and anything odd about it."""

    title: str
    entries: tuple[Article, ...]
    warnings: tuple[str, ...] = ()
    skipped: tuple[str, ...] = ()  # one message per entry that could not be used


def _codec(name: str) -> str:
    try:
        return codecs.lookup(name).name
    except LookupError:
        return ""


def _is_latin(name: str) -> bool:
    """True for the single-byte Latin charsets (and ASCII) servers send by default."""
    return _codec(name) in _SINGLE_BYTE_FAMILIES


def choose_encoding(data: bytes, declared: str | None) -> tuple[str | None, str | None]:
    """The encoding to read a feed in, and a warning when a declaration was wrong.

    Valid UTF-8 with non-ASCII bytes is UTF-8 whatever a header or the XML
    declaration claims (mislabelled feeds are common, accidental UTF-8 validity in
    a legacy encoding is not). Otherwise the HTTP charset, then the XML
    declaration, as long as it decodes; except that an HTTP charset of the Latin
    family (which decodes any bytes, and is many servers' default) loses to an XML
    declaration of another encoding that decodes the bytes cleanly, with a warning.
    A byte-order mark is decisive: it says what the bytes are, whatever a header
    claims (a UTF-16 feed served as "charset=iso-8859-1" is still UTF-16).
    ``None``: leave it to feedparser.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig", None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16", None
    match = _XML_DECLARATION.match(data[:200])
    in_document = match.group(3).decode("ascii").lower() if match else None
    claims = [c.lower() for c in (declared, in_document) if c]
    try:
        data.decode("utf-8")
        utf8 = True
    except UnicodeDecodeError:
        utf8 = False
    if utf8 and not data.isascii():
        wrong = [c for c in claims if c.replace("_", "-") not in ("utf-8", "utf8")]
        warning = f"declared charset {wrong[0]} but the content is UTF-8" if wrong else None
        return "utf-8", warning
    if (
        declared
        and in_document
        and not data.isascii()
        and _is_latin(declared)
        and not _is_latin(in_document)
        # A declaration readable as ASCII is not in a UTF-16/32 document.
        and not _codec(in_document).startswith(("utf-16", "utf-32"))
    ):
        # Latin-1 decodes any bytes, so a server's generic "charset=iso-8859-1" would
        # always win; the document's own declaration of another encoding (EUC-KR,
        # Shift_JIS, ...) that decodes the bytes cleanly says what they really are.
        try:
            data.decode(in_document)
        except (LookupError, UnicodeDecodeError):
            pass
        else:
            return in_document, (
                f"HTTP charset {declared.lower()} overridden: the content is {in_document} "
                "as its XML declaration says"
            )
    for claim in claims:
        try:
            data.decode(claim)
        except (LookupError, UnicodeDecodeError):
            continue
        if declared and claim != claims[0]:
            return claim, (
                f"HTTP charset {claims[0]} does not fit the content; read as {claim} "
                "as its XML declaration says"
            )
        return claim, None
    if utf8:
        return "utf-8", None
    warning = f"declared charset {claims[0]} does not fit the content" if claims else None
    return "windows-1252", warning


def _recode(data: bytes, encoding: str) -> bytes:
    """The document as UTF-8 with its XML declaration saying so."""
    text = data.decode(encoding, errors="replace").encode("utf-8")
    return _XML_DECLARATION.sub(rb"\1\2utf-8\2", text, count=1)


def html_to_text(fragment: str) -> str:
    """Plain text of an HTML fragment (a feed's title or content), one paragraph per
    block element: the parser's own conversion, so feed text reads like page text."""
    if not fragment or not fragment.strip():
        return ""
    text = entry_html_to_text(fragment)[0] if "<" in fragment else fragment
    return "\n\n".join(split_paragraphs(text))


def _when(entry: Any, key: str) -> datetime | None:
    # dict.get: feedparser's own get() maps updated->published with a deprecation warning.
    parsed = dict.get(entry, f"{key}_parsed")
    if not parsed:
        return None
    try:
        return datetime.fromtimestamp(calendar.timegm(parsed), tz=UTC)
    except (OverflowError, ValueError, OSError, TypeError):
        return None


def _content(entry: Any) -> str:
    """The fullest content the entry carries, as given (HTML or text): content beats
    summary when its text is longer."""
    candidates = [c.get("value", "") for c in entry.get("content") or []]
    candidates.append(entry.get("summary", ""))
    return max((c for c in candidates if c), key=lambda c: len(html_to_text(c)), default="")


def _is_absolute_url(value: str) -> bool:
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


RawGuid = Callable[[], str | None]


def _link(entry: Any, base: str, raw_guid: RawGuid | None = None) -> str | None:
    """The entry's web page: its link, else a GUID that is an absolute http(s) URL.

    feedparser resolves a GUID that may be a permalink (``<guid>`` without
    isPermaLink="false") against the feed's URL, and uses it as the link when the
    entry has none, so ``<guid>12345</guid>`` would read as ``http://host/12345``.
    ``raw_guid`` gives the GUID as written in the feed; only that is trusted.
    """
    if not (entry.get("guidislink") and not entry.get("links")):  # a real link element
        candidates = [entry.get("link")]
        candidates += [
            link.get("href")
            for link in entry.get("links") or []
            if link.get("rel", "alternate") == "alternate"
        ]
        for candidate in candidates:
            if candidate:
                url = urljoin(base, str(candidate).strip())
                if urlsplit(url).scheme in ("http", "https"):
                    return url
    # A GUID is a link only when it is an absolute URL: most are opaque ids.
    guid = str((raw_guid() if raw_guid is not None else entry.get("id")) or "").strip()
    return guid if _is_absolute_url(guid) else None


def entry_to_article(
    entry: Any, base: str, source: str | None, raw_guid: RawGuid | None = None
) -> Article:
    """One feedparser entry as an Article; raises ParseError when it has no link.

    ``raw_guid``: returns the entry's GUID as the feed wrote it (see :func:`_link`).
    """
    title = clean_title(html_to_text(entry.get("title", "")))
    link = _link(entry, base, raw_guid)
    if link is None:
        raise ParseError(f"entry {title[:60]!r} has no http(s) link to an article; skipped")
    authors = tuple(
        dict.fromkeys(
            str(a.get("name")).strip() for a in entry.get("authors") or [] if a.get("name")
        )
    )
    if not authors and entry.get("author"):
        authors = (str(entry["author"]).strip(),)
    # The parser's feed-entry path gives the same cleaning as pages and text files,
    # plus works (quotes, italics, categories, cue words) and people.
    return parse_entry_fields(
        title or link,
        _content(entry),
        link,
        published=_when(entry, "published") or _when(entry, "updated"),
        updated=_when(entry, "updated"),
        authors=authors,
        categories=[str(t.get("term")) for t in entry.get("tags") or [] if t.get("term")],
        guid=str(entry["id"]).strip() if entry.get("id") else None,
        source=source,
    )


class _RawGuids:
    """The entries' GUIDs as written in the feed, read on first use by parsing the
    document again without a base URL (feedparser resolves GUIDs against it);
    needed only for an entry with no usable link. xml:base still applies."""

    def __init__(self, data: bytes, content_type: str, count: int) -> None:
        self._data, self._content_type, self._count = data, content_type, count
        self._ids: list[str | None] | None = None

    def lookup(self, index: int) -> RawGuid:
        return lambda: self._get(index)

    def _get(self, index: int) -> str | None:
        if self._ids is None:
            bare = feedparser.parse(
                io.BytesIO(self._data), response_headers={"content-type": self._content_type}
            )
            # The same bytes and parser give the same entries; if not, trust no GUID.
            same = len(bare.entries) == self._count
            self._ids = [(str(e.get("id")) if e.get("id") and same else None) for e in bare.entries]
        return self._ids[index] if index < len(self._ids) else None


def parse_feed(
    data: bytes, headers: Mapping[str, str], url: str, source: str | None = None
) -> ParsedFeed:
    """Parse a fetched feed document; ``url`` is where it was fetched (for relative links).

    Raises :class:`ParseError` when the document is broken or not a feed and
    yields no entries.
    """
    content_type = headers.get("content-type", "application/xml")
    media_type = content_type.split(";", 1)[0].strip().lower() or "application/xml"
    if not media_type.endswith(("/xml", "+xml")) and looks_like_feed(data):
        # An RSS/Atom/RDF document is a feed whatever it was served as (text/html,
        # text/plain); feedparser would call it not well-formed otherwise.
        params = content_type.partition(";")[2]
        media_type = "application/xml"
        content_type = f"{media_type};{params}" if params else media_type
    charset = None
    for param in content_type.split(";")[1:]:
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset":
            charset = value.strip().strip("\"'") or None
    encoding, warning = choose_encoding(data, charset)
    warnings = [warning] if warning else []
    if encoding is not None:
        data = _recode(data, encoding)
        content_type = f"{media_type}; charset=utf-8"
    parsed = feedparser.parse(
        io.BytesIO(data),
        response_headers={"content-type": content_type, "content-location": url},
    )
    if parsed.get("bozo"):
        problem = parsed.get("bozo_exception")
        text = str(problem).strip() or type(problem).__name__
        if not text.startswith("document declared as"):
            warnings.append(f"feed is not well-formed ({text})")
    raw_guids = _RawGuids(data, content_type, len(parsed.entries))
    entries: list[Article] = []
    skipped: list[str] = []
    for index, entry in enumerate(parsed.entries):
        try:
            entries.append(entry_to_article(entry, url, source, raw_guids.lookup(index)))
        except ParseError as exc:
            skipped.append(str(exc))
    if not entries and (parsed.get("bozo") or not parsed.get("version")):
        # A well-formed feed may be empty for now; anything else with no entries
        # is not a feed at all.
        reason = warnings[-1] if warnings else "not an RSS or Atom document"
        raise ParseError(f"no feed entries found: {reason}")
    feed_title = clean_title(html_to_text(parsed.feed.get("title", "")))
    return ParsedFeed(feed_title, tuple(entries), tuple(warnings), tuple(skipped))
