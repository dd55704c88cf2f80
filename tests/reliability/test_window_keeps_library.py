"""The real window never loses its hold on the library, whatever its file dialogs read.

The library file lives in the folder the pages are saved in, as many people keep it, under
names with URL-special characters. The real window, with its real library process and real job
processes, browses that folder in its real file dialogs (cancelled, then accepted), imports it,
tags, undoes, exports through the save dialog, while a second process (the command line) tags
the same library. After every step a third process checks that the library's shared locks are
still held, so nobody can take itself for the last user and delete the write-ahead log under the
window. At the end nothing either side wrote is missing and the file passes every check.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QItemSelectionModel, QSettings, Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QFileDialog, QLineEdit
from pytestqt.qtbot import QtBot

from corpusdesk.core.records import Outcome
from corpusdesk.gui.app import create_application
from corpusdesk.gui.main_window import MainWindow
from tests.awkward import FOLDER_NAMES, LIBRARY_NAMES
from tests.reliability.harness import check_library, run_cli, write_pages
from tests.reliability.locks import assert_still_held

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("propagateSizeHints")]

PAGES = 12
BROWSE_MS = 1500
"""How long each dialog stays open: time for its file system model to read the folder."""


def _answer_next_dialog(answer: Callable[[QFileDialog], None]) -> None:
    """When the next file dialog is up, let it browse for a while, then ``answer`` it."""

    def look() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QFileDialog):
            QTimer.singleShot(50, look)
            return
        QTimer.singleShot(BROWSE_MS, lambda: answer(dialog))

    QTimer.singleShot(50, look)


def _choose(path: Path) -> Callable[[QFileDialog], None]:
    def answer(dialog: QFileDialog) -> None:
        dialog.setDirectory(str(path.parent))
        name_field = dialog.findChild(QLineEdit, "fileNameEdit")
        if dialog.acceptMode() == QFileDialog.AcceptMode.AcceptSave and name_field is not None:
            name_field.setText(path.name)
        else:
            dialog.selectFile(path.name)
        dialog.accept()

    return answer


def _cancel(dialog: QFileDialog) -> None:
    dialog.reject()


def _select_all_rows(window: MainWindow) -> list[int]:
    selection = window.table.selectionModel()
    selection.select(
        window.model.index(0, 0),
        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
    )
    for row in range(1, window.model.rowCount()):
        selection.select(
            window.model.index(row, 0),
            QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows,
        )
    return window.table.selected_ids()


def _tag_selection(window: MainWindow, qtbot: QtBot, name: str) -> None:
    window.menu_actions.add_tag.trigger()
    editor = window.tagging.editor
    assert editor is not None and editor.isVisible()
    qtbot.keyClicks(editor.field, name)
    qtbot.mouseClick(
        editor.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton
    )


def test_window_keeps_its_locks_through_dialogs_jobs_and_another_process(
    qtbot: QtBot,
    tmp_path: Path,
    figures: Callable[[str], None],
) -> None:
    folder = tmp_path / FOLDER_NAMES["url specials"]
    write_pages(folder, PAGES)
    library_path = folder / LIBRARY_NAMES["url specials"]
    target = tmp_path / "exports" / "everything.jsonl"
    target.parent.mkdir()

    create_application()
    store = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(store)
    qtbot.addWidget(window)
    window.store.setValue("folders/imports", str(folder))
    window.store.setValue("folders/exports", str(folder))
    assert window.open_library_path(library_path)
    window.show()
    qtbot.waitExposed(window)

    def settle() -> None:
        qtbot.waitUntil(
            lambda: window.runner.pending == 0 and not window.jobs.running, timeout=60000
        )

    settle()
    steps = ["opening"]
    assert_still_held(library_path, "opening")

    _answer_next_dialog(_cancel)
    window.transfers.import_files()
    steps.append("browsing the folder in Import Files and cancelling")
    assert_still_held(library_path, steps[-1])

    _answer_next_dialog(_choose(folder))
    with qtbot.waitSignal(window.jobs.import_finished, timeout=120000) as imported:
        window.transfers.import_folder()
    settle()
    report = imported.args[0].report
    assert report.count(Outcome.IMPORTED) == PAGES, report.summary()
    assert report.count(Outcome.FAILED) == 0, report.summary()
    qtbot.waitUntil(lambda: window.model.rowCount() == PAGES, timeout=20000)
    steps.append("importing the folder the library is in")
    assert_still_held(library_path, steps[-1])

    outside = run_cli(library_path, "tag", "add", "from the command line", "")
    assert outside.returncode == 0, outside.stderr
    steps.append("a command-line tag in another process")
    assert_still_held(library_path, steps[-1])

    if window.transfers.report_dialog is not None:
        window.transfers.report_dialog.close()
    window.activateWindow()
    qtbot.waitActive(window)
    ids = _select_all_rows(window)
    assert len(ids) == PAGES
    _tag_selection(window, qtbot, "from the window")
    settle()
    _tag_selection(window, qtbot, "undone")
    settle()
    window.undo_stack.undo()
    settle()
    steps.append("tagging and undoing")
    assert_still_held(library_path, steps[-1])

    _answer_next_dialog(_choose(target))
    with qtbot.waitSignal(window.jobs.export_finished, timeout=60000) as exported:
        window.transfers.export_shown()
    settle()
    assert exported.args[0].count == PAGES
    assert exported.args[0].path == target
    steps.append("exporting through the save dialog")
    assert_still_held(library_path, steps[-1])

    qtbot.waitUntil(
        lambda: any("command line" in t.name for t in window.library.tags()),  # type: ignore[union-attr]
        timeout=10000,
    )
    window.close()

    state = check_library(library_path)
    assert len(state.articles) == PAGES
    assert state.tags["from the command line"] == set(state.articles)
    assert state.tags["from the window"] == set(ids)
    assert "undone" not in state.tags
    records = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
    assert len(records) == PAGES
    figures(
        f"window keeps its locks: {len(steps)} steps checked from outside "
        f"({'; '.join(steps)}); {PAGES} pages, tags from both processes all kept"
    )
