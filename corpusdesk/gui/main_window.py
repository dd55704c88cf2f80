"""The main window: tag pane, articles table and preview in splitters, with menus and status.

The window composes the panes and routes signals between them; library work goes through the
search controller, the editing controller (undoable changes) and the jobs controller (import
and export), all of which run it off the GUI thread. Tag and saved-search management and the
tag editor live in :mod:`corpusdesk.gui.tagging`; this module holds no SQL.
"""

from __future__ import annotations

import gc
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QUndoStack
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from corpusdesk.core.errors import LibraryError, UserError
from corpusdesk.gui import dialogs, settings
from corpusdesk.gui.actions import build_menus, build_toolbar, create_actions
from corpusdesk.gui.editing import Editing
from corpusdesk.gui.icons import app_icon
from corpusdesk.gui.jobs import Jobs
from corpusdesk.gui.library_client import LibraryProcess
from corpusdesk.gui.models.articles_model import ArticlesModel, Column
from corpusdesk.gui.preview_loader import PreviewLoader
from corpusdesk.gui.search import SearchController, SearchRequest, pane_filter
from corpusdesk.gui.tagging import Tagging
from corpusdesk.gui.tasks import TaskRunner
from corpusdesk.gui.transfers import Transfers
from corpusdesk.gui.undo import Change
from corpusdesk.gui.widgets.article_table import ArticleTable
from corpusdesk.gui.widgets.drop import FileDropFilter
from corpusdesk.gui.widgets.filter_bar import FilterBar
from corpusdesk.gui.widgets.import_status import ProgressStatus
from corpusdesk.gui.widgets.preview import PreviewPane
from corpusdesk.gui.widgets.tag_pane import TagPane
from corpusdesk.library.articles import Scope
from corpusdesk.library.backups import list_backups, restore_backup
from corpusdesk.library.library import Library

if TYPE_CHECKING:
    from corpusdesk.gui.analysis.panel import AnalysisPanel

DEFAULT_SIZE = (1280, 800)
DEFAULT_SPLIT = [200, 720, 360]
WATCH_INTERVAL_MS = 2000
"""How often the window looks for changes other programs made to the library."""
JOB_REFRESH_MS = 1500
"""While an import commits batches, the window shows the new articles at most this often."""


def _exempt_long_lived_objects() -> None:
    """Leave what exists once a library is open out of full garbage collections, once.

    Modules, Qt wrappers and the library's engine live as long as the process; a full
    collection walking them takes about 0.1 s on the window's thread, a visible stall.
    """
    if gc.get_freeze_count() == 0:
        gc.freeze()


def library_title(path: Path) -> str:
    """A library's name as the title bar shows it."""
    return path.name.removesuffix(".db").removesuffix(".corpusdesk") or path.name


class MainWindow(QMainWindow):
    """The corpusdesk window over one open library (or none)."""

    library_changed = Signal()

    def __init__(
        self, store: QSettings | None = None, library_process: LibraryProcess | None = None
    ) -> None:
        super().__init__()
        self.setObjectName("mainWindow")
        self.setWindowIcon(app_icon())
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
        self.banner.setStyleSheet(
            "background: #fff4ce; color: #5c4400; padding: 6px 10px;"
            "border-bottom: 1px solid #e8d48b;"
        )
        self.banner.hide()
        self._build_layout()

        self.search = SearchController(
            self.runner, self.table, self.filter_bar, self.search_request, self
        )
        self.editing = Editing(self.runner, self.undo_stack, self)
        self.jobs = Jobs(self.runner, self.progress, self)
        self.previews = PreviewLoader(self.runner, self.preview, self)
        self.tagging = Tagging(self)
        self.transfers = Transfers(self)
        self.actions = create_actions(self)
        build_menus(self, self.actions)
        self.toolbar = build_toolbar(self, self.actions)
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
        self.stats_label = QLabel(self)
        self.stats_label.setObjectName("statsLabel")
        self.statusBar().addWidget(self.status_label, 1)
        self.statusBar().addPermanentWidget(self.progress)
        self.statusBar().addPermanentWidget(self.stats_label)
        self._connect()
        self._restore_state()
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(400)
        self._refresh_timer.timeout.connect(self.refresh_all)
        self._job_refresh_timer = QTimer(self)
        self._job_refresh_timer.setSingleShot(True)
        self._job_refresh_timer.setInterval(JOB_REFRESH_MS)
        self._job_refresh_timer.timeout.connect(self.refresh_all)
        self._seen_version: int | None = None
        self._watch_timer = QTimer(self)
        self._watch_timer.setInterval(WATCH_INTERVAL_MS)
        self._watch_timer.timeout.connect(self._check_outside_changes)
        self._watch_timer.start()
        self.set_library(None)

    # -- composition -------------------------------------------------------------------------

    def _build_layout(self) -> None:
        center = QWidget(self)
        center_layout = QVBoxLayout(center)
        center_layout.setContentsMargins(0, 0, 0, 0)
        center_layout.setSpacing(0)
        center_layout.addWidget(self.filter_bar)
        center_layout.addWidget(self.table, 1)
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

    def _connect(self) -> None:
        self.filter_bar.query_changed.connect(lambda _text: self.search.request())
        self.filter_bar.save_requested.connect(self.tagging.save_search)
        self.tag_pane.selection_changed.connect(self.search.request)
        self.model.sort_requested.connect(lambda *_: self.search.request())
        self.search.finished.connect(self._search_finished)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._current_changed())
        self.model.modelReset.connect(self._current_changed)
        self.editing.changed.connect(self._on_change)
        self.editing.trash_emptied.connect(
            lambda n: self.show_status(f"Deleted {n:,} trashed articles for good")
        )
        self.jobs.committed.connect(self._articles_committed)
        self.jobs.interrupted.connect(self.refresh_all)
        self.jobs.ended.connect(self._job_ended)
        self.drops.paths_dropped.connect(self.transfers.import_paths)
        self.preview.metadata.save_requested.connect(self._save_metadata)
        self.preview.metadata.invalid.connect(lambda text: self.show_user_error(UserError(text)))
        self.table.doubleClicked.connect(lambda _index: self.preview.tabs.setCurrentIndex(0))

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
        for action in self.actions.writing():
            action.setEnabled(not read_only)
        self.actions.export_selection.setEnabled(library is not None)
        self.actions.export_shown.setEnabled(library is not None)
        self.actions.import_reports.setEnabled(library is not None)
        self.preview.metadata.set_read_only(read_only)
        self.drops.enabled = not read_only
        if library is None:
            self.setWindowTitle("corpusdesk")
            self.banner.hide()
        else:
            self.setWindowTitle(f"{library_title(library.path)} — corpusdesk")
            self.banner.setText(
                f"<b>{library.path.name}</b> is open read-only: you can browse, search and "
                "export, but not change it."
            )
            self.banner.setVisible(library.read_only)
            settings.remember_library(self.store, library.path)
        self.tagging.update_recent_menu()
        self.preview.show_detail(None, [], {})
        self._seen_version = None
        self.refresh_all()
        if library is not None:
            _exempt_long_lived_objects()
        self.library_changed.emit()

    def _check_outside_changes(self) -> None:
        """Refresh when another program (say a CLI import) has written to the library."""
        library = self.library
        if library is None or self.jobs.running:
            return
        try:
            version = library.change_counter()
        except UserError:
            return
        if self._seen_version is not None and version != self._seen_version:
            self._refresh_timer.start()
        self._seen_version = version

    def _articles_committed(self, _count: int) -> None:
        """An import committed a batch: show it soon, but not after every batch."""
        if not self._job_refresh_timer.isActive():
            self._job_refresh_timer.start()

    def _job_ended(self) -> None:
        """The job's own refresh shows its changes; watch for other programs' from now on."""
        self._job_refresh_timer.stop()
        self._seen_version = None
        self._check_outside_changes()

    def open_library_path(self, path: Path) -> bool:
        """Open the library at ``path``; on failure offer to choose another. True if opened."""
        if self.jobs.running:
            self.show_user_error(
                UserError("an import or export is running; wait for it or cancel it first")
            )
            return False
        try:
            library = self.library_process.open(path)
        except LibraryError as error:
            return self._library_not_opened(path, error)
        except UserError as error:
            self.show_user_error(error)
            return False
        self.set_library(library)
        return True

    def _library_not_opened(self, path: Path, error: LibraryError) -> bool:
        """Offer another library, or the automatic backup when there is one."""
        backups = list_backups(path) if path.exists() else []
        choice = dialogs.ask_other_library(self, path, str(error), backups[0] if backups else None)
        if choice == "restore":
            try:
                kept = restore_backup(path, backups[0])
            except LibraryError as restore_error:
                self.show_user_error(restore_error)
                return False
            if kept is not None:
                self.show_status(f"Backup restored; the damaged file was kept as {kept.name}")
            return self.open_library_path(path)
        if choice == "other":
            self.choose_library()
        return False

    def new_library(self) -> None:
        """Create a library where the user says and open it."""
        path = dialogs.ask_library_path(self, settings.folder(self.store, "libraries"), new=True)
        if path is not None:
            settings.remember_folder(self.store, "libraries", path)
            self.open_library_path(path)

    def choose_library(self) -> None:
        """Ask for a library file and open it."""
        path = dialogs.ask_library_path(self, settings.folder(self.store, "libraries"), new=False)
        if path is not None:
            settings.remember_folder(self.store, "libraries", path)
            self.open_library_path(path)

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
        self._current_changed()
        if self._tags_after_search:
            self._tags_after_search = False
            self.tagging.reload()

    def _current_changed(self) -> None:
        current = self.table.current_id()
        self.previews.load(current, self.search.terms, self.model.tag_colors)

    # -- selection helpers -------------------------------------------------------------------

    def selected_ids(self) -> list[int]:
        """The selected articles."""
        return self.table.selected_ids()

    def show_status(self, text: str) -> None:
        """A message in the status bar."""
        self.status_label.setText(text)

    def focus_filter(self) -> None:
        """Ctrl+F: put the cursor in the filter bar."""
        self.filter_bar.focus()

    # -- editing -------------------------------------------------------------------------------

    def _save_metadata(self, article_id: int, changes: dict[str, object]) -> None:
        self.guarded(lambda: self.editing.update_metadata(article_id, changes))

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
        dialogs.show_about(self)

    # -- errors ----------------------------------------------------------------------------------

    def guarded(self, action: object) -> None:
        """Run a GUI action, showing a ``UserError`` it raises as a message."""
        try:
            action()  # type: ignore[operator]
        except UserError as error:
            self.show_user_error(error)

    def show_user_error(self, error: UserError) -> None:
        """A message the user can act on."""
        dialogs.show_error(self, "corpusdesk", str(error))

    def handle_failure(self, error: BaseException, details: str) -> None:
        """Background failures: a message for a ``UserError``, the crash dialog otherwise."""
        if isinstance(error, UserError):
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
        store = self.store
        geometry = store.value("window/geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:
            self.resize(*DEFAULT_SIZE)
        split = store.value("window/splitter")
        if not (isinstance(split, QByteArray) and self.splitter.restoreState(split)):
            self.splitter.setSizes(DEFAULT_SPLIT)
        header_state = store.value("table/header")
        header = self.table.horizontalHeader()
        if isinstance(header_state, QByteArray) and header.restoreState(header_state):
            column = header.sortIndicatorSection()
            if 0 <= column < len(Column):
                self.model.sort_column = Column(column)
                self.model.sort_order = header.sortIndicatorOrder()
        self.tag_pane.set_use_or(str(store.value("tags/combine", "and")) == "or")

    def save_state(self) -> None:
        """Remember geometry, splitter, columns, sort and the AND/OR choice."""
        store = self.store
        store.setValue("window/geometry", self.saveGeometry())
        store.setValue("window/splitter", self.splitter.saveState())
        store.setValue("table/header", self.table.horizontalHeader().saveState())
        store.setValue("tags/combine", "or" if self.tag_pane.use_or() else "and")
        store.sync()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        self.save_state()
        self.jobs.stop()
        self._watch_timer.stop()
        self._refresh_timer.stop()
        self._job_refresh_timer.stop()
        if self.analysis_panel is not None:
            self.analysis_panel.shutdown()
        self.runner.shutdown()
        if self.library is not None:
            self.library.close()
            self.library = None
        self.library_process.stop()
        event.accept()
