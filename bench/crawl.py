"""Crawl benchmark on loopback: many feeds with their article pages.

Not a timed test: it prints figures for the README. The site runs in a separate
process (so the crawler does not share its interpreter), spread over several
loopback addresses (127.0.0.1, 127.0.0.2, ...) so that the per-host politeness
gate lets the workers run in parallel, as with real, different outlets.

    python bench/crawl.py [--feeds 200] [--items 20] [--hosts 4] [--workers 4]

Reports the first crawl (wall time, pages/s) and a forced recrawl when nothing
changed (every feed answers 304), whose goal is < 5% of the first crawl's time
with nothing parsed.
"""

from __future__ import annotations

import argparse
import hashlib
import multiprocessing
import sys
import tempfile
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from aggregator.config import load_config
from aggregator.crawl import crawl
from aggregator.store import open_store

WORDS = (
    "premiere", "festival", "trailer", "season", "casting", "director", "studio", "release",
    "streaming", "episode", "finale", "review", "box", "office", "sequel", "series", "drama",
    "thriller", "comedy",
)  # fmt: skip


def article_html(feed: int, item: int) -> bytes:
    rng = hashlib.sha256(f"{feed}-{item}".encode()).digest()
    words = [WORDS[b % len(WORDS)] for b in rng]
    paragraphs = "".join(
        f"<p>Paragraph {p} of story {feed}-{item}: {' '.join(words[p:] + words[:p])}.</p>"
        for p in range(6)
    )
    return (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"<title>Outlet {feed} reports story {item} of the week</title>"
        f'<meta property="article:published_time" '
        f'content="2026-11-{1 + item % 28:02d}T10:00:00+00:00">'
        f"</head><body><main><article><h1>Outlet {feed} reports story {item} of the week</h1>"
        f"{paragraphs}</article></main></body></html>"
    ).encode()


def feed_xml(base: str, feed: int, items: int) -> bytes:
    entries = "".join(
        f"<item><title>Outlet {feed} story {i}</title><link>{base}/f{feed}/a{i}</link>"
        f"<guid isPermaLink='false'>f{feed}-a{i}</guid>"
        f"<pubDate>Sat, {1 + i % 28:02d} Nov 2026 10:00:00 +0000</pubDate>"
        f"<description>Summary of story {i}.</description></item>"
        for i in range(items)
    )
    return (
        f"<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel>"
        f"<title>Outlet {feed}</title><link>{base}/</link>{entries}</channel></rss>"
    ).encode()


def serve(host: str, port_queue: Any, items: int) -> None:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:
            pass

        def do_GET(self) -> None:
            base = f"http://{self.headers['Host']}"
            parts = self.path.strip("/").split("/")
            if len(parts) == 2 and parts[1] == "feed.xml":
                etag = f'"{parts[0]}-v1"'
                if self.headers.get("If-None-Match") == etag:
                    self.send_response(304)
                    self.send_header("ETag", etag)
                    self.end_headers()
                    return
                body, kind = feed_xml(base, int(parts[0][1:]), items), "application/rss+xml"
            elif len(parts) == 2 and parts[1].startswith("a"):
                body, kind = article_html(int(parts[0][1:]), int(parts[1][1:])), "text/html"
                etag = None
            else:
                self.send_response(404)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", f"{kind}; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            if etag:
                self.send_header("ETag", etag)
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer((host, 0), Handler)
    server.daemon_threads = True
    port_queue.put((host, server.server_address[1]))
    server.serve_forever(0.1)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--feeds", type=int, default=200)
    parser.add_argument("--items", type=int, default=20)
    parser.add_argument("--hosts", type=int, default=4, help="loopback addresses to spread over")
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args()

    ports: Any = multiprocessing.Queue()
    servers = [
        multiprocessing.Process(
            target=serve, args=(f"127.0.0.{h + 1}", ports, args.items), daemon=True
        )
        for h in range(args.hosts)
    ]
    for process in servers:
        process.start()
    bases = [f"http://{host}:{port}" for host, port in (ports.get(timeout=10) for _ in servers)]
    try:
        with tempfile.TemporaryDirectory() as tmp:
            feeds = Path(tmp) / "feeds.yaml"
            lines = [
                "settings:",
                "  per_host_delay: 0",
                f"  workers: {args.workers}",
                f"  max_pages_per_source: {args.items}",
                "sources:",
            ]
            for f in range(args.feeds):
                lines += [
                    f"  - name: outlet-{f}",
                    f"    url: {bases[f % len(bases)]}/f{f}/feed.xml",
                ]
            feeds.write_text("\n".join(lines) + "\n", encoding="utf-8")
            config = load_config(feeds)
            with open_store(Path(tmp) / "bench.db") as store:
                started = time.perf_counter()
                first = crawl(store, config)
                first_s = time.perf_counter() - started
                started = time.perf_counter()
                again = crawl(store, config, force=True)
                again_s = time.perf_counter() - started
    finally:
        for process in servers:
            process.terminate()
    pages = first.pages_fetched
    print(f"feeds={args.feeds} items={args.items} hosts={args.hosts} workers={args.workers}")
    print(
        f"first crawl:   {first_s:7.2f} s  {pages} pages  {pages / first_s:6.1f} pages/s  "
        f"{first.articles.new} new articles  {first.failed} failed"
    )
    print(
        f"recrawl (304): {again_s:7.2f} s  {again.unchanged} unchanged  {again.parsed} parsed  "
        f"{again.pages_fetched} pages  = {100 * again_s / first_s:.1f}% of the first crawl"
    )
    ok = again.parsed == 0 and again_s < 0.05 * first_s and first.failed == 0
    print("goal (recrawl < 5% of first, nothing parsed):", "met" if ok else "NOT met")
    return 0


if __name__ == "__main__":
    sys.exit(main())
