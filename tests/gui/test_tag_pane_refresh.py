"""Refreshing the tag pane: new counts change only their cells; a new tag set rebuilds the list."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from corpusdesk.core.records import SavedSearch, TagInfo
from corpusdesk.gui.models.tags_model import EntryKind, Group, PaneCounts, TagsModel
from corpusdesk.gui.widgets.tag_pane import COUNT_PADDING, TagPane

TAGS = [TagInfo(n, f"tag {n:03d}", None, n) for n in range(200)]
SEARCHES = [SavedSearch(1, "Long reads", "words:>1500")]


class Changes:
    """Records what a model announces."""

    def __init__(self, model: TagsModel) -> None:
        self.data: list[tuple[int, int, int, int, int]] = []
        self.reshaped = 0
        model.dataChanged.connect(self._changed)
        model.rowsInserted.connect(self._reshaped)
        model.rowsRemoved.connect(self._reshaped)

    def _changed(self, first: QModelIndex, last: QModelIndex, _roles: object = None) -> None:
        self.data.append(
            (first.parent().row(), first.row(), last.row(), first.column(), last.column())
        )

    def _reshaped(self, *_args: object) -> None:
        self.reshaped += 1


def test_new_counts_change_only_the_count_cells_that_differ(
    qtmodeltester: ModelTester,
) -> None:
    model = TagsModel()
    assert model.set_content(PaneCounts(all=100, untagged=40), TAGS, SEARCHES)
    changes = Changes(model)
    counted = [*TAGS[:5], TagInfo(5, "tag 005", None, 99), *TAGS[6:]]
    assert not model.set_content(PaneCounts(all=130, untagged=70), counted, SEARCHES)
    assert changes.reshaped == 0
    assert changes.data == [(Group.LIBRARY, 0, 1, 1, 1), (Group.TAGS, 5, 5, 1, 1)]
    assert model.index(5, 1, model.index(Group.TAGS, 0)).data() == "99"
    qtmodeltester.check(model, force_py=True)


def test_nothing_new_announces_nothing() -> None:
    model = TagsModel()
    model.set_content(PaneCounts(all=100), TAGS, SEARCHES)
    changes = Changes(model)
    assert not model.set_content(PaneCounts(all=100), TAGS, SEARCHES)
    assert changes.data == [] and changes.reshaped == 0


def test_a_new_colour_repaints_the_whole_row() -> None:
    model = TagsModel()
    model.set_content(PaneCounts(), TAGS, SEARCHES)
    changes = Changes(model)
    coloured = [*TAGS[:7], TagInfo(7, "tag 007", "#aa0000", 7), *TAGS[8:]]
    assert not model.set_content(PaneCounts(), coloured, SEARCHES)
    assert changes.data == [(Group.TAGS, 7, 7, 0, 1)]


def test_a_new_tag_rebuilds_the_list() -> None:
    model = TagsModel()
    model.set_content(PaneCounts(), TAGS, SEARCHES)
    changes = Changes(model)
    assert model.set_content(PaneCounts(), [*TAGS, TagInfo(300, "zebra", None, 1)], SEARCHES)
    assert changes.reshaped == 2
    assert model.rowCount(model.index(Group.TAGS, 0)) == 201


def test_the_pane_keeps_its_selection_and_fits_the_counts(qtbot: QtBot) -> None:
    pane = TagPane()
    qtbot.addWidget(pane)
    pane.set_content(PaneCounts(all=100), TAGS, SEARCHES)
    pane.select_keys([(EntryKind.TAG, "tag 003")])
    signals: list[None] = []
    pane.selection_changed.connect(lambda: signals.append(None))
    pane.set_content(PaneCounts(all=1_234_567), TAGS, SEARCHES)
    assert [entry.key for entry in pane.selected_entries()] == [(EntryKind.TAG, "tag 003")]
    widest = pane.tree.fontMetrics().horizontalAdvance("1,234,567")
    assert pane.tree.header().sectionSize(1) == widest + COUNT_PADDING
    pane.set_content(PaneCounts(all=1), TAGS[:3], SEARCHES)  # the selected tag is gone
    assert [entry.key for entry in pane.selected_entries()] == [(EntryKind.ALL, "All articles")]
    assert len(signals) == 1
