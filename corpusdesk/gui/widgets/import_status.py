"""The status-bar widget of a running import or export: what is done, a bar and Cancel."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget


class ProgressStatus(QWidget):
    """A label, a progress bar and a Cancel button, hidden while nothing runs."""

    cancel_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label = QLabel(self)
        self.bar = QProgressBar(self)
        self.bar.setFixedWidth(self.fontMetrics().averageCharWidth() * 30)
        self.bar.setTextVisible(True)
        self.bar.setAccessibleName("Progress")
        self.cancel_button = QPushButton("Cancel", self)
        self.cancel_button.setToolTip("Stop after the current file; what is done stays done")
        self.cancel_button.setAccessibleName("Cancel the running job")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 4, 0)
        layout.addWidget(self.label)
        layout.addWidget(self.bar)
        layout.addWidget(self.cancel_button)
        self.cancel_button.clicked.connect(self._cancel)
        self.hide()

    def start(self, text: str, total: int = 0) -> None:
        """Show the widget for a new job (``total`` 0 means not known yet)."""
        self.label.setText(text)
        self.bar.setRange(0, max(total, 0))
        self.bar.setValue(0)
        self.cancel_button.setEnabled(True)
        self.show()

    def progress(self, done: int, total: int, text: str) -> None:
        """Move the bar: ``done`` of ``total``, with a short note."""
        if total > 0:
            self.bar.setRange(0, total)
            self.bar.setValue(done)
            self.bar.setFormat(f"{done:,} / {total:,}")
        self.label.setText(text)

    def finish(self) -> None:
        """Hide the widget."""
        self.hide()

    def _cancel(self) -> None:
        self.cancel_button.setEnabled(False)
        self.label.setText("Cancelling…")
        self.cancel_requested.emit()
