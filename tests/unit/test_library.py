"""The library facade: storing drafts, duplicates, tags, metadata, trash, saved searches."""

from __future__ import annotations

import datetime as dt
import unicodedata
from pathlib import Path

import pytest
from sqlalchemy import event, text

from corpusdesk.core.errors import LibraryError, UserError
from corpusdesk.core.records import Outcome
from corpusdesk.library.articles import Scope, SortKey
from corpusdesk.library.dialects.sqlite import parse_id_array
from corpusdesk.library.library import Library
from corpusdesk.library.transfer import MISCOUNTED_TAGS, MISORDERED_ARTICLES
from tests.factories import make_draft, paragraph


def _body(seed: int) -> str:
    return "\n\n".join(paragraph(seed * 10 + i) for i in range(4))


def _add(library: Library, *drafts) -> list[int]:  # type: ignore[no-untyped-def]
    results = library.add_drafts(list(drafts))
    return [r.article_id for r in results if r.article_id is not None]


def test_stores_and_reads_back_an_article(library: Library) -> None:
    draft = make_draft(_body(1), title="Budgets", authors=("Ann Writer", "Bo Li"))
    [article_id] = _add(library, draft)
    detail = library.detail(article_id)
    assert detail.title == "Budgets"
    assert detail.authors == ("Ann Writer", "Bo Li")
    assert detail.text == draft.article.text
    assert detail.published == dt.date(2023, 12, 17)
    assert library.original(article_id).startswith(b"<html>")
    row = library.rows([article_id])[article_id]
    assert row.site_name == "Example Times" and row.word_count == draft.word_count


def test_same_bytes_is_skipped_and_same_text_is_grouped(library: Library) -> None:
    draft = make_draft(_body(1))
    same_text = make_draft(_body(1), raw=b"<html>other bytes, same article</html>")
    results = library.add_drafts([draft, draft, same_text])
    assert [r.outcome for r in results] == [Outcome.IMPORTED, Outcome.DUPLICATE, Outcome.IMPORTED]
    assert "same file as article #1" in results[1].reason
    assert results[2].near_duplicate_of == results[0].article_id
    rows = library.rows([1, 2])
    assert rows[1].duplicate_group == rows[2].duplicate_group == 1


def test_republication_joins_a_duplicate_group(library: Library) -> None:
    body = _body(2)
    original = make_draft(body, site="Original Site")
    copy = make_draft("Spread the word.\n\n" + body + "\n\nLeave a comment.", site="Mirror")
    other = make_draft(_body(3), site="Mirror")
    first, second, third = _add(library, original, copy, other)
    rows = library.rows([first, second, third])
    assert rows[first].duplicate_group == rows[second].duplicate_group == first
    assert rows[third].duplicate_group is None


def test_full_text_index_follows_edits_and_deletes(library: Library) -> None:
    [article_id] = _add(library, make_draft(_body(4), title="Harbour news"))
    assert library.search_ids("harbour") == [article_id]
    library.update_metadata(article_id, {"title": "Railway news"})
    assert library.search_ids("title:railway") == [article_id]
    assert library.search_ids('"railway news"') == [article_id]
    library.trash([article_id])
    assert library.search_ids("railway") == []
    assert library.search_ids("railway", scope=Scope.TRASH) == [article_id]
    assert library.empty_trash() == 1
    index = {
        "sqlite": "SELECT count(*) FROM articles_fts WHERE articles_fts MATCH 'railway'",
        "postgresql": "SELECT count(*) FROM article_search WHERE document @@ 'railway'::tsquery",
    }
    with library.reading() as session:
        assert session.execute(text(index[library.backend.name])).scalar() == 0


def test_tags_are_case_insensitive_and_report_changes(library: Library) -> None:
    ids = _add(library, *(make_draft(_body(s)) for s in range(5, 8)))
    assert library.add_tag(ids[:2], "Gaza") == ids[:2]
    assert library.add_tag(ids, "gaza") == ids[2:]
    assert [(t.name, t.count) for t in library.tags()] == [("Gaza", 3)]
    assert library.remove_tag(ids[1:], "GAZA") == ids[1:]
    assert library.rows(ids)[ids[0]].tags == ("Gaza",)
    with pytest.raises(UserError):
        library.add_tag(ids, "   ")


def test_tagging_reports_ids_in_the_selections_order(library: Library) -> None:
    # The links are written in id order; what the caller gets back (and undo replays) is not.
    ids = _add(library, *(make_draft(_body(s)) for s in range(20, 26)))
    selection = [ids[4], ids[0], ids[5], ids[2], ids[4]]
    assert library.add_tag(selection, "ferry") == [ids[4], ids[0], ids[5], ids[2]]
    assert library.add_tag(ids[::-1], "ferry") == [ids[3], ids[1]]
    assert library.remove_tag([ids[5], ids[1], ids[0]], "ferry") == [ids[5], ids[1], ids[0]]
    assert [(t.name, t.count) for t in library.tags()] == [("ferry", 3)]
    assert sorted(library.search_ids("tag:ferry")) == sorted([ids[2], ids[3], ids[4]])


def test_tagging_passes_over_articles_deleted_meanwhile(library: Library) -> None:
    # A selection (or an undo) can name an article another window or a colleague has since
    # deleted for good: the others are tagged, and nothing fails.
    ids = _add(library, *(make_draft(_body(s)) for s in range(30, 33)))
    library.trash([ids[1]])
    library.empty_trash()
    assert library.add_tag(ids, "ferry") == [ids[0], ids[2]]
    snapshot = library.snapshot_tag("ferry")
    library.delete_tag("ferry")
    library.trash([ids[2]])
    library.empty_trash()
    library.restore_tag(snapshot)
    assert [(t.name, t.count) for t in library.tags()] == [("ferry", 1)]
    assert library.search_ids("tag:ferry") == [ids[0]]


def test_renaming_onto_an_existing_tag_merges(library: Library) -> None:
    ids = _add(library, *(make_draft(_body(s)) for s in range(8, 11)))
    library.add_tag(ids[:2], "war")
    library.add_tag(ids[1:], "conflict")
    assert library.rename_tag("war", "Conflict") is True
    assert [(t.name, t.count) for t in library.tags()] == [("conflict", 3)]
    assert library.rename_tag("conflict", "Conflict 2023") is False


NFD_ELECTION = "E\u0301lection"
"""``Élection`` typed with a combining accent (NFD), as some keyboards and file names give it."""


@pytest.mark.parametrize(
    ("first", "other"),
    [
        ("Ärger", "ärger"),
        ("Straße", "STRASSE"),
        ("ΣΊΣΥΦΟΣ", "σίσυφος"),
        (NFD_ELECTION, "ÉLECTION"),
    ],
)
def test_tags_fold_case_and_accents_beyond_ascii(library: Library, first: str, other: str) -> None:
    ids = _add(library, *(make_draft(_body(s)) for s in range(40, 43)))
    library.add_tag(ids[:2], first)
    assert library.add_tag(ids[1:], other) == ids[2:]
    display = unicodedata.normalize("NFC", first)
    assert [(t.name, t.count) for t in library.tags()] == [(display, 3)]
    for spelling in (first, other, first.upper(), first.lower(), display):
        assert sorted(library.search_ids(f'tag:"{spelling}"')) == ids, spelling
        assert library.count(f"tag:{spelling}") == 3, spelling
    assert library.remove_tag(ids[:1], other.upper()) == ids[:1]
    assert library.rows(ids)[ids[1]].tags == (display,)


def test_renaming_folds_non_ascii_case(library: Library) -> None:
    ids = _add(library, *(make_draft(_body(s)) for s in range(43, 46)))
    library.add_tag(ids[:2], "Ärger")
    library.add_tag(ids[1:], "Wut")
    assert library.rename_tag("wut", "ÄRGER") is True
    assert [(t.name, t.count) for t in library.tags()] == [("Ärger", 3)]
    assert library.rename_tag("ärger", "ÄRGER") is False
    assert [(t.name, t.count) for t in library.tags()] == [("ÄRGER", 3)]
    assert sorted(library.search_ids("tag:ärger")) == ids


def test_deleted_tag_can_be_restored(library: Library) -> None:
    ids = _add(library, *(make_draft(_body(s)) for s in range(11, 13)))
    library.add_tag(ids, "opinion")
    library.set_tag_color("opinion", "#ff8800")
    snapshot = library.delete_tag("opinion")
    assert library.tags() == []
    library.restore_tag(snapshot)
    [tag] = library.tags()
    assert (tag.name, tag.color, tag.count) == ("opinion", "#ff8800", 2)


def test_metadata_edit_returns_previous_values(library: Library) -> None:
    [article_id] = _add(library, make_draft(_body(13), authors=("admin",)))
    previous = library.update_metadata(article_id, {"authors": ["Real Author"], "language": "fr"})
    assert previous == {"authors": ("admin",), "language": "en"}
    assert library.detail(article_id).authors == ("Real Author",)
    with pytest.raises(UserError):
        library.update_metadata(article_id, {"text": "no"})


def test_trash_hides_from_tags_counts_and_restore_brings_back(library: Library) -> None:
    ids = _add(library, *(make_draft(_body(s)) for s in range(14, 16)))
    library.add_tag(ids, "kept")
    assert library.trash([ids[0], ids[0]]) == [ids[0]]
    assert library.tags()[0].count == 1
    assert library.count() == 1
    assert library.restore(ids) == [ids[0]]
    assert library.count() == 2


def _tag_counts_agree(library: Library) -> dict[str, int]:
    """The pane's counts, after checking the kept counts and first tags against a recount,
    and the order by tags against one worked out here."""
    with library.reading() as session:
        assert session.scalar(text(MISCOUNTED_TAGS)) == 0
        assert session.scalar(text(MISORDERED_ARTICLES)) == 0
    for scope in Scope:
        every = library.search_ids(scope=scope)
        untagged = [i for i in every if not library.detail(i).tags]
        assert library.search_ids("is:untagged", scope=scope) == untagged
        assert library.count("is:untagged", scope=scope) == len(untagged)
        firsts = {i: min(library.detail(i).tags, key=str.casefold, default="") for i in every}
        expected = sorted(every, key=lambda i: (firsts[i].casefold(), i))
        for descending in (False, True):
            order = expected[::-1] if descending else expected
            found = library.search_ids(scope=scope, sort=SortKey.TAGS, descending=descending)
            assert found == order
            for limit in (1, 2, 4, len(order) + 1):
                assert (
                    library.search_ids(
                        scope=scope, sort=SortKey.TAGS, descending=descending, limit=limit
                    )
                    == order[:limit]
                )
    return {tag.name: tag.count for tag in library.tags()}


def test_tag_counts_are_kept_by_every_kind_of_write(library: Library) -> None:
    ids = _add(library, *(make_draft(_body(s)) for s in range(60, 66)))
    library.create_tag("empty")
    library.add_tag(ids, "all")
    library.add_tag(ids[:3], "half")
    library.add_tag(ids[:3], "half")  # tagged already: no change
    assert _tag_counts_agree(library) == {"all": 6, "empty": 0, "half": 3}
    library.remove_tag(ids[:1], "all")
    library.trash(ids[1:3])
    assert _tag_counts_agree(library) == {"all": 3, "empty": 0, "half": 1}
    library.restore(ids[1:2])
    assert _tag_counts_agree(library) == {"all": 4, "empty": 0, "half": 2}
    library.empty_trash()  # the trashed article's assignments go with it
    assert _tag_counts_agree(library) == {"all": 4, "empty": 0, "half": 2}
    library.rename_tag("half", "All")  # merged into "all": ids[0] carries it again
    assert _tag_counts_agree(library) == {"all": 5, "empty": 0}
    snapshot = library.delete_tag("all")
    assert _tag_counts_agree(library) == {"empty": 0}
    library.restore_tag(snapshot)
    assert _tag_counts_agree(library) == {"all": 5, "empty": 0}
    library.add_tag(ids[3:4], "empty")
    library.rename_tag("all", "Zulu")  # now after "empty" in the order by tags
    assert _tag_counts_agree(library) == {"Zulu": 5, "empty": 1}
    library.rename_tag("Zulu", "all")
    library.remove_tag(ids[3:4], "empty")
    with library.writing() as session:  # a statement of its own, not through the library
        session.execute(text("DELETE FROM article_tags WHERE article_id = :id"), {"id": ids[5]})
    assert _tag_counts_agree(library) == {"all": 4, "empty": 0}


def test_sorting_on_each_key(library: Library) -> None:
    drafts = [
        make_draft(_body(20), title="Beta", site="Zed", published=dt.date(2021, 1, 1)),
        make_draft(_body(21), title="alpha", site="Acme", published=dt.date(2023, 1, 1)),
    ]
    beta, alpha = _add(library, *drafts)
    assert library.search_ids(sort=SortKey.TITLE) == [alpha, beta]
    assert library.search_ids(sort=SortKey.SITE, descending=True) == [beta, alpha]
    assert library.search_ids(sort=SortKey.PUBLISHED) == [beta, alpha]
    for key in SortKey:
        assert sorted(library.search_ids(sort=key)) == sorted([alpha, beta])


def test_saved_searches_and_import_reports(library: Library) -> None:
    saved = library.save_search("Recent", "date:>=2023-01-01")
    library.save_search("recent", "tag:war")
    assert library.saved_searches() == [type(saved)(saved.id, "Recent", "tag:war")]
    library.delete_search(saved.id)
    assert library.saved_searches() == []


def test_read_only_library_refuses_changes(tmp_path: Path) -> None:
    path = tmp_path / "ro.db"
    with Library.open(path) as writable:
        writable.add_drafts([make_draft(_body(30))])
    with Library.open(path, read_only=True) as read_only:
        assert read_only.count() == 1
        with pytest.raises(LibraryError):
            read_only.add_tag([1], "x")


def test_garbage_file_is_refused_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "garbage.db"
    content = b"this is not a database" * 100
    path.write_bytes(content)
    with pytest.raises(LibraryError, match=r"damaged|not a corpusdesk"):
        Library.open(path)
    assert path.read_bytes() == content


def test_foreign_sqlite_database_is_refused(tmp_path: Path) -> None:
    import sqlite3

    path = tmp_path / "other.db"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE notes (body TEXT)")
    with pytest.raises(LibraryError, match="not a corpusdesk library"):
        Library.open(path)


def test_relevance_order_keeps_rows_matched_by_fields_only(library: Library) -> None:
    harbour = make_draft(_body(40) + " harbour harbour harbour", site="Coast News")
    other = make_draft(_body(41), site="Valley Post")
    harbour_id, other_id = _add(library, harbour, other)
    ids = library.search_ids("harbour OR site:valley", sort=SortKey.RELEVANCE)
    assert ids == [harbour_id, other_id]


def test_change_counter_sees_commits_from_another_process(library: Library) -> None:
    before = library.change_counter()
    assert library.change_counter() == before
    with Library.open(library.location) as other:
        other.create_tag("from elsewhere")
    assert library.change_counter() != before


def test_first_page_is_the_start_of_the_whole_result(library: Library) -> None:
    drafts = [
        make_draft(
            f"Harbour report number {n}. " + paragraph(n),
            title=f"Report {n:03}",
            site=("North Gazette", "South Herald")[n % 2],
            published=dt.date(2020, 1, 1) + dt.timedelta(days=(n * 37) % 900),
        )
        for n in range(60)
    ]
    library.bulk_add(drafts)
    library.trash([3, 10])
    library.add_tag(list(range(1, 61, 3)), "sample")
    for query in (
        "",
        "harbour",
        '"report number"',
        "harbour site:north",
        "tag:sample",
        "-tag:sample",
        "date:2021",
        "date:2020-03..2021-06-30 harbour",
        "date:>=2021-05-01 -tag:sample",
    ):
        for sort in SortKey:
            for descending in (False, True):
                whole = library.search_ids(query, sort=sort, descending=descending)
                assert whole, (query, sort)
                first = library.search_ids(query, sort=sort, descending=descending, limit=7)
                assert first == whole[:7], (query, sort, descending)
    assert 3 not in library.search_ids("harbour", sort=SortKey.TITLE)
    for query in ("harbour", "site:south", ""):
        trashed = library.search_ids(query, scope=Scope.TRASH, sort=SortKey.TITLE)
        assert trashed and set(trashed) <= {3, 10}
        first = library.search_ids(query, scope=Scope.TRASH, sort=SortKey.TITLE, limit=1)
        assert first == trashed[:1]
    assert library.search_ids("nothing-matches-this", limit=5) == []


def test_id_arrays_are_decoded_piece_by_piece_to_the_same_ids() -> None:
    import json

    for ids in ([], [7], list(range(1, 30_000)), [10**12, 3, 99_999_999] * 5_000):
        text = json.dumps(ids, separators=(",", ":"))
        assert parse_id_array(text) == ids


def test_undated_articles_sort_first_when_oldest_first_on_every_backend(library: Library) -> None:
    drafts = [
        make_draft(paragraph(70), title="Dated late", published=dt.date(2024, 5, 1)),
        make_draft(paragraph(71), title="Undated", published=None),
        make_draft(paragraph(72), title="Dated early", published=dt.date(2020, 1, 1)),
    ]
    late, undated, early = _add(library, *drafts)
    assert library.search_ids("", sort=SortKey.PUBLISHED) == [undated, early, late]
    assert library.search_ids("", sort=SortKey.PUBLISHED, descending=True) == [late, early, undated]
    newest = library.search_ids("", sort=SortKey.PUBLISHED, descending=True, limit=2)
    assert newest == [late, early]


@pytest.mark.sqlite_only("reads SQLite's query plans")
def test_table_rows_and_copy_counts_are_read_from_indexes(library: Library) -> None:
    ids = _add(library, *(make_draft(_body(s)) for s in range(70, 72)))
    plans: list[str] = []

    def explain(connection, cursor, statement, parameters, context, executemany) -> None:  # type: ignore[no-untyped-def]
        if statement.lstrip().upper().startswith("SELECT") and "articles" in statement:
            found = cursor.connection.execute(f"EXPLAIN QUERY PLAN {statement}", parameters)
            plans.append(" ".join(str(row[-1]) for row in found))

    engine = library.backend.engine
    event.listen(engine, "before_cursor_execute", explain)
    try:
        rows = library.rows(ids)
    finally:
        event.remove(engine, "before_cursor_execute", explain)
    assert set(rows) == set(ids)
    row_reads = [plan for plan in plans if "ix_articles_row" in plan]
    assert row_reads and all("COVERING INDEX" in plan for plan in row_reads)
    assert not any("USING INTEGER PRIMARY KEY" in plan for plan in plans)


def test_site_searches_find_every_site_holding_the_words(library: Library) -> None:
    sites = ["", "Gazette", "The Daily GAZETTE", "Herald", "Gazetteer", "Zürich Zeitung", "", "a"]
    drafts = [
        make_draft(f"Story {n} about the harbour. " + paragraph(n), site=site)
        for n, site in enumerate(sites)
    ]
    ids = [result.article_id for result in library.add_drafts(drafts)]
    expected = {
        "site:gazette": [ids[1], ids[2], ids[4]],
        "site:zurich": [ids[5]],
        "site:a": [ids[1], ids[2], ids[3], ids[4], ids[7]],
        "site:herald OR site:daily": [ids[2], ids[3]],
        "site:zzz": [],
        "-site:e": [ids[0], ids[6], ids[7]],
    }
    for query, found in expected.items():
        assert library.search_ids(query) == found, query
        assert library.count(query) == len(found), query
    library.trash([ids[2]])
    assert library.search_ids("site:gazette") == [ids[1], ids[4]]
    assert library.count("site:gazette", scope=Scope.TRASH) == 1


def test_tagging_many_articles_is_one_insert_that_keeps_the_counts(library: Library) -> None:
    ids = [
        result.article_id
        for result in library.add_drafts(
            [make_draft(f"Story {n} of the ferry. " + paragraph(n)) for n in range(40)]
        )
        if result.article_id is not None
    ]
    inserts: list[bool] = []

    def record(*arguments: object) -> None:
        statement, executemany = str(arguments[2]), bool(arguments[5])
        if statement.lstrip().upper().startswith("INSERT INTO ARTICLE_TAGS"):
            inserts.append(executemany)

    engine = library.backend.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        assert sorted(library.add_tag(ids[::2], "ferry")) == sorted(ids[::2])
        assert sorted(library.add_tag(ids, "ferry")) == sorted(ids[1::2])
    finally:
        event.remove(engine, "before_cursor_execute", record)
    # On PostgreSQL a statement a row would run the counting trigger once a row.
    assert inserts == ([False, False] if library.backend.name == "postgresql" else [True, True])
    assert {tag.name: tag.count for tag in library.tags()} == {"ferry": len(ids)}
    with library.reading() as session:
        assert session.scalar(text(MISCOUNTED_TAGS)) == 0
        assert session.scalar(text(MISORDERED_ARTICLES)) == 0
