"""The analysis panel through the real window: concordance to preview, lists, the trend chart."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from corpusdesk.gui.analysis.panel import AnalysisPanel
from corpusdesk.gui.main_window import MainWindow


def open_panel(window: MainWindow, tab: str) -> AnalysisPanel:
    action = next(
        a for a in window.menu_actions.analysis if a.text().replace("&", "").startswith(tab)
    )
    action.trigger()
    panel = window.analysis_panel
    assert panel is not None and panel.isVisible()
    return panel


def test_a_concordance_line_opens_the_article_at_its_hit(
    filled_window: MainWindow, qtbot: QtBot, wait_idle: Callable[[MainWindow], None]
) -> None:
    window = filled_window
    panel = open_panel(window, "Concordance")
    assert panel.scope_note.text() == "3 articles"
    view = panel.concordance
    view.term.setText("ferry")
    with qtbot.waitSignal(view.completed, timeout=10000):
        view.search()
    lines = view.model.rows
    # Four times in the text of the harbour story (its title has "Ferry" too, not in the text).
    assert [line.hit for line in lines] == ["ferry"] * 4
    assert view.status.text() == "4 lines in 1 articles holding ferry"
    view.sort_boxes[0].setCurrentIndex(view.sort_boxes[0].findData("L1"))
    assert [line.left_words[0] for line in view.model.rows] == ["a", "night", "no", "the"]

    target = view.model.rows[2]
    rect = view.table.visualRect(view.model.index(2, 1))
    with qtbot.waitSignal(window.previews.loaded, timeout=10000):
        qtbot.mouseClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    wait_idle(window)
    assert window.table.current_id() == target.article_id
    preview = window.preview
    qtbot.waitUntil(lambda: preview.text_view.textCursor().selectedText() != "")
    text_cursor = preview.text_view.textCursor()
    assert (text_cursor.selectionStart(), text_cursor.selectionEnd()) == (target.start, target.end)
    assert preview.browser.textCursor().selectedText().lower() == "ferry"
    # The same hit in the rendered article: the right occurrence after the title's "Ferry".
    rendered = preview.browser.document().toPlainText()
    start = preview.browser.textCursor().selectionStart()
    assert rendered[start - 6 : start + 5].lower() == target.left[-6:].lower() + "ferry"


def test_the_trend_chart_filters_and_exports(
    filled_window: MainWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    window = filled_window
    panel = open_panel(window, "Trends")
    view = panel.trends
    with qtbot.waitSignal(view.drawn, timeout=10000):
        view.draw()
    assert view.trend is not None and view.trend.labels() == ["2023-03", "2023-04", "2023-05"]
    assert view.bar_text(1, "articles").splitlines() == ["2023-04", "articles: 1", "all: 1"]
    view.save_csv(tmp_path / "trend.csv")
    rows = list(csv.reader((tmp_path / "trend.csv").open(encoding="utf-8")))
    assert rows == [
        ["period", "start", "articles", "total"],
        ["2023-03", "2023-03-01", "1", "1"],
        ["2023-04", "2023-04-01", "1", "1"],
        ["2023-05", "2023-05-01", "1", "1"],
    ]
    view.save_png(tmp_path / "trend.png")
    view.save_svg(tmp_path / "trend.svg")
    assert (tmp_path / "trend.png").read_bytes()[:4] == b"\x89PNG"
    assert b"<svg" in (tmp_path / "trend.svg").read_bytes()
    view.compare.setText("frost")
    view.period.setCurrentIndex(view.period.findData("year"))
    with qtbot.waitSignal(view.drawn, timeout=10000):
        view.draw()
    assert view.compared is not None and view.compared.totals() == (1,)
    bars = view.chart_view.chart().series()[0]
    with qtbot.waitSignal(window.search.finished, timeout=10000):
        bars.clicked.emit(0, bars.barSets()[0])
    assert window.filter_bar.text() == "date:2023"


def test_word_list_and_keywords_run_in_a_job(
    filled_window: MainWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    window = filled_window
    panel = open_panel(window, "Word List")
    words = panel.words
    words.stop_choice.setCurrentIndex(2)
    words.stop_languages.setText("en")
    words.count_button.click()
    qtbot.waitUntil(lambda: words.model.rows != [], timeout=30000)
    top = [row.item for _, row in words.model.rows[:3]]
    assert "the" not in top and "ferry" in [row.item for _, row in words.model.rows[:10]]
    words.save_csv(tmp_path / "words.csv")
    header = (tmp_path / "words.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header == "rank,item,count,documents,per_million"

    window.filter_bar.set_text("ferry")
    qtbot.waitUntil(lambda: window.model.rowCount() == 1)
    panel = open_panel(window, "Keywords")
    keywords = panel.keywords
    keywords.top.setValue(10)
    keywords.count_button.click()
    qtbot.waitUntil(lambda: keywords.model.rows != [], timeout=30000)
    assert keywords.model.rows[0][1].item == "ferry"
    assert "against the rest of the library (2 articles)" in keywords.status.text()
