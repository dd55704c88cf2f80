"""``corpusdesk export`` options: formats by name or extension, --fields, --bom, --one-per-group."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from corpusdesk.cli import main
from corpusdesk.exporting.records import FIELDS, export_line
from corpusdesk.library.dialects import sqlite_export
from corpusdesk.library.library import Library
from tests.factories import make_draft, paragraph
from tests.unit.test_export_lines import record_snapshots


def _body(seed: int) -> str:
    return "\n\n".join(paragraph(seed * 10 + part) for part in range(4))


@pytest.fixture
def grouped(tmp_path: Path) -> Path:
    """A library of an original, a later and longer republication of it, and another article."""
    path = tmp_path / "grouped.corpusdesk.db"
    body = _body(1)
    with Library.open(path) as library:
        results = library.add_drafts(
            [
                make_draft(body, title="Original", site="First", published=dt.date(2023, 5, 1)),
                make_draft(
                    "Spread the word.\n\n" + body + "\n\nLeave a comment below, please.",
                    title="Republished",
                    site="Mirror",
                    published=dt.date(2024, 2, 1),
                ),
                make_draft(_body(2), title="Unrelated", site="Mirror"),
            ]
        )
        assert results[1].near_duplicate_of == results[0].article_id
    return path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def _titles(target: Path) -> list[str]:
    return [json.loads(line)["title"] for line in target.read_text("utf-8").splitlines()]


def test_one_per_group_keeps_the_earliest_or_the_longest(
    grouped: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(grouped)
    everything = tmp_path / "all.jsonl"
    assert run(capsys, "--library", db, "export", "-o", str(everything))[0] == 0
    assert sorted(_titles(everything)) == ["Original", "Republished", "Unrelated"]

    earliest = tmp_path / "earliest.jsonl"
    status, out, _ = run(
        capsys, "--library", db, "export", "--one-per-group", "earliest", "-o", str(earliest)
    )
    assert status == 0 and "exported 2 articles" in out
    assert sorted(_titles(earliest)) == ["Original", "Unrelated"]

    longest = tmp_path / "longest.parquet"
    status, _, _ = run(
        capsys, "--library", db, "export", "--one-per-group=longest", "-o", str(longest)
    )
    assert status == 0
    assert sorted(pq.read_table(longest, columns=["title"])["title"].to_pylist()) == [
        "Republished",
        "Unrelated",
    ]


def test_one_per_group_chooses_among_the_exported_articles(
    grouped: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "mirror.jsonl"
    status, _, _ = run(
        capsys,
        "--library",
        str(grouped),
        "export",
        "site:mirror",
        "--one-per-group",
        "earliest",
        "-o",
        str(target),
    )
    assert status == 0 and sorted(_titles(target)) == ["Republished", "Unrelated"]


def test_fields_choose_the_columns(
    grouped: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "few.csv"
    status, _, _ = run(
        capsys,
        "--library",
        str(grouped),
        "export",
        "--fields",
        "id, title,published,tags",
        "--bom",
        "-o",
        str(target),
    )
    assert status == 0 and target.read_bytes().startswith(b"\xef\xbb\xbfid,title,published,tags")
    frame = pd.read_csv(target, encoding="utf-8-sig")
    assert list(frame.columns) == ["id", "title", "published", "tags"] and len(frame) == 3


def test_unknown_field_is_one_line_listing_the_valid_ones(
    grouped: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "bad.csv"
    status, _, err = run(
        capsys, "--library", str(grouped), "export", "--fields", "id,headline", "-o", str(target)
    )
    assert status == 2 and err.count("\n") == 1
    assert "unknown field headline" in err and f"valid fields: {', '.join(FIELDS)}" in err
    assert not target.exists()


def test_format_by_name_or_extension(
    grouped: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(grouped)
    csl = tmp_path / "refs.json"
    assert run(capsys, "--library", db, "export", "--format", "csl-json", "-o", str(csl))[0] == 0
    assert {item["type"] for item in json.loads(csl.read_text("utf-8"))} == {"article-newspaper"}
    table = tmp_path / "table.csv"
    assert run(capsys, "--library", db, "export", "-tag:none", "-o", str(table))[0] == 0
    assert len(pd.read_csv(table)) == 3
    status, _, err = run(capsys, "--library", db, "export", "--bom", "-o", str(tmp_path / "x.json"))
    assert status == 2 and "CSV exports only" in err


def test_a_large_export_read_by_two_threads_writes_every_line_in_order(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Through the real command and library file: more batches than an export reads alone,
    so two reader threads share the work; the lines are those built one by one from each
    article's details, in the order asked for."""
    path = tmp_path / "large #1.corpusdesk.db"
    batches = sqlite_export.PARALLEL_FROM_BATCHES + 3
    count = batches * sqlite_export.EXPORT_BATCH + 7
    drafts = [
        make_draft(f"{paragraph(seed)}\n\nNumber {seed}.", title=f"Article {seed}", url=None)
        for seed in range(count)
    ]
    snapshots = record_snapshots(monkeypatch)
    with Library.open(path) as library:
        library.bulk_add(drafts)
        ids = library.search_ids("")
        expected = [export_line(detail) for detail in library.iter_details(ids)]
    target = tmp_path / "out #1.jsonl"

    status, _out, _err = run(capsys, "--library", str(path), "export", "-o", str(target))

    assert status == 0
    assert target.read_text("utf-8").splitlines() == expected
    assert len(expected) == count and snapshots == [True]
