"""Word lists and keyword lists drawn up over articles given by id, with progress and cancel.

The command line and the window's analysis jobs both call these: they read texts through a
function given to them (``Library.iter_analysis_texts``), count them, and return the list alone,
a small plain record. ``progress(done, total, note)`` is told how many articles are counted;
``cancelled()`` is asked between articles and stops the run with ``AnalysisCancelled``.
"""

from __future__ import annotations

import random
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass

from corpusdesk.analysis.frequency import (
    BATCH,
    FrequencyList,
    WordCounts,
    frequency_list,
    prepare_batch,
)
from corpusdesk.analysis.keyness import SIGNIFICANT, KeywordList, keywords
from corpusdesk.analysis.stopwords import stop_words
from corpusdesk.core.errors import UserError

REFERENCE_SAMPLE = 20_000
"""Articles of the rest of the library counted as a keyword reference (a random sample of them
when there are more): the reference's size then bounds the time a keyword list takes."""

BATCHES_AHEAD = 2
"""Batches made ready for counting before the reader waits for the counting thread."""
COUNTING_SWITCH_INTERVAL = 0.0002
"""Seconds a thread may hold the interpreter lock while another waits for it, during a count.

The counting thread makes dozens of short NumPy calls a batch, and at the end of each it must
take the lock back from the reading thread, which keeps it for Python's default 5 ms unless
asked sooner: with 0.2 ms the two threads overlap instead of taking turns (a word list of
10,000 articles in several scripts: about 2.3 s → 1.8 s on two cores; English lists, whose
reading is light, are unchanged)."""

TextReader = Callable[[Sequence[int]], Iterable[str]]
Progress = Callable[[int, int, str], None]


class AnalysisCancelled(UserError):
    """The user stopped the analysis."""


@dataclass(frozen=True, slots=True)
class FrequencyRequest:
    """A word or n-gram list over the articles ``ids``."""

    ids: tuple[int, ...]
    ngram: int = 1
    top: int | None = 100
    stop_languages: tuple[str, ...] = ()
    min_count: int = 1


@dataclass(frozen=True, slots=True)
class KeywordRequest:
    """Keywords of the articles ``ids`` against the articles ``reference_ids``."""

    ids: tuple[int, ...]
    reference_ids: tuple[int, ...]
    top: int | None = 100
    stop_languages: tuple[str, ...] = ()
    min_count: int = 3
    min_log_likelihood: float = SIGNIFICANT
    negative: bool = False


def rest_of_library(
    library_ids: Sequence[int], target_ids: Sequence[int], sample: int | None = REFERENCE_SAMPLE
) -> tuple[tuple[int, ...], int]:
    """The articles of ``library_ids`` not in ``target_ids`` as a reference, and how many
    there are: all of them, or a random sample of ``sample`` (the same for the same ids)."""
    target = set(target_ids)
    rest = [article_id for article_id in library_ids if article_id not in target]
    if sample is None or sample <= 0 or len(rest) <= sample:
        return tuple(rest), len(rest)
    return tuple(sorted(random.Random(len(rest)).sample(rest, sample))), len(rest)


def count_articles(
    ids: Sequence[int],
    read: TextReader,
    ngram: int = 1,
    *,
    note: str = "Counting words",
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> WordCounts:
    """The word (or n-gram) counts of the articles ``ids``.

    Texts are read and cut into words on this thread while a second one counts the batch
    before (``frequency.prepare_batch``, ``WordCounts.add_prepared``): NumPy's sorting lets
    both run at once. Batches are counted one at a time, in the order they are read.
    """
    counts = WordCounts(ngram)
    total = len(ids)
    if progress is not None:
        progress(0, total, note)
    with (
        _switching_often(),
        ThreadPoolExecutor(max_workers=1, thread_name_prefix="word-counts") as counter,
    ):
        queued: deque[Future[None]] = deque()

        def count(batch: list[str]) -> None:
            queued.append(counter.submit(counts.add_prepared, prepare_batch(batch)))
            while len(queued) > BATCHES_AHEAD:
                queued.popleft().result()

        batch: list[str] = []
        for text in read(ids):
            batch.append(text)
            if len(batch) == BATCH:
                count(batch)
                batch = []
                if cancelled is not None and cancelled():
                    raise AnalysisCancelled("the analysis was cancelled")
                if progress is not None:
                    progress(counts.documents, total, note)
        count(batch)
        while queued:
            queued.popleft().result()
    if progress is not None:
        progress(total, total, note)
    return counts


@contextmanager
def _switching_often() -> Iterator[None]:
    """``COUNTING_SWITCH_INTERVAL`` for the duration, the interval before restored after."""
    before = sys.getswitchinterval()
    sys.setswitchinterval(min(before, COUNTING_SWITCH_INTERVAL))
    try:
        yield
    finally:
        sys.setswitchinterval(before)


def run_frequency(
    request: FrequencyRequest,
    read: TextReader,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> FrequencyList:
    """The frequency list the request asks for."""
    stopped = stop_words(request.stop_languages, strict=False)
    note = "Counting words" if request.ngram == 1 else f"Counting {request.ngram}-grams"
    counts = count_articles(
        request.ids, read, request.ngram, note=note, progress=progress, cancelled=cancelled
    )
    return frequency_list(counts, top=request.top, stop_words=stopped, min_count=request.min_count)


def run_keywords(
    request: KeywordRequest,
    read: TextReader,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> KeywordList:
    """The keyword list the request asks for (the reference is counted after the target)."""
    if not request.ids:
        raise UserError("there are no articles to find keywords of")
    if not request.reference_ids:
        raise UserError("the reference has no articles to compare with")
    stopped = stop_words(request.stop_languages, strict=False)
    target = count_articles(
        request.ids, read, note="Counting words", progress=progress, cancelled=cancelled
    )
    reference = count_articles(
        request.reference_ids,
        read,
        note="Counting the reference",
        progress=progress,
        cancelled=cancelled,
    )
    return keywords(
        target,
        reference,
        top=request.top,
        stop_words=stopped,
        min_count=request.min_count,
        min_log_likelihood=request.min_log_likelihood,
        negative=request.negative,
    )
