"""Messages for failures the user can act on."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from corpusdesk.library.library import Library


def test_a_failed_read_does_not_claim_anything_about_saving(tmp_path: Path) -> None:
    with Library.open(tmp_path / "lib.db") as library:
        message = library.backend.read_failure(sqlite3.OperationalError("disk I/O error"))
    assert message == "the library file could not be read (disk I/O error)"
