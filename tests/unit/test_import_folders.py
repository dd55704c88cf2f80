"""What an import finds in folders: nothing unreadable is left out in silence, and the
library's own files are never opened, through the real CLI in a child process."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.factories import article_page

# Records every file the importing process opens among the paths given first on its command
# line, then runs the CLI on the rest.
WATCH_OPENS = """
import os, sys
watched = set(sys.argv[1].split("\\n"))
opened = []
def record(event, args):
    if event == "open" and isinstance(args[0], (str, bytes)):
        if os.path.abspath(os.fsdecode(args[0])) in watched:
            opened.append(os.fsdecode(args[0]))
sys.addaudithook(record)
from corpusdesk.cli import main
status = main(sys.argv[2:])
print("opened:", sorted(set(opened)))
sys.exit(status)
"""


def _cli(library: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "corpusdesk", "--library", str(library), *args]


def _without_permission_override(command: list[str]) -> list[str]:
    """``command`` run without the capabilities that let root read any file or folder."""
    if os.geteuid() != 0:
        return command
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without setpriv: permissions cannot be denied")
    caps = "-dac_override,-dac_read_search"
    return [setpriv, f"--inh-caps={caps}", f"--bounding-set={caps}", *command]


@pytest.fixture
def pages(tmp_path: Path) -> Path:
    folder = tmp_path / "pages"
    folder.mkdir()
    for seed in range(2):
        (folder / f"story-{seed}.html").write_text(article_page(seed), encoding="utf-8")
    return folder


@pytest.fixture
def locked(pages: Path) -> Iterator[tuple[Path, Path]]:
    """A sub-folder that cannot be listed and one whose files cannot be reached."""
    unlisted, unsearchable = pages / "unlisted", pages / "unsearchable"
    for seed, folder in enumerate((unlisted, unsearchable), start=10):
        folder.mkdir()
        (folder / "inside.html").write_text(article_page(seed), encoding="utf-8")
    unlisted.chmod(0)
    unsearchable.chmod(0o444)
    try:
        yield unlisted, unsearchable
    finally:
        unlisted.chmod(0o755)
        unsearchable.chmod(0o755)


def test_unreadable_sub_folders_and_files_are_reported_as_failures(
    tmp_path: Path, pages: Path, locked: tuple[Path, Path]
) -> None:
    unlisted, unsearchable = locked
    command = _cli(tmp_path / "lib.db", "import", "--quiet", str(pages))
    result = subprocess.run(
        _without_permission_override(command), capture_output=True, text=True, check=False
    )
    assert result.returncode == 1, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert lines[-1] == "2 imported, 0 already in the library, 2 failed"
    assert f"failed: {unlisted}: cannot read the folder: Permission denied" in lines
    unreachable = unsearchable / "inside.html"
    assert f"failed: {unreachable}: cannot read the file: Permission denied" in lines


def test_library_files_in_an_imported_folder_are_passed_over_unopened(
    tmp_path: Path, pages: Path
) -> None:
    library = pages / "corpus"  # no extension: anything else in a folder would be sniffed
    own_files = [str(library.with_name(library.name + s)) for s in ("", "-wal", "-shm")]
    watch = "\n".join(own_files)
    result = subprocess.run(
        [sys.executable, "-c", WATCH_OPENS, watch, *_cli(library, "import", str(pages))[3:]],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 imported, 0 already in the library, 0 failed" in result.stdout
    assert "opened: []" in result.stdout

    named = subprocess.run(
        [sys.executable, "-c", WATCH_OPENS, watch, *_cli(library, "import", str(library))[3:]],
        capture_output=True,
        text=True,
        check=False,
    )
    assert named.returncode == 1
    assert f"failed: {library}: is the corpusdesk library itself" in named.stdout
    assert "opened: []" in named.stdout
    with sqlite3.connect(library) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert connection.execute("SELECT count(*) FROM articles").fetchone() == (2,)


def test_library_files_among_a_saved_pages_images_are_not_opened(
    tmp_path: Path, pages: Path
) -> None:
    assets = pages / "story-0_files"
    assets.mkdir()
    (assets / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    library = assets / "corpus.png"  # an image's name: the saved page's images are read
    watch = "\n".join(str(library.with_name(library.name + s)) for s in ("", "-wal", "-shm"))
    result = subprocess.run(
        [sys.executable, "-c", WATCH_OPENS, watch, *_cli(library, "import", str(pages))[3:]],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 imported, 0 already in the library, 0 failed" in result.stdout
    assert "opened: []" in result.stdout
