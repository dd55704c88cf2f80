"""Coverage over time: articles per day, week, month or year, split into series.

The library gives counts of articles per publication day and per key (a site, a tag, a
language, or one key for all: ``DatedCount``); ``trend`` buckets them into periods and keeps
every period between the first and the last, empty ones included, so that a gap shows as a gap.
Weeks are ISO weeks: they begin on Monday and belong to the year that holds their Thursday, so
Monday 2024-12-30 begins week 2025-W01. The largest series are kept by name and the rest summed
as one; articles without a date are counted apart. ``period_query`` gives the search that finds a
period's articles, for a click on its bar.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import TextIO


class Split(StrEnum):
    """What a chart's bars are stacked (or its lines split) by."""

    NONE = "none"
    SITE = "site"
    TAG = "tag"
    LANGUAGE = "language"


class Period(StrEnum):
    """The length of a chart's bars."""

    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    YEAR = "year"


def period_start(date: dt.date, period: Period) -> dt.date:
    """The first day of the period that holds ``date``."""
    if period is Period.DAY:
        return date
    if period is Period.WEEK:
        return date - dt.timedelta(days=date.weekday())
    if period is Period.MONTH:
        return date.replace(day=1)
    return date.replace(month=1, day=1)


def next_start(start: dt.date, period: Period) -> dt.date:
    """The first day of the period after the one beginning on ``start``."""
    if period is Period.DAY:
        return start + dt.timedelta(days=1)
    if period is Period.WEEK:
        return start + dt.timedelta(days=7)
    if period is Period.MONTH:
        return dt.date(start.year + start.month // 12, start.month % 12 + 1, 1)
    return dt.date(start.year + 1, 1, 1)


def period_label(start: dt.date, period: Period) -> str:
    """``2024-03-05``, ``2024-W10``, ``2024-03`` or ``2024``."""
    if period is Period.DAY:
        return start.isoformat()
    if period is Period.WEEK:
        year, week, _ = start.isocalendar()
        return f"{year}-W{week:02d}"
    if period is Period.MONTH:
        return f"{start.year:04d}-{start.month:02d}"
    return f"{start.year:04d}"


def period_query(start: dt.date, period: Period) -> str:
    """The search term that finds the articles published in the period."""
    if period is Period.WEEK:
        last = start + dt.timedelta(days=6)
        return f"date:{start.isoformat()}..{last.isoformat()}"
    return f"date:{period_label(start, period)}"


def period_starts(first: dt.date, last: dt.date, period: Period) -> list[dt.date]:
    """Every period from the one holding ``first`` to the one holding ``last``."""
    starts: list[dt.date] = []
    current, end = period_start(first, period), period_start(last, period)
    while current <= end:
        starts.append(current)
        current = next_start(current, period)
    return starts


@dataclass(frozen=True, slots=True)
class DatedCount:
    """How many articles of one key were published on one day (``None``: undated)."""

    published: dt.date | None
    key: str
    count: int


@dataclass(frozen=True, slots=True)
class Trend:
    """Articles per period, in series; ``series`` holds one count per period each."""

    period: Period
    starts: tuple[dt.date, ...]
    series: tuple[tuple[str, tuple[int, ...]], ...]
    undated: int = 0

    def totals(self) -> tuple[int, ...]:
        """Articles per period, all series together."""
        if not self.series:
            return tuple(0 for _ in self.starts)
        return tuple(sum(counts) for counts in zip(*(c for _, c in self.series), strict=True))

    def labels(self) -> list[str]:
        """Each period's label."""
        return [period_label(start, self.period) for start in self.starts]


def date_span(*count_lists: Sequence[DatedCount]) -> tuple[dt.date, dt.date] | None:
    """The first and last publication day in any of the lists (None when there is none)."""
    days = [item.published for counts in count_lists for item in counts if item.published]
    return (min(days), max(days)) if days else None


def trend(
    counts: Iterable[DatedCount],
    period: Period,
    *,
    span: tuple[dt.date, dt.date] | None = None,
    max_series: int = 8,
    other: str = "other",
    unnamed: str = "(none)",
) -> Trend:
    """Bucket ``counts`` into periods over ``span`` (the counts' own span when None).

    Series are ordered by their total, largest first, ties by name; past ``max_series`` the
    smallest are summed as ``other``. A key of ``""`` is named ``unnamed``.
    """
    dated: dict[str, dict[dt.date, int]] = defaultdict(lambda: defaultdict(int))
    undated = 0
    items = list(counts)
    for item in items:
        if item.published is None:
            undated += item.count
        else:
            dated[item.key or unnamed][period_start(item.published, period)] += item.count
    span = span or date_span(items)
    if span is None:
        return Trend(period, (), (), undated)
    starts = period_starts(span[0], span[1], period)
    totals = {name: sum(by_start.values()) for name, by_start in dated.items()}
    names = sorted(totals, key=lambda name: (-totals[name], name))
    kept, rest = (
        (names, [])
        if len(names) <= max_series
        else (
            names[: max_series - 1],
            names[max_series - 1 :],
        )
    )
    series = [(name, tuple(dated[name].get(start, 0) for start in starts)) for name in kept]
    if rest:
        summed = tuple(sum(dated[name].get(start, 0) for name in rest) for start in starts)
        series.append((other, summed))
    return Trend(period, tuple(starts), tuple(series), undated)


def write_csv(
    main: Trend, stream: TextIO, compared: Trend | None = None, compared_name: str = "compared"
) -> None:
    """Write the trend as CSV: period, its first day, each series, the total, and the
    compared query's total per period when there is one (over the same periods)."""
    writer = csv.writer(stream)
    names = [name for name, _ in main.series]
    header = ["period", "start", *names, "total"]
    if compared is not None:
        header.append(compared_name)
        compared_totals = dict(zip(compared.starts, compared.totals(), strict=True))
    writer.writerow(header)
    totals = main.totals()
    for index, start in enumerate(main.starts):
        row: list[object] = [period_label(start, main.period), start.isoformat()]
        row += [counts[index] for _, counts in main.series]
        row.append(totals[index])
        if compared is not None:
            row.append(compared_totals.get(start, 0))
        writer.writerow(row)
