"""Compare Copies: an article's copies listed, and two of them side by side.

Copies are articles the import found to be the same or nearly the same text (a republication
on another site, a page saved twice with different templates); each is kept and grouped. The
dialog lists the group (site, date, words, title) and shows two copies in one two-column
view, paragraph beside paragraph, with the words only one side has marked. Reading the
copies and comparing them run in the background.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSplitter,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from corpusdesk.core.records import ArticleDetail, ArticleRow
from corpusdesk.core.textdiff import Comparison, Piece, compare
from corpusdesk.core.wording import plural
from corpusdesk.gui import theme
from corpusdesk.gui.tasks import Pool, TaskRunner
from corpusdesk.library.library import Library

AnyIndex = QModelIndex | QPersistentModelIndex
COLUMNS = ("Site", "Date", "Words", "Title", "Copy")
LABEL_COLUMN = 4
"""A column the list hides: each copy's one-line label, for the two choosers."""


def copy_label(row: ArticleRow) -> str:
    """``Site · 2024-01-02 · 1,234 words``: a copy as the choosers name it."""
    date = row.published.isoformat() if row.published else "no date"
    return f"{row.site_name or row.source_name} · {date} · {plural(row.word_count, 'word')}"


class CopiesModel(QAbstractTableModel):
    """The copies of one article: plain rows, one per copy."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[ArticleRow] = []

    def set_rows(self, rows: Sequence[ArticleRow]) -> None:
        """Show these copies."""
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rows(self) -> list[ArticleRow]:
        """The copies listed."""
        return list(self._rows)

    def row_of(self, article_id: int) -> int | None:
        """Where ``article_id`` is listed."""
        for position, row in enumerate(self._rows):
            if row.id == article_id:
                return position
        return None

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(COLUMNS)
        ):
            return COLUMNS[section]
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | (Qt.ItemFlag.ItemNeverHasChildren)
        )

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.UserRole:
            return row.id
        if role == Qt.ItemDataRole.TextAlignmentRole and column == 2:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        values = (
            row.site_name,
            row.published.isoformat() if row.published else "",
            f"{row.word_count:,}",
            row.title,
            copy_label(row),
        )
        return values[column] if 0 <= column < len(values) else None


def _pieces_html(pieces: tuple[Piece, ...] | None, changed_color: str) -> str:
    if pieces is None:
        return ""
    parts = []
    for piece in pieces:
        text = html.escape(piece.text)
        if piece.changed:
            parts.append(f"<span style='background-color:{changed_color};'>{text}</span>")
        else:
            parts.append(text)
    return "".join(parts)


def comparison_html(
    left: ArticleDetail,
    right: ArticleDetail,
    comparison: Comparison,
    palette: QPalette,
    *,
    differences_only: bool = False,
) -> str:
    """The two copies as a two-column table, paragraph beside paragraph, differences marked;
    with ``differences_only``, the paragraphs that differ alone."""
    removed = theme.removed_background(palette).name()
    added = theme.added_background(palette).name()
    muted = theme.muted(palette).name()
    rows = [
        "<table width='100%' cellspacing='0' cellpadding='6'>",
        "<tr>"
        + "".join(
            f"<th width='50%' align='left'>{html.escape(d.title)}<br>"
            f"<span style='color:{muted}; font-weight:normal;'>"
            f"{html.escape(d.site_name or d.source_name)} · "
            f"{d.published.isoformat() if d.published else 'no date'} · "
            f"{plural(d.word_count, 'word')}</span></th>"
            for d in (left, right)
        )
        + "</tr>",
    ]
    for row in comparison.rows:
        if differences_only and row.same:
            continue
        rows.append(
            "<tr>"
            f"<td valign='top'>{_pieces_html(row.left, removed)}</td>"
            f"<td valign='top'>{_pieces_html(row.right, added)}</td>"
            "</tr>"
        )
    rows.append("</table>")
    return "".join(rows)


def comparison_summary(comparison: Comparison) -> str:
    """One line above the comparison: how much the copies share."""
    share = round(comparison.shared * 100)
    differing = comparison.differences
    if differing == 0:
        return "The two copies have the same text."
    return (
        f"{share}% of the wording is shared; {plural(differing, 'paragraph')} "
        f"differ{'s' if differing == 1 else ''}. Marked: words only the left copy has (red), "
        "words only the right copy has (green)."
    )


class CopiesDialog(QDialog):
    """The copies of the current article, and two of them side by side."""

    open_article = Signal(int)
    """The user wants to see this copy in the main window."""
    compared = Signal()
    """The two chosen copies are shown side by side (again, after a change of view)."""

    def __init__(self, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("copiesDialog")
        self.setWindowTitle("Compare Copies")
        self.runner = runner
        self.library: Library | None = None
        self.article_id: int | None = None
        self.comparison: Comparison | None = None
        self._generation = 0
        self.model = CopiesModel(self)
        self.heading = QLabel(self)
        self.heading.setWordWrap(True)
        self.list = QTableView(self)
        self.list.setObjectName("copiesList")
        self.list.setAccessibleName("Copies of the article")
        self.list.setModel(self.model)
        self.list.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.list.verticalHeader().setVisible(False)
        self.list.setColumnHidden(LABEL_COLUMN, True)
        self.list.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.list.setToolTip("Double-click a copy to show it in the main window")
        self.left = self._chooser("Left copy")
        self.right = self._chooser("Right copy")
        self.summary = QLabel(self)
        self.summary.setObjectName("comparisonSummary")
        self.summary.setWordWrap(True)
        self.differences_only = QCheckBox("Only the paragraphs that &differ", self)
        self.differences_only.setObjectName("differencesOnly")
        self.view = QTextBrowser(self)
        self.view.setObjectName("comparisonView")
        self.view.setAccessibleName("The two copies side by side")
        self.view.setOpenLinks(False)
        choosers = QGridLayout()
        choosers.addWidget(QLabel("&Left:", self), 0, 0)
        choosers.addWidget(self.left, 0, 1)
        choosers.addWidget(QLabel("&Right:", self), 0, 2)
        choosers.addWidget(self.right, 0, 3)
        for label, buddy in ((0, self.left), (2, self.right)):
            item = choosers.itemAtPosition(0, label)
            widget = item.widget() if item is not None else None
            if isinstance(widget, QLabel):
                widget.setBuddy(buddy)
        choosers.setColumnStretch(1, 1)
        choosers.setColumnStretch(3, 1)
        lower = QWidget(self)
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addLayout(choosers)
        summary = QHBoxLayout()
        summary.addWidget(self.summary, 1)
        summary.addWidget(self.differences_only)
        lower_layout.addLayout(summary)
        lower_layout.addWidget(self.view, 1)
        split = QSplitter(Qt.Orientation.Vertical, self)
        split.addWidget(self.list)
        split.addWidget(lower)
        split.setStretchFactor(1, 1)
        line = self.fontMetrics().height()
        split.setSizes([line * 7, line * 30])
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(split, 1)
        layout.addWidget(buttons)
        self.list.doubleClicked.connect(
            lambda index: self.open_article.emit(int(index.data(Qt.ItemDataRole.UserRole)))
        )
        self.left.currentIndexChanged.connect(lambda _i: self._compare())
        self.right.currentIndexChanged.connect(lambda _i: self._compare())
        self.differences_only.toggled.connect(lambda _on: self._render())
        self._shown: tuple[ArticleDetail, ArticleDetail, Comparison] | None = None
        size = self.fontMetrics().averageCharWidth()
        self.resize(size * 150, size * 100)

    def _chooser(self, name: str) -> QComboBox:
        chooser = QComboBox(self)
        chooser.setAccessibleName(name)
        chooser.setModel(self.model)
        chooser.setModelColumn(LABEL_COLUMN)
        return chooser

    def follow(self, article_id: int | None) -> None:
        """Show the copies of ``article_id`` (the window's current article)."""
        library = self.library
        if article_id is None or library is None or article_id == self.article_id:
            return
        self.article_id = article_id
        self._generation += 1
        generation = self._generation

        def listed(rows: object) -> None:
            if generation == self._generation and isinstance(rows, list):
                self._show_copies(article_id, rows)

        self.runner.submit(lambda: library.copies(article_id), listed, pool=Pool.READ)

    def _show_copies(self, article_id: int, rows: list[ArticleRow]) -> None:
        for chooser in (self.left, self.right):
            chooser.blockSignals(True)
        self.model.set_rows(rows)
        own = self.model.row_of(article_id) or 0
        other = next((i for i in range(len(rows)) if i != own), own)
        self.left.setCurrentIndex(own)
        self.right.setCurrentIndex(other)
        for chooser in (self.left, self.right):
            chooser.blockSignals(False)
        title = rows[own].title if rows else ""
        if len(rows) > 1:
            self.heading.setText(
                f"<b>{html.escape(title)}</b> exists in {plural(len(rows), 'copy', 'copies')} "
                "in this library: the same or nearly the same text, republished or saved "
                "again. Choose two to compare."
            )
        else:
            self.heading.setText(
                f"<b>{html.escape(title)}</b> has no copies in this library (its copies, if "
                "any, are in the trash)."
            )
        self.list.selectRow(own)
        self._compare()

    def _compare(self) -> None:
        """Read the two chosen copies and show where they differ."""
        library = self.library
        rows = self.model.rows()
        left, right = self.left.currentIndex(), self.right.currentIndex()
        if library is None or not (0 <= left < len(rows) and 0 <= right < len(rows)):
            self.view.clear()
            self.summary.clear()
            return
        left_id, right_id = rows[left].id, rows[right].id
        self._generation += 1
        generation = self._generation

        def work() -> tuple[ArticleDetail, ArticleDetail, Comparison]:
            a, b = library.detail(left_id), library.detail(right_id)
            return a, b, compare(a.text, b.text)

        def shown(result: object) -> None:
            if generation != self._generation or not isinstance(result, tuple):
                return
            self._shown = result
            self.comparison = result[2]
            self.summary.setText(comparison_summary(result[2]))
            self._render()

        self.summary.setText("Comparing…")
        self.runner.submit(work, shown, pool=Pool.READ)

    def _render(self) -> None:
        if self._shown is None:
            return
        a, b, comparison = self._shown
        only = self.differences_only.isChecked()
        self.view.setHtml(comparison_html(a, b, comparison, self.palette(), differences_only=only))
        self.compared.emit()
