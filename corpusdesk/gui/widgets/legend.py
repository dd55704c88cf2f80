"""The line under the articles table that says what the Copies column's marker means."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from corpusdesk.gui import icons, theme

TEXT = (
    "Copies: the article was republished (nearly the same text elsewhere); each copy is kept. "
    "Ctrl+D compares them."
)


class CopiesLegend(QWidget):
    """The Copies marker and its meaning; shown while the library holds copies."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("copiesLegend")
        self.setAccessibleName(f"Legend: {TEXT}")
        self.marker = QLabel(self)
        self.text = QLabel(TEXT, self)
        self.text.setWordWrap(True)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 2, 8, 2)
        layout.addWidget(self.marker, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.text, 1)
        self.restyle(self.palette())
        self.hide()

    def restyle(self, palette: QPalette) -> None:
        """The marker and the text in the palette's colours (light or dark)."""
        size = self.fontMetrics().height()
        self.marker.setPixmap(icons.icon("duplicates").pixmap(size, size))
        self.text.setStyleSheet(f"color: {theme.muted(palette).name()};")
