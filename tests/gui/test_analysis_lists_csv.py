"""The word and keyword lists saved from the window: the command line's columns, written whole."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from corpusdesk.analysis.frequency import FrequencyList, FrequencyRow
from corpusdesk.analysis.keyness import KeywordList, KeywordRow
from corpusdesk.cli_analysis import print_frequencies, print_keywords
from corpusdesk.gui.analysis.common import JobRunner
from corpusdesk.gui.analysis.jobs import KeywordOutcome
from corpusdesk.gui.analysis.lists import FrequencyView, KeywordsView

WORDS = FrequencyList(
    1,
    12,
    2,
    6,
    (FrequencyRow("sat", 3, 2, 250_000.0), FrequencyRow('naïve, "quoted"', 1, 1, 83_333.3333)),
)
KEYWORDS = KeywordList(
    100,
    1000,
    3,
    30,
    (KeywordRow("ferry", 9, 2, 3, 31.41592, 4.70043, 90_000.0, 2_000.0),),
)


_KEPT: list[QWidget] = []


def views(qtbot: QtBot) -> tuple[FrequencyView, KeywordsView]:
    """The two views, showing ``WORDS`` and ``KEYWORDS`` (kept alive by their parent)."""
    parent = QWidget()
    _KEPT.append(parent)
    qtbot.addWidget(parent)
    runner = JobRunner(lambda error, message: None, parent)
    words = FrequencyView(lambda: None, lambda: None, runner, parent)
    keywords = KeywordsView(lambda: None, lambda: None, runner, parent)
    words.show_result(WORDS)
    keywords.show_result(KeywordOutcome(KEYWORDS, "the rest of the library"))
    return words, keywords


def test_a_saved_list_has_the_command_lines_columns_and_values(
    qtbot: QtBot, tmp_path: Path
) -> None:
    words, keywords = views(qtbot)
    words.save_csv(tmp_path / "words.csv")
    keywords.save_csv(tmp_path / "keywords.csv")
    from_cli = io.StringIO(newline="")
    print_frequencies(WORDS, "csv", from_cli)
    assert (tmp_path / "words.csv").read_bytes().decode() == from_cli.getvalue()
    from_cli = io.StringIO(newline="")
    print_keywords(KEYWORDS, "the rest of the library", "csv", from_cli)
    assert (tmp_path / "keywords.csv").read_bytes().decode() == from_cli.getvalue()
    header = (tmp_path / "keywords.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header.startswith("rank,word,log_likelihood,log_ratio,count,reference_count")


class _FullDisk:
    """A word whose writing fails, as a write to a full disk does."""

    def __str__(self) -> str:
        raise OSError(28, "No space left on device")


def test_a_list_that_fails_to_save_leaves_the_file_as_it_was(qtbot: QtBot, tmp_path: Path) -> None:
    words, _ = views(qtbot)
    target = tmp_path / "words.csv"
    target.write_text("an earlier list\n", encoding="utf-8")
    failing = FrequencyRow(_FullDisk(), 1, 1, 1.0)  # type: ignore[arg-type]
    words.model.set_rows([(1, WORDS.rows[0]), (2, failing)])
    with pytest.raises(OSError):
        words.save_csv(target)
    assert target.read_text(encoding="utf-8") == "an earlier list\n"
    assert not [path for path in tmp_path.iterdir() if path.name.endswith(".part")]
    words.model.set_rows([(1, WORDS.rows[0])])
    words.save_csv(target)
    assert target.read_text(encoding="utf-8").startswith("rank,item,count,documents,per_million")
