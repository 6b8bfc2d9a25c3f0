"""OPML 2.0 subscription lists: parse what other readers export, render ours.

Pure functions over bytes and data. Parsing never resolves entities, loads a DTD
or touches the network (an OPML file is untrusted input: it may come from
anywhere), and a broken file raises :class:`OpmlError` naming it.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from email.utils import format_datetime

from lxml import etree

from aggregator.errors import InputError
from aggregator.timeutil import utcnow

MAX_OPML_BYTES = 5 * 1024 * 1024
MAX_OUTLINES = 10_000
# libxml2 substitutes internal entities in attribute values even with
# resolve_entities=False, so documents declaring entities are refused outright
# (no OPML exporter needs them; entity bombs do).
_ENTITY_DECLARATIONS = tuple(
    "<!ENTITY".encode(codec)
    for codec in ("utf-8", "utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be")
)


class OpmlError(InputError):
    """An OPML file cannot be read as OPML."""


@dataclass(frozen=True)
class OpmlFeed:
    title: str
    xml_url: str
    html_url: str | None = None
    categories: tuple[str, ...] = ()


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )


def _attr(element: etree._Element, *names: str) -> str:
    # Attribute names vary in case between readers (xmlUrl, xmlurl, XMLURL).
    lowered = {str(k).lower(): str(v) for k, v in element.attrib.items()}
    for name in names:
        value = lowered.get(name.lower(), "").strip()
        if value:
            return value
    return ""


def parse_opml(data: bytes, origin: str) -> list[OpmlFeed]:
    """The feeds (outlines with an xmlUrl) in an OPML document, in order.

    Enclosing outlines without an xmlUrl are folders; their titles become the
    feed's categories (tags). Raises OpmlError for anything that is not OPML.
    """
    if len(data) > MAX_OPML_BYTES:
        raise OpmlError(f"{origin}: over {MAX_OPML_BYTES // (1024 * 1024)} MB; is this OPML?")
    if any(marker in data for marker in _ENTITY_DECLARATIONS):
        raise OpmlError(f"{origin}: declares XML entities, which OPML never needs; refused")
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as exc:
        raise OpmlError(f"{origin}: not valid XML ({exc}); export the OPML again") from None
    if (
        root is None
        or not isinstance(root.tag, str)
        or etree.QName(root).localname.lower() != "opml"
    ):
        raise OpmlError(f"{origin}: not an OPML file (the root element is not <opml>)")
    body = next(
        (c for c in root if isinstance(c.tag, str) and etree.QName(c).localname.lower() == "body"),
        None,
    )
    if body is None:
        raise OpmlError(f"{origin}: OPML without a <body>; nothing to import")
    feeds: list[OpmlFeed] = []

    def walk(parent: etree._Element, folders: tuple[str, ...]) -> None:
        for outline in parent:
            if (
                not isinstance(outline.tag, str)
                or etree.QName(outline).localname.lower() != "outline"
            ):
                continue
            if len(feeds) >= MAX_OUTLINES:
                raise OpmlError(f"{origin}: more than {MAX_OUTLINES} feeds; split the file")
            title = _attr(outline, "title", "text")
            xml_url = _attr(outline, "xmlUrl")
            if xml_url:
                categories = list(folders)
                for category in _attr(outline, "category").split(","):
                    category = category.strip().strip("/")
                    if category and category not in categories:
                        categories.append(category)
                feeds.append(
                    OpmlFeed(
                        title=title,
                        xml_url=xml_url,
                        html_url=_attr(outline, "htmlUrl") or None,
                        categories=tuple(categories),
                    )
                )
            walk(outline, (*folders, title) if (title and not xml_url) else folders)

    walk(body, ())
    return feeds


def render_opml(feeds: list[OpmlFeed], title: str = "aggregator subscriptions") -> str:
    """An OPML 2.0 document listing ``feeds`` (ElementTree escapes every value)."""
    root = ET.Element("opml", version="2.0")
    head = ET.SubElement(root, "head")
    ET.SubElement(head, "title").text = title
    ET.SubElement(head, "dateCreated").text = format_datetime(utcnow())
    body = ET.SubElement(root, "body")
    for feed in feeds:
        attrs = {"type": "rss", "text": feed.title, "title": feed.title, "xmlUrl": feed.xml_url}
        if feed.html_url:
            attrs["htmlUrl"] = feed.html_url
        if feed.categories:
            attrs["category"] = ",".join(feed.categories)
        ET.SubElement(body, "outline", attrs)
    ET.indent(root)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
