"""How the articles table paints its special cells: tag chips, and titles with hit snippets.

Tags are drawn as rounded chips in each tag's colour; those that do not fit are summed up in a
``+N`` chip (the cell's tooltip lists them all). While the filter searches for words, the title
cell has a second line: a snippet of the article's hits, the hits marked.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, QRect, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from corpusdesk.core.records import ArticleRow
from corpusdesk.core.snippets import Snippet
from corpusdesk.gui import theme
from corpusdesk.gui.models.articles_model import ROW_ROLE, SNIPPET_ROLE, ArticlesModel

AnyIndex = QModelIndex | QPersistentModelIndex
CHIP_PADDING = 12
"""Pixels a chip is wider than its label."""
CHIP_GAP = 4
MIN_ELIDED_CHIP = 36
"""The narrowest chip worth showing with its name cut short."""
LEAD_SHARE = 0.3
"""At most this share of a snippet's line goes to the text before its first hit."""


@dataclass(frozen=True, slots=True)
class ChipLayout:
    """Which chips a cell shows: the first ``shown`` tags, the last maybe cut short, then a
    ``+hidden`` chip for the others."""

    shown: int
    hidden: int
    last_width: int | None = None
    """The width of the last shown chip when it had to be narrowed; None when it fits."""


def chip_layout(widths: Sequence[int], room: int, more_width: Callable[[int], int]) -> ChipLayout:
    """Fit chips of ``widths`` into ``room`` pixels, keeping room for a ``+N`` chip if needed."""
    total = sum(widths) + CHIP_GAP * max(0, len(widths) - 1)
    if total <= room:
        return ChipLayout(len(widths), 0)
    used = 0
    for shown in range(len(widths), 0, -1):
        used = sum(widths[:shown]) + CHIP_GAP * shown
        if used + more_width(len(widths) - shown) <= room:
            return ChipLayout(shown, len(widths) - shown)
    # Not even the first chip fits beside the count: show it cut short, if that is worth it.
    narrowed = room - more_width(len(widths) - 1) - CHIP_GAP
    if narrowed >= MIN_ELIDED_CHIP:
        return ChipLayout(1, len(widths) - 1, narrowed)
    return ChipLayout(0, len(widths))


def _draw_background(painter: QPainter, option: QStyleOptionViewItem) -> None:
    option.text = ""
    style = option.widget.style() if option.widget is not None else None
    if style is not None:
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, option, painter, option.widget)


def _text_color(option: QStyleOptionViewItem) -> QColor:
    selected = bool(option.state & QStyle.StateFlag.State_Selected)
    role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
    group = (
        QPalette.ColorGroup.Normal
        if option.state & QStyle.StateFlag.State_Enabled
        else QPalette.ColorGroup.Disabled
    )
    return option.palette.color(group, role)


class TagChipDelegate(QStyledItemDelegate):
    """Paints the tags of a row as rounded chips in each tag's colour, then ``+N``."""

    def __init__(
        self, model: ArticlesModel, stale: Callable[[], bool], parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._model = model
        self._stale = stale

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: AnyIndex) -> None:
        record = index.data(ROW_ROLE)
        if not isinstance(record, ArticleRow) or not record.tags:
            super().paint(painter, option, index)
            return
        self.initStyleOption(option, index)
        _draw_background(painter, option)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if self._stale():
            painter.setOpacity(0.4)
        metrics = QFontMetrics(option.font)
        cell: QRect = option.rect.adjusted(3, 3, -3, -3)
        height = min(cell.height(), metrics.height() + 4)
        widths = [metrics.horizontalAdvance(name) + CHIP_PADDING for name in record.tags]

        def more_width(hidden: int) -> int:
            return metrics.horizontalAdvance(f"+{hidden}") + CHIP_PADDING if hidden else 0

        layout = chip_layout(widths, cell.width(), more_width)
        x = cell.left()
        for position in range(layout.shown):
            name = record.tags[position]
            width = widths[position]
            label = name
            if position == layout.shown - 1 and layout.last_width is not None:
                width = layout.last_width
                label = metrics.elidedText(name, Qt.TextElideMode.ElideRight, width - CHIP_PADDING)
            color = QColor(
                self._model.tag_colors.get(name) or theme.chip_background(option.palette)
            )
            self._chip(painter, QRect(x, cell.top(), width, height), color, label)
            x += width + CHIP_GAP
        if layout.hidden:
            color = theme.chip_background(option.palette)
            chip = QRect(x, cell.top(), more_width(layout.hidden), height)
            self._chip(painter, chip, color, f"+{layout.hidden}")
        painter.restore()

    @staticmethod
    def _chip(painter: QPainter, rect: QRect, color: QColor, label: str) -> None:
        radius = rect.height() / 2
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(color)
        painter.drawRoundedRect(rect, radius, radius)
        painter.setPen(theme.text_on(color))
        painter.drawText(rect, int(Qt.AlignmentFlag.AlignCenter), label)


class TitleDelegate(QStyledItemDelegate):
    """The title; below it, while the filter has words, the snippet of the article's hits."""

    def __init__(
        self, model: ArticlesModel, stale: Callable[[], bool], parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._model = model
        self._stale = stale

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: AnyIndex) -> None:
        if self._model.snippet_query is None:
            super().paint(painter, option, index)
            return
        self.initStyleOption(option, index)
        title = option.text
        _draw_background(painter, option)
        painter.save()
        metrics = QFontMetrics(option.font)
        cell: QRect = option.rect.adjusted(4, 2, -4, -2)
        line = metrics.height()
        color = _text_color(option)
        painter.setFont(option.font)
        painter.setPen(color)
        painter.drawText(
            QRect(cell.left(), cell.top(), cell.width(), line),
            int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
            metrics.elidedText(title, Qt.TextElideMode.ElideRight, cell.width()),
        )
        snippet = index.data(SNIPPET_ROLE)
        if self._stale():
            painter.setOpacity(0.5)
        if isinstance(snippet, Snippet) and cell.height() >= 2 * line:
            top = cell.top() + line + 1
            self._snippet(painter, option, snippet, QRect(cell.left(), top, cell.width(), line))
        painter.restore()

    @staticmethod
    def _snippet(
        painter: QPainter, option: QStyleOptionViewItem, snippet: Snippet, rect: QRect
    ) -> None:
        """One line of the snippet, hits in bold on the hit colour, cut off with ``…``."""
        plain = QFont(option.font)
        bold = QFont(option.font)
        bold.setBold(True)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        text_color = _text_color(option) if selected else theme.muted(option.palette)
        pieces: list[tuple[str, bool]] = []
        cursor = 0
        for start, end in snippet.marks:
            pieces.append((snippet.text[cursor:start], False))
            pieces.append((snippet.text[start:end], True))
            cursor = end
        pieces.append((snippet.text[cursor:], False))
        # In a narrow column the first hit must still show: cut what comes before it short.
        lead_room = int(rect.width() * LEAD_SHARE)
        lead = pieces[0][0]
        if snippet.marks and QFontMetrics(plain).horizontalAdvance(lead) > lead_room:
            lead = QFontMetrics(plain).elidedText(lead, Qt.TextElideMode.ElideLeft, lead_room)
            space = lead.find(" ")
            if space > 0:
                lead = "…" + lead[space:]  # start at a word, not inside one
            pieces[0] = (lead, False)
        x = rect.left()
        alignment = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        for text, marked in pieces:
            if not text:
                continue
            font = bold if marked else plain
            metrics = QFontMetrics(font)
            room = rect.right() - x
            width = metrics.horizontalAdvance(text)
            if width > room:
                text = metrics.elidedText(text, Qt.TextElideMode.ElideRight, room)
                width = metrics.horizontalAdvance(text)
            piece = QRect(x, rect.top(), width, rect.height())
            if marked:
                painter.fillRect(piece, theme.hit_background(option.palette))
                painter.setPen(theme.text_on(theme.hit_background(option.palette)))
            else:
                painter.setPen(text_color)
            painter.setFont(font)
            painter.drawText(piece, alignment, text)
            x += width
            if x >= rect.right():
                break
