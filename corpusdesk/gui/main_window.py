"""The main window: tag pane, articles table and preview in splitters, with menus and status.

The window composes the panes and routes signals between them; library work goes through the
search controller, the editing controller (undoable changes) and the jobs controller (import
and export), all of which run it off the GUI thread. Tag and saved-search management and the
tag editor live in :mod:`corpusdesk.gui.tagging`, file dialogs and reports in
:mod:`corpusdesk.gui.transfers`, opening libraries in :mod:`corpusdesk.gui.libraries`, the
actions and menus in :mod:`corpusdesk.gui.actions`; each is given the window as the few
methods it calls (a Protocol), so none of them imports this module. This module holds no SQL.
"""

from __future__ import annotations

import gc
import html
from collections.abc import Callable
from itertools import pairwise
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QModelIndex, QPoint, QSettings, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QUndoStack
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from corpusdesk.core.errors import UserError
from corpusdesk.core.locations import LibraryLocation
from corpusdesk.core.wording import plural
from corpusdesk.gui import dialogs, icons, settings, theme, window_state
from corpusdesk.gui.actions import (
    ICON_PROPERTY,
    build_menus,
    build_toolbar,
    create_actions,
    follow_undo_stack,
)
from corpusdesk.gui.editing import Editing
from corpusdesk.gui.help import Help
from corpusdesk.gui.jobs import Jobs
from corpusdesk.gui.libraries import Libraries
from corpusdesk.gui.library_client import LibraryProcess
from corpusdesk.gui.models.articles_model import ArticlesModel, Column
from corpusdesk.gui.preview_loader import PreviewLoader
from corpusdesk.gui.search import SearchController, SearchRequest, pane_filter
from corpusdesk.gui.tagging import PaneContent, Tagging
from corpusdesk.gui.tasks import TaskRunner
from corpusdesk.gui.transfers import Transfers
from corpusdesk.gui.undo import Change
from corpusdesk.gui.watcher import ChangeWatcher
from corpusdesk.gui.widgets.article_table import ArticleTable
from corpusdesk.gui.widgets.copies import CopiesDialog
from corpusdesk.gui.widgets.drop import FileDropFilter
from corpusdesk.gui.widgets.filter_bar import FilterBar
from corpusdesk.gui.widgets.import_status import ProgressStatus
from corpusdesk.gui.widgets.legend import CopiesLegend
from corpusdesk.gui.widgets.preview import PreviewPane
from corpusdesk.gui.widgets.tag_pane import TagPane
from corpusdesk.library.articles import Scope
from corpusdesk.library.library import EditConflict, Library

if TYPE_CHECKING:
    from corpusdesk.gui.analysis.panel import AnalysisPanel


def _exempt_long_lived_objects() -> None:
    """Leave what exists once a library is open out of full garbage collections, once.

    Modules, Qt wrappers and the library's engine live as long as the process; a full
    collection walking them takes about 0.1 s on the window's thread, a visible stall.
    """
    if gc.get_freeze_count() == 0:
        gc.freeze()


def library_title(library: Library) -> str:
    """A library's name as the title bar shows it: the file's name without its suffixes, or
    the team library's database and server."""
    if not library.is_file:
        return library.title
    name = library.path.name
    return name.removesuffix(".db").removesuffix(".corpusdesk") or name


class MainWindow(QMainWindow):
    """The corpusdesk window over one open library (or none)."""

    library_changed = Signal()

    def __init__(
        self, store: QSettings | None = None, library_process: LibraryProcess | None = None
    ) -> None:
        super().__init__()
        self.setObjectName("mainWindow")
        self.setWindowIcon(icons.app_icon())
        self.store = store if store is not None else settings.settings()
        # The window holds no connection to its library: see corpusdesk.gui.library_child.
        self.library_process = library_process or LibraryProcess()
        self.library: Library | None = None
        self.runner = TaskRunner(self.handle_failure, self)
        self.undo_stack = QUndoStack(self)
        self.model = ArticlesModel(self)
        self._crash_dialogs: list[QWidget] = []
        self.analysis_panel: AnalysisPanel | None = None
        self._tags_after_search = False

        self.tag_pane = TagPane(self)
        self.filter_bar = FilterBar(self)
        self.table = ArticleTable(self.model, self)
        self.preview = PreviewPane(self)
        self.progress = ProgressStatus(self)
        self.banner = QLabel(self)
        self.banner.setObjectName("readOnlyBanner")
        self.banner.setContentsMargins(10, 6, 10, 6)
        self.banner.hide()
        self.legend = CopiesLegend(self)
        self._build_layout()

        self.search = SearchController(
            self.runner, self.table, self.filter_bar, self.search_request, self
        )
        self.editing = Editing(self.runner, self.undo_stack, self)
        self.jobs = Jobs(self.runner, self.progress, self)
        self.previews = PreviewLoader(self.runner, self.preview, self)
        self.tagging = Tagging(self, self, self.runner, self.editing, self.tag_pane, self.model)
        self.transfers = Transfers(self, self, self.jobs, self.runner, self.store)
        self.copies_dialog: CopiesDialog | None = None
        self.menu_actions = create_actions(self, self)
        self.help = Help(self, self)
        build_menus(self, self.menu_actions, self.help.fill)
        follow_undo_stack(self.menu_actions, self.undo_stack)
        self.table.addActions(self.menu_actions.quick_tags)
        self.table.addAction(self.menu_actions.trash)
        self.toolbar = build_toolbar(self, self.menu_actions)
        self.libraries = Libraries(
            self,
            self,
            self.library_process,
            self.jobs,
            self.store,
            self.menu_actions.recent_menu,
        )
        self.drops = FileDropFilter(self)
        for widget in (
            self,
            self.table.viewport(),
            self.tag_pane.tree.viewport(),
            self.preview,
            self.preview.browser.viewport(),
        ):
            self.drops.watch(widget)
        self.status_label = QLabel(self)
        self.status_label.setObjectName("statusLabel")
        self.status_label.setAccessibleName("Status")
        self.stats_label = QLabel(self)
        self.stats_label.setObjectName("statsLabel")
        self.stats_label.setAccessibleName("Library contents")
        self.statusBar().addWidget(self.status_label, 1)
        self.statusBar().addPermanentWidget(self.progress)
        self.statusBar().addPermanentWidget(self.stats_label)
        self._connect()
        self._restore_state()
        self.watcher = ChangeWatcher(self.jobs, self.refresh_all, self)
        self._restyle()
        self.set_library(None)

    # -- composition -------------------------------------------------------------------------

    def _build_layout(self) -> None:
        center = QWidget(self)
        center_layout = QVBoxLayout(center)
        center_layout.setContentsMargins(0, 0, 0, 0)
        center_layout.setSpacing(0)
        center_layout.addWidget(self.filter_bar)
        center_layout.addWidget(self.table, 1)
        center_layout.addWidget(self.legend)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.addWidget(self.tag_pane)
        self.splitter.addWidget(center)
        self.splitter.addWidget(self.preview)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setChildrenCollapsible(False)
        body = QWidget(self)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.banner)
        layout.addWidget(self.splitter, 1)
        self.setCentralWidget(body)
        # Tab goes through the panes from left to right, each control of a pane in turn.
        pane = self.tag_pane
        order = [
            pane.tree,
            pane.and_button,
            pane.or_button,
            pane.new_button,
            self.filter_bar.edit,
            self.filter_bar.save_button,
            self.table,
            self.preview.tabs,
            self.preview.browser,
        ]
        for before, after in pairwise(order):
            self.setTabOrder(before, after)

    def _restyle(self) -> None:
        """Colours and icons from the palette, light or dark."""
        palette = self.palette()
        self.banner.setStyleSheet(theme.banner_style(palette, "readOnlyBanner", "warning"))
        dark_changed = icons.set_dark(theme.is_dark(palette))
        self.legend.restyle(palette)
        if dark_changed:
            for action in self.findChildren(QAction):
                name = action.property(ICON_PROPERTY)
                if isinstance(name, str):
                    action.setIcon(icons.icon(name))
            self.table.viewport().update()
            self.tag_pane.tree.viewport().update()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if event.type() == QEvent.Type.PaletteChange:
            self._restyle()
        super().changeEvent(event)

    def _connect(self) -> None:
        self.filter_bar.query_changed.connect(lambda _text: self.search.request())
        self.filter_bar.save_requested.connect(self.tagging.save_search)
        self.tag_pane.selection_changed.connect(self.search.request)
        self.model.sort_requested.connect(lambda *_: self.search.request())
        self.search.finished.connect(self._search_finished)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._current_changed())
        self.model.modelReset.connect(self._current_changed)
        self.editing.changed.connect(self._on_change)
        self.editing.replayed.connect(self._replayed)
        self.editing.trash_emptied.connect(
            lambda n: self.show_status(f"Deleted {plural(n, 'trashed article')} for good")
        )
        self.tagging.shown.connect(self._pane_shown)
        self.table.context_menu_requested.connect(self._article_menu)
        self.jobs.interrupted.connect(self.refresh_all)
        self.drops.paths_dropped.connect(self.transfers.import_paths)
        self.preview.metadata.save_requested.connect(self._save_metadata)
        self.preview.metadata.invalid.connect(lambda text: self.show_user_error(UserError(text)))
        self.table.doubleClicked.connect(self._double_clicked)

    # -- the open library --------------------------------------------------------------------

    def set_library(self, library: Library | None) -> None:
        """Show ``library`` (None: no library), closing the one shown before."""
        old = self.library
        if old is not None and old is not library:
            self.runner.wait()
            old.close()
        self.library = library
        self.search.library = library
        self.editing.library = library
        self.previews.library = library
        self.undo_stack.clear()
        self.model.set_fetcher(library.rows if library is not None else None)
        read_only = library is None or library.read_only
        actions = self.menu_actions
        for action in actions.writing():
            action.setEnabled(not read_only)
        for action in (
            actions.export_selection,
            actions.export_shown,
            actions.import_reports,
            actions.compare_copies,
        ):
            action.setEnabled(library is not None)
        self.preview.metadata.set_read_only(read_only)
        self.drops.enabled = not read_only
        if library is None:
            self.setWindowTitle("corpusdesk")
            self.banner.hide()
        else:
            self.setWindowTitle(f"{library_title(library)} — corpusdesk")
            why = "" if library.is_file else " (your role on the server may only read)"
            self.banner.setText(
                f"<b>{html.escape(library.title)}</b> is open read-only{why}: you can browse, "
                "search and export, but not change it."
            )
            self.banner.setVisible(library.read_only)
            settings.remember_library(self.store, library.location)
        self.libraries.update_recent_menu()
        if self.copies_dialog is not None:
            self.copies_dialog.close()
        self.preview.show_detail(None, [], {})
        self.watcher.watch(library)
        self.refresh_all()
        if library is not None:
            _exempt_long_lived_objects()
        self.library_changed.emit()

    def open_library_path(self, location: LibraryLocation) -> bool:
        """Open the library file or team library at ``location``; on failure offer to choose
        another. True if opened."""
        return self.libraries.open_location(location)

    def connect_team_library(self) -> None:
        """File → Connect to Team Library…"""
        self.libraries.connect_team()

    def new_library(self) -> None:
        """File → New Library…"""
        self.libraries.create()

    def choose_library(self) -> None:
        """File → Open Library…"""
        self.libraries.choose()

    # -- refreshing ------------------------------------------------------------------------------

    def search_request(self) -> SearchRequest:
        """What the table should show now."""
        pane_query, scope = pane_filter(self.tag_pane.selected_entries(), self.tag_pane.use_or())
        return SearchRequest(
            pane_query,
            self.filter_bar.text(),
            scope,
            self.model.sort_key(),
            self.model.descending(),
        )

    def refresh_all(self) -> None:
        """Search again, then reload the tag pane.

        One after the other, so that what runs on the worker thread while the table repaints is
        the pane's few small queries, not the search, whose Python work would hold it up.
        """
        self._tags_after_search = True
        self.search.request()

    def _pane_shown(self, content: PaneContent) -> None:
        """The tag pane was refreshed: name the quick tags and count what the library holds."""
        for number, action in enumerate(self.menu_actions.quick_tags, start=1):
            name = content.tags[number - 1].name if number <= len(content.tags) else None
            action.setVisible(name is not None)
            action.setEnabled(name is not None and self.library is not None)
            if name is not None:
                action.setText(f"Toggle “{name}”")
                action.setData(name)
        counts = content.counts
        self.stats_label.setText(
            f"{plural(counts.all, 'article')} · {plural(len(content.tags), 'tag')} · "
            f"{counts.trash:,} in trash"
            if self.library is not None
            else ""
        )
        self.legend.setVisible(self.library is not None and counts.duplicates > 0)

    def _replayed(self, description: str, change: Change) -> None:
        """After an undo or redo, say what it changed, and where when it is out of sight."""
        text = description
        if change.ids:
            shown = self.table.visible_ids()
            if not shown.intersection(change.ids):
                text += f" ({plural(len(change.ids), 'article')}, none of them in view)"
        self.show_status(text)

    def _on_change(self, change: Change) -> None:
        self.model.refresh(change.ids)
        if change.tags:
            self.tagging.reload()
        if change.membership:
            self.search.request()
        current = self.table.current_id()
        if current is not None and (change.ids is None or current in change.ids):
            self.previews.load(current, self.search.terms, self.model.tag_colors)

    def _search_finished(self) -> None:
        result = self.search.last
        notice = self.table.notice
        if result is None or self.library is None:
            notice.show_text("No library is open", "Use File → Open Library… or New Library…")
        elif result.ids:
            notice.hide()
        elif result.request.scope is Scope.TRASH:
            notice.show_text("The trash is empty", "Deleted articles wait here until you empty it.")
        elif result.total == 0:
            notice.show_text(
                "Drop HTML files or folders here",
                "or use File → Import Files… (Ctrl+O) to add saved news pages to the library",
            )
        else:
            notice.show_text("No articles match", "Change the filter or pick another tag.")
        if not self.table.results_mode and self.model.sort_column == Column.HITS:
            # Relevance ranks the filter's words; without any, dates order the table again.
            self.table.sortByColumn(Column.DATE, Qt.SortOrder.DescendingOrder)
        self._current_changed()
        if self._tags_after_search:
            self._tags_after_search = False
            self.tagging.reload()

    def _current_changed(self) -> None:
        current = self.table.current_id()
        self.previews.load(current, self.search.terms, self.model.tag_colors)
        if self.copies_dialog is not None and self.copies_dialog.isVisible():
            self.copies_dialog.follow(current)

    # -- selection helpers -------------------------------------------------------------------

    def selected_ids(self) -> list[int]:
        """The selected articles."""
        return self.table.selected_ids()

    def shown_ids(self) -> list[int]:
        """Every article in the table, in its order."""
        return self.model.ids()

    def _article_menu(self, position: QPoint) -> None:
        self.menu_actions.article_menu(self).exec(position)

    def _double_clicked(self, index: QModelIndex) -> None:
        if index.column() == Column.COPIES and index.data():
            self.compare_copies()
        else:
            self.preview.tabs.setCurrentIndex(0)

    # -- slots of the actions ----------------------------------------------------------------

    def import_files(self) -> None:
        """File → Import Files…"""
        self.transfers.import_files()

    def import_folder(self) -> None:
        """File → Import Folder…"""
        self.transfers.import_folder()

    def show_import_runs(self) -> None:
        """File → Import Reports…"""
        self.transfers.show_import_runs()

    def export_selection(self) -> None:
        """File → Export Selection…"""
        self.transfers.export_selection()

    def export_shown(self) -> None:
        """File → Export All Shown…"""
        self.transfers.export_shown()

    def reclean_selection(self) -> None:
        """Edit → Re-clean Selected Articles."""
        self.transfers.reclean_selection()

    def undo_library(self) -> None:
        """Edit → Undo in Library, wherever the keyboard focus is."""
        self.editing.undo()

    def redo_library(self) -> None:
        """Edit → Redo in Library."""
        self.editing.redo()

    def save_filter_as_search(self) -> None:
        """Edit → Save Search…"""
        self.tagging.save_search(self.filter_bar.text())

    def add_tag_to_selection(self) -> None:
        """Tags → Add Tag…"""
        self.tagging.open_editor(remove=False)

    def remove_tag_from_selection(self) -> None:
        """Tags → Remove Tag…"""
        self.tagging.open_editor(remove=True)

    def new_tag(self) -> None:
        """Tags → New Tag…"""
        self.tagging.new_tag()

    def toggle_quick_tag(self, number: int) -> None:
        """Keys 1–9: toggle that tag on the selection."""
        self.tagging.toggle_quick(number)

    def sort_by_relevance(self) -> None:
        """Edit → Sort by Relevance: best matches of the filter's words first."""
        if self.model.snippet_query is None:
            self.show_status("Type words in the filter first: relevance ranks their matches")
            return
        self.table.sortByColumn(Column.HITS, Qt.SortOrder.DescendingOrder)

    def compare_copies(self) -> None:
        """Edit → Compare Copies…: the current article's copies, two of them side by side."""
        library = self.library
        current = self.table.current_id()
        if library is None:
            return
        if current is None:
            self.show_status("Select an article to compare its copies")
            return
        if self.copies_dialog is None:
            self.copies_dialog = CopiesDialog(self.runner, self)
            self.copies_dialog.open_article.connect(self.reveal_article)
        self.copies_dialog.library = library
        self.copies_dialog.follow(current)
        if self.copies_dialog.isVisible():
            self.copies_dialog.raise_()
        else:
            self.copies_dialog.show()

    def reveal_article(self, article_id: int) -> None:
        """Make ``article_id`` the current row, if the table shows it."""
        row = self.model.row_of(article_id)
        if row is None:
            self.show_status(f"Article #{article_id} is not among the articles shown")
            return
        self.table.selectRow(row)
        self.table.scrollTo(self.model.index(row, 0))

    def show_status(self, text: str) -> None:
        """A message in the status bar."""
        self.status_label.setText(text)

    def focus_filter(self) -> None:
        """Ctrl+F: put the cursor in the filter bar."""
        self.filter_bar.focus()

    # -- editing -------------------------------------------------------------------------------

    def _save_metadata(
        self, article_id: int, changes: dict[str, object], shown: dict[str, object]
    ) -> None:
        self.guarded(lambda: self.editing.update_metadata(article_id, changes, shown))

    def trash_selected(self) -> None:
        """Delete: move the selection to the trash (or, in the trash, do nothing)."""
        if self.search_request().scope is Scope.TRASH:
            self.show_status("These articles are already in the trash; use Restore or Empty Trash")
            return
        self.guarded(lambda: self.editing.trash(self.selected_ids()))

    def restore_selected(self) -> None:
        """Bring the selected trashed articles back."""
        self.guarded(lambda: self.editing.restore(self.selected_ids()))

    def empty_trash(self) -> None:
        """Delete the trash for good, after asking."""
        if dialogs.confirm(
            self,
            "Empty Trash",
            "Delete every article in the trash for good? This cannot be undone.",
            "Empty Trash",
        ):
            self.guarded(self.editing.empty_trash)

    def open_analysis(self, tab: str = "concordance") -> None:
        """The Analysis menu: the analysis panel over the table's articles, on ``tab``."""
        from corpusdesk.gui.analysis.panel import AnalysisPanel  # Qt Charts loads when needed

        if self.analysis_panel is None:
            self.analysis_panel = AnalysisPanel(self)
        self.analysis_panel.open(tab)

    def show_about(self) -> None:
        """Help → About."""
        dialogs.show_about(self, self.library.location if self.library is not None else None)

    # -- errors ----------------------------------------------------------------------------------

    def guarded(self, action: Callable[[], object]) -> None:
        """Run a GUI action, showing a ``UserError`` it raises as a message."""
        try:
            action()
        except UserError as error:
            self.show_user_error(error)

    def show_user_error(self, error: UserError) -> None:
        """A message the user can act on."""
        dialogs.show_error(self, "corpusdesk", str(error))

    def handle_failure(self, error: BaseException, details: str) -> None:
        """Background failures: a message for a ``UserError``, the crash dialog otherwise."""
        if isinstance(error, EditConflict):
            # Someone else saved the article meanwhile: show what they saved.
            self.show_user_error(error)
            self.preview.metadata.reset()  # the typing was based on values now gone
            self.model.refresh(None)
            self._current_changed()
        elif isinstance(error, UserError):
            self.show_user_error(error)
        else:
            self.show_crash(f"{type(error).__name__}: {error}", details)

    def show_crash(self, summary: str, details: str) -> None:
        """The crash dialog, non-modal; the window keeps working."""
        dialog = dialogs.CrashDialog(summary, details, self)
        dialog.finished.connect(lambda _r: self._crash_dialogs.remove(dialog))
        self._crash_dialogs.append(dialog)
        dialog.show()

    # -- state -----------------------------------------------------------------------------------

    def _restore_state(self) -> None:
        window_state.restore(self.store, self, self.splitter, self.table, self.tag_pane)

    def save_state(self) -> None:
        """Remember geometry, splitter, columns, sort and the AND/OR choice."""
        window_state.save(self.store, self, self.splitter, self.table, self.tag_pane)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        self.save_state()
        if self.copies_dialog is not None:
            self.copies_dialog.close()
        self.jobs.stop()
        self.watcher.stop()
        if self.analysis_panel is not None:
            self.analysis_panel.shutdown()
        self.runner.shutdown()
        self.libraries.shutdown()
        if self.library is not None:
            self.library.close()
            self.library = None
        self.library_process.stop()
        event.accept()
