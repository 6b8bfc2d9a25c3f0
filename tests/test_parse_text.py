"""Plain text, JSONL records and feed entries: the same cleaning as pages."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from aggregator.errors import ParseError
from aggregator.parse import parse_record, parse_text
from aggregator.parse.clean import clean_body
from aggregator.parse.dateline import date_in, is_dateline, opening_date
from aggregator.parse.entry import parse_entry_fields

# Our own words, with the noise the seed files show: the headline repeated as the
# first body line, a caption name printed twice, comment prompts at the end.
NOISY = """Ruthless ‘Ballerina’ is the talk of Busan

Ruthless ‘Ballerina’ is the talk of Busan

The revenge film screens at the festival this week, days before it reaches Netflix.

From Netflix

Lee Chung-hyun
Lee Chung-hyun

Director Lee Chung-hyun said the fights were planned like choreography.

Be the first to comment

Leave a Reply"""


def test_text_noise_removed() -> None:
    article = parse_text(NOISY, "file:///noisy.txt")
    assert article.title == "Ruthless ‘Ballerina’ is the talk of Busan"
    paragraphs = article.body.split("\n\n")
    assert paragraphs[0].startswith("The revenge film")
    assert paragraphs.count("Lee Chung-hyun") == 1
    assert "comment" not in article.body and "Leave a Reply" not in article.body
    assert "From Netflix" not in article.body
    assert article.primary_work is not None and article.primary_work.title == "Ballerina"


def test_clean_body_link_lists_and_pleas() -> None:
    body = (
        "First real paragraph of the story.\n"
        "Related: Another story from this site\n"
        "- A linked headline\n"
        "- Another linked headline\n"
        "Get the latest updates right in your inbox. Subscribe to our newsletters.\n"
        "Second real paragraph of the story."
    )
    assert (
        clean_body(body)
        == "First real paragraph of the story.\n\nSecond real paragraph of the story."
    )


def test_record_with_body() -> None:
    article = parse_record(
        {
            "url": "https://example.invalid/a",
            "title": "Fockers retain US box office lead",
            "body": "The comedy stayed at number one.",
            "published": "2005-01-10T08:00:00+01:00",
            "source": "Wire",
        }
    )
    assert article.published == datetime(2005, 1, 10, 7, 0, tzinfo=UTC)
    assert article.primary_work is not None and article.primary_work.title == "Fockers"


def test_record_with_html_keeps_record_title() -> None:
    html = (
        "<html><head><title>Page title for the record</title></head><body>"
        "<h1>Page title for the record</h1><p>"
        + "A sentence about the film Ballerina and its premiere in Busan. " * 8
        + "</p></body></html>"
    )
    article = parse_record(
        {"url": "https://example.invalid/b", "title": "‘Ballerina’ arrives", "html": html}
    )
    assert article.title == "‘Ballerina’ arrives"
    assert article.works[0].title == "Ballerina"


@pytest.mark.parametrize(
    "record",
    [
        [],
        {"title": "no url"},
        {"url": "https://example.invalid/c", "title": "x", "published": "not a date"},
        {"url": "https://example.invalid/d", "title": 5},
        {"url": "https://example.invalid/e", "title": "  ", "body": " \n "},
        {"url": "https://example.invalid/f", "title": "...", "body": "..."},
    ],
)
def test_bad_records(record: object) -> None:
    with pytest.raises(ParseError):
        parse_record(record)


def test_entry_with_html_content() -> None:
    article = parse_entry_fields(
        "First look at the new Hellbound episodes",
        "<p>The streamer released stills on Monday.</p><p>Kim Hyun-joo returns as "
        "<em>Min Hye-jin</em>, the lawyer.</p><script>track()</script><p>Leave a Reply</p>",
        "https://example.invalid/feed/1",
        published="Mon, 02 Sep 2024 10:00:00 +0900",
        categories=["K-Drama", "Hellbound"],
        authors=["Desk"],
        guid="tag:example,2024:1",
    )
    assert article.body.split("\n\n") == [
        "The streamer released stills on Monday.",
        "Kim Hyun-joo returns as Min Hye-jin, the lawyer.",
    ]
    assert article.published == datetime(2024, 9, 2, 1, 0, tzinfo=UTC)
    assert article.works[0].title == "Hellbound"
    assert ("Min Hye-jin", "character") in {(p.name, p.role) for p in article.people}
    assert article.guid == "tag:example,2024:1"


def test_entry_plain_text_and_datetime() -> None:
    when = datetime(2024, 1, 1, 12, 0)
    article = parse_entry_fields("A title", "Just text.\nMore text.", "u", published=when)
    assert article.body == "Just text.\n\nMore text."
    assert article.published == datetime(2024, 1, 1, 12, 0, tzinfo=UTC)


def test_entry_without_title() -> None:
    with pytest.raises(ParseError, match="no title"):
        parse_entry_fields("", "<p>text</p>", "u")


def test_entry_content_that_is_a_whole_page_or_deeply_nested() -> None:
    page = "<html><head><title>t</title></head><body><p>Only the body counts.</p></body></html>"
    assert parse_entry_fields("A title", page, "u").body == "Only the body counts."
    nested = "<div>" * 20_000 + "<p>Deep text.</p>" + "</div>" * 20_000
    assert "Deep text." in parse_entry_fields("A title", nested, "u").body


def test_a_date_line_above_the_headline_is_the_publication_date() -> None:
    text = "Updated: May 2, 2013, 1:12 PM\nLindsay Lohan leaves rehab early\nShe left on Monday."
    article = parse_text(text, "file:///dated.txt")
    assert article.title == "Lindsay Lohan leaves rehab early"
    assert article.published is not None and article.published.date().isoformat() == "2013-05-02"
    assert "Updated" not in article.body


def test_a_date_line_below_the_headline_is_not_body_text() -> None:
    text = "Saints place Pierre Thomas on injured reserve\nJan 05 , 2011\nThe Saints said so."
    article = parse_text(text, "file:///below.txt")
    assert article.title.startswith("Saints place Pierre Thomas")
    assert article.published is not None and article.published.year == 2011
    assert article.body.strip() == "The Saints said so."


def test_headlines_with_dates_in_them_stay_headlines() -> None:
    for headline in (
        "May the best film win in 2013",
        "Watergate figure Fred LaRue dies, July 24",
        "Oscars 2014: the nominees",
    ):
        article = parse_text(f"{headline}\nBody text here.", "file:///h.txt")
        assert article.title == headline
        assert article.published is None


def test_a_text_of_only_a_date_is_no_article() -> None:
    # A date says when, not what: storing it as a headline would make an article
    # of nothing. The file is reported instead.
    with pytest.raises(ParseError, match="only a date line"):
        parse_text("March 14, 2013\n\n", "file:///only-date.txt")


def test_a_date_line_keeps_its_time_of_day() -> None:
    text = "Updated: May 2, 2013, 1:12 PM\nLindsay Lohan leaves rehab early\nShe left."
    assert parse_text(text, "file:///a.txt").published == datetime(2013, 5, 2, 13, 12, tzinfo=UTC)
    # An ISO 8601 time below the headline, exactly, in UTC.
    for line, expected in (
        ("2013-05-02T13:12:00Z", datetime(2013, 5, 2, 13, 12, tzinfo=UTC)),
        ("2013-05-02T22:12:00+09:00", datetime(2013, 5, 2, 13, 12, tzinfo=UTC)),
        ("May 3, 2013 12:05 am KST", datetime(2013, 5, 2, 15, 5, tzinfo=UTC)),
        ("Posted 2013-05-02 22:12 KST", datetime(2013, 5, 2, 13, 12, tzinfo=UTC)),
    ):
        article = parse_text(f"Lohan leaves rehab\n{line}\nShe left.", "file:///b.txt")
        assert article.published == expected, line
        assert article.body.strip() == "She left."


def test_impossible_dates_are_not_dates() -> None:
    assert date_in("February 31, 2013") is None
    assert date_in("13 / 45 / 2013") is None
    assert is_dateline("Posted at 3:21 PM ET, 01/5/2011")
    assert not is_dateline("Red Sox offer Teixeira $200 million")


def test_a_dateline_date_is_the_texts_own_but_a_birth_date_is_not() -> None:
    assert opening_date("LOS ANGELES, May 3, 2013 (Reuters) - The actress") == datetime(
        2013, 5, 3, tzinfo=UTC
    )
    assert opening_date("Star dies at 85\nSeoul, 2 May 2013 - The star") == datetime(
        2013, 5, 2, tzinfo=UTC
    )
    # Inside a sentence a date is something the text tells, not when it was written.
    assert opening_date("The star died on Thursday.\nShe was born on April 22, 1923.") is None
    # The date checked is the date given, even when another pattern comes first.
    assert opening_date("Seoul, 02/05/2013 - The star, born April 22, 1923, died.") == datetime(
        2013, 2, 5, tzinfo=UTC
    )
    # Only a short place name may stand before it, in capitals, in any script.
    assert (
        opening_date("Mourners Gather Outside The Hospital Where She Died On May 3, 2013") is None
    )
    assert opening_date("배우 전종서 2023년 10월 6일 공개 10/06/2023") is None
    # A sentence that opens with a date goes on with words; a dateline does not.
    assert opening_date("On April 22, 1923 she was born in Nashville.") is None
    assert opening_date("Born April 22, 1923, in Nashville, she modeled.") is None
    assert opening_date("Updated: May 2, 2013, 1:12 PM") == datetime(2013, 5, 2, tzinfo=UTC)
