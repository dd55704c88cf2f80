"""The articles table model: the ids of a search result, with rows fetched lazily in pages.

The model never holds the whole library. It keeps the ordered ids of the current result and a
small cache of :class:`ArticleRow` pages read through ``Library.rows``; a page is read the first
time one of its rows is painted (about a millisecond for a hundred rows). A page that fails to
load shows a placeholder instead of breaking the view. Sorting is done by the library in SQL:
``sort`` only records the wanted order and asks for a new search.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from enum import IntEnum

from PySide6.QtCore import (
    QAbstractTableModel,
    QByteArray,
    QMimeData,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from corpusdesk.core.records import ArticleRow
from corpusdesk.library.articles import SortKey

log = logging.getLogger(__name__)

PAGE_SIZE = 100
MAX_PAGES = 60
ARTICLE_IDS_MIME = "application/x-corpusdesk-article-ids"
ID_ROLE = Qt.ItemDataRole.UserRole + 1
ROW_ROLE = Qt.ItemDataRole.UserRole + 2
PLACEHOLDER = "(this article could not be loaded)"

AnyIndex = QModelIndex | QPersistentModelIndex
RowFetcher = Callable[[Sequence[int]], dict[int, ArticleRow]]


class Column(IntEnum):
    """The table's columns, in display order."""

    TITLE = 0
    SITE = 1
    AUTHORS = 2
    DATE = 3
    WORDS = 4
    TAGS = 5
    DUPLICATE = 6


HEADERS = {
    Column.TITLE: "Title",
    Column.SITE: "Site",
    Column.AUTHORS: "Authors",
    Column.DATE: "Date",
    Column.WORDS: "Words",
    Column.TAGS: "Tags",
    Column.DUPLICATE: "Dup.",
}
SORT_KEYS = {
    Column.TITLE: SortKey.TITLE,
    Column.SITE: SortKey.SITE,
    Column.AUTHORS: SortKey.AUTHORS,
    Column.DATE: SortKey.PUBLISHED,
    Column.WORDS: SortKey.WORDS,
    Column.TAGS: SortKey.TAGS,
    Column.DUPLICATE: SortKey.DUPLICATE,
}


def encode_ids(ids: Iterable[int]) -> QByteArray:
    """Article ids as the payload of a drag."""
    return QByteArray(",".join(str(i) for i in ids).encode("ascii"))


def decode_ids(data: QByteArray | bytes) -> list[int]:
    """The article ids carried by a drag (empty for anything malformed)."""
    raw = bytes(data.data() if isinstance(data, QByteArray) else data).decode("ascii", "replace")
    try:
        return [int(part) for part in raw.split(",") if part]
    except ValueError:
        return []


class ArticlesModel(QAbstractTableModel):
    """Rows of articles for a list of ids, read page by page on demand."""

    sort_requested = Signal(object, bool)
    """The user asked for another order: (SortKey, descending)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._fetch: RowFetcher | None = None
        self._ids: list[int] = []
        self._positions: dict[int, int] | None = {}
        self._pages: OrderedDict[int, dict[int, ArticleRow] | None] = OrderedDict()
        self.sort_column = Column.DATE
        self.sort_order = Qt.SortOrder.DescendingOrder
        self.tag_colors: dict[str, str | None] = {}

    # -- content --------------------------------------------------------------------------

    def set_fetcher(self, fetch: RowFetcher | None) -> None:
        """Where rows are read from (``Library.rows``); None empties the model."""
        self._fetch = fetch
        self.set_ids([])

    def set_ids(self, ids: Sequence[int]) -> None:
        """Show these articles in this order."""
        self.beginResetModel()
        self._ids = list(ids)
        self._positions = None  # built when first needed: costly for a million ids
        self._pages.clear()
        self.endResetModel()

    def append_ids(self, ids: Sequence[int]) -> None:
        """Add these articles after the rows shown (the rest of a result whose start is shown)."""
        if not ids:
            return
        first = len(self._ids)
        self.beginInsertRows(QModelIndex(), first, first + len(ids) - 1)
        self._ids.extend(ids)
        self._positions = None
        # The last page was read while it held fewer rows.
        self._pages.pop(first // PAGE_SIZE, None)
        self.endInsertRows()

    def ids(self) -> list[int]:
        """The ids shown, in order."""
        return list(self._ids)

    def id_at(self, row: int) -> int:
        """The id of the article in ``row``."""
        return self._ids[row]

    def row_of(self, article_id: int) -> int | None:
        """The row showing ``article_id``, if it is shown."""
        return self._row_positions().get(article_id)

    def _row_positions(self) -> dict[int, int]:
        if self._positions is None:
            self._positions = {article_id: row for row, article_id in enumerate(self._ids)}
        return self._positions

    def refresh(self, ids: Iterable[int] | None = None) -> None:
        """Forget cached rows (of ``ids``, or all) so they are read again when painted."""
        if ids is None:
            self._pages.clear()
            if self._ids:
                self.dataChanged.emit(
                    self.index(0, 0), self.index(len(self._ids) - 1, len(Column) - 1)
                )
            return
        positions = self._row_positions()
        rows = sorted(r for r in (positions.get(i) for i in ids) if r is not None)
        for page in {row // PAGE_SIZE for row in rows}:
            self._pages.pop(page, None)
        if rows:
            self.dataChanged.emit(self.index(rows[0], 0), self.index(rows[-1], len(Column) - 1))

    def preload(self, rows: dict[int, ArticleRow], pages: Iterable[int]) -> None:
        """Rows read ahead (by a background search) for these pages, so painting them reads
        nothing more on the GUI thread."""
        for page_number in pages:
            ids = self._ids[page_number * PAGE_SIZE : (page_number + 1) * PAGE_SIZE]
            if ids and all(i in rows for i in ids):
                self._pages[page_number] = {i: rows[i] for i in ids}
                self._pages.move_to_end(page_number)
        while len(self._pages) > MAX_PAGES:
            self._pages.popitem(last=False)

    def set_tag_colors(self, colors: dict[str, str | None]) -> None:
        """The colour of each tag, for the tag chips (the table repaints only on a change)."""
        if colors == self.tag_colors:
            return
        self.tag_colors = dict(colors)
        if self._ids:
            column = Column.TAGS
            self.dataChanged.emit(self.index(0, column), self.index(len(self._ids) - 1, column))

    def row_record(self, row: int) -> ArticleRow | None:
        """The record of ``row``, reading its page if needed; None when it cannot be read."""
        page_number = row // PAGE_SIZE
        if page_number in self._pages:
            self._pages.move_to_end(page_number)
        else:
            self._pages[page_number] = self._load_page(page_number)
            while len(self._pages) > MAX_PAGES:
                self._pages.popitem(last=False)
        page = self._pages[page_number]
        return None if page is None else page.get(self._ids[row])

    def _load_page(self, page_number: int) -> dict[int, ArticleRow] | None:
        if self._fetch is None:
            return None
        ids = self._ids[page_number * PAGE_SIZE : (page_number + 1) * PAGE_SIZE]
        try:
            return self._fetch(ids)
        except Exception:
            log.exception("could not read table rows %s…%s", ids[:1], ids[-1:])
            return None

    # -- Qt model interface -------------------------------------------------------------------

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(Column)

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(Column):
            if role == Qt.ItemDataRole.DisplayRole:
                return HEADERS[Column(section)]
            if role == Qt.ItemDataRole.ToolTipRole and section == Column.DUPLICATE:
                return "Near-duplicate group"
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemIsDragEnabled
            | Qt.ItemFlag.ItemNeverHasChildren
        )

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._ids):
            return None
        if role == ID_ROLE:
            return self._ids[index.row()]
        if role not in _ROLES:
            return None
        record = self.row_record(index.row())
        column = Column(index.column())
        if role == ROW_ROLE:
            return record
        if record is None:
            if role == Qt.ItemDataRole.DisplayRole:
                return PLACEHOLDER if column == Column.TITLE else ""
            if role == Qt.ItemDataRole.ForegroundRole:
                return Qt.GlobalColor.gray
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return _display(record, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return _tooltip(record, column)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (Column.WORDS, Column.DATE):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(Column):
            return
        self.sort_column = Column(column)
        self.sort_order = order
        self.sort_requested.emit(self.sort_key(), self.descending())

    def sort_key(self) -> SortKey:
        """The library order matching the chosen column."""
        return SORT_KEYS[self.sort_column]

    def descending(self) -> bool:
        """Whether the chosen order is descending."""
        return self.sort_order == Qt.SortOrder.DescendingOrder

    # -- dragging -----------------------------------------------------------------------------

    def mimeTypes(self) -> list[str]:  # noqa: N802
        return [ARTICLE_IDS_MIME]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:  # noqa: N802
        ids = list(dict.fromkeys(self._ids[i.row()] for i in indexes if i.isValid()))
        mime = QMimeData()
        mime.setData(ARTICLE_IDS_MIME, encode_ids(ids))
        return mime

    def supportedDragActions(self) -> Qt.DropAction:  # noqa: N802
        return Qt.DropAction.CopyAction

    def supportedDropActions(self) -> Qt.DropAction:  # noqa: N802
        return Qt.DropAction.IgnoreAction

    def canDropMimeData(self, *_args: object) -> bool:  # noqa: N802
        return False


_ROLES = frozenset(
    {
        Qt.ItemDataRole.DisplayRole,
        Qt.ItemDataRole.ToolTipRole,
        Qt.ItemDataRole.TextAlignmentRole,
        Qt.ItemDataRole.ForegroundRole,
        ROW_ROLE,
    }
)


def format_date(value: dt.date | None) -> str:
    """A publication date as the table shows it."""
    return value.isoformat() if value else ""


def _display(record: ArticleRow, column: Column) -> str:
    if column == Column.TITLE:
        return record.title or record.source_name
    if column == Column.SITE:
        return record.site_name
    if column == Column.AUTHORS:
        return ", ".join(record.authors)
    if column == Column.DATE:
        return format_date(record.published)
    if column == Column.WORDS:
        return f"{record.word_count:,}"
    if column == Column.TAGS:
        return ", ".join(record.tags)
    return "◆" if record.duplicate_group is not None else ""


def _tooltip(record: ArticleRow, column: Column) -> str | None:
    if column == Column.TITLE:
        return f"{record.title}\n{record.source_name}"
    if column == Column.DUPLICATE and record.duplicate_group is not None:
        return f"Near-duplicate group {record.duplicate_group}"
    if column in (Column.AUTHORS, Column.TAGS):
        return _display(record, column) or None
    return None
