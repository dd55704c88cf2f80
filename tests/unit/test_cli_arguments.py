"""Command-line arguments the CLI must refuse in one line, or take, never with a traceback:
queries and tag names that are not UTF-8, queries without a searchable word, huge limits, and
query words that begin with a dash."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

import pytest

from corpusdesk.cli import (
    QUERY_COMMAND_OPTIONS,
    QUERY_COMMAND_VALUE_OPTIONS,
    QUERY_COMMANDS,
    build_parser,
    main,
    shield_query_words,
)
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


@pytest.mark.parametrize(
    "args",
    [
        ["search", "--count", "-title:1"],
        ["search", "-title:1", "--count"],
        ["search", "--count", "council", "-title:1"],
        ["search", "--count", "--", "-title:1"],
        ["search", "--count", "–title:1"],
        ["search", "--count", "-", "-title:1"],
        ["search", "--limit", "5", "--count", "-title:1"],
        ["search", "--count", "--sort=title", "-title:1"],
        ["search", "--count", "title:part", "-title:1", "or", "title:1", "-title:1"],
    ],
)
def test_query_words_may_begin_with_a_dash(
    capsys: pytest.CaptureFixture[str], db: Path, args: list[str]
) -> None:
    assert main(["--library", str(db), *args]) == 0
    assert capsys.readouterr().out == "2\n"


def test_query_arguments_are_joined_and_dashed_words_negate(
    capsys: pytest.CaptureFixture[str], db: Path
) -> None:
    assert main(["--library", str(db), "search", "--count", "title:part", "or", "council"]) == 0
    assert capsys.readouterr().out == "3\n"
    target = db.parent / "out.jsonl"
    assert main(["--library", str(db), "export", "-title:1", "-o", str(target)]) == 0
    assert len(target.read_text("utf-8").splitlines()) == 2
    assert main(["--library", str(db), "tag", "add", "kept", "-title:1", "-title:2"]) == 0
    assert "tagged 1 article with" in capsys.readouterr().out
    assert main(["--library", str(db), "reclean", "--quiet", "-tag:kept"]) == 0
    assert capsys.readouterr().out.startswith("2 articles re-cleaned")


def test_a_mistyped_long_option_is_still_an_error(
    capsys: pytest.CaptureFixture[str], db: Path
) -> None:
    with pytest.raises(SystemExit) as raised:
        main(["--library", str(db), "search", "--cont", "council"])
    assert raised.value.code == 2
    assert "unrecognized arguments: --cont" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["search", "-war"], ["search", " -war"]),
        (["--library", "x.db", "search", "-war"], ["--library", "x.db", "search", " -war"]),
        (["search", "--limit", "-5", "-war"], ["search", "--limit", "-5", " -war"]),
        (["search", "--", "-war"], ["search", "--", "-war"]),
        (["search", "-h"], ["search", "-h"]),
        (["search", "-"], ["search", "-"]),
        (["export", "-o", "-x.json", "-war"], ["export", "-o", "-x.json", " -war"]),
        (["export", "-ofile.json"], ["export", " -ofile.json"]),
        (["tag", "add", "-x", "-war"], ["tag", "add", " -x", " -war"]),
        (["import", "-war"], ["import", "-war"]),
        (["--library", "x.db", "-war"], ["--library", "x.db", "-war"]),
        ([], []),
    ],
)
def test_which_arguments_are_taken_for_query_words(argv: list[str], expected: list[str]) -> None:
    assert shield_query_words(argv) == expected


def test_the_known_subcommand_options_are_those_of_the_parser() -> None:
    parser = build_parser()
    commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    short, valued = set(), set()
    for name in QUERY_COMMANDS:
        for action in commands.choices[name]._actions:
            for flag in action.option_strings:
                takes_value = action.nargs != 0
                if not flag.startswith("--"):
                    short.add((flag, takes_value))
                elif takes_value:
                    valued.add(flag)
    assert short == set(QUERY_COMMAND_OPTIONS.items())
    assert valued == set(QUERY_COMMAND_VALUE_OPTIONS)
