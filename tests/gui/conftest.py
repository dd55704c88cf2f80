"""Fixtures for the GUI tests: temporary settings, a temporary library and the main window.

Every test here runs headless (``QT_QPA_PLATFORM=offscreen``), with QSettings pointed at a
temporary folder so nothing of the user's own settings is read or written.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QSettings
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from corpusdesk.gui import settings
from corpusdesk.gui.app import create_application
from corpusdesk.gui.main_window import MainWindow
from tests.gui.pages import write_pages

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
HERE = Path(__file__).parent
PLATFORM_NOISE = "This plugin does not support propagateSizeHints"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark every test in this folder ``gui``; any Qt warning but platform noise fails it."""
    for item in items:
        if HERE in Path(str(item.path)).parents:
            item.add_marker(pytest.mark.gui)
            item.add_marker(pytest.mark.qt_log_level_fail("WARNING"))
            item.add_marker(pytest.mark.qt_log_ignore(PLATFORM_NOISE))


@pytest.fixture(autouse=True)
def temp_settings(tmp_path: Path, qapp: QApplication) -> Iterator[Path]:
    """QSettings stored in a temporary folder, in INI format, for this test only."""
    folder = tmp_path / "settings"
    folder.mkdir()
    create_application()
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))
    settings.configure()
    assert QCoreApplication.organizationName() == settings.ORGANIZATION
    yield folder


@pytest.fixture
def library_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Where the test library lives; also exported as the default library."""
    data = tmp_path / "data"
    data.mkdir()
    path = data / "test.corpusdesk.db"
    monkeypatch.setenv("CORPUSDESK_DATA_DIR", str(data))
    monkeypatch.setenv("CORPUSDESK_LIBRARY", str(path))
    return path


@pytest.fixture
def wait_idle(qtbot: QtBot) -> Callable[[MainWindow], None]:
    """Wait until the window's background work has all been reported back."""

    def wait(window: MainWindow) -> None:
        qtbot.waitUntil(
            lambda: window.runner.pending == 0 and not window.jobs.running, timeout=20000
        )

    return wait


@pytest.fixture
def main_window(
    qtbot: QtBot, library_path: Path, wait_idle: Callable[[MainWindow], None]
) -> Iterator[MainWindow]:
    """The main window on an empty temporary library, shown and settled."""
    window = MainWindow()
    qtbot.addWidget(window)
    assert window.open_library_path(library_path)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitActive(window)
    wait_idle(window)
    yield window
    window.close()


@pytest.fixture
def pages(tmp_path: Path) -> list[Path]:
    """Three fictional article pages in a temporary folder."""
    return write_pages(tmp_path / "pages")


@pytest.fixture
def filled_window(
    main_window: MainWindow,
    pages: list[Path],
    qtbot: QtBot,
    wait_idle: Callable[[MainWindow], None],
) -> MainWindow:
    """The main window after importing the three pages (through the import job)."""
    with qtbot.waitSignal(main_window.jobs.import_finished, timeout=30000):
        main_window.transfers.import_paths(pages)
    wait_idle(main_window)
    qtbot.waitUntil(lambda: main_window.model.rowCount() == 3)
    if main_window.transfers.report_dialog is not None:
        main_window.transfers.report_dialog.close()
    main_window.activateWindow()
    qtbot.waitActive(main_window)
    return main_window
