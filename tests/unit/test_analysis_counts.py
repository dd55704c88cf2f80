"""Word and n-gram lists, keyness and trends, checked against counts and formulas done by hand."""

from __future__ import annotations

import datetime as dt
import io
import math

import numpy as np
import pytest

from corpusdesk.analysis.frequency import WordCounts, folded_words, frequency_list, per_million
from corpusdesk.analysis.keyness import (
    keywords,
    log_likelihood,
    log_likelihoods,
    log_ratio,
    log_ratios,
)
from corpusdesk.analysis.runs import rest_of_library
from corpusdesk.analysis.stopwords import stop_words
from corpusdesk.analysis.tokens import join_words, words
from corpusdesk.analysis.trends import (
    DatedCount,
    Period,
    period_label,
    period_query,
    period_start,
    trend,
    write_csv,
)
from corpusdesk.core.errors import UserError

CATS = "The cat sat. The cat ran!"
DOGS = "A dog sat; the DOG sat."


def test_words_are_cut_and_folded_as_the_index_does() -> None:
    assert words("Don't stop—it's 2024!") == ["don", "t", "stop", "it", "s", "2024"]
    assert folded_words("Café CAFÉ cafe\u0301 ＮＨＫ") == ["cafe", "cafe", "cafe", "nhk"]
    assert words("北京地铁 iPhone手机") == ["北", "京", "地", "铁", "iphone", "手", "机"]
    assert words("서울시는 오늘") == ["서울시는", "오늘"]
    assert words("नमस्ते दुनिया") == ["नमस्ते", "दुनिया"]  # vowel signs stay in the word
    assert join_words(["北", "京", "is", "big"]) == "北京 is big"


def test_word_counts_document_frequencies_and_rates() -> None:
    counts = WordCounts().add_all([CATS, DOGS])
    assert (counts.tokens, counts.documents) == (12, 2)
    result = frequency_list(counts)
    assert [(r.item, r.count, r.documents) for r in result.rows] == [
        ("sat", 3, 2),
        ("the", 3, 2),
        ("cat", 2, 1),
        ("dog", 2, 1),
        ("a", 1, 1),
        ("ran", 1, 1),
    ]
    assert result.rows[0].per_million == 250_000.0  # 3 of 12 words
    assert result.types == 6
    assert per_million(1, 0) == 0.0
    assert [r.item for r in frequency_list(counts, top=3).rows] == ["sat", "the", "cat"]
    assert counts.count_of("the") == (3, 2) and counts.count_of("bird") == (0, 0)


def test_bigrams_stay_inside_each_article() -> None:
    counts = WordCounts(2).add_all([CATS, DOGS])
    result = frequency_list(counts)
    assert [(r.item, r.count, r.documents) for r in result.rows] == [
        ("dog sat", 2, 1),
        ("sat the", 2, 2),
        ("the cat", 2, 1),
        ("a dog", 1, 1),
        ("cat ran", 1, 1),
        ("cat sat", 1, 1),
        ("the dog", 1, 1),
    ]
    # Rates are per million running words, the same total as for words.
    assert result.tokens == 12 and result.rows[0].per_million == pytest.approx(2 / 12 * 1e6)
    assert counts.count_of("sat the") == (2, 2)
    chinese = frequency_list(WordCounts(2).add_all(["地铁地铁"]))
    assert [(r.item, r.count) for r in chinese.rows] == [("地铁", 2), ("铁地", 1)]


def test_stop_words_leave_the_totals_alone() -> None:
    english = stop_words(["en-GB"])
    assert {"the", "a", "ran"} <= english and not {"sat", "cat", "dog"} & english
    result = frequency_list(WordCounts().add_all([CATS, DOGS]), stop_words=english)
    assert [r.item for r in result.rows] == ["sat", "cat", "dog"]
    assert result.rows[0].per_million == 250_000.0
    bigrams = frequency_list(WordCounts(2).add_all([CATS, DOGS]), stop_words=english)
    assert [r.item for r in bigrams.rows] == ["dog sat", "cat sat"]
    assert "的" in stop_words(["zh"])
    with pytest.raises(UserError):
        stop_words(["xx"])
    assert stop_words(["xx"], strict=False) == frozenset()


def test_log_likelihood_and_log_ratio_by_the_formula() -> None:
    # a = 10 of c = 1,000 words against b = 20 of d = 10,000: E1 = 30,000 / 11,000,
    # E2 = 300,000 / 11,000, LL = 2 (10 ln(10 / E1) + 20 ln(20 / E2)).
    expected = 2 * (10 * math.log(10 / (30_000 / 11_000)) + 20 * math.log(20 / (300_000 / 11_000)))
    assert log_likelihood(10, 20, 1_000, 10_000) == pytest.approx(expected)
    assert expected == pytest.approx(13.5795, abs=1e-4)
    assert log_ratio(10, 20, 1_000, 10_000) == pytest.approx(math.log2(5))
    # A word absent from the reference: its count there is taken as 0.5 for the ratio.
    assert log_likelihood(5, 0, 100, 100) == pytest.approx(10 * math.log(2))
    assert log_ratio(5, 0, 100, 100) == pytest.approx(math.log2(10))
    assert log_likelihood(0, 0, 100, 100) == 0.0


def test_keywords_rank_by_log_likelihood() -> None:
    target = WordCounts().add_all(["war war war war peace talks"])  # 6 words
    reference = WordCounts().add_all(["peace talks peace talks trade war"])  # 6 words
    result = keywords(target, reference, min_count=1, min_log_likelihood=0)
    assert [row.item for row in result.rows] == ["war"]
    row = result.rows[0]
    assert (row.count, row.reference_count) == (4, 1)
    assert row.log_likelihood == pytest.approx(log_likelihood(4, 1, 6, 6))
    assert row.log_ratio == pytest.approx(math.log2(4))
    negative = keywords(target, reference, min_count=1, min_log_likelihood=0, negative=True)
    assert [row.item for row in negative.rows] == ["trade", "peace", "talks"]
    assert negative.rows[0].log_ratio == pytest.approx(math.log2(0.5))
    assert keywords(target, reference, min_count=1).rows == ()  # nothing reaches LL 3.84
    # The whole lists at once give what the formulas give one by one.
    a, b = np.array([10, 5, 0, 3]), np.array([20, 0, 4, 3])
    assert log_likelihoods(a, b, 1_000, 10_000).tolist() == pytest.approx(
        [log_likelihood(x, y, 1_000, 10_000) for x, y in zip(a, b, strict=True)]
    )
    assert log_ratios(a, b, 1_000, 10_000).tolist() == pytest.approx(
        [log_ratio(x, y, 1_000, 10_000) for x, y in zip(a, b, strict=True)]
    )


def test_the_reference_is_the_rest_or_a_fixed_sample_of_it() -> None:
    assert rest_of_library([1, 2, 3, 4], [2, 4]) == ((1, 3), 2)
    sample, others = rest_of_library(list(range(100)), [0], sample=10)
    assert others == 99 and len(sample) == 10 and 0 not in sample
    assert rest_of_library(list(range(100)), [0], sample=10)[0] == sample


def test_periods_and_iso_weeks() -> None:
    sunday = dt.date(2021, 1, 3)
    assert period_start(sunday, Period.WEEK) == dt.date(2020, 12, 28)
    assert period_label(dt.date(2020, 12, 28), Period.WEEK) == "2020-W53"
    assert period_label(dt.date(2024, 12, 30), Period.WEEK) == "2025-W01"
    assert period_query(dt.date(2020, 12, 28), Period.WEEK) == "date:2020-12-28..2021-01-03"
    assert period_query(dt.date(2024, 2, 1), Period.MONTH) == "date:2024-02"
    assert period_query(dt.date(2024, 2, 1), Period.DAY) == "date:2024-02-01"
    assert period_label(period_start(sunday, Period.YEAR), Period.YEAR) == "2021"


def test_trend_buckets_fill_gaps_and_keep_the_largest_series() -> None:
    counts = [
        DatedCount(dt.date(2024, 1, 5), "Gazette", 2),
        DatedCount(dt.date(2024, 1, 20), "Post", 1),
        DatedCount(dt.date(2024, 3, 1), "Gazette", 1),
        DatedCount(dt.date(2024, 3, 2), "Herald", 1),
        DatedCount(None, "Post", 4),
    ]
    monthly = trend(counts, Period.MONTH)
    assert monthly.labels() == ["2024-01", "2024-02", "2024-03"]
    assert monthly.series == (
        ("Gazette", (2, 0, 1)),
        ("Herald", (0, 0, 1)),
        ("Post", (1, 0, 0)),
    )
    assert monthly.totals() == (3, 0, 2) and monthly.undated == 4
    two = trend(counts, Period.MONTH, max_series=2)
    assert two.series == (("Gazette", (2, 0, 1)), ("other", (1, 0, 1)))
    weekly = trend(counts, Period.WEEK)
    assert weekly.labels()[0] == "2024-W01" and len(weekly.starts) == 9
    assert sum(weekly.totals()) == 5
    out = io.StringIO()
    compared = trend([DatedCount(dt.date(2024, 3, 9), "", 7)], Period.MONTH)
    write_csv(monthly, out, compared, "other query")
    assert out.getvalue().splitlines() == [
        "period,start,Gazette,Herald,Post,total,other query",
        "2024-01,2024-01-01,2,0,1,3,0",
        "2024-02,2024-02-01,0,0,0,0,0",
        "2024-03,2024-03-01,1,1,0,2,7",
    ]
    assert trend([], Period.DAY).starts == ()


def test_counts_are_the_same_whatever_the_batches() -> None:
    texts = [CATS, DOGS, "The cat and the dog.", "北京地铁 the cat", "Café cafe"]
    whole = WordCounts(2)
    whole.add_batch(texts)
    one_by_one = WordCounts(2)
    for text in texts:
        one_by_one.add(text)
    assert frequency_list(whole, top=None) == frequency_list(one_by_one, top=None)
    assert one_by_one.count_of("the cat") == (4, 3)
    assert one_by_one.count_of("cafe cafe") == (1, 1)
