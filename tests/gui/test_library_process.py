"""The window's library lives in a process of its own: no descriptor here, a clear message if
that process dies, and the process gone when the window closes."""

from __future__ import annotations

import os
import signal
from collections.abc import Callable
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from corpusdesk.core.errors import QueryError
from corpusdesk.gui import dialogs
from corpusdesk.gui.main_window import MainWindow

Wait = Callable[[MainWindow], None]


def _descriptors_on(path: Path) -> list[str]:
    """The files this process has open that are ``path`` or one of its SQLite siblings."""
    found = []
    for entry in Path("/proc/self/fd").iterdir():
        try:
            target = str(entry.readlink())
        except OSError:
            continue
        if target.startswith(str(path)):
            found.append(target)
    return found


def test_window_process_holds_no_descriptor_of_its_library(
    filled_window: MainWindow, library_path: Path
) -> None:
    window = filled_window
    assert window.library is not None and window.library.count("") == 3
    assert window.library_process.pid not in (None, os.getpid())
    assert _descriptors_on(library_path) == []


def test_errors_cross_from_the_library_process_as_themselves(filled_window: MainWindow) -> None:
    library = filled_window.library
    assert library is not None
    with pytest.raises(QueryError) as raised:
        library.count("(unclosed")
    assert raised.value.position >= 0


def test_a_killed_library_process_is_a_message_and_reopening_recovers(
    filled_window: MainWindow,
    library_path: Path,
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
    wait_idle: Wait,
) -> None:
    window = filled_window
    shown: list[str] = []
    monkeypatch.setattr(dialogs, "show_error", lambda _parent, _title, text: shown.append(text))
    pid = window.library_process.pid
    assert pid is not None
    os.kill(pid, signal.SIGKILL)
    window.refresh_all()
    qtbot.waitUntil(lambda: bool(shown), timeout=10000)
    assert "SIGKILL" in shown[0] and "Open the library again" in shown[0]
    wait_idle(window)
    assert window.open_library_path(library_path)
    qtbot.waitUntil(lambda: window.model.rowCount() == 3, timeout=10000)
    assert window.library_process.pid not in (None, pid)


def test_closing_the_window_ends_the_library_process(
    filled_window: MainWindow, qtbot: QtBot
) -> None:
    pid = filled_window.library_process.pid
    assert pid is not None
    filled_window.close()

    def gone() -> bool:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        return False

    qtbot.waitUntil(gone, timeout=10000)
