"""The preview pane: the selected article rendered readably, its text, metadata and source.

Rendering uses :class:`SafeBrowser`, a text browser that never fetches anything from the
network (remote images, style sheets and links resolve to nothing) and never follows a link by
itself: a clicked http(s) link is handed to the desktop's browser, and only on that click.
Search terms of the current query are highlighted with extra selections, leaving the
article's HTML untouched. The original page's source is shown as plain text, never rendered.
"""

from __future__ import annotations

import codecs
import html
from collections.abc import Sequence

from PySide6.QtCore import QEvent, QUrl, Signal
from PySide6.QtGui import (
    QColor,
    QDesktopServices,
    QPalette,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
)
from PySide6.QtWidgets import (
    QLabel,
    QPlainTextEdit,
    QStackedWidget,
    QTabWidget,
    QTextBrowser,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from corpusdesk.core.records import ArticleDetail
from corpusdesk.gui import theme
from corpusdesk.gui.widgets.metadata_editor import MetadataEditor

MAX_HIGHLIGHTS = 2000


def article_css(palette: QPalette) -> str:
    """The rendered article's style, in the palette's colours (light or dark)."""
    muted = theme.muted(palette).name()
    return (
        "body { line-height: 145%; }"
        "h1 { font-size: 17pt; margin-bottom: 4px; }"
        "p { margin-top: 0; margin-bottom: 9px; }"
        f".meta {{ color: {muted}; }}"
        f"blockquote {{ color: {muted}; margin-left: 14px; }}"
    )


class SafeBrowser(QTextBrowser):
    """A text browser that loads no remote resource and follows no link on its own."""

    external_link = Signal(QUrl)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.document().setDefaultStyleSheet(article_css(self.palette()))
        self.document().setDocumentMargin(14)
        self.anchorClicked.connect(self._clicked)

    def loadResource(self, kind: int, url: QUrl | str) -> object:  # noqa: N802
        """Resolve only inline ``data:`` resources; anything else (http, file …) is empty."""
        target = QUrl(url) if isinstance(url, str) else url
        if target.scheme().lower() != "data":
            return None
        return super().loadResource(kind, target)

    def _clicked(self, url: QUrl) -> None:
        if url.scheme().lower() in ("http", "https"):
            self.external_link.emit(url)


def open_external(url: QUrl) -> None:
    """Open a link the user clicked in the desktop's browser."""
    QDesktopServices.openUrl(url)


def header_html(
    detail: ArticleDetail, colors: dict[str, str | None], palette: QPalette | None = None
) -> str:
    """The block above the article: title, byline, site, date, link and tags."""
    esc = html.escape
    parts = [f"<h1>{esc(detail.title or detail.source_name)}</h1>"]
    byline = [", ".join(detail.authors)] if detail.authors else []
    byline += [
        x for x in (detail.site_name, detail.published and detail.published.isoformat()) if x
    ]
    if byline:
        parts.append(f"<p class='meta'>{esc(' · '.join(str(x) for x in byline))}</p>")
    if detail.url:
        parts.append(
            f"<p class='meta'><a href='{esc(detail.url, quote=True)}'>{esc(detail.url)}</a></p>"
        )
    if detail.tags:
        default = theme.chip_background(palette or QPalette())
        chips = " ".join(_chip(t, colors.get(t) or default.name()) for t in detail.tags)
        parts.append(f"<p>{chips}</p>")
    parts.append("<hr/>")
    return "".join(parts)


def _chip(name: str, color: str) -> str:
    background = QColor(color)
    text = theme.text_on(background).name()
    return (
        f"<span style='background-color:{background.name()}; color:{text};'>"
        f"&nbsp;{html.escape(name)}&nbsp;</span>"
    )


def decode_source(data: bytes, encoding: str) -> str:
    """The original page's bytes as text, in the encoding the import used."""
    try:
        return codecs.decode(data, encoding or "utf-8", errors="replace")
    except LookupError:
        return data.decode("utf-8", errors="replace")


class PreviewPane(QWidget):
    """Tabs for the rendered article, its plain text, its metadata and its source."""

    source_wanted = Signal(int)
    """The Source tab became visible for an article whose source is not loaded yet."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.browser = SafeBrowser(self)
        self.browser.setObjectName("previewBrowser")
        self.browser.setAccessibleName("Article")
        self.text_view = QPlainTextEdit(self)
        self.text_view.setReadOnly(True)
        self.text_view.setAccessibleName("Article text")
        self.metadata = MetadataEditor(self)
        self.source_view = QPlainTextEdit(self)
        self.source_view.setReadOnly(True)
        self.source_view.setAccessibleName("Original page source")
        self.source_view.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.tabs = QTabWidget(self)
        self.tabs.setAccessibleName("Preview")
        self.tabs.tabBar().setAccessibleName("Preview views")
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.browser, "Article")
        self.tabs.addTab(self.text_view, "Text")
        self.tabs.addTab(self.metadata, "Metadata")
        self.tabs.addTab(self.source_view, "Source")
        self.empty = QLabel("Select an article to read it here.", self)
        self.empty.setObjectName("previewEmpty")
        self.empty.setWordWrap(True)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.empty)
        self.stack.addWidget(self.tabs)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)
        self.empty.setMargin(24)

        self.detail: ArticleDetail | None = None
        self._source_for: int | None = None
        self._terms: list[str] = []
        self._colors: dict[str, str | None] = {}
        self._article_html: str | None = None
        self.browser.external_link.connect(open_external)
        self.tabs.currentChanged.connect(self._tab_changed)
        self._restyle()

    def _restyle(self) -> None:
        """Colours from the palette, light or dark; the article shown is drawn again."""
        self.empty.setStyleSheet(f"color: {theme.muted(self.palette()).name()}; font-size: 11pt;")
        self.browser.document().setDefaultStyleSheet(article_css(self.palette()))
        if self.detail is not None:
            self.show_detail(
                self.detail, self._terms, self._colors, article_html=self._article_html
            )

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if event.type() == QEvent.Type.PaletteChange:
            self._restyle()
        super().changeEvent(event)

    def show_detail(
        self,
        detail: ArticleDetail | None,
        terms: Sequence[str],
        colors: dict[str, str | None],
        *,
        article_html: str | None = None,
    ) -> None:
        """Show ``detail`` (None clears the pane) with ``terms`` highlighted.

        ``article_html`` stands in for the stored preview HTML when given (the same with its
        capture's images put in).
        """
        self.detail = detail
        self._terms = list(terms)
        self._colors = dict(colors)
        self._source_for = None
        self.source_view.clear()
        if detail is None:
            self.stack.setCurrentWidget(self.empty)
            self.browser.clear()
            self.text_view.clear()
            self.metadata.set_detail(None)
            return
        self.stack.setCurrentWidget(self.tabs)
        body = detail.html if article_html is None else article_html
        self._article_html = article_html
        self.browser.setHtml(header_html(detail, colors, self.palette()) + body)
        self.text_view.setPlainText(detail.text)
        self.metadata.set_detail(detail)
        self.highlight(terms)
        self._tab_changed(self.tabs.currentIndex())

    def show_message(self, text: str) -> None:
        """Show a note instead of an article (for one that failed to load)."""
        self.detail = None
        self.empty.setText(text)
        self.stack.setCurrentWidget(self.empty)

    def show_source(self, article_id: int, data: bytes) -> None:
        """Fill the Source tab, if the article is still the one shown."""
        if self.detail is not None and self.detail.id == article_id:
            self._source_for = article_id
            self.source_view.setPlainText(decode_source(data, self.detail.encoding))

    def highlight(self, terms: Sequence[str]) -> None:
        """Mark every occurrence of ``terms`` in the rendered article and the plain text."""
        self._terms = list(terms)
        fmt = QTextCharFormat()
        background = theme.hit_background(self.palette())
        fmt.setBackground(background)
        fmt.setForeground(theme.text_on(background))
        for view in (self.browser, self.text_view):
            selections: list[QTextEdit.ExtraSelection] = []
            document = view.document()
            for term in self._terms:
                cursor = QTextCursor(document)
                while len(selections) < MAX_HIGHLIGHTS:
                    cursor = document.find(term, cursor, QTextDocument.FindFlag(0))
                    if cursor.isNull():
                        break
                    selection = QTextEdit.ExtraSelection()
                    selection.cursor = cursor  # type: ignore[misc]
                    selection.format = fmt  # type: ignore[misc]
                    selections.append(selection)
            view.setExtraSelections(selections)

    def _tab_changed(self, index: int) -> None:
        if (
            self.tabs.widget(index) is self.source_view
            and self.detail is not None
            and self._source_for != self.detail.id
        ):
            self.source_view.setPlainText("Loading the original page…")
            self.source_wanted.emit(self.detail.id)
