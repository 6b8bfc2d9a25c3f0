"""One failing child of a sitemap index is a warning; the good children are read."""

from __future__ import annotations

from pathlib import Path

from crawl_site import Site, page

from aggregator.config import Config, load_config
from aggregator.crawl import crawl
from aggregator.store import Store

XML = {"Content-Type": "application/xml"}
HTML = {"Content-Type": "text/html; charset=utf-8"}
NS = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'


def index(site: Site, children: list[str]) -> None:
    body = "".join(
        f"<sitemap><loc>{site.url(c)}</loc><lastmod>2026-06-0{9 - n}</lastmod></sitemap>"
        for n, c in enumerate(children)
    )
    site.add(
        "/smindex.xml",
        f'<?xml version="1.0"?><sitemapindex {NS}>{body}</sitemapindex>',
        headers=XML,
        etag='"idx1"',
    )


def _text(path: str) -> str:
    word = {"/a/sm0": "Parasite", "/a/sm1": "Exhuma", "/a/late": "Ballerina"}[path]
    return f"{word} opens this week in cinemas around the country. " * 5 + path


def child(site: Site, path: str, pages: list[str]) -> None:
    urls = "".join(f"<url><loc>{site.url(p)}</loc></url>" for p in pages)
    site.add(path, f'<?xml version="1.0"?><urlset {NS}>{urls}</urlset>', headers=XML)
    for p in pages:
        site.add(p, page(f"Film news {p}", _text(p)), headers=HTML)


def config(tmp_path: Path, site: Site) -> Config:
    path = tmp_path / "feeds.yaml"
    path.write_text(
        "settings: {per_host_delay: 0}\nsources:\n"
        f"  - {{name: SMI, url: '{site.url('/smindex.xml')}', type: sitemap}}\n",
        encoding="utf-8",
    )
    return load_config(path)


def test_missing_child_sitemap_is_a_warning_and_good_children_are_stored(
    site: Site, store: Store, tmp_path: Path
) -> None:
    index(site, ["/sitemap.xml", "/sm-missing.xml"])
    child(site, "/sitemap.xml", ["/a/sm0", "/a/sm1"])
    report = crawl(store, config(tmp_path, site))
    assert (report.ok, report.failed, report.articles.new) == (1, 0, 2), report.errors
    urls = sorted(r["url"] for r in store.query("SELECT url FROM articles"))
    assert urls == [site.url("/a/sm0"), site.url("/a/sm1")]
    state = store.source_states()["SMI"]
    assert state["last_status"] == "warning"
    assert "sm-missing.xml" in state["last_warning"] and "404" in state["last_warning"]

    # The failed child is tried again next time even though the index is unchanged.
    child(site, "/sm-missing.xml", ["/a/late"])
    again = crawl(store, config(tmp_path, site), force=True)
    assert (again.ok, again.failed, again.articles.new) == (1, 0, 1), again.errors
    assert site.hits("/sm-missing.xml") == 2
    assert store.source_states()["SMI"]["last_status"] == "ok"


def test_index_whose_children_all_fail_is_an_error(
    site: Site, store: Store, tmp_path: Path
) -> None:
    index(site, ["/gone-1.xml", "/gone-2.xml"])
    report = crawl(store, config(tmp_path, site))
    assert report.failed == 1
    error = store.source_states()["SMI"]["last_error"]
    assert "no child sitemap could be read" in error and "gone-2.xml" in error
