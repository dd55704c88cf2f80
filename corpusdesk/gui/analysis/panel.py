"""The analysis panel: a dock under the window's table with the four analysis views.

It analyses the articles of the table (the current result of the tag pane and the filter) or
the selected ones, as chosen at its top; each view reads its source when it runs, so it always
works on what the table shows at that moment. A concordance line opens its article in the
preview at the hit; a click on a trend bar narrows the filter to that period.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDockWidget,
    QHBoxLayout,
    QLabel,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from corpusdesk.gui.analysis.common import AnalysisSource, JobRunner
from corpusdesk.gui.analysis.concordance_view import ConcordanceView
from corpusdesk.gui.analysis.lists import FrequencyView, KeywordsView
from corpusdesk.gui.analysis.reveal import HitRevealer
from corpusdesk.gui.analysis.trends_view import TrendsView
from corpusdesk.gui.tasks import Pool
from corpusdesk.library.library import Library

if TYPE_CHECKING:
    from corpusdesk.gui.main_window import MainWindow

TABS = ("concordance", "words", "keywords", "trends")
SHOWN = "The articles in the table"
SELECTED = "The selected articles"


class AnalysisPanel(QDockWidget):
    """Concordance, word list, keywords and trends over the table's articles."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__("Analysis", window)
        self.setObjectName("analysisPanel")
        self.window_ = window
        self.scope = QComboBox(self)
        self.scope.addItems([SHOWN, SELECTED])
        self.scope_note = QLabel(self)
        self.scope_note.setObjectName("analysisScope")
        self.revealer = HitRevealer(window)
        self.concordance = ConcordanceView(self.source, self.library, window.runner, self)
        # A runner each: a word list and a keyword list may count at the same time.
        self.words = FrequencyView(
            self.source, self.library, JobRunner(window.handle_failure, self), self
        )
        self.keywords = KeywordsView(
            self.source, self.library, JobRunner(window.handle_failure, self), self
        )
        self.trends = TrendsView(self.source, self.library, window.runner, self)
        self.tabs = QTabWidget(self)
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.concordance, "Concordance")
        self.tabs.addTab(self.words, "Word List")
        self.tabs.addTab(self.keywords, "Keywords")
        self.tabs.addTab(self.trends, "Trends")
        top = QHBoxLayout()
        top.addWidget(QLabel("Analyse", self))
        top.addWidget(self.scope)
        top.addWidget(self.scope_note, 1)
        body = QWidget(self)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 2, 4, 2)
        layout.addLayout(top)
        layout.addWidget(self.tabs, 1)
        self.setWidget(body)
        window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self)
        self.concordance.line_activated.connect(self.revealer.reveal)
        self.trends.period_clicked.connect(self._filter_period)
        self.scope.currentIndexChanged.connect(lambda _index: self.update_note())
        window.search.finished.connect(self.update_note)
        window.table.selectionModel().selectionChanged.connect(lambda *_: self.update_note())
        window.library_changed.connect(self._library_changed)
        self.update_note()

    def library(self) -> Library | None:
        """The window's open library."""
        return self.window_.library

    def source(self) -> AnalysisSource | None:
        """The articles to analyse now: the table's, or its selection (None: nothing open)."""
        window = self.window_
        if window.library is None:
            return None
        if self.scope.currentText() == SELECTED:
            ids = tuple(window.selected_ids())
            return AnalysisSource(ids, f"{len(ids):,} selected articles")
        ids = tuple(window.model.ids())
        query = window.search_request().combined()
        label = f"{len(ids):,} articles" + (f" matching {query}" if query else "")
        return AnalysisSource(ids, label, query)

    def update_note(self) -> None:
        """Say how many articles an analysis would run over."""
        source = self.source()
        self.scope_note.setText(source.label if source is not None else "No library is open")

    def open(self, tab: str) -> None:
        """Show the panel on ``tab`` (one of ``TABS``)."""
        self.show()
        self.raise_()
        self.tabs.setCurrentIndex(TABS.index(tab))
        self.update_note()
        if tab == "concordance":
            self.concordance.term.setFocus()
        if tab == "trends" and self.trends.trend is None:
            self.trends.draw()
        if tab == "keywords" and self.library() is not None:
            library = self.library()
            assert library is not None
            self.window_.runner.submit(
                library.saved_searches, self.keywords.set_saved_searches, pool=Pool.READ
            )

    def _filter_period(self, term: str) -> None:
        bar = self.window_.filter_bar
        current = bar.text().strip()
        bar.set_text(f"{current} {term}".strip())

    def _library_changed(self) -> None:
        for view in (self.concordance, self.words, self.keywords, self.trends):
            view.clear()
        self.update_note()

    def shutdown(self) -> None:
        """Stop the running counts (the window is closing)."""
        self.words.runner.shutdown()
        self.keywords.runner.shutdown()
