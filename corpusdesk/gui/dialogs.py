"""Dialogs: crash report, import reports, about box, and the small questions the window asks.

The questions (confirmations, file and folder choices, names) are plain functions so that one
place decides how they look and tests can answer them without a person.
"""

from __future__ import annotations

import datetime as dt
import html
import logging
import os
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication
from PySide6.QtWidgets import (
    QColorDialog,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHeaderView,
    QInputDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from corpusdesk import __version__
from corpusdesk.core.locations import LibraryLocation, location_text
from corpusdesk.core.logs import log_file
from corpusdesk.core.records import FileResult, ImportReport, Outcome
from corpusdesk.core.wording import plural
from corpusdesk.gui import theme
from corpusdesk.importing.sources import file_patterns
from corpusdesk.library.import_runs import ImportRunInfo

HTML_FILTER = f"Saved web pages ({' '.join(file_patterns())});;All files (*)"
LIBRARY_FILTER = "corpusdesk libraries (*.corpusdesk.db *.db);;All files (*)"
EXPORT_FILTERS = {
    "JSON Lines (*.jsonl)": ".jsonl",
    "JSON (*.json)": ".json",
    "CSV, one row per article (*.csv)": ".csv",
    "Parquet, for pandas, polars, DuckDB (*.parquet)": ".parquet",
    "CSL-JSON, for Zotero and citation tools (*.csl.json)": ".csl.json",
}
"""The export file dialog's filters and the extension each gives a name typed without one."""

log = logging.getLogger(__name__)


# -- questions ----------------------------------------------------------------------------------


def confirm(parent: QWidget, title: str, text: str, action: str) -> bool:
    """Ask a yes/no question whose yes button says ``action``."""
    box = QMessageBox(
        QMessageBox.Icon.Question, title, text, QMessageBox.StandardButton.Cancel, parent
    )
    yes = box.addButton(action, QMessageBox.ButtonRole.AcceptRole)
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    box.exec()
    return box.clickedButton() is yes


def ask_text(parent: QWidget, title: str, label: str, text: str = "") -> str | None:
    """One line of text, or None when cancelled."""
    value, ok = QInputDialog.getText(parent, title, label, text=text)
    return value.strip() if ok and value.strip() else None


def ask_color(parent: QWidget, current: str | None) -> str | None:
    """A colour as ``#rrggbb``, or None when cancelled."""
    color = QColorDialog.getColor(QColor(current or "#4a90d9"), parent, "Tag Colour")
    return color.name() if color.isValid() else None


def ask_open_files(parent: QWidget, folder: str) -> list[Path]:
    """HTML files to import."""
    names, _ = QFileDialog.getOpenFileNames(parent, "Import Files", folder, HTML_FILTER)
    return [Path(name) for name in names]


def ask_folder(parent: QWidget, folder: str) -> Path | None:
    """A folder to import."""
    name = QFileDialog.getExistingDirectory(parent, "Import Folder", folder)
    return Path(name) if name else None


def ask_export_path(parent: QWidget, folder: str, count: int) -> Path | None:
    """Where to export, with the extension of the chosen format."""
    name, chosen = QFileDialog.getSaveFileName(
        parent,
        f"Export {plural(count, 'Article')}",
        str(Path(folder) / "articles.jsonl"),
        ";;".join(EXPORT_FILTERS),
    )
    if not name:
        return None
    return export_path_for(Path(name), EXPORT_FILTERS.get(chosen, ".jsonl"))


def export_path_for(path: Path, extension: str) -> Path:
    """``path`` with the chosen format's ``extension`` when its own names no format, or when
    CSL-JSON was chosen for a plain ``.json`` name (the format follows the file name)."""
    lowered = path.name.lower()
    if extension == ".csl.json" and lowered.endswith(".json") and not lowered.endswith(extension):
        return path.with_name(path.name[: -len(".json")] + extension)
    if not lowered.endswith(tuple(EXPORT_FILTERS.values())):
        return path.with_name(path.name + extension)
    return path


def ask_library_path(parent: QWidget, folder: str, *, new: bool) -> Path | None:
    """A library file to create or open."""
    if new:
        name, _ = QFileDialog.getSaveFileName(
            parent, "New Library", str(Path(folder) / "library.corpusdesk.db"), LIBRARY_FILTER
        )
    else:
        name, _ = QFileDialog.getOpenFileName(parent, "Open Library", folder, LIBRARY_FILTER)
    return Path(name) if name else None


def ask_other_library(
    parent: QWidget, name: str | Path, reason: str, backup: Path | None = None
) -> str:
    """A library cannot be opened: say why; returns "other", "restore" (a backup) or ""."""
    text = f"The library {name} cannot be opened:\n{reason}"
    if backup is not None:
        text += (
            f"\n\nAn automatic backup from {backup_time(backup)} is available. Restoring it "
            "keeps the current file beside it, renamed, and loses changes made since the backup."
        )
    box = QMessageBox(
        QMessageBox.Icon.Warning,
        "Cannot Open Library",
        text,
        QMessageBox.StandardButton.Cancel,
        parent,
    )
    box.setObjectName("brokenLibrary")
    other = box.addButton("Choose Another…", QMessageBox.ButtonRole.AcceptRole)
    restore = (
        box.addButton("Restore Backup", QMessageBox.ButtonRole.DestructiveRole)
        if backup is not None
        else None
    )
    box.exec()
    clicked = box.clickedButton()
    if clicked is other:
        return "other"
    if restore is not None and clicked is restore:
        return "restore"
    return ""


def backup_time(backup: Path) -> str:
    """When a backup file was made, for messages."""
    stamp = dt.datetime.fromtimestamp(backup.stat().st_mtime)
    return stamp.strftime("%Y-%m-%d %H:%M")


def _open_box(
    parent: QWidget, icon: QMessageBox.Icon, name: str, title: str, text: str
) -> QMessageBox:
    box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, parent)
    box.setObjectName(name)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box


def show_error(parent: QWidget, title: str, text: str) -> QMessageBox:
    """A non-blocking warning box (the window stays usable behind it); noted in the log."""
    log.warning("shown to the user: %s", text)
    return _open_box(parent, QMessageBox.Icon.Warning, "userError", title, text)


def show_information(parent: QWidget, title: str, text: str) -> QMessageBox:
    """A non-blocking information box."""
    return _open_box(parent, QMessageBox.Icon.Information, "information", title, text)


# -- dialogs ----------------------------------------------------------------------------------


class CrashDialog(QDialog):
    """Shows an unexpected error's traceback with a Copy button; the app keeps running."""

    def __init__(self, summary: str, details: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("crashDialog")
        self.setWindowTitle("corpusdesk: unexpected error")
        log.error("unexpected error: %s\n%s", summary, details.rstrip("\n"))
        intro = QLabel(
            "<b>Something went wrong.</b> corpusdesk is still running and your library is "
            f"safe; the action that failed was not completed.<br><br>{html.escape(summary)}"
            f"<br><br>The details below are also in the log file "
            f"<code>{html.escape(str(log_file()))}</code>. "
            "Help → Report a Problem gathers them with your system's details.",
            self,
        )
        intro.setWordWrap(True)
        intro.setTextFormat(Qt.TextFormat.RichText)
        self.details = QPlainTextEdit(details, self)
        self.details.setReadOnly(True)
        self.details.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        copy = QPushButton("Copy", self)
        copy.setToolTip("Copy the error report to the clipboard")
        buttons.addButton(copy, QDialogButtonBox.ButtonRole.ActionRole)
        copy.clicked.connect(self.copy)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.details, 1)
        layout.addWidget(buttons)
        self.resize(640, 420)

    def copy(self) -> None:
        """Put the report on the clipboard."""
        QGuiApplication.clipboard().setText(
            f"corpusdesk {__version__}\n{self.details.toPlainText()}"
        )


def describe_sources(sources: Sequence[str]) -> str:
    """What an import was given, in a few words: ``the folder pages (in /home/ann)``."""
    if not sources:
        return "files not recorded (an import made by an earlier version)"
    paths = [Path(source) for source in sources]
    if len(paths) == 1:
        kind = "the folder" if paths[0].is_dir() else "the file"
        return f"{kind} {paths[0].name} (in {paths[0].parent})"
    folders = sum(1 for path in paths if path.is_dir())
    parts = [plural(folders, "folder")] if folders else []
    if len(paths) > folders:
        parts.append(plural(len(paths) - folders, "file"))
    try:
        common = os.path.commonpath([str(path.parent) for path in paths])
    except ValueError:  # on different drives
        return " and ".join(parts)
    return f"{' and '.join(parts)} from {common}"


def _duration(report: ImportReport) -> str:
    if report.finished_at is None:
        return ""
    seconds = max(0, round((report.finished_at - report.started_at).total_seconds()))
    minutes, seconds = divmod(seconds, 60)
    return f", took {minutes} min {seconds} s" if minutes else f", took {seconds} s"


def outcome_text(result: FileResult) -> str:
    """What happened to one file, in the words the sidebar and the table use."""
    if result.outcome is Outcome.DUPLICATE:
        return "skipped: already in the library"
    if result.outcome is Outcome.IMPORTED and result.near_duplicate_of is not None:
        return "imported as a copy"
    return result.outcome.value


FILE_COLUMN_SHARE = 0.4
"""The widest the file names of an import report start, as a share of the dialog's width."""


def _listed_reason(result: FileResult) -> str:
    if result.near_duplicate_of is None:
        return result.reason
    return (
        f"the same or nearly the same text as article #{result.near_duplicate_of}; "
        "kept and grouped with it (see With copies)"
    )


class ImportReportDialog(QDialog):
    """The result of one import: what it was given, when, its totals, and every file that
    failed, was already in the library or was imported as a copy, with the reason."""

    def __init__(self, report: ImportReport, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("importReport")
        self.setWindowTitle("Import Report")
        started = report.started_at.strftime("%Y-%m-%d %H:%M")
        self.heading = QLabel(
            f"<b>Import of {html.escape(describe_sources(report.sources))}</b><br>"
            f"started {started}{_duration(report)}<br>{html.escape(report.summary())}",
            self,
        )
        self.heading.setObjectName("importHeading")
        self.heading.setWordWrap(True)
        self.heading.setToolTip("\n".join(report.sources))
        listed = [
            r
            for r in report.results
            if r.outcome is not Outcome.IMPORTED or r.near_duplicate_of is not None
        ]
        self.table = QTableWidget(len(listed), 3, self)
        self.table.setHorizontalHeaderLabels(["File", "Outcome", "Reason"])
        self.table.setAccessibleName("Files with a note")
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        order = {Outcome.FAILED: 0, Outcome.DUPLICATE: 1}
        listed.sort(key=lambda r: (order.get(r.outcome, 2), Path(r.path).name, r.path))
        self._paths = [result.path for result in listed]
        for row, result in enumerate(listed):
            path = QTableWidgetItem(Path(result.path).name)
            path.setToolTip(result.path)
            outcome = QTableWidgetItem(outcome_text(result))
            if result.outcome is Outcome.FAILED:
                outcome.setForeground(theme.error(self.palette()))
            reason = _listed_reason(result)
            reason_item = QTableWidgetItem(reason)
            reason_item.setToolTip(reason)
            self.table.setItem(row, 0, path)
            self.table.setItem(row, 1, outcome)
            self.table.setItem(row, 2, reason_item)
        self.table.setWordWrap(True)
        self.resize(900, 480 if listed else 160)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        # Long file names would squeeze the reasons out of sight: the names get at most
        # two fifths of the table (the whole path is in their tooltip) and can be widened.
        self.table.resizeColumnToContents(0)
        widest = int(FILE_COLUMN_SHARE * self.width())
        header.resizeSection(0, min(header.sectionSize(0), widest))
        self.table.resizeRowsToContents()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        if listed:
            copy = QPushButton("Copy List", self)
            copy.setToolTip("Copy every listed file with its outcome and reason, one a line")
            buttons.addButton(copy, QDialogButtonBox.ButtonRole.ActionRole)
            copy.clicked.connect(self.copy)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        if listed:
            layout.addWidget(self.table, 1)
        else:
            self.table.hide()
            layout.addWidget(QLabel("Every file was imported.", self))
        layout.addWidget(buttons)

    def copy(self) -> None:
        """Put the listed files on the clipboard: whole path, outcome and reason, tab-separated."""
        lines = [
            "\t".join((path, outcome, reason))
            for path, (_name, outcome, reason) in zip(self._paths, self.listed(), strict=True)
        ]
        QGuiApplication.clipboard().setText("\n".join(lines) + "\n")

    def reasons(self) -> dict[str, str]:
        """File name → reason, as listed (for tests and copying)."""
        return {name: reason for name, _outcome, reason in self.listed()}

    def listed(self) -> list[tuple[str, str, str]]:
        """(file name, outcome, reason) of each listed file, top to bottom."""
        rows = []
        for row in range(self.table.rowCount()):
            cells = [self.table.item(row, column) for column in range(3)]
            name, outcome, reason = (cell.text() if cell is not None else "" for cell in cells)
            rows.append((name, outcome, reason))
        return rows


class ImportRunsDialog(QDialog):
    """Past imports; choosing one opens its report."""

    def __init__(self, runs: Sequence[ImportRunInfo], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Import Reports")
        self.list = QListWidget(self)
        for run in runs:
            when = run.started_at.strftime("%Y-%m-%d %H:%M") if run.started_at else "?"
            what = describe_sources(run.sources) if run.sources else ""
            item = QListWidgetItem(f"{when} — {what + ': ' if what else ''}{run.summary}")
            item.setToolTip("\n".join(run.sources))
            item.setData(Qt.ItemDataRole.UserRole, run.id)
            self.list.addItem(item)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Open | QDialogButtonBox.StandardButton.Close, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.list.itemDoubleClicked.connect(lambda _item: self.accept())
        layout = QVBoxLayout(self)
        if runs:
            layout.addWidget(self.list)
            self.list.setCurrentRow(0)
        else:
            layout.addWidget(QLabel("No import has been run on this library yet.", self))
            buttons.button(QDialogButtonBox.StandardButton.Open).setEnabled(False)
        layout.addWidget(buttons)
        self.resize(480, 320)

    def chosen(self) -> int | None:
        """The id of the chosen run."""
        item = self.list.currentItem()
        return None if item is None else int(item.data(Qt.ItemDataRole.UserRole))


def about_text(library: LibraryLocation | None = None) -> str:
    """What the About box says, naming the open library (a team library by its URL, which
    never holds the password)."""
    where = (
        f"<p>Library: <code>{html.escape(location_text(library))}</code></p>"
        if library is not None
        else ""
    )
    return (
        f"<h3>corpusdesk {__version__}</h3>"
        "<p>A desktop corpus manager for saved news articles, op-eds and blog posts: import "
        "pages, read them cleaned, tag, search and export.</p>"
        f"{where}"
        "<p>Licensed under the GNU GPL, version 3 or later.</p>"
    )


def show_about(parent: QWidget, library: LibraryLocation | None = None) -> None:
    """The About box."""
    QMessageBox.about(parent, "About corpusdesk", about_text(library))
