"""Automatic backups of a library: taking them, listing them and putting one back.

A library's files are read and written here through SQLite only. SQLite's locks are POSIX
advisory locks, which belong to the process: closing any other descriptor of the file would
silently drop the locks of the process's own connections. Copies are made with SQLite's online
backup, and a backup is restored by copying it *into* the live database while holding its
exclusive lock, so that at every instant the path holds either the old or the new library (a
single SQLite transaction), the file keeps its identity, and a program that has the library
open is refused rather than left writing into a file that was moved away.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import shutil
import sqlite3
from pathlib import Path

from corpusdesk.core.errors import LibraryError
from corpusdesk.core.paths import backup_dir, sqlite_uri
from corpusdesk.library.dialects.sqlite_identify import VERSION_TABLE, connect_to_read

LOCK_WAIT_S = 5.0
"""How long a restore waits for other programs to let go of the library before refusing."""
JOURNAL_SUFFIXES = ("-wal", "-shm", "-journal")
IN_USE = (
    "the library {path} is open in another program (the app, an import or another command); "
    "close it and try again"
)


def _stamp() -> str:
    return dt.datetime.now().strftime("%Y%m%d-%H%M%S")


def _unused(path: Path) -> Path:
    """``path``, or the first of ``NAME-2``, ``NAME-3`` … beside it that does not exist yet."""
    base, extension = (path.name[:-3], ".db") if path.name.endswith(".db") else (path.name, "")
    candidate, number = path, 1
    while os.path.lexists(candidate):
        number += 1
        candidate = path.with_name(f"{base}-{number}{extension}")
    return candidate


def _copy_database(source: sqlite3.Connection, target: Path) -> None:
    """Write the database of ``source`` to the new file ``target`` with SQLite's backup.

    The copy is made under a temporary name and renamed when complete, so that a copy cut
    short is never taken for a backup.
    """
    partial = _unused(target.with_name(f".{target.name}.part"))
    try:
        with contextlib.closing(sqlite3.connect(sqlite_uri(partial), uri=True)) as destination:
            source.backup(destination)
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)


BACKUP_MARGIN = 64 * 1024 * 1024
"""Space left free beyond a backup's size when one is made."""


def backup_library(path: Path, label: str) -> Path:
    """Copy the library at ``path`` with SQLite's online backup; return the copy's path.

    Raises ``LibraryError``, before anything is written, when the backups' disk has not room
    for the copy (the library file and its write-ahead log, and a margin).
    """
    folder = backup_dir(path)
    folder.mkdir(parents=True, exist_ok=True)
    needed = (
        sum(part.stat().st_size for part in (path, Path(f"{path}-wal")) if part.exists())
        + BACKUP_MARGIN
    )
    free = shutil.disk_usage(folder).free
    if free < needed:
        raise LibraryError(
            f"the library is backed up before this version changes it, which needs "
            f"{_megabytes(needed)} free, but the disk holding {folder} has {_megabytes(free)}; "
            "free some space and open it again (nothing was changed)"
        )
    target = _unused(folder / f"{path.stem}-{label}-{_stamp()}.db")
    with contextlib.closing(connect_to_read(path)) as source:
        _copy_database(source, target)
    return target


def _megabytes(size: int) -> str:
    return f"{size / 1_000_000:,.0f} MB"


def list_backups(path: Path) -> list[Path]:
    """The automatic backups of the library at ``path``, newest first."""
    folder = backup_dir(Path(path))
    if not folder.is_dir():
        return []
    prefix = f"{Path(path).stem}-"
    found = [
        entry
        for entry in folder.iterdir()
        if entry.name.startswith(prefix) and entry.suffix == ".db" and entry.is_file()
    ]
    return sorted(found, key=lambda p: p.stat().st_mtime, reverse=True)


def restore_backup(path: Path, backup: Path) -> Path | None:
    """Put the automatic ``backup`` in place of the library at ``path``.

    The backup must be a corpusdesk library that passes SQLite's integrity check. The library
    it replaces is never lost: its content is kept beside it as ``NAME.damaged-STAMP``, whose
    path is returned (None when there was no library). Raises ``LibraryError`` when the backup
    is unusable, when another program has the library open, or when the file at ``path`` is an
    SQLite database of another program.
    """
    path, backup = Path(path), Path(backup)
    if path.exists() and backup.exists() and path.samefile(backup):
        raise LibraryError(f"{backup} is the library itself, not a backup of it")
    try:
        with contextlib.closing(_open_backup(backup)) as source:
            if not path.exists():
                _install(path, source)
                return None
            kept = _unused(path.with_name(f"{path.name}.damaged-{_stamp()}"))
            live = _lock(path)
            if live is not None:
                with contextlib.closing(live):
                    if _copy_in_place(live, source, path, kept):
                        return kept
            # SQLite cannot read the file as a database, so nobody can be using it: the
            # damaged file is kept as it is and the backup renamed over it.
            _keep_damaged(path, kept)
            _install(path, source)
            return kept
    except sqlite3.Error as error:
        raise LibraryError(f"cannot restore {backup.name}: {error}") from error


def _open_backup(backup: Path) -> sqlite3.Connection:
    """A read-only connection to ``backup`` once it is known to be a sound corpusdesk library."""
    source = connect_to_read(backup)
    try:
        verdict = source.execute("PRAGMA integrity_check").fetchall()
        if verdict != [("ok",)]:
            raise LibraryError(f"the backup {backup.name} is damaged too")
        if not _is_library(source):
            raise LibraryError(f"{backup.name} is not a backup of a corpusdesk library")
    except sqlite3.DatabaseError as error:
        source.close()
        if _is_damage(error):
            raise LibraryError(f"the backup {backup.name} is damaged too") from error
        raise
    except BaseException:
        source.close()
        raise
    return source


def _is_library(connection: sqlite3.Connection) -> bool:
    return bool(
        connection.execute(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?",
            (VERSION_TABLE,),
        ).fetchone()[0]
    )


def _is_damage(error: sqlite3.Error) -> bool:
    message = str(error)
    return any(sign in message for sign in ("not a database", "malformed", "corrupt"))


def _lock(path: Path) -> sqlite3.Connection | None:
    """A connection holding the exclusive lock of the library at ``path`` until it is closed.

    None when SQLite cannot read the file as a database. In exclusive locking mode a WAL
    database's index lives in this connection's memory, and the lock on the file needs every
    other connection, in any process, to be closed: an open app or a running import, which keep
    theirs for as long as they work, refuse the restore instead of losing what they write.
    """
    connection = sqlite3.connect(
        sqlite_uri(path, mode="rw"), uri=True, timeout=LOCK_WAIT_S, isolation_level=None
    )
    try:
        connection.execute("PRAGMA locking_mode = EXCLUSIVE")
        connection.execute("BEGIN EXCLUSIVE")
        connection.execute("COMMIT")
    except sqlite3.DatabaseError as error:
        connection.close()
        message = str(error)
        if "locked" in message or "busy" in message:
            raise LibraryError(IN_USE.format(path=path)) from error
        if _is_damage(error):
            return None
        raise
    return connection


def _copy_in_place(
    live: sqlite3.Connection, source: sqlite3.Connection, path: Path, kept: Path
) -> bool:
    """Keep the locked library's content as ``kept``, then copy the backup into it.

    False (nothing changed, ``kept`` not made) when the library cannot be read in full.
    """
    try:
        tables = {name for (name,) in live.execute("SELECT name FROM sqlite_master")}
        if tables and VERSION_TABLE not in tables:
            raise LibraryError(f"{path} is an SQLite database but not a corpusdesk library")
        _copy_database(live, kept)
    except sqlite3.DatabaseError as error:
        if not _is_damage(error):
            raise
        return False
    # One transaction on the locked library: a crash leaves the old content or the new.
    source.backup(live)
    return True


def _keep_damaged(path: Path, kept: Path) -> None:
    """Keep the unreadable file at ``path`` (and its journal files) under the name ``kept``."""
    try:
        os.link(path, kept)
    except OSError:
        shutil.copy2(path, kept)  # no connection of ours is open on the file
    # A leftover log must not be replayed into the library restored at ``path``.
    for suffix in JOURNAL_SUFFIXES:
        journal = path.with_name(path.name + suffix)
        if os.path.lexists(journal):
            journal.replace(kept.with_name(kept.name + suffix))


def _install(path: Path, source: sqlite3.Connection) -> None:
    """Put a copy of ``source`` at ``path``, where no readable library is."""
    for suffix in JOURNAL_SUFFIXES:  # left by a library that is gone: not the restored one's
        orphan = path.with_name(path.name + suffix)
        if os.path.lexists(orphan):
            orphan.replace(_unused(path.with_name(f"{path.name}.orphan-{_stamp()}{suffix}")))
    _copy_database(source, path)  # committed (flushed) by SQLite, then renamed over the path
    _sync_folder(path.parent)


def _sync_folder(folder: Path) -> None:
    with contextlib.suppress(OSError):
        descriptor = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
