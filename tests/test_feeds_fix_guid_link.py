"""Only an absolute http(s) GUID may stand in for an entry's missing link."""

from __future__ import annotations

from pathlib import Path

import pytest
from crawl_site import Site, page

from aggregator.config import load_config
from aggregator.crawl import crawl
from aggregator.parse.feed import parse_feed
from aggregator.store import open_store

RSS = {"Content-Type": "application/rss+xml"}
HTML = {"Content-Type": "text/html; charset=utf-8"}


def feed(item: str, base: str = "http://feeds.example/") -> bytes:
    return (
        f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>T</title>'
        f"<link>{base}</link><item><title>Opaque guid film news</title>{item}"
        "<description>x</description></item>"
        "<item><title>Linked film news</title><link>http://feeds.example/ok</link></item>"
        "</channel></rss>"
    ).encode()


def urls(item: str) -> tuple[list[str], tuple[str, ...]]:
    parsed = parse_feed(feed(item), {"content-type": "application/rss+xml"}, "http://f.example/x")
    return [e.url for e in parsed.entries], parsed.skipped


@pytest.mark.parametrize(
    "item",
    [
        "<guid>12345</guid>",
        '<guid isPermaLink="true">12345</guid>',
        '<guid isPermaLink="false">12345</guid>',
        "<guid>/relative/path</guid>",
        "<guid>urn:uuid:1b4e28ba-2fa1-11d2-883f-0016d3cca427</guid>",
        "<link>javascript:alert(1)</link><guid>12345</guid>",
    ],
)
def test_entry_without_a_link_or_url_guid_is_skipped(item: str) -> None:
    found, skipped = urls(item)
    assert found == ["http://feeds.example/ok"]
    assert len(skipped) == 1 and "has no http(s) link" in skipped[0]


@pytest.mark.parametrize(
    "item",
    [
        "<guid>http://news.example/story/1</guid>",
        '<guid isPermaLink="false">http://news.example/story/1</guid>',
        "<link>http://news.example/story/1</link><guid>12345</guid>",
        "<guid>12345</guid><link>http://news.example/story/1</link>",
    ],
)
def test_entry_with_a_link_or_url_guid_is_kept(item: str) -> None:
    found, skipped = urls(item)
    assert found == ["http://news.example/story/1", "http://feeds.example/ok"]
    assert skipped == ()


def test_crawl_does_not_fetch_a_bare_guid_as_a_page(tmp_path: Path) -> None:
    with Site().running() as site, open_store(tmp_path / "db.sqlite") as store:
        site.add("/ok", page("Linked film news", "The article text. " * 30), headers=HTML)
        body = feed("<guid>12345</guid>").replace(
            b"http://feeds.example/ok", site.url("/ok").encode()
        )
        site.add("/feed.xml", body, headers=RSS)
        path = tmp_path / "feeds.yaml"
        url = site.url("/feed.xml")
        path.write_text(f"settings: {{per_host_delay: 0}}\nsources:\n  - name: F\n    url: {url}\n")
        report = crawl(store, load_config(path))
        assert (report.ok, report.failed, report.articles.new) == (1, 0, 1)
        assert site.hits("/12345") == 0
        assert [r["url"] for r in store.query("SELECT url FROM articles")] == [site.url("/ok")]
        assert "has no http(s) link" in (store.source_states()["F"]["last_warning"] or "")
