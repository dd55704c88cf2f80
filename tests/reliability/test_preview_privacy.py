"""The preview of a page built to track its reader fetches nothing, runs nothing, opens nothing.

A page with scripts, iframes, a meta refresh, remote images and style sheets, CSS ``url()``,
``javascript:`` links and a tracking pixel (all pointing at a local server that records every
connection) is imported and shown in the real preview pane. No connection reaches the server,
no script text runs or shows, the stored preview HTML holds none of those things, and a link
opens in the system browser only when the user clicks it, exactly once per click.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

import pytest
from PySide6.QtCore import QPoint, Qt, QUrl
from PySide6.QtGui import QTextCursor
from pytestqt.qtbot import QtBot

from corpusdesk.gui.widgets import preview
from corpusdesk.importing.pipeline import run_import
from corpusdesk.library.library import Library
from tests.reliability.harness import ConnectionTrap, unsafe_preview_parts
from tests.reliability.hostile import tracking_page

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("propagateSizeHints")]


class _Desktop:
    """Stands in for QDesktopServices: records the URLs it is asked to open."""

    opened: ClassVar[list[str]] = []

    @classmethod
    def openUrl(cls, url: QUrl) -> bool:  # noqa: N802
        cls.opened.append(url.toString())
        return True


def _point_inside(browser: preview.SafeBrowser, text: str) -> QPoint:
    found = browser.document().find(text)
    assert not found.isNull(), text
    cursor = QTextCursor(browser.document())
    cursor.setPosition(found.selectionStart() + 3)
    return browser.cursorRect(cursor).center()


def test_tracking_page_preview_is_inert(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(preview, "QDesktopServices", _Desktop)
    _Desktop.opened = []
    with ConnectionTrap() as trap:
        page = tmp_path / "tracking.html"
        page.write_bytes(tracking_page(trap.url))
        with Library.open(tmp_path / "lib.db") as library:
            report = run_import(library, [page])
            assert report.imported == 1, report.results
            detail = library.detail(library.search_ids("")[0])
        assert unsafe_preview_parts(detail.html) == []
        pane = preview.PreviewPane()
        qtbot.addWidget(pane)
        pane.resize(900, 700)
        pane.show()
        qtbot.waitExposed(pane)
        pane.show_detail(detail, ["harbour"], {})
        for index in range(pane.tabs.count()):  # article, text, source …: render every tab
            pane.tabs.setCurrentIndex(index)
            pane.grab()
        pane.tabs.setCurrentIndex(0)
        browser = pane.browser
        shown = browser.toPlainText()
        assert "SCRIPT-RAN" not in shown and "fetch(" not in shown and "alert" not in shown
        assert _Desktop.opened == []
        qtbot.mouseClick(
            browser.viewport(),
            Qt.MouseButton.LeftButton,
            pos=_point_inside(browser, "asked questions"),
        )
        assert _Desktop.opened == []  # the javascript: link is plain text now
        qtbot.mouseClick(
            browser.viewport(),
            Qt.MouseButton.LeftButton,
            pos=_point_inside(browser, "was published last week"),
        )
        assert _Desktop.opened == [f"{trap.url}/report.pdf"]
        assert trap.attempts == [], f"the preview made network requests: {trap.attempts}"
