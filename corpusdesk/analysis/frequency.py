"""Word and n-gram frequency lists: counts, document frequencies and rates per million words.

``WordCounts`` is fed article texts one at a time (``add``) and keeps, for each word or n-gram
of ``n`` words in a row (2–4), how often it occurs and in how many articles. Words are cut and
folded as ``corpusdesk.analysis.tokens`` says; n-grams run across the whole text of an article
(punctuation does not break them, as in the usual concordancers), never from one article into
the next. Rates are per million running words of the counted texts (for n-grams too), so lists
of differently sized results compare. Stop words are left out of a list when it is drawn up,
not when counting: the running-word total, and so every rate, is the same with or without them.
An n-gram is left out when its first or last word is a stop word (``state of emergency`` stays).

Counting keeps every distinct n-gram in memory; past ``PRUNE_AT`` of them those seen once are
dropped and the list says it is ``approximate`` (the counts of the frequent ones stay exact up
to the occurrences seen before they were dropped, which is one at most).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field

from corpusdesk.analysis.tokens import fold_word, join_words, words

MAX_NGRAM = 4
PRUNE_AT = 4_000_000
"""Distinct n-grams kept before those seen once are dropped (about 400 MB of memory)."""


def per_million(count: int, tokens: int) -> float:
    """``count`` occurrences in ``tokens`` running words, per million words."""
    return count * 1_000_000 / tokens if tokens else 0.0


def folded_words(text: str) -> list[str]:
    """The words of ``text``, folded (see ``tokens.fold_word``)."""
    found = words(text)
    if text.isascii():
        return found
    return [fold_word(word) for word in found]


@dataclass
class WordCounts:
    """Counts of the words (``ngram`` 1) or n-grams of the texts added so far."""

    ngram: int = 1
    tokens: int = 0
    """Running words of the texts."""
    documents: int = 0
    counts: Counter[str] = field(default_factory=Counter)
    document_counts: Counter[str] = field(default_factory=Counter)
    approximate: bool = False

    def __post_init__(self) -> None:
        if not 1 <= self.ngram <= MAX_NGRAM:
            raise ValueError(f"n-grams of 1 to {MAX_NGRAM} words, not {self.ngram}")

    def add(self, text: str) -> None:
        """Count the words or n-grams of one article's text."""
        found = folded_words(text)
        self.tokens += len(found)
        self.documents += 1
        if self.ngram > 1:
            found = list(map(" ".join, zip(*(found[i:] for i in range(self.ngram)), strict=False)))
        self.counts.update(found)
        self.document_counts.update(set(found))
        if len(self.counts) > PRUNE_AT:
            self._prune()

    def add_all(self, texts: Iterable[str]) -> WordCounts:
        """Count every text of ``texts``; returns ``self``."""
        for text in texts:
            self.add(text)
        return self

    def _prune(self) -> None:
        rare = [item for item, count in self.counts.items() if count == 1]
        for item in rare:
            del self.counts[item]
            del self.document_counts[item]
        self.approximate = True

    def without(self, other: WordCounts) -> WordCounts:
        """These counts less ``other``'s (texts counted in both): the rest of a corpus."""
        rest = WordCounts(self.ngram, self.tokens - other.tokens, self.documents - other.documents)
        rest.counts = self.counts - other.counts
        rest.document_counts = self.document_counts - other.document_counts
        rest.approximate = self.approximate or other.approximate
        return rest


@dataclass(frozen=True, slots=True)
class FrequencyRow:
    """One word or n-gram of a frequency list."""

    item: str
    count: int
    documents: int
    per_million: float


@dataclass(frozen=True, slots=True)
class FrequencyList:
    """The head of a frequency list, with the totals it was counted over."""

    ngram: int
    tokens: int
    documents: int
    types: int
    """Distinct words or n-grams counted (stop words included)."""
    rows: tuple[FrequencyRow, ...]
    approximate: bool = False


def is_stopped(item: str, stop_words: Collection[str]) -> bool:
    """Whether a word, or an n-gram whose first or last word, is a stop word."""
    if not stop_words:
        return False
    if " " not in item:
        return item in stop_words
    return item.partition(" ")[0] in stop_words or item.rpartition(" ")[2] in stop_words


def display_item(item: str) -> str:
    """A counted word or n-gram as text (no spaces between Chinese or Japanese characters)."""
    return join_words(item.split(" ")) if " " in item else item


def ranked(
    counts: Counter[str], top: int | None, keep: Callable[[str, int], bool]
) -> list[tuple[str, int]]:
    """The ``top`` (all with None) items that ``keep`` accepts, most frequent first, ties
    in alphabetical order (a tie at the cut is cut alphabetically too)."""
    chosen: list[tuple[str, int]] = []
    for item, count in counts.most_common():
        if top is not None and len(chosen) >= top and count < chosen[-1][1]:
            break
        if keep(item, count):
            chosen.append((item, count))
    chosen.sort(key=lambda pair: (-pair[1], pair[0]))
    return chosen if top is None else chosen[:top]


def frequency_list(
    counts: WordCounts,
    *,
    top: int | None = 100,
    stop_words: Collection[str] = (),
    min_count: int = 1,
) -> FrequencyList:
    """The ``top`` most frequent items (all with None), most frequent first, ties by item."""
    chosen = ranked(
        counts.counts,
        top,
        lambda item, count: count >= min_count and not is_stopped(item, stop_words),
    )
    rows = tuple(
        FrequencyRow(
            display_item(item),
            count,
            counts.document_counts[item],
            per_million(count, counts.tokens),
        )
        for item, count in chosen
    )
    return FrequencyList(
        counts.ngram, counts.tokens, counts.documents, len(counts.counts), rows, counts.approximate
    )
