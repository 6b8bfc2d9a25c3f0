"""A feed served with an HTML media type is still a feed; no bs4 warning on XML."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest
from click.testing import CliRunner
from crawl_site import Site, page, rss

from aggregator.cli import cli
from aggregator.config import Config, load_config
from aggregator.crawl import crawl
from aggregator.parse.feed import parse_feed
from aggregator.parse.links import feed_links, is_html_page, looks_like_feed, section_links
from aggregator.store import Store

HTML = {"Content-Type": "text/html; charset=utf-8"}
SETTINGS = "settings:\n  per_host_delay: 0\n  read_timeout: 2\n  total_timeout: 5\n"


def config_for(tmp_path: Path, url: str) -> Config:
    path = tmp_path / "feeds.yaml"
    path.write_text(f"{SETTINGS}sources:\n  - name: Feed\n    url: {url}\n", encoding="utf-8")
    return load_config(path)


def _feed(site: Site) -> str:
    site.add("/a/1", page("Served as html", "The whole article text. " * 20), headers=HTML)
    return rss(
        [{"title": "Served as html", "link": site.url("/a/1"), "guid": "h1", "description": "x"}]
    )


@pytest.mark.parametrize(
    "body",
    [
        b'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel/></rss>',
        b'\xef\xbb\xbf\n<?xml version="1.0"?>\n<!-- generator -->\n<!DOCTYPE rss PUBLIC '
        b'"-//Netscape Communications//DTD RSS 0.91//EN" "http://x.example/rss.dtd">\n'
        b'<rss version="0.91">',
        b'<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title></feed>',
        b'<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">',
        '<?xml version="1.0" encoding="utf-16"?><rss version="2.0">'.encode("utf-16"),
    ],
)
def test_rss_atom_rdf_bodies_are_feeds_whatever_the_media_type(body: bytes) -> None:
    assert looks_like_feed(body)
    assert not is_html_page(body, "text/html")


@pytest.mark.parametrize(
    "body",
    [
        b"<!DOCTYPE html><html><head><title>x</title></head></html>",
        b'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"/>',
        b"<html><body><feed>not a feed</feed></body></html>",
        b"",
    ],
)
def test_other_documents_are_not_feeds(body: bytes) -> None:
    assert not looks_like_feed(body)
    assert is_html_page(body, "text/html")


def test_reading_links_of_an_xml_document_does_not_warn() -> None:
    xml = '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel/></rss>'
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert feed_links(xml, "http://site.example/") == []
        assert section_links(xml, "http://site.example/", "a") == []


def test_parse_feed_served_as_html_is_not_called_malformed() -> None:
    body = rss([{"title": "Film news", "link": "http://site.example/a", "guid": "g"}])
    parsed = parse_feed(body.encode(), {"content-type": "text/html; charset=utf-8"}, "http://s/")
    assert len(parsed.entries) == 1 and parsed.warnings == ()


def test_crawl_reads_a_feed_served_as_text_html(site: Site, store: Store, tmp_path: Path) -> None:
    site.add("/feed-as-html", _feed(site), headers=HTML)
    report = crawl(store, config_for(tmp_path, site.url("/feed-as-html")))
    assert (report.ok, report.failed, report.articles.new) == (1, 0, 1), report.errors
    state = store.source_states()["Feed"]
    assert state["last_status"] == "ok" and state["last_warning"] is None


def test_crawl_cli_prints_no_bs4_warning_for_xml_served_as_html(site: Site, tmp_path: Path) -> None:
    # Not a feed, but XML served as HTML: one error line, no multi-line library warning.
    site.add("/not-a-feed", '<?xml version="1.0"?><catalog><item>x</item></catalog>', headers=HTML)
    config = config_for(tmp_path, site.url("/not-a-feed"))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = CliRunner().invoke(
            cli, ["--db", str(tmp_path / "c.db"), "crawl", "--feeds", str(config.path)]
        )
    assert [str(w.message)[:60] for w in caught] == []
    assert result.exit_code == 1
    assert "Warning" not in result.stderr
    assert [line for line in result.stderr.splitlines() if line.startswith("failed:")] == [
        line for line in result.stderr.splitlines() if line.strip()
    ]
