"""What the window remembers between runs: its size and place, the panes' sizes, the table's
columns and order, and how several tags combine.
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtWidgets import QMainWindow, QSplitter

from corpusdesk.gui.models.articles_model import Column
from corpusdesk.gui.widgets.article_table import ArticleTable
from corpusdesk.gui.widgets.tag_pane import TagPane

DEFAULT_SIZE = (1280, 800)
DEFAULT_SPLIT = [180, 760, 340]
HEADER_STATE = "table/header-v2"
"""Where the columns' widths and order are kept (v2: with the Copies and Hits columns)."""


def restore(
    store: QSettings,
    window: QMainWindow,
    splitter: QSplitter,
    table: ArticleTable,
    tag_pane: TagPane,
) -> None:
    """Put back what :func:`save` kept (defaults for what it did not)."""
    geometry = store.value("window/geometry")
    if isinstance(geometry, QByteArray) and not geometry.isEmpty():
        window.restoreGeometry(geometry)
    else:
        window.resize(*DEFAULT_SIZE)
    split = store.value("window/splitter")
    if not (isinstance(split, QByteArray) and splitter.restoreState(split)):
        splitter.setSizes(DEFAULT_SPLIT)
    header_state = store.value(HEADER_STATE)
    header = table.horizontalHeader()
    model = table.articles_model()
    if isinstance(header_state, QByteArray) and header.restoreState(header_state):
        column = header.sortIndicatorSection()
        if 0 <= column < len(Column):
            model.sort_column = Column(column)
            model.sort_order = header.sortIndicatorOrder()
    tag_pane.set_use_or(str(store.value("tags/combine", "and")) == "or")


def save(
    store: QSettings,
    window: QMainWindow,
    splitter: QSplitter,
    table: ArticleTable,
    tag_pane: TagPane,
) -> None:
    """Remember geometry, splitter, columns, sort and the AND/OR choice."""
    store.setValue("window/geometry", window.saveGeometry())
    store.setValue("window/splitter", splitter.saveState())
    store.setValue(HEADER_STATE, table.horizontalHeader().saveState())
    store.setValue("tags/combine", "or" if tag_pane.use_or() else "and")
    store.sync()
