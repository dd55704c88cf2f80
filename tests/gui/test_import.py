"""Importing by dropping files on the window: articles land in the table, failures are reported."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QLabel, QWidget
from pytestqt.qtbot import QtBot

from corpusdesk.gui import dialogs
from corpusdesk.gui.main_window import MainWindow
from tests.gui.pages import title_of


def drop_files(target: QWidget, paths: list[Path]) -> bool:
    """Drag ``paths`` over ``target`` and drop them; whether the drag was accepted."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path)) for path in paths])
    centre = target.rect().center()
    enter = QDragEnterEvent(
        centre,
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(target, enter)
    if not enter.isAccepted():
        return False
    drop = QDropEvent(
        QPointF(centre),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(target, drop)
    return drop.isAccepted()


def titles(window: MainWindow) -> set[str]:
    model = window.model
    return {str(model.index(row, 0).data()) for row in range(model.rowCount())}


def test_dropping_pages_on_the_table_imports_them(
    main_window: MainWindow,
    pages: list[Path],
    qtbot: QtBot,
    wait_idle: Callable[[MainWindow], None],
) -> None:
    assert main_window.table.notice.isVisible()
    assert "Drop HTML files" in main_window.table.notice.text()
    with qtbot.waitSignal(main_window.jobs.import_finished, timeout=30000) as finished:
        assert drop_files(main_window.table.viewport(), pages)
    report = finished.args[0].report
    assert report.imported == 3
    wait_idle(main_window)
    qtbot.waitUntil(lambda: main_window.model.rowCount() == 3)
    assert titles(main_window) == {title_of(p.name) for p in pages}
    assert not main_window.table.notice.isVisible()
    assert main_window.transfers.report_dialog is not None
    assert main_window.transfers.report_dialog.isVisible()
    assert "3 imported" in main_window.status_label.text()


def test_a_failed_file_is_listed_with_its_reason(
    main_window: MainWindow,
    pages: list[Path],
    tmp_path: Path,
    qtbot: QtBot,
    wait_idle: Callable[[MainWindow], None],
) -> None:
    empty = tmp_path / "pages" / "empty.html"
    empty.write_bytes(b"")
    binary = tmp_path / "pages" / "photo.html"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    with qtbot.waitSignal(main_window.jobs.import_finished, timeout=30000) as finished:
        assert drop_files(main_window, [pages[0], empty, binary])
    report = finished.args[0].report
    assert report.imported == 1
    assert {Path(r.path).name for r in report.failed} == {"empty.html", "photo.html"}
    wait_idle(main_window)
    dialog = main_window.transfers.report_dialog
    assert dialog is not None
    reasons = dialog.reasons()
    assert set(reasons) == {"empty.html", "photo.html"}
    assert all(reason.strip() for reason in reasons.values())
    assert "empty" in reasons["empty.html"]
    qtbot.waitUntil(lambda: main_window.model.rowCount() == 1)


def test_remote_urls_are_not_taken_as_a_drop(main_window: MainWindow) -> None:
    mime = QMimeData()
    mime.setUrls([QUrl("https://example.invalid/page.html")])
    enter = QDragEnterEvent(
        QPoint(5, 5),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    enter.ignore()
    QApplication.sendEvent(main_window.table.viewport(), enter)
    assert not main_window.jobs.running


def test_past_import_reports_can_be_opened_again(
    filled_window: MainWindow,
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
    wait_idle: Callable[[MainWindow], None],
) -> None:
    window = filled_window
    assert window.transfers.report_dialog is None
    monkeypatch.setattr(dialogs.ImportRunsDialog, "exec", lambda self: 1)
    window.menu_actions.import_reports.trigger()
    wait_idle(window)
    dialog = window.transfers.report_dialog
    assert dialog is not None and dialog.isVisible()
    assert "3 imported" in dialog.findChild(QLabel).text()
