"""Opening libraries from the window: File → New Library…, Open Library…, Open Recent, and
what to offer when a library cannot be opened (another one, or its automatic backup).

Libraries open in the library process (:mod:`corpusdesk.gui.library_client`); the window is
handed each one through :meth:`LibrariesHost.set_library`.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QObject, QSettings
from PySide6.QtWidgets import QMenu, QWidget

from corpusdesk.core.errors import LibraryError, UserError
from corpusdesk.gui import dialogs, settings
from corpusdesk.gui.jobs import Jobs
from corpusdesk.gui.library_client import LibraryProcess
from corpusdesk.library.backups import list_backups, restore_backup
from corpusdesk.library.library import Library


class LibrariesHost(Protocol):
    """What opening libraries needs from the window."""

    @property
    def library(self) -> Library | None: ...

    def set_library(self, library: Library | None) -> None: ...
    def show_status(self, text: str) -> None: ...
    def show_user_error(self, error: UserError) -> None: ...


class Libraries(QObject):
    """Opens libraries for the window and keeps File → Open Recent."""

    def __init__(
        self,
        host: LibrariesHost,
        parent: QWidget,
        process: LibraryProcess,
        jobs: Jobs,
        store: QSettings,
        recent_menu: QMenu,
    ) -> None:
        super().__init__(parent)
        self.host = host
        self.parent_widget = parent
        self.process = process
        self.jobs = jobs
        self.store = store
        self.recent_menu = recent_menu

    def open_path(self, path: Path) -> bool:
        """Open the library at ``path``; on failure offer to choose another. True if opened."""
        if self.jobs.running:
            self.host.show_user_error(
                UserError("an import or export is running; wait for it or cancel it first")
            )
            return False
        try:
            library = self.process.open(path)
        except LibraryError as error:
            return self._not_opened(path, error)
        except UserError as error:
            self.host.show_user_error(error)
            return False
        self.host.set_library(library)
        return True

    def _not_opened(self, path: Path, error: LibraryError) -> bool:
        """Offer another library, or the automatic backup when there is one."""
        backups = list_backups(path) if path.exists() else []
        choice = dialogs.ask_other_library(
            self.parent_widget, path, str(error), backups[0] if backups else None
        )
        if choice == "restore":
            try:
                kept = restore_backup(path, backups[0])
            except LibraryError as restore_error:
                self.host.show_user_error(restore_error)
                return False
            if kept is not None:
                self.host.show_status(f"Backup restored; the damaged file was kept as {kept.name}")
            return self.open_path(path)
        if choice == "other":
            self.choose()
        return False

    def update_recent_menu(self) -> None:
        """File → Open Recent: the libraries opened lately, the open one greyed."""
        menu = self.recent_menu
        menu.clear()
        library = self.host.library
        current = library.path if library is not None else None
        for path in settings.recent_libraries(self.store):
            action = menu.addAction(str(path))
            action.triggered.connect(partial(self.open_path, path))
            action.setEnabled(path != current)
        menu.setEnabled(not menu.isEmpty())

    def create(self) -> None:
        """File → New Library…: create a library where the user says and open it."""
        self._ask(new=True)

    def choose(self) -> None:
        """File → Open Library…: ask for a library file and open it."""
        self._ask(new=False)

    def _ask(self, *, new: bool) -> None:
        folder = settings.folder(self.store, "libraries")
        path = dialogs.ask_library_path(self.parent_widget, folder, new=new)
        if path is not None:
            settings.remember_folder(self.store, "libraries", path)
            self.open_path(path)
