"""What the window does once at start-up, beyond opening its library.

- On the very first start it says, in a banner above the table that does not block anything,
  where the library lives and how to use another one.
- ``corpusdesk FILE…`` (a file manager's "Open with corpusdesk") imports those files into the
  library that was opened.
- ``--quit-after SECONDS``, for automated checks of the app (the packaged one too), closes the
  window after that long, once no import or export is running.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QSettings, Qt, QTimer
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from corpusdesk.gui import theme

if TYPE_CHECKING:
    from corpusdesk.gui.main_window import MainWindow

QUIT_RECHECK_MS = 200
"""While a job runs past the --quit-after time, how often the window looks again."""


def is_first_run(store: QSettings) -> bool:
    """Whether no library was ever opened with these settings (look before opening one)."""
    return not store.value("lastLibrary", "")


class FirstRunBanner(QFrame):
    """Where the library lives, with buttons to open or create another; closes with ✕."""

    def __init__(self, window: MainWindow, library_path: Path) -> None:
        super().__init__(window)
        self.setObjectName("firstRunBanner")
        self.setStyleSheet(theme.banner_style(self.palette(), "firstRunBanner", "info"))
        self.text = QLabel(
            "<b>Welcome to corpusdesk.</b> Your library is the file "
            f"<code>{library_path}</code>: everything you import, tag and edit is kept there. "
            "To keep your articles somewhere else, create a library with <i>New Library…</i> or "
            "open an existing one with <i>Open Library…</i> (both in the File menu). "
            "Help → User Guide (F1) explains the rest.",
            self,
        )
        self.text.setWordWrap(True)
        self.text.setTextFormat(Qt.TextFormat.RichText)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        new_library = QPushButton("New Library…", self)
        new_library.clicked.connect(window.new_library)
        open_library = QPushButton("Open Library…", self)
        open_library.clicked.connect(window.choose_library)
        close = QPushButton("✕", self)
        close.setObjectName("closeFirstRunBanner")
        close.setToolTip("Hide this message")
        close.setAccessibleName("Hide the welcome message")
        close.setFlat(True)
        close.setFixedWidth(close.fontMetrics().height() * 2)
        close.clicked.connect(self.hide)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 6, 6)
        layout.addWidget(self.text, 1)
        layout.addWidget(new_library)
        layout.addWidget(open_library)
        layout.addWidget(close, 0, Qt.AlignmentFlag.AlignTop)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if event.type() == QEvent.Type.PaletteChange:
            style = theme.banner_style(self.palette(), "firstRunBanner", "info")
            if style != self.styleSheet():
                self.setStyleSheet(style)
        super().changeEvent(event)


def show_first_run_banner(window: MainWindow, library_path: Path) -> QWidget:
    """Put the first-run banner at the top of the window, or say it in the status bar."""
    banner = FirstRunBanner(window, library_path)
    central = window.centralWidget()
    layout = central.layout() if central is not None else None
    if isinstance(layout, QVBoxLayout):
        layout.insertWidget(0, banner)
    else:
        banner.hide()
        window.show_status(f"Your library is {library_path}; File → New Library… to change it")
    return banner


def import_files(window: MainWindow, files: Sequence[Path]) -> None:
    """Import what the app was opened with, into the library it opened (if it opened one)."""
    if files and window.library is not None:
        window.transfers.import_paths(list(files))


def quit_after(window: MainWindow, seconds: float) -> None:
    """Close the window after ``seconds``, waiting for a running import or export to end."""

    def close_when_idle() -> None:
        if window.jobs.running:
            QTimer.singleShot(QUIT_RECHECK_MS, window, close_when_idle)
        else:
            window.close()

    QTimer.singleShot(max(0, round(seconds * 1000)), window, close_when_idle)
