"""Import and export as the user sees them: file dialogs, the report dialog and status messages.

The work itself runs in :class:`~corpusdesk.gui.jobs.Jobs`; this module decides what to ask,
what to show when a job ends, and remembers the folders used.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt

from corpusdesk.core.errors import UserError
from corpusdesk.core.records import ImportReport
from corpusdesk.gui import dialogs, settings
from corpusdesk.gui.jobs import ExportOutcome, ImportOutcome
from corpusdesk.importing.reclean import RecleanReport

if TYPE_CHECKING:
    from corpusdesk.gui.main_window import MainWindow


class Transfers(QObject):
    """File → Import… / Export… and what follows them."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.report_dialog: dialogs.ImportReportDialog | None = None
        window.jobs.import_finished.connect(self._import_finished)
        window.jobs.export_finished.connect(self._export_finished)
        window.jobs.reclean_finished.connect(self._reclean_finished)

    # -- import ---------------------------------------------------------------------------------

    def import_paths(self, paths: list[Path]) -> None:
        """Import files and folders in the background."""
        window = self.window
        if window.library is None or not paths:
            return
        try:
            window.jobs.start_import(window.library, paths)
        except UserError as error:
            window.show_user_error(error)

    def import_files(self) -> None:
        """File → Import Files…"""
        store = self.window.store
        paths = dialogs.ask_open_files(self.window, settings.folder(store, "imports"))
        if paths:
            settings.remember_folder(store, "imports", paths[0])
            self.import_paths(paths)

    def import_folder(self) -> None:
        """File → Import Folder…"""
        store = self.window.store
        path = dialogs.ask_folder(self.window, settings.folder(store, "imports"))
        if path is not None:
            settings.remember_folder(store, "imports", path.parent)
            self.import_paths([path])

    def _import_finished(self, outcome: ImportOutcome) -> None:
        self.window.show_status(f"Import finished: {outcome.report.summary()}")
        self.window.refresh_all()
        self.show_report(outcome.report)

    def show_report(self, report: object) -> None:
        """Open an import report dialog (non-modal)."""
        assert isinstance(report, ImportReport)
        self.report_dialog = dialogs.ImportReportDialog(report, self.window)
        self.report_dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.report_dialog.destroyed.connect(self._report_closed)
        self.report_dialog.show()

    def _report_closed(self) -> None:
        self.report_dialog = None

    def show_import_runs(self) -> None:
        """File → Import Reports…: pick a past import and show its report."""
        library = self.window.library
        if library is None:
            return
        chooser = dialogs.ImportRunsDialog(library.import_runs(), self.window)
        run_id = chooser.chosen() if chooser.exec() else None
        if run_id is not None:
            self.window.runner.submit(lambda: library.import_report(run_id), self.show_report)

    # -- export ---------------------------------------------------------------------------------

    def export_selection(self) -> None:
        """File → Export Selection…"""
        self._export(self.window.selected_ids())

    def export_shown(self) -> None:
        """File → Export All Shown…"""
        self._export(self.window.model.ids())

    def _export(self, ids: list[int]) -> None:
        window = self.window
        if window.library is None:
            return
        if not ids:
            window.show_user_error(UserError("there are no articles to export; select some first"))
            return
        folder = settings.folder(window.store, "exports")
        path = dialogs.ask_export_path(window, folder, len(ids))
        if path is None:
            return
        settings.remember_folder(window.store, "exports", path)
        try:
            window.jobs.start_export(window.library, ids, path)
        except UserError as error:
            window.show_user_error(error)

    def _export_finished(self, outcome: ExportOutcome) -> None:
        self.window.show_status(f"Exported {outcome.count:,} articles to {outcome.path}")

    # -- re-clean -------------------------------------------------------------------------------

    def reclean_selection(self) -> None:
        """Edit → Re-clean Selected Articles: extract them again from their originals."""
        window = self.window
        ids = window.selected_ids()
        if window.library is None:
            return
        if not ids:
            window.show_user_error(UserError("select the articles to re-clean first"))
            return
        try:
            window.jobs.start_reclean(window.library, ids)
        except UserError as error:
            window.show_user_error(error)

    def _reclean_finished(self, report: RecleanReport) -> None:
        self.window.show_status(report.summary().splitlines()[0])
        self.window.refresh_all()
        dialogs.show_information(self.window, "Re-clean finished", report.summary())
