"""Exporting from the window: the selection to JSONL, everything shown to JSON or Parquet."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from PySide6.QtCore import QItemSelectionModel
from pytestqt.qtbot import QtBot

from corpusdesk.gui import dialogs
from corpusdesk.gui.main_window import MainWindow

Wait = Callable[[MainWindow], None]


def test_export_selection_writes_valid_jsonl(
    filled_window: MainWindow,
    qtbot: QtBot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    wait_idle: Wait,
) -> None:
    window = filled_window
    target = tmp_path / "out" / "chosen.jsonl"
    target.parent.mkdir()
    monkeypatch.setattr(dialogs, "ask_export_path", lambda *_args: target)
    selection = window.table.selectionModel()
    for row in (0, 2):
        selection.select(
            window.model.index(row, 0),
            QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows,
        )
    chosen = window.table.selected_ids()
    with qtbot.waitSignal(window.jobs.export_finished, timeout=10000) as finished:
        window.menu_actions.export_selection.trigger()
    assert finished.args[0].count == 2
    lines = target.read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines]
    assert len(records) == 2
    assert {r["id"] for r in records} == set(chosen)
    assert all(r["title"] and r["text"] for r in records)
    wait_idle(window)
    assert str(target) in window.status_label.text()
    assert window.store.value("folders/exports") == str(target.parent)


def test_export_all_shown_as_json(
    filled_window: MainWindow,
    qtbot: QtBot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window = filled_window
    target = tmp_path / "all.json"
    monkeypatch.setattr(dialogs, "ask_export_path", lambda *_args: target)
    with qtbot.waitSignal(window.jobs.export_finished, timeout=10000):
        window.menu_actions.export_shown.trigger()
    data = json.loads(target.read_text(encoding="utf-8"))
    assert len(data) == 3


def test_exporting_nothing_explains_why(
    main_window: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[str] = []
    monkeypatch.setattr(dialogs, "show_error", lambda _parent, _title, text: shown.append(text))
    main_window.menu_actions.export_selection.trigger()
    assert shown and "no articles" in shown[0]


def test_export_to_parquet_by_its_name(
    filled_window: MainWindow,
    qtbot: QtBot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window = filled_window
    target = tmp_path / "corpus.parquet"
    monkeypatch.setattr(dialogs, "ask_export_path", lambda *_args: target)
    with qtbot.waitSignal(window.jobs.export_finished, timeout=10000) as finished:
        window.menu_actions.export_shown.trigger()
    assert finished.args[0].count == 3
    table = pq.read_table(target)
    assert table.num_rows == 3 and set(table["id"].to_pylist()) == set(window.model.ids())
    assert table.schema.field("published").type == pa.date32()
    assert table.schema.field("tags").type == pa.list_(pa.string())


@pytest.mark.parametrize(
    ("typed", "extension", "expected"),
    [
        ("corpus", ".parquet", "corpus.parquet"),
        ("corpus.csv", ".parquet", "corpus.csv"),
        ("refs", ".csl.json", "refs.csl.json"),
        ("refs.json", ".csl.json", "refs.csl.json"),
        ("refs.json", ".json", "refs.json"),
        ("notes.txt", ".csv", "notes.txt.csv"),
    ],
)
def test_the_chosen_filter_names_the_format(typed: str, extension: str, expected: str) -> None:
    assert dialogs.export_path_for(Path("/x") / typed, extension) == Path("/x") / expected
    assert set(dialogs.EXPORT_FILTERS.values()) == {
        ".jsonl",
        ".json",
        ".csv",
        ".parquet",
        ".csl.json",
    }
