"""The trends view: a Qt Charts bar chart of articles per period, split into series.

Bars are stacked (or grouped) by site, tag or language; a second query is drawn over them as a
line, over the same periods. Hovering a bar shows its period, series and counts; clicking one
filters the window's table to that period. The chart is saved as PNG or SVG, its figures as CSV.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCharts import (
    QAbstractBarSeries,
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QLineSeries,
    QStackedBarSeries,
    QValueAxis,
)
from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QCursor, QPainter, QPen
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from corpusdesk.analysis.trends import (
    DatedCount,
    Period,
    Split,
    Trend,
    date_span,
    period_label,
    period_query,
    trend,
    write_csv,
)
from corpusdesk.core.errors import UserError
from corpusdesk.exporting.target import replaced_text_file
from corpusdesk.gui.analysis.common import AnalysisSource, ask_save_path
from corpusdesk.gui.tasks import Pool, TaskRunner
from corpusdesk.library.library import Library

MAX_LABELS = 40
"""Past this many periods the axis names only the first and last (hover names each bar)."""
SPLIT_LABELS = {
    Split.NONE: "All together",
    Split.SITE: "By site",
    Split.TAG: "By tag",
    Split.LANGUAGE: "By language",
}
UNNAMED = {
    Split.NONE: "articles",
    Split.SITE: "(no site)",
    Split.TAG: "(untagged)",
    Split.LANGUAGE: "(unknown)",
}


def whole_step(highest: int, ticks: int = 5) -> int:
    """A round whole number of articles between the value axis's ticks: 1, 2 or 5 times a
    power of ten, giving about ``ticks`` ticks up to ``highest``."""
    rough = max(1.0, highest / ticks)
    power = int(10 ** math.floor(math.log10(rough)))
    return next(power * factor for factor in (1, 2, 5, 10) if power * factor >= rough)


class TrendsView(QWidget):
    """Period and split choices, a query to compare with, the chart and its exports."""

    period_clicked = Signal(str)
    """A bar was clicked: the search term of its period (``date:2024-03``)."""
    drawn = Signal()

    def __init__(
        self,
        source: Callable[[], AnalysisSource | None],
        library: Callable[[], Library | None],
        runner: TaskRunner,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._source = source
        self._library = library
        self._runner = runner
        self.period = QComboBox(self)
        for period in Period:
            self.period.addItem(f"Per {period.value}", period)
        self.period.setCurrentIndex(2)
        self.split = QComboBox(self)
        for split, label in SPLIT_LABELS.items():
            self.split.addItem(label, split)
        self.stacked = QCheckBox("Stacked", self)
        self.stacked.setChecked(True)
        self.compare = QLineEdit(self)
        self.compare.setPlaceholderText("compare with a query (a line)")
        self.draw_button = QPushButton("Draw", self)
        self.png_button = QPushButton("PNG…", self)
        self.svg_button = QPushButton("SVG…", self)
        self.csv_button = QPushButton("CSV…", self)
        self.status = QLabel(self)
        self.chart_view = QChartView(self)
        self.chart_view.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.chart_view.setObjectName("trendChart")
        controls = QHBoxLayout()
        for widget in (self.period, self.split, self.stacked):
            controls.addWidget(widget)
        controls.addWidget(self.compare, 1)
        for button in (self.draw_button, self.png_button, self.svg_button, self.csv_button):
            controls.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(controls)
        layout.addWidget(self.status)
        layout.addWidget(self.chart_view, 1)
        self.trend: Trend | None = None
        self.compared: Trend | None = None
        self._counts: tuple[list[DatedCount], list[DatedCount] | None] | None = None
        self._compared_query = ""
        self._generation = 0
        self.draw_button.clicked.connect(self.draw)
        self.compare.returnPressed.connect(self.draw)
        self.split.currentIndexChanged.connect(lambda _i: self.draw())
        self.period.currentIndexChanged.connect(lambda _i: self._rebuild())
        self.stacked.toggled.connect(lambda _on: self._rebuild())
        self.png_button.clicked.connect(lambda: self._ask_save("png"))
        self.svg_button.clicked.connect(lambda: self._ask_save("svg"))
        self.csv_button.clicked.connect(lambda: self._ask_save("csv"))
        self._set_exports(False)

    def _set_exports(self, enabled: bool) -> None:
        for button in (self.png_button, self.svg_button, self.csv_button):
            button.setEnabled(enabled)

    def draw(self) -> None:
        """Read the counts of the analysed articles (and the compared query) and chart them."""
        source, library = self._source(), self._library()
        if source is None or library is None:
            return
        self._generation += 1
        generation = self._generation
        split = Split(self.split.currentData())
        compared = self.compare.text().strip()
        ids = list(source.ids)
        self.status.setText(f"Counting {len(ids):,} articles…")

        def read() -> tuple[list[DatedCount], list[DatedCount] | None]:
            main = library.dated_counts(ids, split)
            other = library.dated_counts(library.search_ids(compared)) if compared else None
            return main, other

        def done(counts: object) -> None:
            if generation == self._generation:
                assert isinstance(counts, tuple)
                self._counts = counts
                self._compared_query = compared
                self._rebuild()

        def failed(error: BaseException, details: str) -> None:
            if generation != self._generation:
                return
            if isinstance(error, UserError):
                self.status.setText(str(error))
            else:
                self._runner.report_failure(error, details)

        self._runner.submit(read, done, failed, Pool.READ)

    def clear(self) -> None:
        """Forget the chart (another library was opened)."""
        self._generation += 1
        self._counts = None
        self.trend = self.compared = None
        self.chart_view.setChart(QChart())
        self.status.clear()
        self._set_exports(False)

    def _rebuild(self) -> None:
        if self._counts is None:
            return
        main, other = self._counts
        period = Period(self.period.currentData())
        split = Split(self.split.currentData())
        span = date_span(main, other or [])
        self.trend = trend(main, period, span=span, unnamed=UNNAMED.get(split, "(none)"))
        self.compared = trend(other, period, span=span) if other is not None else None
        self.chart_view.setChart(self._chart(self.trend, self.compared))
        dated = sum(self.trend.totals())
        self.status.setText(
            f"{dated:,} dated articles in {len(self.trend.starts):,} {period.value}s"
            + (f"; {self.trend.undated:,} without a date" if self.trend.undated else "")
            + ". Click a bar to show its articles."
        )
        self._set_exports(bool(self.trend.starts))
        self.drawn.emit()

    def _chart(self, shown: Trend, compared: Trend | None) -> QChart:
        chart = QChart()
        chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        bars: QAbstractBarSeries = QStackedBarSeries() if self.stacked.isChecked() else QBarSeries()
        for name, counts in shown.series:
            bar_set = QBarSet(name)
            bar_set.append([float(count) for count in counts])
            bars.append(bar_set)
        chart.addSeries(bars)
        labels = shown.labels()
        axis_x = QBarCategoryAxis()
        axis_x.append(labels)
        if len(labels) > MAX_LABELS:
            axis_x.setLabelsVisible(False)
            chart.setTitle(f"{labels[0]} – {labels[-1]}")
        axis_y = QValueAxis()
        axis_y.setLabelFormat("%d")
        chart.addAxis(axis_x, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(axis_y, Qt.AlignmentFlag.AlignLeft)
        bars.attachAxis(axis_x)
        bars.attachAxis(axis_y)
        highest = 0
        if shown.series:
            stacked = self.stacked.isChecked()
            highest = max(shown.totals()) if stacked else max(max(c) for _, c in shown.series)
        if compared is not None:
            highest = max(highest, max(compared.totals(), default=0))
        if compared is not None:
            line = QLineSeries()
            line.setName(self._compared_query)
            line.setPen(QPen(Qt.GlobalColor.black, 2))
            for index, count in enumerate(compared.totals()):
                line.append(QPointF(index, count))
            chart.addSeries(line)
            line.attachAxis(axis_x)
            line.attachAxis(axis_y)
        step = whole_step(highest)
        axis_y.setTickType(QValueAxis.TickType.TicksDynamic)
        axis_y.setTickAnchor(0)
        axis_y.setTickInterval(step)
        axis_y.setRange(0, step * max(1, -(-highest // step)))
        bars.hovered.connect(self._hovered)
        bars.clicked.connect(self._clicked)
        return chart

    def bar_text(self, index: int, name: str) -> str:
        """What hovering the bar of series ``name`` in period ``index`` shows."""
        shown = self.trend
        assert shown is not None
        counts = dict(shown.series)
        label = period_label(shown.starts[index], shown.period)
        text = f"{label}\n{name}: {counts[name][index]:,}\nall: {shown.totals()[index]:,}"
        if self.compared is not None:
            text += f"\n{self._compared_query}: {self.compared.totals()[index]:,}"
        return text

    def _hovered(self, status: bool, index: int, bar_set: QBarSet) -> None:
        if status and self.trend is not None:
            QToolTip.showText(QCursor.pos(), self.bar_text(index, bar_set.label()), self)
        else:
            QToolTip.hideText()

    def _clicked(self, index: int, _bar_set: QBarSet) -> None:
        if self.trend is not None:
            self.period_clicked.emit(period_query(self.trend.starts[index], self.trend.period))

    def _ask_save(self, kind: str) -> None:
        filters = {"png": "PNG images (*.png)", "svg": "SVG images (*.svg)", "csv": "CSV (*.csv)"}
        path = ask_save_path(self, "Save the chart", f"trend.{kind}", filters[kind])
        if path is None:
            return
        {"png": self.save_png, "svg": self.save_svg, "csv": self.save_csv}[kind](path)

    def save_png(self, path: Path) -> None:
        """The chart as a PNG picture, as shown."""
        if not self.chart_view.grab().save(str(path), "PNG"):
            raise UserError(f"cannot write {path}")

    def save_svg(self, path: Path) -> None:
        """The chart as an SVG drawing, at its shown size."""
        size = self.chart_view.size()
        generator = QSvgGenerator()
        generator.setFileName(str(path))
        generator.setSize(QSize(size.width(), size.height()))
        generator.setViewBox(QRectF(0, 0, size.width(), size.height()))
        generator.setTitle("corpusdesk trend")
        painter = QPainter(generator)
        self.chart_view.render(painter)
        painter.end()

    def save_csv(self, path: Path) -> None:
        """The chart's figures as CSV: a row per period, a column per series."""
        if self.trend is None:
            return
        with replaced_text_file(path) as stream:
            write_csv(self.trend, stream, self.compared, self._compared_query or "compared")
