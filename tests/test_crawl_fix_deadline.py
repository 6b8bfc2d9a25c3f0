"""total_timeout bounds the whole download (headers included), and stopping a crawl
cuts the downloads in flight: Ctrl-C and SIGTERM end the process at once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from crawl_site import Site, rss

from aggregator.cli import cli
from aggregator.config import Settings, load_config
from aggregator.crawl import crawl
from aggregator.errors import FetchError
from aggregator.fetch import HttpClient
from aggregator.store import open_store

FAST = Settings(per_host_delay=0.0, connect_timeout=2.0, read_timeout=1.0, total_timeout=1.5)


@pytest.fixture
def release() -> Iterator[threading.Event]:
    """Set at the end of a test: lets every stalled handler return."""
    event = threading.Event()
    yield event
    event.set()


def _drip_header_value(release: threading.Event, seconds: float = 20) -> Callable[[Any], None]:
    """One header whose value arrives a byte every 0.2 s: no read ever times out."""

    def write(handler: Any) -> None:
        try:
            handler.wfile.write(b"HTTP/1.1 200 OK\r\nX-A: ")
            handler.wfile.flush()
            end = time.monotonic() + seconds
            while time.monotonic() < end and not release.wait(0.2):
                handler.wfile.write(b"a")
                handler.wfile.flush()
        except OSError:
            pass
        handler.close_connection = True

    return write


def _drip_header_lines(release: threading.Event, seconds: float = 20) -> Callable[[Any], None]:
    def write(handler: Any) -> None:
        try:
            handler.wfile.write(b"HTTP/1.1 200 OK\r\n")
            end, number = time.monotonic() + seconds, 0
            while time.monotonic() < end and not release.wait(0.2):
                handler.wfile.write(b"X-Pad-%d: a\r\n" % number)
                handler.wfile.flush()
                number += 1
        except OSError:
            pass
        handler.close_connection = True

    return write


def _stall(release: threading.Event) -> Callable[[Any], None]:
    """Accepts the request and answers nothing until released."""

    def write(handler: Any) -> None:
        release.wait(60)
        handler.close_connection = True

    return write


@pytest.mark.parametrize("writer", [_drip_header_value, _drip_header_lines])
def test_trickled_headers_hit_the_total_deadline(
    site: Site, release: threading.Event, writer: Callable[..., Callable[[Any], None]]
) -> None:
    site.add("/feed", writer=writer(release))
    started = time.monotonic()
    with HttpClient(FAST) as client, pytest.raises(FetchError) as caught:
        client.get(site.url("/feed"))
    elapsed = time.monotonic() - started
    assert elapsed < 4, f"took {elapsed:.1f} s with total_timeout 1.5 s"
    message = str(caught.value)
    assert message.startswith(site.url("/feed"))
    assert "longer than 1.5 s" in message and "total_timeout" in message
    assert "server is down" not in message


def test_deadline_covers_redirect_hops(site: Site, release: threading.Event) -> None:
    site.add("/start", status=302, headers={"Location": "/feed"})
    site.add("/feed", writer=_drip_header_value(release))
    started = time.monotonic()
    with HttpClient(FAST) as client, pytest.raises(FetchError, match=r"longer than 1\.5 s"):
        client.get(site.url("/start"))
    assert time.monotonic() - started < 4


def test_a_finished_download_is_never_cut_later(site: Site) -> None:
    """Kept-alive connections go back to the pool: the watchdog must forget them."""
    site.add("/feed", "<rss/>", headers={"Content-Type": "application/rss+xml"})
    settings = Settings(per_host_delay=0.0, read_timeout=1.0, total_timeout=0.5)
    with HttpClient(settings) as client:
        for _ in range(3):
            assert client.get(site.url("/feed")).content == b"<rss/>"
            time.sleep(0.6)  # past the earlier download's deadline
        assert client.get(site.url("/feed")).content == b"<rss/>"


def test_close_cuts_a_download_in_flight(site: Site, release: threading.Event) -> None:
    site.add("/feed", writer=_stall(release))
    settings = Settings(per_host_delay=0.0, read_timeout=30.0, total_timeout=60.0)
    client = HttpClient(settings)
    errors: list[str] = []

    def fetch() -> None:
        try:
            client.get(site.url("/feed"))
        except FetchError as exc:
            errors.append(str(exc))

    worker = threading.Thread(target=fetch)
    worker.start()
    deadline = time.monotonic() + 5
    while not site.hits("/feed") and time.monotonic() < deadline:
        time.sleep(0.02)
    time.sleep(0.1)
    started = time.monotonic()
    client.close()
    worker.join(5)
    assert not worker.is_alive() and time.monotonic() - started < 2
    assert errors and "stopping" in errors[0]
    with pytest.raises(FetchError, match="stopping"):
        client.get(site.url("/feed"))


def test_crawl_and_feeds_add_fail_a_trickling_source_on_time(
    site: Site, release: threading.Event, tmp_path: Path
) -> None:
    site.add("/feed", writer=_drip_header_value(release))
    feeds = tmp_path / "feeds.yaml"
    feeds.write_text(
        "settings:\n  per_host_delay: 0\n  read_timeout: 1\n  total_timeout: 1.5\n"
        f"sources:\n  - name: Drip\n    url: {site.url('/feed')}\n",
        encoding="utf-8",
    )
    started = time.monotonic()
    with open_store(tmp_path / "db.sqlite") as store:
        report = crawl(store, load_config(feeds))
    assert time.monotonic() - started < 5
    assert report.failed == 1 and "longer than 1.5 s" in report.errors[0]

    started = time.monotonic()
    result = CliRunner().invoke(cli, ["feeds", "add", site.url("/feed"), "--feeds", str(feeds)])
    assert time.monotonic() - started < 5
    assert result.exit_code == 1 and "longer than 1.5 s" in result.output
    assert "Traceback" not in result.output


# -- stopping a crawl: SIGINT and SIGTERM end the process promptly ------------------------


def _start_crawl(site: Site, tmp_path: Path, *extra: str) -> subprocess.Popen[str]:
    feeds = tmp_path / "feeds.yaml"
    lines = ["settings:", "  per_host_delay: 0", "  read_timeout: 30", "  total_timeout: 60"]
    lines.append("sources:")
    for name in ("A", "B"):
        lines += [f"  - name: {name}", f"    url: {site.url('/slow-' + name)}"]
    feeds.write_text("\n".join(lines) + "\n", encoding="utf-8")
    db = tmp_path / "db.sqlite"
    return subprocess.Popen(
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
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )


@pytest.mark.parametrize(
    ("extra", "sig", "said"),
    [
        (("--all",), signal.SIGINT, "Interrupted"),
        (("--all",), signal.SIGTERM, "Interrupted"),
        (("--all", "--every", "1h"), signal.SIGTERM, "Stopped."),
    ],
)
def test_a_signal_stops_the_crawl_without_waiting_for_downloads(
    site: Site,
    release: threading.Event,
    tmp_path: Path,
    extra: tuple[str, ...],
    sig: signal.Signals,
    said: str,
) -> None:
    site.add("/slow-A", writer=_stall(release))
    site.add("/slow-B", rss([{"title": "Fast one", "link": site.url("/a")}]))
    proc = _start_crawl(site, tmp_path, *extra)
    try:
        deadline = time.monotonic() + 30
        while not site.hits("/slow-A") and time.monotonic() < deadline:
            time.sleep(0.05)
        assert site.hits("/slow-A"), "the crawl never reached the slow source"
        time.sleep(0.3)
        signalled = time.monotonic()
        proc.send_signal(sig)
        _, err = proc.communicate(timeout=20)
        took = time.monotonic() - signalled
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert took < 3, f"the process took {took:.1f} s to end after the signal"
    assert said in err and "Traceback" not in err
    # Nothing half-stored: the slow source has no fetch recorded.
    with open_store(tmp_path / "db.sqlite") as store:
        state = store.source_states()["A"]
    assert state.get("last_fetched") is None
