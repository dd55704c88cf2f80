"""Tests of the query compiler against a small real library (FTS5 index included)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from corpusdesk.core.errors import QueryError
from corpusdesk.core.query import MAX_DEPTH, MAX_LENGTH, MAX_TERMS, Text, parse
from corpusdesk.library.dialects import FullTextQueries
from corpusdesk.library.dialects.postgresql import (
    SEARCH_TABLE,
    PostgreSQLFullText,
    refresh_derived,
)
from corpusdesk.library.dialects.sqlite import FTS_ARTICLE_ID, FTS_TABLE, SQLiteFullText
from corpusdesk.library.dialects.sqlite_engine import open_engine
from corpusdesk.library.library import Library
from corpusdesk.library.querying import (
    compile_query,
    fts_match_expression,
    fts_phrase,
)
from corpusdesk.library.schema import Article, ArticleTag, Tag

# id: (title, text, site, authors, published, language, words, duplicate group, tags)
CORPUS: dict[int, tuple[str, str, str, str, str | None, str, int, int | None, list[str]]] = {
    1: ("Café culture in Paris", "The cafe scene is lively. Libraries nearby.", "Le Monde",
        "Marie Curie\nJean Dupont", "2023-12-01", "fr", 120, None, ["Culture", "two words"]),
    2: ("Covid-19 vaccine rollout", "Officials announced the covid-19 vaccine plan.",
        "BBC News", "Alice Smith", "2023-12-31", "en-GB", 650, None, ["Health"]),
    3: ("Library funding cut", "The city library budget was cut by half.", "The Guardian",
        "Bob Jones", "2024-01-15", "en", 800, None, ["culture", "Politics"]),
    4: ("Election results", "Voters went to the polls in a close election.", "BBC News",
        "Alice Smith\nCarol White", "2023-06-10", "en-US", 1500, 1, ["Politics"]),
    5: ("Election results (copy)", "Voters went to the polls in a close election.",
        "bbc.co.uk", "Alice Smith", "2023-06-11", "en", 1500, 1, []),
    6: ("Wetter am Wochenende", "Es wird sonnig und warm. Die Bibliothek ist geschlossen.",
        "Spiegel", "", None, "de", 90, None, []),
    7: ("100% growth_rate", "Markets rose: new york stocks and new jersey bonds.", "Reuters",
        "Dan Brown", "2022-03-03", "en", 300, None, ["Économie"]),
    8: ('Quoted "speech" analysis', "He said: don't panic. New ideas in York.", "AP",
        "Eve Adams", "2024-02-29", "EN", 500, None, ["two words"]),
}  # fmt: skip
ALL = sorted(CORPUS)


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def engine(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Engine]:
    """The corpus in a library of each backend: every query must find the same articles."""
    if request.param == "sqlite":
        library = open_engine(Path(tmp_path_factory.mktemp("library")) / "library.db")
        yield from _filled(library)
        library.dispose()
        return
    server = request.getfixturevalue("postgres_server")
    name = server.new_database()
    team = Library.open(server.address(name))
    yield from _filled(team.engine)
    team.close()
    server.drop_database(name)


def _filled(library: Engine) -> Iterator[Engine]:
    with Session(library) as session:
        tags: dict[str, Tag] = {}
        for article_id, row in CORPUS.items():
            title, text, site, authors, published, language, words, group, names = row
            session.add(
                Article(
                    id=article_id, sha256=f"{article_id:064}", text_sha256=f"{article_id:064}",
                    source_name=f"{article_id}.html", source_path=f"/in/{article_id}.html",
                    imported_at=dt.datetime(2024, 3, 1), title=title, authors=authors,
                    site_name=site, published=dt.date.fromisoformat(published) if published
                    else None, language=language, word_count=words, text=text,
                    duplicate_group=group,
                )
            )  # fmt: skip
            session.flush()
            for name in names:
                key = name.casefold()
                if key not in tags:
                    tags[key] = Tag(name=name)
                    session.add(tags[key])
                    session.flush()
                session.add(ArticleTag(article_id=article_id, tag_id=tags[key].id))
        session.flush()
        if library.dialect.name == "postgresql":
            refresh_derived(session)
        session.commit()
    yield library


def ids(engine: Engine, query: str) -> list[int]:
    where = compile_query(parse(query)).where
    with Session(engine) as session:
        return sorted(session.scalars(select(Article.id).where(where)))


def test_fixture_builds_the_index(engine: Engine) -> None:
    index = FTS_TABLE if engine.dialect.name == "sqlite" else SEARCH_TABLE
    with Session(engine) as session:
        assert session.scalar(select(func.count()).select_from(index)) == len(CORPUS)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ALL),
        ("   ", ALL),
        ("cafe", [1]),
        ("café", [1]),
        ("CAFÉ", [1]),
        ("Café", [1]),
        ("covid-19", [2]),
        ("covid", [2]),
        ("19", [2]),
        ("librar*", [1, 3]),
        ("libra", []),
        ("library", [3]),
        ("LIBRARY", [3]),
        ("bibliothek", [6]),
        ('"new york"', [7]),
        ("new york", [7, 8]),
        ('"york new"', []),
        ('"new yor"*', [7]),
        ('"new jer"', []),
        ('"new jer*"', [7]),
        ("“new york”", [7]),
        ("„new york“", [7]),
        ('"or"', []),
        ('"and"', [7]),
        ("e-mail", []),
        ("don’t", [8]),
        ('"culture in paris"', [1]),
        ("paris scene", [1]),  # one word in the title, one in the text
        ('"paris the cafe"', []),  # a phrase does not run from the title into the text
        ("don't", [8]),
        ("election", [4, 5]),
        ("speech", [8]),
        ("and", [7]),
        ("or", []),
    ],
)
def test_full_text(engine: Engine, query: str, expected: list[int]) -> None:
    assert ids(engine, query) == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("election copy", [5]),
        ("election AND copy", [5]),
        ("election -copy", [4]),
        ("election NOT copy", [4]),
        ("-election", [1, 2, 3, 6, 7, 8]),
        ("--election", [4, 5]),
        ("cafe OR library", [1, 3]),
        ("vaccine OR election copy", [2, 5]),
        ("(vaccine OR election) copy", [5]),
        ("NOT (cafe OR election)", [2, 3, 6, 7, 8]),
        ("-(cafe OR election) -tag:politics", [2, 6, 7, 8]),
        ("(cafe OR library) tag:culture", [1, 3]),
        ("(cafe OR library) -tag:culture", []),
        ("election OR tag:health", [2, 4, 5]),
        ("cafe AND tag:culture", [1]),
        ("cafe OR -tag:culture", [1, 2, 4, 5, 6, 7, 8]),
        ('-"new york"', [1, 2, 3, 4, 5, 6, 8]),
        ("new -york", []),
        ("(new OR cafe) (york OR paris)", [1, 7, 8]),
        ("tag:politics is:duplicate", [4]),
        ("date:2023 OR words:<100", [1, 2, 4, 5, 6]),
        ("cafe or library", [1, 3]),
        ("cafe OR library", [1, 3]),
        ("election and copy", [5]),
        ("election not copy", [4]),
        ("not election", [1, 2, 3, 6, 7, 8]),
        ("vaccine or election copy", [2, 5]),
        ("new and york", [7, 8]),
        ("election –copy", [4]),
        ("election —copy", [4]),
        ("–“new york”", [1, 2, 3, 4, 5, 6, 8]),
    ],
)
def test_boolean_combinations(engine: Engine, query: str, expected: list[int]) -> None:
    assert ids(engine, query) == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("tag:Culture", [1, 3]),
        ("tag:culture", [1, 3]),
        ("TAG:CULTURE", [1, 3]),
        ('tag:"two words"', [1, 8]),
        ('tag:"TWO WORDS"', [1, 8]),
        ("tag:two", []),
        ("tag:Économie", [7]),
        ("tag:économie", [7]),
        ("tag:ÉCONOMIE", [7]),
        ("tag:E\u0301conomie", [7]),
        ('tag:"TWO  WORDS"', [1, 8]),
        ("tag:nosuch", []),
        ("-tag:nosuch", ALL),
        ("is:untagged", [5, 6]),
        ("-is:untagged", [1, 2, 3, 4, 7, 8]),
        ("is:duplicate", [4, 5]),
        ("-is:duplicate", [1, 2, 3, 6, 7, 8]),
        ("site:bbc", [2, 4, 5]),
        ('site:"bbc news"', [2, 4]),
        ("SITE:guardian", [3]),
        ("author:smith", [2, 4, 5]),
        ("author:carol", [4]),
        ("author:curie", [1]),
        ('author:"jean dupont"', [1]),
        ("title:election", [4, 5]),
        ('title:"(copy)"', [5]),
        ('title:"results (copy)"', [5]),
        ("title:100%", [7]),
        ("title:%", [7]),
        ("title:_", [7]),
        ("title:*", []),
        ('title:"fu_ding"', []),
        ("lang:en", [2, 3, 4, 5, 7, 8]),
        ("lang:EN", [2, 3, 4, 5, 7, 8]),
        ("lang:en-us", [3, 4, 5, 7, 8]),
        ("lang:EN-US", [3, 4, 5, 7, 8]),
        ("lang:en-gb", [2, 3, 5, 7, 8]),
        ("lang:en-us-x-test", [3, 4, 5, 7, 8]),
        ("lang:de-at", [6]),
        ("lang:de", [6]),
        ("lang:e", []),
        ("-lang:en", [1, 6]),
    ],
)
def test_fields(engine: Engine, query: str, expected: list[int]) -> None:
    assert ids(engine, query) == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("date:2023", [1, 2, 4, 5]),
        ("date:2023-12", [1, 2]),
        ("date:2023-12-01", [1]),
        ("date:2024-02-29", [8]),
        ("date:2024-02", [8]),
        ("date:>=2023-12-01", [1, 2, 3, 8]),
        ("date:>2023-12", [3, 8]),
        ("date:>2023-12-31", [3, 8]),
        ("date:<2023-12-01", [4, 5, 7]),
        ("date:<=2023-12", [1, 2, 4, 5, 7]),
        ("date:<2023", [7]),
        ("date:2023-12-01..2023-12-31", [1, 2]),
        ("date:2023-06-11..2023-12-01", [1, 5]),
        ("date:..2023-06-10", [4, 7]),
        ("date:2024-01-01..", [3, 8]),
        ("date:2024..2023", []),
        ("-date:2023", [3, 6, 7, 8]),
        ("words:>500", [2, 3, 4, 5]),
        ("words:>=500", [2, 3, 4, 5, 8]),
        ("words:<100", [6]),
        ("words:<=120", [1, 6]),
        ("words:500..1000", [2, 3, 8]),
        ("words:..300", [1, 6, 7]),
        ("words:1000..", [4, 5]),
        ("words:500", [8]),
        ("-words:500", [1, 2, 3, 4, 5, 6, 7]),
    ],
)
def test_dates_and_word_counts(engine: Engine, query: str, expected: list[int]) -> None:
    assert ids(engine, query) == expected


@pytest.mark.parametrize(
    "query",
    [
        "title:*",
        "^",
        "*",
        "NEAR(a b)",
        "a NEAR b",
        '"a" "b" NEAR',
        "^cafe",
        "cafe:*",
        "{title text}",
        "title : cafe",
        "cafe*)",
        '"cafe" + "paris"',
        '"""',
        "a OR b AND c",
        "'; DROP TABLE articles; --",
        "%",
        "x' OR 1=1 --",
        "café*",
    ],
)
def test_fts_syntax_typed_by_users_is_inert(engine: Engine, query: str) -> None:
    try:
        compiled = compile_query(parse(query))
    except QueryError:
        return
    with Session(engine) as session:
        session.scalars(select(Article.id).where(compiled.where)).all()
        if compiled.match is not None:
            session.scalars(_fulltext(engine).matching_ids(compiled.match)).all()


@pytest.mark.parametrize("query", ['"a" OR NEAR(', 'cafe"', 'title:"x', "a:b", "col:x"])
def test_fts_injection_that_does_not_parse_is_a_query_error(query: str) -> None:
    with pytest.raises(QueryError):
        parse(query)


def test_nul_characters_are_spaces(engine: Engine) -> None:
    assert ids(engine, "cafe\x00paris") == [1]
    assert ids(engine, "title:cut\x00") == [3]
    with pytest.raises(QueryError, match="missing value"):
        parse("title:\x00")
    assert fts_phrase("a\x00b") == '"a b"'


def test_caret_and_near_are_plain_text(engine: Engine) -> None:
    assert ids(engine, "^cafe") == [1]
    with pytest.raises(QueryError, match="no searchable word"):
        ids(engine, "^")
    assert ids(engine, "NEAR(cafe paris)") == []
    assert ids(engine, '"cafe" + "paris"') == [1]


@pytest.mark.parametrize(
    ("query", "match"),
    [
        ("", None),
        ("tag:x date:2023", None),
        ("a", '"a"'),
        ("a b", '"a" AND "b"'),
        ('a "b c"', '"a" AND "b c"'),
        ("a OR b", '"a" OR "b"'),
        ("libra*", '"libra" *'),
        ("(a OR b) c", '("a" OR "b") AND "c"'),
        ("a OR (b c)", '"a" OR ("b" AND "c")'),
        ("a -b NOT c tag:x", '"a"'),
        ("a OR tag:x", '"a"'),
        ("-a", None),
    ],
)
def test_match_expression(query: str, match: str | None) -> None:
    assert compile_query(parse(query)).match == match


def _fulltext(engine: Engine) -> FullTextQueries:
    return SQLiteFullText() if engine.dialect.name == "sqlite" else PostgreSQLFullText()


def test_match_ranks_and_snippets(engine: Engine) -> None:
    if engine.dialect.name != "sqlite":
        pytest.skip("SQLite only: FTS5's own snippet() and bm25()")
    compiled = compile_query(parse("library OR cafe lang:en"))
    assert compiled.match == '"library" OR "cafe"'
    fts = FTS_TABLE
    statement = (
        select(FTS_ARTICLE_ID, func.snippet(fts.c.articles_fts, 1, "[", "]", "…", 8))
        .where(fts.c.articles_fts.bool_op("MATCH")(compiled.match))
        .where(FTS_ARTICLE_ID.in_(select(Article.id).where(compiled.where)))
        .order_by(func.bm25(fts.c.articles_fts))
    )
    with Session(engine) as session:
        rows = session.execute(statement).all()
    assert [row[0] for row in rows] == [3]
    assert "[library]" in rows[0][1]


def test_fts_helpers_quote_everything() -> None:
    assert fts_phrase('say "hi"') == '"say ""hi"""'
    assert fts_phrase(Text("new yor", phrase=True, prefix=True)) == '"new yor" *'
    assert fts_match_expression(["a", Text("b")]) == '"a" AND "b"'
    assert fts_match_expression(["a", "b"], "OR") == '"a" OR "b"'
    with pytest.raises(ValueError, match="no terms"):
        fts_match_expression([])
    with pytest.raises(ValueError, match="operator"):
        fts_match_expression(["a"], "NEAR")


def test_quotes_inside_a_built_text_term_are_escaped(engine: Engine) -> None:
    compiled = compile_query(Text('said: "don\'t" panic', phrase=True))
    with Session(engine) as session:
        assert session.scalars(select(Article.id).where(compiled.where)).all() == [8]


def test_adjacent_text_terms_share_one_match(engine: Engine) -> None:
    operator = "MATCH" if engine.dialect.name == "sqlite" else "@@"
    sql = str(compile_query(parse("a b c tag:x d")).where.compile(engine))
    assert sql.count(operator) == 1
    sql = str(compile_query(parse("a OR b OR c")).where.compile(engine))
    assert sql.count(operator) == 1


def test_tag_filter_uses_the_indexes(engine: Engine) -> None:
    if engine.dialect.name != "sqlite":
        pytest.skip("SQLite only: reads SQLite's query plan")
    where = compile_query(parse("tag:CULTURE")).where
    statement = select(Article.id).where(where)
    sql = str(statement.compile(engine, compile_kwargs={"literal_binds": True}))
    with engine.connect() as connection:
        plan = " ".join(
            str(row[-1]) for row in connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}")
        )
    assert "ix_article_tags_tag" in plan and "ix_tags_folded_name" in plan
    assert "SCAN tags" not in plan


def test_largest_allowed_queries_run(engine: Engine) -> None:
    pairs = " OR ".join(f"tag:t{index} -site:s{index}" for index in range(MAX_TERMS // 2))
    levels = MAX_DEPTH // 2
    negated = "(a OR -(tag:x " * (MAX_DEPTH // 3) + "b" + "))" * (MAX_DEPTH // 3)
    alternating = "(date:2023 OR tag:x " * MAX_DEPTH + ")" * MAX_DEPTH
    mixed = "(NOT cafe OR -is:untagged (" * levels + "words:>5" + "))" * levels
    longest = "title:" + "%" * (MAX_LENGTH - 6)
    for query in (pairs, negated, alternating, mixed, longest, " ".join(["-cafe"] * MAX_TERMS)):
        compiled = compile_query(parse(query))
        with Session(engine) as session:
            session.scalars(select(Article.id).where(compiled.where)).all()


_WORDS = st.sampled_from(
    [
        "cafe", "café", "new", "york", "election", "AND", "OR", "NOT", "-", "(", ")", '"', "*",
        "tag:culture", 'tag:"two words"', "is:untagged", "is:duplicate", "date:2023",
        "date:>2023-12", "words:500..", "lang:en", "site:bbc", "title:%", "^", "NEAR(", ":",
        "'", "\x00", "é", " ", "or", "not", "and", "“", "”", "«", "–", "—", "title:café",
        "author:ÇELIK", 'tag:"say \\"no\\""', "site:ＮＨＫ", "lang:en-us", '"new yor*"', "a*",
    ]
)  # fmt: skip


@settings(max_examples=400, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.one_of(st.lists(_WORDS, max_size=12).map(" ".join), st.text(max_size=40)))
def test_any_query_runs_or_is_a_query_error(engine: Engine, query: str) -> None:
    try:
        compiled = compile_query(parse(query))
    except QueryError:
        return
    with Session(engine) as session:
        session.scalars(select(Article.id).where(compiled.where)).all()
        if compiled.match is not None:
            session.scalars(_fulltext(engine).matching_ids(compiled.match)).all()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("election not copy", [4]),
        ("election –copy", [4]),
        ("new -york", []),
        ("(new OR cafe) (york OR paris) -paris", [7, 8]),
        ("cafe OR (election -copy)", [1, 4]),
        ("(cafe OR library OR election) -(cafe OR copy)", [3, 4]),
        ('(library OR cafe) -"budget was"', [1]),
        ('election -"polls in" -copy', []),
    ],
)
def test_words_with_not_are_one_match_finding_what_the_query_finds(
    engine: Engine, query: str, expected: list[int]
) -> None:
    compiled = compile_query(parse(query))
    assert compiled.fts is not None
    assert " NOT " in compiled.fts
    with Session(engine) as session:
        found = sorted(session.scalars(_fulltext(engine).matching_ids(compiled.fts)))
    assert found == ids(engine, query) == expected


@pytest.mark.parametrize(
    "query",
    ["-cafe", "NOT (cafe OR election)", "cafe OR -library", "cafe -tag:culture", "a -(b tag:x)"],
)
def test_a_not_with_no_word_beside_it_or_a_field_is_not_one_match(query: str) -> None:
    assert compile_query(parse(query)).fts is None
