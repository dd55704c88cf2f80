"""What the analysis views share: the articles analysed, a table model of rows, jobs, saving.

The panel hands each view an :class:`AnalysisSource`: the ids of the window's current result
(or of its selection) with a label. Word and keyword lists run as job processes followed by a
:class:`JobRunner`; the views never read the library on the GUI thread.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtCore import Signal as QtSignal
from PySide6.QtWidgets import QFileDialog, QTableView, QWidget

from corpusdesk.core.errors import UserError
from corpusdesk.gui.job_child import Job, Progress
from corpusdesk.gui.job_process import JobProcess
from corpusdesk.gui.tasks import Pool, TaskRunner

Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True, slots=True)
class AnalysisSource:
    """The articles an analysis runs over, in the table's order, and how to name them."""

    ids: tuple[int, ...]
    label: str
    query: str = ""
    """The search that gave them ("" for a selection or every article)."""


@dataclass(frozen=True, slots=True)
class Column:
    """A column of a :class:`RowsModel`: its title and how a row shows in it."""

    title: str
    value: Callable[[Any], object]
    numeric: bool = False


class RowsModel(QAbstractTableModel):
    """A read-only table of plain records, one per row."""

    def __init__(self, columns: Sequence[Column], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.columns = list(columns)
        self.rows: list[Any] = []

    def set_rows(self, rows: Sequence[Any]) -> None:
        """Show ``rows`` instead of the present ones."""
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.rows):
            return None
        column = self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            value = column.value(self.rows[index.row()])
            if isinstance(value, float):
                return f"{value:,.2f}"
            if isinstance(value, int):
                return f"{value:,}"
            return str(value)
        if role == Qt.ItemDataRole.TextAlignmentRole and column.numeric:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.columns[section].title
        return None


class JobRunner(QObject):
    """Runs one analysis job at a time in a job process; a new one replaces the running one."""

    progress = QtSignal(int, int, str)
    finished = QtSignal(object)
    failed = QtSignal(str)
    """A message for the user: the job was cancelled or could not run."""
    _relay_progress = QtSignal(int, int, str)
    """Progress from the job-following thread, passed on to the GUI thread."""

    def __init__(self, on_failure: Callable[[BaseException, str], None], parent: QObject) -> None:
        super().__init__(parent)
        self._runner = TaskRunner(on_failure, self)
        self._process: JobProcess | None = None
        self._relay_progress.connect(self.progress)

    @property
    def running(self) -> bool:
        """Whether a job is running."""
        return self._process is not None

    def start(self, job: Job) -> None:
        """Run ``job``; its result comes as :attr:`finished`."""
        self.cancel()
        process = JobProcess(job, self._message)
        self._process = process

        def succeeded(result: object) -> None:
            if self._process is process:
                self._process = None
                self.finished.emit(result)

        def failed(error: BaseException, details: str) -> None:
            if self._process is not process:
                return  # replaced or cancelled: the user no longer waits for it
            self._process = None
            if isinstance(error, UserError):
                self.failed.emit(str(error))
            else:
                self.failed.emit("The count failed.")
                self._runner.report_failure(error, details)

        self._runner.submit(process.run, succeeded, failed, pool=Pool.LONG)

    def _message(self, message: object) -> None:
        if isinstance(message, Progress):
            self._relay_progress.emit(message.done, message.total, message.text)

    def cancel(self) -> None:
        """Stop the running job (its result, if it still comes, is dropped)."""
        process, self._process = self._process, None
        if process is not None:
            process.cancel()

    def shutdown(self) -> None:
        """Stop the job and wait for its process to end (the window is closing)."""
        process, self._process = self._process, None
        if process is not None:
            process.stop()
        self._runner.shutdown()


def compact_rows(table: QTableView) -> None:
    """Rows as high as a line of text, so that many fit."""
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 6)


def ask_save_path(parent: QWidget, title: str, name: str, filters: str) -> Path | None:
    """A file to save to, asked of the user (None when they cancel)."""
    chosen, _ = QFileDialog.getSaveFileName(parent, title, str(Path.home() / name), filters)
    return Path(chosen) if chosen else None
