"""The bulk path: the same articles, duplicates and index as the one-by-one writer, set-wise."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator, Sequence
from pathlib import Path

from sqlalchemy import text

from corpusdesk.core.records import ArticleDetail, Outcome
from corpusdesk.exporting.writer import ExportFormat, export_articles
from corpusdesk.library.articles import Scope, SortKey
from corpusdesk.library.bulk import FTS_DEFAULTS
from corpusdesk.library.library import Library
from tests.factories import make_draft, paragraph


def _body(seed: int) -> str:
    return "\n\n".join(paragraph(seed * 10 + i) for i in range(4))


def test_bulk_add_stores_searchable_articles_in_order(library: Library) -> None:
    drafts = [make_draft(_body(seed), title=f"Story {seed}") for seed in range(6)]
    drafts.append(make_draft("The harbour ferry sails again " * 20, title="Ferry"))
    results = library.bulk_add(drafts)
    assert [r.outcome for r in results] == [Outcome.IMPORTED] * 7
    assert [r.article_id for r in results] == list(range(1, 8))
    assert library.count() == 7
    assert library.search_ids("ferry") == [7]
    assert library.search_ids('title:"story 3"') == [4]
    assert library.detail(7).title == "Ferry"
    assert library.original(1).startswith(b"<html>")
    more = library.bulk_add([make_draft(_body(50), title="Later")])
    assert more[0].article_id == 8


def test_bulk_add_skips_stored_and_repeated_files(library: Library) -> None:
    first = make_draft(_body(1))
    library.add_drafts([first])
    second = make_draft(_body(2))
    results = library.bulk_add([first, second, second])
    assert [r.outcome for r in results] == [Outcome.DUPLICATE, Outcome.IMPORTED, Outcome.DUPLICATE]
    assert "same file as article #1" in results[0].reason
    assert f"same file as article #{results[1].article_id}" in results[2].reason
    assert library.count() == 2


def test_bulk_add_groups_copies_like_the_writer(library: Library) -> None:
    stored = make_draft(_body(3), site="Original Site")
    [stored_result] = library.add_drafts([stored])
    body = _body(4)
    drafts = [
        make_draft(_body(3), site="Mirror", raw=b"<html>same text, other file</html>"),
        make_draft(body, site="First"),
        make_draft("Spread the word.\n\n" + body + "\n\nLeave a comment.", site="Second"),
        make_draft(_body(5), site="Alone"),
    ]
    results = library.bulk_add(drafts)
    ids = [r.article_id for r in results]
    assert results[0].near_duplicate_of == stored_result.article_id
    assert results[2].near_duplicate_of == ids[1]
    rows = library.rows([stored_result.article_id, *ids])  # type: ignore[list-item]
    assert rows[ids[0]].duplicate_group == rows[1].duplicate_group == 1  # type: ignore[index]
    assert rows[ids[2]].duplicate_group == rows[ids[1]].duplicate_group == ids[1]  # type: ignore[index]
    assert rows[ids[3]].duplicate_group is None  # type: ignore[index]
    assert library.count("is:duplicate") == 4


def test_later_imports_find_copies_of_bulk_added_articles(library: Library) -> None:
    body = _body(6)
    [bulk] = library.bulk_add([make_draft(body, site="Original")])
    copy = make_draft("Share this story.\n\n" + body, site="Mirror")
    [result] = library.add_drafts([copy])
    assert result.near_duplicate_of == bulk.article_id


def test_full_text_index_stays_in_step_after_bulk_add(library: Library) -> None:
    [result] = library.bulk_add([make_draft("A lighthouse keeper retires " * 10, title="Keeper")])
    article_id = result.article_id
    assert article_id is not None
    library.update_metadata(article_id, {"title": "Beacon"})
    assert library.search_ids("beacon") == [article_id]
    assert library.search_ids("keeper") == [article_id]
    library.trash([article_id])
    assert library.search_ids("lighthouse") == []
    assert library.search_ids("lighthouse", scope=Scope.TRASH) == [article_id]
    library.empty_trash()
    index = "articles_fts" if library.backend.name == "sqlite" else "article_search"
    with library.reading() as session:
        assert session.execute(text(f"SELECT count(*) FROM {index}")).scalar_one() == 0
        if library.backend.name == "sqlite":
            settings = dict(session.execute(text("SELECT k, v FROM articles_fts_config")).all())
            assert {key: int(settings[key]) for key in FTS_DEFAULTS} == FTS_DEFAULTS


def test_searches_leave_trashed_articles_out_in_every_order(library: Library) -> None:
    drafts = [
        make_draft(_body(seed), title=f"Story {seed}", published=dt.date(2020, 1, seed + 1))
        for seed in range(5)
    ]
    ids = [r.article_id for r in library.bulk_add(drafts)]
    library.add_tag(ids[:3], "kept")
    library.trash([ids[1]])
    live = {ids[0], ids[2], ids[3], ids[4]}
    for key in SortKey:
        for descending in (False, True):
            found = library.search_ids("", sort=key, descending=descending)
            assert set(found) == live, key
            assert set(library.search_ids("story", sort=key)) == live
    assert library.search_ids("tag:kept site:example") == [ids[0], ids[2]]
    assert library.count("date:2020-01") == 4
    assert library.count("title:story", scope=Scope.TRASH) == 1
    assert library.search_ids("story", scope=Scope.TRASH, sort=SortKey.RELEVANCE) == [ids[1]]


def test_tag_order_is_by_first_tag_name_then_id(library: Library) -> None:
    ids = [r.article_id for r in library.bulk_add([make_draft(_body(s)) for s in range(8)])]
    tagging = {"beta": [1, 3, 5], "Alpha": [5, 6], "gamma": [2, 3, 8], "delta": [4]}
    for name, chosen in tagging.items():
        library.add_tag([ids[i - 1] for i in chosen], name)
    library.trash([ids[5]])
    first = {}
    for name in sorted(tagging, key=str.casefold):
        for index in tagging[name]:
            first.setdefault(ids[index - 1], name.casefold())
    live = [i for i in ids if i != ids[5]]
    expected = sorted(live, key=lambda i: (i in first, first.get(i, ""), i))
    assert library.search_ids(sort=SortKey.TAGS) == expected
    assert library.search_ids(sort=SortKey.TAGS, descending=True) == expected[::-1]
    # Article 3's first tag is beta, even among gamma and delta matches.
    matching = [ids[2], ids[3], ids[1], ids[7]]
    assert library.search_ids("tag:gamma OR tag:delta", sort=SortKey.TAGS) == matching


def test_counts_agree_with_searches(library: Library) -> None:
    drafts = [
        make_draft(_body(s), published=dt.date(2020 + s % 3, 1, 1), site=f"Site {s % 2}")
        for s in range(9)
    ]
    ids = [r.article_id for r in library.bulk_add(drafts)]
    library.add_tag(ids[:4], "four")
    library.trash(ids[:1])
    for query in (
        "",
        "tag:four",
        "date:2021",
        "site:1",
        "story OR council",
        "is:untagged",
        "tag:four date:2020",
        "-tag:four",
        "lang:en",
        "words:>10",
        "is:duplicate",
    ):
        for scope in Scope:
            assert library.count(query, scope=scope) == len(
                library.search_ids(query, scope=scope)
            ), (query, scope)


class _DetailsOnly:
    def __init__(self, library: Library) -> None:
        self.library = library

    def iter_details(self, ids: Sequence[int]) -> Iterator[ArticleDetail]:
        yield from self.library.iter_details(ids)


def test_fast_export_writes_the_same_file(library: Library, tmp_path: Path) -> None:
    awkward = 'Quotes "inside", a back\\slash, tabs\tand\x01control, é, 😀 and \u2028 too.'
    drafts = [
        make_draft(_body(7), title='A "quoted" title'),
        make_draft(awkward + "\n\n" + _body(8), authors=(), published=None),
    ]
    ids = [r.article_id for r in library.add_drafts(drafts)]
    library.add_tag(ids, "both")
    for fmt in ExportFormat:
        fast, slow = tmp_path / f"fast.{fmt.value}", tmp_path / f"slow.{fmt.value}"
        export_articles(library, ids, fast, fmt)
        export_articles(_DetailsOnly(library), ids, slow, fmt)
        assert fast.read_bytes() == slow.read_bytes()
    lines = fast.with_suffix(".jsonl").read_text("utf-8").split("\n")[:-1]
    records = [json.loads(line) for line in lines]
    assert records[1]["text"].startswith(awkward)
