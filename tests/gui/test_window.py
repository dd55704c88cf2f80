"""The window as a whole: title, remembered state, libraries, errors and the crash dialog."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from corpusdesk import __version__
from corpusdesk.core.errors import UserError
from corpusdesk.gui import dialogs, settings
from corpusdesk.gui.app import install_excepthook
from corpusdesk.gui.main_window import MainWindow
from corpusdesk.gui.models.articles_model import Column
from corpusdesk.gui.models.tags_model import EntryKind, Group
from corpusdesk.gui.window_state import DEFAULT_SPLIT
from corpusdesk.library.library import Library

Wait = Callable[[MainWindow], None]


def test_title_names_the_library_and_recent_list(
    main_window: MainWindow, library_path: Path
) -> None:
    assert main_window.windowTitle() == "test — corpusdesk"
    assert settings.recent_libraries(main_window.store) == [library_path]
    assert not main_window.windowIcon().isNull()
    assert main_window.menu_actions.import_files.toolTip() == (
        "Import saved pages (HTML, MHTML, web archives, zip archives) (Ctrl+O)"
    )


def test_empty_library_shows_the_welcome_notice(main_window: MainWindow) -> None:
    notice = main_window.table.notice
    assert notice.isVisible()
    assert "Drop HTML files or folders here" in notice.text()
    assert notice.testAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)


def test_state_is_remembered_between_runs(
    main_window: MainWindow, qtbot: QtBot, library_path: Path, wait_idle: Wait
) -> None:
    assert main_window.size().width() == 1280
    main_window.resize(760, 640)  # the offscreen screen is 800 pixels wide
    qtbot.waitUntil(lambda: main_window.size().width() == 760)
    main_window.splitter.setSizes([180, 380, 180])
    main_window.table.setColumnWidth(Column.SITE, 177)
    main_window.table.sortByColumn(Column.WORDS, Qt.SortOrder.AscendingOrder)
    main_window.tag_pane.set_use_or(True)
    wait_idle(main_window)
    sizes = main_window.splitter.sizes()
    main_window.close()

    again = MainWindow()
    qtbot.addWidget(again)
    again.show()
    qtbot.waitExposed(again)
    assert again.size().width() == 760
    assert again.splitter.sizes() == sizes
    assert again.table.columnWidth(Column.SITE) == 177
    assert again.model.sort_column == Column.WORDS
    assert not again.model.descending()
    assert again.tag_pane.use_or()
    assert settings.last_library(again.store) == library_path
    again.close()


def test_defaults_without_settings(qtbot: QtBot) -> None:
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    assert window.size().width() == 1280 and window.size().height() == 800
    assert sum(window.splitter.sizes()) > 0
    assert len(DEFAULT_SPLIT) == 3
    assert window.windowTitle() == "corpusdesk"
    assert not window.menu_actions.import_files.isEnabled()


def test_read_only_library_shows_a_banner(qtbot: QtBot, library_path: Path) -> None:
    Library.open(library_path).close()
    window = MainWindow()
    qtbot.addWidget(window)
    window.set_library(window.library_process.open(library_path, read_only=True))
    window.show()
    assert window.banner.isVisible()
    assert "read-only" in window.banner.text()
    assert not window.menu_actions.add_tag.isEnabled()
    assert not window.menu_actions.import_files.isEnabled()
    assert window.menu_actions.export_shown.isEnabled()
    window.close()


def test_a_library_that_cannot_be_opened_offers_another(
    main_window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bogus = tmp_path / "not-a-library.db"
    bogus.write_bytes(b"this is not sqlite at all" * 100)
    asked: list[str] = []
    monkeypatch.setattr(
        dialogs,
        "ask_other_library",
        lambda _p, _path, reason, _backup: asked.append(reason) or "",
    )
    assert not main_window.open_library_path(bogus)
    assert asked and asked[0]
    assert main_window.library is not None


def test_a_damaged_library_can_be_restored_from_its_backup(
    main_window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from corpusdesk.library.dialects.sqlite_backups import backup_library

    path = tmp_path / "mine.db"
    with Library.open(path) as library:
        library.create_tag("kept in the backup")
    backup_library(path, "test")
    for extra in (path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        extra.unlink(missing_ok=True)
    path.write_bytes(b"garbage after a disk failure" * 200)
    offered: list[object] = []

    def answer(_parent: object, _path: Path, _reason: str, backup: Path | None) -> str:
        offered.append(backup)
        return "restore"

    monkeypatch.setattr(dialogs, "ask_other_library", answer)
    assert main_window.open_library_path(path)
    assert offered and offered[0] is not None
    assert main_window.library is not None and main_window.library.path == path
    assert [t.name for t in main_window.library.tags()] == ["kept in the backup"]
    assert any(p.name.startswith("mine.db.damaged") for p in tmp_path.iterdir())


def test_user_errors_from_background_work_become_messages(
    main_window: MainWindow, qtbot: QtBot, wait_idle: Wait
) -> None:
    def fail() -> None:
        raise UserError("the disk is full; the change was not saved")

    main_window.runner.submit(fail)
    wait_idle(main_window)
    boxes = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox)]
    assert any("disk is full" in box.text() for box in boxes if box.isVisible())
    for box in boxes:
        box.close()


def test_unexpected_errors_reach_the_crash_dialog_and_the_app_goes_on(
    main_window: MainWindow, qtbot: QtBot, wait_idle: Wait
) -> None:
    def broken() -> None:
        raise RuntimeError("something unexpected")

    main_window.runner.submit(broken)
    wait_idle(main_window)
    (dialog,) = main_window._crash_dialogs
    assert "RuntimeError: something unexpected" in dialog.details.toPlainText()
    assert "Traceback" in dialog.details.toPlainText()
    dialog.copy()
    assert __version__ in QApplication.clipboard().text()
    dialog.close()
    assert main_window.isVisible()

    previous = install_excepthook(main_window)
    try:
        try:
            raise ValueError("escaped from a slot")
        except ValueError:
            sys.excepthook(*sys.exc_info())  # type: ignore[arg-type]
    finally:
        sys.excepthook = previous
    assert any("escaped from a slot" in d.details.toPlainText() for d in main_window._crash_dialogs)


def test_rename_onto_an_existing_tag_merges_after_asking(
    filled_window: MainWindow, monkeypatch: pytest.MonkeyPatch, wait_idle: Wait
) -> None:
    window = filled_window
    first, second = window.model.id_at(0), window.model.id_at(1)
    window.editing.add_tag([first], "climate")
    window.editing.add_tag([second], "environment")
    wait_idle(window)
    questions: list[str] = []
    monkeypatch.setattr(dialogs, "confirm", lambda _w, _t, text, _a: questions.append(text) or True)
    window.tagging.rename_to("climate", "environment")
    wait_idle(window)
    assert questions and "Merge" in questions[0]
    names = {e.name: e.count for e in window.tag_pane.model.entries(Group.TAGS)}
    assert names == {"environment": 2}
    window.undo_stack.undo()
    wait_idle(window)
    names = {e.name: e.count for e in window.tag_pane.model.entries(Group.TAGS)}
    assert names == {"climate": 1, "environment": 1}


@pytest.mark.parametrize(
    ("existing", "typed"),
    [("Ärger", "ärger"), ("Élection", "E\u0301LECTION")],
    ids=["non-ascii-case", "decomposed-accent"],
)
def test_rename_onto_an_existing_tag_in_another_case_merges(
    filled_window: MainWindow,
    monkeypatch: pytest.MonkeyPatch,
    wait_idle: Wait,
    existing: str,
    typed: str,
) -> None:
    window = filled_window
    first, second = window.model.id_at(0), window.model.id_at(1)
    window.editing.add_tag([first], existing)
    window.editing.add_tag([second], "Wut")
    wait_idle(window)
    questions: list[str] = []
    monkeypatch.setattr(dialogs, "confirm", lambda _w, _t, text, _a: questions.append(text) or True)
    window.tagging.rename_to("Wut", typed)
    wait_idle(window)
    assert len(questions) == 1 and f"“{existing}” exists already" in questions[0]
    names = {e.name: e.count for e in window.tag_pane.model.entries(Group.TAGS)}
    assert names == {existing: 2}
    window.undo_stack.undo()
    wait_idle(window)
    names = {e.name: e.count for e in window.tag_pane.model.entries(Group.TAGS)}
    assert names == {existing: 1, "Wut": 1}


def test_delete_and_colour_a_tag(
    filled_window: MainWindow, monkeypatch: pytest.MonkeyPatch, wait_idle: Wait
) -> None:
    window = filled_window
    window.editing.add_tag([window.model.id_at(0)], "draft")
    wait_idle(window)
    monkeypatch.setattr(dialogs, "ask_color", lambda _w, _c: "#aa3355")
    window.tagging.color("draft")
    wait_idle(window)
    assert window.model.tag_colors["draft"] == "#aa3355"
    monkeypatch.setattr(dialogs, "confirm", lambda *_args: True)
    window.tagging.delete("draft")
    wait_idle(window)
    assert not window.tag_pane.model.index_of((EntryKind.TAG, "draft")).isValid()
    window.undo_stack.undo()
    wait_idle(window)
    assert window.tag_pane.model.index_of((EntryKind.TAG, "draft")).isValid()


def test_save_the_filter_as_a_search(
    filled_window: MainWindow, monkeypatch: pytest.MonkeyPatch, wait_idle: Wait
) -> None:
    window = filled_window
    window.filter_bar.set_text("frost OR ferry")
    wait_idle(window)
    monkeypatch.setattr(dialogs, "ask_text", lambda *_args: "Weather and boats")
    window.filter_bar.save_button.click()
    wait_idle(window)
    window.filter_bar.clear()
    wait_idle(window)
    window.tag_pane.select_keys([(EntryKind.SEARCH, "Weather and boats")])
    wait_idle(window)
    assert window.model.rowCount() == 2


def test_window_refreshes_after_another_program_writes(
    filled_window: MainWindow, qtbot: QtBot
) -> None:
    from corpusdesk.library.library import Library

    window = filled_window
    assert window.library is not None
    with Library.open(window.library.path) as other:
        other.create_tag("added elsewhere")
    qtbot.waitUntil(lambda: "added elsewhere" in window.tagging.tag_names(), timeout=10000)


def test_results_arriving_after_the_window_closed_are_dropped(
    qtbot: QtBot, library_path: Path
) -> None:
    from PySide6.QtCore import QCoreApplication, QEvent

    from corpusdesk.gui.tasks import Pool

    window = MainWindow()
    window.show()
    label = window.filter_bar.error_label
    window.runner.submit(lambda: "done", lambda _result: label.hide(), pool=Pool.READ)
    window.close()
    window.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    QCoreApplication.processEvents()
