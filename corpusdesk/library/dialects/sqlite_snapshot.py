"""Several read connections to a library file that all see the same committed state.

A long read split over threads (an export reading the next batches while the last ones are
turned into lines) needs one connection a thread, but each SQLite connection reads the state
of the moment its read transaction began: a commit between two of those moments would show
an article before the change to one thread and after it to another. While this process holds
the library's write lock no commit can happen, so the read transactions begun under it share
one state; the lock is held for the milliseconds that takes, and only taken when it is free
at once, so no writer waits longer than that and a busy library simply gets no snapshot.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Sequence
from pathlib import Path

from corpusdesk.core.paths import sqlite_uri
from corpusdesk.library.dialects.sqlite_identify import connect_to_read

LOCK_WAIT_S = 0.2
"""How long to wait for the write lock before doing without a shared snapshot."""


def shared_snapshot(path: Path, count: int) -> list[sqlite3.Connection] | None:
    """``count`` connections to the library at ``path``, each in a read transaction of the
    same committed state, usable from any one thread at a time; None when the write lock is
    not free within :data:`LOCK_WAIT_S` or the file cannot be written (another program could
    still change it, and nothing here could hold it still)."""
    if not (os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)):
        return None
    readers: list[sqlite3.Connection] = []
    try:
        guard = sqlite3.connect(
            sqlite_uri(path, mode="rw"), uri=True, timeout=LOCK_WAIT_S, isolation_level=None
        )
    except sqlite3.Error:
        return None
    with contextlib.closing(guard):
        try:
            guard.execute("BEGIN IMMEDIATE")
        except sqlite3.Error:
            return None
        try:
            for _ in range(count):
                reader = connect_to_read(path, any_thread=True)
                readers.append(reader)
                reader.execute("BEGIN")
                # The snapshot is taken at the first read, not at BEGIN.
                reader.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlite3.Error:
            end_snapshot(readers)
            return None
        finally:
            guard.execute("ROLLBACK")
    return readers


def end_snapshot(readers: Sequence[sqlite3.Connection]) -> None:
    """End the read transactions of ``readers`` and close them."""
    for reader in readers:
        with contextlib.suppress(sqlite3.Error):
            reader.execute("ROLLBACK")
        reader.close()
