"""A crawl killed with SIGKILL halfway loses nothing and stores nothing twice.

Each source's articles and fetch state are committed together, so the next crawl
picks up exactly the sources the killed one had not finished.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from crawl_site import Site, page, rss

FEEDS = 12
ITEMS = 4
PAGE_DELAY = 0.08  # seconds per page, so the crawl is long enough to kill halfway


def _slow_page(body: bytes) -> Callable[[Any], None]:
    def write(handler: Any) -> None:
        time.sleep(PAGE_DELAY)
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html; charset=utf-8")
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    return write


def _build(site: Site) -> str:
    lines = ["settings:", "  per_host_delay: 0", "  workers: 2", "sources:"]
    for f in range(FEEDS):
        items = []
        for i in range(ITEMS):
            path = f"/s{f}/a{i}"
            html = page(
                f"Story {f}-{i} headline", f"Text of story {f} {i}, long enough to keep.\n\nMore."
            )
            site.add(path, writer=_slow_page(html.encode()))
            items.append({"title": f"Story {f}-{i}", "link": site.url(path), "guid": f"s{f}-{i}"})
        site.add(
            f"/s{f}/feed.xml",
            rss(items),
            headers={"Content-Type": "application/rss+xml"},
            etag=f'"e{f}"',
        )
        lines += [f"  - name: Source {f}", f"    url: {site.url(f'/s{f}/feed.xml')}"]
    return "\n".join(lines) + "\n"


def _count(db: Path, sql: str) -> int:
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as conn:
            return int(conn.execute(sql).fetchone()[0])
    except sqlite3.OperationalError:
        return 0  # not created or not migrated yet


def _crawl(db: Path, feeds: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "aggregator",
            "--db",
            str(db),
            "crawl",
            "--feeds",
            str(feeds),
            *extra,
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_sigkill_halfway_then_recrawl(tmp_path: Path) -> None:
    db = tmp_path / "kill.db"
    feeds = tmp_path / "feeds.yaml"
    with Site().running() as site:
        feeds.write_text(_build(site), encoding="utf-8")
        proc = subprocess.Popen(
            [sys.executable, "-m", "aggregator", "--db", str(db), "crawl", "--feeds", str(feeds)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 60
        done_sql = "SELECT count(*) FROM sources WHERE last_ok IS NOT NULL"
        while _count(db, done_sql) < 2 and time.monotonic() < deadline:
            time.sleep(0.02)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
        finished = _count(db, done_sql)
        assert 2 <= finished < FEEDS, "the kill should land halfway through the crawl"
        assert _count(db, "SELECT count(*) FROM articles") == finished * ITEMS

        second = _crawl(db, feeds)  # only the sources not finished are due
        assert second.returncode == 0, second.stderr
        assert f"{FEEDS - finished} sources ok" in second.stdout

        third = _crawl(db, feeds, "--all")
        assert f"0 sources ok, {FEEDS} unchanged" in third.stdout
        assert "0 new articles, 0 duplicates" in third.stdout

    assert _count(db, "SELECT count(*) FROM articles") == FEEDS * ITEMS
    assert _count(db, "SELECT count(DISTINCT guid) FROM articles") == FEEDS * ITEMS
    assert _count(db, "SELECT count(*) FROM sightings WHERE match = 'original'") == FEEDS * ITEMS
    assert _count(db, "SELECT count(*) FROM sources WHERE last_status != 'unchanged'") == 0
    assert _count(db, "SELECT count(*) FROM pending_pages") == 0


def test_every_keeps_crawling_until_interrupted(tmp_path: Path) -> None:
    db = tmp_path / "every.db"
    feeds = tmp_path / "feeds.yaml"
    with Site().running() as site:
        site.add("/feed.xml", rss([{"title": "One", "link": site.url("/a")}]), etag='"x"')
        site.add("/a", page("One headline here", "Some text that is long enough.\n\nAnd more."))
        feeds.write_text(
            "settings:\n  per_host_delay: 0\nsources:\n"
            f"  - name: S\n    url: {site.url('/feed.xml')}\n",
            encoding="utf-8",
        )
        command = ["crawl", "--feeds", str(feeds), "--all", "--every", "1s"]
        proc = subprocess.Popen(
            [sys.executable, "-m", "aggregator", "--db", str(db), *command],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        assert proc.stdout is not None
        watchdog = threading.Timer(30, proc.kill)  # a hung crawl ends the reads below
        watchdog.start()
        summaries: list[str] = []
        while len(summaries) < 2:
            line = proc.stdout.readline()
            if not line:
                break
            if line.startswith("Crawl:"):
                summaries.append(line)
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=30)
        watchdog.cancel()
    assert proc.returncode == 0, err
    assert len(summaries) == 2 and "1 unchanged" in summaries[1]
    assert "Stopped." in err
