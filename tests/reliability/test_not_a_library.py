"""What is not a library is never made one: a mistyped path, another program's SQLite file.

Every command of the real CLI (run in this process) is given an SQLite database of another
program (rollback journal, not WAL): each refuses it with one clear line, and the file keeps
its bytes and its journal mode, with nothing made beside it. Commands that only read, tag or
re-clean, run on a path where there is no library, say so and make neither a library nor its
folder; an import (and the app) make a new library there, as asked.
"""

from __future__ import annotations

import contextlib
import hashlib
import sqlite3
from pathlib import Path

import pytest

from corpusdesk.cli import main
from corpusdesk.library.dialects.sqlite_backups import backup_library
from tests.reliability.harness import run_cli, write_pages


def _cli(capsys: pytest.CaptureFixture[str], library: Path, *args: str) -> tuple[int, str, str]:
    """The real command line, run in this process (which keeps no connection afterwards)."""
    status = main(["--library", str(library), *args])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def _one_clear_line(result: tuple[int, str, str], words: str) -> None:
    status, out, err = result
    assert status == 2, out + err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and words in lines[0], err


def _foreign_database(path: Path) -> None:
    with contextlib.closing(sqlite3.connect(path, isolation_level=None)) as connection:
        connection.execute("PRAGMA journal_mode = DELETE")
        connection.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
        connection.executemany(
            "INSERT INTO notes (body) VALUES (?)", [(f"note {n}",) for n in range(200)]
        )


def _state(path: Path) -> tuple[str, list[str], str]:
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    siblings = sorted(p.name for p in path.parent.iterdir())
    uri = f"{path.as_uri()}?mode=ro"
    with contextlib.closing(sqlite3.connect(uri, uri=True)) as connection:
        mode = connection.execute("PRAGMA journal_mode").fetchone()[0]
    return digest, siblings, mode


def test_another_programs_database_is_refused_by_every_command_and_never_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pages = write_pages(tmp_path / "pages", 2)
    sound = tmp_path / "sound" / "lib.db"
    assert run_cli(sound, "import", "--quiet", str(pages[0])).returncode == 0
    backup = backup_library(sound, "test")
    foreign = tmp_path / "notes" / "notes.db"
    foreign.parent.mkdir()
    _foreign_database(foreign)
    before = _state(foreign)
    assert before[2] == "delete"
    commands = [
        ["import", "--quiet", str(pages[1])],
        ["search", "note"],
        ["tag", "add", "x", ""],
        ["tags"],
        ["stats"],
        ["export", "-o", str(tmp_path / "out.jsonl")],
        ["reclean", "--quiet"],
        ["restore", str(backup)],
    ]
    for command in commands:
        _one_clear_line(_cli(capsys, foreign, *command), "not a corpusdesk library")
        assert _state(foreign) == before, command
    status, out, _ = _cli(capsys, foreign, "backups")
    assert status == 0 and "no automatic backups" in out
    assert _state(foreign) == before
    assert not (tmp_path / "out.jsonl").exists()


@pytest.mark.parametrize(
    "command", ["stats", "search", "tags", "export", "backups", "tag", "reclean"]
)
def test_a_mistyped_path_is_no_library_and_makes_nothing(
    tmp_path: Path, command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "mistyped" / "folder" / "lib.db"
    arguments = {
        "search": ["search", "council"],
        "export": ["export", "-o", str(tmp_path / "out.jsonl")],
        "tag": ["tag", "add", "x", ""],
    }.get(command, [command])
    _one_clear_line(_cli(capsys, missing, *arguments), f"no library at {missing}")
    assert list(tmp_path.iterdir()) == []


def test_an_import_makes_a_new_library_with_its_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pages = write_pages(tmp_path / "pages", 1)
    library = tmp_path / "new" / "folder" / "lib.db"
    assert _cli(capsys, library, "import", "--quiet", str(pages[0]))[0] == 0
    status, out, _ = _cli(capsys, library, "stats")
    assert status == 0 and "articles:         1" in out
