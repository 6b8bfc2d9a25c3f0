"""Whole crawls against a loopback site: storage, politeness, failures, state."""

from __future__ import annotations

import itertools
import json
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from crawl_site import Site, page, rss

from aggregator.cli import cli
from aggregator.config import Config, load_config
from aggregator.crawl import CrawlReport, crawl
from aggregator.crawl.lock import crawl_lock
from aggregator.match import DEFAULT_SETTINGS
from aggregator.models import Article, ImportReport
from aggregator.pipeline import store_articles
from aggregator.profiles import ensure_profiles
from aggregator.store import Store, open_store
from aggregator.timeutil import to_iso, utcnow

HTML = {"Content-Type": "text/html; charset=utf-8"}
RSS = {"Content-Type": "application/rss+xml"}
SETTINGS = """settings:
  per_host_delay: 0
  connect_timeout: 2
  read_timeout: 0.5
  total_timeout: 3
  max_response_bytes: 200000
"""


def make_config(tmp_path: Path, sources: list[dict[str, Any]], extra: str = "") -> Config:
    overridden = {line.split(":", 1)[0] for line in extra.splitlines()}
    base = [line for line in SETTINGS.splitlines() if line.split(":", 1)[0] not in overridden]
    lines = ["\n".join(base), extra.rstrip("\n"), "sources:"]
    for source in sources:
        lines.append(f"  - name: {source['name']}")
        for key, value in source.items():
            if key != "name":
                lines.append(f"    {key}: {json.dumps(value)}")
    path = tmp_path / "feeds.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return load_config(path)


def article_page(n: int, site: Site, canonical: bool = True) -> str:
    return page(
        f"Full headline number {n}",
        f"The full text of article {n} is longer than the feed summary and tells the whole story."
        f"\n\nA second paragraph for article {n} with more detail about the release.",
        canonical=site.url(f"/articles/{n}") if canonical else None,
        published="2026-11-20T10:00:00+00:00",
    )


def add_feed(site: Site, path: str, numbers: list[int], **kwargs: Any) -> None:
    items = []
    for n in numbers:
        site.add(f"/articles/{n}", article_page(n, site), headers=HTML)
        items.append(
            {
                "title": f"Headline {n}",
                "link": site.url(f"/articles/{n}?utm_source=rss&amp;ref=feed"),
                "guid": f"guid-{n}",
                "description": f"Summary {n}.",
                "pubDate": f"Thu, {10 + n % 10:02d} Nov 2026 10:00:00 +0000",
            }
        )
    kwargs.setdefault("headers", RSS)
    site.add(path, rss(items), **kwargs)


def rows(store: Store, sql: str, params: Any = ()) -> list[dict[str, Any]]:
    return store.query(sql, params)


def source_row(store: Store, name: str) -> dict[str, Any]:
    return store.source_states()[name]


def test_first_crawl_stores_pages_then_304_parses_nothing(
    site: Site, store: Store, tmp_path: Path
) -> None:
    add_feed(site, "/feed.xml", [1, 2, 3], etag='"v1"')
    config = make_config(tmp_path, [{"name": "Feed", "url": site.url("/feed.xml")}])
    first = crawl(store, config)
    assert (first.ok, first.failed, first.articles.new, first.pages_fetched) == (1, 0, 3, 3)
    stored = rows(store, "SELECT url, title, body, authors, guid FROM articles ORDER BY url")
    assert [r["url"] for r in stored] == [site.url(f"/articles/{n}") for n in (1, 2, 3)]
    assert stored[0]["title"] == "Headline 1"  # the feed's title
    assert "whole story" in stored[0]["body"]  # the page's full text
    assert not any("utm_source" in r["url"] for r in rows(store, "SELECT url FROM sightings"))
    state = source_row(store, "Feed")
    assert state["etag"] == '"v1"' and state["last_status"] == "ok" and state["next_fetch"]

    again = crawl(store, config)  # nothing due yet
    assert again.due == 0 and again.not_due == 1 and site.hits("/feed.xml") == 1
    assert "next source due" in again.summary()

    forced = crawl(store, config, force=True)
    assert (forced.unchanged, forced.parsed, forced.pages_fetched, forced.articles.new) == (
        1,
        0,
        0,
        0,
    )
    assert site.requests[-1].headers["if-none-match"] == '"v1"'
    assert source_row(store, "Feed")["last_http_status"] == 304


def test_last_modified_is_stored_as_received_and_sent_back(
    site: Site, store: Store, tmp_path: Path
) -> None:
    stamp = "Tue, 19 Nov 2026 08:00:00 GMT"
    add_feed(site, "/feed.xml", [1], last_modified=stamp)
    config = make_config(tmp_path, [{"name": "Feed", "url": site.url("/feed.xml")}])
    crawl(store, config)
    assert source_row(store, "Feed")["last_modified"] == stamp
    report = crawl(store, config, force=True)
    assert report.unchanged == 1
    assert site.requests[-1].headers["if-modified-since"] == stamp


def test_unchanged_body_without_validators_is_not_parsed_again(
    site: Site, store: Store, tmp_path: Path
) -> None:
    add_feed(site, "/feed.xml", [1])
    config = make_config(tmp_path, [{"name": "Feed", "url": site.url("/feed.xml")}])
    crawl(store, config)
    report = crawl(store, config, force=True)
    assert report.unchanged == 1 and report.parsed == 0


@pytest.mark.parametrize(
    ("status", "words"), [(404, "404"), (410, "gone for good"), (500, "HTTP 500")]
)
def test_failing_source_is_recorded_and_does_not_stop_the_others(
    site: Site, store: Store, tmp_path: Path, status: int, words: str
) -> None:
    add_feed(site, "/good.xml", [1])
    site.add("/bad.xml", "nope", status=status)
    config = make_config(
        tmp_path,
        [
            {"name": "Bad", "url": site.url("/bad.xml")},
            {"name": "Good", "url": site.url("/good.xml")},
        ],
    )
    report = crawl(store, config)
    assert (report.ok, report.failed, report.articles.new) == (1, 1, 1)
    assert "1 failed" in report.summary()
    bad = source_row(store, "Bad")
    assert bad["last_status"] == "error" and words in bad["last_error"]
    assert bad["error_count"] == 1 and bad["failing_since"] and bad["last_http_status"] == status
    assert bad["next_fetch"] > to_iso(utcnow())
    crawl(store, config, force=True)
    assert source_row(store, "Bad")["error_count"] == 2
    add_feed(site, "/bad.xml", [2])
    crawl(store, config, force=True)
    healed = source_row(store, "Bad")
    assert (healed["error_count"], healed["failing_since"], healed["last_error"]) == (0, None, None)


def test_429_retry_after_moves_the_next_fetch(site: Site, store: Store, tmp_path: Path) -> None:
    site.add("/feed.xml", "slow down", status=429, headers={"Retry-After": "7200"})
    config = make_config(tmp_path, [{"name": "Busy", "url": site.url("/feed.xml")}])
    crawl(store, config)
    next_fetch = datetime.fromisoformat(source_row(store, "Busy")["next_fetch"])
    assert next_fetch - utcnow() > timedelta(minutes=119)


def test_cache_control_max_age_moves_the_next_fetch(
    site: Site, store: Store, tmp_path: Path
) -> None:
    add_feed(site, "/feed.xml", [1], headers={**RSS, "Cache-Control": "max-age=20000"})
    config = make_config(tmp_path, [{"name": "Cached", "url": site.url("/feed.xml")}])
    crawl(store, config)
    next_fetch = datetime.fromisoformat(source_row(store, "Cached")["next_fetch"])
    assert next_fetch - utcnow() > timedelta(seconds=19000)


def test_stalling_and_oversized_sources_fail_alone(
    site: Site, store: Store, tmp_path: Path
) -> None:
    import time

    def stall(handler: Any) -> None:
        handler.send_response(200)
        handler.send_header("Content-Length", "50")
        handler.end_headers()
        time.sleep(1.5)

    site.add("/stall.xml", writer=stall)
    site.add("/huge.xml", b"<rss>" + b"x" * 300_000, headers=RSS)
    add_feed(site, "/good.xml", [1])
    config = make_config(
        tmp_path,
        [
            {"name": "Stall", "url": site.url("/stall.xml")},
            {"name": "Huge", "url": site.url("/huge.xml")},
            {"name": "Good", "url": site.url("/good.xml")},
        ],
    )
    report = crawl(store, config)
    assert (report.ok, report.failed) == (1, 2)
    assert "timed out" in source_row(store, "Stall")["last_error"]
    assert "cap" in source_row(store, "Huge")["last_error"]


def test_html_page_instead_of_feed(site: Site, store: Store, tmp_path: Path) -> None:
    site.add("/home", "<!DOCTYPE html><html><body><p>Welcome</p></body></html>", headers=HTML)
    config = make_config(tmp_path, [{"name": "Home", "url": site.url("/home")}])
    report = crawl(store, config)
    assert report.failed == 1
    assert "not a feed" in source_row(store, "Home")["last_error"]


def test_feed_discovery_remembers_the_feed_url(site: Site, store: Store, tmp_path: Path) -> None:
    add_feed(site, "/feeds/main.xml", [1, 2], etag='"d1"')
    site.add(
        "/blog",
        '<html><head><link rel="alternate" type="application/rss+xml" href="/feeds/main.xml">'
        "</head><body>Blog</body></html>",
        headers=HTML,
    )
    config = make_config(tmp_path, [{"name": "Blog", "url": site.url("/blog")}])
    assert crawl(store, config).articles.new == 2
    assert source_row(store, "Blog")["feed_url"] == site.url("/feeds/main.xml")
    report = crawl(store, config, force=True)
    assert report.unchanged == 1 and site.hits("/blog") == 1  # straight to the feed now
    result = CliRunner().invoke(cli, ["--db", str(store.path), "sources", "--json"])
    (listed,) = json.loads(result.output)
    assert listed["feed_url"] == site.url("/feeds/main.xml")
    for key in (
        "name",
        "url",
        "last_status",
        "last_error",
        "error_count",
        "last_fetched",
        "next_fetch",
    ):
        assert key in listed


def test_permanent_redirect_of_the_feed_is_remembered(
    site: Site, store: Store, tmp_path: Path
) -> None:
    add_feed(site, "/new.xml", [1])
    site.add("/old.xml", status=301, headers={"Location": "/new.xml"})
    config = make_config(tmp_path, [{"name": "Moved", "url": site.url("/old.xml")}])
    crawl(store, config)
    assert source_row(store, "Moved")["feed_url"] == site.url("/new.xml")
    crawl(store, config, force=True)
    assert site.hits("/old.xml") == 1


def test_duplicate_guids(site: Site, store: Store, tmp_path: Path) -> None:
    for n in (1, 2, 3):
        site.add(f"/articles/{n}", article_page(n, site, canonical=False), headers=HTML)
    items = [
        {"title": "Same", "link": site.url("/articles/1"), "guid": "twice"},
        {"title": "Same", "link": site.url("/articles/1"), "guid": "twice"},
        {"title": "Reused A", "link": site.url("/articles/2"), "guid": "reused"},
        {"title": "Reused B", "link": site.url("/articles/3"), "guid": "reused"},
    ]
    site.add("/feed.xml", rss(items), headers=RSS)
    config = make_config(tmp_path, [{"name": "Dups", "url": site.url("/feed.xml")}])
    report = crawl(store, config)
    assert report.articles.new == 3 and site.hits("/articles/1") == 1
    assert any("reuses" in w for w in report.warnings)
    assert crawl(store, config, force=True).articles.new == 0


def test_entry_without_link_is_skipped_with_a_warning(
    site: Site, store: Store, tmp_path: Path
) -> None:
    site.add("/articles/1", article_page(1, site), headers=HTML)
    # No link, no GUID (an RSS GUID is a permalink unless it says otherwise).
    items = [{"title": "No link here"}, {"title": "Linked", "link": site.url("/articles/1")}]
    site.add("/feed.xml", rss(items), headers=RSS)
    config = make_config(tmp_path, [{"name": "Nolink", "url": site.url("/feed.xml")}])
    report = crawl(store, config)
    assert (report.ok, report.articles.new) == (1, 1)
    state = source_row(store, "Nolink")
    assert state["last_status"] == "warning" and "no http(s) link" in state["last_warning"]


def test_robots_txt_disallowing_pages(site: Site, store: Store, tmp_path: Path) -> None:
    site.add(
        "/robots.txt",
        "User-agent: aggregator\nDisallow: /articles/2\n",
        headers={"Content-Type": "text/plain"},
    )
    add_feed(site, "/feed.xml", [1, 2])
    config = make_config(tmp_path, [{"name": "Robots", "url": site.url("/feed.xml")}])
    report = crawl(store, config)
    assert report.articles.new == 2
    assert site.hits("/articles/2") == 0 and site.hits("/articles/1") == 1
    assert site.hits("/robots.txt") == 1
    body = rows(store, "SELECT body FROM articles WHERE url LIKE '%/articles/2%'")[0]["body"]
    assert body == "Summary 2."  # kept from the feed
    assert store.pending_count() == 0  # a disallowed page is not retried


def test_link_to_a_private_address_is_not_followed(
    site: Site, store: Store, tmp_path: Path
) -> None:
    port = site.base.rsplit(":", 1)[1]
    # localhost is this very server, but under another host name than the source's.
    items = [{"title": "Sneaky", "link": f"http://localhost:{port}/internal", "guid": "s"}]
    site.add("/internal", article_page(9, site), headers=HTML)
    site.add("/feed.xml", rss(items), headers=RSS)
    config = make_config(tmp_path, [{"name": "Sneaky", "url": site.url("/feed.xml")}])
    report = crawl(store, config)
    assert site.hits("/internal") == 0
    assert report.articles.new == 1  # kept from the feed's own fields
    assert any("non-public" in w for w in report.warnings)


def _flaky_feed(site: Site, tmp_path: Path) -> Config:
    """A feed of two articles whose second page is down (503) for now."""
    add_feed(site, "/feed.xml", [1, 2], etag='"v1"')
    site.add("/articles/2", "down", status=503)
    return make_config(tmp_path, [{"name": "Flaky", "url": site.url("/feed.xml")}])


def test_failed_page_is_kept_from_the_feed_and_retried_later(
    site: Site, store: Store, tmp_path: Path
) -> None:
    config = _flaky_feed(site, tmp_path)
    report = crawl(store, config)
    assert report.articles.new == 2 and report.page_errors == 1 and store.pending_count() == 1
    assert "1 pages waiting to be fetched when their source is next due" in report.summary()
    (listed,) = json.loads(_cli(store.path, "sources", "--json").stdout)
    assert listed["pending_pages"] == 1
    site.add("/articles/2", article_page(2, site), headers=HTML)
    retry = crawl(store, config, force=True)
    assert retry.unchanged == 1 and retry.pages_fetched == 1 and retry.articles.new == 0
    assert store.pending_count() == 0
    body = rows(store, "SELECT body FROM articles WHERE url LIKE '%/articles/2%'")[0]["body"]
    assert "whole story" in body
    assert rows(store, "SELECT count(*) AS n FROM articles")[0]["n"] == 2


def test_a_page_completing_a_feed_summary_gives_the_article_its_keys(
    site: Site, store: Store, tmp_path: Path
) -> None:
    config = _flaky_feed(site, tmp_path)
    crawl(store, config)
    (article,) = rows(store, "SELECT id FROM articles WHERE url LIKE '%/articles/2%'")
    article_id = article["id"]
    story = store.stories_of([article_id])[article_id]

    def story_terms() -> set[str]:
        found = rows(
            store, "SELECT key FROM story_keys WHERE story_id = ? AND kind = 'term'", (story,)
        )
        return {row["key"] for row in found}

    def shingles() -> int:
        found = rows(
            store, "SELECT shingles FROM article_sketches WHERE article_id = ?", (article_id,)
        )
        return int(found[0]["shingles"]) if found else 0

    assert "paragraph" not in story_terms() and shingles() == 0  # the summary is short
    site.add("/articles/2", article_page(2, site), headers=HTML)
    crawl(store, config, force=True)
    assert store.stories_of([article_id])[article_id] == story  # it stays where it was
    assert "paragraph" in story_terms()  # the page's words are the story's now
    assert shingles() > 0  # and a copy of the page will be found
    stats = rows(store, "SELECT df FROM key_stats WHERE kind = 'term' AND key = 'paragraph'")
    assert [row["df"] for row in stats] == [2]  # both articles' pages say it
    # What a rebuild from the stored articles derives, but for the centroid: its
    # words are weighed (and the best of them picked) by today's counts, a rebuild
    # weighs each article by the counts of its day.
    derived = (
        "SELECT story_id, kind, key, count FROM story_keys WHERE kind != 'term' ORDER BY 1, 2, 3",
        "SELECT kind, key, df FROM key_stats WHERE df > 0 ORDER BY 1, 2",
        "SELECT * FROM article_keys ORDER BY 1, 2, 3",
        "SELECT * FROM article_lsh ORDER BY 1, 2",
        "SELECT * FROM article_sketches ORDER BY 1",
    )
    before = [rows(store, sql) for sql in derived]
    assert rows(store, "SELECT count(*) AS n FROM story_keys WHERE weight < 0")[0]["n"] == 0
    with store.transaction():
        store.set_profile_rules("older rules")
        ensure_profiles(store, DEFAULT_SETTINGS)
    assert [rows(store, sql) for sql in derived] == before


def test_a_page_never_rewrites_another_outlets_article(
    site: Site, store: Store, tmp_path: Path
) -> None:
    """The feed's summary of entry 2 is a copy of an article another outlet
    published: it is folded into that one, and its page, fetched later, completes
    nothing there."""
    text = (
        "The studio confirmed on Monday that the sequel will start shooting in Vancouver "
        "next spring with the original cast returning and a new director attached."
    )
    store_articles(
        store,
        [
            Article(
                url="https://other.example/a", title="Sequel confirmed", body=text, source="Other"
            )
        ],
        ImportReport(),
    )
    site.add("/articles/2", "down", status=503)
    site.add(
        "/feed.xml",
        rss(
            [
                {
                    "title": "Sequel confirmed for spring",
                    "link": site.url("/articles/2"),
                    "guid": "guid-2",
                    "description": text,
                }
            ]
        ),
        headers=RSS,
        etag='"v1"',
    )
    config = make_config(tmp_path, [{"name": "Flaky", "url": site.url("/feed.xml")}])
    first = crawl(store, config)
    assert first.articles.duplicates == 1 and store.pending_count() == 1
    site.add("/articles/2", article_page(2, site), headers=HTML)
    crawl(store, config, force=True)
    assert store.pending_count() == 0
    (other,) = rows(store, "SELECT body, source FROM articles")
    assert (other["body"], other["source"]) == (text, "Other")


def test_fetch_pages_off_and_page_budget(site: Site, store: Store, tmp_path: Path) -> None:
    add_feed(site, "/a.xml", [1, 2])
    add_feed(site, "/b.xml", [3, 4, 5])
    config = make_config(
        tmp_path,
        [
            {"name": "NoPages", "url": site.url("/a.xml"), "fetch_pages": False},
            {"name": "Capped", "url": site.url("/b.xml")},
        ],
        extra="  max_pages_per_source: 2\n",
    )
    report = crawl(store, config)
    assert report.articles.new == 5
    assert site.hits("/articles/1") == site.hits("/articles/2") == 0
    assert report.pages_fetched == 2 and store.pending_count("Capped") == 1
    crawl(store, config, force=True)
    assert store.pending_count() == 0


def test_page_source_with_link_selector(site: Site, store: Store, tmp_path: Path) -> None:
    for n in (1, 2):
        site.add(f"/articles/{n}", article_page(n, site), headers=HTML)
    site.add(
        "/films/",
        '<html><body><nav><a href="/about">About</a></nav><div class="list">'
        '<h2 class="t"><a href="/articles/1">One</a></h2>'
        '<h2 class="t"><a href="/articles/2">Two</a></h2>'
        "</div></body></html>",
        headers=HTML,
    )
    config = make_config(
        tmp_path,
        [
            {
                "name": "Section",
                "url": site.url("/films/"),
                "type": "page",
                "link_selector": "h2.t a",
            }
        ],
    )
    report = crawl(store, config)
    assert report.articles.new == 2 and site.hits("/about") == 0
    titles = sorted(r["title"] for r in rows(store, "SELECT title FROM articles"))
    assert titles == ["Full headline number 1", "Full headline number 2"]
    assert crawl(store, config, force=True).pages_fetched == 0  # known links are not refetched


def test_sitemap_source(site: Site, store: Store, tmp_path: Path) -> None:
    for n in (1, 2):
        site.add(f"/articles/{n}", article_page(n, site), headers=HTML)
    sitemap = (
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        + "".join(f"<url><loc>{site.url(f'/articles/{n}')}</loc></url>" for n in (1, 2))
        + "</urlset>"
    )
    site.add("/sitemap.xml", sitemap, headers={"Content-Type": "application/xml"})
    config = make_config(
        tmp_path, [{"name": "Map", "url": site.url("/sitemap.xml"), "type": "sitemap"}]
    )
    assert crawl(store, config).articles.new == 2


def test_bozo_feed_with_entries_is_stored_with_a_warning(
    site: Site, store: Store, tmp_path: Path
) -> None:
    site.add("/articles/1", article_page(1, site), headers=HTML)
    broken = rss([{"title": "Kept", "link": site.url("/articles/1")}]).replace(
        "</channel></rss>", "<item>"
    )
    site.add("/feed.xml", broken, headers=RSS)
    config = make_config(tmp_path, [{"name": "Bozo", "url": site.url("/feed.xml")}])
    report = crawl(store, config)
    assert report.ok == 1 and report.articles.new == 1
    assert "not well-formed" in source_row(store, "Bozo")["last_warning"]


def _cli(store_path: Path, *args: str) -> Any:
    return CliRunner().invoke(cli, ["--db", str(store_path), *args])


def test_cli_crawl_prints_one_summary_line_and_exits_1_on_failure(
    site: Site, tmp_path: Path
) -> None:
    add_feed(site, "/good.xml", [1])
    config = make_config(
        tmp_path,
        [
            {"name": "Good", "url": site.url("/good.xml")},
            {"name": "Gone", "url": site.url("/gone.xml")},
        ],
    )
    db = tmp_path / "cli.db"
    result = _cli(db, "crawl", "--feeds", str(config.path))
    assert result.exit_code == 1
    out_lines = result.stdout.strip().splitlines()
    assert len(out_lines) == 1 and out_lines[0].startswith(
        "Crawl: 1 sources ok, 0 unchanged, 1 failed"
    )
    assert "new articles" in out_lines[0] and " s" in out_lines[0]
    assert "failed: Gone:" in result.stderr
    ok = _cli(db, "crawl", "--feeds", str(config.path), "--source", "Good", "--all", "--json")
    assert ok.exit_code == 0 and json.loads(ok.stdout)["unchanged"] == 1
    unknown = _cli(db, "crawl", "--feeds", str(config.path), "--source", "Nope")
    assert unknown.exit_code == 1 and "no source named 'Nope'" in unknown.stderr


def test_second_crawl_while_one_runs_exits_1(site: Site, tmp_path: Path) -> None:
    add_feed(site, "/good.xml", [1])
    config = make_config(tmp_path, [{"name": "Good", "url": site.url("/good.xml")}])
    db = tmp_path / "locked.db"
    with crawl_lock(db):
        result = _cli(db, "crawl", "--feeds", str(config.path))
    assert result.exit_code == 1
    assert "another crawl is running (lock" in result.stderr
    assert site.hits("/good.xml") == 0
    assert _cli(db, "crawl", "--feeds", str(config.path)).exit_code == 0  # released


def test_sources_shows_long_failures_loudly(site: Site, store: Store, tmp_path: Path) -> None:
    config = make_config(tmp_path, [{"name": "Dead", "url": site.url("/dead.xml")}])
    crawl(store, config)
    with store.transaction():
        store.update_source_state("Dead", {"failing_since": to_iso(utcnow() - timedelta(days=3))})
    result = _cli(store.path, "sources")
    assert "!! FAILING since" in result.stdout and "(3 d)" in result.stdout
    assert "failing for more than a day: Dead" in result.stderr
    data = json.loads(_cli(store.path, "sources", "--json").stdout)
    assert data[0]["failing_days"] == pytest.approx(3, abs=0.1)


def test_report_summary_format() -> None:
    report = CrawlReport(ok=2, unchanged=1, failed=1, seconds=1.234)
    assert report.summary() == (
        "Crawl: 2 sources ok, 1 unchanged, 1 failed; 0 new articles, 0 duplicates, "
        "0 new stories; 0 pages in 1.2 s"
    )


def test_article_carried_by_two_sources_is_stored_once_with_both_sightings(
    site: Site, store: Store, tmp_path: Path
) -> None:
    site.add("/articles/1", article_page(1, site), headers=HTML)
    site.add("/one.xml", rss([{"title": "Shared", "link": site.url("/articles/1"), "guid": "a"}]))
    site.add("/two.xml", rss([{"title": "Shared", "link": site.url("/articles/1"), "guid": "b"}]))
    config = make_config(
        tmp_path,
        [
            {"name": "One", "url": site.url("/one.xml")},
            {"name": "Two", "url": site.url("/two.xml")},
        ],
        extra="  workers: 1\n",
    )
    first = crawl(store, config, names=("One",))
    report = crawl(store, config)
    assert (first.articles.new, report.articles.new, report.articles.duplicates) == (1, 0, 1)
    assert site.hits("/articles/1") == 1  # already stored: Two's copy needs no page
    sources = {r["source"] for r in rows(store, "SELECT source FROM sightings")}
    assert sources == {"One", "Two"}
    site.add("/two.xml", rss([{"title": "Shared!", "link": site.url("/articles/1"), "guid": "b"}]))
    again = crawl(store, config, force=True)
    assert (again.articles.new, again.articles.duplicates) == (0, 0)


def test_one_request_at_a_time_per_host_with_the_delay_between(
    site: Site, store: Store, tmp_path: Path
) -> None:
    import threading
    import time

    active = {"now": 0, "max": 0}
    starts: list[float] = []
    lock = threading.Lock()

    def counted(body: bytes) -> Any:
        def write(handler: Any) -> None:
            with lock:
                active["now"] += 1
                active["max"] = max(active["max"], active["now"])
                starts.append(time.monotonic())
            time.sleep(0.03)
            with lock:
                active["now"] -= 1
            handler.send_response(200)
            handler.send_header("Content-Type", "application/rss+xml")
            handler.send_header("Content-Length", str(len(body)))
            handler.end_headers()
            handler.wfile.write(body)

        return write

    sources = []
    for n in range(4):
        site.add(f"/f{n}.xml", writer=counted(rss([]).encode()))
        sources.append({"name": f"F{n}", "url": site.url(f"/f{n}.xml")})
    config = make_config(tmp_path, sources, extra="  workers: 4\n  per_host_delay: 0.1\n")
    report = crawl(store, config)
    assert report.ok == 4
    assert active["max"] == 1
    gaps = [b - a for a, b in itertools.pairwise(starts)]
    assert min(gaps) >= 0.1 + 0.03 - 0.01


def test_crawl_delay_and_per_source_user_agent(site: Site, store: Store, tmp_path: Path) -> None:
    import time

    site.add(
        "/robots.txt",
        "User-agent: *\nCrawl-delay: 1\n",
        headers={"Content-Type": "text/plain"},
    )
    add_feed(site, "/feed.xml", [1, 2])
    config = make_config(
        tmp_path, [{"name": "Polite", "url": site.url("/feed.xml"), "user_agent": "tester/2.0"}]
    )
    started = time.monotonic()
    assert crawl(store, config).articles.new == 2
    assert time.monotonic() - started >= 1.0  # the two pages were a Crawl-delay apart
    assert {r.headers["user-agent"] for r in site.requests} == {"tester/2.0"}


def test_a_password_in_a_source_url_stays_out_of_messages(tmp_path: Path) -> None:
    feeds = tmp_path / "feeds.yaml"
    feeds.write_text(
        "sources:\n  - name: Private\n    url: http://alice:s3cret@127.0.0.1:9/feed.xml\n"
    )
    with open_store(tmp_path / "db.sqlite") as store:
        report = crawl(store, load_config(feeds))
        state = store.source_states()["Private"]
    assert report.failed == 1
    assert "s3cret" not in " ".join(report.errors) and "***@127.0.0.1" in report.errors[0]
    assert "s3cret" not in (state["last_error"] or "")
