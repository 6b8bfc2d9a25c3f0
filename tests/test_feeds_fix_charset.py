"""A server's Latin-1 charset does not beat the XML declaration of the real encoding."""

from __future__ import annotations

from pathlib import Path

import pytest
from crawl_site import Site, rss

from aggregator.config import load_config
from aggregator.crawl import crawl
from aggregator.parse.feed import choose_encoding, parse_feed
from aggregator.store import open_store

CASES = [
    ("오징어 게임 시즌 3 공개", "euc-kr", "text/xml; charset=iso-8859-1"),
    ("映画の公開日が決定", "shift_jis", "application/rss+xml; charset=ISO-8859-1"),
    ("Премьера фильма", "windows-1251", "text/xml; charset=windows-1252"),
]


def _doc(title: str, encoding: str) -> bytes:
    item = {"title": title, "link": "http://news.example/a", "guid": "g1"}
    return rss([item], encoding=encoding).encode(encoding)


@pytest.mark.parametrize(("title", "encoding", "content_type"), CASES)
def test_latin_http_charset_loses_to_the_xml_declaration(
    title: str, encoding: str, content_type: str
) -> None:
    feed = parse_feed(_doc(title, encoding), {"content-type": content_type}, "http://f.example/")
    assert feed.entries[0].title == title
    assert len(feed.warnings) == 1 and "overridden" in feed.warnings[0]
    assert encoding in feed.warnings[0]


def test_correct_latin1_declarations_stay_quiet() -> None:
    doc = _doc("Amélie café crème", "iso-8859-1")
    feed = parse_feed(doc, {"content-type": "text/xml; charset=iso-8859-1"}, "http://f.example/")
    assert feed.entries[0].title == "Amélie café crème" and feed.warnings == ()
    # ASCII bytes: nothing to decide, nothing to warn about.
    assert choose_encoding(b"<?xml version='1.0' encoding='euc-kr'?><rss/>", "iso-8859-1") == (
        "iso-8859-1",
        None,
    )


def test_declaration_that_does_not_decode_leaves_the_latin_header() -> None:
    # Latin-1 bytes wrongly declared as Shift_JIS in the document: the header wins.
    doc = _doc("Amélie café crème", "iso-8859-1").replace(b"iso-8859-1", b"shift_jis", 1)
    assert doc.decode("latin-1").count("shift_jis") == 1
    with pytest.raises(UnicodeDecodeError):
        doc.decode("shift_jis")
    assert choose_encoding(doc, "iso-8859-1") == ("iso-8859-1", None)


def test_utf8_header_that_does_not_fit_is_reported() -> None:
    doc = _doc("Amélie café crème", "iso-8859-1")
    feed = parse_feed(doc, {"content-type": "text/xml; charset=utf-8"}, "http://f.example/")
    assert feed.entries[0].title == "Amélie café crème"
    assert feed.warnings == (
        "HTTP charset utf-8 does not fit the content; read as iso-8859-1 as its XML "
        "declaration says",
    )


def test_crawl_stores_euc_kr_and_shift_jis_feeds_readably_with_a_warning(tmp_path: Path) -> None:
    with Site().running() as site, open_store(tmp_path / "db.sqlite") as store:
        lines = ["settings: {per_host_delay: 0, fetch_pages: false}", "sources:"]
        for n, (title, encoding, content_type) in enumerate(CASES[:2]):
            site.add(
                f"/f{n}",
                _doc(title, encoding).replace(b"news.example/a", b"n.example/%d" % n),
                headers={"Content-Type": content_type},
            )
            lines.append(f"  - {{name: S{n}, url: '{site.url(f'/f{n}')}'}}")
        path = tmp_path / "feeds.yaml"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        report = crawl(store, load_config(path))
        assert (report.ok, report.failed, report.articles.new) == (2, 0, 2), report.errors
        titles = {r["title"] for r in store.query("SELECT title FROM articles")}
        assert titles == {CASES[0][0], CASES[1][0]}
        states = store.source_states()
        for name in ("S0", "S1"):
            assert states[name]["last_status"] == "warning"
            assert "HTTP charset iso-8859-1 overridden" in states[name]["last_warning"]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-8-sig"])
@pytest.mark.parametrize(
    "header", ["text/xml; charset=iso-8859-1", "text/xml", "text/xml; charset=windows-1252"]
)
def test_a_byte_order_mark_beats_the_http_charset(encoding: str, header: str) -> None:
    title = "발레리나 premiere: Jeon Jong-seo"
    text = rss([{"title": title, "link": "http://news.example/a", "guid": "g1"}], encoding="utf-16")
    doc = text.encode(encoding)
    if encoding == "utf-16-be":
        doc = b"\xfe\xff" + doc
    feed = parse_feed(doc, {"content-type": header}, "http://f.example/")
    assert feed.entries[0].title == title
