"""Pages: headline choice, body cleaning and metadata."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from aggregator.parse import parse_html
from aggregator.parse.encoding import decode_html
from aggregator.parse.title import choose_title, strip_site_name

URL = "https://reelweekly.invalid/reviews/ballerina?utm_source=feed"


@pytest.fixture
def review(fixtures: Path) -> str:
    return decode_html((fixtures / "pages" / "review.html").read_bytes())


def test_review_page_title_and_body(review: str) -> None:
    article = parse_html(review, URL)
    assert article.title == "Ballerina review: grief, neon and a lot of knives"
    assert article.body.startswith("Ballerina, directed by Lee Chung-hyun")
    assert "\n\n" in article.body  # paragraphs kept
    for noise in ("Share on Facebook", "newsletter", "Leave a Reply", "first to comment", "Home"):
        assert noise not in article.body


def test_review_page_metadata(review: str) -> None:
    article = parse_html(review, URL)
    assert article.published == datetime(2023, 10, 6, 0, 30, tzinfo=UTC)
    assert article.updated == datetime(2023, 10, 7, 1, 0, tzinfo=UTC)
    assert article.authors == ("Mina Cho",)
    assert article.lang == "en-gb"
    assert article.canonical_url == "https://reelweekly.invalid/reviews/ballerina"
    assert article.image == "https://reelweekly.invalid/img/ballerina.jpg"
    assert article.source == "Reel Weekly"


def test_review_page_works_and_people(review: str) -> None:
    article = parse_html(review, URL)
    assert article.primary_work is not None
    assert article.primary_work.title == "Ballerina"
    assert article.primary_work.kind == "film"
    people = {(p.name, p.role) for p in article.people}
    assert ("Lee Chung-hyun", "director") in people
    assert ("Jeon Jong-seo", "cast") in people
    assert ("Ok-joo", "character") in people


@pytest.mark.parametrize(
    ("title", "site", "expected"),
    [
        ("Headline goes here | Reel Weekly", "Reel Weekly", "Headline goes here"),
        ("Reel Weekly - Headline goes here", "Reel Weekly", "Headline goes here"),
        ("Headline goes here | Reviews | Reel Weekly", "", "Headline goes here"),
        (
            "Star Wars Jedi review – shoots for the moon, lands among the stars",
            "",
            "Star Wars Jedi review – shoots for the moon, lands among the stars",
        ),
        ("Headline goes here — reelweekly", "", "Headline goes here"),
    ],
)
def test_strip_site_name(title: str, site: str, expected: str) -> None:
    assert strip_site_name(title, site, "https://www.reelweekly.invalid/a") == expected


def test_visible_headline_wins_when_metadata_agrees() -> None:
    chosen = choose_title(
        og="Squid Game 2 gets a date",
        html_title="Opinion | Why the second Squid Game season will be darker | Site",
        headings=["Site", "Why the second Squid Game season will be darker"],
        site_name="Site",
    )
    assert chosen == "Why the second Squid Game season will be darker"


def test_site_name_heading_is_not_the_headline() -> None:
    chosen = choose_title(
        og="Deportees return home with shattered dreams",
        html_title="Deportees return home with shattered dreams | Daily Post",
        headings=["Daily Post"],
        site_name="Daily Post",
    )
    assert chosen == "Deportees return home with shattered dreams"


def test_jsonld_body_used_when_page_text_is_missing() -> None:
    html = (
        "<html><head><title>Short note</title><script type='application/ld+json'>"
        '{"@type": "NewsArticle", "headline": "Short note", "articleBody": '
        '"The whole article lives only in the structured data of this page, and it is '
        'long enough to count as an article body for our purposes here."}'
        "</script></head><body><h1>Short note</h1><div id='app'></div></body></html>"
    )
    article = parse_html(html, "https://example.invalid/n")
    assert article.body.startswith("The whole article lives only")


def test_time_element_and_rfc822_dates() -> None:
    html = (
        "<html><head><title>Dated page headline</title></head><body><h1>Dated page headline</h1>"
        "<time datetime='2024-02-03T10:00:00-05:00'>Feb 3</time>"
        + "<p>"
        + "A sentence of article text for the dated page. " * 12
        + "</p>"
        "</body></html>"
    )
    article = parse_html(html, "https://example.invalid/d")
    assert article.published == datetime(2024, 2, 3, 15, 0, tzinfo=UTC)


def test_non_english_page() -> None:
    html = (
        "<html lang='ko'><head><title>발레리나 리뷰 | 영화일보</title>"
        "<meta property='og:site_name' content='영화일보'></head><body><h1>발레리나 리뷰</h1>"
        + "<p>"
        + "전종서는 복수를 위해 움직이는 경호원 옥주를 연기한다. " * 10
        + "</p>"
        "</body></html>"
    )
    article = parse_html(html, "https://example.invalid/ko")
    assert article.title == "발레리나 리뷰"
    assert article.lang == "ko"
    assert "옥주" in article.body


def test_published_from_multi_token_itemprop_and_url() -> None:
    paragraph = "<p>" + "A sentence of article text for the page. " * 12 + "</p>"
    html = (
        "<html><head><title>Multi prop headline</title>"
        "<meta itemprop='datePublished dateCreated' content='2019-11-19T05:00:00-05:00'>"
        "</head><body><h1>Multi prop headline</h1>" + paragraph + "</body></html>"
    )
    assert parse_html(html, "https://example.invalid/a").published == datetime(
        2019, 11, 19, 10, 0, tzinfo=UTC
    )
    bare = "<html><head><title>Undated headline</title></head><body>" + paragraph + "</body></html>"
    article = parse_html(bare, "https://example.invalid/news/2019/11/18/undated-headline")
    assert article.published == datetime(2019, 11, 18, tzinfo=UTC)
