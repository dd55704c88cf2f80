"""Search results in the window: snippets under titles, hits, relevance, stale results."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from corpusdesk.core.snippets import Snippet
from corpusdesk.gui.main_window import MainWindow
from corpusdesk.gui.models.articles_model import PAGE_SIZE, SNIPPET_ROLE, ArticlesModel, Column
from corpusdesk.library.articles import SortKey
from tests.gui.pages import title_of
from tests.gui.test_models import FakeRows

Wait = Callable[[MainWindow], None]


def search(window: MainWindow, text: str, wait_idle: Wait) -> None:
    window.filter_bar.set_text(text)
    wait_idle(window)


def test_words_in_the_filter_show_snippets_and_hits(
    filled_window: MainWindow, qtbot: QtBot, wait_idle: Wait
) -> None:
    window = filled_window
    header = window.table.horizontalHeader()
    single_row = window.table.verticalHeader().defaultSectionSize()
    assert header.isSectionHidden(Column.HITS)
    search(window, "ferry OR frost", wait_idle)
    assert window.table.results_mode and not header.isSectionHidden(Column.HITS)
    assert header.visualIndex(Column.HITS) == 1  # beside the title
    assert window.table.verticalHeader().defaultSectionSize() > single_row
    rows = {window.model.index(r, 0).data(): r for r in range(window.model.rowCount())}
    assert set(rows) == {title_of("harbour.html"), title_of("orchard.html")}
    harbour = rows[title_of("harbour.html")]
    snippet = window.model.index(harbour, Column.TITLE).data(SNIPPET_ROLE)
    assert isinstance(snippet, Snippet)
    assert {snippet.text[a:b].lower() for a, b in snippet.marks} == {"ferry"}
    hits = window.model.index(harbour, Column.HITS)
    assert int(hits.data()) == snippet.hits >= 3
    assert "occur" in hits.data(Qt.ItemDataRole.ToolTipRole)

    search(window, "site:upland", wait_idle)  # no words: no snippets
    assert not window.table.results_mode and header.isSectionHidden(Column.HITS)
    assert window.model.index(0, Column.TITLE).data(SNIPPET_ROLE) is None


def test_relevance_is_a_sort_order_of_the_window(
    filled_window: MainWindow, qtbot: QtBot, wait_idle: Wait
) -> None:
    window = filled_window
    assert window.library is not None
    search(window, "harbour OR frost OR library", wait_idle)
    window.menu_actions.sort_relevance.trigger()
    wait_idle(window)
    assert window.model.sort_key() is SortKey.RELEVANCE and not window.model.descending()
    best_first = window.library.search_ids("harbour OR frost OR library", sort=SortKey.RELEVANCE)
    assert window.model.ids() == best_first
    window.table.sortByColumn(Column.HITS, Qt.SortOrder.AscendingOrder)
    wait_idle(window)
    assert window.model.ids() == best_first[::-1]

    search(window, "", wait_idle)  # without words relevance means nothing: back to dates
    assert window.model.sort_column == Column.DATE


def test_relevance_without_words_says_what_it_needs(
    filled_window: MainWindow, wait_idle: Wait
) -> None:
    filled_window.menu_actions.sort_relevance.trigger()
    assert "Type words in the filter" in filled_window.status_label.text()


def test_a_malformed_query_greys_the_old_results_and_calls_them_stale(
    filled_window: MainWindow, wait_idle: Wait
) -> None:
    window = filled_window
    search(window, "ferry", wait_idle)
    kept = window.model.ids()
    search(window, "ferry (orchard", wait_idle)
    assert window.table.stale and window.model.ids() == kept
    assert window.filter_bar.count_label.text() == "Stale results"
    assert "still shows the results of the last valid query" in (
        window.filter_bar.error_label.text()
    )
    assert "last valid query" in window.table.toolTip()
    search(window, "ferry OR frost", wait_idle)
    assert not window.table.stale and window.table.toolTip() == ""
    assert window.filter_bar.count_label.text() == "2 of 3 articles"


def test_snippets_of_rows_scrolled_to_are_asked_for_by_page(qtbot: QtBot) -> None:
    model = ArticlesModel()
    model.set_fetcher(FakeRows())
    model.set_ids(list(range(1, 3 * PAGE_SIZE)))
    model.set_snippet_query("ferry")
    with qtbot.waitSignal(model.snippets_wanted) as wanted:
        assert model.index(PAGE_SIZE + 5, Column.TITLE).data(SNIPPET_ROLE) is None
    assert wanted.args == [list(range(PAGE_SIZE + 1, 2 * PAGE_SIZE + 1))]
    with qtbot.assertNotEmitted(model.snippets_wanted):
        model.index(PAGE_SIZE + 6, Column.HITS).data()  # the page is asked for already
    with qtbot.waitSignal(model.dataChanged):
        model.add_snippets("ferry", {PAGE_SIZE + 6: Snippet("a ferry", ((2, 7),), 4)})
    assert model.index(PAGE_SIZE + 5, Column.HITS).data() == "4"
    model.add_snippets("other query", {1: Snippet("x", (), 1)})  # too late: ignored
    model.set_snippet_query(None)
    assert model.index(0, Column.TITLE).data(SNIPPET_ROLE) is None


def test_the_model_with_snippets_passes_the_model_tester(qtmodeltester: ModelTester) -> None:
    model = ArticlesModel()
    model.set_fetcher(FakeRows())
    model.set_ids(list(range(1, 251)))
    model.set_snippet_query("ferry")
    model.add_snippets("ferry", {i: Snippet(f"the ferry {i}", ((4, 9),), i) for i in range(1, 120)})
    qtmodeltester.check(model, force_py=True)
    qtmodeltester.check(model)
