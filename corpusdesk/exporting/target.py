"""Where an export may go, and how it is opened.

- The library's own files (the database, ``-wal``, ``-shm``, ``-journal``), its automatic
  backups and the copies a restore keeps are refused. They are recognised by identity (device
  and inode), so another spelling, a symbolic or a hard link is caught too, and with ``stat``
  only: opening a file of the library in a process that has it open would drop SQLite's locks.
- A named pipe, a character device (a terminal, ``/dev/null``) and the process's own streams
  (``/dev/stdout``, ``/dev/fd/N``) are written to as they are, as a stream.
- Anything else is a regular file, written under a temporary name beside the file a symbolic
  link points to (the link stays a link) and renamed over it when complete. A new file gets the
  permissions any new file gets (0666 less the umask), a replaced one keeps its own.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

from corpusdesk.core.errors import UserError
from corpusdesk.core.paths import backup_dir

JOURNAL_SUFFIXES = ("", "-wal", "-shm", "-journal")
KEPT_MARKER = ".damaged-"
STANDARD_STREAMS = {"/dev/stdin": 0, "/dev/stdout": 1, "/dev/stderr": 2}
DESCRIPTOR_PATH = re.compile(r"/(?:dev/fd|proc/self/fd)/(\d+)")

Identity = tuple[int, int]


def _identity(path: Path | str) -> Identity | None:
    try:
        info = Path(path).stat()
    except OSError:
        return None
    return info.st_dev, info.st_ino


def _names_in(folder: Path) -> list[str]:
    try:
        return [entry.name for entry in folder.iterdir()]
    except OSError:
        return []


class _Protected:
    """What an export must not overwrite: the library's files, its backups and kept copies."""

    def __init__(self, library: Path) -> None:
        self.files: set[Identity] = set()
        """Identities of existing files."""
        self.names: set[tuple[Identity, str]] = set()
        """(folder identity, name) of files that may come into being (a ``-wal``)."""
        self.folders: set[Identity] = set()
        """Folders every file of which is protected (the backups folder)."""
        for spelling in {library.absolute(), Path(os.path.realpath(library))}:
            self._add(spelling)

    def _add(self, library: Path) -> None:
        folder = _identity(library.parent)
        if folder is None:
            return
        for suffix in JOURNAL_SUFFIXES:
            self._add_file(folder, library.with_name(library.name + suffix))
        for name in _names_in(library.parent):
            if name.startswith(library.name + KEPT_MARKER):
                self._add_file(folder, library.with_name(name))
        backups = _identity(backup_dir(library))
        if backups is not None:
            self.folders.add(backups)
            for name in _names_in(backup_dir(library)):
                self._add_file(backups, backup_dir(library) / name)

    def _add_file(self, folder: Identity, path: Path) -> None:
        self.names.add((folder, path.name))
        found = _identity(path)
        if found is not None:
            self.files.add(found)

    def __contains__(self, path: Path) -> bool:
        folder = _identity(path.parent)
        return (
            _identity(path) in self.files
            or folder in self.folders
            or (folder is not None and (folder, path.name) in self.names)
        )


def refuse_library_files(target: Path, library: Path) -> None:
    """Raise ``UserError`` when writing ``target`` would overwrite the library or a backup."""
    if Path(os.path.realpath(target)) in _Protected(library):
        raise UserError(
            f"cannot export to {target}: that is the library itself or one of its files or "
            "backups; choose another file"
        )


def _descriptor_number(target: Path) -> int | None:
    absolute = str(Path(target).absolute())
    if absolute in STANDARD_STREAMS:
        return STANDARD_STREAMS[absolute]
    match = DESCRIPTOR_PATH.fullmatch(absolute)
    return int(match.group(1)) if match else None


def is_stream(target: Path) -> bool:
    """Whether an export to ``target`` is written as a stream rather than as a file."""
    if _descriptor_number(target) is not None:
        return True
    try:
        mode = Path(target).stat().st_mode
    except OSError:
        return False
    return stat.S_ISFIFO(mode) or stat.S_ISCHR(mode)


def open_stream(target: Path) -> int:
    """A descriptor writing to the stream ``target`` (see ``is_stream``)."""
    number = _descriptor_number(target)
    try:
        if number is not None:
            return os.dup(number)  # the very stream the process has, at its position
        return os.open(target, os.O_WRONLY | os.O_CLOEXEC)
    except OSError as error:
        raise UserError(f"cannot export to {target}: {error.strerror or error}") from error


def open_temporary(target: Path) -> tuple[int, Path, Path]:
    """Create the temporary file of an export to the regular file ``target``.

    Returns its descriptor, its path and the file it is to be renamed to when complete (where
    a symbolic link ``target`` points).
    """
    real = Path(os.path.realpath(target))
    folder = real.parent
    if not folder.is_dir():
        raise UserError(f"cannot export: the folder {folder} does not exist")
    try:
        existing = real.stat()
    except FileNotFoundError:
        existing = None
    if existing is not None:
        if stat.S_ISDIR(existing.st_mode):
            raise UserError(f"cannot export to {target}: it is a folder")
        if not stat.S_ISREG(existing.st_mode):
            raise UserError(f"cannot export to {target}: it is not a file, a pipe or a terminal")
        if not os.access(real, os.W_OK):
            raise UserError(f"cannot export to {target}: the file is read-only")
    while True:
        stem = os.fsdecode(os.fsencode(real.name)[:200])  # room for the rest within 255 bytes
        temporary = folder / f".{stem}.{secrets.token_hex(4)}.part"
        try:
            descriptor = os.open(
                temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o666
            )
            break
        except FileExistsError:
            continue
        except OSError as error:
            reason = error.strerror or str(error)
            raise UserError(
                f"cannot export to {target}: cannot write in the folder {folder} ({reason})"
            ) from error
    if existing is not None:
        # Another user's file keeps the permissions of a new file (only an owner may chmod).
        with contextlib.suppress(OSError):
            os.fchmod(descriptor, stat.S_IMODE(existing.st_mode) & 0o777)
    return descriptor, temporary, real


@contextlib.contextmanager
def replaced_text_file(target: Path) -> Iterator[TextIO]:
    """A UTF-8 text stream whose content becomes the file ``target`` when the block ends
    without an error, all at once: until then the file is as it was (``open_temporary``)."""
    descriptor, temporary, final = open_temporary(target)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8", newline="") as stream:
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
        temporary.replace(final)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
