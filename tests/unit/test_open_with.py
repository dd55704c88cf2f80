"""``corpusdesk FILE…``: files where a subcommand would stand are files to open in the app."""

from __future__ import annotations

from pathlib import Path

import pytest

from corpusdesk.cli import split_files_to_open


@pytest.fixture
def page(tmp_path: Path) -> Path:
    path = tmp_path / "saved page.html"
    path.write_text("<html><body><p>text</p></body></html>", encoding="utf-8")
    return path


def test_existing_paths_are_files_to_open(page: Path, tmp_path: Path) -> None:
    assert split_files_to_open([str(page), str(tmp_path)]) == ([], [page, tmp_path])


def test_options_before_the_files_stay_options(page: Path) -> None:
    argv = ["--library", "other.db", "--quit-after", "3", str(page)]
    assert split_files_to_open(argv) == (argv[:4], [page])
    assert split_files_to_open(["--library=x.db", str(page)]) == (["--library=x.db"], [page])


def test_relative_paths_become_absolute(page: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(page.parent)
    assert split_files_to_open([page.name]) == ([], [page])


def test_subcommands_win_over_files_of_the_same_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "stats").write_text("a file named like a subcommand")
    assert split_files_to_open(["stats"]) == (["stats"], [])
    assert split_files_to_open(["import", "stats"]) == (["import", "stats"], [])


def test_anything_else_is_left_to_the_parser(page: Path, tmp_path: Path) -> None:
    for argv in ([], ["--version"], [str(page), str(tmp_path / "missing.html")], ["serch", "x"]):
        assert split_files_to_open(argv) == (argv, [])
