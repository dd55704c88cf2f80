"""The articles table: a view over :class:`ArticlesModel` with tag chips and a welcome overlay.

Rows have a fixed height so a result of 100,000 articles scrolls without measuring rows. The
tags column paints each tag as a small coloured chip. When the library is empty, a notice on
the viewport invites the user to drop pages there; it lets drops and clicks through.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, QObject, QPersistentModelIndex, QPoint, QRect, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QMenu,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from corpusdesk.gui.models.articles_model import ROW_ROLE, ArticlesModel, Column

DEFAULT_CHIP = "#e3e6ea"
DEFAULT_WIDTHS = {
    Column.TITLE: 226,
    Column.SITE: 112,
    Column.AUTHORS: 104,
    Column.DATE: 80,
    Column.WORDS: 52,
    Column.TAGS: 96,
    Column.DUPLICATE: 40,
}


def text_color_on(background: QColor) -> QColor:
    """Black or white, whichever reads better on ``background``."""
    return QColor("#111111") if background.lightnessF() > 0.6 else QColor("#ffffff")


class TagChipDelegate(QStyledItemDelegate):
    """Paints the tags of a row as rounded chips in each tag's colour."""

    def __init__(self, model: ArticlesModel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._model = model

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        record = index.data(ROW_ROLE)
        if record is None or not record.tags:
            super().paint(painter, option, index)
            return
        self.initStyleOption(option, index)
        option.text = ""
        style = option.widget.style() if option.widget else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, option, painter, option.widget)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        metrics = QFontMetrics(option.font)
        rect: QRect = option.rect.adjusted(3, 3, -3, -3)
        x = rect.left()
        for position, name in enumerate(record.tags):
            width = metrics.horizontalAdvance(name) + 12
            room = rect.right() - x
            label = name
            if width > room:
                if position > 0 or room < 36:
                    painter.setPen(option.palette.color(QPalette.ColorRole.Text))
                    painter.drawText(
                        QRect(x, rect.top(), max(room, 0), rect.height()),
                        int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                        "…",
                    )
                    break
                width = room
                label = metrics.elidedText(name, Qt.TextElideMode.ElideRight, width - 12)
            chip = QRect(x, rect.top(), width, rect.height())
            color = QColor(self._model.tag_colors.get(name) or DEFAULT_CHIP)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(color)
            painter.drawRoundedRect(chip, 7, 7)
            painter.setPen(text_color_on(color))
            painter.drawText(chip, int(Qt.AlignmentFlag.AlignCenter), label)
            x += width + 4
        painter.restore()


class EmptyNotice(QLabel):
    """The message shown over an empty table; transparent to the mouse and to drops."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("emptyNotice")
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setWordWrap(True)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setStyleSheet("color: #80868b;")
        parent.installEventFilter(self)
        self.hide()

    def show_text(self, title: str, hint: str) -> None:
        """Show ``title`` large and ``hint`` below it."""
        self.setText(
            f"<div style='font-size:16pt; color:#5f6368;'>{title}</div>"
            f"<div style='font-size:10pt; margin-top:8px;'>{hint}</div>"
        )
        self.setGeometry(self.parentWidget().rect())
        self.show()
        self.raise_()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if watched is self.parentWidget() and event.type() == QEvent.Type.Resize:
            self.setGeometry(self.parentWidget().rect())
        return False


class ArticleTable(QTableView):
    """The table of articles."""

    def __init__(self, model: ArticlesModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("articleTable")
        self.setModel(model)
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
        vertical = self.verticalHeader()
        vertical.setVisible(False)
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vertical.setDefaultSectionSize(QFontMetrics(self.font()).height() + 10)
        header = self.horizontalHeader()
        header.setHighlightSections(False)
        header.setStretchLastSection(False)
        header.setSectionsMovable(True)
        header.setSortIndicator(model.sort_column, model.sort_order)
        self.setSortingEnabled(True)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._header_menu)
        for column, width in DEFAULT_WIDTHS.items():
            self.setColumnWidth(column, width)
        header.setSectionResizeMode(Column.TITLE, QHeaderView.ResizeMode.Interactive)
        self.setItemDelegateForColumn(Column.TAGS, TagChipDelegate(model, self))
        self.notice = EmptyNotice(self.viewport())

    def _header_menu(self, position: QPoint) -> None:
        """Right-click on the header: show or hide columns."""
        header = self.horizontalHeader()
        menu = QMenu(self)
        model = self.articles_model()
        for column in Column:
            action = menu.addAction(str(model.headerData(column, Qt.Orientation.Horizontal)))
            action.setCheckable(True)
            action.setChecked(not header.isSectionHidden(column))
            action.setEnabled(column != Column.TITLE)
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
