"""feeds add: discovery through <link rel="alternate"> against a local server."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from pytest_httpserver import HTTPServer

from aggregator.cli import cli
from aggregator.config import Settings, load_config
from aggregator.discovery import discover, feed_links
from aggregator.errors import FetchError

RSS = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>Screen Notes</title>
<link>http://example.invalid/</link><description>d</description>
<item><title>One</title><link>http://example.invalid/1</link></item></channel></rss>"""

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Atom Notes</title><id>urn:x</id>
<updated>2026-01-01T00:00:00Z</updated></feed>"""

PAGE = """<!DOCTYPE html><html><head><title>Screen Notes - home</title>
<link rel="stylesheet" href="/style.css">
<link rel="alternate" type="application/rss+xml" title="RSS" href="/feed.xml">
<link rel="alternate" type="application/atom+xml" href="atom.xml">
</head><body><p>Hello</p></body></html>"""

SETTINGS = Settings(connect_timeout=2.0, read_timeout=2.0)


def test_feed_links_resolve_relative_urls() -> None:
    assert feed_links(PAGE.encode(), "http://site.example/news/") == [
        "http://site.example/feed.xml",
        "http://site.example/news/atom.xml",
    ]
    assert feed_links(b"\x00\xff not html", "http://x.example/") == []


def test_discover_from_a_page(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/").respond_with_data(PAGE, content_type="text/html")
    httpserver.expect_request("/feed.xml").respond_with_data(
        RSS, content_type="application/rss+xml"
    )
    found = discover(httpserver.url_for("/"), SETTINGS)
    assert found.url == httpserver.url_for("/feed.xml")
    assert found.title == "Screen Notes"
    assert found.page_url == httpserver.url_for("/")


def test_discover_a_feed_directly_and_skip_broken_candidates(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/atom").respond_with_data(ATOM, content_type="application/atom+xml")
    assert discover(httpserver.url_for("/atom"), SETTINGS).title == "Atom Notes"
    httpserver.expect_request("/page").respond_with_data(PAGE, content_type="text/html")
    httpserver.expect_request("/feed.xml").respond_with_data("gone", status=404)
    httpserver.expect_request("/atom.xml").respond_with_data(ATOM)
    assert discover(httpserver.url_for("/page"), SETTINGS).url == httpserver.url_for("/atom.xml")


def test_no_feed_is_a_clear_error(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/plain").respond_with_data(
        "<html><head><title>x</title></head><body>no feeds</body></html>",
        content_type="text/html",
    )
    with pytest.raises(FetchError, match="neither a feed nor a page that links one"):
        discover(httpserver.url_for("/plain"), SETTINGS)
    httpserver.expect_request("/missing").respond_with_data("", status=404)
    with pytest.raises(FetchError, match="HTTP 404"):
        discover(httpserver.url_for("/missing"), SETTINGS)


def test_feeds_add_cli(httpserver: HTTPServer, tmp_path: Path) -> None:
    httpserver.expect_request("/").respond_with_data(PAGE, content_type="text/html")
    httpserver.expect_request("/feed.xml").respond_with_data(
        RSS, content_type="application/rss+xml"
    )
    feeds = tmp_path / "feeds.yaml"
    feeds.write_text("# mine\nsources:\n  - name: Old\n    url: https://old.example/rss\n")
    runner = CliRunner()
    result = runner.invoke(
        cli, ["feeds", "add", httpserver.url_for("/"), "--feeds", str(feeds), "--tag", "film"]
    )
    assert result.exit_code == 0, result.output
    assert "Found feed" in result.output and "Added Screen Notes" in result.output
    sources = load_config(feeds).sources
    assert [(s.name, s.url, s.tags) for s in sources][-1] == (
        "Screen Notes",
        httpserver.url_for("/feed.xml"),
        ("film",),
    )
    assert feeds.read_text().startswith("# mine\n")
    again = runner.invoke(cli, ["feeds", "add", httpserver.url_for("/"), "--feeds", str(feeds)])
    assert "Added 0, skipped 1" in again.output
    manual = runner.invoke(
        cli,
        [
            "feeds",
            "add",
            "https://manual.example/rss",
            "--no-discover",
            "--name",
            "Manual",
            "--feeds",
            str(feeds),
        ],
    )
    assert manual.exit_code == 0 and load_config(feeds).sources[-1].name == "Manual"
    bad = runner.invoke(cli, ["feeds", "add", "ftp://x.example/", "--feeds", str(feeds)])
    assert bad.exit_code == 2


def test_links_to_private_addresses_on_other_hosts_are_refused(httpserver: HTTPServer) -> None:
    # The page is on localhost (typed by the person: trusted); a feed link or a
    # redirect to another host that is loopback or private is not followed.
    assert httpserver.url_for("/").startswith("http://localhost:")
    other = f"http://127.0.0.1:{httpserver.port}/feed.xml"
    page = f'<html><head><link rel="alternate" type="application/rss+xml" href="{other}">'
    httpserver.expect_request("/page").respond_with_data(page, content_type="text/html")
    httpserver.expect_request("/moved").respond_with_data(
        "", status=302, headers={"Location": other}
    )
    with pytest.raises(FetchError, match="non-public address"):
        discover(httpserver.url_for("/page"), SETTINGS)
    with pytest.raises(FetchError, match="non-public address"):
        discover(httpserver.url_for("/moved"), SETTINGS)
    assert not any(req.path == "/feed.xml" for req, _ in httpserver.log)


def test_redirects_on_the_same_host_are_followed(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/old").respond_with_data(
        "", status=301, headers={"Location": "/feed.xml"}
    )
    httpserver.expect_request("/feed.xml").respond_with_data(RSS)
    assert discover(httpserver.url_for("/old"), SETTINGS).title == "Screen Notes"


def test_a_feed_too_large_to_check_says_how_to_add_it(httpserver: HTTPServer) -> None:
    big = b"<?xml version='1.0'?><rss><channel><title>Big</title>" + b" " * (6 * 1024 * 1024)
    httpserver.expect_request("/big.xml").respond_with_data(big, content_type="application/xml")
    with pytest.raises(FetchError, match="add it with --no-discover --name NAME"):
        discover(httpserver.url_for("/big.xml"), Settings())


def test_a_feed_that_moved_for_good_is_added_at_its_new_address(httpserver: HTTPServer) -> None:
    feed = b"<?xml version='1.0'?><rss version='2.0'><channel><title>Moved</title></channel></rss>"
    httpserver.expect_request("/new.xml").respond_with_data(feed, content_type="application/xml")
    httpserver.expect_request("/old.xml").respond_with_data(
        "", status=301, headers={"Location": httpserver.url_for("/new.xml")}
    )
    found = discover(httpserver.url_for("/old.xml"), Settings())
    assert found.url == httpserver.url_for("/new.xml") and found.title == "Moved"
