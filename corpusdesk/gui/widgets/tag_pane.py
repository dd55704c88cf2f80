"""The left pane: library views, tags and saved searches; selecting entries filters the table.

A click selects one entry; Ctrl-click adds more, combined with AND or OR as the toggle under
the list says. Tag management (new, rename, colour, delete) and saved-search management are
offered in a context menu and reported by signal: the pane itself never writes to the library.
The first nine tags show the number key that toggles them on the selected articles.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import (
    QEvent,
    QItemSelection,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    QRect,
    Qt,
    Signal,
)
from PySide6.QtGui import QFont, QFontMetrics, QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QToolButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from corpusdesk.core.records import SavedSearch, TagInfo
from corpusdesk.gui import theme
from corpusdesk.gui.models.tags_model import (
    QUICK_KEY_ROLE,
    EntryKind,
    Group,
    PaneCounts,
    PaneEntry,
    TagsModel,
)

COUNT_PADDING = 12
"""Pixels beside the widest count: the cell's margins and a little air."""


class QuickKeyDelegate(QStyledItemDelegate):
    """A tag's name, with the number key that toggles it at the right end of the cell."""

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        key = index.data(QUICK_KEY_ROLE)
        if not isinstance(key, int):
            super().paint(painter, option, index)
            return
        font = QFont(option.font)
        font.setPointSizeF(max(6.0, font.pointSizeF() - 1))
        metrics = QFontMetrics(font)
        box = metrics.height()
        narrowed = QStyleOptionViewItem(option)
        narrowed.rect = option.rect.adjusted(0, 0, -(box + 6), 0)
        super().paint(painter, narrowed, index)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = QRect(
            option.rect.right() - box - 2,
            option.rect.center().y() - box // 2,
            box,
            box,
        )
        muted = theme.muted(option.palette)
        painter.setPen(muted)
        painter.drawRoundedRect(rect.adjusted(0, 0, -1, -1), 3, 3)
        painter.setFont(font)
        painter.drawText(rect, int(Qt.AlignmentFlag.AlignCenter), str(key))
        painter.restore()


class TagPane(QWidget):
    """The tree of views, tags and saved searches, with the AND/OR toggle."""

    selection_changed = Signal()
    new_tag_requested = Signal()
    rename_requested = Signal(str)
    delete_requested = Signal(str)
    color_requested = Signal(str)
    edit_search_requested = Signal(object)
    delete_search_requested = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = TagsModel(self)
        self.tree = QTreeView(self)
        self.tree.setObjectName("tagTree")
        self.tree.setAccessibleName("Library views, tags and saved searches")
        self.tree.setModel(self.model)
        self.tree.setItemDelegateForColumn(0, QuickKeyDelegate(self.tree))
        self.tree.setHeaderHidden(True)
        self.tree.setRootIsDecorated(False)
        self.tree.setItemsExpandable(False)
        self.tree.setUniformRowHeights(True)
        self.tree.setIndentation(10)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.tree.setEditTriggers(
            QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.SelectedClicked
        )
        self.tree.setDragDropMode(QAbstractItemView.DragDropMode.DropOnly)
        self.tree.setDefaultDropAction(Qt.DropAction.CopyAction)
        self.tree.setDropIndicatorShown(True)
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        # Sized from the counts in set_content: fitting it to its contents would have the view
        # ask every row for its size after each refresh.
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Fixed)
        self._fit_counts()
        self.tree.expandAll()
        self.model.rowsInserted.connect(lambda *_: self.tree.expandAll())

        self.and_button = QToolButton(self)
        self.and_button.setText("AND")
        self.or_button = QToolButton(self)
        self.or_button.setText("OR")
        self.combine = QButtonGroup(self)
        for button, tip in (
            (self.and_button, "Ctrl-click several entries: show articles matching all of them"),
            (self.or_button, "Ctrl-click several entries: show articles matching any of them"),
        ):
            button.setCheckable(True)
            button.setAutoRaise(True)
            button.setToolTip(tip)
            self.combine.addButton(button)
        self.and_button.setChecked(True)
        self.and_button.setAccessibleName("Combine selected entries with AND")
        self.or_button.setAccessibleName("Combine selected entries with OR")
        self.new_button = QToolButton(self)
        self.new_button.setText("+ Tag")
        self.new_button.setToolTip("Create a new tag")
        self.new_button.setAccessibleName("New tag")
        self.new_button.setAutoRaise(True)
        for button in (self.and_button, self.or_button, self.new_button):
            button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

        bottom = QHBoxLayout()
        bottom.setContentsMargins(4, 2, 4, 2)
        bottom.addWidget(QLabel("Combine:", self))
        bottom.addWidget(self.and_button)
        bottom.addWidget(self.or_button)
        bottom.addStretch(1)
        bottom.addWidget(self.new_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.tree, 1)
        layout.addLayout(bottom)

        self._restoring = False
        self.tree.selectionModel().selectionChanged.connect(self._selection_changed)
        self.combine.buttonToggled.connect(self._combine_toggled)
        self.tree.customContextMenuRequested.connect(self._context_menu)
        self.new_button.clicked.connect(self.new_tag_requested)
        self.select_keys([(EntryKind.ALL, "All articles")])
        self.model.set_muted_color(theme.muted(self.palette()))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if event.type() == QEvent.Type.PaletteChange:
            self.model.set_muted_color(theme.muted(self.palette()))
        super().changeEvent(event)

    # -- state --------------------------------------------------------------------------------

    def use_or(self) -> bool:
        """Whether several selected entries are combined with OR."""
        return self.or_button.isChecked()

    def set_use_or(self, value: bool) -> None:
        """Choose OR (True) or AND (False) for several selected entries."""
        (self.or_button if value else self.and_button).setChecked(True)

    def selected_entries(self) -> list[PaneEntry]:
        """The selected entries, top to bottom."""
        indexes = sorted(
            (i for i in self.tree.selectionModel().selectedRows(0)),
            key=lambda i: (i.parent().row(), i.row()),
        )
        return [entry for entry in (self.model.entry(i) for i in indexes) if entry is not None]

    def select_keys(self, keys: Sequence[tuple[EntryKind, str]]) -> None:
        """Select the entries with these keys (All articles when none of them exists)."""
        selection = QItemSelection()
        for key in keys:
            index = self.model.index_of(key)
            if index.isValid():
                selection.select(index, index.siblingAtColumn(1))
        if selection.isEmpty():
            index = self.model.index_of((EntryKind.ALL, "All articles"))
            selection.select(index, index.siblingAtColumn(1))
        flags = QItemSelectionModel.SelectionFlag.ClearAndSelect
        self.tree.selectionModel().select(selection, flags)
        self.tree.selectionModel().setCurrentIndex(
            selection.indexes()[0], QItemSelectionModel.SelectionFlag.NoUpdate
        )

    def set_content(
        self, counts: PaneCounts, tags: Sequence[TagInfo], searches: Sequence[SavedSearch]
    ) -> None:
        """Refresh the entries, keeping the selection; signal only if the selection changed."""
        before = [entry.key for entry in self.selected_entries()]
        self._restoring = True
        try:
            reshaped = self.model.set_content(counts, tags, searches)
            if reshaped:
                self.select_keys(before)
        finally:
            self._restoring = False
        self._fit_counts()
        if reshaped and [entry.key for entry in self.selected_entries()] != before:
            self.selection_changed.emit()

    def _fit_counts(self) -> None:
        """Make the count column as wide as its widest count."""
        metrics = self.tree.fontMetrics()
        widest = max(
            (
                metrics.horizontalAdvance(f"{entry.count:,}")
                for group in Group
                for entry in self.model.entries(group)
                if entry.count is not None
            ),
            default=0,
        )
        width = widest + COUNT_PADDING
        if self.tree.header().sectionSize(1) != width:
            self.tree.header().resizeSection(1, width)

    # -- reactions ----------------------------------------------------------------------------

    def _selection_changed(self, *_args: object) -> None:
        if not self._restoring:
            if not self.tree.selectionModel().hasSelection():
                self._restoring = True
                self.select_keys([])
                self._restoring = False
            self.selection_changed.emit()

    def _combine_toggled(self, _button: object, checked: bool) -> None:
        if checked and len(self.selected_entries()) > 1:
            self.selection_changed.emit()

    def _context_menu(self, position: QPoint) -> None:
        entry = self.model.entry(self.tree.indexAt(position))
        menu = QMenu(self)
        menu.addAction("New Tag…", self.new_tag_requested.emit)
        if entry is not None and entry.kind is EntryKind.TAG:
            name = entry.name
            menu.addSeparator()
            menu.addAction("Rename…", lambda: self.rename_requested.emit(name))
            menu.addAction("Colour…", lambda: self.color_requested.emit(name))
            menu.addAction("Delete Tag…", lambda: self.delete_requested.emit(name))
        elif entry is not None and entry.kind is EntryKind.SEARCH:
            menu.addSeparator()
            menu.addAction("Edit Saved Search…", lambda: self.edit_search_requested.emit(entry))
            menu.addAction("Delete Saved Search", lambda: self.delete_search_requested.emit(entry))
        menu.exec(self.tree.viewport().mapToGlobal(position))
