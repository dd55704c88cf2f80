"""Changes the user makes: tagging, trash, metadata and tag management, through the undo stack.

Every change is an undo command (see :mod:`corpusdesk.gui.undo`) whose library work runs on the
write thread; when it finishes, :attr:`Editing.changed` tells the window what to refresh, and
after an undo or redo :attr:`Editing.replayed` says which change it was. A command that fails
is dropped from the stack and its error is reported. Emptying the trash is the one change that
cannot be undone, so the window asks first.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from corpusdesk.core.errors import UserError
from corpusdesk.core.records import SavedSearch
from corpusdesk.gui.tasks import Pool, TaskRunner
from corpusdesk.gui.undo import (
    Change,
    CreateTagCommand,
    DeleteSearchCommand,
    DeleteTagCommand,
    LibraryCommand,
    MetadataCommand,
    RenameTagCommand,
    SaveSearchCommand,
    TagColorCommand,
    TagCommand,
    ToggleTagCommand,
    TrashCommand,
)
from corpusdesk.library.library import Library


class Editing(QObject):
    """Turns user actions into undoable library changes."""

    changed = Signal(object)
    """A change finished (a :class:`Change`)."""
    replayed = Signal(str, object)
    """An undo or redo finished: what it did (``Undone: Tag 3 articles “x”``), its Change."""
    trash_emptied = Signal(int)

    def __init__(
        self, runner: TaskRunner, stack: QUndoStack, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._runner = runner
        self.stack = stack
        self.library: Library | None = None
        self._replaying: str | None = None

    # -- undo and redo ---------------------------------------------------------------------------

    def undo(self) -> None:
        """Undo the last library change (whatever has the keyboard focus)."""
        if self.stack.canUndo():
            self._replay(f"Undone: {self.stack.undoText()}", self.stack.undo)

    def redo(self) -> None:
        """Redo the library change just undone."""
        if self.stack.canRedo():
            self._replay(f"Redone: {self.stack.redoText()}", self.stack.redo)

    def _replay(self, description: str, step: Callable[[], None]) -> None:
        self._replaying = description
        try:
            step()
        finally:
            self._replaying = None

    # -- the command host ------------------------------------------------------------------------

    def run_change(
        self, command: LibraryCommand, work: Callable[[Library], Change], undoing: bool
    ) -> None:
        """Queue a command's work on the write thread (called by the command)."""
        library = self.library
        if command.isObsolete() or library is None:
            return

        def failed(error: BaseException, details: str) -> None:
            index = self.stack.index()
            if not undoing and index > 0 and self.stack.command(index - 1) is command:
                command.setObsolete(True)
                self.stack.undo()
            self._runner.report_failure(error, details)

        replay = self._replaying

        def succeeded(change: object) -> None:
            self.changed.emit(change)
            if replay is not None:
                self.replayed.emit(replay, change)

        self._runner.submit(lambda: work(library), succeeded, failed, pool=Pool.WRITE)

    def writable(self) -> Library:
        """The open library; ``UserError`` when none is open or it is read-only."""
        if self.library is None:
            raise UserError("no library is open")
        if self.library.read_only:
            raise UserError(f"{self.library.title} is open read-only; it cannot be changed")
        return self.library

    # -- articles -------------------------------------------------------------------------------

    def add_tag(self, ids: Sequence[int], name: str) -> None:
        """Tag the articles ``ids`` with ``name`` (creating the tag if needed)."""
        self.writable()
        if ids and name.strip():
            self.stack.push(TagCommand(self, ids, name, add=True))

    def remove_tag(self, ids: Sequence[int], name: str) -> None:
        """Take the tag ``name`` off the articles ``ids``."""
        self.writable()
        if ids and name.strip():
            self.stack.push(TagCommand(self, ids, name, add=False))

    def toggle_tag(self, ids: Sequence[int], name: str) -> None:
        """Add ``name`` to the articles, or remove it when all of them have it."""
        self.writable()
        if ids:
            self.stack.push(ToggleTagCommand(self, ids, name))

    def trash(self, ids: Sequence[int]) -> None:
        """Move articles to the trash."""
        self.writable()
        if ids:
            self.stack.push(TrashCommand(self, ids))

    def restore(self, ids: Sequence[int]) -> None:
        """Bring articles back from the trash."""
        self.writable()
        if ids:
            self.stack.push(TrashCommand(self, ids, restore=True))

    def update_metadata(
        self, article_id: int, changes: dict[str, Any], shown: dict[str, Any] | None = None
    ) -> None:
        """Change an article's metadata fields; ``shown``: the values the editor showed for
        them, which must still be the stored ones (or nothing is saved: ``EditConflict``)."""
        self.writable()
        if changes:
            self.stack.push(MetadataCommand(self, article_id, changes, shown))

    def empty_trash(self) -> None:
        """Delete the trashed articles for good (not undoable; the caller has asked)."""
        library = self.writable()
        self.stack.clear()

        def done(count: object) -> None:
            self.changed.emit(Change(tags=True, membership=True))
            self.trash_emptied.emit(int(count))  # type: ignore[call-overload]

        self._runner.submit(library.empty_trash, done, pool=Pool.WRITE)

    # -- tags -------------------------------------------------------------------------------------

    def create_tag(self, name: str) -> None:
        """Create an empty tag."""
        self.writable()
        if name.strip():
            self.stack.push(CreateTagCommand(self, name.strip()))

    def rename_tag(self, old: str, new: str) -> None:
        """Rename (or merge) a tag; the caller confirms a merge first."""
        self.writable()
        if new.strip() and new.strip() != old:
            self.stack.push(RenameTagCommand(self, old, new.strip()))

    def delete_tag(self, name: str) -> None:
        """Delete a tag from every article."""
        self.writable()
        self.stack.push(DeleteTagCommand(self, name))

    def set_tag_color(self, name: str, color: str | None) -> None:
        """Give a tag a colour."""
        self.writable()
        self.stack.push(TagColorCommand(self, name, color))

    # -- saved searches ---------------------------------------------------------------------------

    def save_search(self, name: str, query: str) -> None:
        """Save ``query`` under ``name`` (replacing one of that name)."""
        self.writable()
        if name.strip():
            self.stack.push(SaveSearchCommand(self, " ".join(name.split()), query))

    def delete_search(self, search: SavedSearch) -> None:
        """Forget a saved search."""
        self.writable()
        self.stack.push(DeleteSearchCommand(self, search))
