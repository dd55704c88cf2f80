"""CSV, Parquet and CSL-JSON exports, read back as analysts and citation tools read them."""

from __future__ import annotations

import csv
import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from corpusdesk import exporting
from corpusdesk.core.errors import UserError
from corpusdesk.exporting.csl import csl_name, item_type
from corpusdesk.exporting.parquet import ROW_GROUP_ROWS
from corpusdesk.exporting.records import FIELDS, record_schema
from corpusdesk.exporting.writer import (
    ExportCancelled,
    ExportFormat,
    ExportOptions,
    export_articles,
)
from corpusdesk.library.library import Library
from tests.factories import make_draft, paragraph

AWKWARD_TITLE = 'He said "no", then; left\nfor Zürich'
AWKWARD_TEXT = (
    'A "quoted" word, a comma, and a semicolon; then a line\nbreak inside a paragraph.\n\n'
    "Été à Zürich — naïve façade. 北京地铁十七号线北段今天上午正式开通运营。東京の予約。\n\n"
    'Last line with a trailing quote"\r\nand a carriage return.'
)

CSL_ITEM_SCHEMA: dict[str, Any] = {
    # The variables of the CSL-JSON schema (csl-data.json) that the export writes, with the
    # types that schema gives them.
    "type": "object",
    "additionalProperties": False,
    "required": ["id", "type", "title"],
    "properties": {
        "id": {"type": ["string", "number"]},
        "type": {"enum": ["article-newspaper", "article-magazine", "post-weblog", "webpage"]},
        "title": {"type": "string"},
        "author": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "properties": {
                    "family": {"type": "string"},
                    "given": {"type": "string"},
                    "literal": {"type": "string"},
                },
                "anyOf": [{"required": ["family"]}, {"required": ["literal"]}],
            },
        },
        "issued": {"$ref": "#/$defs/date"},
        "accessed": {"$ref": "#/$defs/date"},
        "container-title": {"type": "string"},
        "URL": {"type": "string"},
        "language": {"type": "string"},
        "abstract": {"type": "string"},
        "keyword": {"type": "string"},
    },
    "$defs": {
        "date": {
            "type": "object",
            "additionalProperties": False,
            "required": ["date-parts"],
            "properties": {
                "date-parts": {
                    "type": "array",
                    "minItems": 1,
                    "maxItems": 2,
                    "items": {
                        "type": "array",
                        "minItems": 1,
                        "maxItems": 3,
                        "items": {"type": ["integer", "string"]},
                    },
                }
            },
        }
    },
}


@pytest.fixture
def filled(library: Library) -> Library:
    drafts = [
        make_draft(
            AWKWARD_TEXT,
            title=AWKWARD_TITLE,
            authors=("Ann Writer", "Li Bo", "Reuters"),
            url="https://news.example.org/2024/story",
        ),
        make_draft(paragraph(1), title="Plain", site="", authors=(), published=None),
        make_draft(paragraph(2), title="Third", site="The Weekly Magazine"),
    ]
    library.add_drafts(drafts)
    library.add_tag([1], "café, culture")
    library.add_tag([1, 3], "北京")
    return library


def _json_records(library: Library, tmp_path: Path) -> list[dict[str, Any]]:
    target = tmp_path / "reference.jsonl"
    export_articles(library, library.search_ids(), target)
    return [json.loads(line) for line in target.read_text("utf-8").splitlines()]


def test_parquet_columns_are_typed(filled: Library, tmp_path: Path) -> None:
    target = tmp_path / "out.parquet"
    assert export_articles(filled, filled.search_ids(), target) == 3
    schema = pq.read_schema(target)
    assert schema.names == list(FIELDS) == list(record_schema()["properties"])
    assert schema.field("published").type == pa.date32()
    assert schema.field("modified").type == pa.date32()
    assert schema.field("authors").type == pa.list_(pa.string())
    assert schema.field("tags").type == pa.list_(pa.string())
    for name in ("id", "word_count", "duplicate_group"):
        assert schema.field(name).type == pa.int64()
    assert schema.field("imported_at").type == pa.timestamp("us", tz="UTC")
    assert schema.field("text").type == pa.string()

    rows = pq.read_table(target).to_pylist()
    reference = _json_records(filled, tmp_path)
    first = rows[0]
    assert first["text"] == AWKWARD_TEXT and first["title"] == AWKWARD_TITLE
    assert first["authors"] == ["Ann Writer", "Li Bo", "Reuters"]
    assert first["tags"] == ["café, culture", "北京"]
    assert first["published"] == dt.date(2023, 12, 17)
    assert first["imported_at"] == dt.datetime.fromisoformat(reference[0]["imported_at"])
    assert rows[1]["published"] is None and rows[1]["site_name"] is None
    assert rows[1]["authors"] == []

    frame = pd.read_parquet(target)
    assert len(frame) == 3 and list(frame["id"]) == [1, 2, 3]
    assert list(frame.loc[0, "tags"]) == ["café, culture", "北京"]


def test_parquet_is_written_in_row_groups(library: Library, tmp_path: Path) -> None:
    count = ROW_GROUP_ROWS + 5
    library.add_drafts([make_draft(paragraph(seed, 20)) for seed in range(count)])
    target = tmp_path / "many.parquet"
    export_articles(library, library.search_ids(), target)
    parquet = pq.ParquetFile(target)
    assert parquet.metadata.num_rows == count and parquet.metadata.num_row_groups == 2


def test_csv_round_trips_awkward_text(filled: Library, tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    export_articles(filled, filled.search_ids(), target)
    raw = target.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")
    reference = _json_records(filled, tmp_path)

    with target.open(encoding="utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream))
    assert len(rows) == 3 and list(rows[0]) == list(FIELDS)
    assert rows[0]["text"] == AWKWARD_TEXT and rows[0]["title"] == AWKWARD_TITLE
    assert rows[0]["authors"] == "Ann Writer; Li Bo; Reuters"
    assert rows[0]["tags"] == "café, culture; 北京"
    assert rows[1]["published"] == "" and rows[1]["authors"] == ""
    for row, record in zip(rows, reference, strict=True):
        assert row["sha256"] == record["sha256"] and row["imported_at"] == record["imported_at"]

    frame = pd.read_csv(target, keep_default_na=False)
    assert list(frame["text"]) == [record["text"] for record in reference]
    assert list(frame["word_count"]) == [record["word_count"] for record in reference]


def test_csv_bom_only_when_asked(filled: Library, tmp_path: Path) -> None:
    target = tmp_path / "excel.csv"
    export_articles(filled, filled.search_ids(), target, options=ExportOptions(bom=True))
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfid,title,")
    frame = pd.read_csv(target, encoding="utf-8-sig", keep_default_na=False)
    assert frame.columns[0] == "id" and frame.loc[0, "text"] == AWKWARD_TEXT
    with pytest.raises(UserError, match="CSV exports only"):
        export_articles(filled, [1], tmp_path / "x.jsonl", options=ExportOptions(bom=True))


def test_chosen_fields_in_every_tabular_format(filled: Library, tmp_path: Path) -> None:
    fields = ("title", "id", "tags", "published")
    options = ExportOptions(fields=fields)
    ids = filled.search_ids()
    export_articles(filled, ids, tmp_path / "f.csv", options=options)
    export_articles(filled, ids, tmp_path / "f.parquet", options=options)
    export_articles(filled, ids, tmp_path / "f.jsonl", options=options)
    assert list(pd.read_csv(tmp_path / "f.csv").columns) == list(fields)
    assert pq.read_schema(tmp_path / "f.parquet").names == list(fields)
    lines = (tmp_path / "f.jsonl").read_text("utf-8").splitlines()
    assert [list(json.loads(line)) for line in lines] == [list(fields)] * 3
    with pytest.raises(UserError, match="CSL-JSON"):
        export_articles(filled, ids, tmp_path / "f.csl.json", options=options)


def test_csl_json_items_follow_the_schema(filled: Library, tmp_path: Path) -> None:
    target = tmp_path / "refs.csl.json"
    assert export_articles(filled, filled.search_ids(), target) == 3
    items = json.loads(target.read_text("utf-8"))
    for item in items:
        jsonschema.validate(item, CSL_ITEM_SCHEMA)
    record = _json_records(filled, tmp_path)[0]
    captured = dt.datetime.fromisoformat(record["captured_at"] or record["imported_at"])
    assert items[0] == {
        "id": "corpusdesk-1",
        "type": "article-newspaper",
        "title": AWKWARD_TITLE,
        "author": [
            {"family": "Writer", "given": "Ann"},
            {"family": "Bo", "given": "Li"},
            {"literal": "Reuters"},
        ],
        "issued": {"date-parts": [[2023, 12, 17]]},
        "container-title": "Example Times",
        "URL": "https://news.example.org/2024/story",
        "accessed": {"date-parts": [[captured.year, captured.month, captured.day]]},
        "language": "en",
        "keyword": "café, culture, 北京",
    }
    assert items[1]["type"] == "webpage" and "author" not in items[1] and "issued" not in items[1]
    assert items[2]["type"] == "article-magazine"


def test_csl_json_with_the_json_extension_when_asked(filled: Library, tmp_path: Path) -> None:
    target = tmp_path / "refs.json"
    export_articles(filled, [2], target, ExportFormat.CSL_JSON)
    assert json.loads(target.read_text("utf-8"))[0]["id"] == "corpusdesk-2"


def test_csl_names_and_types() -> None:
    assert csl_name("Writer, Ann") == {"family": "Writer", "given": "Ann"}
    assert csl_name("Mary Ann van Dyke") == {"family": "Dyke", "given": "Mary Ann van"}
    assert csl_name("王小明") == {"literal": "王小明"}
    blog = {"site_name": "", "url": "https://someone.substack.com/p/x", "published": None}
    assert item_type(blog) == "post-weblog"
    assert item_type({"site_name": "Tech Blog", "url": None, "published": "2024-01-01"}) == (
        "post-weblog"
    )
    paper = {"site_name": "Gazette", "url": "https://g.example/a", "published": "2024-01-01"}
    assert item_type(paper) == "article-newspaper"


@pytest.mark.parametrize("name", ["empty.csv", "empty.parquet", "empty.csl.json"])
def test_empty_exports_are_valid(library: Library, tmp_path: Path, name: str) -> None:
    target = tmp_path / name
    assert export_articles(library, [], target) == 0
    if name.endswith(".csv"):
        assert target.read_text("utf-8").splitlines() == [",".join(FIELDS)]
    elif name.endswith(".parquet"):
        assert pq.read_table(target).num_rows == 0
    else:
        assert json.loads(target.read_text("utf-8")) == []


@pytest.mark.parametrize("name", ["out.csv", "out.parquet", "out.csl.json"])
def test_cancelled_export_leaves_no_file(filled: Library, tmp_path: Path, name: str) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    with pytest.raises(ExportCancelled):
        export_articles(filled, [1, 2], folder / name, cancelled=lambda: True)
    assert list(folder.iterdir()) == []


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("a.csv", ExportFormat.CSV),
        ("a.PARQUET", ExportFormat.PARQUET),
        ("a.csl.json", ExportFormat.CSL_JSON),
        ("a.json", ExportFormat.JSON),
        ("a.jsonl", ExportFormat.JSONL),
        ("a.txt", ExportFormat.JSONL),
    ],
)
def test_format_follows_the_extension(name: str, fmt: ExportFormat) -> None:
    assert ExportFormat.for_path(Path(name)) is fmt


def test_without_pyarrow_parquet_is_a_clear_error_and_nothing_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The packaged app leaves pyarrow out: Parquet says so, every other format works."""
    monkeypatch.setitem(sys.modules, "corpusdesk.exporting.parquet", None)
    monkeypatch.delattr(exporting, "parquet", raising=False)
    with Library.open(tmp_path / "lib.corpusdesk.db") as library:
        ids = [r.article_id for r in library.add_drafts([make_draft("Harbour news " * 20)])]
        target = tmp_path / "out.parquet"
        with pytest.raises(UserError, match="pyarrow"):
            export_articles(library, ids, target)
        assert not target.exists() and list(tmp_path.glob("*.parquet*")) == []
        export_articles(library, ids, tmp_path / "out.csv")
        assert (tmp_path / "out.csv").read_text(encoding="utf-8").startswith("id,")
