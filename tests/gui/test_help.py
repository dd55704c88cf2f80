"""The Help menu (user guide, problem report), the crash dialog's log and start-up extras."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QLabel, QPushButton
from pytestqt.qtbot import QtBot

from corpusdesk import __version__, cli
from corpusdesk.core import logs
from corpusdesk.gui import dialogs, settings, startup
from corpusdesk.gui.help import Help, manual_path
from corpusdesk.gui.main_window import MainWindow


@pytest.fixture
def log_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The log started in a temporary folder, and taken off the root logger afterwards."""
    monkeypatch.setenv("CORPUSDESK_LOG_DIR", str(tmp_path / "log"))
    root = logging.getLogger()
    before = list(root.handlers)
    path = logs.start_logging()
    assert path is not None
    yield path
    for handler in root.handlers[:]:
        if handler not in before:
            root.removeHandler(handler)
            handler.close()


def _help(window: MainWindow) -> Help:
    found = window.findChild(Help)
    assert isinstance(found, Help)
    return found


def _menu_texts(window: MainWindow, title: str) -> list[str]:
    (menu,) = [a.menu() for a in window.menuBar().actions() if a.text() == title]
    return [action.text() for action in menu.actions() if not action.isSeparator()]


def test_the_help_menu_offers_the_guide_a_problem_report_and_about(
    main_window: MainWindow,
) -> None:
    assert _menu_texts(main_window, "&Help") == [
        "&User Guide",
        "&Report a Problem…",
        "&About corpusdesk",
    ]
    guide = main_window.findChild(QAction, "userGuideAction")
    assert guide is not None and guide.shortcut().toString() == "F1"


# The offscreen platform stacks no windows.
@pytest.mark.qt_log_ignore("This plugin does not support (raise|propagateSizeHints)")
def test_the_user_guide_is_the_shipped_manual_and_covers_the_main_tasks(
    main_window: MainWindow, qtbot: QtBot
) -> None:
    assert manual_path().is_file()
    main_window.findChild(QAction, "userGuideAction").trigger()
    guide = _help(main_window).guide
    assert guide is not None
    qtbot.waitExposed(guide)
    text = guide.browser.toPlainText()
    for topic in (
        "Importing pages",
        "Tags",
        "Searching",
        "Reading articles",
        "Exporting",
        "Team libraries",
        "Where your files are",
    ):
        assert topic in text, topic
    assert "Connect to Team Library" in text
    assert "date:2023-12-01..2023-12-31" in text
    guide.browser.scrollToAnchor("team")
    assert guide.browser.source().toLocalFile() == str(manual_path())
    # A second F1 brings the same window forward instead of opening another.
    assert _help(main_window).show_user_guide() is guide


def test_the_problem_report_has_versions_library_and_the_end_of_the_log(
    main_window: MainWindow, qtbot: QtBot, log_file: Path
) -> None:
    logging.getLogger("corpusdesk.test").warning("the last thing that happened")
    main_window.findChild(QAction, "reportProblemAction").trigger()
    report = _help(main_window).report
    assert report is not None
    qtbot.waitExposed(report)
    text = report.details.toPlainText()
    assert text.startswith(f"corpusdesk {__version__} (Python package)")
    assert "Platform: Linux" in text
    assert "Qt: 6." in text and "PySide6 6." in text
    assert main_window.library is not None
    assert f"Library: {main_window.library.path}" in text
    assert f"Log file: {log_file}" in text
    assert text.rstrip().endswith("the last thing that happened")
    report.copy()
    assert QApplication.clipboard().text() == text


def test_the_crash_dialog_says_where_the_log_is_and_writes_to_it(
    main_window: MainWindow, log_file: Path
) -> None:
    main_window.show_crash("ValueError: <broken>", "Traceback: the details\n")
    (dialog,) = main_window._crash_dialogs
    intro = " ".join(label.text() for label in dialog.findChildren(QLabel))
    assert str(log_file) in intro
    assert "ValueError: &lt;broken&gt;" in intro
    written = log_file.read_text(encoding="utf-8")
    assert "unexpected error: ValueError: <broken>" in written
    assert "Traceback: the details" in written
    dialog.close()


def test_messages_shown_to_the_user_are_noted_in_the_log(
    main_window: MainWindow, log_file: Path
) -> None:
    box = dialogs.show_error(main_window, "corpusdesk", "the disk is full")
    box.close()
    assert "shown to the user: the disk is full" in log_file.read_text(encoding="utf-8")


def test_the_first_run_banner_says_where_the_library_is_until_closed(
    main_window: MainWindow, qtbot: QtBot, library_path: Path
) -> None:
    banner = startup.show_first_run_banner(main_window, library_path)
    qtbot.waitUntil(banner.isVisible)
    assert str(library_path) in banner.text.text()
    assert "New Library…" in banner.text.text() and "Open Library…" in banner.text.text()
    assert main_window.centralWidget().layout().indexOf(banner) == 0  # above everything
    close = banner.findChild(QPushButton, "closeFirstRunBanner")
    assert close is not None
    close.click()
    assert not banner.isVisible()


def test_first_run_means_no_library_was_ever_opened(library_path: Path) -> None:
    store = settings.settings()
    assert startup.is_first_run(store)
    settings.remember_library(store, library_path)
    assert not startup.is_first_run(store)


def test_quit_after_waits_for_a_running_job(main_window: MainWindow, qtbot: QtBot) -> None:
    main_window.jobs.running = True
    startup.quit_after(main_window, 0.05)
    qtbot.wait(400)
    assert main_window.isVisible()
    main_window.jobs.running = False
    qtbot.waitUntil(lambda: not main_window.isVisible(), timeout=3000)


def test_files_the_app_is_opened_with_are_imported(
    main_window: MainWindow,
    pages: list[Path],
    qtbot: QtBot,
    wait_idle: Callable[[MainWindow], None],
) -> None:
    with qtbot.waitSignal(main_window.jobs.import_finished, timeout=30000):
        startup.import_files(main_window, pages[:2])
    wait_idle(main_window)
    qtbot.waitUntil(lambda: main_window.model.rowCount() == 2)
    if main_window.transfers.report_dialog is not None:
        main_window.transfers.report_dialog.close()


def test_corpusdesk_with_files_opens_the_app_to_import_them(
    pages: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[tuple[Path | None, list[Path], float | None]] = []

    def run_app(
        library_path: Path | None, *, files_to_import: list[Path], quit_after: float | None
    ) -> int:
        calls.append((library_path, list(files_to_import), quit_after))
        return 0

    monkeypatch.setattr("corpusdesk.gui.app.run_app", run_app)
    monkeypatch.delenv("CORPUSDESK_LIBRARY")
    assert cli.main([str(pages[0]), str(pages[1])]) == 0
    assert cli.main(["--quit-after", "2.5", "--library", "x.db", str(pages[0])]) == 0
    assert cli.main([]) == 0
    assert calls == [
        (None, [pages[0], pages[1]], None),
        (Path("x.db"), [pages[0]], 2.5),
        (None, [], None),
    ]
