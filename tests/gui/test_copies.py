"""Copies: the marker, its explanations, and Compare Copies side by side."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from corpusdesk.core.records import ArticleRow
from corpusdesk.gui.main_window import MainWindow
from corpusdesk.gui.models.articles_model import HEADER_TIPS, Column
from corpusdesk.gui.models.tags_model import EntryKind
from corpusdesk.gui.widgets.copies import CopiesModel
from tests.gui.pages import title_of, write_copy

Wait = Callable[[MainWindow], None]


@pytest.fixture
def copies_window(
    filled_window: MainWindow, tmp_path: Path, qtbot: QtBot, wait_idle: Wait
) -> MainWindow:
    """The window after a republication of the harbour story was imported as well."""
    window = filled_window
    copy = write_copy(tmp_path / "copies", "harbour.html", "Regional Wire", ("late", "early"))
    with qtbot.waitSignal(window.jobs.import_finished, timeout=30000) as finished:
        window.transfers.import_paths([copy])
    assert finished.args is not None and finished.args[0].report.copies == 1
    wait_idle(window)
    qtbot.waitUntil(lambda: window.model.rowCount() == 4)
    if window.transfers.report_dialog is not None:
        window.transfers.report_dialog.close()
    return window


def row_of_site(window: MainWindow, site: str) -> int:
    for row in range(window.model.rowCount()):
        if window.model.index(row, Column.SITE).data() == site:
            return row
    raise AssertionError(f"no row of {site}")


def test_the_copies_column_sidebar_and_legend_name_and_explain_copies(
    copies_window: MainWindow, qtbot: QtBot
) -> None:
    window = copies_window
    row = row_of_site(window, "Regional Wire")
    cell = window.model.index(row, Column.COPIES)
    assert cell.data() == "2"
    assert cell.data(Qt.ItemDataRole.DecorationRole) is not None
    assert "1 other copy" in cell.data(Qt.ItemDataRole.ToolTipRole)
    assert window.model.headerData(Column.COPIES, Qt.Orientation.Horizontal) == "Copies"
    assert "Identical files are never imported twice" in HEADER_TIPS[Column.COPIES]
    qtbot.waitUntil(window.legend.isVisible)
    entry_index = window.tag_pane.model.index_of((EntryKind.DUPLICATES, "With copies"))
    assert entry_index.siblingAtColumn(1).data() == "2"
    assert "Identical files are not counted" in entry_index.data(Qt.ItemDataRole.ToolTipRole)
    plain = window.model.index(row_of_site(window, "Upland Gazette"), Column.COPIES)
    assert plain.data() == "" and plain.data(Qt.ItemDataRole.ToolTipRole) is None


def test_compare_copies_lists_them_and_marks_the_differences(
    copies_window: MainWindow, qtbot: QtBot
) -> None:
    window = copies_window
    row = row_of_site(window, "Regional Wire")
    window.table.selectionModel().setCurrentIndex(
        window.model.index(row, 0),
        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
    )
    window.table.setFocus()
    window.menu_actions.compare_copies.trigger()
    dialog = window.copies_dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.comparison is not None, timeout=10000)
    sites = [copy.site_name for copy in dialog.model.rows()]
    assert sorted(sites) == ["Regional Wire", "The Coastal Ledger"]
    assert dialog.left.currentText().startswith("Regional Wire · 2023-03-14 · ")
    assert dialog.right.currentText().startswith("The Coastal Ledger")
    assert dialog.comparison is not None and dialog.comparison.differences == 2
    assert "paragraphs differ" in dialog.summary.text()
    shown = dialog.view.toHtml()
    assert "early" in shown and "republished by Regional Wire" in shown
    assert title_of("harbour.html") in dialog.heading.text()

    with qtbot.waitSignal(dialog.compared):
        dialog.differences_only.setChecked(True)
    assert "Opponents argued" not in dialog.view.toPlainText()  # an unchanged paragraph
    with qtbot.waitSignal(dialog.compared):
        dialog.right.setCurrentIndex(dialog.left.currentIndex())
    assert dialog.comparison.differences == 0
    assert dialog.summary.text() == "The two copies have the same text."
    dialog.close()


def test_double_clicking_the_copies_cell_compares_them(
    copies_window: MainWindow, qtbot: QtBot
) -> None:
    window = copies_window
    index = window.model.index(row_of_site(window, "The Coastal Ledger"), Column.COPIES)
    window.table.setCurrentIndex(index)
    window.table.doubleClicked.emit(index)
    qtbot.waitUntil(lambda: window.copies_dialog is not None and window.copies_dialog.isVisible())
    window.copies_dialog.close()  # type: ignore[union-attr]


def test_the_copies_model_passes_the_model_tester(qtmodeltester: ModelTester) -> None:
    model = CopiesModel()
    model.set_rows(
        [
            ArticleRow(i, f"Story {i}", "Site", ("A",), None, 100 * i, (), 1, f"{i}.html", 3)
            for i in range(1, 4)
        ]
    )
    qtmodeltester.check(model, force_py=True)
    qtmodeltester.check(model)
    assert model.row_of(2) == 1 and model.row_of(9) is None
