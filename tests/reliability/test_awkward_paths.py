"""Libraries under awkward folder and file names, through the real CLI from import to restore.

Each of ``tests.awkward.FOLDER_NAMES`` holds a library named with one of ``LIBRARY_NAMES`` (every
name is used at least once): ``#``, ``?``, ``%``, ``&``, bytes that are not UTF-8, a leading
dash, a newline, both Unicode forms and CJK. A page is imported and tagged, exported where
asked, the library is left at an older schema revision so that the next command migrates it
after an automatic backup, and that backup is restored: the backup must hold the real articles
(a path read as a URI would back up, and restore, another, empty file) and nothing may appear
in the folder but the library's own files.
"""

from __future__ import annotations

import contextlib
import glob
import json
import sqlite3
from collections.abc import Callable
from itertools import cycle
from pathlib import Path

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine

from corpusdesk.cli import main, shown
from corpusdesk.library.dialects.sqlite_backups import list_backups
from corpusdesk.library.dialects.sqlite_engine import register_functions
from corpusdesk.library.migrations import alembic_config
from tests.awkward import FOLDER_NAMES, LIBRARY_NAMES
from tests.factories import article_page

CASES = [
    pytest.param(folder, library, id=f"{folder_kind}/{library_kind}")
    for (folder_kind, folder), (library_kind, library) in zip(
        FOLDER_NAMES.items(), cycle(LIBRARY_NAMES.items()), strict=False
    )
]
assert {case.values[1] for case in CASES} == set(LIBRARY_NAMES.values())


def _cli(capsys: pytest.CaptureFixture[str], library: Path, *args: str) -> str:
    """Run the real command line in this process; its output, after checking it succeeded."""
    status = main(["--library", str(library), *args])
    captured = capsys.readouterr()
    assert status == 0, captured.err
    return captured.out


def _connect(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(path)  # a plain file name: nothing in it is read as a URI


def _count(path: Path) -> int:
    with contextlib.closing(_connect(path)) as connection:
        return int(connection.execute("SELECT count(*) FROM articles").fetchone()[0])


def _with_functions(path: Path) -> sqlite3.Connection:
    connection = _connect(path)
    register_functions(connection)  # stepping back may rebuild the full-text index
    return connection


def _step_back_one_revision(path: Path) -> str:
    """Leave the library as the previous version of corpusdesk wrote it; returns the head."""
    config = alembic_config()
    engine = create_engine("sqlite://", creator=lambda: _with_functions(path))
    try:
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.downgrade(config, "-1")
    finally:
        engine.dispose()
    head = ScriptDirectory.from_config(config).get_current_head()
    assert head is not None
    return head


@pytest.mark.parametrize(("folder_name", "library_name"), CASES)
def test_a_library_under_an_awkward_name_from_import_to_restore(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    figures: Callable[[str], None],
    folder_name: str,
    library_name: str,
) -> None:
    folder = tmp_path / folder_name
    library = folder / library_name
    pages = tmp_path / "pages"
    pages.mkdir()
    first, second = pages / "first.html", pages / "second.html"
    first.write_text(article_page(1, title="Harbour council keeps the ferry"), encoding="utf-8")
    second.write_text(article_page(2, title="Valley market reopens"), encoding="utf-8")

    assert "1 imported" in _cli(capsys, library, "import", "--quiet", str(first))
    assert "tagged 1 article with" in _cli(capsys, library, "tag", "add", "ferry", "")
    exported = folder / f"export of {library_name}.jsonl"
    _cli(capsys, library, "export", "tag:ferry", "-o", str(exported))
    [record] = [json.loads(line) for line in exported.read_text("utf-8").splitlines()]
    assert record["tags"] == ["ferry"] and record["source_name"] == "first.html"

    head = _step_back_one_revision(library)
    _cli(capsys, library, "stats")  # migrates, after an automatic backup
    with contextlib.closing(_connect(library)) as connection:
        assert connection.execute("SELECT version_num FROM alembic_version").fetchone()[0] == head
    [backup] = list_backups(library)
    assert backup.parent.parent == folder and _count(backup) == 1
    assert shown(backup) in _cli(capsys, library, "backups")

    _cli(capsys, library, "import", "--quiet", str(second))
    assert _count(library) == 2
    out = _cli(capsys, library, "restore")
    assert f"restored {shown(library)} from {shown(backup)}" in out
    assert _cli(capsys, library, "search", "--count", "tag:ferry").strip() == "1"
    assert _count(library) == 1
    [kept] = folder.glob(f"{glob.escape(library_name)}.damaged-*")
    assert _count(kept) == 2

    expected = {library.name, exported.name, kept.name, backup.parent.name}
    assert {p.name for p in folder.iterdir()} == expected
    assert set(tmp_path.iterdir()) == {folder, pages}
    figures(f"{folder_name!r}/{library_name!r}: import, tag, export, backup and restore")
