"""A new search shows its opening rows first, then adds the rest below them undisturbed."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QItemSelectionModel
from pytestqt.qtbot import QtBot

from corpusdesk.core.records import ArticleRow
from corpusdesk.gui.main_window import MainWindow
from corpusdesk.gui.search import FIRST_PAGE
from corpusdesk.library.library import Library
from tests.factories import make_draft, paragraph

Wait = Callable[[MainWindow], None]
ARTICLES = 260


def _fill(path: Path) -> None:
    with Library.open(path) as library:
        drafts = [
            make_draft(
                f"Harbour notes {n}. " + paragraph(n),
                title=f"Notes {n:03}",
                published=dt.date(2021, 1, 1) + dt.timedelta(days=n),
            )
            for n in range(ARTICLES)
        ]
        library.bulk_add(drafts)


def _window(qtbot: QtBot, library_path: Path, wait_idle: Wait) -> MainWindow:
    _fill(library_path)
    window = MainWindow()
    qtbot.addWidget(window)
    window.set_library(window.library_process.open(library_path))
    window.show()
    qtbot.waitExposed(window)
    wait_idle(window)
    return window


def test_new_query_shows_first_page_then_appends_the_rest(
    qtbot: QtBot, library_path: Path, wait_idle: Wait
) -> None:
    window = _window(qtbot, library_path, wait_idle)
    model = window.model
    assert model.rowCount() == ARTICLES
    events: list[tuple[str, int]] = []
    window.search.first_page_shown.connect(lambda: events.append(("first", model.rowCount())))
    window.search.finished.connect(lambda: events.append(("all", model.rowCount())))
    resets: list[int] = []
    inserted: list[tuple[int, int]] = []
    model.modelReset.connect(lambda: resets.append(model.rowCount()))
    model.rowsInserted.connect(lambda _parent, first, last: inserted.append((first, last)))

    window.filter_bar.set_text("harbour")
    qtbot.waitUntil(lambda: ("all", ARTICLES) in events, timeout=10000)
    assert events == [("first", FIRST_PAGE), ("all", ARTICLES)]
    assert resets == [FIRST_PAGE]  # the rest came as inserted rows, not a second reset
    assert inserted == [(FIRST_PAGE, ARTICLES - 1)]
    assert window.filter_bar.count_label.text() == f"{ARTICLES:,} articles"
    assert model.ids() == window.library.search_ids(  # type: ignore[union-attr]
        "harbour", sort=model.sort_key(), descending=model.descending()
    )
    window.close()


def test_selection_beyond_the_first_page_survives_a_new_order(
    qtbot: QtBot, library_path: Path, wait_idle: Wait
) -> None:
    window = _window(qtbot, library_path, wait_idle)
    model = window.model
    deep_row = ARTICLES - 5
    chosen = model.id_at(deep_row)
    window.table.selectionModel().setCurrentIndex(
        model.index(deep_row, 0),
        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
    )
    assert window.table.selected_ids() == [chosen]
    with qtbot.waitSignal(window.search.finished, timeout=10000):
        window.table.sortByColumn(0, model.sort_order)  # by title
    wait_idle(window)
    assert window.table.selected_ids() == [chosen]
    assert window.table.current_id() == chosen


def test_refreshing_the_same_search_keeps_every_row(
    qtbot: QtBot, library_path: Path, wait_idle: Wait
) -> None:
    window = _window(qtbot, library_path, wait_idle)
    shown: list[int] = []
    window.search.first_page_shown.connect(lambda: shown.append(window.model.rowCount()))
    with qtbot.waitSignal(window.search.finished, timeout=10000):
        window.search.request()
    assert shown == []  # the table never shrinks to one page for a refresh
    assert window.model.rowCount() == ARTICLES


def test_rows_on_screen_come_with_the_result(
    qtbot: QtBot, library_path: Path, wait_idle: Wait
) -> None:
    """Painting a new or refreshed result reads no rows on the GUI thread."""
    window = _window(qtbot, library_path, wait_idle)
    model = window.model
    reads_here: list[int] = []
    gui_thread = threading.get_ident()
    assert window.library is not None
    read_rows = window.library.rows

    def recording(ids: Sequence[int]) -> dict[int, ArticleRow]:
        if threading.get_ident() == gui_thread:
            reads_here.append(len(ids))
        return read_rows(ids)

    model.set_fetcher(recording)
    with qtbot.waitSignal(window.search.finished, timeout=10000):
        window.filter_bar.set_text("harbour")
    window.table.viewport().repaint()
    with qtbot.waitSignal(window.search.finished, timeout=10000):
        window.search.request()  # a refresh, as after an import batch
    window.table.viewport().repaint()
    assert model.row_record(0) is not None
    assert reads_here == []


def test_the_count_of_a_new_query_comes_before_its_every_id(
    qtbot: QtBot, library_path: Path, wait_idle: Wait
) -> None:
    window = _window(qtbot, library_path, wait_idle)
    library = window.library
    assert library is not None
    every_id_listed = threading.Event()
    counts_when_listed: list[str] = []
    list_ids = library.search_ids

    def slow_every_id(query: str = "", **options: object) -> list[int]:
        if options.get("limit") is None:
            every_id_listed.wait(10)
        return list_ids(query, **options)  # type: ignore[arg-type]

    library.search_ids = slow_every_id  # type: ignore[method-assign]
    shown: list[str] = []
    window.search.first_page_shown.connect(
        lambda: shown.append(window.filter_bar.count_label.text())
    )
    window.filter_bar.set_text('"notes 1*" -lighthouse')  # notes 1, 10-19 and 100-199
    qtbot.waitUntil(lambda: bool(shown), timeout=10000)
    assert shown == ["Counting…"]
    qtbot.waitUntil(lambda: window.filter_bar.count_label.text() != "Counting…", timeout=10000)
    counts_when_listed.append(window.filter_bar.count_label.text())
    with qtbot.waitSignal(window.search.finished, timeout=10000):
        every_id_listed.set()
    assert counts_when_listed == [f"111 of {ARTICLES:,} articles"]
    assert window.model.rowCount() == 111
    with qtbot.waitSignal(window.search.finished, timeout=10000):
        window.filter_bar.set_text("harbour")
    assert window.filter_bar.count_label.text() == f"{ARTICLES:,} articles"
    window.close()


def test_a_new_order_keeps_the_count_it_had(
    qtbot: QtBot, library_path: Path, wait_idle: Wait
) -> None:
    window = _window(qtbot, library_path, wait_idle)
    with qtbot.waitSignal(window.search.finished, timeout=10000):
        window.filter_bar.set_text('"notes 1*"')
    shown: list[str] = []
    window.search.first_page_shown.connect(
        lambda: shown.append(window.filter_bar.count_label.text())
    )
    with qtbot.waitSignal(window.search.finished, timeout=10000):
        window.table.sortByColumn(0, window.model.sort_order)  # by title
    assert shown == [f"111 of {ARTICLES:,} articles"]
    assert window.filter_bar.count_label.text() == f"111 of {ARTICLES:,} articles"
    window.close()
