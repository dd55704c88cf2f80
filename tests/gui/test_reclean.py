"""Edit → Re-clean Selected Articles: re-extraction from originals, in the background."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import update

from corpusdesk.gui.main_window import MainWindow
from corpusdesk.library.library import Library
from corpusdesk.library.schema import Article


def test_reclean_selection_restores_the_current_extraction(
    filled_window: MainWindow, qtbot: QtBot
) -> None:
    window = filled_window
    library = window.library
    assert library is not None
    article_id = window.model.ids()[0]
    good = library.detail(article_id).text
    with Library.open(library.path) as other, other.writing() as session:
        session.execute(
            update(Article).where(Article.id == article_id).values(text="Share this!\n\n" + good)
        )
    window.table.selectionModel().select(
        window.model.index(0, 0),
        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
    )
    with qtbot.waitSignal(window.jobs.reclean_finished, timeout=20000) as finished:
        window.menu_actions.reclean.trigger()
    report = finished.args[0]
    assert (report.examined, report.changed) == (1, 1)
    assert library.detail(article_id).text == good
    qtbot.waitUntil(lambda: window.findChild(QMessageBox, "information") is not None)
    box = window.findChild(QMessageBox, "information")
    assert "1 changed" in box.text()
    box.close()
