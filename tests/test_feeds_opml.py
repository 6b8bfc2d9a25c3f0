"""OPML import/export and feeds.yaml edits that keep what a person wrote."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from aggregator.cli import cli
from aggregator.config import load_config
from aggregator.errors import ConfigError
from aggregator.feeds_file import NewSource, add_sources, insert_sources
from aggregator.opml import OpmlError, OpmlFeed, parse_opml, render_opml

FEEDS_YAML = """\
# Our subscriptions. Keep this comment.
settings:
  user_agent: test-agent/1.0   # inline comment stays too
sources:
    # Trades
    - name: Variety
      url: https://variety.example/feed/
      tags: [film]
    # K-drama outlets go below

# the end
"""

OPML = b"""<?xml version="1.0" encoding="utf-8"?>
<opml version="2.0">
  <head><title>Exported from another reader</title></head>
  <body>
    <outline text="Film">
      <outline text="Variety again" type="rss" xmlUrl="https://variety.example/feed/?utm_source=rss"/>
      <outline text="Screen &amp; Stage" title="Screen &amp; Stage" type="rss"
               xmlUrl="https://screen.example/rss" htmlUrl="https://screen.example/"/>
    </outline>
    <outline text="K-drama">
      <outline text="Seoul Screens" XMLURL="https://seoul.example/atom.xml" category="/korea"/>
      <outline text="Bad" xmlUrl="javascript:alert(1)"/>
    </outline>
    <outline text="Variety" xmlUrl="https://other-variety.example/feed"/>
  </body>
</opml>
"""


def test_parse_opml_reads_folders_as_tags() -> None:
    feeds = parse_opml(OPML, "subs.opml")
    assert [f.xml_url for f in feeds] == [
        "https://variety.example/feed/?utm_source=rss",
        "https://screen.example/rss",
        "https://seoul.example/atom.xml",
        "javascript:alert(1)",
        "https://other-variety.example/feed",
    ]
    assert feeds[1] == OpmlFeed(
        "Screen & Stage", "https://screen.example/rss", "https://screen.example/", ("Film",)
    )
    assert feeds[2].categories == ("K-drama", "korea")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"<opml><body><outline", "not valid XML"),
        (b"<rss version='2.0'><channel/></rss>", "not an OPML file"),
        (b"<opml version='2.0'><head/></opml>", "without a <body>"),
        (
            b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
            b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;">]><opml><body>'
            b'<outline text="&lol2;" xmlUrl="https://x.example/"/></body></opml>',
            "declares XML entities",
        ),
        (
            b'<?xml version="1.0"?><!DOCTYPE o [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
            b'<opml><body><outline text="&x;" xmlUrl="https://x.example/"/></body></opml>',
            "declares XML entities",
        ),
    ],
)
def test_bad_opml_is_a_clear_error(data: bytes, message: str) -> None:
    with pytest.raises(OpmlError, match=message):
        parse_opml(data, "subs.opml")


def test_render_then_parse_round_trips() -> None:
    feeds = [
        OpmlFeed('Quotes "and" <tags> & more', "https://q.example/feed?a=1&b=2", None, ("x",)),
        OpmlFeed("Plain", "https://plain.example/rss"),
    ]
    assert parse_opml(render_opml(feeds).encode("utf-8"), "round-trip") == [
        OpmlFeed('Quotes "and" <tags> & more', "https://q.example/feed?a=1&b=2", None, ("x",)),
        OpmlFeed("Plain", "https://plain.example/rss"),
    ]


def test_import_opml_keeps_the_file_and_skips_duplicates(tmp_path: Path) -> None:
    feeds = tmp_path / "feeds.yaml"
    feeds.write_text(FEEDS_YAML)
    opml = tmp_path / "subs.opml"
    opml.write_bytes(OPML)
    runner = CliRunner()
    result = runner.invoke(cli, ["feeds", "import-opml", str(opml), "--feeds", str(feeds)])
    assert result.exit_code == 0, result.output
    assert "Added 3, skipped 2" in result.output
    text = feeds.read_text()
    for kept in (
        "# Our subscriptions. Keep this comment.",
        "# inline comment stays too",
        "# Trades",
        "# K-drama outlets go below",
        "# the end",
    ):
        assert kept in text
    config = load_config(feeds)
    assert [(s.name, s.url, s.tags) for s in config.sources] == [
        ("Variety", "https://variety.example/feed/", ("film",)),
        ("Screen & Stage", "https://screen.example/rss", ("Film",)),
        ("Seoul Screens", "https://seoul.example/atom.xml", ("K-drama", "korea")),
        ("Variety (2)", "https://other-variety.example/feed", ()),
    ]
    assert config.settings.user_agent == "test-agent/1.0"
    again = runner.invoke(cli, ["feeds", "import-opml", str(opml), "--feeds", str(feeds)])
    assert "Added 0, skipped 5" in again.output
    assert feeds.read_text() == text


def test_import_into_a_missing_file_and_dry_run(tmp_path: Path) -> None:
    feeds = tmp_path / "new" / "feeds.yaml"
    opml = tmp_path / "subs.opml"
    opml.write_bytes(OPML)
    runner = CliRunner()
    dry = runner.invoke(
        cli, ["feeds", "import-opml", str(opml), "--feeds", str(feeds), "--dry-run"]
    )
    assert "Would add 4" in dry.output and not feeds.exists()
    result = runner.invoke(cli, ["feeds", "import-opml", str(opml), "--feeds", str(feeds)])
    assert result.exit_code == 0, result.output
    assert len(load_config(feeds).sources) == 4


def test_export_opml(tmp_path: Path) -> None:
    feeds = tmp_path / "feeds.yaml"
    feeds.write_text(FEEDS_YAML)
    result = CliRunner().invoke(cli, ["feeds", "export-opml", "--feeds", str(feeds)])
    assert result.exit_code == 0, result.output
    assert parse_opml(result.output.encode(), "out") == [
        OpmlFeed("Variety", "https://variety.example/feed/", None, ("film",))
    ]
    out = tmp_path / "subs.opml"
    CliRunner().invoke(cli, ["feeds", "export-opml", "--feeds", str(feeds), "-o", str(out)])
    assert parse_opml(out.read_bytes(), "file")[0].title == "Variety"


def test_insert_handles_empty_and_inline_lists() -> None:
    added = [NewSource("A", "https://a.example/feed")]
    text = insert_sources("sources: []\n", added, "f")
    assert yaml.safe_load(text) == {"sources": [{"name": "A", "url": "https://a.example/feed"}]}
    text = insert_sources("settings:\n  workers: 2\n", added, "f")
    assert yaml.safe_load(text)["sources"][0]["name"] == "A"
    with pytest.raises(ConfigError, match="inline"):
        insert_sources("sources: [{name: X, url: 'https://x.example/'}]\n", added, "f")


def test_sources_before_settings(tmp_path: Path) -> None:
    feeds = tmp_path / "feeds.yaml"
    feeds.write_text(
        "sources:\n- name: A\n  url: https://a.example/feed\nsettings:\n  workers: 2\n"
    )
    add_sources(feeds, [NewSource("B", "https://b.example/feed", ("tv",))])
    config = load_config(feeds)
    assert [s.name for s in config.sources] == ["A", "B"]
    assert config.settings.workers == 2


def test_a_feed_listed_twice_in_one_opml_is_named_as_such() -> None:
    from aggregator.feeds_file import NewSource, plan_additions

    result = plan_additions(
        (),
        [
            NewSource("A", "https://x.example/f.xml", ()),
            NewSource("B", "https://x.example/f.xml?utm_source=feedly", ()),
        ],
    )
    assert [s.name for s in result.added] == ["A"]
    assert result.skipped == [
        "B: already in this list, under another entry (https://x.example/f.xml?utm_source=feedly)"
    ]
