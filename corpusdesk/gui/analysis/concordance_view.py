"""The concordance view: a term, its lines in context, sorting, and a click to read the article.

The articles that hold the term come from the full-text index (``Library.term_candidates``,
among the analysed articles, in the table's order); their lines are then read a batch of
articles at a time on the window's reading thread, the first batch small so that the first
screen comes at once, and added below as they come. Lines are fetched with the widest context
the width box allows and cut to its width when shown, so changing the width reads nothing.
Sorting (by up to three keys) applies once every line is in. At most ``MAX_LINES`` are kept.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from corpusdesk.analysis.concordance import (
    DEFAULT_WIDTH,
    SORT_KEYS,
    ConcordanceLine,
    sort_lines,
    trim_left,
    trim_right,
    write_csv,
)
from corpusdesk.analysis.terms import parse_term
from corpusdesk.core.errors import UserError
from corpusdesk.exporting.target import replaced_text_file
from corpusdesk.gui.analysis.common import (
    AnalysisSource,
    Column,
    RowsModel,
    ask_save_path,
    compact_rows,
)
from corpusdesk.gui.tasks import Pool, TaskRunner
from corpusdesk.library.library import Library

FETCH_WIDTH = 120
"""Columns of context read on each side: the most the width box offers."""
FIRST_BATCH = 20
"""Articles whose lines make the first screen."""
BATCH = 200
MAX_LINES = 50_000
SORT_LABELS = {
    "": "—",
    **{key: key for key in SORT_KEYS if key[0] in "LR"},
    "site": "site",
    "date": "date",
    "hit": "hit",
}

Index = QModelIndex | QPersistentModelIndex


class ConcordanceModel(RowsModel):
    """Concordance lines: left context, hit, right context, site and date."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(
            [
                Column("Left", lambda line: trim_left(line.left, self.width)),
                Column("Hit", lambda line: line.hit),
                Column("Right", lambda line: trim_right(line.right, self.width)),
                Column("Site", lambda line: line.site),
                Column("Date", lambda line: line.published.isoformat() if line.published else ""),
            ],
            parent,
        )
        self.width = DEFAULT_WIDTH
        self._bold = QFont()
        self._bold.setBold(True)

    def append(self, lines: Sequence[ConcordanceLine]) -> None:
        """Add lines below the present ones."""
        if not lines:
            return
        first = len(self.rows)
        self.beginInsertRows(QModelIndex(), first, first + len(lines) - 1)
        self.rows.extend(lines)
        self.endInsertRows()

    def set_width(self, width: int) -> None:
        """Cut the contexts to ``width`` columns."""
        self.width = width
        if self.rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.rows) - 1, 2))

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() in (0, 1):
            horizontal = (
                Qt.AlignmentFlag.AlignRight
                if index.column() == 0
                else Qt.AlignmentFlag.AlignHCenter
            )
            return int(horizontal | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole and index.column() == 1:
            return self._bold
        if role == Qt.ItemDataRole.ToolTipRole and index.isValid():
            line = self.rows[index.row()]
            return f"{line.title}\n{line.site} {line.published or ''}".strip()
        return super().data(index, role)


class ConcordanceView(QWidget):
    """Term box, width and sort controls, and the lines."""

    line_activated = Signal(int, int, int, str)
    """A line was clicked: article id, hit start and end in its text, the term."""
    first_screen = Signal()
    """The first batch of lines of a search is shown."""
    completed = Signal()
    """Every line of a search is in."""

    def __init__(
        self,
        source: Callable[[], AnalysisSource | None],
        library: Callable[[], Library | None],
        runner: TaskRunner,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._source = source
        self._library = library
        self._runner = runner
        self.term = QLineEdit(self)
        self.term.setPlaceholderText('word, "a phrase" or prefix*')
        self.width_box = QSpinBox(self)
        self.width_box.setRange(10, FETCH_WIDTH)
        self.width_box.setValue(DEFAULT_WIDTH)
        self.width_box.setSuffix(" columns")
        self.width_box.setToolTip("Context on each side of the hit")
        self.sort_boxes = [QComboBox(self) for _ in range(3)]
        for box in self.sort_boxes:
            for key, label in SORT_LABELS.items():
                box.addItem(label, key)
        self.search_button = QPushButton("Search", self)
        self.stop_button = QPushButton("Stop", self)
        self.stop_button.setEnabled(False)
        self.save_button = QPushButton("Save CSV…", self)
        self.save_button.setEnabled(False)
        self.status = QLabel(self)
        self.model = ConcordanceModel(self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setObjectName("concordanceTable")
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(False)
        self.table.setShowGrid(False)
        compact_rows(self.table)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        controls = QHBoxLayout()
        controls.addWidget(QLabel("Term", self))
        controls.addWidget(self.term, 1)
        controls.addWidget(self.width_box)
        controls.addWidget(QLabel("Sort by", self))
        for box in self.sort_boxes:
            controls.addWidget(box)
        for button in (self.search_button, self.stop_button, self.save_button):
            controls.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(controls)
        layout.addWidget(self.status)
        layout.addWidget(self.table, 1)
        self.term.returnPressed.connect(self.search)
        self.search_button.clicked.connect(self.search)
        self.stop_button.clicked.connect(self.stop)
        self.save_button.clicked.connect(self._ask_save)
        self.width_box.valueChanged.connect(self.model.set_width)
        for box in self.sort_boxes:
            box.currentIndexChanged.connect(lambda _index: self._sort())
        self.table.clicked.connect(self._clicked)
        self._generation = 0
        self._lines: list[ConcordanceLine] = []
        self._candidates: list[int] = []
        self._done_articles = 0
        self._searched_term = ""
        self.complete = False

    def sort_keys(self) -> list[str]:
        """The chosen sort keys, in order."""
        return [key for key in (box.currentData() for box in self.sort_boxes) if key]

    def search(self) -> None:
        """Find the term's lines in the analysed articles."""
        source, library = self._source(), self._library()
        text = self.term.text().strip()
        if source is None or library is None or not text:
            return
        try:
            parse_term(text)
        except UserError as error:
            self.status.setText(str(error))
            return
        self._generation += 1
        generation = self._generation
        self._searched_term = text
        self._lines = []
        self._done_articles = 0
        self.complete = False
        self.model.set_rows([])
        self.save_button.setEnabled(False)
        self.stop_button.setEnabled(True)
        self.status.setText(f"Looking for {text} in {len(source.ids):,} articles…")
        ids = list(source.ids)

        def found(candidates: object) -> None:
            if generation == self._generation:
                assert isinstance(candidates, list)
                self._candidates = candidates
                self._next_batch(library, generation)

        self._runner.submit(
            lambda: library.term_candidates("", text, ids=ids),
            found,
            self._failed(generation),
            Pool.READ,
        )

    def _failed(self, generation: int) -> Callable[[BaseException, str], None]:
        def failed(error: BaseException, details: str) -> None:
            if generation != self._generation:
                return
            self.stop_button.setEnabled(False)
            if isinstance(error, UserError):
                self.status.setText(str(error))
            else:
                self._runner.report_failure(error, details)

        return failed

    def _next_batch(self, library: Library, generation: int) -> None:
        start = self._done_articles
        if start >= len(self._candidates) or len(self._lines) >= MAX_LINES:
            self._finish()
            return
        batch = self._candidates[start : start + (FIRST_BATCH if start == 0 else BATCH)]
        term = self._searched_term

        def arrived(lines: object) -> None:
            if generation != self._generation:
                return
            assert isinstance(lines, list)
            kept = lines[: MAX_LINES - len(self._lines)]
            self._lines.extend(kept)
            self._done_articles += len(batch)
            self.model.append(kept)
            self.status.setText(
                f"{len(self._lines):,} lines in {self._done_articles:,} of "
                f"{len(self._candidates):,} articles…"
            )
            if start == 0:
                self.first_screen.emit()
            self._next_batch(library, generation)

        self._runner.submit(
            lambda: library.concordance(batch, term, FETCH_WIDTH),
            arrived,
            self._failed(generation),
            Pool.READ,
        )

    def _finish(self) -> None:
        self.complete = True
        self.stop_button.setEnabled(False)
        self.save_button.setEnabled(bool(self._lines))
        self._sort()
        capped = f" (the first {MAX_LINES:,})" if len(self._lines) >= MAX_LINES else ""
        self.status.setText(
            f"{len(self._lines):,} lines{capped} in {self._done_articles:,} articles "
            f"holding {self._searched_term}"
        )
        self.completed.emit()

    def stop(self) -> None:
        """Stop reading lines; those in stay."""
        if self.complete or not self._searched_term:
            return
        self._generation += 1
        self._finish()

    def clear(self) -> None:
        """Forget the lines (another library was opened)."""
        self._generation += 1
        self._lines = []
        self._searched_term = ""
        self.complete = False
        self.model.set_rows([])
        self.status.clear()
        self.stop_button.setEnabled(False)
        self.save_button.setEnabled(False)

    def _sort(self) -> None:
        if self.complete:
            self.model.set_rows(sort_lines(self._lines, self.sort_keys()))

    def _clicked(self, index: QModelIndex) -> None:
        line = self.model.rows[index.row()]
        self.line_activated.emit(line.article_id, line.start, line.end, self._searched_term)

    def _ask_save(self) -> None:
        path = ask_save_path(self, "Save the concordance", "concordance.csv", "CSV files (*.csv)")
        if path is not None:
            self.save_csv(path)

    def save_csv(self, path: Path) -> None:
        """Write the lines, as shown (order and width), to ``path`` as CSV."""
        width = self.model.width
        shown = [
            replace(line, left=trim_left(line.left, width), right=trim_right(line.right, width))
            for line in self.model.rows
        ]
        with replaced_text_file(path) as stream:
            write_csv(shown, stream)
