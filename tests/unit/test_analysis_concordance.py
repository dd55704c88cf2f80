"""Concordance lines, their contexts and sort orders, on texts counted by hand."""

from __future__ import annotations

import datetime as dt

import pytest

from corpusdesk.analysis.concordance import (
    ConcordanceSource,
    concordance,
    concordance_lines,
    display_width,
    format_line,
    parse_sort,
    sort_lines,
    trim_left,
)
from corpusdesk.analysis.terms import TermMatcher, parse_term
from corpusdesk.core.errors import UserError

TALKS = "The peace talks began. Peace talks stalled when the talks broke down.\n\nNew talks."


def spans(term: str, text: str) -> list[str]:
    return [text[a:b] for a, b in TermMatcher(parse_term(term)).spans(text)]


def test_a_word_matches_whole_words_in_any_case_and_accent() -> None:
    assert spans("talks", "Talks, TALKS; talkshow and stalks") == ["Talks", "TALKS"]
    assert spans("café", "Le Café, cafe, CAFÉS, cafe\u0301!") == ["Café", "cafe", "cafe\u0301"]


def test_a_prefix_hit_is_the_whole_word() -> None:
    text = "Negotiations resumed; the negotiator will renegotiate. NEGOTIATE!"
    assert spans("negotiat*", text) == ["Negotiations", "negotiator", "NEGOTIATE"]


def test_a_phrase_spans_any_spaces_and_punctuation_between_its_words() -> None:
    text = "The War, council met. war councils. a war\n council"
    assert spans('"war council"', text) == ["War, council", "war\n council"]
    assert spans("war council", text) == spans('"war council"', text)


def test_chinese_japanese_korean_match_inside_runs() -> None:
    text = "北京地铁十七号线北段今天上午正式开通运营。地铁很好"
    assert spans("地铁", text) == ["地铁", "地铁"]
    assert spans("서울", "서울시는 오늘 서울에서") == ["서울", "서울"]
    assert spans("予約*", "ホテルの予約は明日") == ["予約"]


def test_a_term_must_be_words() -> None:
    with pytest.raises(UserError):
        parse_term("tag:gaza")
    with pytest.raises(UserError):
        parse_term("a* b")
    assert parse_term('"war council"*').query() == '"war council"*'


def test_lines_hold_the_context_and_three_words_each_side() -> None:
    source = ConcordanceSource(7, TALKS, "Talks", "Daily", dt.date(2024, 1, 2))
    lines = concordance_lines(source, TermMatcher(parse_term("talks")), width=12)
    assert [(line.start, line.end) for line in lines] == [(10, 15), (29, 34), (52, 57), (75, 80)]
    first, _, third, last = lines
    assert (first.left, first.hit, first.right) == ("The peace ", "talks", " began. Peac")
    assert first.left_words == ("peace", "the")
    assert first.right_words == ("began", "peace", "talks")
    # The blank line between paragraphs is one space in the context.
    assert last.left == "e down. New "
    assert last.left_words == ("new", "down", "broke")
    assert last.right == "." and last.right_words == ()
    assert third.site == "Daily" and third.published == dt.date(2024, 1, 2)


def test_sorting_by_words_left_and_right_site_and_date() -> None:
    sources = [
        ConcordanceSource(1, TALKS, site="B", published=dt.date(2024, 5, 1)),
        ConcordanceSource(2, "Secret talks ended.", site="a", published=None),
    ]
    lines = concordance(sources, TermMatcher(parse_term("talks")))
    by_left = sort_lines(lines, ["L1"])
    assert [line.left_words[:1] for line in by_left] == [
        ("new",),
        ("peace",),
        ("peace",),
        ("secret",),
        ("the",),
    ]
    by_right = sort_lines(lines, parse_sort("r1,R2"))
    assert [line.right_words[:2] for line in by_right] == [
        (),
        ("began", "peace"),
        ("broke", "down"),
        ("ended",),
        ("stalled", "when"),
    ]
    assert [line.article_id for line in sort_lines(lines, ["site"])] == [2, 1, 1, 1, 1]
    assert [line.article_id for line in sort_lines(lines, ["date"])] == [1, 1, 1, 1, 2]
    with pytest.raises(UserError):
        parse_sort("L4")


def test_wide_characters_count_two_columns() -> None:
    source = ConcordanceSource(3, "北京地铁十七号线北段今天上午正式开通运营。地铁很好")
    lines = concordance_lines(source, TermMatcher(parse_term("地铁")), width=6)
    assert [line.left for line in lines] == ["北京", "运营。"]
    assert lines[0].right == "十七号" and display_width(lines[0].right) == 6
    assert lines[1].left_words == ("营", "运", "通")
    assert format_line(lines[0], 6) == "  北京 地铁 十七号"
    assert trim_left("abc北京", 5) == "c北京"
