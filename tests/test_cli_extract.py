"""``aggregator extract``: parse only, one object per input, errors as objects."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from aggregator.cli import cli


def _inputs(tmp_path: Path, fixtures: Path) -> list[str]:
    (tmp_path / "story.txt").write_text(
        "Fockers retain US box office lead\n\nThe comedy stayed at number one.\n", encoding="utf-8"
    )
    (tmp_path / "empty.html").write_text("<html></html>", encoding="utf-8")
    (tmp_path / "lines.jsonl").write_text(
        json.dumps({"url": "https://example.invalid/1", "title": "‘Okja’ returns", "body": "Text."})
        + "\n{not json}\n",
        encoding="utf-8",
    )
    return [
        str(fixtures / "pages" / "review.html"),
        str(tmp_path / "story.txt"),
        str(tmp_path / "empty.html"),
        str(tmp_path / "lines.jsonl"),
    ]


def test_extract_jsonl(tmp_path: Path, fixtures: Path) -> None:
    result = CliRunner().invoke(cli, ["extract", *_inputs(tmp_path, fixtures), "--jsonl"])
    assert result.exit_code == 1
    objects = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(objects) == 5
    page, story, empty, line1, line2 = objects
    for key in (
        "path",
        "url",
        "title",
        "body",
        "published",
        "authors",
        "lang",
        "canonical_url",
        "films",
        "people",
    ):
        assert key in page
    assert page["films"][0]["title"] == "Ballerina"
    assert page["url"] == "https://reelweekly.invalid/reviews/ballerina"  # its canonical URL
    assert page["published"] == "2023-10-06T00:30:00+00:00"
    assert story["films"][0]["title"] == "Fockers"
    assert story["url"].startswith("file://")
    assert "error" in empty and "no article found" in empty["error"]
    assert line1["films"][0]["title"] == "Okja" and line1["url"] == "https://example.invalid/1"
    assert "not valid JSON" in line2["error"]


def test_extract_json_list(tmp_path: Path, fixtures: Path) -> None:
    story = tmp_path / "story.txt"
    story.write_text("A headline here\n\nBody text.\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["extract", str(story), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert isinstance(data, list) and data[0]["title"] == "A headline here"


def test_extract_help_has_example() -> None:
    result = CliRunner().invoke(cli, ["extract", "--help"])
    assert "Example:" in result.output
