"""File names that are not plain text through the CLI import: stored, logged and reported.

A name that is not valid UTF-8 reaches Python with surrogate escapes; names may also hold
tabs, newlines and backslashes. Each must import like any other file, the ``--log`` must keep
one record of four fields per file from which the exact name comes back, and the library must
store the name as valid text.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from corpusdesk.cli import main
from corpusdesk.core.names import escape_field, readable_name, unescape_field
from corpusdesk.library.library import Library
from tests.awkward import FOLDER_NAMES, PAGE_NAMES
from tests.factories import article_page

AWKWARD = ("latin-1 bytes", "invalid utf-8 tail", "newline", "tab", "control characters")


def _log_records(log: Path) -> list[list[str]]:
    text = log.read_text(encoding="utf-8")
    assert text.endswith("\n")
    return [line.split("\t") for line in text[:-1].split("\n")]


def test_names_that_are_not_utf8_or_hold_tabs_and_newlines_import_and_log_one_line_each(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "pages"
    folder.mkdir()
    written = {folder / PAGE_NAMES[kind] for kind in AWKWARD}
    written.add(folder / "back\\slash.html")
    for seed, path in enumerate(sorted(written)):
        path.write_text(article_page(seed), encoding="utf-8")
    broken = folder / os.fsdecode(b"broken \xff\\ page.html")
    broken.write_bytes(b"\x00\x01\x02" * 100)
    db, log = tmp_path / "names.db", tmp_path / "import.log"

    status = main(["--library", str(db), "import", "--quiet", "--log", str(log), str(folder)])

    out = capsys.readouterr().out
    assert status == 1 and f"{len(written)} imported, 0 already in the library, 1 failed" in out
    assert f"failed: {escape_field(str(broken))}: " in out
    records = _log_records(log)
    assert all(len(fields) == 4 for fields in records), records
    logged = {Path(unescape_field(path)): outcome for outcome, _id, path, _reason in records}
    assert logged == {**dict.fromkeys(written, "imported"), broken: "failed"}
    with Library.open(db) as library:
        stored = {detail.source_path for detail in library.iter_details(library.search_ids())}
        [run] = library.import_runs()
        reported = {Path(r.path) for r in library.import_report(run.id).results}
    assert stored == {readable_name(str(path)) for path in written}
    assert reported == {*written, broken}


@pytest.mark.parametrize("name", [*PAGE_NAMES.values(), *FOLDER_NAMES.values(), "a\\x41\\n"])
def test_escaped_names_are_one_field_and_come_back_exactly(name: str) -> None:
    field = escape_field(name)
    assert not set(field) & {"\t", "\n", "\r", "\x85", "\u2028", "\u2029"}
    field.encode("utf-8")
    assert unescape_field(field) == name


@given(st.binary(min_size=1, max_size=40))
def test_any_file_name_bytes_round_trip_through_the_log_form(raw: bytes) -> None:
    name = os.fsdecode(raw)
    field = escape_field(name)
    assert "\t" not in field and "\n" not in field
    assert os.fsencode(unescape_field(field)) == raw
    readable_name(name).encode("utf-8")
