"""The one source of file locations: the default library, settings and logs.

Locations come from platformdirs (the per-user data and log folders of the platform). The default
library can be overridden by the ``CORPUSDESK_LIBRARY`` environment variable or the CLI's
``--library``; tests point ``CORPUSDESK_DATA_DIR`` and ``CORPUSDESK_LOG_DIR`` at temporary
folders so they never touch a real library or log. ``sqlite_uri`` is the one place a file name
becomes an SQLite ``file:`` URI.
"""

from __future__ import annotations

import os
import urllib.parse
from pathlib import Path

import platformdirs

APP_NAME = "corpusdesk"
LIBRARY_ENV = "CORPUSDESK_LIBRARY"
DATA_DIR_ENV = "CORPUSDESK_DATA_DIR"
LOG_DIR_ENV = "CORPUSDESK_LOG_DIR"
CACHE_DIR_ENV = "CORPUSDESK_CACHE_DIR"
DEFAULT_LIBRARY_NAME = "library.corpusdesk.db"


def data_dir() -> Path:
    """The per-user folder holding the default library and backups."""
    override = os.environ.get(DATA_DIR_ENV)
    if override:
        return Path(override)
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def log_dir() -> Path:
    """The per-user folder holding the log files (``~/.local/state/corpusdesk/log`` on Linux)."""
    override = os.environ.get(LOG_DIR_ENV)
    if override:
        return Path(override)
    return Path(platformdirs.user_log_dir(APP_NAME, appauthor=False))


def cache_dir() -> Path:
    """The per-user folder for what corpusdesk can compute again (``$CORPUSDESK_CACHE_DIR``
    overrides it)."""
    override = os.environ.get(CACHE_DIR_ENV)
    if override:
        return Path(override)
    return Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False))


def default_library_path() -> Path:
    """The library opened when the user names none: ``$CORPUSDESK_LIBRARY`` or the data folder's."""
    override = os.environ.get(LIBRARY_ENV)
    if override:
        return Path(override).expanduser()
    return data_dir() / DEFAULT_LIBRARY_NAME


def backup_dir(library_path: Path) -> Path:
    """Where automatic backups of ``library_path`` are kept (beside it, in a hidden folder)."""
    return library_path.parent / f".{library_path.name}.backups"


def sqlite_uri(path: Path | str, **parameters: str) -> str:
    """The ``file:`` URI naming exactly the file at ``path``, for ``sqlite3.connect(uri=True)``.

    Every byte of the absolute path but letters, digits, ``/`` and ``-._~`` is percent-encoded,
    so ``#``, ``?``, ``%``, ``&``, spaces and bytes that are not UTF-8 name the file itself
    instead of starting a query, a fragment or an escape. ``parameters`` become the query
    (``mode="ro"``).
    """
    absolute = os.fsencode(Path(path).absolute())
    uri = "file://" + urllib.parse.quote(absolute, safe="/")
    if parameters:
        uri += "?" + urllib.parse.urlencode(parameters)
    return uri
