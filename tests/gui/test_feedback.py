"""What the window tells the user: the status line, import progress and reports, file
dialogs' starting folders, and counts in the right number."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QItemSelectionModel, QSettings
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFileDialog, QPushButton
from pytestqt.qtbot import QtBot

from corpusdesk.core.records import FileResult, ImportReport, Outcome
from corpusdesk.gui import settings
from corpusdesk.gui.dialogs import ImportReportDialog
from corpusdesk.gui.main_window import MainWindow
from tests.gui.pages import write_pages

Wait = Callable[[MainWindow], None]


def test_a_new_import_clears_the_status_and_counts_files_not_dropped_items(
    main_window: MainWindow,
    tmp_path: Path,
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
    wait_idle: Wait,
) -> None:
    window = main_window
    folder = tmp_path / "saved pages"
    write_pages(folder)
    labels: list[str] = []
    original = window.progress.progress

    def progress(done: int, total: int, text: str) -> None:
        labels.append(text)
        original(done, total, text)

    monkeypatch.setattr(window.progress, "progress", progress)
    window.show_status("Import finished: 9 imported, 0 already in the library, 0 failed")
    with qtbot.waitSignal(window.jobs.import_finished, timeout=30000):
        window.transfers.import_paths([folder])  # one dropped item, three files
        assert window.status_label.text() == ""
        assert window.progress.label.text() == "Looking for pages to import…"
    assert labels and set(labels) == {"Importing 3 files…"}
    wait_idle(window)

    dialog = window.transfers.report_dialog
    assert dialog is not None
    heading = dialog.heading.text()
    assert f"Import of the folder saved pages (in {tmp_path})" in heading
    assert "started 20" in heading and "took" in heading
    assert "3 imported, 0 already in the library, 0 failed" in heading
    assert dialog.heading.toolTip() == str(folder)
    dialog.close()

    with qtbot.waitSignal(window.jobs.import_finished, timeout=30000):
        window.transfers.import_paths(sorted(folder.iterdir())[:2])
    dialog = window.transfers.report_dialog
    assert dialog is not None
    assert f"2 files from {folder}" in dialog.heading.text()
    assert [outcome for _name, outcome, _reason in dialog.listed()] == [
        "skipped: already in the library"
    ] * 2
    dialog.close()


def test_counts_of_one_are_in_the_singular(
    filled_window: MainWindow,
    qtbot: QtBot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    wait_idle: Wait,
) -> None:
    window = filled_window
    titles: list[str] = []

    def save_name(_parent: object, title: str, start: str, _filters: str) -> tuple[str, str]:
        titles.append(title)
        return str(tmp_path / "one.jsonl"), "JSON Lines (*.jsonl)"

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_name)
    window.table.selectionModel().setCurrentIndex(
        window.model.index(0, 0),
        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
    )
    with qtbot.waitSignal(window.jobs.export_finished, timeout=10000):
        window.menu_actions.export_selection.trigger()
    assert titles == ["Export 1 Article"]
    assert window.status_label.text().startswith("Exported 1 article to ")
    wait_idle(window)
    assert window.stats_label.text() == "3 articles · 0 tags · 0 in trash"
    window.editing.add_tag(window.table.selected_ids(), "solo")
    wait_idle(window)
    assert window.stats_label.text() == "3 articles · 1 tag · 0 in trash"


def test_file_dialogs_start_in_downloads_or_documents_and_remember_the_folder_picked(
    filled_window: MainWindow,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window = filled_window
    home = tmp_path / "home"
    (home / "Downloads").mkdir(parents=True)
    (home / "Documents").mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    for key in ("imports", "exports", "libraries"):
        window.store.remove(f"folders/{key}")
    opened: list[str] = []
    picked = tmp_path / "pages"  # where the filled window's pages are

    def choose_folder(_parent: object, _title: str, start: str) -> str:
        opened.append(start)
        return str(picked)

    def choose_files(_parent: object, _title: str, start: str, _f: str) -> tuple[list[str], str]:
        opened.append(start)
        return [str(picked / "harbour.html")], ""

    monkeypatch.setattr(QFileDialog, "getExistingDirectory", choose_folder)
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", choose_files)
    imported: list[list[Path]] = []
    monkeypatch.setattr(window.transfers, "import_paths", imported.append)
    window.transfers.import_folder()
    window.transfers.import_files()
    window.transfers.import_files()
    assert imported == [[picked], [picked / "harbour.html"], [picked / "harbour.html"]]
    # First Downloads; then the folder picked (not its parent), and the files' folder.
    assert opened == [str(home / "Downloads"), str(picked), str(picked)]
    assert settings.folder(window.store, "exports") == str(home / "Documents")


def test_a_first_dialog_never_opens_in_the_library_s_own_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "home"
    for name in ("Downloads", "Documents"):
        (home / name).mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    store = QSettings(str(tmp_path / "fresh.ini"), QSettings.Format.IniFormat)
    assert settings.folder(store, "exports") == str(home / "Documents")
    # A library kept in Documents: the export dialog shows Downloads instead.
    assert settings.folder(store, "exports", avoid=home / "Documents") == str(home / "Downloads")
    assert settings.folder(store, "imports", avoid=home / "Downloads") == str(home / "Documents")


def test_the_import_report_shows_whole_reasons_beside_long_names_and_copies_them(
    qtbot: QtBot,
) -> None:
    long_name = "A very long saved page name that goes on and on — copie ✓ " * 3 + ".html"
    reason = "not an HTML page: the file is a gzip-compressed file"
    report = ImportReport(
        started_at=dt.datetime(2026, 11, 30, 9, 0),
        finished_at=dt.datetime(2026, 11, 30, 9, 1),
        results=[
            FileResult(f"/home/ann/pages #1/{long_name}", Outcome.FAILED, reason=reason),
            FileResult("/home/ann/pages #1/b.html", Outcome.IMPORTED, 7, near_duplicate_of=3),
            FileResult("/home/ann/pages #1/c.html", Outcome.IMPORTED, 8),
        ],
        sources=("/home/ann/pages #1",),
    )
    dialog = ImportReportDialog(report)
    qtbot.addWidget(dialog)
    dialog.show()

    table = dialog.table
    header = table.horizontalHeader()
    assert header.sectionSize(0) <= 0.4 * dialog.width()
    assert header.sectionSize(2) >= 0.3 * dialog.width()
    first_reason = table.item(0, 2)
    assert first_reason is not None and first_reason.toolTip() == reason
    assert table.rowHeight(0) >= table.fontMetrics().lineSpacing()

    [copy] = [b for b in dialog.findChildren(QPushButton) if b.text() == "Copy List"]
    copy.click()
    assert QGuiApplication.clipboard().text().splitlines() == [
        f"/home/ann/pages #1/{long_name}\tfailed\t{reason}",
        "/home/ann/pages #1/b.html\timported as a copy\tthe same or nearly the same text as "
        "article #3; kept and grouped with it (see With copies)",
    ]
