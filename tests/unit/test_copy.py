"""Copying a library between backends (``corpusdesk copy``), against the test session's server."""

from __future__ import annotations

import dataclasses
import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest

from corpusdesk.core.errors import UserError
from corpusdesk.core.locations import LibraryLocation, ServerAddress
from corpusdesk.core.records import EmbeddedResource, FileResult, ImportReport, Outcome
from corpusdesk.library.articles import Scope
from corpusdesk.library.library import Library
from corpusdesk.library.transfer import copy_library
from tests.factories import make_draft, paragraph
from tests.postgres import TestServer

QUERIES = (
    "council",
    '"town hall"',
    "budg*",
    "tag:reviewed",
    "title:winter -tag:reviewed",
    "title:edited OR author:itor",
    "lang:fr",
)


def _fill(library: Library) -> None:
    """Articles imported and bulk-added, with a group of copies, images, tags with colours,
    a saved search, an edit, a trashed article, an import report and a NUL character."""
    drafts = [
        make_draft(paragraph(seed), title=f"Winter story {seed}", site=f"Site {seed % 3}")
        for seed in range(12)
    ]
    drafts.append(
        dataclasses.replace(
            make_draft(paragraph(100), title="With an image"),
            resources=(EmbeddedResource("img/a.png", "image/png", b"\x89PNG\x00\x01bytes"),),
        )
    )
    results = library.add_drafts(drafts)
    bulk = [
        make_draft(paragraph(200 + seed), title=f"Harbour news {seed}", language="fr")
        for seed in range(8)
    ]
    # The same text from another page: a republication, which joins a group of copies.
    bulk.append(make_draft(paragraph(3), title="Winter story 3 again", raw=b"<html>other</html>"))
    bulk.append(make_draft("Town hall minutes\x00 with a NUL character", title="Odd\x00one"))
    results += library.bulk_add(bulk)
    ids = [result.article_id for result in results if result.article_id is not None]
    library.create_tag("Reviewed", "#ff8800")
    library.add_tag(ids[:5], "Reviewed")
    library.add_tag(ids[3:9], "Budget cuts")
    library.set_tag_color("Budget cuts", "#0044cc")
    library.create_tag("unused")
    library.save_search("Cuts", "budget -tag:reviewed")
    library.update_metadata(ids[1], {"title": "An edited title", "authors": ["Ed Itor"]})
    library.trash([ids[2]])
    started = dt.datetime(2024, 5, 1, 12, 30, 15, 123456)
    report = ImportReport(
        started_at=started,
        finished_at=started + dt.timedelta(seconds=42),
        results=[FileResult("/pages/a.html", Outcome.IMPORTED, ids[0])],
        sources=("/pages",),
    )
    library.save_import_report(report)


@pytest.fixture
def original(tmp_path: Path) -> Path:
    path = tmp_path / "original.corpusdesk.db"
    with Library.open(path) as library:
        _fill(library)
    return path


def _export(location: LibraryLocation, target: Path) -> bytes:
    result = subprocess.run(
        [sys.executable, "-m", "corpusdesk", "--library", str(location), "export", "-o",
         str(target)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return target.read_bytes()


def _search_results(location: LibraryLocation) -> dict[str, list[int]]:
    with Library.open(location, create=False) as library:
        found = {query: sorted(library.search_ids(query)) for query in QUERIES}
        found["trash"] = sorted(library.search_ids("", scope=Scope.TRASH))
        return found


def test_file_to_server_and_back_keeps_everything(
    original: Path, team_address: ServerAddress, tmp_path: Path
) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "corpusdesk", "copy", str(original), str(team_address)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "verified" in result.stdout
    assert "text fields held NUL characters" in result.stdout, result.stdout

    back = tmp_path / "back.corpusdesk.db"
    with Library.open(team_address) as team, Library.open(back) as copy:
        report = copy_library(team, copy)
    assert report.articles == 23
    assert report.rows["resources"] == 1 and report.rows["import_runs"] == 1

    expected = _export(original, tmp_path / "original.jsonl")
    assert expected.count(b"\n") == 22
    # The server stores NUL as U+FFFD; the rest of every line is the same.
    expected = expected.replace(b"\\u0000", "\ufffd".encode())
    assert _export(team_address, tmp_path / "team.jsonl") == expected
    assert _export(back, tmp_path / "back.jsonl") == expected
    searches = _search_results(original)
    assert searches["trash"] and all(searches.values())
    assert _search_results(team_address) == searches
    assert _search_results(back) == searches

    with Library.open(original) as source, Library.open(team_address) as team:
        assert team.tags() == source.tags()
        assert team.saved_searches() == source.saved_searches()
        assert team.import_runs() == source.import_runs()
        assert team.preview_html(13) == source.preview_html(13)
        groups = {row.duplicate_group for row in team.rows(range(1, 24)).values()} - {None}
        assert len(groups) == 1
        # New rows on the server take ids after the copied ones.
        team.create_tag("After the copy")
        assert max(tag.id for tag in team.tags()) == len(source.tags()) + 1
        new = team.add_drafts([make_draft(paragraph(999), title="Added later")])
        assert new[0].article_id == 24


def test_server_to_server(original: Path, postgres_server: TestServer) -> None:
    first = postgres_server.address(postgres_server.new_database())
    second = postgres_server.address(postgres_server.new_database(library=False))
    try:
        with Library.open(original) as source, Library.open(first) as team:
            copy_library(source, team)
        with Library.open(first) as team, Library.open(second) as other:
            report = copy_library(team, other)
            assert report.nul_replaced == 0
            assert other.stats() == dataclasses.replace(
                team.stats(), file_size=other.stats().file_size
            )
        assert _search_results(second) == _search_results(first)
    finally:
        postgres_server.drop_database(first.database)
        postgres_server.drop_database(second.database)


def test_file_to_file(original: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy.corpusdesk.db"
    with Library.open(original) as source, Library.open(copy) as destination:
        report = copy_library(source, destination)
    assert report.nul_replaced == 0
    assert _export(copy, tmp_path / "copy.jsonl") == _export(original, tmp_path / "orig.jsonl")
    assert _search_results(copy) == _search_results(original)


def test_a_library_that_holds_anything_is_refused(
    original: Path, team_address: ServerAddress, tmp_path: Path
) -> None:
    with Library.open(team_address) as team:
        team.create_tag("already here")
    with (
        Library.open(original) as source,
        Library.open(team_address) as team,
        pytest.raises(UserError, match=r"not empty.*1 tag"),
    ):
        copy_library(source, team)
    with Library.open(team_address) as team:
        assert [tag.name for tag in team.tags()] == ["already here"]
        assert team.count() == 0

    result = subprocess.run(
        [sys.executable, "-m", "corpusdesk", "copy", str(original), str(original)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 2
    assert "same library" in result.stderr
    other = tmp_path / "other.corpusdesk.db"
    with Library.open(original) as source, Library.open(other) as destination:
        copy_library(source, destination)
        with pytest.raises(UserError, match="not empty"):
            copy_library(source, destination)
