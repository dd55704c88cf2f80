"""Restoring a backup: never while the library is in use, and never without a library in place.

``corpusdesk restore`` runs as a real child process. While an import is writing, the restore is
refused with one clear line and every article the import reports is in the library afterwards.
A restore killed with SIGKILL before each step that changes a file leaves, every time, a library
at the path holding either its old content or the backup's, never none and never an empty one;
the restored library is the same file (the same inode) as before. A library that is gone
comes back from its newest backup, and the library itself is refused as its own backup.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from corpusdesk.cli import main
from corpusdesk.library.dialects.sqlite_backups import backup_library, list_backups
from tests.reliability.harness import (
    check_library,
    cli_command,
    read_log,
    run_cli,
    write_pages,
)

KILLING_RESTORE = """
import os, signal, sqlite3, sys
from corpusdesk.cli import main

stop, counted = int(sys.argv[1]), [0]

def step():
    counted[0] += 1
    if counted[0] == stop:
        os.kill(os.getpid(), signal.SIGKILL)

def before(function):
    def wrapper(*args, **kwargs):
        step()
        return function(*args, **kwargs)
    return wrapper

for name in ("replace", "rename", "link", "unlink", "remove"):
    setattr(os, name, before(getattr(os, name)))

class Connection(sqlite3.Connection):
    def backup(self, *args, **kwargs):
        step()
        return super().backup(*args, **kwargs)

    def close(self):
        step()
        return super().close()

connect = sqlite3.connect
sqlite3.connect = lambda *args, **kwargs: connect(*args, factory=Connection, **kwargs)
sys.exit(main(["--library", sys.argv[2], "restore"]))
"""
"""Runs ``corpusdesk restore`` and SIGKILLs itself just before the Nth call that can change a
file: a rename, a link, an unlink, an SQLite backup or the closing of an SQLite connection."""


def _articles(path: Path) -> int:
    result = run_cli(path, "stats")
    assert result.returncode == 0, result.stderr
    line = next(line for line in result.stdout.splitlines() if line.startswith("articles:"))
    return int(line.split()[1])


def test_a_restore_killed_at_any_step_leaves_the_old_or_the_new_library(
    tmp_path: Path, figures: Callable[[str], None]
) -> None:
    library = tmp_path / "lib.db"
    pages = write_pages(tmp_path / "pages", 5)
    assert run_cli(library, "import", "--quiet", *map(str, pages[:3])).returncode == 0
    backup_library(library, "test")
    assert run_cli(library, "import", "--quiet", *map(str, pages[3:])).returncode == 0
    assert run_cli(library, "tag", "add", "after", "").returncode == 0
    inode = library.stat().st_ino
    kills = 0
    for stop in range(1, 40):
        restore = subprocess.run(
            [sys.executable, "-c", KILLING_RESTORE, str(stop), str(library)],
            capture_output=True,
            text=True,
            check=False,
        )
        if restore.returncode == 0:
            break
        assert restore.returncode == -9, restore.stderr
        kills += 1
        assert library.exists(), f"no library left after a kill before step {stop}"
        assert len(check_library(library).articles) in (3, 5), f"killed before step {stop}"
    else:
        raise AssertionError("the restore never completed")
    assert _articles(library) == 3
    assert "after" not in check_library(library).tags
    assert library.stat().st_ino == inode
    kept = [check_library(p) for p in tmp_path.glob("lib.db.damaged-*")]
    assert any(len(state.articles) == 5 and "after" in state.tags for state in kept)
    figures(f"restore killed before each of its {kills} steps: old or new library every time")


def test_a_restore_is_refused_while_an_import_is_running(tmp_path: Path) -> None:
    library, log = tmp_path / "lib.db", tmp_path / "import.log"
    write_pages(tmp_path / "first", 2)
    assert run_cli(library, "import", "--quiet", str(tmp_path / "first")).returncode == 0
    backup_library(library, "test")
    write_pages(tmp_path / "pages", 60, start=10)
    importing = subprocess.Popen(
        cli_command(library, "import", "--quiet", "--log", str(log), str(tmp_path / "pages")),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        wal = library.with_name(library.name + "-wal")  # there while a connection is open
        deadline = time.monotonic() + 60
        while not wal.exists() and time.monotonic() < deadline:
            time.sleep(0.02)
        time.sleep(0.5)
        # Paused midway, the import keeps the library open as it does while it works.
        os.kill(importing.pid, signal.SIGSTOP)
        assert importing.poll() is None, "the import ended before the restore could be tried"
        restore = run_cli(library, "restore")
    finally:
        os.kill(importing.pid, signal.SIGCONT)
        _, errors = importing.communicate(timeout=300)
    assert importing.returncode == 0, errors
    assert restore.returncode == 2 and "Traceback" not in restore.stderr, restore.stderr
    assert len(restore.stderr.strip().splitlines()) == 1
    assert "open in another program" in restore.stderr
    reported = {line.article_id for line in read_log(log) if line.outcome == "imported"}
    state = check_library(library)
    assert len(reported) == 60 and reported <= set(state.articles)
    assert list(tmp_path.glob("lib.db.damaged-*")) == []
    assert len(list_backups(library)) == 1


def test_a_lost_library_comes_back_from_its_backup(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    library = tmp_path / "lib.db"
    pages = write_pages(tmp_path / "pages", 2)
    assert main(["--library", str(library), "import", "--quiet", *map(str, pages)]) == 0
    backup = backup_library(library, "test")
    assert main(["--library", str(library), "restore", str(library)]) == 2
    assert "the library itself" in capsys.readouterr().err
    library.unlink()  # lost: deleted by mistake, or a disk that failed
    assert main(["--library", str(library), "backups"]) == 0
    assert str(backup) in capsys.readouterr().out
    assert main(["--library", str(library), "restore"]) == 0
    assert len(check_library(library).articles) == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == [".lib.db.backups", "lib.db", "pages"]
