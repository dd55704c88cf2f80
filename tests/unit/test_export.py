"""Export to JSON and JSONL: schema, streaming, atomic writes."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from pathlib import Path

import jsonschema
import pytest

from corpusdesk.core.errors import UserError
from corpusdesk.core.records import ArticleDetail
from corpusdesk.exporting.records import export_line, record_schema
from corpusdesk.exporting.writer import ExportCancelled, ExportFormat, export_articles
from corpusdesk.library.library import Library
from tests.factories import make_draft, paragraph
from tests.unit.test_export_lines import TAGS, add_tricky

REPO_SCHEMA = Path(__file__).resolve().parents[2] / "resources" / "article.schema.json"


@pytest.fixture
def filled(library: Library) -> Library:
    drafts = [make_draft(paragraph(seed), title=f"Story {seed}") for seed in range(3)]
    drafts.append(make_draft(paragraph(99), authors=(), published=None, site=""))
    library.add_drafts(drafts)
    library.add_tag([1, 2], "kept")
    return library


def test_jsonl_records_follow_the_schema(filled: Library, tmp_path: Path) -> None:
    target = tmp_path / "out.jsonl"
    assert export_articles(filled, filled.search_ids(), target) == 4
    records = [json.loads(line) for line in target.read_text("utf-8").splitlines()]
    schema = json.loads(REPO_SCHEMA.read_text("utf-8"))
    assert schema == record_schema()
    for record in records:
        jsonschema.validate(record, schema)
    assert records[0]["tags"] == ["kept"] and records[0]["title"] == "Story 0"
    assert records[3]["published"] is None and records[3]["authors"] == []


def test_json_is_one_array(filled: Library, tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    export_articles(filled, [2, 1], target)
    data = json.loads(target.read_text("utf-8"))
    assert [item["id"] for item in data] == [2, 1]
    empty = tmp_path / "empty.json"
    export_articles(filled, [], empty, ExportFormat.JSON)
    assert json.loads(empty.read_text("utf-8")) == []


class _FailingSource:
    def __init__(self, library: Library) -> None:
        self.library = library

    def iter_details(self, ids: Sequence[int]) -> Iterator[ArticleDetail]:
        yield from self.library.iter_details(ids[:1])
        raise OSError(28, "No space left on device")


def test_failed_export_leaves_no_file(filled: Library, tmp_path: Path) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    target = folder / "out.jsonl"
    target.write_text("previous export\n")
    with pytest.raises(UserError, match="disk is full"):
        export_articles(_FailingSource(filled), [1, 2], target)
    assert target.read_text() == "previous export\n"
    assert [p.name for p in folder.iterdir()] == ["out.jsonl"]


def test_cancelled_export_leaves_no_file(filled: Library, tmp_path: Path) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    with pytest.raises(ExportCancelled):
        export_articles(filled, [1, 2], folder / "out.jsonl", cancelled=lambda: True)
    assert list(folder.iterdir()) == []


def test_missing_folder_is_a_user_error(filled: Library, tmp_path: Path) -> None:
    with pytest.raises(UserError, match="does not exist"):
        export_articles(filled, [1], tmp_path / "nope" / "out.jsonl")


def test_each_backend_s_export_reader_writes_the_lines_of_the_details(
    library: Library,
) -> None:
    """The export readers build lines from pieces the database quotes; on both backends they
    are byte for byte the lines built one by one from each article's details, for articles
    whose every field is awkward (on a team library NUL is stored as U+FFFD either way)."""
    ids = add_tricky(library)
    wanted = [ids[3], 999_999, *ids, ids[0]]

    lines = list(library.iter_export(wanted))

    details = {detail.id: detail for detail in library.iter_details(ids)}
    assert lines == [export_line(details[i]).encode("utf-8") for i in wanted if i in details]
    assert json.loads(lines[1])["tags"] == sorted(TAGS, key=str.casefold)
