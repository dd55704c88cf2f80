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
"""

from __future__ import annotations

import math
from collections.abc import Collection
from dataclasses import dataclass

from corpusdesk.analysis.frequency import WordCounts, display_item, is_stopped, per_million

SIGNIFICANT = 3.84
"""LL at p < 0.05: the default floor of a keyword list."""
ZERO_COUNT = 0.5
"""What a count of 0 is taken as in the log ratio."""


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
    items = reference.counts if negative else target.counts
    rows: list[KeywordRow] = []
    for item in items:
        a, b = target.counts[item], reference.counts[item]
        if (b if negative else a) < min_count or is_stopped(item, stop_words):
            continue
        target_rate, reference_rate = a / c if c else 0.0, b / d if d else 0.0
        if (target_rate < reference_rate) != negative or target_rate == reference_rate:
            continue
        score = log_likelihood(a, b, c, d)
        if score < min_log_likelihood:
            continue
        rows.append(
            KeywordRow(
                display_item(item),
                a,
                b,
                target.document_counts[item],
                score,
                log_ratio(a, b, c, d),
                per_million(a, c),
                per_million(b, d),
            )
        )
    rows.sort(key=lambda row: (-row.log_likelihood, row.item))
    return KeywordList(
        c,
        d,
        target.documents,
        reference.documents,
        tuple(rows if top is None else rows[:top]),
        negative,
        target.approximate or reference.approximate,
    )
