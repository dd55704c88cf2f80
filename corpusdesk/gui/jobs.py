"""Long jobs: import, export and re-clean, in the background with progress and Cancel.

The import pipeline and the exporter run on the long-job thread; their progress callbacks emit
signals (at most every few tenths of a second) that move the status-bar widget on the GUI
thread. Cancel sets a flag that the job polls between files. Only one long job runs at a time.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, Signal, Slot

from corpusdesk.core.errors import UserError
from corpusdesk.core.records import FileResult, ImportProgress, ImportReport, Outcome
from corpusdesk.exporting.writer import ExportCancelled, export_articles
from corpusdesk.gui.tasks import Pool, TaskRunner
from corpusdesk.gui.widgets.import_status import ProgressStatus
from corpusdesk.importing.pipeline import run_import
from corpusdesk.importing.reclean import RecleanReport, reclean
from corpusdesk.library.library import Library

PROGRESS_INTERVAL = 0.1


@dataclass(frozen=True, slots=True)
class ImportOutcome:
    """A finished import: its report and the id it was saved under."""

    report: ImportReport
    run_id: int | None


@dataclass(frozen=True, slots=True)
class ExportOutcome:
    """A finished export."""

    path: Path
    count: int


class Jobs(QObject):
    """Starts, follows and cancels the import or export in progress."""

    committed = Signal(int)
    """New articles were written by the running import (how many)."""
    import_finished = Signal(object)
    """An import ended: an :class:`ImportOutcome`."""
    export_finished = Signal(object)
    """An export ended: an :class:`ExportOutcome`."""
    reclean_finished = Signal(object)
    """A re-clean ended: a :class:`~corpusdesk.importing.reclean.RecleanReport`."""
    _progress = Signal(int, int, str)
    _committed = Signal(int)

    def __init__(
        self, runner: TaskRunner, status: ProgressStatus, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._runner = runner
        self._status = status
        self._cancel = threading.Event()
        self.running = False
        self._progress.connect(self._show_progress)
        self._committed.connect(self.committed)
        status.cancel_requested.connect(self.cancel)

    def cancel(self) -> None:
        """Ask the running job to stop."""
        self._cancel.set()

    def start_import(self, library: Library, paths: Sequence[Path]) -> None:
        """Import ``paths`` (files and folders) into ``library``."""
        if self.running:
            raise UserError("an import or export is already running; wait for it or cancel it")
        if library.read_only:
            raise UserError(f"{library.path.name} is open read-only; nothing can be imported")
        self._begin(f"Importing {len(paths):,} item{'s' if len(paths) != 1 else ''}…")
        last = [0.0]

        def progress(state: ImportProgress) -> None:
            now = time.monotonic()
            if state.done in (0, state.total) or now - last[0] >= PROGRESS_INTERVAL:
                last[0] = now
                self._progress.emit(state.done, state.total, f"Importing {state.current}")

        def committed(results: list[FileResult]) -> None:
            count = sum(1 for r in results if r.outcome is Outcome.IMPORTED)
            if count:
                self._committed.emit(count)

        def work() -> ImportOutcome:
            report = run_import(
                library,
                list(paths),
                progress=progress,
                cancelled=self._cancel.is_set,
                on_committed=committed,
            )
            run_id = library.save_import_report(report) if report.results else None
            return ImportOutcome(report, run_id)

        self._runner.submit(work, self._import_done, self._failed, pool=Pool.LONG)

    def start_export(self, library: Library, ids: Sequence[int], path: Path) -> None:
        """Export the articles ``ids`` to ``path`` (JSON or JSONL by its extension)."""
        if self.running:
            raise UserError("an import or export is already running; wait for it or cancel it")
        self._begin(f"Exporting {len(ids):,} articles…", len(ids))
        total = len(ids)
        chosen = list(ids)

        def progress(done: int) -> None:
            self._progress.emit(done, total, f"Exporting to {path.name}")

        def work() -> ExportOutcome:
            count = export_articles(
                library, chosen, path, progress=progress, cancelled=self._cancel.is_set
            )
            return ExportOutcome(path, count)

        self._runner.submit(work, self._export_done, self._failed, pool=Pool.LONG)

    def start_reclean(self, library: Library, ids: Sequence[int]) -> None:
        """Re-extract the articles ``ids`` from their originals with the current rules."""
        if self.running:
            raise UserError("an import or export is already running; wait for it or cancel it")
        if library.read_only:
            raise UserError(f"{library.path.name} is open read-only; nothing can be re-cleaned")
        self._begin(f"Re-cleaning {len(ids):,} articles…", len(ids))
        chosen = list(ids)

        def progress(state: ImportProgress) -> None:
            self._progress.emit(state.done, state.total, "Re-cleaning")

        def work() -> RecleanReport:
            return reclean(library, chosen, progress=progress, cancelled=self._cancel.is_set)

        self._runner.submit(work, self._reclean_done, self._failed, pool=Pool.LONG)

    def _begin(self, text: str, total: int = 0) -> None:
        self.running = True
        self._cancel.clear()
        self._status.start(text, total)

    def _end(self) -> None:
        self.running = False
        self._status.finish()

    @Slot(int, int, str)
    def _show_progress(self, done: int, total: int, text: str) -> None:
        if self.running and not self._cancel.is_set():
            self._status.progress(done, total, text)

    def _import_done(self, outcome: object) -> None:
        self._end()
        self.import_finished.emit(outcome)

    def _reclean_done(self, report: object) -> None:
        self._end()
        self.reclean_finished.emit(report)

    def _export_done(self, outcome: object) -> None:
        self._end()
        self.export_finished.emit(outcome)

    def _failed(self, error: BaseException, details: str) -> None:
        self._end()
        if isinstance(error, ExportCancelled):
            return
        self._runner.report_failure(error, details)
