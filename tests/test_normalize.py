from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from aggregator.normalize.names import fold_name, title_key
from aggregator.normalize.text import content_fingerprint, fold_text, lead
from aggregator.normalize.urls import canonicalize_url, file_uri
from aggregator.timeutil import parse_duration, parse_since


def test_canonical_url_drops_tracking_and_fragment() -> None:
    url = "HTTPS://News.Example:443/a/b?id=3&utm_source=rss&fbclid=x&gclid=y#top"
    assert canonicalize_url(url) == "https://news.example/a/b?id=3"


def test_canonical_url_keeps_meaningful_port_and_file_urls() -> None:
    assert canonicalize_url("http://127.0.0.1:8080/x") == "http://127.0.0.1:8080/x"
    assert canonicalize_url("file:///tmp/a.txt#x") == "file:///tmp/a.txt"


def test_file_uri_is_absolute(tmp_path: Path) -> None:
    assert file_uri(tmp_path / "a b.txt").startswith("file:///")
    assert file_uri(tmp_path / "a b.txt").endswith("/a%20b.txt")


def test_fold_text_and_keys() -> None:
    assert fold_text("  Amélie — ‘Ballerina’!  ") == "amelie ballerina"
    assert title_key("The Ballerina") == title_key("ballerina")
    assert fold_name("Ok-joo") == fold_name("Ok joo") == fold_name("Okjoo")


def test_fingerprint_ignores_headline_when_body_is_long() -> None:
    body = "A long enough body about a film festival premiere. " * 6
    assert content_fingerprint("One headline", body) == content_fingerprint("Another", body)
    assert content_fingerprint("Short", "tiny") is None
    assert content_fingerprint("A", "short body text here") != content_fingerprint(
        "B", "short body text here"
    )


def test_lead_takes_first_real_paragraph() -> None:
    assert lead("Photo\n\nThe first real paragraph of the article is here.") == (
        "The first real paragraph of the article is here."
    )
    assert lead("word " * 200, limit=50).endswith("…")


def test_durations_and_since() -> None:
    assert parse_duration("30m") == timedelta(minutes=30)
    assert parse_duration("7d") == timedelta(days=7)
    now = datetime(2026, 1, 10, tzinfo=UTC)
    assert parse_since("24h", now) == datetime(2026, 1, 9, tzinfo=UTC)
    assert parse_since("2026-01-01", now) == datetime(2026, 1, 1, tzinfo=UTC)
    with pytest.raises(ValueError, match="neither a duration"):
        parse_since("yesterday", now)
