"""Sources removed from (or renamed in) feeds.yaml are kept, but not crawled or alerted on."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

from click.testing import CliRunner, Result
from crawl_site import Site, page, rss

from aggregator.cli import cli
from aggregator.config import load_config
from aggregator.crawl import crawl
from aggregator.store import Store, open_store
from aggregator.timeutil import to_iso, utcnow

HTML = {"Content-Type": "text/html; charset=utf-8"}
RSS = {"Content-Type": "application/rss+xml"}


def feeds(tmp_path: Path, name: str, sources: dict[str, str]) -> Path:
    path = tmp_path / name
    lines = ["settings: {per_host_delay: 0}", "sources:"]
    lines += [f"  - {{name: {n}, url: '{u}'}}" for n, u in sources.items()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def cli_run(db: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--db", str(db), *args])


def setup(site: Site, tmp_path: Path, store: Store) -> tuple[Path, Path]:
    site.add("/a/1", page("Good film story", "Parasite returns to cinemas. " * 10), headers=HTML)
    site.add(
        "/good.xml", rss([{"title": "Good film story", "link": site.url("/a/1")}]), headers=RSS
    )
    both = feeds(tmp_path, "both.yaml", {"Good": site.url("/good.xml"), "Dead": site.url("/dead")})
    only_good = feeds(tmp_path, "good.yaml", {"Good": site.url("/good.xml")})
    report = crawl(store, load_config(both))
    assert (report.ok, report.failed) == (1, 1)
    with store.transaction():  # Dead has failed for three days
        store.update_source_state("Dead", {"failing_since": to_iso(utcnow() - timedelta(days=3))})
    return both, only_good


def test_removed_source_is_listed_apart_and_not_alerted_on(tmp_path: Path) -> None:
    with Site().running() as site, open_store(tmp_path / "db.sqlite") as store:
        both, only_good = setup(site, tmp_path, store)
        before = cli_run(store.path, "sources", "--feeds", str(both))
        assert "failing for more than a day: Dead" in before.stderr

        after = cli_run(store.path, "sources", "--feeds", str(only_good))
        assert after.exit_code == 0
        assert "FAILING" not in after.stdout and "failing" not in after.stderr
        table, _, tail = after.stdout.partition("removed from good.yaml")
        assert "Dead" not in table and "Good" in table and "Dead" in tail

        # Without --feeds the last sync is remembered.
        rows: list[dict[str, Any]] = json.loads(cli_run(store.path, "sources", "--json").stdout)
        by_name = {r["name"]: r for r in rows}
        assert by_name["Dead"]["removed_at"] and by_name["Dead"]["failing_days"] is None
        assert by_name["Good"]["removed_at"] is None

        # Not crawled, articles kept.
        hits = site.hits("/dead")
        report = crawl(store, load_config(only_good), force=True)
        assert (report.due, report.failed) == (1, 0) and site.hits("/dead") == hits
        assert store.query("SELECT count(*) AS n FROM articles")[0]["n"] == 1


def test_renamed_source_leaves_the_old_name_removed(tmp_path: Path) -> None:
    with Site().running() as site, open_store(tmp_path / "db.sqlite") as store:
        setup(site, tmp_path, store)
        renamed = feeds(
            tmp_path, "renamed.yaml", {"Good": site.url("/good.xml"), "Gone": site.url("/dead")}
        )
        result = cli_run(store.path, "sources", "--feeds", str(renamed))
        assert "failing" not in result.stderr
        states = store.source_states()
        assert states["Dead"]["removed_at"] and states["Gone"]["removed_at"] is None


def test_readding_a_source_revives_it(tmp_path: Path) -> None:
    with Site().running() as site, open_store(tmp_path / "db.sqlite") as store:
        both, only_good = setup(site, tmp_path, store)
        before = store.source_states()["Dead"]
        store.sync_sources(load_config(only_good).sources)
        assert store.source_states()["Dead"]["removed_at"]

        store.sync_sources(load_config(both).sources)
        dead = store.source_states()["Dead"]
        assert dead["removed_at"] is None
        # Revived as it was: another feeds file used on the same database must not
        # reset its back-off or its failing streak.
        keep = ("next_fetch", "failing_since", "error_count")
        assert [dead[k] for k in keep] == [before[k] for k in keep]
        assert dead["error_count"] >= 1
        hits = site.hits("/dead")
        report = crawl(store, load_config(both), force=True)
        assert report.failed == 1 and site.hits("/dead") == hits + 1
        listed = cli_run(store.path, "sources", "--feeds", str(both))
        assert "removed from" not in listed.stdout and "Dead" in listed.stdout
