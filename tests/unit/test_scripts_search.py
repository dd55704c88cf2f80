"""Chinese, Japanese, Korean and Thai news imported through the real pipeline, then searched.

Words are found inside the sentences that hold them, phrases and prefixes work as they do in
English, word counts are those readers of each script keep, and a short Chinese brief is an
article, not a page without text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from corpusdesk.core.records import Outcome
from corpusdesk.importing.pipeline import run_import
from corpusdesk.library.library import Library
from tests.scripts_corpus import (
    BANGKOK,
    BEIJING,
    CORPUS,
    HARBOUR,
    SEOUL,
    SHANGHAI_BRIEF,
    TOKYO,
    write_pages,
)


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Library, dict[str, int]]]:
    """A library holding the corpus, and each page's article id by page name."""
    folder = tmp_path_factory.mktemp("scripts")
    paths = write_pages(folder)
    with Library.open(folder / "library.corpusdesk.db") as library:
        report = run_import(library, sorted(paths.values()))
        ids = {
            Path(result.path).stem: result.article_id
            for result in report.results
            if result.article_id is not None
        }
        yield library, ids


def _found(imported: tuple[Library, dict[str, int]], query: str) -> set[str]:
    library, ids = imported
    names = {article_id: name for name, article_id in ids.items()}
    return {names[article_id] for article_id in library.search_ids(query)}


def test_every_page_imports_with_its_whole_text(imported: tuple[Library, dict[str, int]]) -> None:
    library, ids = imported
    assert set(ids) == {page.name for page in CORPUS}
    for page in CORPUS:
        detail = library.detail(ids[page.name])
        assert detail.title == page.title
        assert detail.site_name == page.site
        assert detail.text.strip() == page.text


def test_a_300_character_chinese_brief_is_an_article(tmp_path: Path, library: Library) -> None:
    assert 290 <= len(SHANGHAI_BRIEF.text) <= 310
    path = tmp_path / "brief.html"
    path.write_text(SHANGHAI_BRIEF.html(), encoding="utf-8")
    [result] = run_import(library, [path]).results
    assert result.outcome is Outcome.IMPORTED, result.reason


@pytest.mark.parametrize(
    ("query", "pages"),
    [
        # words inside sentences
        ("地铁", {BEIJING.name}),
        ("换乘", {BEIJING.name}),
        ("市交通委员会", {BEIJING.name}),
        ("寒潮", {SHANGHAI_BRIEF.name}),
        ("図書館", {TOKYO.name}),
        ("自習室", {TOKYO.name}),
        ("タワー", set()),
        ("서울", {SEOUL.name}),
        ("지하철", {SEOUL.name}),
        ("จักรยาน", {BANGKOK.name}),
        ("ท่องเที่ยว", {BANGKOK.name}),
        # one character: every occurrence, at the end of a sentence too
        ("京", {BEIJING.name, TOKYO.name}),
        ("便", {BEIJING.name}),
        # phrases, across punctuation too, and characters that are not side by side
        ('"全自动驾驶系统"', {BEIJING.name}),
        ('"开通运营，沿线"', {BEIJING.name}),
        ('"심야 버스"', {SEOUL.name}),
        ('"地铁北京"', set()),
        ('"버스 심야"', set()),
        # prefixes
        ("予約*", {TOKYO.name}),
        ("自動*", set()),
        ("自*", {BEIJING.name, TOKYO.name}),
        ("지하*", {SEOUL.name}),
        # with English, fields and boolean logic
        ("ferry", {HARBOUR.name}),
        ("Beijing", {HARBOUR.name}),
        ('"winter storms"', {HARBOUR.name}),
        ("harb*", {HARBOUR.name}),
        ("北京 OR Tokyo", {BEIJING.name, HARBOUR.name}),
        ("北京 -地铁", set()),
        ("预警 lang:zh", {SHANGHAI_BRIEF.name}),
        ("延長 title:図書館", {TOKYO.name}),
    ],
)
def test_search_finds_words_inside_sentences(
    imported: tuple[Library, dict[str, int]], query: str, pages: set[str]
) -> None:
    assert _found(imported, query) == pages


def test_titles_are_searched_like_the_text(imported: tuple[Library, dict[str, int]]) -> None:
    library, ids = imported
    assert library.search_ids("开通") == [ids[BEIJING.name]]  # in the title and the text
    assert _found(imported, "확대") == {SEOUL.name}  # in the title only


def _characters_and_numbers(text: str) -> int:
    return len(re.findall("[\u3041-\u30ff\u4e00-\u9fff]", text)) + len(re.findall(r"\d+", text))


def test_word_counts_are_what_readers_count(imported: tuple[Library, dict[str, int]]) -> None:
    library, ids = imported
    rows = library.rows(list(ids.values()))
    counts = {name: rows[article_id].word_count for name, article_id in ids.items()}
    for page in (BEIJING, TOKYO, SHANGHAI_BRIEF):
        assert counts[page.name] == _characters_and_numbers(page.text), page.name
    assert counts[SEOUL.name] == len(SEOUL.text.split())
    assert counts[HARBOUR.name] == len(HARBOUR.text.split())
    # Thai: dictionary words, several to each space-separated run
    assert 4 * len(BANGKOK.text.split()) <= counts[BANGKOK.name] <= 100


def test_word_filters_use_those_counts(imported: tuple[Library, dict[str, int]]) -> None:
    assert _found(imported, "words:>=250") == {SHANGHAI_BRIEF.name}
    assert _found(imported, "words:150..249") == {BEIJING.name, TOKYO.name}
    assert _found(imported, "words:<60") == {SEOUL.name}
