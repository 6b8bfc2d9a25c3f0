"""Hostile pages: never an exception other than ParseError, always within bounded time."""

from __future__ import annotations

import time

import pytest

from aggregator.errors import ParseError
from aggregator.parse import parse_html, parse_text
from aggregator.parse.encoding import decode_html, decode_text

URL = "https://example.invalid/page"
PARAGRAPH = "<p>" + "An ordinary sentence of article text that keeps going. " * 8 + "</p>"
# Generous: the CI machine may be slow, but a runaway parse takes minutes.
MAX_SECONDS = 20


def _parse(html: str) -> ParseError | None:
    started = time.perf_counter()
    try:
        parse_html(html, URL)
        result = None
    except ParseError as exc:
        result = exc
    assert time.perf_counter() - started < MAX_SECONDS
    return result


@pytest.mark.parametrize("html", ["", "   \n\t ", "<html></html>", "<!-- only a comment -->"])
def test_empty_pages(html: str) -> None:
    error = _parse(html)
    assert error is not None
    assert str(error).startswith("no article found")


def test_binary_junk() -> None:
    junk = bytes(range(256)) * 200
    error = _parse(decode_html(junk))
    assert error is not None and "binary" in str(error)


def test_deeply_nested_page() -> None:
    html = (
        "<html><head><title>Deep page headline</title></head><body><h1>Deep page headline</h1>"
        + "<div>" * 50_000
        + PARAGRAPH
        + "</div>" * 50_000
        + "</body></html>"
    )
    _parse(html)  # an article or a ParseError; nothing else, and quickly


def test_thirty_megabyte_page() -> None:
    html = (
        "<html><head><title>A very long page indeed</title></head><body>"
        "<h1>A very long page indeed</h1>" + PARAGRAPH * 70_000 + "</body></html>"
    )
    assert len(html) > 30_000_000
    _parse(html)


def test_page_with_too_many_elements() -> None:
    html = "<html><body><h1>Many elements here</h1>" + "<span>x</span>" * 200_000 + "</body></html>"
    error = _parse(html)
    assert error is not None and "elements" in str(error)


def test_video_only_page() -> None:
    html = (
        "<html><head><title>Watch the new trailer</title></head><body>"
        "<h1>Watch the new trailer</h1><video src='trailer.mp4' controls></video></body></html>"
    )
    error = _parse(html)
    assert error is not None and "main text" in str(error)


def test_page_full_of_scripts() -> None:
    html = (
        "<html><head><title>App shell</title></head><body>"
        + "<script>window.x = {a: 1};</script>" * 5_000
        + "</body></html>"
    )
    error = _parse(html)
    assert error is not None


def test_xml_declaration_in_a_string() -> None:
    html = (
        "<?xml version='1.0' encoding='utf-8'?><html><head><title>Declared page title</title>"
        "</head><body><h1>Declared page title</h1>" + PARAGRAPH + "</body></html>"
    )
    assert parse_html(html, URL).title == "Declared page title"


@pytest.mark.parametrize(
    ("data", "declared", "expected"),
    [
        ("<meta charset='shift_jis'><p>映画</p>".encode("shift_jis"), None, "映画"),
        ("<p>Amélie</p>".encode("cp1252"), None, "Amélie"),
        ("<p>Amélie</p>".encode("cp1252"), "iso-8859-1", "Amélie"),
        ("<p>Amélie</p>".encode(), "iso-8859-1", "Amélie"),  # stale HTTP charset
        ("\ufeff<p>Amélie</p>".encode("utf-16-le"), None, "Amélie"),
        ("<meta charset='euc-kr'><p>발레리나</p>".encode("euc-kr"), None, "발레리나"),
        (b"<p>caf\xe9</p>", "no-such-charset", "café"),
    ],
)
def test_decode_html_encodings(data: bytes, declared: str | None, expected: str) -> None:
    assert expected in decode_html(data, declared)


def test_decode_text_rejects_non_utf8() -> None:
    with pytest.raises(ParseError, match="not UTF-8"):
        decode_text("café".encode("cp1252"))


@pytest.mark.parametrize("text", ["", "\n\n  \n", "----\nbody"])
def test_text_without_title(text: str) -> None:
    with pytest.raises(ParseError, match="no article found"):
        parse_text(text, "file:///x.txt")


def test_a_megabyte_title_is_cut_at_a_word() -> None:
    from aggregator.parse.clean import MAX_TITLE_CHARS, clean_title

    title = clean_title("Ballerina " * 120_000)
    assert len(title) <= MAX_TITLE_CHARS + 1
    assert title.endswith("Ballerina…")
    assert clean_title("  A  normal\nheadline ") == "A normal headline"


def test_a_punctuation_only_title_gives_way_to_the_bodys_first_line() -> None:
    from aggregator.parse.record import parse_record

    article = parse_record(
        {"url": "https://a.example/1", "title": "!!! ---", "body": "Parasite wins.\nMore."}
    )
    assert article.title == "Parasite wins."


def test_a_one_sentence_body_that_tells_the_headlines_news_is_kept() -> None:
    from aggregator.parse.clean import clean_body

    body = "Bong Joon-ho's Parasite wins Best Picture."
    assert clean_body(body, "Parasite wins Best Picture") == body
    # A headline printed again above the text still goes; so does a body that is
    # nothing but the headline.
    assert (
        clean_body(
            "Parasite wins Best Picture\n\nThe film made history.", "Parasite wins Best Picture"
        )
        == "The film made history."
    )
    assert clean_body("Parasite wins Best Picture", "Parasite wins Best Picture") == ""


def test_control_characters_and_bidi_overrides_never_reach_an_article() -> None:
    from aggregator.parse.record import parse_record

    article = parse_record(
        {
            "url": "https://a.example/1",
            "title": "Control \x01\x02 chars \u202e reversed \x1b[31mRED\x1b[0m",
            "body": "Esc \x1b]0;pwned\x07 title set.\n\nAn \u2066isolate\u2069 and a tab\tkept.",
        }
    )
    assert article.title == "Control chars reversed [31mRED[0m"
    assert article.body == "Esc ]0;pwned title set.\n\nAn isolate and a tab kept."
