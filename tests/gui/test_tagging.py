"""Tagging the selection: the tag editor, quick keys, dropping on a tag, and undo / redo."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot

from corpusdesk.gui.main_window import MainWindow
from corpusdesk.gui.models.articles_model import ROW_ROLE
from corpusdesk.gui.models.tags_model import EntryKind, Group

Wait = Callable[[MainWindow], None]


def select_rows(window: MainWindow, *rows: int) -> list[int]:
    """Select these table rows (the first becomes current); their article ids."""
    table = window.table
    table.setFocus()
    selection = table.selectionModel()
    selection.clearSelection()
    for n, row in enumerate(rows):
        flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
        if n == 0:
            flags |= QItemSelectionModel.SelectionFlag.Current
        selection.setCurrentIndex(window.model.index(row, 0), flags)
    return table.selected_ids()


def tags_of(window: MainWindow, article_id: int) -> tuple[str, ...]:
    row = window.model.row_of(article_id)
    assert row is not None
    record = window.model.index(row, 0).data(ROW_ROLE)
    return record.tags


def tag_count(window: MainWindow, name: str) -> int | None:
    for entry in window.tag_pane.model.entries(Group.TAGS):
        if entry.name == name:
            return entry.count
    return None


def add_tag_with_editor(window: MainWindow, qtbot: QtBot, name: str) -> None:
    qtbot.keyClick(window.table, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    editor = window.tagging.editor
    assert editor is not None and editor.isVisible()
    qtbot.keyClicks(editor.field, name)
    qtbot.mouseClick(
        editor.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton
    )
    assert not editor.isVisible()
    # The offscreen platform activates no window when a dialog closes; a desktop would.
    window.activateWindow()
    qtbot.waitActive(window)


def test_tag_editor_tags_the_selection_and_undo_reverts(
    filled_window: MainWindow, qtbot: QtBot, wait_idle: Wait
) -> None:
    window = filled_window
    ids = select_rows(window, 0, 2)
    add_tag_with_editor(window, qtbot, "coast")
    wait_idle(window)
    assert all(tags_of(window, i) == ("coast",) for i in ids)
    assert tag_count(window, "coast") == 2
    assert window.undo_stack.canUndo()

    qtbot.keyClick(window.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    wait_idle(window)
    assert all(tags_of(window, i) == () for i in ids)
    assert tag_count(window, "coast") is None  # the tag that adding it made is gone as well

    window.undo_stack.redo()
    wait_idle(window)
    assert all(tags_of(window, i) == ("coast",) for i in ids)
    assert tag_count(window, "coast") == 2


def test_completer_offers_existing_tags(
    filled_window: MainWindow, qtbot: QtBot, wait_idle: Wait
) -> None:
    window = filled_window
    ids = select_rows(window, 1)
    window.editing.add_tag(ids, "orchards")
    wait_idle(window)
    select_rows(window, 0)
    qtbot.keyClick(window.table, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    editor = window.tagging.editor
    assert editor is not None
    assert editor.completer.model().index(0, 0).data() == "orchards"
    editor.reject()


def test_quick_keys_toggle_the_first_tags(
    filled_window: MainWindow, qtbot: QtBot, wait_idle: Wait
) -> None:
    window = filled_window
    first, second = select_rows(window, 0), select_rows(window, 1)
    window.editing.add_tag(first, "alpha")
    window.editing.add_tag(second, "beta")
    wait_idle(window)

    ids = select_rows(window, 0, 1)
    qtbot.keyClick(window.table, Qt.Key.Key_1)
    wait_idle(window)
    assert all("alpha" in tags_of(window, i) for i in ids)

    qtbot.keyClick(window.table, Qt.Key.Key_1)
    wait_idle(window)
    assert all("alpha" not in tags_of(window, i) for i in ids)

    qtbot.keyClick(window.table, Qt.Key.Key_2)
    wait_idle(window)
    assert all("beta" in tags_of(window, i) for i in ids)


def test_dropping_articles_on_a_tag_tags_them(filled_window: MainWindow, wait_idle: Wait) -> None:
    window = filled_window
    window.editing.create_tag("keep")
    wait_idle(window)
    ids = select_rows(window, 0, 1)
    mime = window.model.mimeData(window.table.selectionModel().selectedRows())
    pane_model = window.tag_pane.model
    target = pane_model.index_of((EntryKind.TAG, "keep"))
    assert pane_model.canDropMimeData(mime, Qt.DropAction.CopyAction, -1, -1, target)
    assert pane_model.dropMimeData(mime, Qt.DropAction.CopyAction, -1, -1, target)
    wait_idle(window)
    assert all(tags_of(window, i) == ("keep",) for i in ids)
    assert tag_count(window, "keep") == 2


def test_delete_moves_to_trash_and_undo_restores(
    filled_window: MainWindow, qtbot: QtBot, wait_idle: Wait
) -> None:
    window = filled_window
    select_rows(window, 1)
    qtbot.keyClick(window.table, Qt.Key.Key_Delete)
    wait_idle(window)
    assert window.model.rowCount() == 2
    window.tag_pane.select_keys([(EntryKind.TRASH, "Trash")])
    wait_idle(window)
    assert window.model.rowCount() == 1
    window.tag_pane.select_keys([(EntryKind.ALL, "All articles")])
    window.undo_stack.undo()
    wait_idle(window)
    assert window.model.rowCount() == 3


def test_metadata_edit_is_saved_and_undoable(filled_window: MainWindow, wait_idle: Wait) -> None:
    window = filled_window
    (article_id,) = select_rows(window, 0)
    wait_idle(window)
    editor = window.preview.metadata
    old_title = editor.title.text()
    editor.title.setText("A Better Headline")
    editor.date.setText("2024-01-31")
    editor.save()
    wait_idle(window)
    assert window.library is not None
    detail = window.library.detail(article_id)
    assert detail.title == "A Better Headline"
    assert detail.published is not None and detail.published.isoformat() == "2024-01-31"
    window.undo_stack.undo()
    wait_idle(window)
    assert window.library.detail(article_id).title == old_title
