"""Output that cannot be written is one line on stderr (a full disk) or a quiet exit
(a reader that went away), never a traceback. Run as a real process, since only
a real stdout can fail."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from query_helpers import build_store

COMMANDS = [
    ["digest", "--since", "400d"],
    ["search", "Ballerina"],
    ["search", "Ballerina", "--json"],
    ["stories"],
]


@pytest.fixture()
def stored(db_path: Path) -> Path:
    build_store(db_path).close()
    return db_path


def run_into(stdout: int, db: Path, args: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "aggregator", "--db", str(db), *args],
        stdout=stdout,
        stderr=subprocess.PIPE,
        text=True,
        timeout=60,
    )


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize("args", COMMANDS)
def test_a_full_disk_is_one_line(stored: Path, args: list[str]) -> None:
    with open("/dev/full", "w") as full:
        result = run_into(full.fileno(), stored, args)
    assert result.returncode == 1
    assert result.stderr == "Error: cannot write the output: No space left on device\n"


@pytest.mark.parametrize("args", COMMANDS)
def test_a_closed_pipe_exits_quietly(stored: Path, args: list[str]) -> None:
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone before anything is written: `| head` at worst
    try:
        result = run_into(write_end, stored, args)
    finally:
        os.close(write_end)
    assert result.returncode == 1
    assert result.stderr == ""


def test_other_os_errors_keep_their_traceback(tmp_path: Path) -> None:
    """Only stdout's own failures are summed up; anything else is a bug to see."""
    script = (
        "import sys\n"
        "from aggregator.cli import cli, main\n"
        "@cli.command('boom')\n"
        "def boom():\n"
        "    raise OSError(28, 'not stdout')\n"
        "sys.argv = ['aggregator', 'boom']\n"
        "main()\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 1
    assert "Traceback" in result.stderr and "not stdout" in result.stderr
