"""Undo and redo of library changes: what they take back, where Ctrl+Z goes, what they say."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from corpusdesk.gui.main_window import MainWindow
from corpusdesk.gui.models.tags_model import Group
from tests.gui.pages import title_of
from tests.gui.test_tagging import select_rows, tag_count, tags_of

Wait = Callable[[MainWindow], None]


def search_names(window: MainWindow) -> dict[str, str]:
    return {e.name: e.query for e in window.tag_pane.model.entries(Group.SEARCHES)}


def test_undoing_a_tagging_removes_the_tag_it_created_but_not_an_older_one(
    filled_window: MainWindow, wait_idle: Wait
) -> None:
    window = filled_window
    first, second = select_rows(window, 0), select_rows(window, 1)
    window.editing.add_tag(first, "older")
    wait_idle(window)
    window.editing.add_tag(second, "older")
    wait_idle(window)
    window.undo_library()
    wait_idle(window)
    assert tag_count(window, "older") == 1  # it existed before this tagging
    window.undo_library()
    wait_idle(window)
    assert tag_count(window, "older") is None  # made by the first tagging: gone with it
    window.redo_library()
    wait_idle(window)
    assert tag_count(window, "older") == 1 and tags_of(window, first[0]) == ("older",)


def test_creating_a_tag_is_undoable(filled_window: MainWindow, wait_idle: Wait) -> None:
    window = filled_window
    window.editing.create_tag("later")
    wait_idle(window)
    assert tag_count(window, "later") == 0
    assert window.menu_actions.undo.text() == "&Undo in Library: Create tag “later”"
    window.undo_library()
    wait_idle(window)
    assert tag_count(window, "later") is None
    window.redo_library()
    wait_idle(window)
    assert tag_count(window, "later") == 0


def test_saving_and_deleting_a_search_are_undoable(
    filled_window: MainWindow, wait_idle: Wait
) -> None:
    window = filled_window
    window.editing.save_search("Boats", "ferry")
    wait_idle(window)
    window.editing.save_search("Boats", "ferry OR boat")
    wait_idle(window)
    assert search_names(window) == {"Boats": "ferry OR boat"}
    window.undo_library()
    wait_idle(window)
    assert search_names(window) == {"Boats": "ferry"}  # the earlier query is back
    window.undo_library()
    wait_idle(window)
    assert search_names(window) == {}

    window.editing.save_search("Fruit", "frost")
    wait_idle(window)
    [entry] = window.tag_pane.model.entries(Group.SEARCHES)
    window.tagging.delete_search(entry)
    wait_idle(window)
    assert search_names(window) == {}
    window.undo_library()
    wait_idle(window)
    assert search_names(window) == {"Fruit": "frost"}
    window.redo_library()
    wait_idle(window)
    assert search_names(window) == {}


def test_ctrl_z_in_the_filter_undoes_typing_and_the_menu_undoes_the_library(
    filled_window: MainWindow, qtbot: QtBot, wait_idle: Wait
) -> None:
    window = filled_window
    ids = select_rows(window, 0)
    window.editing.add_tag(ids, "kept")
    wait_idle(window)
    undo = window.menu_actions.undo
    assert undo.text() == "&Undo in Library: Tag 1 article “kept”"
    assert undo.isEnabled()

    edit = window.filter_bar.edit
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(edit, "ferry")
    qtbot.keyClick(edit, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert edit.text() == ""  # the typing was undone …
    wait_idle(window)
    assert tags_of(window, ids[0]) == ("kept",)  # … and the library left alone
    assert window.undo_stack.index() == 1

    undo.trigger()  # the Edit menu reaches the library from the filter as well
    wait_idle(window)
    assert tags_of(window, ids[0]) == ()
    assert undo.text() == "&Undo in Library" and not undo.isEnabled()
    assert window.menu_actions.redo.text() == "&Redo in Library: Tag 1 article “kept”"


def test_undo_says_what_it_changed_when_the_rows_are_out_of_sight(
    filled_window: MainWindow, wait_idle: Wait
) -> None:
    window = filled_window
    rows = [r for r in range(3) if window.model.index(r, 0).data() != title_of("library.html")]
    ids = select_rows(window, *rows)
    window.editing.add_tag(ids, "gone")
    wait_idle(window)
    window.filter_bar.set_text("site:Northfield")  # the tagged rows leave the table
    wait_idle(window)
    assert not window.table.visible_ids() & set(ids)
    window.undo_library()
    wait_idle(window)
    assert window.status_label.text() == (
        "Undone: Tag 2 articles “gone” (2 articles, none of them in view)"
    )
    window.redo_library()
    wait_idle(window)
    assert window.status_label.text().startswith("Redone: Tag 2 articles “gone”")
