"""The articles table: a view over :class:`ArticlesModel` with tag chips and a welcome overlay.

Rows have a fixed height so a result of 100,000 articles scrolls without measuring rows; while
the filter searches for words they are two lines high, for the snippet under each title, and
the Hits column shows. Column widths are set in multiples of the font's size, so the table
fits a 1280-pixel window at any text size or screen scale; the title takes the room left.
A malformed query leaves the last good result in place, greyed out as stale. When the
library is empty, a notice on the viewport invites the user to drop pages there; it lets
drops and clicks through.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPoint, QRect, Qt, Signal
from PySide6.QtGui import QFontMetrics, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QMenu,
    QTableView,
    QWidget,
)

from corpusdesk.gui import theme
from corpusdesk.gui.models.articles_model import ArticlesModel, Column
from corpusdesk.gui.widgets.delegates import TagChipDelegate, TitleDelegate

WIDTHS_IN_CHARACTERS = {
    Column.SITE: 13,
    Column.AUTHORS: 12,
    Column.TAGS: 18,
}
"""Default widths of the text columns, in average characters of the table's font."""
FITTED = {
    Column.DATE: "2024-12-31",
    Column.WORDS: "99,999",
    Column.HITS: "999",
    Column.COPIES: "99",
}
"""Columns as wide as their header or this sample of their content, whichever is wider."""
AUTOMATIC = frozenset({Column.TITLE, Column.HITS})
"""Columns the header menu does not offer to hide: the title, and hits (shown while the
filter has words)."""


class EmptyNotice(QLabel):
    """The message shown over an empty table; transparent to the mouse and to drops."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("emptyNotice")
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setWordWrap(True)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self._title = ""
        self._hint = ""
        parent.installEventFilter(self)
        self.hide()

    def show_text(self, title: str, hint: str) -> None:
        """Show ``title`` large and ``hint`` below it."""
        self._title, self._hint = title, hint
        self._render()
        self.setGeometry(self._area())
        self.show()
        self.raise_()

    def _render(self) -> None:
        palette = self.palette()
        muted = theme.muted(palette).name()
        self.setText(
            f"<div style='font-size:16pt; color:{palette.color(QPalette.ColorRole.Text).name()};'>"
            f"{self._title}</div>"
            f"<div style='font-size:10pt; margin-top:8px; color:{muted};'>{self._hint}</div>"
        )

    def _area(self) -> QRect:
        parent = self.parentWidget()
        return parent.rect() if parent is not None else self.rect()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if event.type() == QEvent.Type.PaletteChange and self._title:
            self._render()
        super().changeEvent(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if watched is self.parentWidget() and event.type() == QEvent.Type.Resize:
            self.setGeometry(self._area())
        return False


class ArticleTable(QTableView):
    """The table of articles."""

    context_menu_requested = Signal(QPoint)
    """Right-click (or the menu key) on the table, at this global position."""

    def __init__(self, model: ArticlesModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("articleTable")
        self.setAccessibleName("Articles")
        self.setAccessibleDescription(
            "The articles shown; the filter above and the tags on the left choose them"
        )
        self.setModel(model)
        self.stale = False
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.setShowGrid(False)
        self.setWordWrap(False)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setDragEnabled(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.setDefaultDropAction(Qt.DropAction.CopyAction)
        self.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(
            lambda position: self.context_menu_requested.emit(self.viewport().mapToGlobal(position))
        )
        vertical = self.verticalHeader()
        vertical.setVisible(False)
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header = self.horizontalHeader()
        header.setHighlightSections(False)
        header.setStretchLastSection(False)
        header.setSectionsMovable(True)
        header.setSortIndicator(model.sort_column, model.sort_order)
        self.setSortingEnabled(True)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._header_menu)
        self.set_default_widths()
        header.moveSection(header.visualIndex(Column.HITS), 1)
        header.setSectionHidden(Column.HITS, True)
        self.setItemDelegateForColumn(Column.TAGS, TagChipDelegate(model, self.is_stale, self))
        self.setItemDelegateForColumn(Column.TITLE, TitleDelegate(model, self.is_stale, self))
        self.notice = EmptyNotice(self.viewport())
        self.results_mode = False
        self._fit_rows()

    def set_default_widths(self) -> None:
        """Column widths in proportion to the font; the title takes the rest."""
        header = self.horizontalHeader()
        metrics = QFontMetrics(self.font())
        header_metrics = QFontMetrics(header.font())
        model = self.articles_model()
        for column, characters in WIDTHS_IN_CHARACTERS.items():
            self.setColumnWidth(column, metrics.averageCharWidth() * characters)
        for column, sample in FITTED.items():
            label = str(model.headerData(column, Qt.Orientation.Horizontal))
            # Room for the sort arrow and the cell margins.
            room = header_metrics.height() + 6
            width = max(header_metrics.horizontalAdvance(label), metrics.horizontalAdvance(sample))
            self.setColumnWidth(column, width + room)
        header.setMinimumSectionSize(metrics.averageCharWidth() * 4)
        header.setSectionResizeMode(Column.TITLE, QHeaderView.ResizeMode.Stretch)

    def _fit_rows(self) -> None:
        """One line per row, or two while snippets are shown."""
        line = QFontMetrics(self.font()).height()
        lines = 2 if self.results_mode else 1
        self.verticalHeader().setDefaultSectionSize(line * lines + 10)

    def set_results_mode(self, on: bool) -> None:
        """Show (or hide) the snippets under the titles and the Hits column."""
        if on == self.results_mode:
            return
        self.results_mode = on
        self.horizontalHeader().setSectionHidden(Column.HITS, not on)
        self._fit_rows()

    def is_stale(self) -> bool:
        """Whether the rows are those of an earlier query (the current one is malformed)."""
        return self.stale

    def set_stale(self, stale: bool) -> None:
        """Grey the rows out as stale (or show them normally again)."""
        if stale == self.stale:
            return
        self.stale = stale
        palette = QPalette(self.palette())
        if stale:
            for role in (QPalette.ColorRole.Text, QPalette.ColorRole.HighlightedText):
                palette.setColor(
                    QPalette.ColorGroup.Active,
                    role,
                    palette.color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text),
                )
                palette.setColor(
                    QPalette.ColorGroup.Inactive,
                    role,
                    palette.color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text),
                )
            self.setPalette(palette)
        else:
            self.setPalette(QPalette())
        self.setToolTip(
            "These are the results of the last valid query: fix the filter to search again"
            if stale
            else ""
        )
        self.viewport().update()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if event.type() == QEvent.Type.FontChange:
            self.set_default_widths()
            self._fit_rows()
        super().changeEvent(event)

    def _header_menu(self, position: QPoint) -> None:
        """Right-click on the header: show or hide columns."""
        header = self.horizontalHeader()
        menu = QMenu(self)
        model = self.articles_model()
        for column in Column:
            if column == Column.HITS:
                continue
            action = menu.addAction(str(model.headerData(column, Qt.Orientation.Horizontal)))
            action.setCheckable(True)
            action.setChecked(not header.isSectionHidden(column))
            action.setEnabled(column not in AUTOMATIC)
            action.toggled.connect(lambda on, c=column: header.setSectionHidden(c, not on))
        menu.exec(header.mapToGlobal(position))

    def articles_model(self) -> ArticlesModel:
        """The model, typed."""
        model = self.model()
        assert isinstance(model, ArticlesModel)
        return model

    def selected_ids(self) -> list[int]:
        """The ids of the selected rows, top to bottom."""
        model = self.articles_model()
        rows = sorted(index.row() for index in self.selectionModel().selectedRows())
        return [model.id_at(row) for row in rows]

    def current_id(self) -> int | None:
        """The id of the current row, if any."""
        index = self.currentIndex()
        if not index.isValid():
            return None
        return self.articles_model().id_at(index.row())

    def visible_ids(self) -> set[int]:
        """The articles whose rows are on screen now."""
        model = self.articles_model()
        top = self.rowAt(0)
        if top < 0:
            return set()
        bottom = self.rowAt(self.viewport().height() - 1)
        bottom = bottom if bottom >= 0 else model.rowCount() - 1
        return {model.id_at(row) for row in range(top, bottom + 1)}
