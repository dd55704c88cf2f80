"""Command-line arguments the CLI must refuse in one line, or take, never with a traceback:
queries and tag names that are not UTF-8, queries without a searchable word, huge limits."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from corpusdesk.cli import main
from corpusdesk.library.library import Library
from tests.factories import article_page

NOT_UTF8 = os.fsdecode(b"caf\xe9")
"""An argument holding a byte that is not UTF-8, as Python hands it over from argv."""


@pytest.fixture
def db(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    folder = tmp_path / "pages"
    folder.mkdir()
    for seed in range(3):
        (folder / f"story-{seed}.html").write_text(article_page(seed), encoding="utf-8")
    path = tmp_path / "cli.db"
    assert main(["--library", str(path), "import", "--quiet", str(folder)]) == 0
    capsys.readouterr()
    return path


def _refused(capsys: pytest.CaptureFixture[str], db: Path, *args: str) -> str:
    """The one-line error of a command that must exit 2 and change nothing."""
    status = main(["--library", str(db), *args])
    captured = capsys.readouterr()
    assert status == 2 and captured.out == ""
    assert captured.err.startswith("corpusdesk: error: ") and captured.err.count("\n") == 1
    return captured.err


@pytest.mark.parametrize(
    "args",
    [
        ["search", NOT_UTF8],
        ["search", "--count", f"tag:{NOT_UTF8}"],
        ["tag", "add", "coffee", NOT_UTF8],
        ["tag", "add", NOT_UTF8, "council"],
        ["tag", "remove", NOT_UTF8, "council"],
        ["export", NOT_UTF8, "-o", "{folder}/out.jsonl"],
        ["reclean", "--quiet", NOT_UTF8],
    ],
)
def test_arguments_that_are_not_utf8_are_a_one_line_error(
    capsys: pytest.CaptureFixture[str], db: Path, args: list[str]
) -> None:
    args = [arg.format(folder=db.parent) for arg in args]
    assert "not valid UTF-8" in _refused(capsys, db, *args)
    assert not (db.parent / "out.jsonl").exists()


def test_bytes_in_argv_that_are_not_utf8_are_a_one_line_error(db: Path) -> None:
    command = [sys.executable, "-m", "corpusdesk", "--library", str(db), "search", b"caf\xe9"]
    result = subprocess.run(command, capture_output=True, check=False)
    assert result.returncode == 2 and result.stdout == b""
    assert result.stderr.startswith(b"corpusdesk: error: ") and result.stderr.count(b"\n") == 1


@pytest.mark.parametrize("query", ["!!!", "?", "***", '"—"', " - "])
@pytest.mark.parametrize(
    "command",
    [["search"], ["search", "--count"], ["tag", "add", "all"], ["export"], ["reclean", "--quiet"]],
)
def test_query_without_a_searchable_word_is_refused_not_taken_as_everything(
    capsys: pytest.CaptureFixture[str], db: Path, command: list[str], query: str
) -> None:
    target = db.parent / "out.jsonl"
    output = ["-o", str(target)] if command == ["export"] else []
    assert "no searchable word" in _refused(capsys, db, *command, query, *output)
    assert not target.exists()
    with Library.open(db) as library:
        assert library.tags() == []


def test_omitted_query_still_means_every_article(
    capsys: pytest.CaptureFixture[str], db: Path
) -> None:
    assert main(["--library", str(db), "search", "--count"]) == 0
    assert capsys.readouterr().out == "3\n"


@pytest.mark.parametrize("limit", ["99999999999999999999999", str(2**63), str(2**63 - 1)])
@pytest.mark.parametrize("sort", ["relevance", "published", "tags"])
def test_limit_beyond_64_bits_lists_every_match(
    capsys: pytest.CaptureFixture[str], db: Path, limit: str, sort: str
) -> None:
    status = main(["--library", str(db), "search", "--limit", limit, "--sort", sort, "council"])
    captured = capsys.readouterr()
    assert status == 0 and captured.err == ""
    assert len(captured.out.splitlines()) == 3
