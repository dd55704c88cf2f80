"""The window's actions, menus and toolbar, with shortcuts and tooltips, in one place."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QToolBar

from corpusdesk.gui.help import Help
from corpusdesk.gui.icons import icon

if TYPE_CHECKING:
    from corpusdesk.gui.main_window import MainWindow

QUICK_TAGS = 9


@dataclass
class Actions:
    """Every action of the main window."""

    new_library: QAction
    open_library: QAction
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


def _action(
    window: MainWindow,
    text: str,
    slot: Callable[[], object],
    shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
    tip: str = "",
    icon_name: str | None = None,
) -> QAction:
    action = QAction(text, window)
    if shortcut is not None:
        action.setShortcut(QKeySequence(shortcut))
    if tip:
        keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        action.setToolTip(f"{tip} ({keys})" if keys else tip)
        action.setStatusTip(tip)
    if icon_name:
        action.setIcon(icon(icon_name))
    action.triggered.connect(lambda _checked=False: slot())
    return action


def create_actions(window: MainWindow) -> Actions:
    """Make the actions, wired to the window's slots."""
    undo = window.undo_stack.createUndoAction(window, "&Undo")
    undo.setShortcut(QKeySequence.StandardKey.Undo)
    undo.setIcon(icon("undo"))
    undo.setToolTip("Undo the last change (Ctrl+Z)")
    undo.setIconText("Undo")
    redo = window.undo_stack.createRedoAction(window, "&Redo")
    redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
    redo.setIcon(icon("redo"))
    redo.setToolTip("Redo the change just undone (Ctrl+Shift+Z)")
    redo.setIconText("Redo")
    actions = Actions(
        new_library=_action(
            window, "&New Library…", window.new_library, None, "Create an empty library"
        ),
        open_library=_action(
            window, "&Open Library…", window.choose_library, "Ctrl+L", "Open another library"
        ),
        import_files=_action(
            window,
            "&Import Files…",
            window.transfers.import_files,
            "Ctrl+O",
            "Import saved pages (HTML, MHTML, web archives, zip archives)",
            "import",
        ),
        import_folder=_action(
            window,
            "Import &Folder…",
            window.transfers.import_folder,
            "Ctrl+Shift+O",
            "Import every page in a folder and its subfolders",
        ),
        import_reports=_action(
            window,
            "Import &Reports…",
            window.transfers.show_import_runs,
            None,
            "Reports of past imports",
        ),
        export_selection=_action(
            window,
            "Export &Selection…",
            window.transfers.export_selection,
            "Ctrl+Shift+E",
            "Export the selected articles to JSON or JSONL",
            "export",
        ),
        export_shown=_action(
            window,
            "&Export All Shown…",
            window.transfers.export_shown,
            "Ctrl+E",
            "Export every article in the table to JSON or JSONL",
        ),
        reclean=_action(
            window,
            "Re-&clean Selected Articles",
            window.transfers.reclean_selection,
            None,
            "Extract the selected articles again from their original pages with the current "
            "rules (fields you edited are kept)",
        ),
        quit=_action(window, "&Quit", window.close, QKeySequence.StandardKey.Quit),
        undo=undo,
        redo=redo,
        trash=_action(
            window,
            "Move to &Trash",
            window.trash_selected,
            QKeySequence.StandardKey.Delete,
            "Move the selected articles to the trash",
            "trash",
        ),
        restore=_action(
            window,
            "Restore from Trash",
            window.restore_selected,
            None,
            "Bring the selected articles back from the trash",
        ),
        empty_trash=_action(
            window, "Empty Trash…", window.empty_trash, None, "Delete the trashed articles for good"
        ),
        find=_action(
            window, "&Find", window.focus_filter, QKeySequence.StandardKey.Find, "Filter the table"
        ),
        save_search=_action(
            window,
            "Save Search…",
            lambda: window.tagging.save_search(window.filter_bar.text()),
            None,
            "Save the filter as a search",
        ),
        add_tag=_action(
            window,
            "&Add Tag…",
            lambda: window.tagging.open_editor(remove=False),
            "Ctrl+T",
            "Tag the selected articles",
            "tag",
        ),
        remove_tag=_action(
            window,
            "&Remove Tag…",
            lambda: window.tagging.open_editor(remove=True),
            "Ctrl+Shift+T",
            "Remove a tag from the selected articles",
        ),
        new_tag=_action(window, "&New Tag…", window.tagging.new_tag, None, "Create a tag"),
        about=_action(window, "&About corpusdesk", window.show_about),
        recent_menu=QMenu("Open &Recent", window),
    )
    for action, label in (
        (actions.import_files, "Import"),
        (actions.export_selection, "Export"),
        (actions.add_tag, "Tag"),
        (actions.trash, "Delete"),
    ):
        action.setIconText(label)
    for number in range(1, QUICK_TAGS + 1):
        quick = QAction(f"Quick tag {number}", window)
        quick.setShortcut(QKeySequence(str(number)))
        quick.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        quick.triggered.connect(lambda _checked=False, n=number: window.tagging.toggle_quick(n))
        quick.setVisible(False)
        window.table.addAction(quick)
        actions.quick_tags.append(quick)
    for tab, text, tip in (
        ("concordance", "&Concordance…", "Every occurrence of a word in context"),
        ("words", "&Word List…", "Words and n-grams with their frequencies"),
        ("keywords", "&Keywords…", "Words characteristic of these articles"),
        ("trends", "&Trends…", "Articles per day, week, month or year"),
    ):
        actions.analysis.append(
            _action(window, text, lambda tab=tab: window.open_analysis(tab), None, tip)
        )
    actions.trash.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
    window.table.addAction(actions.trash)
    return actions


def build_menus(window: MainWindow, actions: Actions) -> None:
    """The menu bar."""
    bar = window.menuBar()
    file_menu = bar.addMenu("&File")
    file_menu.addActions([actions.new_library, actions.open_library])
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
    edit.addAction(actions.reclean)
    edit.addSeparator()
    edit.addActions([actions.find, actions.save_search])
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
    Help(window).fill(help_menu)
    help_menu.addAction(actions.about)


def build_toolbar(window: MainWindow, actions: Actions) -> QToolBar:
    """The toolbar: import, export, tag, delete, undo and redo."""
    toolbar = QToolBar("Main", window)
    toolbar.setObjectName("mainToolbar")
    toolbar.setMovable(False)
    toolbar.setIconSize(QSize(20, 20))
    toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
    for action in (actions.import_files, actions.export_selection, actions.add_tag, actions.trash):
        toolbar.addAction(action)
    toolbar.addSeparator()
    toolbar.addActions([actions.undo, actions.redo])
    window.addToolBar(Qt.ToolBarArea.TopToolBarArea, toolbar)
    return toolbar
