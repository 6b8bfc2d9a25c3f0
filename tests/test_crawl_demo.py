"""`aggregator demo` crawls the bundled sample site over loopback, end to end."""

from __future__ import annotations

import json
import time
from pathlib import Path

from click.testing import CliRunner

from aggregator.cli import cli


def test_demo_crawls_the_sample_site(tmp_path: Path) -> None:
    db = tmp_path / "demo.db"
    started = time.monotonic()
    result = CliRunner().invoke(cli, ["--db", str(db), "demo"])
    assert result.exit_code == 0, result.output
    assert time.monotonic() - started < 5
    first_line = result.output.splitlines()[0]
    assert "3 sources ok, 0 unchanged, 0 failed" in first_line
    assert "Ballerina" in result.output
    stories = json.loads(
        CliRunner().invoke(cli, ["--db", str(db), "stories", "--json", "--limit", "0"]).output
    )
    urls = [a["url"] for s in stories for a in s["articles"]]
    assert all(u.startswith("https://sample.aggregator.invalid/") for u in urls)  # rel=canonical
    # Two releases share the title: the 2023 Korean film (two outlets, one syndicated
    # copy) and the John Wick spin-off are two stories.
    ballerinas = sorted(
        (s for s in stories if s["title"].startswith("Ballerina")), key=lambda s: s["first_seen"]
    )
    assert [len(s["articles"]) for s in ballerinas] == [2, 1]
    assert "Jeon Jong-seo" in ballerinas[0]["people"]
    assert "Ana de Armas" in ballerinas[1]["people"]
    assert sum(len(a["duplicates"]) for a in ballerinas[0]["articles"]) == 1
    sources = json.loads(CliRunner().invoke(cli, ["--db", str(db), "sources", "--json"]).output)
    assert {s["name"] for s in sources} == {"ScreenBeat", "K-Drama Daily", "Culture Wire"}
    assert all(s["last_status"] == "ok" for s in sources)
