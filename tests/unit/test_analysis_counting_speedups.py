"""Counting in batches read ahead, Thai cuts kept, words folded by table: the same counts."""

from __future__ import annotations

import random
import sys
from collections import Counter
from collections.abc import Iterator, Sequence

import numpy as np
import pytest

from corpusdesk.analysis import tokens
from corpusdesk.analysis.frequency import (
    BATCH,
    WordCounts,
    folded_words,
    frequency_list,
    stable_order,
)
from corpusdesk.analysis.runs import (
    COUNTING_SWITCH_INTERVAL,
    AnalysisCancelled,
    TextReader,
    count_articles,
)
from corpusdesk.analysis.tokens import fold_word, fold_words, thai_cut, words
from corpusdesk.core.scripts import thai_words

PIECES = (
    "The", "cat", "CAFÉ", "cafe\u0301", "naïve", "ＮＨＫ", "ｶﾞ", "北京地铁", "東京の電車",
    "서울시는", "ΟΔΟΣ", "שָׁלוֹם", "مُحَمَّد", "नमस्ते", "สวัสดีครับ", "ภาษาไทยง่ายนิดเดียว",
    "don't", "2024", "—", "!",
)  # fmt: skip


def texts(count: int, seed: int = 7) -> list[str]:
    """Articles of a few of ``PIECES`` each, the new words of later ones among known ones."""
    chance = random.Random(seed)
    made = []
    for number in range(count):
        chosen = chance.choices(PIECES, k=chance.randint(0, 12))
        made.append(" ".join([*chosen, f"word{number % 97}", f"late{number}"]))
    return made


def by_hand(items: Sequence[str]) -> dict[str, tuple[int, int]]:
    counts: Counter[str] = Counter()
    documents: Counter[str] = Counter()
    for text in items:
        found = folded_words(text)
        counts.update(found)
        documents.update(set(found))
    return {word: (counts[word], documents[word]) for word in counts}


def reader(items: Sequence[str]) -> TextReader:
    """Texts read by their index in ``items``."""

    def read(ids: Sequence[int]) -> Iterator[str]:
        return (items[i] for i in ids)

    return read


def test_counts_read_ahead_are_those_counted_by_hand() -> None:
    items = texts(3 * BATCH + 17)
    read = reader(items)
    counted = count_articles(range(len(items)), read)
    rows = frequency_list(counted, top=None).rows
    assert {row.item: (row.count, row.documents) for row in rows} == by_hand(items)
    assert counted.tokens == sum(len(folded_words(text)) for text in items)
    assert counted.documents == len(items)
    for ngram in (1, 2, 3):
        ahead = count_articles(range(len(items)), read, ngram)
        one_by_one = WordCounts(ngram)
        for text in items:
            one_by_one.add(text)
        assert frequency_list(ahead, top=None) == frequency_list(one_by_one, top=None)


def test_counting_reports_progress_stops_when_cancelled_and_passes_errors_on() -> None:
    items = texts(3 * BATCH)
    seen: list[tuple[int, int]] = []
    count_articles(
        range(len(items)),
        reader(items),
        progress=lambda done, total, note: seen.append((done, total)),
    )
    assert seen[0] == (0, len(items)) and seen[-1] == (len(items), len(items))
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)
    asked: list[int] = []

    def cancelled() -> bool:
        asked.append(1)
        return True

    with pytest.raises(AnalysisCancelled):
        count_articles(range(len(items)), reader(items), cancelled=cancelled)
    assert len(asked) == 1

    def broken(ids: Sequence[int]) -> Iterator[str]:
        yield from items[: BATCH + 1]
        raise OSError("disk I/O error")

    with pytest.raises(OSError, match="disk I/O error"):
        count_articles(range(len(items)), broken)


def test_thai_runs_are_cut_once_as_the_segmenter_cuts_them() -> None:
    run = "ภาษาไทยง่ายนิดเดียว"
    thai_cut.cache_clear()
    assert list(thai_cut(run)) == thai_words(run)
    assert words(f"{run} abc {run}") == [*thai_words(run), "abc", *thai_words(run)]
    assert thai_cut.cache_info().hits >= 2 and thai_cut.cache_info().misses == 1


def test_words_folded_by_table_are_folded_as_one_by_one(monkeypatch: pytest.MonkeyPatch) -> None:
    found = [word for text in texts(40) for word in words(text)]
    expected = [fold_word(word) for word in found]
    assert fold_words(found) == expected
    monkeypatch.setattr(tokens, "FOLDS_KEPT", 5)
    tokens._FOLDS.clear()
    assert fold_words(found) == expected
    assert len(tokens._FOLDS) <= 5
    assert fold_words(["Café", "ＮＨＫ", "ΟΔΟΣ"]) == ["cafe", "nhk", "οδος"]


def test_the_radix_order_is_numpys_stable_order() -> None:
    generator = np.random.default_rng(3)
    vocabulary = generator.integers(0, 2**64 - 1, 500, dtype=np.uint64, endpoint=True)
    cases = [
        np.zeros(0, dtype=np.uint64),
        np.array([7], dtype=np.uint64),
        np.full(9, 2**64 - 1, dtype=np.uint64),
        vocabulary[generator.zipf(1.3, 20_000) % 500],
        generator.integers(0, 2**64 - 1, 20_000, dtype=np.uint64, endpoint=True),
        np.array([2**48, 1, 2**32, 2**16, 0, 2**48, 1], dtype=np.uint64),
    ]
    for keys in cases:
        assert stable_order(keys).tolist() == np.argsort(keys, kind="stable").tolist()
    assert stable_order(cases[3][::3]).tolist() == np.argsort(cases[3][::3], kind="stable").tolist()


def test_thai_is_cut_as_pythainlps_own_dictionary_cuts_it() -> None:
    from pythainlp.corpus import thai_words as dictionary
    from pythainlp.tokenize import word_tokenize

    chance = random.Random(5)
    known = sorted(dictionary())
    letters = [chr(code) for code in range(0x0E01, 0x0E4F) if not 0x0E3B <= code <= 0x0E3E]
    runs = [
        "ภาษาไทยง่ายนิดเดียว",
        "การประชุมสุดยอดอาเซียนครั้งที่สามสิบ",
        "กรุงเทพมหานครอมรรัตนโกสินทร์",
        *("".join(chance.choices(known, k=chance.randint(1, 30))) for _ in range(300)),
        *("".join(chance.choices(letters, k=chance.randint(1, 60))) for _ in range(300)),
    ]
    for run in runs:
        own = word_tokenize(run, engine="newmm", keep_whitespace=False)
        assert thai_words(run) == [word for word in own if word.strip()], run


def test_counting_switches_threads_often_and_restores_the_interval_after() -> None:
    items = texts(2 * BATCH)
    before = sys.getswitchinterval()
    seen: list[float] = []

    def read(ids: Sequence[int]) -> Iterator[str]:
        seen.append(sys.getswitchinterval())
        yield from (items[i] for i in ids)

    count_articles(range(len(items)), read)
    assert seen == [pytest.approx(COUNTING_SWITCH_INTERVAL)]
    assert sys.getswitchinterval() == before

    def broken(ids: Sequence[int]) -> Iterator[str]:
        raise OSError("disk I/O error")
        yield ""

    with pytest.raises(OSError):
        count_articles(range(3), broken)
    assert sys.getswitchinterval() == before
