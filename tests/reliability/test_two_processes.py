"""Two programs on one library: the app's writes and a CLI import at the same time.

While ``corpusdesk import`` runs in another process, this process keeps tagging, searching
and counting through the library as the GUI does: every call must succeed (writers wait for
each other under WAL and the busy timeout) and the import must finish with no lock error. When
another program holds the write lock longer than the busy timeout, the user gets one clear
message, never a 'database is locked' traceback, and reads still work meanwhile.
"""

from __future__ import annotations

import sqlite3
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from corpusdesk import cli
from corpusdesk.core.errors import LibraryError
from corpusdesk.library.dialects import sqlite_engine as engine
from corpusdesk.library.library import Library
from tests.reliability.harness import check_library, cli_command, run_cli, write_pages


def test_app_writes_while_a_cli_import_runs(tmp_path: Path, figures: Callable[[str], None]) -> None:
    path = tmp_path / "lib.db"
    write_pages(tmp_path / "first", 10)
    write_pages(tmp_path / "second", 200, start=10)
    assert run_cli(path, "import", "--quiet", str(tmp_path / "first")).returncode == 0
    operations = 0
    with Library.open(path) as library:
        importer = subprocess.Popen(
            cli_command(path, "import", "--quiet", str(tmp_path / "second")),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        while importer.poll() is None or operations < 20:
            ids = library.search_ids("")
            library.add_tag(ids, f"batch {operations % 5}")
            library.remove_tag(ids[: len(ids) // 2], f"batch {(operations + 1) % 5}")
            assert library.count() == len(library.search_ids(""))
            operations += 1
        out, err = importer.communicate()
        final = library.count()
    assert importer.returncode == 0, err
    assert "locked" not in err + out and "Traceback" not in err
    assert final == 210 and len(check_library(path).articles) == 210
    figures(f"{operations} tag/search rounds in this process during a 200-page CLI import: all ok")


def test_a_lock_held_too_long_is_one_clear_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "lib.db"
    write_pages(tmp_path / "pages", 3)
    assert run_cli(path, "import", "--quiet", str(tmp_path / "pages")).returncode == 0
    monkeypatch.setattr(engine, "BUSY_TIMEOUT_MS", 300)
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with Library.open(path) as library:
            assert library.count() == 3  # reading goes on while another program writes
            with pytest.raises(LibraryError, match="busy in another program"):
                library.add_tag(library.search_ids(""), "waiting")
        status = cli.main(["--library", str(path), "tag", "add", "waiting", ""])
        err = capsys.readouterr().err
        assert status == 2 and "busy in another program" in err
        assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    finally:
        holder.rollback()
        holder.close()
    with Library.open(path) as library:
        assert library.tags() == []
