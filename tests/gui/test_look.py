"""How the window looks and is reached: widths at 1280 pixels, chips and tooltips, quick-key
numbers, the system's dark palette, screen scaling, the keyboard and accessible names."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import QItemSelectionModel, QSize, Qt
from PySide6.QtGui import QFont, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from corpusdesk.core.records import ArticleRow
from corpusdesk.gui import icons, theme
from corpusdesk.gui.main_window import MainWindow
from corpusdesk.gui.models.articles_model import ArticlesModel, Column
from corpusdesk.gui.models.tags_model import QUICK_KEY_ROLE, EntryKind, Group
from corpusdesk.gui.widgets.article_table import ArticleTable
from corpusdesk.gui.widgets.delegates import CHIP_GAP, ChipLayout, chip_layout
from tests.gui.test_tagging import select_rows

Wait = Callable[[MainWindow], None]


def test_the_columns_fit_a_1280_pixel_window_without_scrolling_sideways(
    filled_window: MainWindow, qtbot: QtBot, wait_idle: Wait
) -> None:
    window = filled_window
    assert window.width() == 1280
    table = window.table
    qtbot.waitUntil(lambda: table.horizontalScrollBar().maximum() == 0)
    assert table.columnWidth(Column.TITLE) >= 3 * table.columnWidth(Column.WORDS)
    window.filter_bar.set_text("ferry")  # the Hits column appears, the title gives way
    wait_idle(window)
    qtbot.waitUntil(lambda: table.horizontalScrollBar().maximum() == 0)


def test_columns_are_as_wide_as_the_font_asks(qtbot: QtBot) -> None:
    table = ArticleTable(ArticlesModel())
    qtbot.addWidget(table)
    before = table.columnWidth(Column.SITE), table.columnWidth(Column.DATE)
    font = QFont(table.font())
    font.setPointSizeF(font.pointSizeF() * 2)
    table.setFont(font)
    after = table.columnWidth(Column.SITE), table.columnWidth(Column.DATE)
    assert after[0] > 1.6 * before[0] and after[1] > 1.4 * before[1]


def test_chips_that_do_not_fit_are_counted_in_a_last_chip() -> None:
    def more(hidden: int) -> int:
        return 20 if hidden else 0

    assert chip_layout([30, 30], 100, more) == ChipLayout(2, 0)
    assert chip_layout([30, 30, 30], 90, more) == ChipLayout(2, 1)
    assert chip_layout([60, 30, 30], 90, more) == ChipLayout(1, 2)
    assert chip_layout([90, 30], 80, more) == ChipLayout(1, 1, 80 - 20 - CHIP_GAP)
    assert chip_layout([90, 30], 40, more) == ChipLayout(0, 2)


def test_tooltips_give_every_tag_and_the_full_site_and_author_names() -> None:
    model = ArticlesModel()
    site = "The Extraordinarily Long-Named Evening Chronicle of the North"
    row = ArticleRow(
        1, "T", site, ("Ann Long-Name", "Bo Writer"), None, 9, ("a", "b", "c"), None, "x"
    )
    model.set_fetcher(lambda ids: {i: row for i in ids})
    model.set_ids([1])
    tip = Qt.ItemDataRole.ToolTipRole
    assert model.index(0, Column.SITE).data(tip) == site
    assert model.index(0, Column.AUTHORS).data(tip) == "Ann Long-Name, Bo Writer"
    assert model.index(0, Column.TAGS).data(tip) == "a\nb\nc"


def test_the_first_nine_tags_show_their_quick_key(
    filled_window: MainWindow, wait_idle: Wait
) -> None:
    window = filled_window
    ids = select_rows(window, 0)
    for number in range(10):
        window.editing.add_tag(ids, f"tag {number}")
    wait_idle(window)
    model = window.tag_pane.model
    entries = model.entries(Group.TAGS)
    keys = [model.index_of((EntryKind.TAG, e.name)).data(QUICK_KEY_ROLE) for e in entries]
    assert keys == [1, 2, 3, 4, 5, 6, 7, 8, 9, None]
    first = model.index_of((EntryKind.TAG, "tag 0"))
    assert "Key 1 toggles it on the selected articles" in first.data(Qt.ItemDataRole.ToolTipRole)


@pytest.fixture
def dark() -> Iterator[None]:
    """The system in dark mode for one test."""
    app = QApplication.instance()
    assert isinstance(app, QGuiApplication)
    theme.apply_color_scheme(Qt.ColorScheme.Dark)
    yield
    theme.apply_color_scheme(Qt.ColorScheme.Light)
    icons.set_dark(False)


def test_the_window_follows_a_dark_system_palette(
    filled_window: MainWindow, qtbot: QtBot, dark: None
) -> None:
    window = filled_window
    qtbot.waitUntil(lambda: theme.is_dark(window.palette()))
    assert theme.is_dark(QGuiApplication.palette())
    assert window.tag_pane.model.muted == theme.muted(window.palette())
    assert theme.muted(window.palette()).lightnessF() > 0.5  # light text on dark
    assert "#4a3b00" in window.banner.styleSheet()  # the dark variant of the banner
    assert window.table.notice.isHidden() or "#" in window.table.notice.text()
    toolbar_icon = window.menu_actions.import_files.icon().pixmap(32, 32).toImage()
    lines = [
        toolbar_icon.pixelColor(x, y)
        for x in range(32)
        for y in range(32)
        if toolbar_icon.pixelColor(x, y).alpha() > 200
    ]
    assert lines and min(color.lightnessF() for color in lines) > 0.6  # drawn light
    theme.apply_color_scheme(Qt.ColorScheme.Light)
    qtbot.waitUntil(lambda: not theme.is_dark(window.palette()))


def test_icons_stay_sharp_on_scaled_screens() -> None:
    for dark_palette in (False, True):
        icons.set_dark(dark_palette)
        pixmap = icons.icon("import").pixmap(QSize(20, 20), 2.0)
        assert pixmap.deviceIndependentSize().toSize() == QSize(20, 20)
        assert pixmap.size() == QSize(40, 40)
    icons.set_dark(False)


def _focus_chain(window: QWidget) -> list[QWidget]:
    chain: list[QWidget] = []
    current = window.nextInFocusChain()
    while current is not window and len(chain) < 500:
        reachable = current.focusPolicy() & Qt.FocusPolicy.TabFocus
        if current.isVisible() and current.isEnabled() and reachable:
            chain.append(current)
        current = current.nextInFocusChain()
    return chain


def test_every_control_is_reached_by_tab_in_pane_order_and_has_a_name(
    filled_window: MainWindow, wait_idle: Wait
) -> None:
    window = filled_window
    window.table.selectionModel().setCurrentIndex(
        window.model.index(0, 0),
        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
    )
    window.filter_bar.edit.setText("ferry")  # the Save button is enabled
    wait_idle(window)
    chain = _focus_chain(window)
    pane, bar, preview = window.tag_pane, window.filter_bar, window.preview
    wanted = [
        pane.tree,
        pane.and_button,
        pane.or_button,
        pane.new_button,
        bar.edit,
        bar.save_button,
        window.table,
        preview.tabs,
        preview.browser,
    ]
    assert [widget for widget in chain if widget in wanted] == wanted
    for widget in chain:
        assert widget.accessibleName(), f"{type(widget).__name__} {widget.objectName()}"
    assert window.status_label.accessibleName() and window.stats_label.accessibleName()
    assert preview.text_view.accessibleName() and preview.source_view.accessibleName()


def test_the_palette_colours_of_the_preview_follow_the_palette(qtbot: QtBot) -> None:
    from corpusdesk.gui.widgets.preview import article_css

    light, dark_palette = QPalette(), theme.dark_palette()
    assert theme.muted(light).name() in article_css(light)
    assert theme.muted(dark_palette).name() in article_css(dark_palette)
    assert theme.hit_background(light) != theme.hit_background(dark_palette)
