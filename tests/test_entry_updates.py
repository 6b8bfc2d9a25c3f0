"""A feed entry seen again under its GUID with a new headline or a longer text
updates the stored article: its text, search row, keys and story profile."""

from __future__ import annotations

from pathlib import Path

from crawl_site import Site, page, rss

from aggregator.config import load_config
from aggregator.crawl import crawl
from aggregator.models import Article, ImportReport
from aggregator.pipeline import store_articles
from aggregator.store import open_store

HTML = {"Content-Type": "text/html; charset=utf-8"}
RSS = {"Content-Type": "application/rss+xml"}
FIRST = "Exhuma passed five million admissions on Sunday, its second weekend. " * 4
LATER = FIRST + "On Wednesday it passed eight million, the year's fastest film to do so. " * 2


def entry(title: str, body: str) -> Article:
    return Article(
        url="https://wire.example/exhuma",
        title=title,
        body=body,
        guid="wire-101",
        source="Wire",
    )


def test_an_updated_entry_updates_its_article(tmp_path: Path) -> None:
    with open_store(tmp_path / "u.db") as store:
        store_articles(store, [entry("'Exhuma' passes five million", FIRST)], ImportReport())
        story = store.scalar("SELECT story_id FROM story_members WHERE article_id = 1")
        report = ImportReport()
        store_articles(store, [entry("'Exhuma' passes eight million", LATER)], report)
        row = store.query("SELECT title, body FROM articles")[0]
        found = store.search('"eight million"', all_articles=True)
        member = store.scalar("SELECT story_id FROM story_members WHERE article_id = 1")
        # Seen again unchanged, or with a shorter summary: nothing changes.
        store_articles(store, [entry("'Exhuma' passes eight million", FIRST)], ImportReport())
        kept = store.query("SELECT title, body FROM articles")[0]
    assert report.new == 0
    assert row == {"title": "'Exhuma' passes eight million", "body": LATER}
    assert [h["url"] for h in found] == ["https://wire.example/exhuma"]
    assert member == story
    assert kept == row


def test_a_crawl_updates_an_entry_whose_headline_changed(tmp_path: Path) -> None:
    feeds = tmp_path / "feeds.yaml"
    with Site().running() as site, open_store(tmp_path / "c.db") as store:
        source = f"  - {{name: Wire, url: '{site.url('/f.xml')}'}}\n"
        feeds.write_text(f"settings: {{per_host_delay: 0}}\nsources:\n{source}", encoding="utf-8")
        site.add("/a/1", page("Exhuma passes five million", FIRST), headers=HTML)
        item = {"title": "Exhuma passes five million", "link": site.url("/a/1"), "guid": "w-1"}
        site.add("/f.xml", rss([item]), headers=RSS)
        crawl(store, load_config(feeds), force=True)
        item["title"] = "Exhuma passes eight million"
        site.add("/f.xml", rss([item]), headers=RSS)
        crawl(store, load_config(feeds), force=True)
        titles = [r["title"] for r in store.query("SELECT title FROM articles")]
        found = store.search("eight", all_articles=True)
    assert titles == ["Exhuma passes eight million"]
    assert len(found) == 1
