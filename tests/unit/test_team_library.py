"""A team library on a real PostgreSQL server: its index agrees with SQLite's, its derived
tables follow every write, changes are announced, and edits never overwrite each other."""

from __future__ import annotations

import sqlite3
import threading
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import select, text

from corpusdesk.core.errors import LibraryError
from corpusdesk.core.folding import fold_field
from corpusdesk.core.fulltext import TOKENIZER
from corpusdesk.core.locations import ServerAddress, is_server_url, parse_location
from corpusdesk.library.dialects.pg_search import document, tsquery
from corpusdesk.library.dialects.unicode61 import tokens
from corpusdesk.library.library import EditConflict, Library
from corpusdesk.library.schema import Article, FoldedFields
from tests.factories import make_draft, paragraph
from tests.postgres import TestServer


def _sqlite_tokens(value: str) -> list[str]:
    with sqlite3.connect(":memory:") as connection:
        connection.execute(f"CREATE VIRTUAL TABLE t USING fts5(x, tokenize = {TOKENIZER!r})")
        connection.execute("INSERT INTO t (x) VALUES (?)", (value,))
        connection.execute("CREATE VIRTUAL TABLE v USING fts5vocab(t, 'instance')")
        rows = connection.execute("SELECT term, offset FROM v ORDER BY offset").fetchall()
    return [term or "" for term, _ in rows]  # a word of diacritics alone is an empty token


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40))
def test_tokens_are_the_ones_sqlite_indexes(value: str) -> None:
    assert tokens(value) == _sqlite_tokens(value)


def test_plane_fourteen_tags_separate_words_and_its_selectors_do_not() -> None:
    sample = "flag\U000e0067\U000e0062x 葛\U000e0100 tag\U000e0020space"
    assert tokens(sample) == _sqlite_tokens(sample)


def test_awkward_words_are_tokenised_as_sqlite_does() -> None:
    sample = "Ünïcödé İstanbul STRASSE straße ﬁne ǅ Ωμέγα Ёлка 3.14 don't e-mail ٣ كتب"
    assert tokens(sample) == _sqlite_tokens(sample)


def test_phrases_prefixes_and_operators_become_a_tsquery() -> None:
    assert tsquery('"new york"') == "('new' <-> 'york')"
    assert tsquery('"new yor" *') == "('new' <-> 'yor':*)"
    assert tsquery('"a" AND ("b" OR "c")') == "'a' & ( 'b' | 'c' )"
    assert tsquery('""') == "'-'"
    with pytest.raises(ValueError, match="compiled"):
        tsquery("NEAR(a b)")


def test_a_word_of_diacritics_alone_keeps_its_place() -> None:
    assert tokens("a \u0300 b") == ["a", "", "b"]
    assert tsquery('"a \u0300 b"') == "('a' <2> 'b')"
    assert document(None, "a \u0300 b") == "'a':2 'b':4"


def test_titles_are_weighted_and_kept_apart_from_the_text() -> None:
    assert document("Paris", "The cafe") == "'paris':1A 'the':3 'cafe':4"


def test_server_urls_are_told_from_paths_and_keep_their_password_out_of_sight() -> None:
    assert is_server_url("postgresql://u@h/db") and is_server_url("postgres://h/db")
    assert not is_server_url("/home/u/postgresql://x")
    address = parse_location("postgresql://ann:s3cret@db.example.org:5433/corpus?sslmode=require")
    assert isinstance(address, ServerAddress)
    assert "s3cret" not in str(address) and "s3cret" not in repr(address)
    assert address.password == "s3cret"
    assert address.sqlalchemy_url().query["sslmode"] == "require"
    assert address.title == "corpus on db.example.org"


def _derived_are_right(library: Library) -> None:
    with library.reading() as session:
        stale = session.execute(text("SELECT count(*) FROM stale_articles")).scalar_one()
        assert stale == 0
        rows = session.execute(
            select(Article.id, Article.title, Article.authors, Article.site_name, Article.text)
        ).all()
        folded = {row.article_id: row for row in session.scalars(select(FoldedFields))}
        documents = dict(
            session.execute(text("SELECT article_id, document::text FROM article_search")).all()
        )
    assert set(folded) == set(documents) == {row[0] for row in rows}
    for article_id, title, authors, site, body in rows:
        assert folded[article_id].title == fold_field(title)
        assert folded[article_id].authors == fold_field(authors)
        assert folded[article_id].site_name == fold_field(site)
        with library.reading() as session:
            expected = session.execute(
                text("SELECT CAST(:d AS tsvector)::text"), {"d": document(title, body)}
            ).scalar_one()
        assert documents[article_id] == expected


def test_search_tables_follow_every_kind_of_write(team_address: ServerAddress) -> None:
    with Library.open(team_address) as library:
        drafts = [make_draft(paragraph(n), title=f"Story {n}", site="Coast News") for n in range(6)]
        ids = [result.article_id for result in library.add_drafts(drafts)]
        _derived_are_right(library)
        assert ids[0] is not None and ids[1] is not None
        library.update_metadata(ids[0], {"title": "Lighthouse keeper", "authors": ["Zoë Ñ"]})
        library.trash([ids[1]])
        library.empty_trash()
        _derived_are_right(library)
        assert library.search_ids("lighthouse") == [ids[0]]
        assert library.search_ids("author:zoe") == [ids[0]]
        assert library.search_ids("site:coast") == [i for i in ids if i != ids[1]]


def test_a_change_in_one_connection_is_announced_to_another(team_address: ServerAddress) -> None:
    with Library.open(team_address) as watcher, Library.open(team_address) as colleague:
        before = watcher.change_counter()
        colleague.create_tag("seen elsewhere")
        assert watcher.change_counter() != before


def test_the_second_of_two_edits_of_one_field_is_refused(team_address: ServerAddress) -> None:
    with Library.open(team_address) as first, Library.open(team_address) as second:
        [result] = first.add_drafts([make_draft(paragraph(1), title="Original")])
        article_id = result.article_id
        assert article_id is not None
        first.update_metadata(article_id, {"title": "First"}, expected={"title": "Original"})
        with pytest.raises(EditConflict, match="changed meanwhile"):
            second.update_metadata(article_id, {"title": "Second"}, expected={"title": "Original"})
        assert second.detail(article_id).title == "First"


def test_writers_from_several_desktops_queue_and_all_land(team_address: ServerAddress) -> None:
    errors: list[BaseException] = []

    def importer(offset: int) -> None:
        try:
            with Library.open(team_address) as library:
                for batch in range(4):
                    drafts = [
                        make_draft(paragraph(offset + batch * 10 + n) + f" desk {offset}")
                        for n in range(5)
                    ]
                    library.add_drafts(drafts)
        except BaseException as error:  # reported by the test below
            errors.append(error)

    threads = [threading.Thread(target=importer, args=(offset,)) for offset in (1000, 2000)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with Library.open(team_address) as library:
        assert library.count() == 40
        _derived_are_right(library)


def test_an_unreachable_server_is_a_clear_message(postgres_server: TestServer) -> None:
    address = ServerAddress.parse(f"postgresql://postgres@127.0.0.1:{postgres_server.port + 1}/x")
    with pytest.raises(LibraryError, match="cannot reach the server"):
        Library.open(address)


def test_a_wrong_password_and_a_missing_database_are_clear(postgres_server: TestServer) -> None:
    postgres_server.create_login("corpusdesk_pw_check", "right")
    wrong = postgres_server.address("postgres", "corpusdesk_pw_check", "wrong")
    with pytest.raises(LibraryError, match="refused"):
        Library.open(wrong)
    with pytest.raises(LibraryError, match="no database"):
        Library.open(postgres_server.address("no_such_database_here"))


def test_a_database_of_another_program_is_refused(postgres_server: TestServer) -> None:
    name = postgres_server.new_database(library=False)
    try:
        with postgres_server.admin(name) as connection:
            connection.execute("CREATE TABLE invoices (id int)")
        with pytest.raises(LibraryError, match="another program"):
            Library.open(postgres_server.address(name))
    finally:
        postgres_server.drop_database(name)


def _terminate_when_waiting(server: TestServer, database: str) -> threading.Thread:
    """Ends the first corpusdesk connection to ``database`` found waiting on a lock, as a
    dropped network connection or a restarted server would."""

    def watch() -> None:
        with server.admin(database) as connection:
            for _ in range(400):
                ended = connection.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s "
                    "AND application_name = 'corpusdesk' AND wait_event_type = 'Lock'",
                    (database,),
                ).fetchall()
                if ended:
                    return
                time.sleep(0.025)

    thread = threading.Thread(target=watch)
    thread.start()
    return thread


def test_a_connection_lost_mid_import_saves_nothing_and_a_retry_works(
    postgres_server: TestServer, team_address: ServerAddress
) -> None:
    with Library.open(team_address) as library:
        library.add_drafts([make_draft(paragraph(1), title="Already there")])
        batch = [make_draft(paragraph(n), title=f"New {n}") for n in range(2, 12)]
        with postgres_server.admin(team_address.database) as blocker:
            # The batch writes its articles, originals and signatures, then waits on this lock.
            blocker.execute("BEGIN")
            blocker.execute("LOCK TABLE minhash_bands IN EXCLUSIVE MODE")
            watcher = _terminate_when_waiting(postgres_server, team_address.database)
            with pytest.raises(LibraryError, match="connection to the library's server was lost"):
                library.add_drafts(batch)
            watcher.join()
            blocker.execute("ROLLBACK")
        assert library.count() == 1
        _derived_are_right(library)
        results = library.add_drafts(batch)
        assert all(result.article_id is not None for result in results)
        assert library.count() == 11
        _derived_are_right(library)


def test_a_connection_lost_mid_edit_changes_nothing(
    postgres_server: TestServer, team_address: ServerAddress
) -> None:
    with Library.open(team_address) as library:
        [result] = library.add_drafts([make_draft(paragraph(1), title="Before")])
        article_id = result.article_id
        assert article_id is not None
        with postgres_server.admin(team_address.database) as blocker:
            blocker.execute("BEGIN")
            blocker.execute("SELECT * FROM articles WHERE id = %s FOR UPDATE", (article_id,))
            watcher = _terminate_when_waiting(postgres_server, team_address.database)
            with pytest.raises(LibraryError, match="connection to the library's server was lost"):
                library.update_metadata(article_id, {"title": "After"})
            watcher.join()
            blocker.execute("ROLLBACK")
        assert library.detail(article_id).title == "Before"
        library.update_metadata(article_id, {"title": "After"})
        assert library.search_ids("title:after") == [article_id]


def test_the_tokenizer_tables_kept_in_the_cache_are_the_ones_sqlite_gives() -> None:
    from corpusdesk.library.dialects import unicode61

    learnt = unicode61._probe()
    unicode61._learnt.cache_clear()
    unicode61._cache_file().unlink(missing_ok=True)
    assert unicode61._tables() == learnt  # probed, then written
    unicode61._learnt.cache_clear()
    assert unicode61._tables() == learnt  # read back
    unicode61._cache_file().write_text("{not json", encoding="utf-8")
    unicode61._learnt.cache_clear()
    assert unicode61._tables() == learnt  # a damaged file is learnt again
