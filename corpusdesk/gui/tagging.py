"""Tags in the window: the tag pane's content, the tag editor, quick tags and tag management.

Reloading reads counts, tags and saved searches in the background and refreshes the pane and
the tag chips' colours, then reports the content by signal (the window names the quick-tag
actions and the status bar's counts after it; keys 1–9 toggle the first nine tags). Dialog
answers turn into undoable changes through :class:`~corpusdesk.gui.editing.Editing`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from corpusdesk.core.errors import QueryError, UserError
from corpusdesk.core.query import parse
from corpusdesk.core.records import SavedSearch, TagInfo
from corpusdesk.core.tagnames import fold_tag_name
from corpusdesk.gui import dialogs
from corpusdesk.gui.editing import Editing
from corpusdesk.gui.models.articles_model import ArticlesModel
from corpusdesk.gui.models.tags_model import Group, PaneCounts, PaneEntry
from corpusdesk.gui.tasks import Pool, TaskRunner
from corpusdesk.gui.widgets.tag_editor import TagEditor
from corpusdesk.gui.widgets.tag_pane import TagPane
from corpusdesk.library.articles import Scope
from corpusdesk.library.library import Library


class TaggingHost(Protocol):
    """What the tag features need from the window."""

    @property
    def library(self) -> Library | None: ...

    def selected_ids(self) -> list[int]: ...
    def show_status(self, text: str) -> None: ...
    def guarded(self, action: Callable[[], object]) -> None: ...
    def show_user_error(self, error: UserError) -> None: ...


@dataclass(frozen=True, slots=True)
class PaneContent:
    """What the tag pane shows, read in one go."""

    counts: PaneCounts
    tags: list[TagInfo]
    searches: list[SavedSearch]


def read_pane(library: Library) -> PaneContent:
    """Counts, tags and saved searches (on a worker thread)."""
    counts = PaneCounts(
        all=library.count(""),
        untagged=library.count("is:untagged"),
        duplicates=library.count("is:duplicate"),
        trash=library.count("", scope=Scope.TRASH),
    )
    return PaneContent(counts, library.tags(), library.saved_searches())


class Tagging(QObject):
    """The window's tag features."""

    shown = Signal(object)
    """The pane shows new content (a :class:`PaneContent`)."""

    def __init__(
        self,
        host: TaggingHost,
        parent: QWidget,
        runner: TaskRunner,
        editing: Editing,
        pane: TagPane,
        model: ArticlesModel,
    ) -> None:
        super().__init__(parent)
        self.host = host
        self.parent_widget = parent
        self.runner = runner
        self.editing = editing
        self.pane = pane
        self.model = model
        self.editor: TagEditor | None = None
        self._generation = 0
        pane.new_tag_requested.connect(self.new_tag)
        pane.rename_requested.connect(self.rename)
        pane.model.rename_requested.connect(self.rename_to)
        pane.delete_requested.connect(self.delete)
        pane.color_requested.connect(self.color)
        pane.edit_search_requested.connect(self.edit_search)
        pane.delete_search_requested.connect(self.delete_search)
        pane.model.tag_drop.connect(self.tag_dropped)

    def tag_names(self) -> list[str]:
        """The tags, in the pane's order."""
        return [entry.name for entry in self.pane.model.entries(Group.TAGS)]

    # -- reloading ------------------------------------------------------------------------------

    def reload(self) -> None:
        """Read the pane's content again."""
        self._generation += 1
        generation = self._generation
        library = self.host.library
        if library is None:
            self._show(PaneContent(PaneCounts(), [], []))
            return

        def succeeded(content: object) -> None:
            if generation == self._generation:
                assert isinstance(content, PaneContent)
                self._show(content)

        self.runner.submit(lambda: read_pane(library), succeeded, pool=Pool.READ)

    def _show(self, content: PaneContent) -> None:
        self.pane.set_content(content.counts, content.tags, content.searches)
        self.model.set_tag_colors({t.name: t.color for t in content.tags})
        self.shown.emit(content)

    # -- tagging articles -----------------------------------------------------------------------

    def open_editor(self, *, remove: bool) -> None:
        """The tag editor for the selection (non-blocking; applies when accepted)."""
        host, editing = self.host, self.editing
        ids = host.selected_ids()
        if not ids:
            host.show_status("Select articles to tag first")
            return
        if host.library is None or host.library.read_only:
            return
        self.editor = TagEditor(
            self.tag_names(), len(ids), remove=remove, parent=self.parent_widget
        )

        def accepted() -> None:
            editor = self.editor
            if editor is None:
                return
            name = editor.name()
            if remove:
                host.guarded(lambda: editing.remove_tag(ids, name))
            else:
                host.guarded(lambda: editing.add_tag(ids, name))

        self.editor.accepted.connect(accepted)
        self.editor.open()

    def toggle_quick(self, number: int) -> None:
        """Toggle the ``number``-th tag (1-based) on the selection."""
        names = self.tag_names()
        ids = self.host.selected_ids()
        if 1 <= number <= len(names) and ids:
            self.host.guarded(lambda: self.editing.toggle_tag(ids, names[number - 1]))

    def tag_dropped(self, name: str, ids: list[int]) -> None:
        """Articles dragged from the table onto a tag."""
        self.host.guarded(lambda: self.editing.add_tag(ids, name))

    # -- managing tags --------------------------------------------------------------------------

    def new_tag(self) -> None:
        """Ask for a name and create the tag."""
        name = dialogs.ask_text(self.parent_widget, "New Tag", "Name of the new tag:")
        if name:
            self.host.guarded(lambda: self.editing.create_tag(name))

    def rename(self, old: str) -> None:
        """Ask for a new name for ``old``."""
        new = dialogs.ask_text(self.parent_widget, "Rename Tag", f"New name for “{old}”:", old)
        if new:
            self.rename_to(old, new)

    def rename_to(self, old: str, new: str) -> None:
        """Rename ``old``; when ``new`` exists already, merge after asking."""
        existing = {fold_tag_name(name): name for name in self.tag_names()}
        target = existing.get(fold_tag_name(new))
        if target is not None and fold_tag_name(target) != fold_tag_name(old):
            question = (
                f"A tag called “{target}” exists already. Merge “{old}” into it? Every article "
                f"tagged “{old}” will be tagged “{target}” and “{old}” will disappear."
            )
            if not dialogs.confirm(self.parent_widget, "Merge Tags", question, "Merge"):
                return
        self.host.guarded(lambda: self.editing.rename_tag(old, new))

    def delete(self, name: str) -> None:
        """Delete a tag after asking."""
        question = f"Remove the tag “{name}” from every article and delete it? You can undo this."
        if dialogs.confirm(self.parent_widget, "Delete Tag", question, "Delete Tag"):
            self.host.guarded(lambda: self.editing.delete_tag(name))

    def color(self, name: str) -> None:
        """Choose a colour for a tag."""
        current = self.model.tag_colors.get(name)
        chosen = dialogs.ask_color(self.parent_widget, current)
        if chosen:
            self.host.guarded(lambda: self.editing.set_tag_color(name, chosen))

    # -- saved searches --------------------------------------------------------------------------

    def save_search(self, query: str) -> None:
        """Save the filter text as a named search."""
        if not query:
            self.host.show_user_error(UserError("type a query in the filter bar first"))
            return
        name = dialogs.ask_text(self.parent_widget, "Save Search", "Name of the saved search:")
        if name:
            self.host.guarded(lambda: self.editing.save_search(name, query))

    def edit_search(self, entry: PaneEntry) -> None:
        """Change a saved search's query."""
        query = dialogs.ask_text(
            self.parent_widget, "Edit Saved Search", f"Query of “{entry.name}”:", entry.query
        )
        if query:
            try:
                parse(query)
            except QueryError as error:
                self.host.show_user_error(error)
                return
            self.host.guarded(lambda: self.editing.save_search(entry.name, query))

    def delete_search(self, entry: PaneEntry) -> None:
        """Forget a saved search."""
        if entry.search_id is not None:
            search = SavedSearch(entry.search_id, entry.name, entry.query)
            self.host.guarded(lambda: self.editing.delete_search(search))
