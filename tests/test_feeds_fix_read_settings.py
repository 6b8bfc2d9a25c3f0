"""Changing how a source is read (link_selector, type, user_agent) takes effect at once,
even when the source's document has not changed."""

from __future__ import annotations

from pathlib import Path

from crawl_site import Site, page

from aggregator.config import Config, SourceConfig, load_config
from aggregator.crawl import crawl
from aggregator.store import Store

HTML = {"Content-Type": "text/html; charset=utf-8"}
WORDS = {"nav-about": "About", "sec0": "Parasite", "sec1": "Exhuma"}


def section(site: Site) -> None:
    nav = '<nav><a href="/a/nav-about">About us</a></nav>'
    links = "".join(f'<article><h2><a href="/a/sec{i}">Film {i}</a></h2></article>' for i in (0, 1))
    site.add("/section", f"<html><body>{nav}{links}</body></html>", headers=HTML, etag='"s1"')
    for slug, word in WORDS.items():
        text = f"{word} is the subject of this long article about films and cinema. " * 5
        site.add(f"/a/{slug}", page(f"{word} story", text), headers=HTML)


def config(tmp_path: Path, site: Site, selector: str, extra: str = "") -> Config:
    path = tmp_path / "feeds.yaml"
    path.write_text(
        "settings: {per_host_delay: 0}\nsources:\n"
        f"  - {{name: Sec, url: '{site.url('/section')}', type: page, "
        f"link_selector: '{selector}'{extra}}}\n",
        encoding="utf-8",
    )
    return load_config(path)


def stored(store: Store) -> list[str]:
    return sorted(r["url"].rsplit("/", 1)[1] for r in store.query("SELECT url FROM articles"))


def test_changed_link_selector_reads_the_same_page_again(
    site: Site, store: Store, tmp_path: Path
) -> None:
    section(site)
    first = crawl(store, config(tmp_path, site, "nav a"))
    assert first.articles.new == 1 and stored(store) == ["nav-about"]
    assert store.source_states()["Sec"]["etag"] == '"s1"'

    # Same bytes (the server would even answer 304), new selector: due now, parsed.
    seen = len(site.requests)
    second = crawl(store, config(tmp_path, site, "article h2 a"))
    assert (second.due, second.ok, second.unchanged) == (1, 1, 0), second.summary()
    assert stored(store) == ["nav-about", "sec0", "sec1"]
    (fetch,) = [r for r in site.requests[seen:] if r.path == "/section"]
    assert "if-none-match" not in fetch.headers  # asked for unconditionally

    # Nothing changed since: validators are kept and sent, and the page is unchanged.
    third = crawl(store, config(tmp_path, site, "article h2 a"), force=True)
    assert (third.ok, third.unchanged) == (0, 1)
    assert site.requests[-1].headers.get("if-none-match") == '"s1"'


def test_user_agent_or_type_change_forgets_validators(
    site: Site, store: Store, tmp_path: Path
) -> None:
    section(site)
    crawl(store, config(tmp_path, site, "article h2 a"))
    assert store.source_states()["Sec"]["content_hash"]
    store.sync_sources(config(tmp_path, site, "article h2 a", ", user_agent: bot/2").sources)
    state = store.source_states()["Sec"]
    assert (state["etag"], state["content_hash"], state["next_fetch"]) == (None, None, None)

    crawl(store, config(tmp_path, site, "article h2 a", ", user_agent: bot/2"))
    store.sync_sources((SourceConfig("Sec", site.url("/section"), type="sitemap"),))
    assert store.source_states()["Sec"]["etag"] is None


def test_sources_stored_before_the_settings_were_recorded_keep_their_schedule(
    site: Site, store: Store, tmp_path: Path
) -> None:
    section(site)
    crawl(store, config(tmp_path, site, "nav a"))
    with store.transaction():
        store.execute("UPDATE sources SET read_settings = NULL")
    before = store.source_states()["Sec"]
    store.sync_sources(config(tmp_path, site, "nav a").sources)
    after = store.source_states()["Sec"]
    assert after["next_fetch"] == before["next_fetch"] is not None
    assert after["content_hash"] is None and after["read_settings"]
