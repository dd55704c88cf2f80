"""Remembered GUI state: window geometry, splitter sizes, columns, sort, folders, recent libraries.

Everything goes through ``QSettings`` under the organisation and application name set in
:func:`configure`; tests point QSettings at a temporary folder before creating the window.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QSettings, QStandardPaths

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


def recent_libraries(store: QSettings) -> list[Path]:
    """Recently opened libraries, newest first, that still exist."""
    value = store.value("recentLibraries", [])
    names = [value] if isinstance(value, str) else list(value) if isinstance(value, list) else []
    return [Path(name) for name in names if name and Path(name).exists()]


def remember_library(store: QSettings, path: Path) -> None:
    """Put ``path`` at the top of the recent list."""
    names = [str(path)] + [str(p) for p in recent_libraries(store) if p != path]
    store.setValue("recentLibraries", names[:MAX_RECENT])
    store.setValue("lastLibrary", str(path))


def last_library(store: QSettings) -> Path | None:
    """The library open when the app was last closed, if it still exists."""
    name = store.value("lastLibrary", "")
    return Path(str(name)) if name and Path(str(name)).exists() else None


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
