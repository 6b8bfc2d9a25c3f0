"""The HTTP client against a real server on 127.0.0.1: statuses, limits, redirects."""

from __future__ import annotations

import gzip
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler

import pytest
from crawl_site import Site

from aggregator.config import Settings
from aggregator.errors import FetchError
from aggregator.fetch import HostGate, HttpClient, HTTPStatusError, TooLargeError, check_link
from aggregator.fetch.http import content_type_charset, parse_max_age, parse_retry_after
from aggregator.fetch.safety import is_public_address

FAST = Settings(
    per_host_delay=0.0,
    connect_timeout=2.0,
    read_timeout=0.5,
    total_timeout=3.0,
    max_response_bytes=64 * 1024,
    max_redirects=3,
)


@pytest.fixture
def client() -> Iterator[HttpClient]:
    with HttpClient(FAST) as http:
        yield http


def test_200_returns_bytes_headers_and_charset(site: Site, client: HttpClient) -> None:
    site.add("/feed", "<rss/>", headers={"Content-Type": "application/rss+xml; charset=ISO-8859-1"})
    result = client.get(site.url("/feed"), user_agent="custom-agent/1.0")
    assert result.status == 200
    assert result.content == b"<rss/>"
    assert result.charset == "ISO-8859-1"
    assert result.content_type == "application/rss+xml"
    assert site.requests[-1].headers["user-agent"] == "custom-agent/1.0"


def test_default_user_agent_names_the_project(site: Site, client: HttpClient) -> None:
    site.add("/feed", "x")
    client.get(site.url("/feed"))
    agent = site.requests[-1].headers["user-agent"]
    assert agent.startswith("aggregator/") and "https://" in agent


def test_304_via_etag_sends_the_validator_back_exactly(site: Site, client: HttpClient) -> None:
    site.add("/feed", "body", etag='W/"abc 1"')
    first = client.get(site.url("/feed"))
    assert first.etag == 'W/"abc 1"'
    second = client.get(site.url("/feed"), etag=first.etag)
    assert second.not_modified and second.status == 304 and second.content == b""
    assert site.requests[-1].headers["if-none-match"] == 'W/"abc 1"'


def test_304_via_last_modified(site: Site, client: HttpClient) -> None:
    stamp = "Wed, 20 Nov 2026 10:00:00 GMT"
    site.add("/feed", "body", last_modified=stamp)
    first = client.get(site.url("/feed"))
    second = client.get(site.url("/feed"), last_modified=first.last_modified)
    assert second.not_modified
    assert site.requests[-1].headers["if-modified-since"] == stamp


def test_301_302_chain_is_followed(site: Site, client: HttpClient) -> None:
    site.add("/old", status=301, headers={"Location": "/middle"})
    site.add("/middle", status=302, headers={"Location": site.url("/new")})
    site.add("/new", "arrived")
    result = client.get(site.url("/old"))
    assert result.content == b"arrived"
    assert result.final_url == site.url("/new")
    assert result.redirects == (site.url("/middle"), site.url("/new"))
    assert result.permanent_url is None  # one hop was temporary


def test_permanent_chain_is_reported(site: Site, client: HttpClient) -> None:
    site.add("/old", status=301, headers={"Location": "/new"})
    site.add("/new", "arrived")
    assert client.get(site.url("/old")).permanent_url == site.url("/new")


def test_redirect_loop_is_an_error(site: Site, client: HttpClient) -> None:
    site.add("/a", status=302, headers={"Location": "/b"})
    site.add("/b", status=302, headers={"Location": "/a"})
    with pytest.raises(FetchError, match="redirect loop"):
        client.get(site.url("/a"))


def test_too_many_redirects(site: Site, client: HttpClient) -> None:
    for i in range(6):
        site.add(f"/r{i}", status=302, headers={"Location": f"/r{i + 1}"})
    with pytest.raises(FetchError, match="more than 3 redirects"):
        client.get(site.url("/r0"))


@pytest.mark.parametrize(
    ("status", "words"), [(404, "does not exist"), (410, "gone"), (500, "500")]
)
def test_error_statuses(site: Site, client: HttpClient, status: int, words: str) -> None:
    site.add("/x", "nope", status=status)
    with pytest.raises(HTTPStatusError, match=words) as caught:
        client.get(site.url("/x"))
    assert caught.value.status == status
    assert site.url("/x") in str(caught.value)


def test_429_carries_retry_after(site: Site, client: HttpClient) -> None:
    site.add("/x", "slow down", status=429, headers={"Retry-After": "120"})
    with pytest.raises(HTTPStatusError) as caught:
        client.get(site.url("/x"))
    assert caught.value.status == 429 and caught.value.retry_after == 120


def _stall(handler: BaseHTTPRequestHandler) -> None:
    handler.send_response(200)
    handler.send_header("Content-Length", "100")
    handler.end_headers()
    handler.wfile.write(b"partial")
    handler.wfile.flush()
    time.sleep(2)


def test_server_that_stalls_times_out(site: Site, client: HttpClient) -> None:
    site.add("/stall", writer=_stall)
    started = time.monotonic()
    with pytest.raises(FetchError, match="timed out"):
        client.get(site.url("/stall"))
    assert time.monotonic() - started < 1.9


def _drip(handler: BaseHTTPRequestHandler) -> None:
    handler.send_response(200)
    handler.send_header("Content-Length", "1000")
    handler.end_headers()
    for _ in range(40):
        handler.wfile.write(b"x")
        handler.wfile.flush()
        time.sleep(0.1)


def test_slow_drip_hits_the_total_deadline(site: Site) -> None:
    settings = Settings(per_host_delay=0.0, read_timeout=0.5, total_timeout=1.0)
    site.add("/drip", writer=_drip)
    with HttpClient(settings) as http, pytest.raises(FetchError, match="longer than 1 s"):
        http.get(site.url("/drip"))


def test_body_over_the_cap(site: Site, client: HttpClient) -> None:
    site.add("/big", b"x" * (FAST.max_response_bytes + 1))
    with pytest.raises(TooLargeError, match="cap"):
        client.get(site.url("/big"))


def _chunked_big(handler: BaseHTTPRequestHandler) -> None:
    handler.send_response(200)
    handler.send_header("Transfer-Encoding", "chunked")
    handler.end_headers()
    chunk = b"y" * 8192
    for _ in range(20):
        handler.wfile.write(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
    handler.wfile.write(b"0\r\n\r\n")


def test_body_over_the_cap_without_content_length(site: Site, client: HttpClient) -> None:
    site.add("/chunked", writer=_chunked_big)
    with pytest.raises(TooLargeError):
        client.get(site.url("/chunked"))


def test_gzip_bomb_is_capped_after_decompression(site: Site, client: HttpClient) -> None:
    bomb = gzip.compress(b"\0" * (20 * 1024 * 1024))
    assert len(bomb) < FAST.max_response_bytes  # small on the wire
    site.add("/bomb", bomb, headers={"Content-Encoding": "gzip", "Content-Type": "text/xml"})
    with pytest.raises(TooLargeError, match="after decompression"):
        client.get(site.url("/bomb"))


def test_gzip_body_is_decompressed(site: Site, client: HttpClient) -> None:
    site.add("/gz", gzip.compress(b"<rss>hello</rss>"), headers={"Content-Encoding": "gzip"})
    assert client.get(site.url("/gz")).content == b"<rss>hello</rss>"


def test_connection_refused_names_the_url(client: HttpClient) -> None:
    with pytest.raises(FetchError, match=r"http://127\.0\.0\.1:9/feed: connection refused"):
        client.get("http://127.0.0.1:9/feed")


def test_redirect_to_private_address_is_refused_by_the_hop_check(
    site: Site, client: HttpClient
) -> None:
    site.add("/go", status=302, headers={"Location": "http://localhost:9/admin"})
    trusted = frozenset({f"127.0.0.1:{site.url('').rsplit(':', 1)[1]}"})
    with pytest.raises(FetchError, match="non-public"):
        client.get(site.url("/go"), check_hop=lambda url: check_link(url, trusted))
    assert all(r.path != "/admin" for r in site.requests)


def test_link_safety_rules() -> None:
    assert not is_public_address("10.0.0.1")
    assert not is_public_address("192.168.1.1")
    assert not is_public_address("169.254.169.254")
    assert not is_public_address("127.0.0.1")
    assert not is_public_address("::1")
    assert not is_public_address("::ffff:10.0.0.1")
    assert not is_public_address("0.0.0.0")
    assert is_public_address("93.184.216.34")
    with pytest.raises(FetchError, match="non-public"):
        check_link("http://10.1.2.3/page")
    with pytest.raises(FetchError, match="non-public"):
        check_link("http://[fe80::1]/page")
    with pytest.raises(FetchError, match="only http and https"):
        check_link("file:///etc/passwd")
    with pytest.raises(FetchError, match="only http and https"):
        check_link("ftp://example.com/x")
    check_link("http://127.0.0.1:8080/page", frozenset({"127.0.0.1:8080"}))  # same host: fine


def test_host_gate_spaces_requests_to_one_host() -> None:
    gate = HostGate(0.2)
    started = time.monotonic()
    for _ in range(3):
        with gate.slot("a:80"):
            pass
    assert time.monotonic() - started >= 0.4
    started = time.monotonic()
    with gate.slot("b:80"):
        pass
    assert time.monotonic() - started < 0.1


def test_header_helpers() -> None:
    assert content_type_charset('text/xml; charset="utf-8"') == "utf-8"
    assert content_type_charset("text/xml") is None
    assert parse_retry_after("30") == 30
    assert parse_retry_after("soon") is None
    later = parse_retry_after("Wed, 21 Oct 2099 07:28:00 GMT")
    assert later is not None and later > 0
    assert parse_max_age("public, max-age=600") == 600
    assert parse_max_age("max-age=600, s-maxage=60") == 60
    assert parse_max_age("no-cache, max-age=600") is None


def test_robots_rules_and_crawl_delay(site: Site, client: HttpClient) -> None:
    from aggregator.fetch import RobotsCache

    site.add(
        "/robots.txt",
        "User-agent: *\nDisallow: /private/\nCrawl-delay: 2\n",
        headers={"Content-Type": "text/plain"},
    )
    robots = RobotsCache(client, "aggregator/0.1")
    allowed = robots.check(site.url("/news/1"))
    assert allowed.allowed and allowed.crawl_delay == 2
    denied = robots.check(site.url("/private/x"))
    assert not denied.allowed and not denied.temporary
    assert site.hits("/robots.txt") == 1  # cached per host


def test_robots_server_error_defers_pages(site: Site, client: HttpClient) -> None:
    from aggregator.fetch import RobotsCache

    site.add("/robots.txt", "oops", status=500)
    verdict = RobotsCache(client, "aggregator/0.1").check(site.url("/news/1"))
    assert not verdict.allowed and verdict.temporary


def test_peer_check_refuses_a_name_that_resolved_to_a_private_address(
    site: Site, client: HttpClient
) -> None:
    from aggregator.fetch import check_peer

    site.add("/x", "secret")
    # As if a public name had been checked, then re-resolved to 127.0.0.1 (DNS rebinding).
    with pytest.raises(FetchError, match="now resolves to a non-public address"):
        client.get(site.url("/x"), check_peer=lambda url, ip: check_peer(url, ip))
    trusted = frozenset({site.base.removeprefix("http://")})
    assert client.get(site.url("/x"), check_peer=lambda u, ip: check_peer(u, ip, trusted)).content
