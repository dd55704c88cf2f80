"""The word-list and keyword views: options, a Count button, the list and its CSV export.

Both count in a job process (see :mod:`corpusdesk.gui.analysis.jobs`) with a progress bar and
a Stop button. A keyword list compares the analysed articles with the rest of the library (a
random sample of 20,000 of them when there are more), with a saved search or with a query.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TextIO

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from corpusdesk.analysis import frequency, keyness
from corpusdesk.analysis.frequency import FrequencyList, FrequencyRow
from corpusdesk.analysis.keyness import KeywordList, KeywordRow
from corpusdesk.analysis.runs import FrequencyRequest, KeywordRequest
from corpusdesk.analysis.stopwords import primary_language
from corpusdesk.core.errors import UserError
from corpusdesk.core.records import SavedSearch
from corpusdesk.exporting.target import replaced_text_file
from corpusdesk.gui.analysis.common import (
    AnalysisSource,
    Column,
    JobRunner,
    RowsModel,
    ask_save_path,
    compact_rows,
)
from corpusdesk.gui.analysis.jobs import FrequencyJob, KeywordOutcome, KeywordsJob
from corpusdesk.gui.job_child import Job
from corpusdesk.library.library import Library

STOP_CHOICES = ("No stop words", "Stop words of the library's languages", "Stop words of…")
REST = "The rest of the library"
QUERY = "A query…"


class ListView(QWidget):
    """A list's options row, progress row and table; subclasses say what is counted."""

    def __init__(
        self,
        columns: Sequence[Column],
        source: Callable[[], AnalysisSource | None],
        library: Callable[[], Library | None],
        runner: JobRunner,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._source = source
        self._library = library
        self.runner = runner
        self.options = QHBoxLayout()
        self.stop_choice = QComboBox(self)
        self.stop_choice.addItems(STOP_CHOICES)
        self.stop_languages = QLineEdit(self)
        self.stop_languages.setPlaceholderText("en, de")
        self.stop_languages.setMaximumWidth(90)
        self.top = QSpinBox(self)
        self.top.setRange(10, 100_000)
        self.top.setValue(200)
        self.top.setPrefix("top ")
        self.count_button = QPushButton("Count", self)
        self.stop_button = QPushButton("Stop", self)
        self.stop_button.setEnabled(False)
        self.save_button = QPushButton("Save CSV…", self)
        self.save_button.setEnabled(False)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.bar = QProgressBar(self)
        self.bar.hide()
        self.model = RowsModel(columns, self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setSortingEnabled(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        compact_rows(self.table)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(self.options)
        status_row = QHBoxLayout()
        status_row.addWidget(self.status, 1)
        status_row.addWidget(self.bar)
        layout.addLayout(status_row)
        layout.addWidget(self.table, 1)
        self.result: FrequencyList | KeywordList | None = None
        self.count_button.clicked.connect(self.count)
        self.stop_button.clicked.connect(self.stop)
        self.save_button.clicked.connect(self._ask_save)
        self._running = False

    def finish_options(self) -> None:
        """Put the shared controls after the subclass's own."""
        for control in (self.stop_choice, self.stop_languages, self.top):
            self.options.addWidget(control)
        self.options.addStretch(1)
        for button in (self.count_button, self.stop_button, self.save_button):
            self.options.addWidget(button)

    def stop_codes(self) -> tuple[str, ...]:
        """The languages whose stop words are left out (chosen by code)."""
        if self.stop_choice.currentIndex() != 2:
            return ()
        parts = self.stop_languages.text().replace(",", " ").split()
        return tuple(primary_language(part) for part in parts)

    def library_stop_words(self) -> bool:
        """Whether the stop words of the library's languages are left out."""
        return self.stop_choice.currentIndex() == 1

    def count(self) -> None:
        """Start counting the current source."""
        raise NotImplementedError

    def start(self, job: Job, text: str) -> None:
        """Run ``job`` with progress shown here."""
        self._running = True
        self.status.setText(text)
        self.bar.setRange(0, 0)
        self.bar.show()
        self.stop_button.setEnabled(True)
        self.count_button.setEnabled(False)
        self.runner.progress.connect(self._progress)
        self.runner.finished.connect(self._finished)
        self.runner.failed.connect(self._failed)
        self.runner.start(job)

    def _disconnect(self) -> None:
        self._running = False
        self.runner.progress.disconnect(self._progress)
        self.runner.finished.disconnect(self._finished)
        self.runner.failed.disconnect(self._failed)
        self.bar.hide()
        self.stop_button.setEnabled(False)
        self.count_button.setEnabled(True)

    def stop(self) -> None:
        """Stop counting."""
        if self._running:
            self.runner.cancel()
            self._disconnect()
            self.status.setText("Stopped.")

    def clear(self) -> None:
        """Stop counting and forget the list (another library was opened)."""
        self.stop()
        self.result = None
        self.model.set_rows([])
        self.status.clear()
        self.save_button.setEnabled(False)

    def _progress(self, done: int, total: int, text: str) -> None:
        self.bar.setRange(0, max(total, 1))
        self.bar.setValue(done)
        self.status.setText(f"{text}: {done:,} of {total:,} articles…")

    def _finished(self, result: object) -> None:
        self._disconnect()
        self.show_result(result)

    def _failed(self, message: str) -> None:
        self._disconnect()
        self.status.setText(message)

    def show_result(self, result: object) -> None:
        """Show a finished list."""
        raise NotImplementedError

    def _ask_save(self) -> None:
        path = ask_save_path(self, "Save the list", "list.csv", "CSV files (*.csv)")
        if path is None:
            return
        try:
            self.save_csv(path)
        except UserError as error:
            self.status.setText(str(error))
        except OSError as error:
            self.status.setText(f"cannot save {path}: {error.strerror or error}")

    def save_csv(self, path: Path) -> None:
        """Write the shown list to ``path`` as CSV, the columns the command line writes; the
        file changes only once the whole list is written."""
        with replaced_text_file(path) as stream:
            self.write_csv(stream)

    def write_csv(self, stream: TextIO) -> None:
        """Write the shown list to ``stream`` as CSV."""
        raise NotImplementedError


class FrequencyView(ListView):
    """Words or n-grams with their counts, document frequencies and rates per million."""

    def __init__(
        self,
        source: Callable[[], AnalysisSource | None],
        library: Callable[[], Library | None],
        runner: JobRunner,
        parent: QWidget | None = None,
    ) -> None:
        columns = [
            Column("Rank", lambda pair: pair[0], numeric=True),
            Column("Word", lambda pair: pair[1].item),
            Column("Count", lambda pair: pair[1].count, numeric=True),
            Column("Articles", lambda pair: pair[1].documents, numeric=True),
            Column("Per million", lambda pair: pair[1].per_million, numeric=True),
        ]
        super().__init__(columns, source, library, runner, parent)
        self.ngram = QComboBox(self)
        self.ngram.addItems(["Words", "2-grams", "3-grams", "4-grams"])
        self.options.addWidget(self.ngram)
        self.finish_options()

    def count(self) -> None:
        source, library = self._source(), self._library()
        if source is None or library is None:
            return
        request = FrequencyRequest(
            source.ids,
            ngram=self.ngram.currentIndex() + 1,
            top=self.top.value(),
            stop_languages=self.stop_codes(),
        )
        job = FrequencyJob(library.location, library.read_only, request, self.library_stop_words())
        self.start(job, f"Counting {len(source.ids):,} articles…")

    def write_csv(self, stream: TextIO) -> None:
        frequency.write_csv(self.model.rows, stream)

    def show_result(self, result: object) -> None:
        assert isinstance(result, FrequencyList)
        self.result = result
        pairs: list[tuple[int, FrequencyRow]] = list(enumerate(result.rows, 1))
        self.model.set_rows(pairs)
        title = "Word" if result.ngram == 1 else f"{result.ngram}-gram"
        self.model.columns[1] = replace(self.model.columns[1], title=title)
        self.save_button.setEnabled(bool(pairs))
        note = " (rare n-grams left out: counts are approximate)" if result.approximate else ""
        self.status.setText(
            f"{result.tokens:,} words in {result.documents:,} articles, "
            f"{result.types:,} distinct{note}."
        )


class KeywordsView(ListView):
    """Keywords of the analysed articles against a reference, by log-likelihood."""

    def __init__(
        self,
        source: Callable[[], AnalysisSource | None],
        library: Callable[[], Library | None],
        runner: JobRunner,
        parent: QWidget | None = None,
    ) -> None:
        columns = [
            Column("Rank", lambda pair: pair[0], numeric=True),
            Column("Keyword", lambda pair: pair[1].item),
            Column("LL", lambda pair: pair[1].log_likelihood, numeric=True),
            Column("Log ratio", lambda pair: pair[1].log_ratio, numeric=True),
            Column("Count", lambda pair: pair[1].count, numeric=True),
            Column("Reference", lambda pair: pair[1].reference_count, numeric=True),
            Column("Per million", lambda pair: pair[1].per_million, numeric=True),
            Column("Ref. per million", lambda pair: pair[1].reference_per_million, numeric=True),
        ]
        super().__init__(columns, source, library, runner, parent)
        self.reference = QComboBox(self)
        self.reference.addItem(REST)
        self.reference_query = QLineEdit(self)
        self.reference_query.setPlaceholderText("reference query")
        self.reference_query.setVisible(False)
        self.negative = QCheckBox("Negative", self)
        self.negative.setToolTip("Words less frequent than in the reference")
        for widget in (self.reference, self.reference_query, self.negative):
            self.options.addWidget(widget)
        self.reference.currentTextChanged.connect(
            lambda text: self.reference_query.setVisible(text == QUERY)
        )
        self.finish_options()

    def set_saved_searches(self, searches: Sequence[SavedSearch]) -> None:
        """Offer the saved searches as references."""
        current = self.reference.currentText()
        self.reference.blockSignals(True)
        self.reference.clear()
        self.reference.addItem(REST)
        for search in searches:
            self.reference.addItem(search.name, search.query)
        self.reference.addItem(QUERY)
        self.reference.blockSignals(False)
        index = self.reference.findText(current)
        self.reference.setCurrentIndex(max(index, 0))

    def count(self) -> None:
        source, library = self._source(), self._library()
        if source is None or library is None:
            return
        choice = self.reference.currentText()
        query: str | None = None
        if choice == QUERY:
            query = self.reference_query.text().strip()
            if not query:
                self.status.setText("Type the query of the reference articles.")
                return
        elif choice != REST:
            query = str(self.reference.currentData())
        request = KeywordRequest(
            source.ids,
            (),
            top=self.top.value(),
            stop_languages=self.stop_codes(),
            negative=self.negative.isChecked(),
        )
        name = "" if choice in (REST, QUERY) else choice
        job = KeywordsJob(
            library.location, library.read_only, request, query, name, self.library_stop_words()
        )
        self.start(job, f"Counting {len(source.ids):,} articles and the reference…")

    def write_csv(self, stream: TextIO) -> None:
        keyness.write_csv(self.model.rows, stream)

    def show_result(self, result: object) -> None:
        assert isinstance(result, KeywordOutcome)
        found = result.keywords
        self.result = found
        pairs: list[tuple[int, KeywordRow]] = list(enumerate(found.rows, 1))
        self.model.set_rows(pairs)
        self.save_button.setEnabled(bool(pairs))
        kind = "Negative" if found.negative else "Positive"
        self.status.setText(
            f"{kind} keywords (LL ≥ 3.84, p < 0.05) of {found.documents:,} articles "
            f"({found.tokens:,} words) against {result.reference}, "
            f"{found.reference_tokens:,} words."
        )
