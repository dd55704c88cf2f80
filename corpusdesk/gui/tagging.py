"""Tags in the window: the tag pane's content, the tag editor, quick tags and tag management.

Reloading reads counts, tags and saved searches in the background and refreshes the pane, the
tag chips' colours and the quick-tag actions (keys 1–9 toggle the first nine tags). Dialog
answers turn into undoable changes through :class:`~corpusdesk.gui.editing.Editing`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from corpusdesk.core.errors import QueryError, UserError
from corpusdesk.core.query import parse
from corpusdesk.core.records import SavedSearch, TagInfo
from corpusdesk.core.tagnames import fold_tag_name
from corpusdesk.gui import dialogs, settings
from corpusdesk.gui.models.tags_model import Group, PaneCounts, PaneEntry
from corpusdesk.gui.tasks import Pool
from corpusdesk.gui.widgets.tag_editor import TagEditor
from corpusdesk.library.articles import Scope
from corpusdesk.library.library import Library

if TYPE_CHECKING:
    from corpusdesk.gui.main_window import MainWindow


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

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.editor: TagEditor | None = None
        self._generation = 0
        pane = window.tag_pane
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
        return [entry.name for entry in self.window.tag_pane.model.entries(Group.TAGS)]

    # -- reloading ------------------------------------------------------------------------------

    def reload(self) -> None:
        """Read the pane's content again."""
        self._generation += 1
        generation = self._generation
        library = self.window.library
        if library is None:
            self._show(PaneContent(PaneCounts(), [], []))
            return

        def succeeded(content: object) -> None:
            if generation == self._generation:
                assert isinstance(content, PaneContent)
                self._show(content)

        self.window.runner.submit(lambda: read_pane(library), succeeded, pool=Pool.READ)

    def _show(self, content: PaneContent) -> None:
        window = self.window
        window.tag_pane.set_content(content.counts, content.tags, content.searches)
        window.model.set_tag_colors({t.name: t.color for t in content.tags})
        for number, action in enumerate(window.actions.quick_tags, start=1):
            name = content.tags[number - 1].name if number <= len(content.tags) else None
            action.setVisible(name is not None)
            action.setEnabled(name is not None and window.library is not None)
            if name is not None:
                action.setText(f"Toggle “{name}”")
                action.setData(name)
        counts = content.counts
        window.stats_label.setText(
            f"{_count(counts.all, 'article')} · {_count(len(content.tags), 'tag')} · "
            f"{counts.trash:,} in trash"
            if window.library is not None
            else ""
        )

    def update_recent_menu(self) -> None:
        """File → Open Recent."""
        window = self.window
        menu = window.actions.recent_menu
        menu.clear()
        current = window.library.path if window.library is not None else None
        for path in settings.recent_libraries(window.store):
            action = menu.addAction(str(path), partial(window.open_library_path, path))
            action.setEnabled(path != current)
        menu.setEnabled(not menu.isEmpty())

    # -- tagging articles -----------------------------------------------------------------------

    def open_editor(self, *, remove: bool) -> None:
        """The tag editor for the selection (non-blocking; applies when accepted)."""
        window = self.window
        ids = window.selected_ids()
        if not ids:
            window.show_status("Select articles to tag first")
            return
        if window.library is None or window.library.read_only:
            return
        self.editor = TagEditor(self.tag_names(), len(ids), remove=remove, parent=window)

        def accepted() -> None:
            editor = self.editor
            if editor is None:
                return
            name = editor.name()
            if remove:
                window.guarded(lambda: window.editing.remove_tag(ids, name))
            else:
                window.guarded(lambda: window.editing.add_tag(ids, name))

        self.editor.accepted.connect(accepted)
        self.editor.open()

    def toggle_quick(self, number: int) -> None:
        """Toggle the ``number``-th tag (1-based) on the selection."""
        names = self.tag_names()
        ids = self.window.selected_ids()
        if 1 <= number <= len(names) and ids:
            self.window.guarded(lambda: self.window.editing.toggle_tag(ids, names[number - 1]))

    def tag_dropped(self, name: str, ids: list[int]) -> None:
        """Articles dragged from the table onto a tag."""
        self.window.guarded(lambda: self.window.editing.add_tag(ids, name))

    # -- managing tags --------------------------------------------------------------------------

    def new_tag(self) -> None:
        """Ask for a name and create the tag."""
        name = dialogs.ask_text(self.window, "New Tag", "Name of the new tag:")
        if name:
            self.window.guarded(lambda: self.window.editing.create_tag(name))

    def rename(self, old: str) -> None:
        """Ask for a new name for ``old``."""
        new = dialogs.ask_text(self.window, "Rename Tag", f"New name for “{old}”:", old)
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
            if not dialogs.confirm(self.window, "Merge Tags", question, "Merge"):
                return
        self.window.guarded(lambda: self.window.editing.rename_tag(old, new))

    def delete(self, name: str) -> None:
        """Delete a tag after asking."""
        question = f"Remove the tag “{name}” from every article and delete it? You can undo this."
        if dialogs.confirm(self.window, "Delete Tag", question, "Delete Tag"):
            self.window.guarded(lambda: self.window.editing.delete_tag(name))

    def color(self, name: str) -> None:
        """Choose a colour for a tag."""
        current = self.window.model.tag_colors.get(name)
        chosen = dialogs.ask_color(self.window, current)
        if chosen:
            self.window.guarded(lambda: self.window.editing.set_tag_color(name, chosen))

    # -- saved searches --------------------------------------------------------------------------

    def save_search(self, query: str) -> None:
        """Save the filter text as a named search."""
        if not query:
            self.window.show_user_error(UserError("type a query in the filter bar first"))
            return
        name = dialogs.ask_text(self.window, "Save Search", "Name of the saved search:")
        if name:
            self.window.guarded(lambda: self.window.editing.save_search(name, query))

    def edit_search(self, entry: PaneEntry) -> None:
        """Change a saved search's query."""
        query = dialogs.ask_text(
            self.window, "Edit Saved Search", f"Query of “{entry.name}”:", entry.query
        )
        if query:
            try:
                parse(query)
            except QueryError as error:
                self.window.show_user_error(error)
                return
            self.window.guarded(lambda: self.window.editing.save_search(entry.name, query))

    def delete_search(self, entry: PaneEntry) -> None:
        """Forget a saved search."""
        if entry.search_id is not None:
            search_id = entry.search_id
            self.window.guarded(lambda: self.window.editing.delete_search(search_id))


def _count(number: int, noun: str) -> str:
    """``1 tag``, ``2 tags``: a count with its noun in the right number."""
    return f"{number:,} {noun}{'' if number == 1 else 's'}"
