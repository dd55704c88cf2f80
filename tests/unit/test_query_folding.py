"""Field searches without case or accents: ``title:``, ``author:``, ``site:`` and ``tag:`` over
non-ASCII values, checked against a reference written here, against word search, and kept in
step with every way an article is written."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select, text, update

from corpusdesk.core.folding import fold_field
from corpusdesk.core.query import parse, quoted
from corpusdesk.importing.pipeline import run_import
from corpusdesk.importing.reclean import reclean
from corpusdesk.library.dialects.sqlite import FTS_ARTICLE_ID, FTS_TABLE
from corpusdesk.library.library import Library
from corpusdesk.library.querying import compile_query, fts_phrase
from corpusdesk.library.schema import Article, FoldedFields
from tests.factories import article_page, make_draft, paragraph

# (title, authors, site, tags)
ARTICLES: list[tuple[str, tuple[str, ...], str, tuple[str, ...]]] = [
    ("Café culture in Paris", ("Çelik Nimani",), "Nescafé INDIA", ("Économie",)),
    ("Straße der Einheit", ("Jürgen Groß", "Anna Weiß"), "Süddeutsche Zeitung", ("cafe",)),
    ("ΣΊΣΥΦΟΣ και άλλοι μύθοι", ("Νίκος Καζαντζάκης",), "Η Καθημερινή", ("café", "ΣΊΣΥΦΟΣ")),
    ("Ünlü İstanbul köprüsü", ("Ayşe Yılmaz",), "Hürriyet", ('say "no"',)),
    ("Tiếng Việt ngày nay", ("Nguyễn Văn Ánh",), "VnExpress", ("Straße",)),
    ("北京地铁十七号线开通", ("王小明",), "新华网", ()),
    ("ＮＨＫ ニュース速報", ("山田 太郎",), "ＮＨＫ", ("ＡＩ",)),
    ("100% growth_rate", ("Dan O'Brien",), "Reuters", ("back\\slash",)),
    ("Москва и Йошкар-Ола", ("Иван Петров",), "Коммерсантъ", ()),
    ("Cafe\u0301 au lait, de\u0301compose\u0301", ("E\u0301lise Roux",), "Le Monde", ()),
    ("كِتَابٌ جديد في القاهرة", ("محمد علي",), "الجزيرة", ()),
    ("Pokémon  Go\u00a0returns", ("Ōtani Shōhei",), "ＥＳＰＮ Japan", ()),
    ("Zoë’s naïve façade", ("Ægir Þórsson",), "Øresund Tidende", ()),
]

QUERIES = [
    "cafe", "CAFÉ", "Cafe\u0301", "café au", "nescafe", "NESCAFÉ", "nescafé india", "çelik",
    "CELIK", "celik nimani", "strasse", "STRASSE", "straße", "groß", "GROSS", "weiss",
    "σίσυφος", "ΣΊΣΥΦΟΣ", "σισυφος", "καθημερινή", "ΚΑΘΗΜΕΡΙΝΉ", "istanbul", "İSTANBUL",
    "ISTANBUL", "ünlü", "unlu", "ayse", "yilmaz", "yılmaz", "tieng viet", "TIẾNG", "nguyen van",
    "anh", "vnexpress", "北京", "地铁十七", "新华", "nhk", "ＮＨＫ", "ｎｈｋ", "%", "_", "growth_r",
    "100%", "o'brien", "O’BRIEN", "йошкар", "ЙОШКАР", "иошкар", "москва", "коммерсантъ",
    "كتاب", "كِتَاب", "الجزيرة", "pokemon go", "pokémon  go", "go returns", "espn", "ｅｓｐｎ",
    "decompose", "DÉCOMPOSÉ", "elise", "zoe", "naive", "facade", "ohtani", "otani", "shohei",
    "ægir", "aegir", "thorsson", "þórsson", "øresund", "oresund", "in", "e", "a",
]  # fmt: skip
FIELDS = {"title": 0, "author": 1, "site": 2}


def _reference_fold(value: str) -> str:
    """The folding the README describes, written out independently of ``fold_field``."""
    value = "".join(
        chr(ord(char) - 0xFEE0) if 0xFF01 <= ord(char) <= 0xFF5E else char for char in value
    )
    value = "".join(
        char
        for char in value
        if not (
            unicodedata.category(char) == "Mn"
            and unicodedata.name(char, "").startswith(("ARABIC", "HEBREW"))
        )
    )
    decomposed = unicodedata.normalize("NFD", unicodedata.normalize("NFD", value).casefold())
    kept: list[str] = []
    base = ""
    for char in decomposed:
        if unicodedata.combining(char):
            if not unicodedata.name(base, "").startswith("LATIN"):
                kept.append(char)
            continue
        base = char
        kept.append(char)
    return unicodedata.normalize("NFC", "".join(kept))


def _squeezed(value: str) -> str:
    """Each line's runs of spaces as one space (authors are one to a line)."""
    return "\n".join(" ".join(line.split()) for line in value.split("\n"))


def _reference_ids(field: str, value: str) -> list[int]:
    wanted = _squeezed(_reference_fold(value))
    found = []
    for article_id, row in enumerate(ARTICLES, start=1):
        stored = row[FIELDS[field]]
        stored_text = "\n".join(stored) if isinstance(stored, tuple) else stored
        if wanted in _squeezed(_reference_fold(stored_text)):
            found.append(article_id)
    return found


@pytest.fixture(scope="module")
def filled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Library]:
    path = tmp_path_factory.mktemp("folding") / "library.db"
    with Library.open(path) as library:
        drafts = [
            make_draft(paragraph(seed), title=title, authors=authors, site=site)
            for seed, (title, authors, site, _tags) in enumerate(ARTICLES)
        ]
        results = library.bulk_add(drafts)
        assert [result.article_id for result in results] == list(range(1, len(ARTICLES) + 1))
        for article_id, (*_fields, tags) in enumerate(ARTICLES, start=1):
            for name in tags:
                library.add_tag([article_id], name)
        yield library


def _ids(library: Library, query: str) -> list[int]:
    where = compile_query(parse(query)).where
    with library.reading() as session:
        return sorted(session.scalars(select(Article.id).where(where)))


def test_reference_folds_the_reported_examples() -> None:
    assert _reference_fold("Çelik Nimani") == "celik nimani"
    assert _reference_fold("NESCAFÉ") == "nescafe"
    assert _reference_fold("Straße") == "strasse"
    assert _reference_fold("ΣΊΣΥΦΟΣ") == "σίσυφοσ"


@pytest.mark.parametrize("field", sorted(FIELDS))
@pytest.mark.parametrize("value", QUERIES)
def test_fields_match_as_the_reference_says(filled: Library, field: str, value: str) -> None:
    assert _ids(filled, f"{field}:{quoted(value)}") == _reference_ids(field, value)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("author:çelik", [1]),
        ("author:CELIK", [1]),
        ("site:NESCAFÉ", [1]),
        ("site:nescafe", [1]),
        ("title:cafe", [1, 10]),
        ("title:café", [1, 10]),
        ("title:strasse", [2]),
        ("title:STRASSE", [2]),
        ("author:gross", [2]),
        ('author:"jürgen groß"', [2]),
        ('author:"groß anna"', []),  # authors are matched one by one
        ("title:σίσυφος", [3]),
        ("title:σισυφος", []),  # Greek keeps its accents, as word search does
        ("title:istanbul", [4]),
        ("site:nhk", [7]),
        ("site:ＮＨＫ", [7]),
        ("title:كتاب", [11]),
        ('title:"pokemon go returns"', [12]),
        ("title:100%", [8]),
        ("title:%", [8]),
        ("title:_", [8]),
        ("title:growth_r", [8]),
        ('title:"fu_ding"', []),
        ("title:negotiat*", []),
        ("title:caf*", [1, 10]),
        ("-title:cafe", [2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 13]),
        ("title:cafe OR author:groß", [1, 2, 10]),
    ],
)
def test_reported_examples(filled: Library, query: str, expected: list[int]) -> None:
    assert _ids(filled, query) == expected


@pytest.mark.parametrize(
    "word", ["cafe", "CAFÉ", "strasse", "istanbul", "unlu", "tieng", "kopru", "decompose", "zoe"]
)
def test_title_field_finds_whatever_the_word_finds_in_titles(filled: Library, word: str) -> None:
    with filled.reading() as session:
        in_titles = sorted(
            session.scalars(
                select(FTS_ARTICLE_ID).where(
                    FTS_TABLE.c.articles_fts.bool_op("MATCH")(f"title : {fts_phrase(word)}")
                )
            )
        )
    assert set(in_titles) <= set(_ids(filled, f"title:{word}"))


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("tag:Économie", [1]),
        ("tag:économie", [1]),
        ("tag:ECONOMIE", [1]),  # no tag "economie": the one with accents is meant
        ("tag:economie", [1]),
        ("tag:E\u0301conomie", [1]),
        ("tag:cafe", [2]),  # beside the tag "café", "cafe" is that tag only
        ("tag:CAFE", [2]),
        ("tag:café", [3]),
        ("tag:CAFÉ", [3]),
        ("tag:Cafe\u0301", [3]),
        ("tag:strasse", [5]),
        ("tag:STRASSE", [5]),
        ("tag:σίσυφος", [3]),
        ("tag:σισυφος", []),
        ("tag:ＡＩ", [7]),
        ("tag:ai", [7]),
        ('tag:"say \\"no\\""', [4]),
        ("tag:“say \\“no\\””", []),
        ('tag:"back\\\\slash"', [8]),
        ("tag:back\\slash", [8]),
        ("tag:\u064b", []),
    ],
)
def test_tags_ignore_case_and_accents_unless_that_names_another_tag(
    filled: Library, query: str, expected: list[int]
) -> None:
    assert _ids(filled, query) == expected


def test_folded_fields_are_what_fold_field_makes(filled: Library) -> None:
    _assert_in_step(filled)
    assert fold_field("Straße  der\u00a0Einheit") == "strasse der einheit"
    assert fold_field("Jürgen Groß\nAnna Weiß") == "jurgen gross\nanna weiss"
    assert fold_field("ＮＨＫ ニュース") == "nhk ニュース"
    assert fold_field("كِتَابٌ") == "كتاب"
    assert fold_field("ΣΊΣΥΦΟΣ Йошкар") == "σίσυφοσ йошкар"
    assert fold_field("Cafe\u0301") == fold_field("Café") == "cafe"


def _assert_in_step(library: Library) -> None:
    """Every article has its folded row, equal to its fields folded now; no row is left over."""
    with library.reading() as session:
        articles = {
            row.id: (fold_field(row.title), fold_field(row.authors), fold_field(row.site_name))
            for row in session.execute(
                select(Article.id, Article.title, Article.authors, Article.site_name)
            )
        }
        folded = {
            row.article_id: (row.title, row.authors, row.site_name)
            for row in session.scalars(select(FoldedFields))
        }
    assert folded == articles


def test_every_writer_keeps_the_folded_fields_in_step(library: Library, tmp_path: Path) -> None:
    pages = tmp_path / "pages"
    pages.mkdir()
    for seed, title in enumerate(["Ünlü köprü açıldı", "Café society returns", "Third story"]):
        page = article_page(seed, title=title, site="Nescafé Times", author="Çelik Nimani")
        (pages / f"p{seed}.html").write_text(page, "utf-8")
    run_import(library, [pages])  # the import's bulk writer
    _assert_in_step(library)
    assert len(library.search_ids("site:nescafe author:celik")) == 3
    [first] = library.search_ids("title:unlu")
    [second] = library.search_ids("title:CAFE")
    [third] = library.search_ids("title:third")

    library.update_metadata(
        first, {"title": "Ölçü birimi", "authors": ["Zoë Ñúñez"], "site_name": "Straße Blatt"}
    )
    assert library.search_ids("title:unlu") == []
    assert library.search_ids("title:olcu author:nunez site:strasse") == [first]
    _assert_in_step(library)

    with library.writing() as session:  # a bulk statement, as older cleaning rules wrote titles
        session.execute(update(Article).where(Article.id == second).values(title="Vieux Títre"))
    assert library.search_ids("title:titre") == [second]
    reclean(library, [second])
    assert library.search_ids("title:titre") == []
    assert library.search_ids("title:cafe") == [second]
    _assert_in_step(library)

    with library.writing() as session:
        statement = text("UPDATE articles SET site_name = 'Ça Va' WHERE id = :id")
        session.execute(statement, {"id": third})
    assert library.search_ids('site:"ca va"') == [third]
    library.trash([third])
    library.empty_trash()
    _assert_in_step(library)
    with library.reading() as session:
        assert session.get(FoldedFields, third) is None
