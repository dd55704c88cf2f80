"""The item models: Qt's model tester, lazy paging, placeholders, tag pane content and drops."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from PySide6.QtCore import QModelIndex, Qt
from pytestqt.modeltest import ModelTester

from corpusdesk.core.records import ArticleRow, SavedSearch, TagInfo
from corpusdesk.gui.models.articles_model import (
    ARTICLE_IDS_MIME,
    PAGE_SIZE,
    PLACEHOLDER,
    ArticlesModel,
    Column,
    decode_ids,
)
from corpusdesk.gui.models.tags_model import EntryKind, Group, PaneCounts, TagsModel
from corpusdesk.library.articles import SortKey


class FakeRows:
    """Makes rows for any id, counting the calls; ids in ``broken`` fail to load."""

    def __init__(self, broken: frozenset[int] = frozenset()) -> None:
        self.calls: list[int] = []
        self.broken = broken

    def __call__(self, ids: Sequence[int]) -> dict[int, ArticleRow]:
        self.calls.append(len(ids))
        if self.broken & set(ids):
            raise RuntimeError("database is locked")
        return {
            i: ArticleRow(
                id=i,
                title=f"Story {i}",
                site_name="Example Times",
                authors=("Ann Writer", "Bo Reporter"),
                published=dt.date(2023, 1, 1) + dt.timedelta(days=i % 300),
                word_count=400 + i,
                tags=("news",) if i % 2 else (),
                duplicate_group=7 if i % 5 == 0 else None,
                source_name=f"{i}.html",
            )
            for i in ids
        }


def test_articles_model_passes_the_model_tester(qtmodeltester: ModelTester) -> None:
    model = ArticlesModel()
    model.set_fetcher(FakeRows())
    model.set_ids(list(range(1, 251)))
    qtmodeltester.check(model, force_py=True)
    qtmodeltester.check(model)


def test_a_large_result_is_read_one_page_at_a_time() -> None:
    fetch = FakeRows()
    model = ArticlesModel()
    model.set_fetcher(fetch)
    model.set_ids(list(range(100_000)))
    assert model.rowCount() == 100_000
    assert fetch.calls == []
    assert model.index(54_321, Column.TITLE).data() == "Story 54321"
    assert fetch.calls == [PAGE_SIZE]
    assert model.index(54_322, Column.WORDS).data() == f"{400 + 54_322:,}"
    assert fetch.calls == [PAGE_SIZE]
    model.refresh([54_321])
    model.index(54_321, Column.TITLE).data()
    assert fetch.calls == [PAGE_SIZE, PAGE_SIZE]


def test_appended_and_preloaded_rows_are_not_read_again(qtmodeltester: ModelTester) -> None:
    fetch = FakeRows()
    model = ArticlesModel()
    model.set_fetcher(fetch)
    model.set_ids(list(range(PAGE_SIZE)))
    model.preload(FakeRows()(list(range(PAGE_SIZE))), [0])
    model.append_ids(list(range(PAGE_SIZE, 3 * PAGE_SIZE)))
    assert model.rowCount() == 3 * PAGE_SIZE
    assert model.row_of(2 * PAGE_SIZE + 5) == 2 * PAGE_SIZE + 5
    assert model.index(5, Column.TITLE).data() == "Story 5"
    assert fetch.calls == []
    assert model.index(PAGE_SIZE + 1, Column.TITLE).data() == f"Story {PAGE_SIZE + 1}"
    assert fetch.calls == [PAGE_SIZE]
    qtmodeltester.check(model)


def test_same_tag_colours_repaint_nothing() -> None:
    model = ArticlesModel()
    model.set_fetcher(FakeRows())
    model.set_ids(list(range(10)))
    changes: list[int] = []
    model.dataChanged.connect(lambda *_args: changes.append(1))
    model.set_tag_colors({"news": "#aa0000"})
    model.set_tag_colors({"news": "#aa0000"})
    assert changes == [1]


def test_a_row_that_fails_to_load_shows_a_placeholder() -> None:
    model = ArticlesModel()
    model.set_fetcher(FakeRows(broken=frozenset({3})))
    model.set_ids([1, 2, 3])
    assert model.index(2, Column.TITLE).data() == PLACEHOLDER
    assert model.index(2, Column.SITE).data() == ""


def test_sorting_asks_for_a_new_search(qtbot: object) -> None:
    model = ArticlesModel()
    received: list[tuple[object, bool]] = []
    model.sort_requested.connect(lambda key, desc: received.append((key, desc)))
    model.sort(Column.WORDS, Qt.SortOrder.DescendingOrder)
    assert received == [(SortKey.WORDS, True)]


def test_dragging_rows_carries_their_ids() -> None:
    model = ArticlesModel()
    model.set_fetcher(FakeRows())
    model.set_ids([10, 20, 30])
    mime = model.mimeData([model.index(0, 0), model.index(0, 2), model.index(2, 0)])
    assert decode_ids(mime.data(ARTICLE_IDS_MIME)) == [10, 30]


def filled_tags_model() -> TagsModel:
    model = TagsModel()
    model.set_content(
        PaneCounts(all=12, untagged=4, duplicates=2, trash=1),
        [TagInfo(1, "climate", "#2e7d32", 5), TagInfo(2, "elections", None, 3)],
        [SavedSearch(1, "Long reads", "words:>1500")],
    )
    return model


def test_tags_model_passes_the_model_tester(qtmodeltester: ModelTester) -> None:
    model = filled_tags_model()
    qtmodeltester.check(model, force_py=True)
    qtmodeltester.check(model)
    model.set_content(PaneCounts(), [TagInfo(3, "z", None, 0)], [])
    qtmodeltester.check(model, force_py=True)


def test_tags_model_content() -> None:
    model = filled_tags_model()
    assert model.rowCount() == 3
    tags = model.index(Group.TAGS, 0)
    assert model.rowCount(tags) == 2
    assert model.index(0, 0, tags).data() == "climate"
    assert model.index(0, 1, tags).data() == "5"
    assert model.entry(model.index(0, 0, tags)).query == 'tag:"climate"'
    library = model.index(Group.LIBRARY, 0)
    assert [model.index(r, 0, library).data() for r in range(4)] == [
        "All articles",
        "Untagged",
        "With copies",
        "Trash",
    ]
    assert model.index_of((EntryKind.SEARCH, "Long reads")).isValid()
    assert not model.index_of((EntryKind.TAG, "missing")).isValid()
    assert model.parent(QModelIndex()) == QModelIndex()


def test_renaming_in_place_is_reported_not_written(qtbot: object) -> None:
    model = filled_tags_model()
    renamed: list[tuple[str, str]] = []
    model.rename_requested.connect(lambda old, new: renamed.append((old, new)))
    index = model.index_of((EntryKind.TAG, "climate"))
    assert not model.setData(index, "  climate   change ")
    assert renamed == [("climate", "climate change")]
    assert index.data() == "climate"
