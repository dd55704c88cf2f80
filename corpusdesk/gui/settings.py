"""Remembered GUI state: window geometry, splitter sizes, columns, sort, folders, recent libraries.

Everything goes through ``QSettings`` under the organisation and application name set in
:func:`configure`; tests point QSettings at a temporary folder before creating the window.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QSettings

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
    names = [value] if isinstance(value, str) else list(value or [])
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


def folder(store: QSettings, key: str) -> str:
    """The last folder used for ``key`` (imports, exports, libraries), or the home folder."""
    value = str(store.value(f"folders/{key}", "") or "")
    return value if value and Path(value).is_dir() else str(Path.home())


def remember_folder(store: QSettings, key: str, path: Path) -> None:
    """Remember the folder of ``path`` for the next dialog of kind ``key``."""
    store.setValue(f"folders/{key}", str(path if path.is_dir() else path.parent))
