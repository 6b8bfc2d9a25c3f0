"""Rewriting feeds.yaml keeps a symlink a symlink, the file's mode and its line endings."""

from __future__ import annotations

import os
import stat
import threading
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from aggregator.cli import cli
from aggregator.config import load_config
from aggregator.fileutil import write_atomic

FEEDS = "# my feeds\nsources:\n  - name: A\n    url: https://a.example/feed\n"
OPML = b"""<?xml version="1.0"?><opml version="2.0"><body>
<outline type="rss" text="B" xmlUrl="https://b.example/rss"/></body></opml>"""


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_writes_through_a_symlink_to_the_real_file(tmp_path: Path) -> None:
    real_dir = tmp_path / "config"
    real_dir.mkdir()
    real = real_dir / "feeds.yaml"
    real.write_text("old\n")
    link = tmp_path / "feeds.yaml"
    link.symlink_to(real)
    write_atomic(link, "new\n")
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert real.read_text() == "new\n"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
    assert sorted(p.name for p in real_dir.iterdir()) == ["feeds.yaml"]


def test_relative_symlink_chain_is_followed(tmp_path: Path) -> None:
    (tmp_path / "real.yaml").write_text("old\n")
    (tmp_path / "mid.yaml").symlink_to("real.yaml")
    (tmp_path / "feeds.yaml").symlink_to("mid.yaml")
    write_atomic(tmp_path / "feeds.yaml", "new\n")
    assert (tmp_path / "feeds.yaml").is_symlink() and (tmp_path / "mid.yaml").is_symlink()
    assert (tmp_path / "real.yaml").read_text() == "new\n"


def test_keeps_the_mode_of_an_existing_file(tmp_path: Path) -> None:
    path = tmp_path / "feeds.yaml"
    path.write_text("old\n")
    path.chmod(0o600)
    write_atomic(path, "new\n")
    assert _mode(path) == 0o600 and path.read_text() == "new\n"
    fresh = tmp_path / "new.yaml"
    write_atomic(fresh, "x\n")
    assert _mode(fresh) == 0o644


def test_keeps_crlf_line_endings_and_lf_stays_lf(tmp_path: Path) -> None:
    crlf = tmp_path / "crlf.yaml"
    crlf.write_bytes(b"a: 1\r\nb: 2\r\n")
    write_atomic(crlf, "a: 1\nb: 2\nc: 3\n")
    assert crlf.read_bytes() == b"a: 1\r\nb: 2\r\nc: 3\r\n"
    write_atomic(crlf, "a: 1\r\nb: 2\n")  # already CRLF in part: no doubled \r
    assert crlf.read_bytes() == b"a: 1\r\nb: 2\r\n"
    lf = tmp_path / "lf.yaml"
    lf.write_bytes(b"a: 1\n")
    write_atomic(lf, "a: 1\nb: 2\n")
    assert lf.read_bytes() == b"a: 1\nb: 2\n"


def test_import_opml_into_a_symlinked_private_crlf_feeds_yaml(tmp_path: Path) -> None:
    real = tmp_path / "dotfiles" / "feeds.yaml"
    real.parent.mkdir()
    real.write_bytes(FEEDS.replace("\n", "\r\n").encode())
    real.chmod(0o600)
    link = tmp_path / "feeds.yaml"
    link.symlink_to(real)
    opml = tmp_path / "subs.opml"
    opml.write_bytes(OPML)
    result = CliRunner().invoke(cli, ["feeds", "import-opml", str(opml), "--feeds", str(link)])
    assert result.exit_code == 0, result.output
    assert link.is_symlink()
    data = real.read_bytes()
    assert data.startswith(b"# my feeds\r\n") and b"\n" not in data.replace(b"\r\n", b"")
    assert _mode(real) == 0o600
    assert [s.name for s in load_config(link).sources] == ["A", "B"]


def test_export_opml_to_a_dash_prints(tmp_path: Path, monkeypatch: Any) -> None:
    feeds = tmp_path / "feeds.yaml"
    feeds.write_text(FEEDS)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["feeds", "export-opml", "--feeds", str(feeds), "-o", "-"])
    assert result.exit_code == 0, result.output
    assert 'xmlUrl="https://a.example/feed"' in result.output
    assert not (tmp_path / "-").exists()


def test_a_pipe_is_written_into_not_replaced(tmp_path: Path) -> None:
    # A pipe stands in for /dev/null or /dev/stdout: renaming a file over one of
    # those (as root, from cron) would destroy the device.
    fifo = tmp_path / "out.pipe"
    os.mkfifo(fifo)
    received: list[str] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_text()), daemon=True)
    reader.start()
    write_atomic(fifo, "through the pipe\n")
    reader.join(timeout=10)
    assert received == ["through the pipe\n"]
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
