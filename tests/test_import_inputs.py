"""Bad input: each failure is named, the rest of the import goes on."""

import json
from pathlib import Path

import pytest

from aggregator.pipeline import import_paths
from aggregator.store import open_store


def make_inputs(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text("‘Parasite’ returns\n\nBong Joon-ho's film is back.\n")
    (folder / "empty.txt").write_text("  \n\n")
    (folder / "latin1.txt").write_bytes("Amélie returns\n\nCafé scenes.\n".encode("latin-1"))
    (folder / "notitle.txt").write_text("...\n\nbody\n")
    (folder / "page.html").write_text(
        "<html><head><title>‘Okja’ gets a re-release | Site</title></head><body><article>"
        + "<p>Bong Joon-ho's Okja is coming back to cinemas next month, the studio said.</p>" * 3
        + "</article></body></html>"
    )
    (folder / "blank.html").write_text("<html><body></body></html>")
    (folder / "ignored.pdf").write_bytes(b"%PDF")
    (folder / "batch.jsonl").write_text(
        '{"url": "https://x.example/1", "title": "‘Mickey 17’ trailer", "body": "Out now."}\n'
        "{not json}\n"
        '{"title": "no url"}\n'
        '{"url": "https://x.example/2", "body": "  "}\n'
        '["a list"]\n'
        '{"url": "https://x.example/3", "title": "Dated", "published": "last week"}\n'
        "\n"
        '{"url": "https://x.example/4", "title": "‘Mickey 17’ review", "body": "Pattinson."}\n',
        encoding="utf-8",
    )
    return folder


def test_each_bad_input_gets_one_named_error(db_path: Path, tmp_path: Path) -> None:
    folder = make_inputs(tmp_path)
    with open_store(db_path) as store:
        report = import_paths(store, [folder, tmp_path / "missing.txt"])
    errors = "\n".join(report.errors)
    assert report.new == 4  # good.txt, page.html, two JSONL lines
    assert report.failed == len(report.errors) == 10
    assert "empty.txt: file is empty" in errors
    assert "latin1.txt: not UTF-8" in errors
    assert "notitle.txt: no article found" in errors
    assert "blank.html: no article found" in errors
    assert "batch.jsonl:2: not valid JSON" in errors
    assert "batch.jsonl:3: 'url' is required" in errors
    assert "batch.jsonl:4: no article found" in errors
    assert "batch.jsonl:5: each line must be a JSON object" in errors
    assert "batch.jsonl:6: 'published' is not an ISO 8601 time" in errors
    assert "missing.txt: no such file or directory" in errors
    assert "ignored.pdf" not in errors  # directories are walked for known types only


def test_unreadable_file(db_path: Path, tmp_path: Path) -> None:
    path = tmp_path / "secret.txt"
    path.write_text("Title\n\nBody\n")
    path.chmod(0)
    try:
        with open_store(db_path) as store:
            report = import_paths(store, [path])
    finally:
        path.chmod(0o600)
    if report.failed == 0:  # running as root: permissions do not apply
        assert report.new == 1
    else:
        assert "secret.txt: cannot read" in report.errors[0]


def test_unsupported_file_given_by_name(db_path: Path, tmp_path: Path) -> None:
    path = tmp_path / "notes.docx"
    path.write_bytes(b"PK")
    with open_store(db_path) as store:
        report = import_paths(store, [path])
    assert "unsupported file type '.docx'" in report.errors[0]


def test_a_record_with_a_body_only_and_one_with_half_a_character_are_kept(
    db_path: Path, tmp_path: Path
) -> None:
    path = tmp_path / "odd.jsonl"
    path.write_text(
        # JSON allows an escaped half of a UTF-16 pair; UTF-8 cannot store it.
        '{"url": "https://x.example/1", "title": "Heat returns", "body": "b",'
        ' "source": "Wire \\udfff"}\n'
        '{"url": "https://x.example/2", "body": "Netflix dates Ballerina. It is out in'
        ' October.\\nJeon Jong-seo stars."}\n',
        encoding="utf-8",
    )
    with open_store(db_path) as store:
        report = import_paths(store, [path])
        rows = store.query("SELECT title, body, source FROM articles ORDER BY id")
    assert report.errors == [] and report.new == 2
    assert rows[0]["source"] == "Wire \ufffd"
    # No title: the first line (its first sentence, when long) is the headline.
    assert rows[1]["title"] == "Netflix dates Ballerina. It is out in October."
    assert rows[1]["body"] == "Jeon Jong-seo stars."


def test_a_record_with_an_unusable_url_is_one_error_and_the_rest_is_imported(
    db_path: Path, tmp_path: Path
) -> None:
    first, second = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    first.write_text(
        '{"url": "https://x.example/1", "title": "Heat returns", "body": "b"}\n'
        '{"url": "http://x.example:99999/2", "title": "Bad port", "body": "b"}\n'
        '{"url": "https://x.example/3", "body": "----\\nRonin returns\\nIn cinemas."}\n',
        encoding="utf-8",
    )
    second.write_text('{"url": "https://y.example/1", "title": "Alien returns"}\n')
    with open_store(db_path) as store:
        report = import_paths(store, [first, second])
        titles = [r["title"] for r in store.query("SELECT title FROM articles ORDER BY id")]
    assert report.new == 3 and report.failed == 1
    assert "a.jsonl:2: 'url'" in report.errors[0] and "port" in report.errors[0]
    # A first line with no letters is not a headline: the next one is.
    assert titles == ["Heat returns", "Ronin returns", "Alien returns"]


def test_a_folder_with_nothing_to_import_says_so(db_path: Path, tmp_path: Path) -> None:
    folder = tmp_path / "saved"
    folder.mkdir()
    (folder / "feed.rss").write_text("<rss/>")
    (folder / "a.json").write_text("{}")
    with open_store(db_path) as store:
        report = import_paths(store, [folder])
    assert report.failed == 1
    assert "saved: no .jsonl, .html, .htm or .txt files in this folder" in report.errors[0]
    assert "(2 other files skipped)" in report.errors[0]


def test_a_file_that_is_not_jsonl_gets_one_message_not_one_per_line(
    db_path: Path, tmp_path: Path
) -> None:
    path = tmp_path / "data.jsonl"
    path.write_bytes(b"\xff\xfe binary \x00\n" * 5000)
    with open_store(db_path) as store:
        report = import_paths(store, [path])
    assert report.new == 0
    assert report.failed == len(report.errors) == 1
    assert "data.jsonl: not a JSONL file (its first 20 lines are not JSON)" in report.errors[0]


def test_a_json_error_reads_as_one_sentence(db_path: Path, tmp_path: Path) -> None:
    path = tmp_path / "cut.jsonl"
    path.write_text('{"url": "https://a.example/1", "title": "Cut off')
    with open_store(db_path) as store:
        report = import_paths(store, [path])
    assert "Unterminated string starting at column 41" in report.errors[0]


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("javascript:alert(1)", "it must start with http:// or https://"),
        ("/relative/path", "it must start with http:// or https://"),
        ("https:///", "it has no host name"),
    ],
)
def test_a_record_url_must_be_an_absolute_web_address(
    db_path: Path, tmp_path: Path, url: str, reason: str
) -> None:
    path = tmp_path / "urls.jsonl"
    good = {"url": "https://a.example/1", "title": "Kept", "body": "The other record."}
    path.write_text(json.dumps({"url": url, "title": "T", "body": "B"}) + "\n" + json.dumps(good))
    with open_store(db_path) as store:
        report = import_paths(store, [path])
    assert (report.new, report.failed) == (1, 1)
    assert f"urls.jsonl:1: 'url' {url!r} is not a valid URL: {reason}" in report.errors[0]


def test_importing_a_file_again_adds_no_sightings(db_path: Path, tmp_path: Path) -> None:
    path = tmp_path / "daily.jsonl"
    records = [
        {"url": f"https://a.example/{n}", "title": f"Story {n}", "body": f"Text number {n}."}
        for n in range(3)
    ]
    path.write_text("\n".join(json.dumps(r) for r in records))
    with open_store(db_path) as store:
        for _ in range(3):
            import_paths(store, [path])
        assert store.scalar("SELECT count(*) FROM sightings") == 3
