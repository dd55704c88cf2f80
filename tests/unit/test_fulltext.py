"""The index form of text and search terms, word counts per script, and the index migration."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from alembic import command
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from corpusdesk.core.fulltext import TOKENIZER, SearchForm, index_form, search_form
from corpusdesk.core.query import Text
from corpusdesk.core.scripts import count_words
from corpusdesk.library.dialects.sqlite_engine import create_library_engine
from corpusdesk.library.library import Library
from corpusdesk.library.migrations import alembic_config
from corpusdesk.library.querying import fts_phrase
from tests.factories import make_draft, paragraph


def test_unspaced_runs_are_indexed_as_overlapping_pairs() -> None:
    assert index_form("北京市长。") == " 北京 京市 市长 长 。"
    assert index_form("在北京") == " 在北 北京 京 "
    assert index_form("猫") == " 猫 "
    assert index_form("iPhone手机") == "iPhone 手机 机 "
    assert index_form("서울에서 만났다") == " 서울 울에 에서 서   만났 났다 다 "
    # Thai letters keep their vowel and tone marks
    assert index_form("ไม่ได้") == " ไม่ ม่ไ ได้ ด้ "


def test_other_text_is_indexed_as_it_is() -> None:
    for unchanged in ("Council budget, café naïve", "Совет депутатов", "हिंदी भाषा", ""):
        assert index_form(unchanged) == unchanged


def test_widths_and_vowel_points_are_folded() -> None:
    assert index_form("ＡＢＣ １２３") == "ABC 123"
    assert index_form("ｶﾀｶﾅ") == " カタ タカ カナ ナ "
    assert index_form("كَتَبَ") == "كتب"
    assert index_form("שָׁלוֹם") == "שלום"


def test_search_terms_match_anywhere_in_a_run() -> None:
    assert search_form("北京") == SearchForm(" 北京 ", False)
    assert search_form("北京市") == SearchForm(" 北京 京市 ", False)
    assert search_form("京") == SearchForm(" 京 ", True)
    # a run followed by more of the term ends where the text's run ends
    assert search_form("北京，上海") == SearchForm(" 北京 京 , 上海 ", False)
    assert search_form("council", True) == SearchForm("council", True)


UNSPACED = "北京市长上海东京都タワー서울에서 ，。ไม่ได้เขียน"
THAI_MARKS = "ั่้ี"


@settings(max_examples=1000, deadline=None)
@given(st.text(alphabet=UNSPACED, min_size=1, max_size=40), st.data())
def test_any_piece_of_a_text_finds_it(text: str, data: st.DataObject) -> None:
    """A word is found wherever it stands: every piece cut out of a text finds that text."""
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    term = text[start:end]
    assume(any(char.isalnum() for char in term))
    # a Thai letter is written with its marks: a piece never separates them
    assume(term[0] not in THAI_MARKS and (end == len(text) or text[end] not in THAI_MARKS))
    with sqlite3.connect(":memory:") as connection:
        connection.execute(f'CREATE VIRTUAL TABLE t USING fts5(body, tokenize="{TOKENIZER}")')
        connection.execute("INSERT INTO t (body) VALUES (?)", (index_form(text),))
        query = fts_phrase(Text(term, phrase=True))
        found = connection.execute("SELECT count(*) FROM t WHERE t MATCH ?", (query,)).fetchone()
    assert found == (1,), (text, term, query)


def test_fts_phrase_puts_terms_in_index_form() -> None:
    assert fts_phrase("北京市") == '" 北京 京市 "'
    assert fts_phrase('"北"') == '""" 北 """ *'
    assert fts_phrase("council") == '"council"'


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("The council met on Tuesday — briefly.", 7),
        ("北京地铁，今天开通。", 8),
        ("本报北京12月28日电", 9),
        ("iPhone手机在东京发布", 8),
        ("東京タワーは高い", 8),
        ("서울시는 내년부터 심야 버스 노선을", 5),
        ("กรุงเทพมหานคร เป็นเมืองหลวง", 3),
        ("", 0),
    ],
)
def test_words_are_counted_as_readers_of_the_script_count_them(text: str, words: int) -> None:
    assert count_words(text) == words


def test_marks_and_points_belong_to_their_words(library: Library) -> None:
    hindi, arabic = (
        make_draft("हिंदी भाषा में समाचार " + paragraph(1, 20)),
        make_draft("كَتَبَ الصحفي تقريرا " + paragraph(2, 20)),
    )
    [hindi_id, arabic_id] = [r.article_id for r in library.add_drafts([hindi, arabic])]
    assert library.search_ids("हिंदी") == [hindi_id]
    assert library.search_ids("ह") == []  # not a word, only the first letter of one
    assert library.search_ids("كتب") == [arabic_id]
    assert library.search_ids("ＡＢＣ") == library.search_ids("ABC") == []


def test_full_width_text_is_found_in_its_usual_form(library: Library) -> None:
    [article_id] = [
        r.article_id for r in library.add_drafts([make_draft("ＮＨＫ によると " + paragraph(3))])
    ]
    assert library.search_ids("NHK") == library.search_ids("ＮＨＫ") == [article_id]


def test_migration_reindexes_an_existing_library(tmp_path: Path) -> None:
    path = tmp_path / "older.corpusdesk.db"
    engine = create_library_engine(path)
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0003")
    chinese = "本报讯 北京地铁十七号线北段今天上午正式开通运营，沿线居民的出行时间将大幅缩短。"
    # Rows as that revision's schema has them (the models describe the newest one).
    with engine.begin() as connection:
        for number, body in enumerate((chinese, paragraph(4))):
            connection.execute(
                text(
                    "INSERT INTO articles (sha256, text_sha256, source_name, source_path, "
                    "imported_at, title, authors, site_name, url, description, language, "
                    "word_count, text, html, encoding, extractor_version, original_size) "
                    "VALUES (:digest, :digest, :name, :path, '2024-01-05 00:00:00.000000', "
                    ":title, '', '', '', '', '', :words, :text, '', '', '', 0)"
                ),
                {
                    "digest": f"{number:064d}",
                    "name": f"{number}.html",
                    "path": f"/pages/{number}.html",
                    "title": f"标题 {number}",
                    "words": len(body.split()),
                    "text": body,
                },
            )
    engine.dispose()
    with Library.open(path) as library:
        assert library.search_ids("地铁") == [1]
        assert library.search_ids('"出行时间"') == [1]
        assert library.search_ids("标题") == [1, 2]
        assert library.search_ids("council") == library.search_ids("council")
        rows = library.rows([1, 2])
        assert rows[1].word_count == 37
        assert rows[2].word_count == len(paragraph(4).split())
        with library.reading() as session:
            schema = session.execute(
                text("SELECT sql FROM sqlite_master WHERE name = 'articles_fts'")
            ).scalar_one()
        assert TOKENIZER in schema
        library.update_metadata(1, {"title": "开通运营"})
        assert library.search_ids("运营") == [1]
        with library.reading() as session:
            session.execute(
                text("INSERT INTO articles_fts(articles_fts, rank) VALUES ('integrity-check', 1)")
            )
