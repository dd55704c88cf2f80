"""The window's actions, menus and toolbar, with shortcuts and tooltips, in one place.

The actions call the slots of an :class:`ActionHost`, the few methods of the window they
need, so this module knows nothing else of the window.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Protocol

from PySide6.QtCore import QObject, QSize, Qt
from PySide6.QtGui import QAction, QKeySequence, QUndoStack
from PySide6.QtWidgets import QMainWindow, QMenu, QToolBar, QWidget

from corpusdesk.gui.icons import icon

QUICK_TAGS = 9
ICON_PROPERTY = "corpusdeskIcon"
"""The name of an action's icon, to draw it again when the palette turns dark or light."""
UNDO_TEXT = "&Undo in Library"
REDO_TEXT = "&Redo in Library"


class ActionHost(Protocol):
    """What the actions call."""

    def new_library(self) -> None: ...
    def choose_library(self) -> None: ...
    def connect_team_library(self) -> None: ...
    def import_files(self) -> None: ...
    def import_folder(self) -> None: ...
    def show_import_runs(self) -> None: ...
    def export_selection(self) -> None: ...
    def export_shown(self) -> None: ...
    def reclean_selection(self) -> None: ...
    def close(self) -> bool: ...
    def undo_library(self) -> None: ...
    def redo_library(self) -> None: ...
    def trash_selected(self) -> None: ...
    def restore_selected(self) -> None: ...
    def empty_trash(self) -> None: ...
    def focus_filter(self) -> None: ...
    def save_filter_as_search(self) -> None: ...
    def add_tag_to_selection(self) -> None: ...
    def remove_tag_from_selection(self) -> None: ...
    def new_tag(self) -> None: ...
    def toggle_quick_tag(self, number: int) -> None: ...
    def compare_copies(self) -> None: ...
    def sort_by_relevance(self) -> None: ...
    def show_about(self) -> None: ...
    def open_analysis(self, tab: str) -> None: ...


@dataclass
class Actions:
    """Every action of the main window."""

    new_library: QAction
    open_library: QAction
    connect_team: QAction
    import_files: QAction
    import_folder: QAction
    import_reports: QAction
    export_selection: QAction
    export_shown: QAction
    reclean: QAction
    quit: QAction
    undo: QAction
    redo: QAction
    trash: QAction
    restore: QAction
    empty_trash: QAction
    find: QAction
    save_search: QAction
    add_tag: QAction
    remove_tag: QAction
    new_tag: QAction
    compare_copies: QAction
    sort_relevance: QAction
    about: QAction
    recent_menu: QMenu
    quick_tags: list[QAction] = field(default_factory=list)
    analysis: list[QAction] = field(default_factory=list)
    """Analysis menu: the panel's concordance, word list, keywords and trends."""

    def writing(self) -> list[QAction]:
        """The actions that change the library (disabled for a read-only one)."""
        return [
            self.import_files,
            self.import_folder,
            self.trash,
            self.restore,
            self.empty_trash,
            self.reclean,
            self.save_search,
            self.add_tag,
            self.remove_tag,
            self.new_tag,
            *self.quick_tags,
        ]

    def article_menu(self, parent: QWidget) -> QMenu:
        """The table's context menu: what can be done with the selected articles."""
        menu = QMenu(parent)
        menu.addActions([self.add_tag, self.remove_tag, self.compare_copies])
        menu.addSeparator()
        menu.addActions([self.export_selection, self.reclean])
        menu.addSeparator()
        menu.addActions([self.trash, self.restore])
        return menu


def _action(
    owner: QObject,
    text: str,
    slot: Callable[[], object],
    shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
    tip: str = "",
    icon_name: str | None = None,
) -> QAction:
    action = QAction(text, owner)
    if shortcut is not None:
        action.setShortcut(QKeySequence(shortcut))
    if tip:
        keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        action.setToolTip(f"{tip} ({keys})" if keys else tip)
        action.setStatusTip(tip)
    if icon_name:
        action.setIcon(icon(icon_name))
        action.setProperty(ICON_PROPERTY, icon_name)
    action.triggered.connect(lambda _checked=False: slot())
    return action


def create_actions(host: ActionHost, owner: QWidget) -> Actions:
    """Make the actions, owned by ``owner`` and wired to the ``host``'s slots."""
    undo = _action(
        owner,
        UNDO_TEXT,
        host.undo_library,
        QKeySequence.StandardKey.Undo,
        "Undo the last change to the library: tags, metadata, trash, searches",
        "undo",
    )
    redo = _action(
        owner,
        REDO_TEXT,
        host.redo_library,
        "Ctrl+Shift+Z",
        "Redo the library change just undone",
        "redo",
    )
    redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
    undo.setIconText("Undo")
    redo.setIconText("Redo")
    actions = Actions(
        new_library=_action(
            owner, "&New Library…", host.new_library, None, "Create an empty library"
        ),
        open_library=_action(
            owner, "&Open Library…", host.choose_library, "Ctrl+L", "Open another library"
        ),
        connect_team=_action(
            owner,
            "&Connect to Team Library…",
            host.connect_team_library,
            "Ctrl+Shift+L",
            "Open a library shared on a PostgreSQL server",
        ),
        import_files=_action(
            owner,
            "&Import Files…",
            host.import_files,
            "Ctrl+O",
            "Import saved pages (HTML, MHTML, web archives, zip archives)",
            "import",
        ),
        import_folder=_action(
            owner,
            "Import &Folder…",
            host.import_folder,
            "Ctrl+Shift+O",
            "Import every page in a folder and its subfolders",
        ),
        import_reports=_action(
            owner,
            "Import &Reports…",
            host.show_import_runs,
            None,
            "Reports of past imports",
        ),
        export_selection=_action(
            owner,
            "Export &Selection…",
            host.export_selection,
            "Ctrl+Shift+E",
            "Export the selected articles to JSON or JSONL",
            "export",
        ),
        export_shown=_action(
            owner,
            "&Export All Shown…",
            host.export_shown,
            "Ctrl+E",
            "Export every article in the table to JSON or JSONL",
        ),
        reclean=_action(
            owner,
            "Re-&clean Selected Articles",
            host.reclean_selection,
            None,
            "Extract the selected articles again from their original pages with the current "
            "rules (fields you edited are kept)",
        ),
        quit=_action(owner, "&Quit", host.close, QKeySequence.StandardKey.Quit),
        undo=undo,
        redo=redo,
        trash=_action(
            owner,
            "Move to &Trash",
            host.trash_selected,
            QKeySequence.StandardKey.Delete,
            "Move the selected articles to the trash",
            "trash",
        ),
        restore=_action(
            owner,
            "Restore from Trash",
            host.restore_selected,
            None,
            "Bring the selected articles back from the trash",
        ),
        empty_trash=_action(
            owner, "Empty Trash…", host.empty_trash, None, "Delete the trashed articles for good"
        ),
        find=_action(
            owner, "&Find", host.focus_filter, QKeySequence.StandardKey.Find, "Filter the table"
        ),
        save_search=_action(
            owner,
            "Save Search…",
            host.save_filter_as_search,
            None,
            "Save the filter as a search",
        ),
        add_tag=_action(
            owner,
            "&Add Tag…",
            host.add_tag_to_selection,
            "Ctrl+T",
            "Tag the selected articles",
            "tag",
        ),
        remove_tag=_action(
            owner,
            "&Remove Tag…",
            host.remove_tag_from_selection,
            "Ctrl+Shift+T",
            "Remove a tag from the selected articles",
        ),
        new_tag=_action(owner, "&New Tag…", host.new_tag, None, "Create a tag"),
        compare_copies=_action(
            owner,
            "Compare &Copies…",
            host.compare_copies,
            "Ctrl+D",
            "List the copies of the current article (republications of it) and show two of "
            "them side by side with their differences marked",
            "duplicates",
        ),
        sort_relevance=_action(
            owner,
            "Sort by &Relevance",
            host.sort_by_relevance,
            "Ctrl+R",
            "Show the best matches of the filter's words first",
        ),
        about=_action(owner, "&About corpusdesk", host.show_about),
        recent_menu=QMenu("Open &Recent", owner),
    )
    for action, label in (
        (actions.import_files, "Import"),
        (actions.export_selection, "Export"),
        (actions.add_tag, "Tag"),
        (actions.trash, "Delete"),
    ):
        action.setIconText(label)
    for number in range(1, QUICK_TAGS + 1):
        quick = QAction(f"Quick tag {number}", owner)
        quick.setShortcut(QKeySequence(str(number)))
        quick.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        quick.triggered.connect(lambda _checked=False, n=number: host.toggle_quick_tag(n))
        quick.setVisible(False)
        actions.quick_tags.append(quick)
    for tab, text, tip in (
        ("concordance", "&Concordance…", "Every occurrence of a word in context"),
        ("words", "&Word List…", "Words and n-grams with their frequencies"),
        ("keywords", "&Keywords…", "Words characteristic of these articles"),
        ("trends", "&Trends…", "Articles per day, week, month or year"),
    ):
        actions.analysis.append(_action(owner, text, partial(host.open_analysis, tab), None, tip))
    actions.trash.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
    return actions


def follow_undo_stack(actions: Actions, stack: QUndoStack) -> None:
    """Keep Undo and Redo enabled and named after the library change they would reverse."""
    state = {
        "undo": (stack.canUndo(), stack.undoText()),
        "redo": (stack.canRedo(), stack.redoText()),
    }

    # The slots use what the signals carry, never the stack: it also signals while deleted.
    def update(which: str, possible: bool | None = None, text: str | None = None) -> None:
        old_possible, old_text = state[which]
        possible = old_possible if possible is None else possible
        text = old_text if text is None else text
        state[which] = (possible, text)
        action, base = (actions.undo, UNDO_TEXT) if which == "undo" else (actions.redo, REDO_TEXT)
        action.setText(f"{base}: {text}" if possible and text else base)
        action.setEnabled(possible)

    stack.canUndoChanged.connect(lambda possible: update("undo", possible=possible))
    stack.undoTextChanged.connect(lambda text: update("undo", text=text))
    stack.canRedoChanged.connect(lambda possible: update("redo", possible=possible))
    stack.redoTextChanged.connect(lambda text: update("redo", text=text))
    update("undo")
    update("redo")


def build_menus(
    window: QMainWindow, actions: Actions, help_menu_filler: Callable[[QMenu], None]
) -> None:
    """The menu bar; ``help_menu_filler`` adds the user guide and problem report."""
    bar = window.menuBar()
    file_menu = bar.addMenu("&File")
    file_menu.addActions([actions.new_library, actions.open_library, actions.connect_team])
    file_menu.addMenu(actions.recent_menu)
    file_menu.addSeparator()
    file_menu.addActions([actions.import_files, actions.import_folder, actions.import_reports])
    file_menu.addSeparator()
    file_menu.addActions([actions.export_selection, actions.export_shown])
    file_menu.addSeparator()
    file_menu.addAction(actions.quit)
    edit = bar.addMenu("&Edit")
    edit.addActions([actions.undo, actions.redo])
    edit.addSeparator()
    edit.addActions([actions.trash, actions.restore, actions.empty_trash])
    edit.addSeparator()
    edit.addActions([actions.compare_copies, actions.reclean])
    edit.addSeparator()
    edit.addActions([actions.find, actions.sort_relevance, actions.save_search])
    tags = bar.addMenu("&Tags")
    tags.addActions([actions.add_tag, actions.remove_tag])
    quick = tags.addMenu("&Quick Tags")
    quick.addActions(actions.quick_tags)
    quick.setToolTipsVisible(True)
    tags.addSeparator()
    tags.addAction(actions.new_tag)
    analysis = bar.addMenu("&Analysis")
    analysis.addActions(actions.analysis)
    help_menu = bar.addMenu("&Help")
    help_menu_filler(help_menu)
    help_menu.addAction(actions.about)


def build_toolbar(window: QMainWindow, actions: Actions) -> QToolBar:
    """The toolbar: import, export, tag, delete, undo and redo."""
    toolbar = QToolBar("Main", window)
    toolbar.setObjectName("mainToolbar")
    toolbar.setMovable(False)
    size = window.fontMetrics().height() + 4  # icons grow with the font (and the screen)
    toolbar.setIconSize(QSize(size, size))
    toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
    for action in (actions.import_files, actions.export_selection, actions.add_tag, actions.trash):
        toolbar.addAction(action)
    toolbar.addSeparator()
    toolbar.addActions([actions.undo, actions.redo])
    window.addToolBar(Qt.ToolBarArea.TopToolBarArea, toolbar)
    return toolbar
