"""Remembered GUI state: window geometry, splitter sizes, columns, sort, folders, recent libraries.

Everything goes through ``QSettings`` under the organisation and application name set in
:func:`configure`; tests point QSettings at a temporary folder before creating the window.
A team library is remembered by its URL without the password (:func:`location_text`): no
password is ever written here.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QSettings, QStandardPaths

from corpusdesk.core.errors import UserError
from corpusdesk.core.locations import LibraryLocation, ServerAddress, location_text, parse_location

ORGANIZATION = "corpusdesk"
APPLICATION = "corpusdesk"
MAX_RECENT = 8


def configure() -> None:
    """Name the application so QSettings finds its file (call before reading settings)."""
    QCoreApplication.setOrganizationName(ORGANIZATION)
    QCoreApplication.setApplicationName(APPLICATION)


def settings() -> QSettings:
    """The application's settings store."""
    return QSettings()


def _remembered(name: object) -> LibraryLocation | None:
    """A remembered library: a file that still exists, or a team library's address."""
    if not isinstance(name, str) or not name:
        return None
    try:
        location = parse_location(name)
    except UserError:
        return None
    if isinstance(location, ServerAddress) or location.exists():
        return location
    return None


def recent_libraries(store: QSettings) -> list[LibraryLocation]:
    """Recently opened libraries, newest first: files that still exist, and team libraries."""
    value = store.value("recentLibraries", [])
    names = [value] if isinstance(value, str) else list(value) if isinstance(value, list) else []
    found = (_remembered(name) for name in names)
    return [location for location in found if location is not None]


def remember_library(store: QSettings, location: LibraryLocation) -> None:
    """Put ``location`` at the top of the recent list (a team library without its password)."""
    text = location_text(location)
    names = [text] + [
        location_text(other) for other in recent_libraries(store) if location_text(other) != text
    ]
    store.setValue("recentLibraries", names[:MAX_RECENT])
    store.setValue("lastLibrary", text)


def last_library(store: QSettings) -> LibraryLocation | None:
    """The library open when the app was last closed, if it still exists."""
    return _remembered(store.value("lastLibrary", ""))


def recent_team_library(store: QSettings) -> ServerAddress | None:
    """The team library opened most lately, to fill in the Connect dialog."""
    for location in recent_libraries(store):
        if isinstance(location, ServerAddress):
            return location
    return None


FIRST_FOLDERS = {
    "imports": (
        QStandardPaths.StandardLocation.DownloadLocation,
        QStandardPaths.StandardLocation.DocumentsLocation,
    ),
    "exports": (
        QStandardPaths.StandardLocation.DocumentsLocation,
        QStandardPaths.StandardLocation.DownloadLocation,
    ),
    "libraries": (
        QStandardPaths.StandardLocation.DocumentsLocation,
        QStandardPaths.StandardLocation.DownloadLocation,
    ),
}
"""Where a kind of file dialog opens before the user has picked anything: saved pages are
usually downloaded, exports and libraries kept with the user's documents."""


def _same_folder(a: Path, b: Path | None) -> bool:
    if b is None:
        return False
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return False


def folder(store: QSettings, key: str, avoid: Path | None = None) -> str:
    """Where a file dialog of kind ``key`` (imports, exports, libraries) opens.

    The folder the user last picked in one, if it still exists; the first time, the user's
    Downloads or Documents folder, never ``avoid`` (the library's own folder).
    """
    value = str(store.value(f"folders/{key}", "") or "")
    if value and Path(value).is_dir():
        return value
    for location in FIRST_FOLDERS.get(key, ()):
        candidate = QStandardPaths.writableLocation(location)
        if candidate and Path(candidate).is_dir() and not _same_folder(Path(candidate), avoid):
            return candidate
    return str(Path.home())


def remember_folder(store: QSettings, key: str, path: Path) -> None:
    """Remember the folder ``path`` (or the folder holding the file ``path``) for ``key``."""
    store.setValue(f"folders/{key}", str(path if path.is_dir() else path.parent))
