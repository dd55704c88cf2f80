"""Undoable changes: tagging, trashing, metadata edits and tag management as QUndoCommands.

A command's ``redo`` and ``undo`` queue library calls on the single write thread, so they run
in the order they were asked even when the user undoes before the change has finished. The
worker functions record what actually changed (the ids newly tagged, the previous metadata, a
snapshot of a deleted tag) on the command itself; its undo, queued behind, reads that record.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from PySide6.QtGui import QUndoCommand

from corpusdesk.core.records import SavedSearch
from corpusdesk.core.tagnames import fold_tag_name
from corpusdesk.core.wording import plural
from corpusdesk.library.library import Library
from corpusdesk.library.tags import TagSnapshot


@dataclass(frozen=True, slots=True)
class Change:
    """What a finished command touched, so the window refreshes only what it must."""

    ids: tuple[int, ...] | None = None
    """Articles whose rows changed (None: possibly all)."""
    tags: bool = False
    """The tag list (names, counts or colours) changed."""
    membership: bool = False
    """Articles may have entered or left the current result (re-run the search)."""


class CommandHost(Protocol):
    """What commands need from the window: a way to run library work and report changes."""

    def run_change(
        self, command: LibraryCommand, work: Callable[[Library], Change], undoing: bool
    ) -> None: ...


class LibraryCommand(QUndoCommand):
    """A command whose redo and undo are library calls run by the host."""

    def __init__(self, host: CommandHost, text: str) -> None:
        super().__init__(text)
        self._host = host

    def redo(self) -> None:
        self._host.run_change(self, self.apply, False)

    def undo(self) -> None:
        self._host.run_change(self, self.revert, True)

    def apply(self, library: Library) -> Change:
        """Make the change (on the write thread)."""
        raise NotImplementedError

    def revert(self, library: Library) -> Change:
        """Reverse the change (on the write thread)."""
        raise NotImplementedError


class TagCommand(LibraryCommand):
    """Add a tag to articles, or remove it from them.

    Adding a tag that did not exist creates it; undoing the addition deletes it again.
    """

    def __init__(self, host: CommandHost, ids: Sequence[int], name: str, *, add: bool) -> None:
        verb = "Tag" if add else "Untag"
        super().__init__(host, f"{verb} {plural(len(ids), 'article')} “{name}”")
        self.ids = list(ids)
        self.name = name
        self.add = add
        self.changed: list[int] = []
        self.created = False

    def apply(self, library: Library) -> Change:
        if self.add:
            self.created = not library.tag_exists(self.name)
            self.changed = library.add_tag(self.ids, self.name)
        else:
            self.changed = library.remove_tag(self.ids, self.name)
        return Change(tuple(self.changed), tags=True, membership=True)

    def revert(self, library: Library) -> Change:
        if self.add:
            library.remove_tag(self.changed, self.name)
            if self.created:
                library.delete_unused_tag(self.name)
        else:
            library.add_tag(self.changed, self.name)
        return Change(tuple(self.changed), tags=True, membership=True)


class CreateTagCommand(LibraryCommand):
    """Create a tag with no articles yet."""

    def __init__(self, host: CommandHost, name: str) -> None:
        super().__init__(host, f"Create tag “{name}”")
        self.name = name
        self.created = False

    def apply(self, library: Library) -> Change:
        self.created = library.create_tag(self.name)
        return Change(tags=True)

    def revert(self, library: Library) -> Change:
        if self.created:
            library.delete_unused_tag(self.name)
        return Change(tags=True)


class SaveSearchCommand(LibraryCommand):
    """Save a query under a name, replacing the query a search of that name had."""

    def __init__(self, host: CommandHost, name: str, query: str) -> None:
        super().__init__(host, f"Save search “{name}”")
        self.name = name
        self.query = query
        self.previous: SavedSearch | None = None
        self.saved: SavedSearch | None = None

    def apply(self, library: Library) -> Change:
        self.previous = library.saved_search(self.name)
        self.saved = library.save_search(self.name, self.query)
        return Change(tags=True)

    def revert(self, library: Library) -> Change:
        if self.previous is not None:
            library.save_search(self.previous.name, self.previous.query)
        elif self.saved is not None:
            library.delete_search(self.saved.id)
        return Change(tags=True)


class DeleteSearchCommand(LibraryCommand):
    """Forget a saved search."""

    def __init__(self, host: CommandHost, search: SavedSearch) -> None:
        super().__init__(host, f"Delete saved search “{search.name}”")
        self.search = search

    def apply(self, library: Library) -> Change:
        library.delete_search(self.search.id)
        return Change(tags=True)

    def revert(self, library: Library) -> Change:
        restored = library.save_search(self.search.name, self.search.query)
        self.search = restored  # it comes back under a new id
        return Change(tags=True)


class TrashCommand(LibraryCommand):
    """Move articles to the trash, or bring them back."""

    def __init__(self, host: CommandHost, ids: Sequence[int], *, restore: bool = False) -> None:
        verb = "Restore" if restore else "Move to Trash"
        super().__init__(host, f"{verb} {plural(len(ids), 'article')}")
        self.ids = list(ids)
        self.restore = restore
        self.changed: list[int] = []

    def apply(self, library: Library) -> Change:
        self.changed = (library.restore if self.restore else library.trash)(self.ids)
        return Change(tuple(self.changed), tags=True, membership=True)

    def revert(self, library: Library) -> Change:
        (library.trash if self.restore else library.restore)(self.changed)
        return Change(tuple(self.changed), tags=True, membership=True)


class MetadataCommand(LibraryCommand):
    """Change an article's editable metadata.

    Each step says what it expects to find (the values the editor showed, then the values it
    wrote, then the ones it restored), so that neither a save nor an undo or redo overwrites
    a change someone else made meanwhile to a team library: the library refuses it instead.
    """

    def __init__(
        self,
        host: CommandHost,
        article_id: int,
        changes: dict[str, Any],
        shown: dict[str, Any] | None = None,
    ) -> None:
        fields = ", ".join(sorted(changes))
        super().__init__(host, f"Edit {fields} of article #{article_id}")
        self.article_id = article_id
        self.changes = dict(changes)
        self.expected: dict[str, Any] | None = dict(shown) if shown is not None else None
        self.previous: dict[str, Any] = {}

    def apply(self, library: Library) -> Change:
        self.previous = library.update_metadata(self.article_id, self.changes, self.expected)
        self.expected = dict(self.previous)
        return Change((self.article_id,), membership=True)

    def revert(self, library: Library) -> Change:
        if self.previous:
            library.update_metadata(self.article_id, self.previous, _as_stored(self.changes))
        return Change((self.article_id,), membership=True)


def _as_stored(changes: dict[str, Any]) -> dict[str, Any]:
    """Metadata values as the library stores them (names and text without stray spaces)."""
    stored: dict[str, Any] = {}
    for field, value in changes.items():
        if field == "authors":
            stored[field] = [" ".join(name.split()) for name in value if name.strip()]
        else:
            stored[field] = value.strip() if isinstance(value, str) else value
    return stored


class RenameTagCommand(LibraryCommand):
    """Rename a tag; when the new name exists, merge into it."""

    def __init__(self, host: CommandHost, old: str, new: str) -> None:
        super().__init__(host, f"Rename tag “{old}” to “{new}”")
        self.old = old
        self.new = new
        self.merged = False
        self.source: TagSnapshot | None = None
        self.target_ids: frozenset[int] = frozenset()

    def apply(self, library: Library) -> Change:
        self.source = library.snapshot_tag(self.old)
        new_key = fold_tag_name(self.new)
        existing = {fold_tag_name(tag.name) for tag in library.tags()}
        if new_key in existing and new_key != fold_tag_name(self.old):
            self.target_ids = frozenset(library.snapshot_tag(self.new).article_ids)
        self.merged = library.rename_tag(self.old, self.new)
        return Change(self.source.article_ids, tags=True, membership=True)

    def revert(self, library: Library) -> Change:
        if self.source is None:
            return Change()
        if self.merged:
            library.restore_tag(self.source)
            added = [i for i in self.source.article_ids if i not in self.target_ids]
            library.remove_tag(added, self.new)
        else:
            library.rename_tag(self.new, self.old)
        return Change(self.source.article_ids, tags=True, membership=True)


class DeleteTagCommand(LibraryCommand):
    """Delete a tag from every article."""

    def __init__(self, host: CommandHost, name: str) -> None:
        super().__init__(host, f"Delete tag “{name}”")
        self.name = name
        self.snapshot: TagSnapshot | None = None

    def apply(self, library: Library) -> Change:
        self.snapshot = library.delete_tag(self.name)
        return Change(self.snapshot.article_ids, tags=True, membership=True)

    def revert(self, library: Library) -> Change:
        if self.snapshot is None:
            return Change()
        library.restore_tag(self.snapshot)
        return Change(self.snapshot.article_ids, tags=True, membership=True)


class TagColorCommand(LibraryCommand):
    """Give a tag a colour (or none)."""

    def __init__(self, host: CommandHost, name: str, color: str | None) -> None:
        super().__init__(host, f"Colour tag “{name}”")
        self.name = name
        self.color = color
        self.previous: str | None = None

    def apply(self, library: Library) -> Change:
        self.previous = library.set_tag_color(self.name, self.color)
        return Change(tags=True)

    def revert(self, library: Library) -> Change:
        library.set_tag_color(self.name, self.previous)
        return Change(tags=True)


class ToggleTagCommand(LibraryCommand):
    """A quick tag: add it to the articles, or remove it when every one of them has it."""

    def __init__(self, host: CommandHost, ids: Sequence[int], name: str) -> None:
        super().__init__(host, f"Toggle tag “{name}” on {plural(len(ids), 'article')}")
        self.ids = list(ids)
        self.name = name
        self.added = True
        self.changed: list[int] = []

    def apply(self, library: Library) -> Change:
        self.changed = library.add_tag(self.ids, self.name)
        self.added = bool(self.changed)
        if not self.added:
            self.changed = library.remove_tag(self.ids, self.name)
        return Change(tuple(self.changed), tags=True, membership=True)

    def revert(self, library: Library) -> Change:
        if self.added:
            library.remove_tag(self.changed, self.name)
        else:
            library.add_tag(self.changed, self.name)
        return Change(tuple(self.changed), tags=True, membership=True)
