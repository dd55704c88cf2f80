"""Showing a concordance hit in the preview: the article selected, the hit scrolled to.

The article is made the table's current row (or, when it is not in the table, loaded into the
preview directly); once the preview shows it, the hit is selected in the plain text, where the
line's offsets point exactly, and in the rendered article, where it is the same occurrence of
the term counted from the top of the article's body.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QTextCursor, QTextDocument
from PySide6.QtWidgets import QAbstractItemView

from corpusdesk.analysis.terms import TermMatcher, parse_term
from corpusdesk.gui.widgets.preview import PreviewPane, header_html

if TYPE_CHECKING:
    from corpusdesk.gui.main_window import MainWindow


def utf16_offset(text: str, offset: int) -> int:
    """A character offset in ``text`` as Qt counts it (in UTF-16 code units)."""
    prefix = text[:offset]
    return offset if prefix.isascii() else len(prefix.encode("utf-16-le")) // 2


def _select(view: QObject, text: str, start: int, end: int) -> None:
    document = view.document()  # type: ignore[attr-defined]
    cursor = QTextCursor(document)
    cursor.setPosition(utf16_offset(text, start))
    cursor.setPosition(utf16_offset(text, end), QTextCursor.MoveMode.KeepAnchor)
    view.setTextCursor(cursor)  # type: ignore[attr-defined]
    view.ensureCursorVisible()  # type: ignore[attr-defined]
    # Then bring the hit to the middle of the view, with context above and below it.
    bar = view.verticalScrollBar()  # type: ignore[attr-defined]
    middle = view.viewport().height() // 2  # type: ignore[attr-defined]
    bar.setValue(bar.value() + view.cursorRect().center().y() - middle)  # type: ignore[attr-defined]


def scroll_to_hit(pane: PreviewPane, start: int, end: int, term: str) -> None:
    """Select the hit at ``start``–``end`` of the shown article's text in both views."""
    detail = pane.detail
    if detail is None:
        return
    _select(pane.text_view, detail.text, start, end)
    matcher = TermMatcher(parse_term(term))
    hits = matcher.spans(detail.text)
    if (start, end) not in hits:
        return
    header = QTextDocument()
    header.setHtml(header_html(detail, {}))
    skipped = len(matcher.spans(header.toPlainText()))
    rendered = pane.browser.document().toPlainText()
    shown = matcher.spans(rendered)
    wanted = skipped + hits.index((start, end))
    if wanted < len(shown):
        _select(pane.browser, rendered, *shown[wanted])
    if pane.tabs.currentWidget() not in (pane.browser, pane.text_view):
        pane.tabs.setCurrentWidget(pane.browser)


class HitRevealer(QObject):
    """Opens articles in the window's preview at a hit."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window
        self._pending: tuple[int, int, int, str] | None = None
        window.previews.loaded.connect(self._loaded)

    def reveal(self, article_id: int, start: int, end: int, term: str) -> None:
        """Show article ``article_id`` in the preview with the hit ``start``–``end`` selected."""
        window = self._window
        pane = window.preview
        if pane.detail is not None and pane.detail.id == article_id:
            self._pending = None
            scroll_to_hit(pane, start, end, term)
            return
        self._pending = (article_id, start, end, term)
        row = window.model.row_of(article_id)
        if row is not None:
            index = window.model.index(row, 0)
            window.table.setCurrentIndex(index)
            window.table.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtCenter)
        else:
            window.previews.load(article_id, window.search.terms, window.model.tag_colors)

    def _loaded(self, article_id: int) -> None:
        pending = self._pending
        if pending is not None and pending[0] == article_id:
            self._pending = None
            scroll_to_hit(self._window.preview, *pending[1:])
