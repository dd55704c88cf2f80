"""The filter bar above the table: query text with live results, inline errors and a count.

Typing restarts a short timer; when it fires the query is emitted and the owner runs the search
in the background. A malformed query is reported inline under the field, and the offending
position is marked in the text so the user sees where the problem is; the count then says
that the rows below are stale. Ctrl+Z in the field undoes typing (Edit → Undo in Library
reaches the library's changes from anywhere).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from corpusdesk.core.errors import QueryError
from corpusdesk.core.wording import plural
from corpusdesk.gui import theme

DEBOUNCE_MS = 250
HELP = (
    'Search the library. Words and "phrases" match the text; fields narrow it down:\n'
    "tag:name  site:guardian  author:smith  title:budget  lang:en\n"
    "date:2023  date:>=2023-06  date:2020..2022  words:>1000  is:untagged\n"
    "is:duplicate (articles with copies, that is republished elsewhere)\n"
    "Combine with AND (implied), OR, NOT (or and, or, not between words) or a leading -,\n"
    "and group with ( ). Fields ignore case and accents: author:celik finds Çelik."
)


class FilterBar(QWidget):
    """A query field with a debounce timer, an inline error line and a result count."""

    query_changed = Signal(str)
    save_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.edit = QLineEdit(self)
        self.edit.setObjectName("filterEdit")
        self.edit.setPlaceholderText(
            'Filter: words, "phrases", tag:…, site:…, date:2023…  (Ctrl+F)'
        )
        self.edit.setClearButtonEnabled(True)
        self.edit.setToolTip(HELP)
        self.edit.setAccessibleName("Filter")
        self.edit.setAccessibleDescription(HELP)
        self.edit.installEventFilter(self)
        self.save_button = QToolButton(self)
        self.save_button.setText("Save…")
        self.save_button.setToolTip("Save this query as a saved search")
        self.save_button.setAutoRaise(True)
        self.save_button.setEnabled(False)
        self.save_button.setAccessibleName("Save search")
        self.count_label = QLabel(self)
        self.count_label.setObjectName("countLabel")
        self.count_label.setAccessibleName("Articles shown")
        self.count_label.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        self.error_label = QLabel(self)
        self.error_label.setObjectName("queryError")
        self.error_label.setAccessibleName("Query error")
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        self._restyle()

        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.edit, 1)
        row.addWidget(self.save_button)
        row.addSpacing(8)
        row.addWidget(self.count_label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 4)
        layout.setSpacing(2)
        layout.addLayout(row)
        layout.addWidget(self.error_label)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self._emit)
        self.edit.textChanged.connect(self._text_changed)
        self.save_button.clicked.connect(lambda: self.save_requested.emit(self.text()))

    def text(self) -> str:
        """The query as typed."""
        return self.edit.text().strip()

    def set_text(self, text: str, *, immediately: bool = True) -> None:
        """Replace the query; by default the search runs at once instead of after the delay."""
        self.edit.setText(text)
        if immediately:
            self._timer.stop()
            self._emit()

    def clear(self) -> None:
        """Empty the field and show everything again."""
        self.set_text("")

    def focus(self) -> None:
        """Put the cursor in the field with its text selected."""
        self.edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.edit.selectAll()

    def show_count(self, shown: int, total: int) -> None:
        """Show how many articles the result holds out of the view's total."""
        self.count_label.setToolTip("")
        if shown == total:
            self.count_label.setText(plural(total, "article"))
        else:
            self.count_label.setText(f"{shown:,} of {plural(total, 'article')}")

    def show_counting(self) -> None:
        """Say that the matches of a new query are being counted (the first rows are shown)."""
        self.count_label.setToolTip("")
        self.count_label.setText("Counting…")

    def show_stale(self) -> None:
        """Say that the table shows the results of an earlier query, not of this one."""
        self.count_label.setText("Stale results")
        self.count_label.setToolTip(
            "The table shows the results of the last query that could be run, greyed out"
        )

    def show_error(self, error: QueryError | None) -> None:
        """Show (or, with None, hide) a query error and mark where it is."""
        if error is None:
            self.error_label.hide()
            self.error_label.clear()
            self._restyle()
            return
        text = self.edit.text()
        offset = len(text) - len(text.lstrip())
        position = min(max(0, error.position + offset), len(text))
        snippet = text[position : position + 16].strip()
        where = f"at character {position + 1}: {snippet}" if snippet else "at the end"
        self.error_label.setText(
            f"Cannot search: {error.reason} — {where}. The table below still shows the "
            "results of the last valid query."
        )
        self.error_label.show()
        self._restyle()
        if not self.edit.hasSelectedText():
            self.edit.setCursorPosition(position)

    def has_error(self) -> bool:
        """Whether an error is currently shown."""
        return not self.error_label.isHidden()

    def _restyle(self) -> None:
        """Error colours from the palette (light or dark)."""
        colour = theme.error(self.palette()).name()
        self.error_label.setStyleSheet(f"color: {colour};")
        self.edit.setStyleSheet(
            f"QLineEdit {{ border: 1px solid {colour}; }}" if self.has_error() else ""
        )

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if event.type() == QEvent.Type.PaletteChange:
            self._restyle()
        super().changeEvent(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if (
            watched is self.edit
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Escape
            and self.edit.text()
        ):
            self.clear()
            return True
        return super().eventFilter(watched, event)

    def _text_changed(self, _text: str) -> None:
        self.save_button.setEnabled(bool(self.text()))
        self._timer.start()

    def _emit(self) -> None:
        self.query_changed.emit(self.text())
