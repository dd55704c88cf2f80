"""Word and n-gram frequency lists: counts, document frequencies and rates per million words.

``WordCounts`` is fed article texts (``add_batch``) and keeps, for each word or n-gram of ``n``
words in a row (2–4), how often it occurs and in how many articles. Words are cut and folded
as ``corpusdesk.analysis.tokens`` says; n-grams run across the whole text of an article
(punctuation does not break them, as in the usual concordancers), never from one article into
the next. Rates are per million running words of the counted texts (for n-grams too), so lists
of differently sized results compare. Stop words are left out of a list when it is drawn up,
not when counting: the running-word total, and so every rate, is the same with or without them.
An n-gram is left out when its first or last word is a stop word (``state of emergency`` stays).

Counting is done with NumPy on the UTF-8 bytes of the folded words, never word by word in
Python: each word is keyed by a 64-bit polynomial hash of its bytes (an n-gram by a hash of its
words' hashes), a batch's keys are sorted (``stable_order``) and counted in one go, and the
batches' counts are merged the same way. Two different words could share a key; with a million
distinct words the chance that any two do is about 3 in 100 million, as for random 64-bit
numbers. ASCII text, once lower-cased, has its punctuation turned into spaces by one
``str.translate``; other text goes through ``tokens.words`` (Chinese characters, Thai words,
accents folded). Each word's text is kept once, the first time it is seen, to name the list's
rows. ``prepare_batch``, the cutting and folding of a batch's texts, is Python work, and
``WordCounts.add_prepared`` NumPy work that lets other threads run: the two can be done at once,
a batch apart, as ``runs.count_articles`` does.

Counting keeps every distinct n-gram; past ``PRUNE_AT`` of them those seen once so far are
dropped and the list says it is ``approximate`` (the counts of frequent ones may then miss an
occurrence or so).
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, TextIO

import numpy as np
import numpy.typing as npt

from corpusdesk.analysis.tokens import ascii_words_text, fold_words, join_words, words

MAX_NGRAM = 4
BATCH = 250
"""Texts counted together by ``add_all``."""
PRUNE_AT = 20_000_000
"""Distinct n-grams kept before those seen once are dropped (about 1 GB of memory)."""
_MERGE_AT = 4_000_000
"""Per-batch entries gathered before they are merged into the totals."""
_WORD_PRIME = 0x100000001B3
_GRAM_PRIME = 0x9E3779B97F4A7C15
_SPACE = 0x20

Keys = npt.NDArray[np.uint64]
Numbers = npt.NDArray[np.int64]


def per_million(count: int, tokens: int) -> float:
    """``count`` occurrences in ``tokens`` running words, per million words."""
    return count * 1_000_000 / tokens if tokens else 0.0


def folded_words(text: str) -> list[str]:
    """The words of ``text``, folded (see ``tokens.fold_word``)."""
    found = words(text)
    if text.isascii():
        return found
    return fold_words(found)


class _Powers:
    """Powers of the hash's prime and of its inverse modulo 2**64, as long as needed."""

    def __init__(self) -> None:
        self.up: Keys = np.ones(1, dtype=np.uint64)
        self.down: Keys = np.ones(1, dtype=np.uint64)

    def ensure(self, size: int) -> None:
        if len(self.up) >= size:
            return
        size = max(size, 2 * len(self.up))
        one = np.ones(1, dtype=np.uint64)
        up = np.cumprod(np.full(size - 1, _WORD_PRIME, dtype=np.uint64))
        self.up = np.concatenate((one, up))
        inverse = pow(_WORD_PRIME, -1, 2**64)
        down = np.cumprod(np.full(size - 1, inverse, dtype=np.uint64))
        self.down = np.concatenate((one, down))


_POWERS = _Powers()


def _spans(data: bytes) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.intp], Keys]:
    """Where the space-separated words of ``data`` start and end, and their hashes."""
    raw = np.frombuffer(data, dtype=np.uint8)
    inside = (raw != _SPACE).astype(np.int8)
    edges = np.diff(inside, prepend=np.int8(0), append=np.int8(0))
    starts = np.flatnonzero(edges == 1)
    ends = np.flatnonzero(edges == -1)
    _POWERS.ensure(len(raw) + 1)
    prefix = np.zeros(len(raw) + 1, dtype=np.uint64)
    np.cumsum(raw.astype(np.uint64) * _POWERS.up[: len(raw)], out=prefix[1:])
    hashes = (prefix[ends] - prefix[starts]) * _POWERS.down[starts]
    return starts, ends, hashes


@dataclass(frozen=True, slots=True)
class PreparedBatch:
    """Texts made ready for counting: their folded words as UTF-8, separated by spaces."""

    data: bytes
    document_starts: Numbers
    """Where each text's words start in ``data``."""
    documents: int


def prepare_batch(texts: Sequence[str]) -> PreparedBatch:
    """``texts`` cut into words and folded: the Python half of counting, which can run while
    ``WordCounts.add_prepared`` counts the batch before (NumPy lets other threads run)."""
    pieces = [
        ascii_words_text(text) if text.isascii() else " ".join(folded_words(text)) for text in texts
    ]
    lengths = np.fromiter(
        (1 + (len(piece) if piece.isascii() else len(piece.encode("utf-8"))) for piece in pieces),
        np.int64,
        len(pieces),
    )
    document_starts = np.concatenate(([0], np.cumsum(lengths)[:-1])).astype(np.int64)
    return PreparedBatch(" ".join(pieces).encode("utf-8"), document_starts, len(pieces))


def word_keys(items: Iterable[str]) -> Keys:
    """The keys of folded words (as counted), for looking them up in counts."""
    data = " ".join(items).encode("utf-8")
    return _spans(data)[2] if data.strip() else np.zeros(0, dtype=np.uint64)


@dataclass
class _Part:
    """Counts of some texts: sorted distinct keys, their counts, documents and words."""

    keys: Keys
    counts: Numbers
    documents: Numbers
    words: list[Keys]
    """Per position in the n-gram, each key's word (the word itself for single words)."""


def stable_order(keys: Keys) -> npt.NDArray[np.intp]:
    """The order that sorts ``keys``, equal keys kept in their order (``np.argsort`` with
    ``kind="stable"``), found by four stable sorts of 16-bit digits, lowest first: NumPy sorts
    those by counting, in linear time, and the four take half the time of one merge sort."""
    digits = np.ascontiguousarray(keys, dtype="<u8").view("<u2").reshape(-1, 4)
    order = np.argsort(digits[:, 0], kind="stable")
    for place in range(1, 4):
        order = order[np.argsort(digits[order, place], kind="stable")]
    return order


def _grouped(keys: Keys, order: npt.NDArray[np.intp]) -> npt.NDArray[np.intp]:
    """Where each run of equal keys begins in ``keys[order]``."""
    ordered = keys[order]
    if len(ordered) == 0:
        return np.zeros(0, dtype=np.intp)
    return np.flatnonzero(np.concatenate(([True], ordered[1:] != ordered[:-1])))


def _merge(parts: Sequence[_Part]) -> _Part:
    keys = np.concatenate([part.keys for part in parts])
    order = stable_order(keys)
    starts = _grouped(keys, order)
    firsts = order[starts]
    counts = np.concatenate([part.counts for part in parts])[order]
    documents = np.concatenate([part.documents for part in parts])[order]
    positions = len(parts[0].words)
    return _Part(
        keys[firsts],
        np.add.reduceat(counts, starts) if len(starts) else counts,
        np.add.reduceat(documents, starts) if len(starts) else documents,
        [np.concatenate([part.words[k] for part in parts])[firsts] for k in range(positions)],
    )


@dataclass
class WordCounts:
    """Counts of the words (``ngram`` 1) or n-grams of the texts added so far."""

    ngram: int = 1
    tokens: int = 0
    """Running words of the texts."""
    documents: int = 0
    approximate: bool = False
    names: dict[int, str] = field(default_factory=dict)
    """Each word's text, by key."""
    _parts: list[_Part] = field(default_factory=list)
    _pending: int = 0
    _named: Keys = field(default_factory=lambda: np.zeros(0, dtype=np.uint64))
    """The keys of ``names``, sorted."""

    def __post_init__(self) -> None:
        if not 1 <= self.ngram <= MAX_NGRAM:
            raise ValueError(f"n-grams of 1 to {MAX_NGRAM} words, not {self.ngram}")

    def add(self, text: str) -> None:
        """Count the words or n-grams of one article's text."""
        self.add_batch([text])

    def add_all(self, texts: Iterable[str]) -> WordCounts:
        """Count every text of ``texts``; returns ``self``."""
        batch: list[str] = []
        for text in texts:
            batch.append(text)
            if len(batch) == BATCH:
                self.add_batch(batch)
                batch.clear()
        self.add_batch(batch)
        return self

    def add_batch(self, texts: Sequence[str]) -> None:
        """Count the words or n-grams of several articles' texts."""
        self.add_prepared(prepare_batch(texts))

    def add_prepared(self, batch: PreparedBatch) -> None:
        """Count the words or n-grams of texts made ready by ``prepare_batch``."""
        if not batch.documents:
            return
        data = batch.data
        starts, ends, hashes = _spans(data)
        self.tokens += len(hashes)
        self.documents += batch.documents
        document = np.searchsorted(batch.document_starts, starts, side="right") - 1
        size = self.ngram
        if size == 1:
            first = self._count(hashes, document, [hashes])
            self._name(data, starts[first], ends[first], hashes[first])
            return
        distinct, first = np.unique(hashes, return_index=True)
        self._name(data, starts[first], ends[first], distinct)
        usable = max(0, len(hashes) - size + 1)
        same = document[:usable] == document[size - 1 : size - 1 + usable]
        parts = [hashes[k : k + usable][same] for k in range(size)]
        keys = np.zeros(int(same.sum()), dtype=np.uint64)
        for part in parts:
            keys = keys * np.uint64(_GRAM_PRIME) + part
        self._count(keys, document[:usable][same], parts)

    def _name(
        self,
        data: bytes,
        starts: npt.NDArray[np.intp],
        ends: npt.NDArray[np.intp],
        keys: Keys,
    ) -> None:
        """Keep the text of each word of ``keys`` (sorted, distinct) not named yet (it spans
        ``starts``–``ends`` in ``data``)."""
        named = self._named
        at = np.searchsorted(named, keys)
        if len(named):
            new = named[np.minimum(at, len(named) - 1)] != keys
            keys, starts, ends, at = keys[new], starts[new], ends[new], at[new]
        names = self.names
        for key, start, end in zip(keys.tolist(), starts.tolist(), ends.tolist(), strict=True):
            names[key] = data[start:end].decode("utf-8")
        if len(keys):
            self._named = np.insert(named, at, keys)

    def _count(
        self, keys: Keys, document: npt.NDArray[np.intp], parts: list[Keys]
    ) -> npt.NDArray[np.intp]:
        """Count ``keys`` (one per occurrence, in ``document``); returns where each distinct
        key first occurs."""
        order = stable_order(keys)
        starts = _grouped(keys, order)
        if len(starts) == 0:
            return starts
        ordered_documents = document[order]
        ordered_keys = keys[order]
        new_document = np.concatenate(
            (
                [True],
                (ordered_keys[1:] != ordered_keys[:-1])
                | (ordered_documents[1:] != ordered_documents[:-1]),
            )
        )
        counts = np.diff(np.concatenate((starts, [len(keys)]))).astype(np.int64)
        documents = np.add.reduceat(new_document.astype(np.int64), starts)
        first = order[starts]
        self._parts.append(
            _Part(ordered_keys[starts], counts, documents, [part[first] for part in parts])
        )
        self._pending += len(starts)
        # Merging when the new entries outgrow the merged ones keeps the total work of the
        # merges proportional to the entries' number (times its logarithm).
        merged = len(self._parts[0].keys) if len(self._parts) > 1 else 0
        if self._pending - merged > max(_MERGE_AT, merged):
            self._compact()
        return first

    def _compact(self) -> None:
        if len(self._parts) > 1:
            self._parts = [_merge(self._parts)]
        self._pending = len(self._parts[0].keys) if self._parts else 0
        if self._pending > PRUNE_AT:
            part = self._parts[0]
            kept = part.counts > 1
            self._parts = [
                _Part(
                    part.keys[kept],
                    part.counts[kept],
                    part.documents[kept],
                    [words_at[kept] for words_at in part.words],
                )
            ]
            self._pending = int(kept.sum())
            self.approximate = True

    def totals(self) -> _Part:
        """Every distinct key with its count, documents and words (keys sorted)."""
        self._compact()
        if not self._parts:
            empty = np.zeros(0, dtype=np.uint64)
            nothing = np.zeros(0, dtype=np.int64)
            return _Part(empty, nothing, nothing, [empty] * self.ngram)
        return self._parts[0]

    def name(self, words_of_item: Sequence[int]) -> str:
        """The text of a word or n-gram, given its words' keys."""
        return join_words(self.names[key] for key in words_of_item)

    def count_of(self, item: str) -> tuple[int, int]:
        """How often ``item`` (a folded word, or words joined by spaces) occurs, and in how
        many articles."""
        keys = word_keys(item.split(" "))
        if len(keys) != self.ngram:
            return 0, 0
        key = keys[:1]
        if self.ngram > 1:
            key = np.zeros(1, dtype=np.uint64)
            for part in keys:
                key = key * np.uint64(_GRAM_PRIME) + part
        totals = self.totals()
        at = int(np.searchsorted(totals.keys, key[0]))
        if at < len(totals.keys) and totals.keys[at] == key[0]:
            return int(totals.counts[at]), int(totals.documents[at])
        return 0, 0


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


CSV_COLUMNS = ("rank", "item", "count", "documents", "per_million")
"""The columns of a frequency list as CSV, from the command line and from the window."""


def write_csv(ranked: Iterable[tuple[int, FrequencyRow]], stream: TextIO) -> None:
    """Write a frequency list's rows, each with its rank, as CSV (``CSV_COLUMNS``)."""
    writer = csv.writer(stream)
    writer.writerow(CSV_COLUMNS)
    for rank, row in ranked:
        writer.writerow((rank, row.item, row.count, row.documents, f"{row.per_million:.2f}"))


def stopped_mask(part: _Part, stop_words: Collection[str]) -> npt.NDArray[np.bool_]:
    """Which keys are stop words, or n-grams whose first or last word is one."""
    if not stop_words:
        return np.zeros(len(part.keys), dtype=bool)
    stops = word_keys(sorted(stop_words))
    return np.isin(part.words[0], stops) | np.isin(part.words[-1], stops)


def ranked_indexes(
    scores: npt.NDArray[Any],
    keep: npt.NDArray[np.bool_],
    top: int | None,
    name: Callable[[int], str],
) -> list[int]:
    """Indexes of the ``top`` kept entries (all with None) by score, highest first; ties in
    alphabetical order (a tie at the cut is cut alphabetically too)."""
    candidates = np.flatnonzero(keep)
    if top is not None and len(candidates) > top:
        kept_scores = scores[candidates]
        floor = np.partition(kept_scores, len(kept_scores) - top)[len(kept_scores) - top]
        candidates = candidates[kept_scores >= floor]  # the top, with every tie at the cut
    chosen = sorted(candidates.tolist(), key=lambda index: (-float(scores[index]), name(index)))
    return chosen if top is None else chosen[:top]


def frequency_list(
    counts: WordCounts,
    *,
    top: int | None = 100,
    stop_words: Collection[str] = (),
    min_count: int = 1,
) -> FrequencyList:
    """The ``top`` most frequent items (all with None), most frequent first, ties by item."""
    totals = counts.totals()
    keep = (totals.counts >= min_count) & ~stopped_mask(totals, stop_words)

    def name(index: int) -> str:
        return counts.name([int(words_at[index]) for words_at in totals.words])

    rows = tuple(
        FrequencyRow(
            name(index),
            int(totals.counts[index]),
            int(totals.documents[index]),
            per_million(int(totals.counts[index]), counts.tokens),
        )
        for index in ranked_indexes(totals.counts, keep, top, name)
    )
    return FrequencyList(
        counts.ngram, counts.tokens, counts.documents, len(totals.keys), rows, counts.approximate
    )
