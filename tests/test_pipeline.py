"""End to end: fixture articles we wrote, imported through the real pipeline."""

from pathlib import Path

from aggregator.crawl.jobs import PageTask, merge_page
from aggregator.models import Article, ImportReport
from aggregator.pipeline import import_paths, store_articles
from aggregator.prepare import identity_url
from aggregator.store import open_store

from conftest import FIXTURES

IMPORT = FIXTURES / "import"


def stories_by_title(db_path: Path) -> dict[str, list[dict]]:
    """Articles per story, keyed by the story's release title without its kind/season."""
    with open_store(db_path) as store:
        stories = store.list_stories(limit=0)
    keyed: dict[str, list[dict]] = {}
    for story in stories:
        for name in ("Ballerina", "Squid Game", "Decision to Leave"):
            if story["title"].startswith(name):
                assert name not in keyed, f"two stories for {name}"
                keyed[name] = story["articles"]
    return keyed


def test_spelling_variants_of_one_film_form_one_story(db_path: Path) -> None:
    with open_store(db_path) as store:
        report = import_paths(store, [IMPORT])
    assert report.failed == 0, report.errors
    assert report.new == 6
    assert report.duplicates == 2  # a syndicated copy and a re-tracked URL
    stories = stories_by_title(db_path)
    ballerina = stories["Ballerina"]
    titles = " ".join(a["title"] for a in ballerina)
    assert "Busan festival" in titles
    assert "Netflix dates" in titles or "October date" in titles
    assert len(ballerina) == 2
    assert sum(len(a["duplicates"]) for a in ballerina) == 1
    assert len(stories["Squid Game"]) == 2
    assert "Decision to Leave" in stories
    assert len(stories["Decision to Leave"]) == 1


def test_every_input_appears_exactly_once(db_path: Path) -> None:
    with open_store(db_path) as store:
        import_paths(store, [IMPORT])
        stories = store.list_stories(limit=0)
    seen = [a["url"] for s in stories for a in s["articles"]]
    seen += [d for s in stories for a in s["articles"] for d in a["duplicates"]]
    assert len(seen) == len(set(seen))
    expected_files = {p.resolve().as_uri() for p in IMPORT.glob("*.txt")}
    assert expected_files <= set(seen)
    assert "https://news.example/squid-game-2-teaser" in seen
    assert not any("utm_source" in url for url in seen)


def test_reimport_stores_nothing_twice(db_path: Path) -> None:
    with open_store(db_path) as store:
        first = import_paths(store, [IMPORT])
        second = import_paths(store, [IMPORT])
        assert second.new == 0
        assert second.duplicates == first.new + first.duplicates
        assert store.article_count() == first.new


def _page(url: str, title: str, body: str, canonical: str, guid: str | None = None) -> Article:
    return Article(
        url=url, title=title, body=body, canonical_url=canonical, guid=guid, source="Buzz"
    )


FIRST_TEXT = (
    "Pixar set a streaming date for its animated sequel: it reaches Disney+ in "
    "September, after passing a billion dollars at the box office this summer. "
) * 3
SECOND_TEXT = (
    "Oppenheimer returns to IMAX screens for a week in March, with a new print and an "
    "introduction recorded by the director for the anniversary of its release. "
) * 3


def test_a_home_page_declared_as_canonical_is_no_articles_address(db_path: Path) -> None:
    home = _page("https://buzz.example/2024/io2", "t", "b", "https://buzz.example/")
    assert identity_url(home) == "https://buzz.example/2024/io2"
    # An AMP page rightly declares its article; so does a page of a paginated one.
    amp = _page("https://buzz.example/io2/amp/", "t", "b", "https://buzz.example/io2/")
    assert identity_url(amp) == "https://buzz.example/io2/"
    pages = [
        _page(
            "https://buzz.example/a/inside-out",
            "Inside Out 2 streams",
            FIRST_TEXT,
            home.canonical_url or "",
        ),
        _page(
            "https://buzz.example/a/oppenheimer",
            "Oppenheimer in IMAX",
            SECOND_TEXT,
            home.canonical_url or "",
        ),
    ]
    report = ImportReport()
    with open_store(db_path) as store:
        store_articles(store, pages, report)
    assert report.new == 2


def test_a_page_cannot_take_over_another_sites_article(db_path: Path) -> None:
    real = "https://outlet.com/news/bong-retires"

    def crawled(link: str, served_from: str, canonical: str) -> Article:
        page = _page(served_from, "Bong quits", SECOND_TEXT, canonical)
        return merge_page(PageTask(link), page, served_from)

    planted = crawled("https://evil.net/p/1", "https://evil.net/p/1", real)
    cases = [
        # (the entry's link, where the page was served from, its canonical) -> identity
        (planted, "https://evil.net/p/1"),
        # One site's other host names, and country-code domains, are the same site.
        (
            crawled("https://m.o.com/1", "https://m.o.com/1", "https://www.o.com/1"),
            "https://www.o.com/1",
        ),
        (
            crawled("https://n.p.co.uk/1", "https://n.p.co.uk/1", "https://www.p.co.uk/1"),
            "https://www.p.co.uk/1",
        ),
        (
            crawled("https://m.rte.ie/1", "https://m.rte.ie/1", "https://www.rte.ie/1"),
            "https://www.rte.ie/1",
        ),
        # A feed's redirector link is not the site: judged where the page was served from.
        (
            crawled("https://feedproxy.google.com/2", "https://o.com/2", "https://o.com/2"),
            "https://o.com/2",
        ),
        (crawled("https://feedproxy.google.com/3", "https://o.com/3", ""), "https://o.com/3"),
        # A page served from this machine keeps its declared address; so does a saved one.
        (crawled("http://127.0.0.1:8000/p/1", "http://127.0.0.1:8000/p/1", real), real),
    ]
    assert [identity_url(article) for article, _ in cases] == [url for _, url in cases]
    assert identity_url(_page("file:///tmp/saved/p1.html", "t", "b", real)) == real
    # The outlet's own article later is stored with its own text, not read as a copy.
    own = Article(url=real, title="Bong Joon-ho on his next film", body=FIRST_TEXT, source="Outlet")
    report = ImportReport()
    with open_store(db_path) as store:
        store_articles(store, [planted, own], report)
        bodies = {row["url"]: row["body"] for row in store.query("SELECT url, body FROM articles")}
    assert report.new == 2
    assert bodies[real] == FIRST_TEXT


def test_a_saved_page_declaring_its_sites_home_page_keeps_its_file_address() -> None:
    saved = _page("file:///tmp/saved/p2.html", "t", "b", "https://sitenews.example/")
    assert identity_url(saved) == "file:///tmp/saved/p2.html"


def test_a_guid_without_a_source_identifies_nothing(db_path: Path) -> None:
    first = Article(url="https://one.example/a", title="Pixar date", body=FIRST_TEXT, guid="1")
    second = Article(url="https://two.example/b", title="IMAX week", body=SECOND_TEXT, guid="1")
    report = ImportReport()
    with open_store(db_path) as store:
        store_articles(store, [first, second], report)
    assert (report.new, report.duplicates) == (2, 0)


def test_a_feed_summary_and_its_page_are_one_article(db_path: Path) -> None:
    url = "https://site.example/news/io2"
    summary = Article(url=url, title="Inside Out 2 streams", body="Pixar sets a date.", guid="9")
    page = _page("https://m.site.example/news/io2", "Inside Out 2 streams", FIRST_TEXT, url)
    report = ImportReport()
    with open_store(db_path) as store:
        store_articles(store, [summary], report)
        store_articles(store, [page], report)
    assert (report.new, report.duplicates) == (1, 1)


def test_entries_with_other_guids_of_one_feed_are_other_articles(db_path: Path) -> None:

    shared = "https://buzz.example/latest/news"
    entries = [
        _page("https://buzz.example/p?id=1", "Short item one", "One.", shared, guid="1"),
        _page("https://buzz.example/p?id=2", "Short item two", "Two.", shared, guid="2"),
    ]
    report = ImportReport()
    with open_store(db_path) as store:
        store_articles(store, entries, report)
    assert report.new == 2
