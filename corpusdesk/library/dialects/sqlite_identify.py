"""What is at a library path, found out read-only before anything writes to it.

Opening a library read-write switches it to WAL journaling and may migrate it, so a file must
be known to be a corpusdesk library (or nothing yet) first. ``library_revision`` asks on a
connection that makes no change (``query_only``) and sets no journal mode: an SQLite file of
another program keeps its bytes and its journal mode, and a damaged file is never written to.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from pathlib import Path

from corpusdesk.core.errors import LibraryError
from corpusdesk.core.paths import sqlite_uri

BUSY_TIMEOUT_MS = 30_000
VERSION_TABLE = "alembic_version"
"""The table Alembic keeps a library's schema revision in: what marks a corpusdesk library."""


def wal_path(path: Path) -> Path:
    """The write-ahead log file beside the library at ``path``."""
    return path.with_name(path.name + "-wal")


def read_only_uri(path: Path) -> str:
    """The URI of a read-only connection to the library at ``path``."""
    # In a folder nobody can write to (a read-only disk or share) SQLite cannot make the files
    # a WAL library's readers need; with no write-ahead log pending, the file is opened as
    # immutable instead, which needs none.
    if not os.access(path.parent, os.W_OK) and not wal_path(path).exists():
        return sqlite_uri(path, mode="ro", immutable="1")
    return sqlite_uri(path, mode="ro")


def connect_to_read(path: Path, *, any_thread: bool = False) -> sqlite3.Connection:
    """A connection to the database at ``path`` that makes no change to it (``query_only``);
    with ``any_thread``, usable from another thread than the one that opened it (one at a
    time)."""
    # A connection opened with mode=ro leaves the -wal and -shm files it makes for a WAL
    # database beside it (it may not remove them); one that may write but is told to make no
    # change removes them again when it closes, and never touches the journal mode.
    writable = os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)
    uri = sqlite_uri(path, mode="rw") if writable else read_only_uri(path)
    connection = sqlite3.connect(
        uri,
        uri=True,
        timeout=BUSY_TIMEOUT_MS / 1000,
        isolation_level=None,
        check_same_thread=not any_thread,
    )
    connection.execute("PRAGMA query_only = ON")
    return connection


def library_revision(path: Path) -> str | None:
    """The schema revision of the corpusdesk library at ``path``; None when nothing is there yet.

    Nothing is there yet when there is no file, an empty file or an SQLite file without
    tables. Raises ``LibraryError`` for an SQLite file of another program and ``sqlite3.Error``
    when the file cannot be read as a database (damaged, not SQLite, locked).
    """
    if not path.exists() or path.stat().st_size == 0:
        return None
    connection = connect_to_read(path)
    with contextlib.closing(connection):
        tables = {
            name
            for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        }
        if not tables:
            return None
        revision = None
        if VERSION_TABLE in tables:
            row = connection.execute(f"SELECT version_num FROM {VERSION_TABLE}").fetchone()
            revision = row[0] if row else None
    if revision is None:
        raise LibraryError(f"{path} is an SQLite database but not a corpusdesk library")
    return str(revision)
