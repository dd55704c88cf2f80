"""The preview pane: readable content without boilerplate, highlights, and no remote loads."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QItemSelectionModel, QUrl
from PySide6.QtGui import QImage, QPixmap, QTextDocument, QTextFragment
from pytestqt.qtbot import QtBot

from corpusdesk.gui.main_window import MainWindow
from corpusdesk.gui.widgets.preview import SafeBrowser
from tests.captures import mhtml, page_with_image, tiny_png
from tests.gui.pages import BOILERPLATE, title_of
from tests.scripts_corpus import BEIJING, TOKYO
from tests.scripts_corpus import write_pages as write_corpus_pages

Wait = Callable[[MainWindow], None]


def show_article(window: MainWindow, qtbot: QtBot, title: str) -> None:
    rows = [r for r in range(window.model.rowCount()) if window.model.index(r, 0).data() == title]
    assert rows
    with qtbot.waitSignal(window.previews.loaded, timeout=5000):
        window.table.selectionModel().setCurrentIndex(
            window.model.index(rows[0], 0),
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )


def test_preview_shows_the_article_without_boilerplate(
    filled_window: MainWindow, qtbot: QtBot, wait_idle: Wait
) -> None:
    window = filled_window
    show_article(window, qtbot, title_of("orchard.html"))
    pane = window.preview
    text = pane.browser.toPlainText()
    assert title_of("orchard.html") in text
    assert "Tobias Fenn" in text
    assert "Upland Gazette" in text
    assert "2023-04-02" in text
    assert "smudge pots" in text
    assert BOILERPLATE not in text
    assert "Cookie settings" not in text
    assert "smudge pots" in pane.text_view.toPlainText()
    assert pane.metadata.title.text() == title_of("orchard.html")

    pane.tabs.setCurrentWidget(pane.source_view)
    qtbot.waitUntil(lambda: "<article>" in pane.source_view.toPlainText())
    assert BOILERPLATE in pane.source_view.toPlainText()


def test_query_terms_are_highlighted(
    filled_window: MainWindow, qtbot: QtBot, wait_idle: Wait
) -> None:
    window = filled_window
    window.filter_bar.set_text("frost")
    wait_idle(window)
    show_article(window, qtbot, title_of("orchard.html"))
    selections = window.preview.browser.extraSelections()
    assert selections
    assert {s.cursor.selectedText().lower() for s in selections} == {"frost"}


def test_no_remote_resource_is_loaded(qtbot: QtBot) -> None:
    class Recording(SafeBrowser):
        def __init__(self) -> None:
            super().__init__()
            self.requests: list[tuple[QUrl, object]] = []

        def loadResource(self, kind: int, url: QUrl | str) -> object:  # noqa: N802
            result = super().loadResource(kind, url)
            self.requests.append((QUrl(url), result))
            return result

    browser = Recording()
    qtbot.addWidget(browser)
    browser.setHtml(
        "<p>Text <img src='https://images.invalid/a.png'> and "
        "<img src='http://tracker.invalid/pixel.gif'> and <img src='file:///etc/hostname'>"
        "<a href='https://example.invalid/more'>more</a></p>"
    )
    browser.show()
    qtbot.waitExposed(browser)
    browser.grab()
    remote = [(url, result) for url, result in browser.requests if url.scheme() != "data"]
    assert {url.scheme() for url, _ in remote} >= {"http", "https"}
    assert all(result is None for _, result in remote)
    assert (
        browser.document().resource(
            QTextDocument.ResourceType.ImageResource, QUrl("https://images.invalid/a.png")
        )
        is None
    )
    assert not browser.openLinks() and not browser.openExternalLinks()


def test_a_clicked_link_is_handed_to_the_desktop_only_on_click(qtbot: QtBot) -> None:
    browser = SafeBrowser()
    qtbot.addWidget(browser)
    clicked: list[QUrl] = []
    browser.external_link.connect(clicked.append)
    browser.setHtml("<a href='https://example.invalid/story'>story</a>")
    assert clicked == []
    browser.anchorClicked.emit(QUrl("https://example.invalid/story"))
    browser.anchorClicked.emit(QUrl("javascript:alert(1)"))
    assert [url.toString() for url in clicked] == ["https://example.invalid/story"]


def test_a_word_inside_a_chinese_sentence_is_found_and_highlighted(
    main_window: MainWindow, qtbot: QtBot, wait_idle: Wait, tmp_path: Path
) -> None:
    window = main_window
    paths = write_corpus_pages(tmp_path)
    with qtbot.waitSignal(window.jobs.import_finished, timeout=30000):
        window.transfers.import_paths([paths[BEIJING.name], paths[TOKYO.name]])
    wait_idle(window)
    if window.transfers.report_dialog is not None:
        window.transfers.report_dialog.close()
    window.filter_bar.set_text("换乘")
    wait_idle(window)
    qtbot.waitUntil(lambda: window.model.rowCount() == 1)
    show_article(window, qtbot, BEIJING.title)
    for view in (window.preview.browser, window.preview.text_view):
        selections = view.extraSelections()
        assert selections
        assert {s.cursor.selectedText() for s in selections} == {"换乘"}


def test_preview_shows_a_captures_image_from_the_stored_copy(
    main_window: MainWindow, tmp_path: Path, qtbot: QtBot, wait_idle: Wait
) -> None:
    url = "https://gazette.example/2023/12/crane.html"
    capture = tmp_path / "crane.mhtml"
    page = page_with_image("Quiet morning.", "img/crane.png")
    capture.write_bytes(
        mhtml(page, url=url, images={"https://gazette.example/2023/12/img/crane.png": tiny_png()})
    )
    with qtbot.waitSignal(main_window.jobs.import_finished, timeout=30000):
        main_window.transfers.import_paths([capture])
    wait_idle(main_window)
    qtbot.waitUntil(lambda: main_window.model.rowCount() == 1)
    if main_window.transfers.report_dialog is not None:
        main_window.transfers.report_dialog.close()

    show_article(main_window, qtbot, "Harbour crane returns")

    browser = main_window.preview.browser
    names = [
        fragment.charFormat().toImageFormat().name()
        for fragment in _fragments(browser.document())
        if fragment.charFormat().isImageFormat()
    ]
    assert len(names) == 1 and names[0].startswith("data:image/png;base64,")
    loaded = browser.document().resource(QTextDocument.ResourceType.ImageResource, QUrl(names[0]))
    assert isinstance(loaded, QPixmap | QImage)
    assert (loaded.width(), loaded.height()) == (2, 2)
    metadata = main_window.preview.metadata
    assert metadata.captured.text() == "2023-12-17 06:30:15 UTC"
    assert (metadata.source.text(), metadata.member.text()) == (str(capture), "–")
    pane = main_window.preview
    pane.tabs.setCurrentWidget(pane.source_view)  # the page inside the MHTML file, decoded
    qtbot.waitUntil(lambda: "the bridge’s last span" in pane.source_view.toPlainText())


def _fragments(document: QTextDocument) -> list[QTextFragment]:
    found = []
    block = document.begin()
    while block.isValid():
        iterator = block.begin()
        while not iterator.atEnd():
            found.append(iterator.fragment())
            iterator += 1
        block = block.next()
    return found
