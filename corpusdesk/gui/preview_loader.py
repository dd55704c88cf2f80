"""Loading the preview: an article's details and, on demand, its original page, off the GUI thread.

Only the latest request counts: moving quickly through the table loads each article in turn,
but a detail that arrives after the selection moved on is dropped.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QObject, Signal

from corpusdesk.core.records import ArticleDetail
from corpusdesk.gui.tasks import Pool, TaskRunner
from corpusdesk.gui.widgets.preview import PreviewPane
from corpusdesk.importing.embedded import has_images
from corpusdesk.library.library import Library


class PreviewLoader(QObject):
    """Fills the preview pane for the current article."""

    loaded = Signal(int)
    """The preview now shows this article."""

    def __init__(
        self, runner: TaskRunner, pane: PreviewPane, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._runner = runner
        self._pane = pane
        self.library: Library | None = None
        self._generation = 0
        pane.source_wanted.connect(self.load_source)

    def load(
        self, article_id: int | None, terms: Sequence[str], colors: dict[str, str | None]
    ) -> None:
        """Show ``article_id`` (None: nothing) with ``terms`` highlighted."""
        self._generation += 1
        generation = self._generation
        library = self.library
        wanted = list(terms)
        if article_id is None or library is None:
            self._pane.show_detail(None, [], {})
            return
        if self._pane.detail is not None and self._pane.detail.id != article_id:
            self._pane.metadata.set_detail(None)

        def succeeded(result: object) -> None:
            if generation == self._generation:
                assert isinstance(result, tuple)
                detail, article_html = result
                assert isinstance(detail, ArticleDetail)
                self._pane.show_detail(detail, wanted, colors, article_html=article_html)
                self.loaded.emit(detail.id)

        def failed(error: BaseException, _details: str) -> None:
            if generation == self._generation:
                self._pane.show_message(f"This article could not be loaded:\n{error}")

        def read() -> tuple[ArticleDetail, str | None]:
            detail = library.detail(article_id)
            # The capture's images come from its stored copy, as data: URIs.
            html = library.preview_html(article_id) if has_images(detail.html) else None
            return detail, html

        self._runner.submit(read, succeeded, failed, pool=Pool.READ)

    def load_source(self, article_id: int) -> None:
        """Read the original page of ``article_id`` for the Source tab."""
        library = self.library
        if library is None:
            return

        def succeeded(data: object) -> None:
            assert isinstance(data, bytes)
            self._pane.show_source(article_id, data)

        def failed(error: BaseException, _details: str) -> None:
            self._pane.show_source(
                article_id, f"The original page cannot be read: {error}".encode()
            )

        self._runner.submit(
            lambda: library.page_source(article_id), succeeded, failed, pool=Pool.READ
        )
