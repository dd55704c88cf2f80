"""The articles table model: the ids of a search result, with rows fetched lazily in pages.

The model never holds the whole library. It keeps the ordered ids of the current result and a
small cache of :class:`ArticleRow` pages read through ``Library.rows``; a page is read the first
time one of its rows is painted (about a millisecond for a hundred rows). A page that fails to
load shows a placeholder instead of breaking the view. Sorting is done by the library in SQL:
``sort`` only records the wanted order and asks for a new search.

While the filter searches for words, each row also has a snippet of its hits and their number
(the Hits column, whose order is relevance). Snippets take longer to make than rows, so they
are never read on the GUI thread: a page whose snippets are missing is asked for by signal
and its rows repaint when they arrive.
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
from corpusdesk.core.snippets import Snippet
from corpusdesk.gui.icons import icon
from corpusdesk.library.articles import SortKey

log = logging.getLogger(__name__)

PAGE_SIZE = 100
MAX_PAGES = 60
ARTICLE_IDS_MIME = "application/x-corpusdesk-article-ids"
ID_ROLE = Qt.ItemDataRole.UserRole + 1
ROW_ROLE = Qt.ItemDataRole.UserRole + 2
SNIPPET_ROLE = Qt.ItemDataRole.UserRole + 3
PLACEHOLDER = "(this article could not be loaded)"

AnyIndex = QModelIndex | QPersistentModelIndex
RowFetcher = Callable[[Sequence[int]], dict[int, ArticleRow]]


class Column(IntEnum):
    """The table's columns (in the order of the model; the view shows Hits after Title)."""

    TITLE = 0
    SITE = 1
    AUTHORS = 2
    DATE = 3
    WORDS = 4
    TAGS = 5
    COPIES = 6
    HITS = 7


HEADERS = {
    Column.TITLE: "Title",
    Column.SITE: "Site",
    Column.AUTHORS: "Authors",
    Column.DATE: "Date",
    Column.WORDS: "Words",
    Column.TAGS: "Tags",
    Column.COPIES: "Copies",
    Column.HITS: "Hits",
}
HEADER_TIPS = {
    Column.COPIES: "Copies: how many articles of the library are this article, republished "
    "(the same or nearly the same text, from another site or page). Identical files are "
    "never imported twice; copies are kept and grouped. Compare them with Edit → Compare "
    "Copies (Ctrl+D).",
    Column.HITS: "Hits: how often the filter's words occur in the article. Sorting on this "
    "column orders by relevance, best match first: rare words and words in the title weigh "
    "more than a count of hits alone.",
}
SORT_KEYS = {
    Column.TITLE: SortKey.TITLE,
    Column.SITE: SortKey.SITE,
    Column.AUTHORS: SortKey.AUTHORS,
    Column.DATE: SortKey.PUBLISHED,
    Column.WORDS: SortKey.WORDS,
    Column.TAGS: SortKey.TAGS,
    Column.COPIES: SortKey.DUPLICATE,
    Column.HITS: SortKey.RELEVANCE,
}


def copies_tip(record: ArticleRow) -> str | None:
    """What the Copies cell of ``record`` means."""
    if record.duplicate_group is None:
        return None
    others = record.copies - 1
    if others <= 0:
        return "Republished, but its copies are in the trash"
    return (
        f"Republished: {others} other cop{'y' if others == 1 else 'ies'} of this article "
        "(the same or nearly the same text). Double-click, or Edit → Compare Copies "
        "(Ctrl+D), to see them side by side."
    )


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
    snippets_wanted = Signal(list)
    """Snippets are shown and those of these ids are missing."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._fetch: RowFetcher | None = None
        self._ids: list[int] = []
        self._positions: dict[int, int] | None = {}
        self._pages: OrderedDict[int, dict[int, ArticleRow] | None] = OrderedDict()
        self.sort_column = Column.DATE
        self.sort_order = Qt.SortOrder.DescendingOrder
        self.tag_colors: dict[str, str | None] = {}
        self.snippet_query: str | None = None
        """The query whose snippets the rows show; None when the filter has no words."""
        self._snippets: dict[int, Snippet] = {}
        self._snippet_pages: set[int] = set()

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
        self._snippet_pages.clear()
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
        self._snippet_pages.discard(first // PAGE_SIZE)
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

    # -- snippets -----------------------------------------------------------------------------

    def set_snippet_query(self, query: str | None) -> None:
        """Show snippets of ``query``'s hits (None: no snippets, the filter has no words)."""
        if query == self.snippet_query:
            return
        self.snippet_query = query
        self._snippets.clear()
        self._snippet_pages.clear()
        self._rows_changed(0, len(self._ids) - 1, Column.TITLE, Column.HITS)

    def add_snippets(self, query: str, snippets: dict[int, Snippet]) -> None:
        """Snippets read for ``query`` (ignored when the query has changed since)."""
        if query != self.snippet_query or not snippets:
            return
        self._snippets.update(snippets)
        positions = self._row_positions()
        rows = sorted(r for r in (positions.get(i) for i in snippets) if r is not None)
        if rows:
            self._rows_changed(rows[0], rows[-1], Column.TITLE, Column.HITS)

    def snippet(self, row: int) -> Snippet | None:
        """The snippet of ``row``, asking for its page's snippets when they are missing."""
        if self.snippet_query is None:
            return None
        article_id = self._ids[row]
        found = self._snippets.get(article_id)
        page = row // PAGE_SIZE
        if found is None and page not in self._snippet_pages:
            self._snippet_pages.add(page)
            wanted = self._ids[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
            self.snippets_wanted.emit([i for i in wanted if i not in self._snippets])
        return found

    def _rows_changed(self, first: int, last: int, left: Column, right: Column) -> None:
        if 0 <= first <= last < len(self._ids):
            self.dataChanged.emit(self.index(first, left), self.index(last, right))

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
        ids = list(ids)
        rows = sorted(r for r in (positions.get(i) for i in ids) if r is not None)
        for page in {row // PAGE_SIZE for row in rows}:
            self._pages.pop(page, None)
            self._snippet_pages.discard(page)
        for article_id in ids:
            self._snippets.pop(article_id, None)
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
            if role == Qt.ItemDataRole.ToolTipRole:
                return HEADER_TIPS.get(Column(section))
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
        if role == SNIPPET_ROLE:
            return self.snippet(index.row())
        if record is None:
            if role == Qt.ItemDataRole.DisplayRole:
                return PLACEHOLDER if column == Column.TITLE else ""
            if role == Qt.ItemDataRole.ForegroundRole:
                return Qt.GlobalColor.gray
            return None
        if column == Column.HITS and role in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.ToolTipRole,
        ):
            return _hits(self.snippet(index.row()), role)
        if role == Qt.ItemDataRole.DisplayRole:
            return _display(record, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return _tooltip(record, column)
        if role == Qt.ItemDataRole.DecorationRole:
            return icon("duplicates") if column == Column.COPIES and record.copies else None
        if role == Qt.ItemDataRole.TextAlignmentRole and column in _RIGHT_ALIGNED:
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
        """Whether the library is to sort in descending order.

        Relevance, the Hits column's order, is best first in the library's ascending order;
        the column shows it as descending (most hits at the top), so the two are reversed.
        """
        shown_descending = self.sort_order == Qt.SortOrder.DescendingOrder
        return shown_descending != (self.sort_column == Column.HITS)

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
        Qt.ItemDataRole.DecorationRole,
        Qt.ItemDataRole.TextAlignmentRole,
        Qt.ItemDataRole.ForegroundRole,
        ROW_ROLE,
        SNIPPET_ROLE,
    }
)
_RIGHT_ALIGNED = frozenset({Column.WORDS, Column.DATE, Column.HITS})


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
    if column == Column.COPIES:
        return f"{record.copies:,}" if record.duplicate_group is not None else ""
    return ""


def _hits(snippet: Snippet | None, role: int) -> str | None:
    if snippet is None:
        return "" if role == Qt.ItemDataRole.DisplayRole else None
    if role == Qt.ItemDataRole.DisplayRole:
        return f"{snippet.hits:,}"
    return f"The filter's words occur {snippet.hits:,} time{'' if snippet.hits == 1 else 's'}"


def _tooltip(record: ArticleRow, column: Column) -> str | None:
    if column == Column.TITLE:
        return f"{record.title}\n{record.source_name}"
    if column == Column.COPIES:
        return copies_tip(record)
    if column == Column.TAGS:
        return "\n".join(record.tags) or None
    if column in (Column.SITE, Column.AUTHORS):
        return _display(record, column) or None
    return None
