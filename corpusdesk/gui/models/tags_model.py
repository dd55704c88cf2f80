"""The tag pane's model: library views, tags with counts and saved searches, as a small tree.

Three groups sit at the top level ("Library", "Tags", "Saved Searches"); their children are
plain :class:`PaneEntry` records. Tag entries accept article drops (the ids dragged from the
table) and can be renamed in place; both are reported by signal, never written here.

The pane is refreshed after every change and, during an import, every few seconds, with hundreds
of tags, so a refresh that brings the same entries with new counts changes only the cells that
differ, and the per-cell methods the view calls thousands of times avoid building objects.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from enum import IntEnum, StrEnum

from PySide6.QtCore import (
    QAbstractItemModel,
    QMimeData,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPixmap

from corpusdesk.core.query import quoted
from corpusdesk.core.records import SavedSearch, TagInfo
from corpusdesk.core.wording import plural
from corpusdesk.gui.icons import icon
from corpusdesk.gui.models.articles_model import ARTICLE_IDS_MIME, decode_ids

AnyIndex = QModelIndex | QPersistentModelIndex
ENTRY_ROLE = Qt.ItemDataRole.UserRole + 1
QUICK_KEY_ROLE = Qt.ItemDataRole.UserRole + 2
NO_PARENT = 0


class EntryKind(StrEnum):
    """What selecting an entry shows."""

    ALL = "all"
    UNTAGGED = "untagged"
    DUPLICATES = "duplicates"
    TRASH = "trash"
    TAG = "tag"
    SEARCH = "search"


class Group(IntEnum):
    """The top-level rows."""

    LIBRARY = 0
    TAGS = 1
    SEARCHES = 2


ENTRY_ICONS = {
    EntryKind.ALL: "library",
    EntryKind.UNTAGGED: "untagged",
    EntryKind.DUPLICATES: "duplicates",
    EntryKind.TRASH: "trash",
    EntryKind.SEARCH: "search",
}
GROUP_TITLES = {Group.LIBRARY: "Library", Group.TAGS: "Tags", Group.SEARCHES: "Saved Searches"}


@dataclass(frozen=True, slots=True)
class PaneEntry:
    """One selectable row of the pane."""

    kind: EntryKind
    name: str
    count: int | None = None
    color: str | None = None
    query: str = ""
    search_id: int | None = None

    @property
    def key(self) -> tuple[EntryKind, str]:
        """What identifies the entry across refreshes."""
        return (self.kind, self.name)


@dataclass(frozen=True, slots=True)
class PaneCounts:
    """The numbers shown beside the library views."""

    all: int = 0
    untagged: int = 0
    duplicates: int = 0
    trash: int = 0


def library_entries(counts: PaneCounts) -> list[PaneEntry]:
    """The fixed views of the library with their counts."""
    return [
        PaneEntry(EntryKind.ALL, "All articles", counts.all),
        PaneEntry(EntryKind.UNTAGGED, "Untagged", counts.untagged, query="is:untagged"),
        PaneEntry(EntryKind.DUPLICATES, "With copies", counts.duplicates, query="is:duplicate"),
        PaneEntry(EntryKind.TRASH, "Trash", counts.trash),
    ]


LIBRARY_TIPS = {
    EntryKind.ALL: "Every article in the library (not those in the trash)",
    EntryKind.UNTAGGED: "Articles without any tag",
    EntryKind.DUPLICATES: "Articles republished in more than one copy (the same or nearly the "
    "same text from another site or page): each copy is kept and grouped with the others. "
    "Identical files are not counted here: an import skips them.",
    EntryKind.TRASH: "Deleted articles, until you empty the trash",
}
QUICK_KEYS = 9
"""The first tags have keys: 1 to 9 toggle them on the selected articles."""


def tag_query(name: str) -> str:
    """The query selecting the articles tagged ``name`` (and no other tag)."""
    return f"tag:{quoted(name)}"


_icon_cache: dict[str, QIcon] = {}
_constants: dict[str, object] = {}

DISPLAY = int(Qt.ItemDataRole.DisplayRole)
EDIT = int(Qt.ItemDataRole.EditRole)
DECORATION = int(Qt.ItemDataRole.DecorationRole)
TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
FONT = int(Qt.ItemDataRole.FontRole)
FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
ALIGNMENT = int(Qt.ItemDataRole.TextAlignmentRole)
COUNT_ALIGNMENT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
GROUP_FLAGS = Qt.ItemFlag.ItemIsEnabled
ENTRY_FLAGS = (
    Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren
)
TAG_FLAGS = ENTRY_FLAGS | Qt.ItemFlag.ItemIsDropEnabled
TAG_NAME_FLAGS = TAG_FLAGS | Qt.ItemFlag.ItemIsEditable
GROUP_ROWS = [GROUP_TITLES[group].upper() for group in Group]


def _constant(name: str) -> object:
    """Fonts made once (they need the application, so not at import)."""
    if not _constants:
        font = QFont()
        font.setBold(True)
        font.setPointSizeF(max(7.0, font.pointSizeF() - 1.5))
        _constants.update(group_font=font)
    return _constants[name]


def color_icon(color: str | None) -> QIcon:
    """A small round swatch of ``color`` (an outline when the tag has none)."""
    key = color or ""
    if key not in _icon_cache:
        pixmap = QPixmap(14, 14)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if color:
            painter.setBrush(QColor(color))
            painter.setPen(QColor(color).darker(130))
        else:
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.setPen(QColor("#9a9a9a"))
        painter.drawEllipse(2, 2, 10, 10)
        painter.end()
        _icon_cache[key] = QIcon(pixmap)
    return _icon_cache[key]


class TagsModel(QAbstractItemModel):
    """Library views, tags and saved searches in three groups, two columns (name, count)."""

    tag_drop = Signal(str, list)
    """Articles were dropped on a tag: (tag name, article ids)."""
    rename_requested = Signal(str, str)
    """A tag was renamed in place: (old name, new name)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.muted: QColor | None = None
        """The colour of group titles and counts (set from the palette by the view)."""
        self._groups: dict[Group, list[PaneEntry]] = {
            Group.LIBRARY: library_entries(PaneCounts()),
            Group.TAGS: [],
            Group.SEARCHES: [],
        }

    # -- content --------------------------------------------------------------------------

    def set_content(
        self, counts: PaneCounts, tags: Sequence[TagInfo], searches: Sequence[SavedSearch]
    ) -> bool:
        """Replace what the pane shows, keeping group rows in place.

        Returns True when entries were added, removed or reordered (the view lost its
        selection); False when at most their counts, colours or queries changed.
        """
        reshaped = self._replace(Group.LIBRARY, library_entries(counts))
        reshaped |= self._replace(
            Group.TAGS,
            [PaneEntry(EntryKind.TAG, t.name, t.count, t.color, tag_query(t.name)) for t in tags],
        )
        reshaped |= self._replace(
            Group.SEARCHES,
            [PaneEntry(EntryKind.SEARCH, s.name, None, None, s.query, s.id) for s in searches],
        )
        return reshaped

    def _replace(self, group: Group, entries: list[PaneEntry]) -> bool:
        old = self._groups[group]
        parent = self.index(group, 0)
        if [e.key for e in old] == [e.key for e in entries]:
            self._groups[group] = entries
            self._announce_changes(parent, old, entries)
            return False
        if old:
            self.beginRemoveRows(parent, 0, len(old) - 1)
            self._groups[group] = []
            self.endRemoveRows()
        if entries:
            self.beginInsertRows(parent, 0, len(entries) - 1)
            self._groups[group] = entries
            self.endInsertRows()
        return True

    def _announce_changes(
        self, parent: QModelIndex, old: list[PaneEntry], new: list[PaneEntry]
    ) -> None:
        """One ``dataChanged`` over the rows that differ; only the count column if that is all."""
        changed = [row for row, (a, b) in enumerate(zip(old, new, strict=True)) if a != b]
        if not changed:
            return
        counts_only = all(replace(old[row], count=new[row].count) == new[row] for row in changed)
        self.dataChanged.emit(
            self.index(changed[0], 1 if counts_only else 0, parent),
            self.index(changed[-1], 1, parent),
        )

    def entries(self, group: Group) -> list[PaneEntry]:
        """The entries of one group."""
        return list(self._groups[group])

    def entry(self, index: AnyIndex) -> PaneEntry | None:
        """The entry at ``index`` (None for a group row)."""
        group = index.internalId() - 1
        if group < 0 or not index.isValid():
            return None
        return self._groups[group][index.row()]  # type: ignore[index]  # Group is an IntEnum

    def index_of(self, key: tuple[EntryKind, str]) -> QModelIndex:
        """The index of the entry with this key, or an invalid index."""
        for group, entries in self._groups.items():
            for row, entry in enumerate(entries):
                if entry.key == key:
                    return self.index(row, 0, self.index(group, 0))
        return QModelIndex()

    def tag_colors(self) -> dict[str, str | None]:
        """Tag name → colour."""
        return {e.name: e.color for e in self._groups[Group.TAGS]}

    # -- Qt model interface -------------------------------------------------------------------

    def index(self, row: int, column: int, parent: AnyIndex = QModelIndex()) -> QModelIndex:  # noqa: B008
        if not self.hasIndex(row, column, parent):
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, column, NO_PARENT)
        return self.createIndex(row, column, parent.row() + 1)

    def parent(self, index: AnyIndex = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        if not index.isValid() or index.internalId() == NO_PARENT:
            return QModelIndex()
        return self.createIndex(index.internalId() - 1, 0, NO_PARENT)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802
        if not parent.isValid():
            return len(Group)
        if parent.internalId() == NO_PARENT and parent.column() == 0:
            return len(self._groups[Group(parent.row())])
        return 0

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 2

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        entry = self.entry(index)
        if entry is None:
            return GROUP_FLAGS
        if entry.kind is EntryKind.TAG:
            return TAG_NAME_FLAGS if index.column() == 0 else TAG_FLAGS
        return ENTRY_FLAGS

    def data(self, index: AnyIndex, role: int = DISPLAY) -> object:
        if not index.isValid():
            return None
        entry = self.entry(index)
        if entry is None:
            if index.column() != 0:
                return None
            if role == DISPLAY:
                return GROUP_ROWS[index.row()]
            if role == FONT:
                return _constant("group_font")
            if role == FOREGROUND:
                return self.muted
            return None
        if index.column() == 1:
            if role == DISPLAY and entry.count is not None:
                return f"{entry.count:,}"
            if role == ALIGNMENT:
                return COUNT_ALIGNMENT
            if role == FOREGROUND:
                return self.muted
            return None
        if role in (DISPLAY, EDIT):
            return entry.name
        if role == DECORATION:
            if entry.kind is EntryKind.TAG:
                return color_icon(entry.color)
            return icon(ENTRY_ICONS[entry.kind])
        if role == TOOLTIP:
            if entry.kind is EntryKind.TAG:
                return _tag_tip(entry, _quick_key(index, entry))
            if entry.kind is EntryKind.SEARCH:
                return entry.query
            return LIBRARY_TIPS.get(entry.kind)
        if role == ENTRY_ROLE:
            return entry
        if role == QUICK_KEY_ROLE:
            return _quick_key(index, entry)
        return None

    def set_muted_color(self, color: QColor) -> None:
        """The colour for group titles and counts (from the view's palette)."""
        if color == self.muted:
            return
        self.muted = QColor(color)
        for group in Group:
            parent = self.index(group, 0)
            self.dataChanged.emit(parent, parent)
            rows = len(self._groups[group])
            if rows:
                self.dataChanged.emit(self.index(0, 1, parent), self.index(rows - 1, 1, parent))

    def setData(self, index: AnyIndex, value: object, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        entry = self.entry(index)
        if entry is None or entry.kind is not EntryKind.TAG or role != Qt.ItemDataRole.EditRole:
            return False
        new = " ".join(str(value).split())
        if new and new != entry.name:
            self.rename_requested.emit(entry.name, new)
        return False

    # -- drops ----------------------------------------------------------------------------------

    def mimeTypes(self) -> list[str]:  # noqa: N802
        return [ARTICLE_IDS_MIME]

    def supportedDropActions(self) -> Qt.DropAction:  # noqa: N802
        return Qt.DropAction.CopyAction | Qt.DropAction.MoveAction

    def canDropMimeData(  # noqa: N802
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: AnyIndex
    ) -> bool:
        entry = self.entry(parent)
        return (
            data.hasFormat(ARTICLE_IDS_MIME)
            and row == -1
            and entry is not None
            and entry.kind is EntryKind.TAG
        )

    def dropMimeData(  # noqa: N802
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: AnyIndex
    ) -> bool:
        if not self.canDropMimeData(data, action, row, column, parent):
            return False
        entry = self.entry(parent)
        ids = decode_ids(data.data(ARTICLE_IDS_MIME))
        if entry is None or not ids:
            return False
        self.tag_drop.emit(entry.name, ids)
        return True


def _quick_key(index: AnyIndex, entry: PaneEntry) -> int | None:
    """The number key (1–9) that toggles this tag, for the first nine tags."""
    if entry.kind is EntryKind.TAG and index.row() < QUICK_KEYS:
        return index.row() + 1
    return None


def _tag_tip(entry: PaneEntry, key: int | None) -> str:
    count = entry.count or 0
    text = f"{entry.name}: {plural(count, 'article')}. Drop articles here to tag them."
    if key is not None:
        text += f" Key {key} toggles it on the selected articles."
    return text
