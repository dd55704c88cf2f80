"""The command line, run in-process: import, search, tag, export, stats and their exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from corpusdesk.cli import main
from corpusdesk.library.dialects.sqlite_backups import backup_library
from corpusdesk.library.library import Library
from tests.factories import article_page

SCHEMA = Path(__file__).resolve().parents[2] / "resources" / "article.schema.json"


@pytest.fixture
def pages(tmp_path: Path) -> Path:
    folder = tmp_path / "pages"
    folder.mkdir()
    for seed, site in enumerate(["Harbour Gazette", "Harbour Gazette", "Valley Post"]):
        (folder / f"story-{seed}.html").write_text(article_page(seed, site=site), encoding="utf-8")
    return folder


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_import_search_tag_export(
    tmp_path: Path, pages: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "cli.db")
    status, out, _ = run(capsys, "--library", db, "import", str(pages))
    assert status == 0 and "3 imported, 0 already in the library, 0 failed" in out

    status, out, _ = run(capsys, "--library", db, "search", "site:valley")
    assert status == 0 and out.count("\n") == 1 and "Valley Post" in out
    status, out, _ = run(capsys, "--library", db, "search", "--limit", "1", "")
    assert status == 0 and out.splitlines()[-1] == "… 2 more (use --limit 0 to list all)"
    status, out, _ = run(capsys, "--library", db, "search", "--limit", "0", "")
    assert status == 0 and out.count("\n") == 3

    status, out, _ = run(capsys, "--library", db, "tag", "add", "winter", "site:harbour")
    assert status == 0 and "tagged 2 articles" in out
    status, out, _ = run(capsys, "--library", db, "tags")
    assert out.split() == ["2", "winter"]

    target = tmp_path / "out.jsonl"
    status, out, _ = run(capsys, "--library", db, "export", "tag:winter", "-o", str(target))
    assert status == 0
    records = [json.loads(line) for line in target.read_text("utf-8").splitlines()]
    schema = json.loads(SCHEMA.read_text("utf-8"))
    assert len(records) == 2
    for record in records:
        jsonschema.validate(record, schema)
        assert record["tags"] == ["winter"] and record["site_name"] == "Harbour Gazette"

    status, out, _ = run(capsys, "--library", db, "stats")
    assert "articles:         3" in out


def test_tags_added_in_other_cases_are_one_tag(
    tmp_path: Path, pages: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "cli.db")
    run(capsys, "--library", db, "import", str(pages))
    status, out, _ = run(capsys, "--library", db, "tag", "add", "Ärger", "site:harbour")
    assert status == 0 and "tagged 2 articles" in out
    status, out, _ = run(capsys, "--library", db, "tag", "add", "ärger", "site:valley")
    assert status == 0 and "tagged 1 article with" in out
    status, out, _ = run(capsys, "--library", db, "tags")
    assert out.split() == ["3", "Ärger"]
    status, out, _ = run(capsys, "--library", db, "search", "--count", "tag:ÄRGER")
    assert out == "3\n"


def test_failed_file_sets_exit_status(
    tmp_path: Path, pages: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (pages / "broken.html").write_bytes(b"\x00\x01\x02" * 100)
    status, out, _ = run(capsys, "--library", str(tmp_path / "cli.db"), "import", str(pages))
    assert status == 1
    assert "failed: " in out and "broken.html" in out
    assert "3 imported" in out


def test_malformed_query_is_one_line_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    Library.open(tmp_path / "cli.db").close()
    status, out, err = run(capsys, "--library", str(tmp_path / "cli.db"), "search", "(ceasefire")
    assert status == 2 and out == ""
    assert err.startswith("corpusdesk: error:") and "position" in err
    assert err.count("\n") == 1


def test_library_from_environment(
    tmp_path: Path, pages: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "env.db"
    monkeypatch.setenv("CORPUSDESK_LIBRARY", str(db))
    status, _, _ = run(capsys, "import", str(pages / "story-0.html"))
    assert status == 0 and db.exists()


def test_backups_and_restore_work_on_a_library_that_no_longer_opens(
    tmp_path: Path, pages: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "cli.db"
    status, _, err = run(capsys, "--library", str(db), "restore")
    assert status == 2 and "there is no automatic backup" in err

    assert run(capsys, "--library", str(db), "import", str(pages))[0] == 0
    status, out, _ = run(capsys, "--library", str(db), "backups")
    assert status == 0 and out == f"no automatic backups of {db}\n"
    backup = backup_library(db, "test")
    status, out, _ = run(capsys, "--library", str(db), "backups")
    assert status == 0 and out.startswith(f"{backup}  (")

    db.write_bytes(db.read_bytes()[:4096])  # the disk fails
    db.with_name(db.name + "-wal").unlink(missing_ok=True)
    status, _, err = run(capsys, "--library", str(db), "stats")
    assert status == 2 and "Traceback" not in err
    status, out, _ = run(capsys, "--library", str(db), "restore")
    assert status == 0 and f"restored {db} from {backup}" in out
    assert "kept as" in out
    status, out, _ = run(capsys, "--library", str(db), "stats")
    assert status == 0 and "articles:         3" in out
