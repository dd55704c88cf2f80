"""Long jobs: import, export and re-clean, in a background process with progress and Cancel.

Each job runs in a child process of its own (:mod:`corpusdesk.gui.job_process`), so its work
never holds up the window's event loop; the long-job thread only waits for the child's messages
and turns them into signals: progress moves the status-bar widget, committed batches let the
window show new articles. Cancel is a message to the child, which the job notices between
files. Only one long job runs at a time; closing the window stops it. An error in the job comes
back as a message or the crash dialog, as for any background task; a job process that dies is
reported as such, and the window then shows what the job had committed.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QObject, Signal, SignalInstance, Slot

from corpusdesk.core.errors import UserError
from corpusdesk.core.wording import plural
from corpusdesk.exporting.writer import ExportCancelled
from corpusdesk.gui.job_child import (
    Committed,
    ExportJob,
    ExportOutcome,
    ImportJob,
    ImportOutcome,
    Job,
    Progress,
    RecleanJob,
)
from corpusdesk.gui.job_process import JobProcess
from corpusdesk.gui.tasks import Pool, TaskRunner
from corpusdesk.gui.widgets.import_status import ProgressStatus
from corpusdesk.library.library import Library

__all__ = ["ExportOutcome", "ImportOutcome", "Jobs"]

ALREADY_RUNNING = "an import or export is already running; wait for it or cancel it"


class Jobs(QObject):
    """Starts, follows and cancels the import, export or re-clean in progress."""

    committed = Signal(int)
    """New articles were written by the running import (how many)."""
    import_finished = Signal(object)
    """An import ended: an :class:`ImportOutcome`."""
    export_finished = Signal(object)
    """An export ended: an :class:`ExportOutcome`."""
    reclean_finished = Signal(object)
    """A re-clean ended: a :class:`~corpusdesk.importing.reclean.RecleanReport`."""
    interrupted = Signal()
    """A job that writes to the library failed or died: what it committed is there, unreported."""
    ended = Signal()
    """A job ended, however it ended (after its own finished signal or error)."""
    _progress = Signal(int, int, str)
    _committed = Signal(int)

    def __init__(
        self, runner: TaskRunner, status: ProgressStatus, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._runner = runner
        self._status = status
        self._process: JobProcess | None = None
        self._cancelling = False
        self.running = False
        self._progress.connect(self._show_progress)
        self._committed.connect(self.committed)
        status.cancel_requested.connect(self.cancel)

    @property
    def process_id(self) -> int | None:
        """The running job's process id (None when no job runs or it has not started)."""
        return self._process.pid if self._process is not None else None

    def cancel(self) -> None:
        """Ask the running job to stop."""
        if self._process is not None:
            self._cancelling = True
            self._process.cancel()

    def stop(self) -> None:
        """End the running job: cancel it, and end its process if it does not stop soon."""
        if self._process is not None:
            self._cancelling = True
            self._process.stop()

    def start_import(self, library: Library, paths: Sequence[Path]) -> None:
        """Import ``paths`` (files and folders) into ``library``."""
        self._check_idle()
        if library.read_only:
            raise UserError(f"{library.title} is open read-only; nothing can be imported")
        job = ImportJob(library.location, library.read_only, tuple(Path(p) for p in paths))
        # How many files a folder holds is known once the job has looked: it says so then.
        self._start(job, "Looking for pages to import…", 0, self.import_finished)

    def start_export(self, library: Library, ids: Sequence[int], path: Path) -> None:
        """Export the articles ``ids`` to ``path`` (in the format its extension names)."""
        self._check_idle()
        job = ExportJob(library.location, library.read_only, tuple(ids), Path(path))
        text = f"Exporting {plural(len(ids), 'article')}…"
        self._start(job, text, len(ids), self.export_finished)

    def start_reclean(self, library: Library, ids: Sequence[int]) -> None:
        """Re-extract the articles ``ids`` from their originals with the current rules."""
        self._check_idle()
        if library.read_only:
            raise UserError(f"{library.title} is open read-only; nothing can be re-cleaned")
        job = RecleanJob(library.location, library.read_only, tuple(ids))
        text = f"Re-cleaning {plural(len(ids), 'article')}…"
        self._start(job, text, len(ids), self.reclean_finished)

    def _check_idle(self) -> None:
        if self.running:
            raise UserError(ALREADY_RUNNING)

    def _start(self, job: Job, text: str, total: int, finished: SignalInstance) -> None:
        self.running = True
        self._cancelling = False
        self._status.start(text, total)
        process = JobProcess(job, self._relay)
        self._process = process

        def succeeded(result: object) -> None:
            self._end(process)
            finished.emit(result)
            self.ended.emit()

        def failed(error: BaseException, details: str) -> None:
            self._end(process)
            if not isinstance(error, ExportCancelled):
                self._runner.report_failure(error, details)
            if job.writes:
                self.interrupted.emit()
            self.ended.emit()

        self._runner.submit(process.run, succeeded, failed, pool=Pool.LONG)

    def _relay(self, message: Progress | Committed) -> None:
        """On the long-job thread: pass the child's message on to the GUI thread."""
        if isinstance(message, Progress):
            self._progress.emit(message.done, message.total, message.text)
        else:
            self._committed.emit(message.count)

    def _end(self, process: JobProcess) -> None:
        if self._process is process:
            self._process = None
            self.running = False
            self._status.finish()

    @Slot(int, int, str)
    def _show_progress(self, done: int, total: int, text: str) -> None:
        if self.running and not self._cancelling:
            self._status.progress(done, total, text)
