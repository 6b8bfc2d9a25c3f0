"""URLs that cannot be parsed (bad port, broken IPv6 literal) or used (no host, a
space in it): one bad link never fails its source, a bad canonical link falls back
to where the page was fetched, bad feed URLs are refused in one line, and feeds.yaml
is checked for them (and for bad link_selectors, contradictory intervals) at load."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from crawl_site import Site, page, rss

from aggregator.cli import cli
from aggregator.config import Config, load_config
from aggregator.crawl import crawl
from aggregator.errors import ConfigError
from aggregator.feeds_file import NewSource, add_sources, plan_additions
from aggregator.models import Article
from aggregator.normalize.urls import InvalidURLError, canonicalize_url, check_http_url
from aggregator.prepare import identity_url
from aggregator.store import Store

HTML = {"Content-Type": "text/html; charset=utf-8"}
RSS = {"Content-Type": "application/rss+xml"}
BAD_URLS = [
    ("http://127.0.0.1:99999/x", "0 to 65535"),
    ("http://example.com:abc/x", "not a number"),
    ("http://[::1/x", "IPv6"),
]


def write_feeds(tmp_path: Path, sources: list[dict[str, Any]], settings: str = "") -> Path:
    lines = ["settings:", "  per_host_delay: 0", "  read_timeout: 2", "  total_timeout: 4"]
    lines += [f"  {line}" for line in settings.splitlines()]
    lines.append("sources:")
    for source in sources:
        lines.append(f"  - name: {json.dumps(source['name'])}")
        lines += [f"    {k}: {json.dumps(v)}" for k, v in source.items() if k != "name"]
    path = tmp_path / "feeds.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def config_for(tmp_path: Path, sources: list[dict[str, Any]], settings: str = "") -> Config:
    return load_config(write_feeds(tmp_path, sources, settings))


def long_page(title: str, canonical: str | None = None) -> str:
    return page(title, f"{title}: the whole story, much longer than any summary. " * 8, canonical)


# -- the contract ---------------------------------------------------------------------


@pytest.mark.parametrize(("url", "words"), BAD_URLS)
def test_canonicalize_url_raises_one_clear_error(url: str, words: str) -> None:
    with pytest.raises(InvalidURLError) as caught:
        canonicalize_url(url)
    assert isinstance(caught.value, ValueError)
    assert url in str(caught.value) and words in str(caught.value)


@pytest.mark.parametrize(
    "url", ["http://", "https:///feed", "http://exa mple.com/feed", "ftp://example.com/"]
)
def test_check_http_url_refuses_unusable_addresses(url: str) -> None:
    with pytest.raises(InvalidURLError):
        check_http_url(url)
    assert check_http_url(" https://Example.com:8080/feed ") == "https://Example.com:8080/feed"


def test_identity_url_skips_an_unparseable_canonical_url() -> None:
    article = Article(
        title="T",
        body="b",
        url="http://example.com/story?utm_source=x",
        source="S",
        canonical_url="http://example.com:99999/story",
    )
    assert identity_url(article) == "http://example.com/story"


# -- crawling -------------------------------------------------------------------------


@pytest.mark.parametrize(("bad", "words"), BAD_URLS)
@pytest.mark.parametrize("fetch_pages", [True, False])
def test_one_bad_entry_link_is_skipped_and_the_rest_stored(
    site: Site, store: Store, tmp_path: Path, bad: str, words: str, fetch_pages: bool
) -> None:
    for n in (1, 3):
        site.add(f"/a/{n}", long_page(f"Good film story number {n}"), headers=HTML)
    items = [
        {"title": "Good film story number 1", "link": site.url("/a/1"), "guid": "g1"},
        {"title": "Bad port entry", "link": bad, "guid": "g2"},
        {"title": "Good film story number 3", "link": site.url("/a/3"), "guid": "g3"},
    ]
    site.add("/feed.xml", rss(items), headers=RSS)
    config = config_for(
        tmp_path, [{"name": "BP", "url": site.url("/feed.xml"), "fetch_pages": fetch_pages}]
    )
    for _ in range(2):  # and again: the bad link does not fail later crawls either
        report = crawl(store, config, force=True)
        assert (report.ok + report.unchanged, report.failed) == (1, 0), report.errors
    stored = {row["url"] for row in store.query("SELECT url FROM articles")}
    assert stored == {site.url("/a/1"), site.url("/a/3")}
    state = store.source_states()["BP"]
    assert state["last_status"] in ("warning", "unchanged") and not state["last_error"]


def test_bad_entry_link_warning_names_the_source(
    site: Site, store: Store, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    items = [
        {"title": "Good film story", "link": site.url("/a/1"), "guid": "g1"},
        {"title": "Bad port entry", "link": "http://127.0.0.1:99999/x", "guid": "g2"},
    ]
    site.add("/feed.xml", rss(items), headers=RSS)
    config = config_for(tmp_path, [{"name": "BP", "url": site.url("/feed.xml")}])
    report = crawl(store, config)
    assert report.articles.new == 1
    [warning] = [w for w in report.warnings if "99999" in w]
    assert warning.startswith("BP: ") and "Bad port entry" in warning and "\n" not in warning
    assert "port" in (store.source_states()["BP"]["last_warning"] or "")
    assert any(r.levelname == "WARNING" and "BP" in r.getMessage() for r in caplog.records)


def test_bad_canonical_url_falls_back_to_the_fetched_url(
    site: Site, store: Store, tmp_path: Path
) -> None:
    site.add(
        "/a/badcanon",
        long_page("Bad canonical film news", canonical="http://127.0.0.1:99999/story"),
        headers=HTML,
    )
    site.add("/a/c1", long_page("Good entry film news"), headers=HTML)
    items = [
        {"title": "Good entry film news", "link": site.url("/a/c1"), "guid": "c1"},
        {"title": "Bad canonical film news", "link": site.url("/a/badcanon"), "guid": "bc"},
    ]
    site.add("/feed.xml", rss(items), headers=RSS)
    config = config_for(tmp_path, [{"name": "BC", "url": site.url("/feed.xml")}])
    report = crawl(store, config)
    assert (report.ok, report.failed, report.articles.new) == (1, 0, 2), report.errors
    stored = {row["url"] for row in store.query("SELECT url FROM articles")}
    assert stored == {site.url("/a/c1"), site.url("/a/badcanon")}
    assert crawl(store, config, force=True).articles.new == 0  # recognised next time


def test_bad_links_on_a_section_page_are_skipped(site: Site, store: Store, tmp_path: Path) -> None:
    site.add("/a/s1", long_page("Section film story one"), headers=HTML)
    links = (
        '<article><h2><a href="/a/s1">Section film story one</a></h2></article>'
        '<article><h2><a href="http://127.0.0.1:99999/s2">Bad port story</a></h2></article>'
    )
    site.add("/section", f"<html><body>{links}</body></html>", headers=HTML)
    config = config_for(
        tmp_path,
        [{"name": "Sec", "url": site.url("/section"), "type": "page", "link_selector": "h2 a"}],
    )
    report = crawl(store, config)
    assert (report.ok, report.failed, report.articles.new) == (1, 0, 1), report.errors
    assert any("99999" in w for w in report.warnings)


def test_cli_crawl_with_a_bad_link_prints_no_traceback(site: Site, tmp_path: Path) -> None:
    items = [
        {"title": "Good film story", "link": site.url("/a/1"), "guid": "g1"},
        {"title": "Bad port entry", "link": "http://127.0.0.1:99999/x", "guid": "g2"},
    ]
    site.add("/feed.xml", rss(items), headers=RSS)
    feeds = write_feeds(tmp_path, [{"name": "BP", "url": site.url("/feed.xml")}])
    db = str(tmp_path / "cli.db")
    result = CliRunner().invoke(cli, ["--db", db, "crawl", "--feeds", str(feeds)])
    assert result.exit_code == 0, result.output
    assert "1 sources ok" in result.output and "Traceback" not in result.output


# -- feeds add and OPML -----------------------------------------------------------------


@pytest.mark.parametrize(
    "url", ["http://x.example:99999/rss", "http://[::1/rss", "http://", "http://exa mple.com/"]
)
@pytest.mark.parametrize("discover", [True, False])
def test_feeds_add_reports_a_bad_url_in_one_line(tmp_path: Path, url: str, discover: bool) -> None:
    feeds = tmp_path / "feeds.yaml"
    args = ["feeds", "add", url, "--feeds", str(feeds)] + ([] if discover else ["--no-discover"])
    result = CliRunner().invoke(cli, args)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert "Traceback" not in result.output
    lines = [line for line in result.output.splitlines() if url in line]
    assert len(lines) == 1 and "not a valid URL" in lines[0]
    assert not feeds.exists() or url not in feeds.read_text(encoding="utf-8")


def test_plan_additions_skips_bad_urls_and_keeps_the_rest() -> None:
    candidates = [
        NewSource("Good", "https://good.example/feed"),
        NewSource("Port", "http://x.example:99999/rss"),
        NewSource("V6", "http://[::1/rss"),
        NewSource("Empty", "http://"),
        NewSource("Good2", "https://good2.example/feed"),
    ]
    result = plan_additions((), candidates)
    assert [s.name for s in result.added] == ["Good", "Good2"]
    assert len(result.skipped) == 3 and all("not a valid URL" in s for s in result.skipped)


def test_opml_import_skips_bad_outlines_and_adds_the_rest(tmp_path: Path) -> None:
    outlines = [
        ("Good", "https://good.example/feed"),
        ("BadPort", "http://x.example:99999/rss"),
        ("BadV6", "http://[::1/rss"),
        ("Empty", "http://"),
        ("Space", "http://exa mple.com/feed"),
        ("Good2", "https://good2.example/feed"),
    ]
    body = "".join(f'<outline text="{t}" xmlUrl="{u}"/>' for t, u in outlines)
    opml = tmp_path / "subs.opml"
    opml.write_text(
        f'<?xml version="1.0"?><opml version="2.0"><head/><body>{body}</body></opml>',
        encoding="utf-8",
    )
    feeds = tmp_path / "feeds.yaml"
    result = CliRunner().invoke(cli, ["feeds", "import-opml", str(opml), "--feeds", str(feeds)])
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    assert [s.name for s in load_config(feeds).sources] == ["Good", "Good2"]
    for title in ("BadPort", "BadV6", "Empty", "Space"):
        assert sum(title in line for line in result.output.splitlines()) == 1


# -- feeds.yaml validation ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "words"),
    [
        ({"url": "http://"}, ["'url'", "no host"]),
        ({"url": "http://exa mple.com/feed"}, ["'url'", "space"]),
        ({"url": "http://example.com:99999/feed"}, ["'url'", "65535"]),
        ({"url": "http://[::1/feed"}, ["'url'", "IPv6"]),
        (
            {"url": "http://example.com/", "type": "page", "link_selector": "a["},
            ["'link_selector'", "not a valid CSS selector"],
        ),
    ],
)
def test_feeds_yaml_with_an_unusable_source_is_refused_at_load(
    tmp_path: Path, source: dict[str, Any], words: list[str]
) -> None:
    # Refused as the file is read: by every command that loads it.
    with pytest.raises(ConfigError) as caught:
        config_for(
            tmp_path, [{"name": "Ok", "url": "https://ok.example/"}, {"name": "Bad", **source}]
        )
    message = str(caught.value)
    assert message.startswith(str(tmp_path / "feeds.yaml")) and "source 'Bad'" in message
    for word in words:
        assert word in message
    with pytest.raises(ConfigError):
        add_sources(tmp_path / "feeds.yaml", [NewSource("New", "https://new.example/feed")])


def test_min_interval_longer_than_max_interval_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="'min_interval' \\(2d\\) is longer than 'max_interval'"):
        config_for(
            tmp_path,
            [{"name": "Ok", "url": "https://ok.example/"}],
            "min_interval: 2d\nmax_interval: 1h",
        )


def test_cli_crawl_refuses_a_bad_feeds_yaml_in_one_line(tmp_path: Path) -> None:
    feeds = write_feeds(tmp_path, [{"name": "Empty", "url": "http://"}])
    db = str(tmp_path / "cli.db")
    result = CliRunner().invoke(cli, ["--db", db, "crawl", "--feeds", str(feeds)])
    assert result.exit_code == 1
    assert "source 'Empty'" in result.output and "no host" in result.output
    assert "Traceback" not in result.output
