"""The log file the app and the command line write to, and reading it back for a problem report.

One file, ``corpusdesk.log`` in :func:`~corpusdesk.core.paths.log_dir`, rotated at
:data:`MAX_BYTES` with :data:`BACKUPS` older files kept, so it never grows without bound.
Records carry the process id: the window, its library process and a command-line import may
all write to it. A log that cannot be written (a read-only home, a full disk) is done without:
logging must never stop corpusdesk from starting.
"""

from __future__ import annotations

import logging
import os
from logging.handlers import RotatingFileHandler
from pathlib import Path

from corpusdesk.core.paths import log_dir

LOG_FILE_NAME = "corpusdesk.log"
MAX_BYTES = 1024 * 1024
BACKUPS = 3
FORMAT = "%(asctime)s %(process)d %(levelname)s %(name)s: %(message)s"
TAIL_BYTES = 64 * 1024
"""How far back from the end of the log :func:`last_lines` reads."""


def log_file() -> Path:
    """The current log file (older ones sit beside it as ``corpusdesk.log.1`` …)."""
    return log_dir() / LOG_FILE_NAME


def _writes_to(handler: logging.Handler, path: Path) -> bool:
    return isinstance(handler, RotatingFileHandler) and handler.baseFilename == os.fspath(
        path.absolute()
    )


def start_logging() -> Path | None:
    """Send warnings from anywhere and corpusdesk's own notes to the log file.

    Returns the file's path, or None when it cannot be written. Calling it again adds nothing.
    """
    path = log_file()
    root = logging.getLogger()
    if any(_writes_to(handler, path) for handler in root.handlers):
        return path
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # File names and arguments may hold bytes that are not UTF-8 (surrogate escapes):
        # logged as \udcXX rather than failing the record.
        handler = RotatingFileHandler(
            path,
            maxBytes=MAX_BYTES,
            backupCount=BACKUPS,
            encoding="utf-8",
            errors="backslashreplace",
        )
    except OSError:
        return None
    handler.setFormatter(logging.Formatter(FORMAT))
    root.addHandler(handler)
    if root.level == logging.NOTSET or root.level > logging.WARNING:
        root.setLevel(logging.WARNING)
    logging.getLogger("corpusdesk").setLevel(logging.INFO)
    return path


def last_lines(count: int, path: Path | None = None) -> list[str]:
    """The last ``count`` lines of the log (fewer, or none, if it is shorter or missing)."""
    path = path or log_file()
    try:
        with path.open("rb") as stream:
            start = max(0, stream.seek(0, os.SEEK_END) - TAIL_BYTES)
            stream.seek(start)
            tail = stream.read()
    except OSError:
        return []
    lines = tail.decode("utf-8", errors="replace").splitlines()
    if start > 0 and lines:
        lines = lines[1:]  # the first line read is most likely cut
    return lines[-count:] if count > 0 else []
