"""Import and export as the user sees them: file dialogs, the report dialog and status messages.

The work itself runs in :class:`~corpusdesk.gui.jobs.Jobs`; this module decides what to ask,
what to show when a job ends, and remembers the folders used.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QObject, QSettings, Qt
from PySide6.QtWidgets import QWidget

from corpusdesk.core.errors import UserError
from corpusdesk.core.records import ImportReport
from corpusdesk.core.wording import plural
from corpusdesk.gui import dialogs, settings
from corpusdesk.gui.jobs import ExportOutcome, ImportOutcome, Jobs
from corpusdesk.gui.tasks import TaskRunner
from corpusdesk.importing.reclean import RecleanReport
from corpusdesk.library.library import Library


class TransfersHost(Protocol):
    """What imports and exports need from the window."""

    @property
    def library(self) -> Library | None: ...

    def selected_ids(self) -> list[int]: ...
    def shown_ids(self) -> list[int]: ...
    def show_status(self, text: str) -> None: ...
    def show_user_error(self, error: UserError) -> None: ...
    def refresh_all(self) -> None: ...


class Transfers(QObject):
    """File → Import… / Export… and what follows them."""

    def __init__(
        self,
        host: TransfersHost,
        parent: QWidget,
        jobs: Jobs,
        runner: TaskRunner,
        store: QSettings,
    ) -> None:
        super().__init__(parent)
        self.host = host
        self.parent_widget = parent
        self.jobs = jobs
        self.runner = runner
        self.store = store
        self.report_dialog: dialogs.ImportReportDialog | None = None
        jobs.import_finished.connect(self._import_finished)
        jobs.export_finished.connect(self._export_finished)
        jobs.reclean_finished.connect(self._reclean_finished)

    def _folder(self, key: str) -> str:
        """Where a file dialog of kind ``key`` opens (never the library's own folder)."""
        library = self.host.library
        avoid = library.path.parent if library is not None and library.is_file else None
        return settings.folder(self.store, key, avoid=avoid)

    # -- import ---------------------------------------------------------------------------------

    def import_paths(self, paths: list[Path]) -> None:
        """Import files and folders in the background."""
        library = self.host.library
        if library is None or not paths:
            return
        try:
            self.jobs.start_import(library, paths)
        except UserError as error:
            self.host.show_user_error(error)
        else:
            self.host.show_status("")  # the last import's outcome no longer applies

    def import_files(self) -> None:
        """File → Import Files…"""
        paths = dialogs.ask_open_files(self.parent_widget, self._folder("imports"))
        if paths:
            settings.remember_folder(self.store, "imports", paths[0].parent)
            self.import_paths(paths)

    def import_folder(self) -> None:
        """File → Import Folder…"""
        path = dialogs.ask_folder(self.parent_widget, self._folder("imports"))
        if path is not None:
            # Next time the dialog opens where this folder was picked, showing it.
            settings.remember_folder(self.store, "imports", path)
            self.import_paths([path])

    def _import_finished(self, outcome: ImportOutcome) -> None:
        self.host.show_status(f"Import finished: {outcome.report.summary()}")
        self.host.refresh_all()
        self.show_report(outcome.report)

    def show_report(self, report: object) -> None:
        """Open an import report dialog (non-modal)."""
        assert isinstance(report, ImportReport)
        self.report_dialog = dialogs.ImportReportDialog(report, self.parent_widget)
        self.report_dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.report_dialog.destroyed.connect(self._report_closed)
        self.report_dialog.show()

    def _report_closed(self) -> None:
        self.report_dialog = None

    def show_import_runs(self) -> None:
        """File → Import Reports…: pick a past import and show its report."""
        library = self.host.library
        if library is None:
            return
        chooser = dialogs.ImportRunsDialog(library.import_runs(), self.parent_widget)
        run_id = chooser.chosen() if chooser.exec() else None
        if run_id is not None:
            self.runner.submit(lambda: library.import_report(run_id), self.show_report)

    # -- export ---------------------------------------------------------------------------------

    def export_selection(self) -> None:
        """File → Export Selection…"""
        self._export(self.host.selected_ids())

    def export_shown(self) -> None:
        """File → Export All Shown…"""
        self._export(self.host.shown_ids())

    def _export(self, ids: list[int]) -> None:
        library = self.host.library
        if library is None:
            return
        if not ids:
            self.host.show_user_error(
                UserError("there are no articles to export; select some first")
            )
            return
        path = dialogs.ask_export_path(self.parent_widget, self._folder("exports"), len(ids))
        if path is None:
            return
        settings.remember_folder(self.store, "exports", path.parent)
        try:
            self.jobs.start_export(library, ids, path)
        except UserError as error:
            self.host.show_user_error(error)

    def _export_finished(self, outcome: ExportOutcome) -> None:
        self.host.show_status(f"Exported {plural(outcome.count, 'article')} to {outcome.path}")

    # -- re-clean -------------------------------------------------------------------------------

    def reclean_selection(self) -> None:
        """Edit → Re-clean Selected Articles: extract them again from their originals."""
        library = self.host.library
        ids = self.host.selected_ids()
        if library is None:
            return
        if not ids:
            self.host.show_user_error(UserError("select the articles to re-clean first"))
            return
        try:
            self.jobs.start_reclean(library, ids)
        except UserError as error:
            self.host.show_user_error(error)

    def _reclean_finished(self, report: RecleanReport) -> None:
        self.host.show_status(report.summary().splitlines()[0])
        self.host.refresh_all()
        dialogs.show_information(self.parent_widget, "Re-clean finished", report.summary())
