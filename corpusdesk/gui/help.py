"""The Help menu: the user guide shipped with the app, and a problem report to copy.

The guide is ``manual.html`` in the ``corpusdesk.resources`` package (installed with the wheel
and inside the packaged app), shown in a window of its own so that it works offline and with
no browser. The problem report gathers what someone helping a user needs first: versions,
platform, the library's path and the end of the log.
"""

from __future__ import annotations

import platform
import sys
from importlib.resources import files
from pathlib import Path
from typing import Protocol

import PySide6
from PySide6.QtCore import QObject, QUrl, qVersion
from PySide6.QtGui import QAction, QDesktopServices, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from corpusdesk import __version__
from corpusdesk.core.logs import last_lines, log_file
from corpusdesk.library.library import Library


class HelpHost(Protocol):
    """What the Help menu needs from the window: the open library, for the report."""

    @property
    def library(self) -> Library | None: ...


MANUAL = "manual.html"
REPORT_LOG_LINES = 60


def manual_path() -> Path:
    """The user guide's HTML file in the installed package data."""
    resource = files("corpusdesk.resources").joinpath(MANUAL)
    return Path(str(resource))


class UserGuide(QDialog):
    """The user guide in a window of its own; links to other sites open in the browser."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("userGuide")
        self.setWindowTitle("corpusdesk User Guide")
        self.browser = QTextBrowser(self)
        self.browser.setOpenExternalLinks(True)
        path = manual_path()
        if path.is_file():
            self.browser.setSource(QUrl.fromLocalFile(str(path)))
        else:
            self.browser.setPlainText(f"The user guide is missing: {path} does not exist.")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser, 1)
        layout.addWidget(buttons)
        self.resize(760, 640)


def problem_report(library: Library | None) -> str:
    """The text of a problem report: versions, platform, library, log file and its end."""
    frozen = getattr(sys, "frozen", False)
    if library is None:
        library_line = "none open"
    else:
        # A team library's location is its URL without the password.
        library_line = f"{library.location}{' (read-only)' if library.read_only else ''}"
    lines = [
        f"corpusdesk {__version__} ({'packaged app' if frozen else 'Python package'})",
        f"Platform: {platform.platform()}",
        f"Python: {platform.python_version()} ({sys.executable})",
        f"Qt: {qVersion()}, PySide6 {PySide6.__version__}, "
        f"{QGuiApplication.platformName()} platform",
        f"Library: {library_line}",
        f"Log file: {log_file()}",
        "",
        "Last lines of the log:",
    ]
    tail = last_lines(REPORT_LOG_LINES)
    lines.extend(tail or ["(the log is empty)"])
    return "\n".join(lines) + "\n"


class ProblemReport(QDialog):
    """Help → Report a Problem: the report, a Copy button and the log's folder."""

    def __init__(self, library: Library | None, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("problemReport")
        self.setWindowTitle("Report a Problem")
        intro = QLabel(
            "Describe what you did and what went wrong, and paste this report below your "
            "description: it tells whoever helps you which version you use, on what system, "
            "and what corpusdesk noted lately. It holds file paths but no article text.",
            self,
        )
        intro.setWordWrap(True)
        self.details = QPlainTextEdit(problem_report(library), self)
        self.details.setReadOnly(True)
        self.details.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        copy = QPushButton("Copy", self)
        copy.setObjectName("copyReport")
        copy.setToolTip("Copy the report to the clipboard")
        copy.clicked.connect(self.copy)
        folder = QPushButton("Open Log Folder", self)
        folder.setToolTip(str(log_file().parent))
        folder.clicked.connect(self.open_log_folder)
        buttons.addButton(copy, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(folder, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.details, 1)
        layout.addWidget(buttons)
        self.resize(720, 480)

    def copy(self) -> None:
        """Put the report on the clipboard."""
        QGuiApplication.clipboard().setText(self.details.toPlainText())

    def open_log_folder(self) -> None:
        """Show the folder holding the log files in the file manager."""
        folder = log_file().parent
        folder.mkdir(parents=True, exist_ok=True)
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))


class Help(QObject):
    """The Help menu's actions and the windows they open (one of each at a time)."""

    def __init__(self, host: HelpHost, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("help")
        self.host = host
        self.parent_widget = parent
        self.guide: UserGuide | None = None
        self.report: ProblemReport | None = None
        self.user_guide_action = QAction("&User Guide", parent)
        self.user_guide_action.setObjectName("userGuideAction")
        self.user_guide_action.setShortcut(QKeySequence.StandardKey.HelpContents)
        self.user_guide_action.setStatusTip("How to import, tag, search and export")
        self.user_guide_action.triggered.connect(lambda _checked=False: self.show_user_guide())
        self.report_action = QAction("&Report a Problem…", parent)
        self.report_action.setObjectName("reportProblemAction")
        self.report_action.setStatusTip("Versions, platform and the end of the log, to copy")
        self.report_action.triggered.connect(lambda _checked=False: self.show_problem_report())

    def fill(self, menu: QMenu) -> None:
        """Add the actions to the Help menu."""
        menu.addActions([self.user_guide_action, self.report_action])
        menu.addSeparator()

    def show_user_guide(self) -> UserGuide:
        """Open the user guide (or bring it forward)."""
        if self.guide is None:
            self.guide = UserGuide(self.parent_widget)
        self.guide.show()
        self.guide.raise_()
        return self.guide

    def show_problem_report(self) -> ProblemReport:
        """Open a problem report with the current state and log."""
        if self.report is not None:
            self.report.close()
        self.report = ProblemReport(self.host.library, self.parent_widget)
        self.report.show()
        return self.report
