"""Snippets of search hits, found in Python as the full-text index finds them."""

from __future__ import annotations

import pytest

from corpusdesk.core.query import parse
from corpusdesk.core.snippets import LENGTH, Snippet, make_snippet, positive_terms


def snippet(query: str, text: str, title: str = "") -> Snippet:
    return make_snippet(title, text, positive_terms(parse(query)))


def marked(found: Snippet) -> list[str]:
    return [found.text[start:end] for start, end in found.marks]


def test_whole_words_are_marked_and_counted_in_title_and_text() -> None:
    found = snippet(
        "ceasefire talks",
        "The war went on.\n\nThe ceasefire talks resumed on Monday; more talks are planned. "
        "Talking helps, the talkshow host said.",
        title="Ceasefire talks resume",
    )
    assert marked(found) == ["ceasefire", "talks", "talks"]
    assert found.hits == 5  # three in the text, two in the title
    assert "\n" not in found.text


def test_a_prefix_marks_the_whole_words_it_begins() -> None:
    found = snippet("talk*", "The talks resumed. Talking helps.")
    assert marked(found) == ["talks", "Talking"] and found.hits == 2


def test_a_phrase_matches_across_punctuation_and_spacing() -> None:
    found = snippet('"war council"', "A war  council met. The war-council met. A warcouncil not.")
    assert marked(found) == ["war council", "war-council"]


def test_accents_case_and_full_width_forms_fold_as_in_the_index() -> None:
    assert marked(snippet("cafe", "Un café à Paris. CAFÉ crème.")) == ["café", "CAFÉ"]
    assert marked(snippet("ＮＨＫ", "NHK news")) == ["NHK"]


def test_words_in_unspaced_scripts_are_found_inside_sentences() -> None:
    assert marked(snippet("地铁", "北京地铁十七号线北段今天上午正式开通运营")) == ["地铁"]
    assert snippet("京", "北京地铁，北京").hits == 2
    assert marked(snippet("서울", "서울시는 오늘")) == ["서울"]
    assert marked(snippet('"开通运营，沿线"', "正式开通运营 沿线居民")) == ["开通运营 沿线"]


def test_vowel_points_are_ignored_and_kept_in_the_mark() -> None:
    assert marked(snippet("كتب", "كَتَبَ الولد")) == ["كَتَبَ"]


def test_excluded_words_are_not_marked() -> None:
    found = snippet("ferry -winter", "The ferry runs in winter and summer.")
    assert marked(found) == ["ferry"]


def test_the_excerpt_is_where_the_most_different_words_are() -> None:
    text = "lorem ipsum dolor " * 400 + "the ceasefire held; ipsum."
    found = snippet("ceasefire ipsum", text)
    assert "ceasefire" in marked(found) and found.text.startswith("… ")
    assert len(found.text) <= LENGTH + 40
    assert found.hits == 402  # 401 of ipsum, one of ceasefire


@pytest.mark.parametrize("text", ["", "Nothing to see here."])
def test_without_a_hit_the_excerpt_is_the_beginning(text: str) -> None:
    found = snippet("ferry", text)
    assert found.marks == () and found.hits == 0 and found.text == text
