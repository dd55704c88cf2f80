"""Opening a library file: the engine, per-connection pragmas and migrations.

Every connection gets WAL journaling, foreign keys and a busy timeout, so a GUI and a CLI import
can share one library: a writer waits for the other instead of failing. Transactions are begun
by us (``BEGIN`` or ``BEGIN IMMEDIATE`` for writes) rather than by the sqlite3 module, so a write
unit takes the lock up front instead of failing halfway when another process holds it.
Migrations (Alembic) run on open when the file is behind; an existing library is backed up first.
A file is opened read-write only once a look that changes nothing (``identify``) has found it
to be a corpusdesk library or nothing yet.
"""

from __future__ import annotations

import contextlib
import shutil
import sqlite3
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.exc import DatabaseError, OperationalError
from sqlalchemy.pool import NullPool, QueuePool

from corpusdesk.core.errors import LibraryError
from corpusdesk.core.folding import fold_field
from corpusdesk.core.fulltext import index_form
from corpusdesk.core.paths import sqlite_uri
from corpusdesk.library.dialects.sqlite_backups import backup_library
from corpusdesk.library.dialects.sqlite_identify import library_revision, read_only_uri
from corpusdesk.library.migrations import alembic_config

BUSY_TIMEOUT_MS = 30_000
IMMEDIATE = "corpusdesk_immediate"
"""Execution option: begin the transaction with ``BEGIN IMMEDIATE`` (take the write lock now)."""
INDEX_FORM_FUNCTION = "corpusdesk_index_form"
"""The SQL function giving the full-text index its text (see ``corpusdesk.core.fulltext``)."""
FOLD_FUNCTION = "corpusdesk_fold"
"""The SQL function folding a field for search (see ``corpusdesk.core.folding``)."""


def _index_form(value: str | None) -> str | None:
    return index_form(value) if isinstance(value, str) else value


def _fold(value: str | None) -> str | None:
    return fold_field(value) if isinstance(value, str) else value


def register_functions(connection: sqlite3.Connection) -> None:
    """Give ``connection`` the SQL functions a library needs.

    The full-text index's triggers and its content view call ``corpusdesk_index_form``, and the
    triggers keeping ``folded_fields`` call ``corpusdesk_fold``: without them, a connection can
    read articles and search, but not add an article or change its title, authors, site or
    text, nor run FTS5's integrity check or rebuild.
    """
    connection.create_function(INDEX_FORM_FUNCTION, 1, _index_form, deterministic=True)
    connection.create_function(FOLD_FUNCTION, 1, _fold, deterministic=True)


def _on_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
    dbapi_connection.isolation_level = None
    register_functions(dbapi_connection)
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    with contextlib.suppress(sqlite3.OperationalError):  # a read-only file keeps its mode
        cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA synchronous = NORMAL")
    # A small page cache and no memory map: queries read narrow indexes, so a larger cache
    # (per connection) or mapped file pages only add to the memory a session holds.
    cursor.execute("PRAGMA cache_size = -16384")
    cursor.execute("PRAGMA temp_store = MEMORY")
    cursor.execute("PRAGMA mmap_size = 0")
    cursor.close()


def _on_begin(connection: Any) -> None:
    immediate = connection.get_execution_options().get(IMMEDIATE, False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def create_library_engine(path: Path, *, read_only: bool = False) -> Engine:
    """An engine for the SQLite file at ``path`` with corpusdesk's connection settings."""
    # Connections are made from a quoted URI by our own function: a URL built from the path
    # would be parsed again, and a ``#``, ``?`` or ``%`` in it would name another file.
    uri = read_only_uri(path) if read_only else sqlite_uri(path)

    def connect() -> sqlite3.Connection:
        return sqlite3.connect(uri, uri=True, check_same_thread=False)

    engine = create_engine(
        "sqlite://", creator=connect, poolclass=NullPool if read_only else QueuePool
    )
    event.listen(engine, "connect", _on_connect)
    event.listen(engine, "begin", _on_begin)
    return engine


def _current_and_head(engine: Engine, config: Config) -> tuple[str | None, str | None]:
    head = ScriptDirectory.from_config(config).get_current_head()
    with engine.connect() as connection:
        current = MigrationContext.configure(connection).get_current_revision()
    return current, head


def _has_user_tables(engine: Engine) -> bool:
    with engine.connect() as connection:
        count = connection.execute(
            text("SELECT count(*) FROM sqlite_master WHERE type = 'table'")
        ).scalar_one()
    return bool(count)


def _check_before_opening(path: Path, config: Config, *, read_only: bool, create: bool) -> None:
    """Refuse, before anything is written, a file that must not be opened read-write."""
    try:
        revision = library_revision(path)
    except sqlite3.Error as error:
        raise LibraryError(f"cannot open library {path}: {_sqlite_reason(error, path)}") from error
    if revision is None:
        if read_only or not create:
            raise LibraryError(f"no library at {path}")
        return
    scripts = ScriptDirectory.from_config(config)
    if revision not in {script.revision for script in scripts.walk_revisions()}:
        raise LibraryError(
            f"{path} was written by a newer corpusdesk (schema {revision}); please upgrade"
        )
    if read_only and revision != scripts.get_current_head():
        raise LibraryError(f"{path} needs a schema upgrade but is read-only")


def open_engine(path: Path, *, read_only: bool = False, create: bool = True) -> Engine:
    """Open the library at ``path`` and bring its schema up to date.

    With ``create`` a new library is made when there is none (creating its folder); without
    it, ``LibraryError("no library at PATH")``. Raises ``LibraryError`` when the file is not a
    corpusdesk library, is corrupt, or is newer than this version of corpusdesk understands;
    such a file is never written to.
    """
    path = Path(path)
    if path.is_dir():
        raise LibraryError(f"{path} is a folder, not a library file")
    config = alembic_config()
    _check_before_opening(path, config, read_only=read_only, create=create)
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
    engine = create_library_engine(path, read_only=read_only)
    try:
        with engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA schema_version").scalar()
        current, head = _current_and_head(engine, config)
        if current == head:
            return engine
        if read_only:
            raise LibraryError(f"{path} needs a schema upgrade but is read-only")
        if current is None and _has_user_tables(engine):
            raise LibraryError(f"{path} is an SQLite database but not a corpusdesk library")
        if current is not None:
            backup_library(path, f"before-{head}")
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
    except (DatabaseError, OperationalError, sqlite3.Error) as error:
        engine.dispose()
        raise LibraryError(f"cannot open library {path}: {_sqlite_reason(error, path)}") from error
    except LibraryError:
        engine.dispose()
        raise
    return engine


def disk_is_full(path: Path) -> bool:
    """Whether the file system holding ``path`` has (almost) no space left."""
    try:
        return shutil.disk_usage(path.parent if not path.is_dir() else path).free < 1024 * 1024
    except OSError:
        return False


def io_failure_reason(path: Path, message: str) -> str | None:
    """A clear reason for a full disk or a failed write to the library, None for other errors."""
    if "full" in message or ("disk I/O" in message and disk_is_full(path)):
        return "the disk is full; free some space and try again"
    if "disk I/O" in message:
        return "the library file could not be written or read (disk I/O error); nothing was saved"
    return None


def _sqlite_reason(error: Exception, path: Path | None = None) -> str:
    message = str(getattr(error, "orig", error))
    io_reason = io_failure_reason(path, message) if path is not None else None
    if io_reason is not None:
        return io_reason
    if "not a database" in message or "malformed" in message:
        return "the file is damaged or is not a corpusdesk library"
    if "locked" in message or "busy" in message:
        return "another program holds the library locked; try again in a moment"
    if "readonly" in message or "read-only" in message:
        return "the library file is read-only"
    return message
