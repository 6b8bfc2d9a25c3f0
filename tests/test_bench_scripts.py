"""The evaluation scripts skip cleanly without data and score as documented."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"bench_{name}", ROOT / "bench" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[f"bench_{name}"] = module
    spec.loader.exec_module(module)
    return module


def test_extraction_skips_without_data(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bench = _load("extraction")
    assert bench.main([str(tmp_path / "absent"), "--check"]) == 0
    assert "skipped" in capsys.readouterr().out


def test_body_metric_definitions() -> None:
    bench = _load("extraction")
    assert bench.page_shares("one two three four five", "one two three four five") == (
        1.0,
        0.0,
        0.0,
    )
    assert bench.page_shares("", "") == (0.0, 0.0, 0.0)
    matched, extra, _missed = bench.page_shares("a b c d e", "a b c d x")
    assert matched == pytest.approx(1 / 3) and extra == pytest.approx(1 / 3)
    scores = bench.body_scores([(1.0, 0.0, 0.0), (0.0, 0.0, 1.0)])
    assert scores["precision"] == 1.0 and scores["recall"] == 0.5
    assert bench.norm_title("Title – with ‘quotes’") == "title - with 'quotes'"


def test_floors_file_is_valid() -> None:
    import json

    floors = json.loads((ROOT / "bench" / "floors.json").read_text(encoding="utf-8"))
    assert set(floors["extraction"]) <= {
        "f1",
        "precision",
        "recall",
        "title_exact",
        "pages_per_second",
    }


def _tiny_dataset(folder: Path) -> None:
    """Two pages of our own, in the benchmark's layout."""
    import gzip
    import json

    (folder / "html").mkdir(parents=True)
    (folder / "derived").mkdir()
    text = "A sentence of our own article text that goes on for a while. " * 8
    truth = {}
    for page_id in ("p1", "p2"):
        html = (
            f"<html><head><title>Headline {page_id} here | Site</title></head><body>"
            f"<h1>Headline {page_id} here</h1><p>{text}</p></body></html>"
        )
        (folder / "html" / f"{page_id}.html.gz").write_bytes(gzip.compress(html.encode()))
        truth[page_id] = {"articleBody": text.strip(), "url": f"https://example.invalid/{page_id}"}
    (folder / "ground-truth.json").write_text(json.dumps(truth), encoding="utf-8")
    titles = {"p1": "Headline p1 here", "p2": "Headline p2 here"}
    (folder / "derived" / "silver-titles.json").write_text(json.dumps(titles), encoding="utf-8")


def test_extraction_check_passes_and_fails_on_floors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import json

    bench = _load("extraction")
    _tiny_dataset(tmp_path / "data")
    floors = tmp_path / "floors.json"
    monkeypatch.setattr(bench, "FLOORS", floors)
    floors.write_text(json.dumps({"extraction": {"f1": 0.9, "title_exact": 0.9}}))
    assert bench.main([str(tmp_path / "data"), "--check"]) == 0
    assert "title exact 1.000" in capsys.readouterr().out
    floors.write_text(json.dumps({"extraction": {"f1": 1.01}}))
    assert bench.main([str(tmp_path / "data"), "--check"]) == 1
    assert "below floor" in capsys.readouterr().err
