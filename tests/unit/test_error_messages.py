"""What the library says when SQLite fails: true to what happened, and never more."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from corpusdesk.library.library import _read_failure


def test_a_failed_read_does_not_claim_anything_about_saving(tmp_path: Path) -> None:
    message = _read_failure(sqlite3.OperationalError("disk I/O error"), tmp_path / "lib.db")
    assert message == "the library file could not be read (disk I/O error)"
