"""Long jobs run in a child process: reports, Cancel, errors, a killed child, closing the window."""

from __future__ import annotations

import functools
import os
import signal
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from corpusdesk.gui import dialogs, job_process
from corpusdesk.gui.main_window import MainWindow
from tests.gui.job_doubles import FailingExport, HeldImport, StubbornImport, StuckExport

Wait = Callable[[MainWindow], None]

needs_proc = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="reads process groups from /proc"
)


def group_members(group: int) -> list[int]:
    """The live processes (not zombies) in process group ``group``."""
    members = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[2]) == group and fields[0] != "Z":
            members.append(int(stat.parent.name))
    return members


@pytest.fixture
def more_pages(pages: list[Path]) -> list[Path]:
    """The three pages and three empty files: enough for the import to use worker processes."""
    blanks = [pages[0].with_name(f"blank-{n}.html") for n in range(3)]
    for blank in blanks:
        blank.write_bytes(b"")
    return [*pages, *blanks]


@pytest.fixture
def messages(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The texts of the error messages the window shows."""
    shown: list[str] = []
    monkeypatch.setattr(dialogs, "show_error", lambda _parent, _title, text: shown.append(text))
    return shown


def hold_imports(monkeypatch: pytest.MonkeyPatch, marker: Path, hold_after: int) -> None:
    """Make the window's imports wait after ``hold_after`` files until they are cancelled."""
    held = functools.partial(HeldImport, marker=marker, hold_after=hold_after)
    monkeypatch.setattr("corpusdesk.gui.jobs.ImportJob", held)


def test_an_import_runs_in_a_child_process_and_reports(
    main_window: MainWindow,
    more_pages: list[Path],
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
    wait_idle: Wait,
) -> None:
    def not_here(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("the import ran in the window's process")

    monkeypatch.setattr("corpusdesk.importing.pipeline.run_import", not_here)
    jobs = main_window.jobs
    committed: list[int] = []
    jobs.committed.connect(committed.append)
    with qtbot.waitSignal(jobs.import_finished, timeout=60000) as finished:
        main_window.transfers.import_paths(more_pages)
        assert jobs.running and main_window.progress.isVisible()
        qtbot.waitUntil(lambda: jobs.process_id is not None, timeout=10000)
        assert jobs.process_id != os.getpid()
    outcome = finished.args[0]
    assert (outcome.report.imported, len(outcome.report.failed)) == (3, 3)
    assert sum(committed) == 3
    assert not jobs.running and not main_window.progress.isVisible()
    library = main_window.library
    assert library is not None
    (run,) = library.import_runs()
    assert run.id == outcome.run_id
    wait_idle(main_window)
    qtbot.waitUntil(lambda: main_window.model.rowCount() == 3)
    main_window.transfers.report_dialog.close()  # type: ignore[union-attr]


def test_cancel_stops_the_import_in_the_child(
    main_window: MainWindow,
    pages: list[Path],
    tmp_path: Path,
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    marker = tmp_path / "held"
    hold_imports(monkeypatch, marker, hold_after=0)
    jobs, progress = main_window.jobs, main_window.progress
    with qtbot.waitSignal(jobs.import_finished, timeout=60000) as finished:
        main_window.transfers.import_paths(pages)
        qtbot.waitUntil(marker.exists, timeout=30000)
        progress.cancel_button.click()
        assert progress.label.text() == "Cancelling…"
    report = finished.args[0].report
    assert report.cancelled
    assert report.imported == 0
    assert not progress.isVisible() and not jobs.running
    main_window.transfers.report_dialog.close()  # type: ignore[union-attr]


def test_a_user_error_in_the_child_becomes_a_message(
    filled_window: MainWindow, tmp_path: Path, messages: list[str], wait_idle: Wait
) -> None:
    window = filled_window
    assert window.library is not None
    target = tmp_path / "missing folder" / "out.jsonl"
    window.jobs.start_export(window.library, window.model.ids(), target)
    wait_idle(window)
    assert messages == [f"cannot export: the folder {target.parent} does not exist"]
    assert not window.progress.isVisible()


def test_an_unexpected_error_in_the_child_reaches_the_crash_dialog(
    filled_window: MainWindow,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    wait_idle: Wait,
) -> None:
    window = filled_window
    crashes: list[tuple[str, str]] = []
    monkeypatch.setattr(
        window, "show_crash", lambda summary, details: crashes.append((summary, details))
    )
    monkeypatch.setattr("corpusdesk.gui.jobs.ExportJob", FailingExport)
    assert window.library is not None
    window.jobs.start_export(window.library, window.model.ids(), tmp_path / "out.jsonl")
    wait_idle(window)
    ((summary, details),) = crashes
    assert summary == "RuntimeError: the export of 3 articles broke in the child"
    assert "job_doubles.py" in details and "in run" in details
    assert not (tmp_path / "out.jsonl").exists()


@needs_proc
def test_a_killed_child_gives_a_clear_error_and_takes_its_workers_along(
    main_window: MainWindow,
    more_pages: list[Path],
    tmp_path: Path,
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
    messages: list[str],
    wait_idle: Wait,
) -> None:
    marker = tmp_path / "held"
    hold_imports(monkeypatch, marker, hold_after=1)
    jobs = main_window.jobs
    with qtbot.waitSignal(jobs.interrupted, timeout=60000):
        main_window.transfers.import_paths(more_pages)
        qtbot.waitUntil(marker.exists, timeout=30000)
        pid = jobs.process_id
        assert pid is not None
        assert len(group_members(pid)) > 1  # the child and its import workers
        os.kill(pid, signal.SIGKILL)
    wait_idle(main_window)
    assert len(messages) == 1
    assert "import stopped unexpectedly" in messages[0]
    assert "killed (SIGKILL)" in messages[0]
    assert not jobs.running and not main_window.progress.isVisible()
    qtbot.waitUntil(lambda: not group_members(pid), timeout=10000)
    assert main_window.transfers.report_dialog is None


def _close_during_import(qtbot: QtBot, library_path: Path, paths: list[Path], marker: Path) -> None:
    """Start importing ``paths``, close the window once ``marker`` exists, and check that the
    job's whole process group is gone within five seconds."""

    window = MainWindow()
    qtbot.addWidget(window)
    window.set_library(window.library_process.open(library_path))
    window.show()
    window.transfers.import_paths(paths)
    qtbot.waitUntil(marker.exists, timeout=30000)
    pid = window.jobs.process_id
    assert pid is not None
    started = time.monotonic()
    window.close()
    qtbot.waitUntil(lambda: not group_members(pid), timeout=5000)
    assert time.monotonic() - started < 5


@needs_proc
def test_closing_the_window_ends_the_job(
    qtbot: QtBot,
    library_path: Path,
    more_pages: list[Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    marker = tmp_path / "held"
    hold_imports(monkeypatch, marker, hold_after=1)
    _close_during_import(qtbot, library_path, more_pages, marker)


@needs_proc
def test_a_job_that_ignores_cancel_is_ended_when_the_window_closes(
    qtbot: QtBot,
    library_path: Path,
    pages: list[Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    marker = tmp_path / "stuck"
    stubborn = functools.partial(StubbornImport, marker=marker)
    monkeypatch.setattr("corpusdesk.gui.jobs.ImportJob", stubborn)
    monkeypatch.setattr(job_process, "STOP_GRACE", 0.5)
    monkeypatch.setattr(job_process, "KILL_GRACE", 0.5)
    _close_during_import(qtbot, library_path, pages, marker)


def test_committed_batches_refresh_the_table_then_the_tags_once_in_a_while(
    main_window: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, wait_idle: Wait
) -> None:
    window = main_window
    calls: list[str] = []
    search, reload = window.search.request, window.tagging.reload
    monkeypatch.setattr(window.search, "request", lambda: (calls.append("search"), search()))
    monkeypatch.setattr(window.tagging, "reload", lambda: (calls.append("tags"), reload()))
    for _ in range(5):
        window.jobs.committed.emit(200)
    qtbot.waitUntil(lambda: calls == ["search", "tags"], timeout=10000)
    wait_idle(window)
    assert calls == ["search", "tags"]


@needs_proc
def test_an_export_ended_with_the_window_leaves_no_partial_file(
    filled_window: MainWindow,
    tmp_path: Path,
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window = filled_window
    marker, folder = tmp_path / "stuck", tmp_path / "out"
    folder.mkdir()
    monkeypatch.setattr(
        "corpusdesk.gui.jobs.ExportJob", functools.partial(StuckExport, marker=marker)
    )
    monkeypatch.setattr(job_process, "STOP_GRACE", 0.5)
    assert window.library is not None
    window.jobs.start_export(window.library, window.model.ids(), folder / "all.jsonl")
    qtbot.waitUntil(marker.exists, timeout=30000)
    assert [p.suffix for p in folder.iterdir()] == [".part"]
    pid = window.jobs.process_id
    assert pid is not None
    window.close()
    qtbot.waitUntil(lambda: not group_members(pid), timeout=5000)
    assert list(folder.iterdir()) == []
