"""Keywords: the words that are characteristic of a set of articles against a reference.

As AntConc's keyword list does, each word is scored by the log-likelihood statistic (Rayson and
Garside, 2000) of its frequency in the target (``a`` of ``c`` running words) against the
reference (``b`` of ``d``)::

    E1 = c (a + b) / (c + d)        E2 = d (a + b) / (c + d)
    LL = 2 (a ln(a / E1) + b ln(b / E2))          (a term whose count is 0 adds 0)

and ranked by it; its effect size is the log ratio (Hardie, 2014), the binary logarithm of the
ratio of the two relative frequencies, ``log2((a / c) / (b / d))``, with a count of 0 taken as
0.5 so that a word absent from one side still gets a finite size. LL 3.84 is significance at
p < 0.05 (one degree of freedom), 6.63 at p < 0.01, 10.83 at p < 0.001 and 15.13 at p < 0.0001.
Positive keywords are more frequent in the target than in the reference, negative ones less.
The list computes both for every word at once with NumPy (``log_likelihoods``, ``log_ratios``).
"""

from __future__ import annotations

import csv
import math
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Any, TextIO

import numpy as np
import numpy.typing as npt

from corpusdesk.analysis.frequency import (
    WordCounts,
    per_million,
    ranked_indexes,
    stopped_mask,
)

SIGNIFICANT = 3.84
"""LL at p < 0.05: the default floor of a keyword list."""
ZERO_COUNT = 0.5
"""What a count of 0 is taken as in the log ratio."""

Floats = npt.NDArray[np.float64]


def log_likelihood(a: int, b: int, c: int, d: int) -> float:
    """Log-likelihood of ``a`` in ``c`` words (target) against ``b`` in ``d`` (reference)."""
    if c + d == 0 or a + b == 0:
        return 0.0
    expected_target = c * (a + b) / (c + d)
    expected_reference = d * (a + b) / (c + d)
    total = 0.0
    if a:
        total += a * math.log(a / expected_target)
    if b:
        total += b * math.log(b / expected_reference)
    return 2 * total


def log_ratio(a: int, b: int, c: int, d: int) -> float:
    """Binary log of the ratio of relative frequencies, a zero count taken as 0.5."""
    if c == 0 or d == 0:
        return 0.0
    return math.log2(((a or ZERO_COUNT) / c) / ((b or ZERO_COUNT) / d))


def log_likelihoods(a: npt.NDArray[Any], b: npt.NDArray[Any], c: int, d: int) -> Floats:
    """``log_likelihood`` of each pair of counts in ``a`` and ``b``."""
    a, b = a.astype(np.float64), b.astype(np.float64)
    if c + d == 0:
        return np.zeros(len(a))
    expected_target = c * (a + b) / (c + d)
    expected_reference = d * (a + b) / (c + d)
    with np.errstate(divide="ignore", invalid="ignore"):
        target = np.where(a > 0, a * np.log(a / expected_target), 0.0)
        reference = np.where(b > 0, b * np.log(b / expected_reference), 0.0)
    return np.asarray(2 * (target + reference), dtype=np.float64)


def log_ratios(a: npt.NDArray[Any], b: npt.NDArray[Any], c: int, d: int) -> Floats:
    """``log_ratio`` of each pair of counts in ``a`` and ``b``."""
    if c == 0 or d == 0:
        return np.zeros(len(a))
    a = np.where(a > 0, a, ZERO_COUNT)
    b = np.where(b > 0, b, ZERO_COUNT)
    return np.asarray(np.log2((a / c) / (b / d)), dtype=np.float64)


@dataclass(frozen=True, slots=True)
class KeywordRow:
    """A word with its counts on both sides and its keyness."""

    item: str
    count: int
    reference_count: int
    documents: int
    """Target articles that hold the word."""
    log_likelihood: float
    log_ratio: float
    per_million: float
    reference_per_million: float


@dataclass(frozen=True, slots=True)
class KeywordList:
    """The head of a keyword list and the sizes of both sides."""

    tokens: int
    reference_tokens: int
    documents: int
    reference_documents: int
    rows: tuple[KeywordRow, ...]
    negative: bool = False
    approximate: bool = False


CSV_COLUMNS = (
    "rank",
    "word",
    "log_likelihood",
    "log_ratio",
    "count",
    "reference_count",
    "documents",
    "per_million",
    "reference_per_million",
)
"""The columns of a keyword list as CSV, from the command line and from the window."""


def write_csv(ranked: Iterable[tuple[int, KeywordRow]], stream: TextIO) -> None:
    """Write a keyword list's rows, each with its rank, as CSV (``CSV_COLUMNS``)."""
    writer = csv.writer(stream)
    writer.writerow(CSV_COLUMNS)
    for rank, row in ranked:
        writer.writerow(
            (
                rank,
                row.item,
                f"{row.log_likelihood:.2f}",
                f"{row.log_ratio:.3f}",
                row.count,
                row.reference_count,
                row.documents,
                f"{row.per_million:.2f}",
                f"{row.reference_per_million:.2f}",
            )
        )


def _looked_up(keys: npt.NDArray[np.uint64], table: npt.NDArray[np.uint64]) -> Any:
    """For each of ``keys``, its index in the sorted ``table`` and whether it is there."""
    if len(table) == 0:
        return np.zeros(len(keys), dtype=np.intp), np.zeros(len(keys), dtype=bool)
    at = np.minimum(np.searchsorted(table, keys), len(table) - 1)
    return at, table[at] == keys


def keywords(
    target: WordCounts,
    reference: WordCounts,
    *,
    top: int | None = 100,
    stop_words: Collection[str] = (),
    min_count: int = 3,
    min_log_likelihood: float = SIGNIFICANT,
    negative: bool = False,
) -> KeywordList:
    """The ``top`` keywords of ``target`` against ``reference``, by log-likelihood.

    Positive keywords (more frequent in the target) unless ``negative``. A positive keyword
    needs ``min_count`` occurrences in the target, a negative one in the reference. Ties are
    in alphabetical order.
    """
    c, d = target.tokens, reference.tokens
    mine, theirs = target.totals(), reference.totals()
    listed, other = (theirs, mine) if negative else (mine, theirs)
    at, found = _looked_up(listed.keys, other.keys)
    other_counts = np.where(found, other.counts[at] if len(other.keys) else 0, 0)
    a, b = (other_counts, listed.counts) if negative else (listed.counts, other_counts)
    documents = (
        np.where(found, mine.documents[at] if len(mine.keys) else 0, 0)
        if negative
        else listed.documents
    )
    scores = log_likelihoods(a, b, c, d)
    with np.errstate(divide="ignore", invalid="ignore"):
        target_rate, reference_rate = a / max(c, 1), b / max(d, 1)
    direction = target_rate < reference_rate if negative else target_rate > reference_rate
    keep = (
        direction
        & ((b if negative else a) >= min_count)
        & (scores >= min_log_likelihood)
        & ~stopped_mask(listed, stop_words)
    )
    owner = reference if negative else target
    ratios = log_ratios(a, b, c, d)

    def name(index: int) -> str:
        return owner.name([int(words_at[index]) for words_at in listed.words])

    rows = tuple(
        KeywordRow(
            name(index),
            int(a[index]),
            int(b[index]),
            int(documents[index]),
            float(scores[index]),
            float(ratios[index]),
            per_million(int(a[index]), c),
            per_million(int(b[index]), d),
        )
        for index in ranked_indexes(scores, keep, top, name)
    )
    return KeywordList(
        c,
        d,
        target.documents,
        reference.documents,
        rows,
        negative,
        target.approximate or reference.approximate,
    )
