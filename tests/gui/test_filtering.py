"""Filtering the table: by clicking tags in the pane, by typing a query, and bad queries."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from pytestqt.qtbot import QtBot

from corpusdesk.core.query import Field, parse
from corpusdesk.gui.main_window import MainWindow
from corpusdesk.gui.models.tags_model import EntryKind, tag_query
from tests.gui.pages import title_of

Wait = Callable[[MainWindow], None]


def shown_titles(window: MainWindow) -> set[str]:
    model = window.model
    return {str(model.index(row, 0).data()) for row in range(model.rowCount())}


def click_tag(window: MainWindow, qtbot: QtBot, name: str, *, ctrl: bool = False) -> None:
    tree = window.tag_pane.tree
    index = window.tag_pane.model.index_of((EntryKind.TAG, name))
    assert index.isValid()
    rect = tree.visualRect(index)
    modifier = Qt.KeyboardModifier.ControlModifier if ctrl else Qt.KeyboardModifier.NoModifier
    qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, modifier, rect.center())


def tag_articles(window: MainWindow, wait_idle: Wait) -> dict[str, int]:
    """ferry + coast on the harbour page, orchard on the orchard page, coast on the library."""
    ids = {str(window.model.index(r, 0).data()): window.model.id_at(r) for r in range(3)}
    harbour = ids[title_of("harbour.html")]
    orchard = ids[title_of("orchard.html")]
    library = ids[title_of("library.html")]
    window.editing.add_tag([harbour], "ferry")
    window.editing.add_tag([harbour, library], "coast")
    window.editing.add_tag([orchard], "orchard")
    wait_idle(window)
    return {"harbour": harbour, "orchard": orchard, "library": library}


def test_clicking_a_tag_filters_and_ctrl_click_combines(
    filled_window: MainWindow, qtbot: QtBot, wait_idle: Wait
) -> None:
    window = filled_window
    tag_articles(window, wait_idle)
    click_tag(window, qtbot, "coast")
    wait_idle(window)
    assert shown_titles(window) == {title_of("harbour.html"), title_of("library.html")}
    assert window.filter_bar.count_label.text() == "2 of 3 articles"

    click_tag(window, qtbot, "ferry", ctrl=True)
    wait_idle(window)
    assert shown_titles(window) == {title_of("harbour.html")}

    qtbot.mouseClick(window.tag_pane.or_button, Qt.MouseButton.LeftButton)
    wait_idle(window)
    assert shown_titles(window) == {title_of("harbour.html"), title_of("library.html")}

    click_tag(window, qtbot, "orchard", ctrl=True)
    wait_idle(window)
    assert len(shown_titles(window)) == 3


@pytest.mark.parametrize(
    "name", ['say "no"', "back\\slash", "«op-ed»", "“quoted”", 'a \\"b', "two  words", "café"]
)
def test_a_tag_query_names_exactly_that_tag(name: str) -> None:
    assert parse(tag_query(name)) == Field("tag", ":", name)


def test_clicking_any_tag_shows_exactly_its_articles(
    filled_window: MainWindow, qtbot: QtBot, wait_idle: Wait
) -> None:
    window = filled_window
    ids = {str(window.model.index(r, 0).data()): window.model.id_at(r) for r in range(3)}
    harbour, orchard, library = (
        title_of(page) for page in ("harbour.html", "orchard.html", "library.html")
    )
    tagged = {
        'say "no"': {harbour},
        "say no": {orchard},
        "café": {orchard},
        "cafe": {library},
        "back\\slash “x”": {library, harbour},
        "«op-ed»": {harbour},
    }
    for name, titles in tagged.items():
        window.editing.add_tag([ids[title] for title in titles], name)
    wait_idle(window)
    for name, titles in tagged.items():
        click_tag(window, qtbot, name)
        wait_idle(window)
        assert shown_titles(window) == titles, name


def test_untagged_view(filled_window: MainWindow, wait_idle: Wait) -> None:
    window = filled_window
    ids = tag_articles(window, wait_idle)
    window.editing.remove_tag([ids["orchard"]], "orchard")
    wait_idle(window)
    window.tag_pane.select_keys([(EntryKind.UNTAGGED, "Untagged")])
    wait_idle(window)
    assert shown_titles(window) == {title_of("orchard.html")}


def test_typing_a_query_filters_live(
    filled_window: MainWindow, qtbot: QtBot, wait_idle: Wait
) -> None:
    window = filled_window
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.filter_bar.edit.hasFocus()
    with qtbot.waitSignal(window.search.finished, timeout=5000):
        qtbot.keyClicks(window.filter_bar.edit, "blossom")
    wait_idle(window)
    assert shown_titles(window) == {title_of("orchard.html")}
    assert window.filter_bar.count_label.text() == "1 of 3 articles"

    window.filter_bar.set_text("site:Northfield OR ferry")
    wait_idle(window)
    assert shown_titles(window) == {title_of("library.html"), title_of("harbour.html")}

    qtbot.keyClick(window.filter_bar.edit, Qt.Key.Key_Escape)
    wait_idle(window)
    assert window.filter_bar.text() == ""
    assert window.model.rowCount() == 3


def test_a_malformed_query_shows_an_inline_error(
    filled_window: MainWindow, qtbot: QtBot, wait_idle: Wait
) -> None:
    window = filled_window
    window.filter_bar.set_text('ferry AND "unclosed')
    wait_idle(window)
    bar = window.filter_bar
    assert bar.has_error()
    assert "unclosed quote" in bar.error_label.text()
    assert bar.edit.cursorPosition() == len("ferry AND ")
    assert window.model.rowCount() == 3
    assert not window._crash_dialogs

    window.filter_bar.set_text("ferry")
    wait_idle(window)
    assert not bar.has_error()
    assert window.model.rowCount() == 1


def test_sorting_is_done_by_the_library(filled_window: MainWindow, wait_idle: Wait) -> None:
    window = filled_window
    window.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    wait_idle(window)
    titles = [window.model.index(r, 0).data() for r in range(3)]
    assert titles == sorted(titles)
    window.table.sortByColumn(3, Qt.SortOrder.DescendingOrder)
    wait_idle(window)
    dates = [window.model.index(r, 3).data() for r in range(3)]
    assert dates == sorted(dates, reverse=True)


def test_selection_survives_a_refresh(filled_window: MainWindow, wait_idle: Wait) -> None:
    window = filled_window
    selection = window.table.selectionModel()
    selection.setCurrentIndex(
        window.model.index(1, 0),
        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
    )
    chosen = window.table.selected_ids()
    window.editing.add_tag(chosen, "kept")
    wait_idle(window)
    assert window.table.selected_ids() == chosen
