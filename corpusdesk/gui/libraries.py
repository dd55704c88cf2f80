"""Opening libraries from the window: File → New Library…, Open Library…, Connect to Team
Library…, Open Recent, and what to offer when a library cannot be opened (another one, or its
automatic backup).

Libraries open in the library process (:mod:`corpusdesk.gui.library_client`), waited for with
the window alive and a Cancel button once it takes a moment (:mod:`corpusdesk.gui.waiting`: a
server out of reach, an upgrade); the window is handed each one through
:meth:`LibrariesHost.set_library`. A team library's password comes
from the Connect dialog, the system keyring or, failing both, a password prompt; it stays in
memory (and in the keyring when the user asks), never in the settings.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QObject, QSettings
from PySide6.QtWidgets import QMenu, QWidget

from corpusdesk.core.errors import LibraryError, UserError
from corpusdesk.core.locations import LibraryLocation, ServerAddress, location_text
from corpusdesk.gui import dialogs, passwords, settings, team_dialog
from corpusdesk.gui.jobs import Jobs
from corpusdesk.gui.library_client import LibraryProcess
from corpusdesk.gui.tasks import TaskRunner
from corpusdesk.gui.waiting import Cancelled, wait_for
from corpusdesk.library.dialects.sqlite_backups import list_backups, restore_backup
from corpusdesk.library.library import Library

PASSWORD_REFUSED = "password"
"""Every refusal of the server that more asking can cure names the password."""


class LibrariesHost(Protocol):
    """What opening libraries needs from the window."""

    @property
    def library(self) -> Library | None: ...

    def set_library(self, library: Library | None) -> None: ...
    def show_status(self, text: str) -> None: ...
    def show_user_error(self, error: UserError) -> None: ...
    def handle_failure(self, error: BaseException, details: str) -> None: ...


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
        self.connecting = TaskRunner(host.handle_failure, self)
        """Runs the Connect dialog's connection attempts (a slow server holds up nothing else)."""
        self.team_dialog: team_dialog.TeamDialog | None = None
        self._opening = False
        """A library is being waited for (the window stays alive meanwhile)."""

    def _idle(self) -> bool:
        if self.jobs.running:
            self.host.show_user_error(
                UserError("an import or export is running; wait for it or cancel it first")
            )
            return False
        return True

    def open_location(self, location: LibraryLocation) -> bool:
        """Open a library file or a team library; on failure offer another. True if opened."""
        if self._opening:
            # Asked again from the window while the waiting for the first one goes on.
            self.host.show_status("A library is still being opened: wait for it or cancel it")
            return False
        if not self._idle():
            return False
        if isinstance(location, ServerAddress):
            return self._open_server(location)
        try:
            library = self._opened(location, f"Opening {location_text(location)}…")
        except LibraryError as error:
            return self._not_opened(location, error)
        except UserError as error:
            self.host.show_user_error(error)
            return False
        if library is None:
            return False
        self.host.set_library(library)
        return True

    def _opened(self, location: LibraryLocation, label: str) -> Library | None:
        """The library at ``location``, opened with the window alive; None when the user
        cancelled the waiting (the library is closed again if it opens after all)."""
        self._opening = True
        try:
            opened = wait_for(
                self.parent_widget,
                label,
                lambda: self.process.open(location),
                lambda library: library.close(),
            )
        finally:
            self._opening = False
        if isinstance(opened, Cancelled):
            self.host.show_status(f"Stopped waiting for {location_text(location)}")
            return None
        return opened

    def _open_server(self, address: ServerAddress) -> bool:
        """Open a team library, with the password from the keyring or asked for if needed.

        Without a password known, the first try goes without one: libpq may find it in
        ``~/.pgpass`` or a service file, or the server may not want one.
        """
        if address.password is None:
            address = address.with_password(passwords.stored_password(address))
        while True:
            try:
                library = self._opened(address, f"Connecting to {address.title}…")
            except LibraryError as error:
                if PASSWORD_REFUSED not in str(error):
                    return self._not_opened(address, error)
                reason = str(error) if address.password else ""
                answer = team_dialog.ask_password(self.parent_widget, address, reason)
                if answer is None:
                    return False
                address = address.with_password(answer.password)
                if answer.remember:
                    passwords.store_password(address)
                continue
            except UserError as error:
                self.host.show_user_error(error)
                return False
            if library is None:
                return False
            self.host.set_library(library)
            return True

    def _not_opened(self, location: LibraryLocation, error: LibraryError) -> bool:
        """Offer another library, or the automatic backup when there is one."""
        path = location if isinstance(location, Path) else None
        backups = list_backups(path) if path is not None and path.exists() else []
        choice = dialogs.ask_other_library(
            self.parent_widget,
            location_text(location),
            str(error),
            backups[0] if backups else None,
        )
        if choice == "restore" and path is not None:
            try:
                kept = restore_backup(path, backups[0])
            except LibraryError as restore_error:
                self.host.show_user_error(restore_error)
                return False
            if kept is not None:
                self.host.show_status(f"Backup restored; the damaged file was kept as {kept.name}")
            return self.open_location(path)
        if choice == "other":
            if isinstance(location, ServerAddress):
                self.connect_team(location)
            else:
                self.choose()
        return False

    # -- team libraries ----------------------------------------------------------------------

    def connect_team(self, initial: ServerAddress | None = None) -> team_dialog.TeamDialog:
        """File → Connect to Team Library…: ask where, test, and open it when OK is pressed."""
        if self.team_dialog is not None:
            self.team_dialog.close()
            self.team_dialog.deleteLater()
        initial = initial or settings.recent_team_library(self.store)
        if initial is not None and initial.password is None:
            initial = initial.with_password(passwords.stored_password(initial))
        dialog = team_dialog.TeamDialog(
            self.parent_widget, self.connecting, self._probe, self._open_team, initial
        )
        dialog.remember.setChecked(initial is not None and initial.password is not None)
        dialog.accepted.connect(partial(self._team_dialog_accepted, dialog))
        self.team_dialog = dialog
        dialog.open()
        return dialog

    def _probe(self, address: ServerAddress) -> str:
        """On a worker thread: reach the library, count its articles, let it go."""
        library = self.process.open(address, create=False)
        try:
            return team_dialog.probe_text(library)
        finally:
            library.close()

    def _open_team(self, address: ServerAddress) -> Library:
        """On a worker thread: open the team library (its schema made when the database is
        empty)."""
        return self.process.open(address)

    def _team_dialog_accepted(self, dialog: team_dialog.TeamDialog) -> None:
        library, address = dialog.opened, dialog.address
        if library is None or address is None:
            return
        if not self._idle():
            library.close()
            return
        kept = dialog.remember.isChecked() and passwords.store_password(address)
        if not dialog.remember.isChecked():
            passwords.forget_password(address)
        self.host.set_library(library)
        if dialog.remember.isChecked() and address.password and not kept:
            self.host.show_status(
                "No system keyring is available: the password will be asked for next time"
            )

    def shutdown(self) -> None:
        """Wait for a connection attempt in flight and drop its outcome (the window closes)."""
        self.connecting.shutdown()

    def update_recent_menu(self) -> None:
        """File → Open Recent: the libraries opened lately, the open one greyed."""
        menu = self.recent_menu
        menu.clear()
        library = self.host.library
        current = location_text(library.location) if library is not None else None
        for location in settings.recent_libraries(self.store):
            text = location_text(location)
            action = menu.addAction(text)
            action.triggered.connect(partial(self.open_location, location))
            action.setEnabled(text != current)
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
            self.open_location(path)
