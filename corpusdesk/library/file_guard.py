"""Keep SQLite's locks: in a process with a library open, only SQLite opens the library's files.

SQLite coordinates processes with POSIX advisory locks, and those belong to the process, not to
the descriptor: when anything else in the process opens one of the library's files and closes
it again (a hash, a copy, a sniff of its first bytes), every lock the process holds on that file
is silently released. Another process then believes it is the last user of the library, checkpoints
and deletes the write-ahead log under this process's feet, and whatever this process writes from
then on is lost.

:func:`guard` is called for every library a process opens. It installs (once per process) an
audit hook that refuses Python-level opens of a guarded library's files with
:class:`LibraryFileProtected`, a ``PermissionError``, so code that reads user-chosen files
(a folder import that meets the library) reports that one file instead of breaking the
library. Code outside Python's reach (a GUI toolkit's file dialog reading files to guess
their type) is why the desktop window keeps its connections in a process of their own.
"""

# This runs inside an audit hook on every open: plain os.path string functions, which touch
# no file system (unlike Path.resolve), keep it cheap.
# ruff: noqa: PTH100, PTH116

from __future__ import annotations

import os
import sys
import threading
from pathlib import Path
from typing import Any

SIBLING_SUFFIXES = ("", "-wal", "-shm", "-journal")
"""The database file and the files SQLite keeps beside it."""

FileIdentity = tuple[int, int]


class LibraryFileProtected(PermissionError):
    """Something other than SQLite tried to open a library this process has open."""


class _Guarded:
    """The files of the libraries open in this process: by path and by identity."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.users: dict[str, int] = {}
        self.paths: frozenset[str] = frozenset()
        self.identities: frozenset[FileIdentity] = frozenset()
        self.busy = threading.local()

    def rebuild(self) -> None:
        paths: set[str] = set()
        identities: set[FileIdentity] = set()
        for database in self.users:
            for name in library_files(Path(database)):
                paths.add(os.path.abspath(name))
                paths.add(os.path.realpath(name))
                identity = _identity(name)
                if identity is not None:
                    identities.add(identity)
        self.paths = frozenset(paths)
        self.identities = frozenset(identities)


_GUARDED = _Guarded()
_installed = False


def library_files(database: Path) -> list[Path]:
    """The library file at ``database`` and its SQLite siblings (which may not exist)."""
    return [database.with_name(database.name + suffix) for suffix in SIBLING_SUFFIXES]


def file_identities(database: Path) -> frozenset[FileIdentity]:
    """``(st_dev, st_ino)`` of the library's files that exist, found without opening them."""
    found = (_identity(path) for path in library_files(database))
    return frozenset(identity for identity in found if identity is not None)


def guard(database: Path) -> None:
    """Refuse opens of ``database``'s files in this process until :func:`release`."""
    global _installed
    key = os.path.abspath(database)
    with _GUARDED.lock:
        _GUARDED.users[key] = _GUARDED.users.get(key, 0) + 1
        _GUARDED.rebuild()
        if not _installed:
            sys.addaudithook(_on_audit_event)
            _installed = True


def refresh(database: Path) -> None:
    """Learn the identities of files SQLite created since :func:`guard` (the log, the index)."""
    with _GUARDED.lock:
        if os.path.abspath(database) in _GUARDED.users:
            _GUARDED.rebuild()


def release(database: Path) -> None:
    """Stop guarding ``database`` once every :func:`guard` of it has been released."""
    key = os.path.abspath(database)
    with _GUARDED.lock:
        count = _GUARDED.users.get(key, 0) - 1
        if count > 0:
            _GUARDED.users[key] = count
        else:
            _GUARDED.users.pop(key, None)
        _GUARDED.rebuild()


def is_guarded(path: str | os.PathLike[str]) -> bool:
    """Whether opening ``path`` here would touch a library this process has open."""
    if not _GUARDED.users:
        return False
    if os.path.abspath(path) in _GUARDED.paths:
        return True
    identity = _identity(path)
    return identity is not None and identity in _GUARDED.identities


def _identity(path: str | os.PathLike[str]) -> FileIdentity | None:
    try:
        status = os.stat(path)
    except (OSError, ValueError):
        return None
    return status.st_dev, status.st_ino


def _on_audit_event(event: str, args: tuple[Any, ...]) -> None:
    if event != "open" or not _GUARDED.users:
        return
    target = args[0] if args else None
    if isinstance(target, bytes):
        target = os.fsdecode(target)
    if not isinstance(target, str | os.PathLike):
        return  # a file descriptor, already open
    if getattr(_GUARDED.busy, "active", False):
        return
    _GUARDED.busy.active = True
    try:
        if is_guarded(target):
            raise LibraryFileProtected(
                f"{os.fspath(target)!s} belongs to an open corpusdesk library; only the "
                "library itself may open it while it is in use"
            )
    finally:
        _GUARDED.busy.active = False
