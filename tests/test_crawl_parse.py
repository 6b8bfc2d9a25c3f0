"""Feed, sitemap and link parsing (pure: bytes in, entries out) and scheduling maths."""

from __future__ import annotations

import gzip
import random
from datetime import UTC, datetime, timedelta

import pytest

from aggregator.config import Settings, SourceConfig
from aggregator.errors import ParseError
from aggregator.parse.feed import choose_encoding, html_to_text, parse_feed
from aggregator.parse.links import feed_links, looks_like_html, section_links
from aggregator.parse.sitemap import parse_sitemap
from aggregator.schedule import (
    MAX_ERROR_BACKOFF,
    Bounds,
    adapt_interval,
    next_after_error,
    next_after_success,
)

FEED_URL = "https://news.example/feeds/all.xml"
RSS2 = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>Example</title>
<item><title>First &amp; foremost</title><link>/story/1?utm_source=rss</link>
<guid isPermaLink="false">id-1</guid><pubDate>Tue, 19 Nov 2026 10:00:00 +0000</pubDate>
<dc:creator>Han Ji-min</dc:creator>
<description>&lt;p&gt;One paragraph.&lt;/p&gt;&lt;script&gt;alert(1)&lt;/script&gt;
&lt;p&gt;Two.&lt;/p&gt;</description>
</item></channel></rss>"""
ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Atom example</title><id>urn:x</id>
<updated>2026-11-20T00:00:00Z</updated>
<entry><title type="html">A &lt;em&gt;bold&lt;/em&gt; title</title><id>urn:x:1</id>
<link rel="alternate" href="https://news.example/a/1"/><published>2026-11-20T00:00:00Z</published>
<updated>2026-11-20T01:00:00Z</updated><author><name>Kim</name></author><author><name>Lee</name></author>
<summary>short</summary><content type="html">&lt;p&gt;The longer content wins.&lt;/p&gt;</content>
</entry></feed>"""
RDF = """<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/">
<channel rdf:about="https://news.example/"><title>RDF</title><link>https://news.example/</link>
<description>d</description></channel>
<item rdf:about="https://news.example/r/1"><title>RDF item</title><link>https://news.example/r/1</link>
<description>Body of the RDF item.</description></item></rdf:RDF>"""
RSS091 = """<?xml version="1.0"?><rss version="0.91"><channel><title>Old</title>
<link>https://news.example/</link><description>d</description>
<item><title>Old item</title><link>https://news.example/o/1</link><description>Text</description></item>
</channel></rss>"""
XML = {"content-type": "application/rss+xml"}


def test_rss2_entry_fields() -> None:
    feed = parse_feed(RSS2.encode(), XML, FEED_URL, "Example")
    assert feed.title == "Example" and not feed.warnings
    (entry,) = feed.entries
    assert entry.title == "First & foremost"
    assert entry.url == "https://news.example/story/1?utm_source=rss"  # relative link resolved
    assert entry.guid == "id-1"
    assert entry.published == datetime(2026, 11, 19, 10, tzinfo=UTC)
    assert entry.authors == ("Han Ji-min",)
    assert entry.body == "One paragraph.\n\nTwo."
    assert entry.source == "Example"


def test_atom_entry_prefers_fuller_content_and_keeps_authors() -> None:
    (entry,) = parse_feed(ATOM.encode(), {"content-type": "application/atom+xml"}, FEED_URL).entries
    assert entry.title == "A bold title"
    assert entry.body == "The longer content wins."
    assert entry.authors == ("Kim", "Lee")
    assert entry.updated == datetime(2026, 11, 20, 1, tzinfo=UTC)


@pytest.mark.parametrize(("doc", "title"), [(RDF, "RDF item"), (RSS091, "Old item")])
def test_rss_1_0_and_0_91(doc: str, title: str) -> None:
    (entry,) = parse_feed(doc.encode(), {"content-type": "text/xml"}, FEED_URL).entries
    assert entry.title == title and entry.url.startswith("https://news.example/")


def test_utf8_feed_declared_as_latin1_is_read_as_utf8_with_a_warning() -> None:
    doc = RSS2.replace("First &amp; foremost", "Jeon Jong-seo — 전종서").replace(
        'encoding="utf-8"', 'encoding="iso-8859-1"'
    )
    feed = parse_feed(
        doc.encode("utf-8"), {"content-type": "text/xml; charset=iso-8859-1"}, FEED_URL
    )
    assert feed.entries[0].title == "Jeon Jong-seo — 전종서"
    assert any("UTF-8" in w for w in feed.warnings)


def test_latin1_feed_declared_as_utf8_is_still_read() -> None:
    doc = RSS2.replace("First &amp; foremost", "Café society")
    feed = parse_feed(doc.encode("latin-1"), {"content-type": "text/xml; charset=utf-8"}, FEED_URL)
    assert feed.entries[0].title == "Café society"
    assert feed.warnings


def test_choose_encoding_trusts_a_correct_declaration() -> None:
    assert choose_encoding("é".encode("latin-1"), "iso-8859-1") == ("iso-8859-1", None)
    assert choose_encoding(b"plain ascii", None) == ("utf-8", None)


def test_bozo_feed_with_entries_is_kept_with_a_warning() -> None:
    broken = RSS2.replace("</channel></rss>", "<item><title>Second</title><link>/s/2</link></item>")
    feed = parse_feed(broken.encode(), XML, FEED_URL)
    assert len(feed.entries) >= 1
    assert any("not well-formed" in w for w in feed.warnings)


def test_document_without_entries_is_an_error() -> None:
    with pytest.raises(ParseError, match="no feed entries"):
        parse_feed(b"<html><body>Hello</body></html>", {"content-type": "text/html"}, FEED_URL)
    with pytest.raises(ParseError):
        parse_feed(b"<rss><channel><item>", XML, FEED_URL)


def test_empty_but_valid_feed_is_not_an_error() -> None:
    empty = '<?xml version="1.0"?><rss version="2.0"><channel><title>Quiet</title></channel></rss>'
    assert parse_feed(empty.encode(), XML, FEED_URL).entries == ()


def test_entry_without_link_is_skipped_but_a_permalink_guid_serves_as_link() -> None:
    doc = RSS2.replace("<link>/story/1?utm_source=rss</link>", "").replace(
        "</channel>",
        "<item><title>Permalink</title><guid>https://news.example/p/9</guid></item></channel>",
    )
    feed = parse_feed(doc.encode(), XML, FEED_URL)
    assert [e.url for e in feed.entries] == ["https://news.example/p/9"]
    assert len(feed.skipped) == 1 and "no http(s) link" in feed.skipped[0]


def test_html_to_text_keeps_paragraphs_and_drops_scripts() -> None:
    text = html_to_text(
        "<div><p>One <b>bold</b></p><script>x()</script><ul><li>a</li><li>b</li></ul></div>"
    )
    assert text.split("\n\n") == ["One bold", "a", "b"]
    assert html_to_text("plain") == "plain"


def test_feed_discovery_links() -> None:
    html = """<html><head><base href="https://news.example/section/">
    <link rel="alternate" type="application/rss+xml" href="feed.xml">
    <link rel="Alternate stylesheet" type="application/atom+xml" href="/atom">
    <link rel="alternate" type="text/html" href="/other"></head></html>"""
    assert feed_links(html, "https://news.example/") == [
        "https://news.example/section/feed.xml",
        "https://news.example/atom",
    ]


def test_looks_like_html() -> None:
    assert looks_like_html(b"  <!DOCTYPE html><html>", "application/xml")
    assert looks_like_html(b"<rss/>", "text/html")
    assert not looks_like_html(b"<?xml version='1.0'?><rss/>", "text/xml")


def test_section_links_with_a_selector() -> None:
    html = """<main><article><h2><a href="/a/1#top">One</a></h2></article>
    <article><h2><a href="https://news.example/a/2">Two</a></h2></article>
    <article><h2><a href="javascript:void(0)">Bad</a></h2></article>
    <article><h2><a href="/a/1">One again</a></h2></article></main>"""
    links = section_links(html, "https://news.example/films/", "article h2")
    assert links == [("https://news.example/a/1", "One"), ("https://news.example/a/2", "Two")]
    with pytest.raises(ParseError, match="not a valid CSS selector"):
        section_links(html, "https://news.example/", "article >>> a")


NEWS_SITEMAP = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
<url><loc>https://news.example/old</loc><news:news><news:publication_date>2026-11-01T10:00:00Z</news:publication_date><news:title>Old</news:title></news:news></url>
<url><loc>https://news.example/new</loc><news:news><news:publication_date>2026-11-20T10:00:00Z</news:publication_date><news:title>New</news:title></news:news></url>
<url><loc>https://news.example/undated</loc></url>
</urlset>"""


def test_news_sitemap_newest_first() -> None:
    sitemap = parse_sitemap(NEWS_SITEMAP)
    assert [e.url.rsplit("/", 1)[1] for e in sitemap.entries] == ["new", "old", "undated"]
    assert sitemap.entries[0].title == "New"
    assert parse_sitemap(gzip.compress(NEWS_SITEMAP)).entries == sitemap.entries


def test_sitemap_index_and_hostile_input() -> None:
    index = b"""<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
    <sitemap><loc>https://news.example/s1.xml</loc><lastmod>2026-01-01</lastmod></sitemap>
    <sitemap><loc>https://news.example/s2.xml</loc><lastmod>2026-06-01</lastmod></sitemap></sitemapindex>"""
    assert [c.url[-6:] for c in parse_sitemap(index).children] == ["s2.xml", "s1.xml"]
    xxe = b"""<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>
    <urlset><url><loc>https://news.example/&e;</loc></url></urlset>"""
    for entry in parse_sitemap(xxe).entries:
        assert "root:" not in entry.url
    with pytest.raises(ParseError):
        parse_sitemap(b"<html></html>")


SOURCE = SourceConfig(name="S", url="https://news.example/feed")
BOUNDS = Bounds.from_settings(
    Settings(min_interval="15m", max_interval="1d", default_interval="1h")
)
NOW = datetime(2026, 11, 21, 12, tzinfo=UTC)


def test_interval_follows_posting_rate_within_bounds() -> None:
    hourly = [NOW - timedelta(hours=h) for h in range(10)]
    assert adapt_interval(SOURCE, BOUNDS, None, hourly, True, NOW) == 1800
    every_minute = [NOW - timedelta(minutes=m) for m in range(10)]
    assert adapt_interval(SOURCE, BOUNDS, None, every_minute, True, NOW) == 900  # min
    weekly = [NOW - timedelta(days=7 * w) for w in range(5)]
    assert adapt_interval(SOURCE, BOUNDS, None, weekly, False, NOW) == 86400  # max
    gone_quiet = [NOW - timedelta(days=30, hours=h) for h in range(10)]
    assert adapt_interval(SOURCE, BOUNDS, None, gone_quiet, False, NOW) == 86400
    assert adapt_interval(SOURCE, BOUNDS, 3600, [], False, NOW) == 5400  # no dates: grows
    assert adapt_interval(SOURCE, BOUNDS, 3600, [], True, NOW) == 1800  # news: shrinks
    fixed = SourceConfig(name="F", url="https://x/", interval="2h")
    assert adapt_interval(fixed, BOUNDS, None, hourly, True, NOW) == 7200


def test_error_backoff_grows_and_is_capped_at_a_day() -> None:
    rng = random.Random(1)
    first = next_after_error(NOW, 3600, 1, None, rng) - NOW
    third = next_after_error(NOW, 3600, 3, None, rng) - NOW
    assert timedelta(minutes=50) < first < timedelta(minutes=70)
    assert third > 2 * first
    assert next_after_error(NOW, 3600, 500, None, rng) - NOW == MAX_ERROR_BACKOFF
    assert next_after_error(NOW, 60, 1, 7200, rng) - NOW == timedelta(hours=2)  # Retry-After
    assert next_after_error(NOW, 60, 1, 10**9, rng) - NOW == timedelta(days=7)


def test_max_age_pushes_the_next_fetch() -> None:
    rng = random.Random(2)
    assert next_after_success(NOW, 900, 7200, BOUNDS, rng) - NOW == timedelta(hours=2)
    assert next_after_success(NOW, 900, 10**8, BOUNDS, rng) - NOW == timedelta(days=1)
    assert next_after_success(NOW, 900, None, BOUNDS, rng) - NOW <= timedelta(seconds=900)
