"""Snapshots out of a Zotero data folder built with the tables Zotero keeps."""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from contextlib import closing
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from corpusdesk.importing.sources import CapturedPage, CaptureMetadata, PageFailure, identity
from corpusdesk.importing.sources import zotero_reader as reader
from corpusdesk.importing.sources.zotero import SOURCE
from corpusdesk.importing.sources.zotero_reader import _published, iter_zotero_snapshots
from tests.zotero_folders import ZoteroFolder

HARBOUR = b"<html><head><title>Harbour reopens</title></head><body><p>Ships</p></body></html>"
BUDGET = "<html><body><p>Le budget a été reporté</p></body></html>".encode("cp1252")
LONE = b"<html><body><p>Loose page</p></body></html>"


def _fill(zotero: ZoteroFolder) -> None:
    # A web page whose only creator is a contributor with a one-field name.
    zotero.item(
        1,
        "WEBPAGE1",
        "webpage",
        title="Harbour reopens",
        url="https://example.com/harbour",
        date="2023-12-17 December 17, 2023",
    )
    zotero.creator(1, 0, "contributor", "", "Harbour Authority")
    zotero.tag(1, "ports")
    zotero.attachment(
        2,
        "SNAPAAAA",
        1,
        "Harbour reopens.html",
        HARBOUR,
        title="Snapshot",
        url="https://example.com/harbour?utm_source=feed",
        accessDate="2023-12-18 09:30:00",
    )
    zotero.tag(2, "saved-by-connector", automatic=True)
    # A newspaper article with two authors (and an editor), tags and two collections.
    zotero.item(
        3,
        "NEWSART1",
        "newspaperArticle",
        title="Budget vote delayed",
        url="https://news.example.fr/budget",
        date="2023-12-00 December 2023",
        publicationTitle="Le Quotidien",
    )
    zotero.creator(3, 0, "author", "Jeanne", "Dupont")
    zotero.creator(3, 1, "editor", "Paul", "Martin")
    zotero.creator(3, 2, "author", "Ana", "da Silva")
    zotero.tag(3, "politics")
    zotero.tag(3, "budget")
    zotero.attachment(4, "SNAPBBBB", 3, "budget.html", BUDGET, link_mode=0, charset=2)
    zotero.attachment(5, "PDFCCCCC", 3, "budget.pdf", b"%PDF-1.4", content_type="application/pdf")
    zotero.collection(1, "Reading list", 3, 8)
    zotero.collection(2, "Economy", 3)
    zotero.collection(3, "Old stuff", 3)
    zotero.db.execute("INSERT INTO deletedCollections (collectionID) VALUES (3)")
    # An item whose snapshot file is gone.
    zotero.item(6, "MISSING1", "report", title="Lost page")
    zotero.attachment(7, "SNAPDDDD", 6, "page.html", None)
    # A snapshot saved on its own, with no parent item.
    zotero.attachment(
        8,
        "LONE0001",
        None,
        "index.html",
        LONE,
        charset=None,
        added="2024-01-02 03:04:05",
        title="Standalone page",
        url="https://example.org/lone",
    )
    zotero.tag(8, "loose")
    # Left out: an item in the trash, and a link to a page with no stored file.
    zotero.item(9, "TRASHED1", "webpage", title="Deleted")
    zotero.attachment(10, "SNAPTRSH", 9, "deleted.html", b"<html>deleted</html>")
    zotero.db.execute("INSERT INTO deletedItems (itemID) VALUES (9)")
    zotero.attachment(11, "LINKONLY", 1, None, None, link_mode=3)


@pytest.fixture
def zotero(tmp_path: Path) -> Iterator[ZoteroFolder]:
    folder = ZoteroFolder(tmp_path / "Zotero")
    _fill(folder)
    yield folder
    folder.db.close()


def _expected(folder: Path) -> list[CapturedPage | PageFailure]:
    """What the folder :func:`_fill` fills gives, in order."""
    return [
        CapturedPage(
            data=HARBOUR,
            name="Harbour reopens.html",
            source_path=str(folder),
            member="storage/SNAPAAAA/Harbour reopens.html",
            url="https://example.com/harbour",
            captured_at=datetime(2023, 12, 18, 9, 30, 0, tzinfo=UTC),
            charset="utf-8",
            metadata=CaptureMetadata(
                title="Harbour reopens",
                authors=("Harbour Authority",),
                published=date(2023, 12, 17),
                tags=("ports", "saved-by-connector"),
            ),
        ),
        CapturedPage(
            data=BUDGET,
            name="budget.html",
            source_path=str(folder),
            member="storage/SNAPBBBB/budget.html",
            url="https://news.example.fr/budget",
            captured_at=datetime(2023, 12, 18, 9, 30, 5, tzinfo=UTC),
            charset="windows-1252",
            metadata=CaptureMetadata(
                title="Budget vote delayed",
                authors=("Jeanne Dupont", "Ana da Silva"),
                published=None,  # December 2023: no day
                tags=("budget", "politics", "Economy", "Reading list"),
            ),
        ),
        PageFailure(
            str(folder),
            "the snapshot of “Lost page” (MISSING1) is missing: storage/SNAPDDDD/page.html",
            "storage/SNAPDDDD/page.html",
        ),
        CapturedPage(
            data=LONE,
            name="index.html",
            source_path=str(folder),
            member="storage/LONE0001/index.html",
            url="https://example.org/lone",
            captured_at=datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC),
            charset=None,
            metadata=CaptureMetadata(title="Standalone page", tags=("loose", "Reading list")),
        ),
    ]


def _listing(folder: Path) -> dict[str, tuple[int, int]]:
    return {
        str(path.relative_to(folder)): (path.stat().st_size, path.stat().st_mtime_ns)
        for path in sorted(folder.rglob("*"))
    }


def _copied_files(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the files the reader copies, as it copies them."""
    copied: list[str] = []
    real_copy = shutil.copyfile

    def copy(source: Path, target: Path) -> object:
        copied.append(Path(source).name)
        return real_copy(source, target)

    monkeypatch.setattr(shutil, "copyfile", copy)
    return copied


def test_every_snapshot_with_its_item_metadata(
    zotero: ZoteroFolder, monkeypatch: pytest.MonkeyPatch
) -> None:
    copied = _copied_files(monkeypatch)
    before = _listing(zotero.folder)
    assert list(iter_zotero_snapshots(zotero.folder)) == _expected(zotero.folder)
    assert _listing(zotero.folder) == before
    assert copied == []  # copied with SQLite's backup


def test_collections_can_be_left_out_of_the_tags(zotero: ZoteroFolder) -> None:
    outcomes = list(iter_zotero_snapshots(zotero.folder, collections_as_tags=False))
    tags = [o.metadata.tags for o in outcomes if isinstance(o, CapturedPage)]
    assert tags == [("ports", "saved-by-connector"), ("budget", "politics"), ("loose",)]


def test_a_locked_database_is_read_from_a_copy_of_the_file(
    zotero: ZoteroFolder, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(reader, "LOCK_WAIT_SECONDS", 0.05)
    copied = _copied_files(monkeypatch)
    zotero.db.execute("PRAGMA locking_mode=EXCLUSIVE")
    zotero.db.execute("BEGIN EXCLUSIVE")
    try:
        before = _listing(zotero.folder)
        assert list(iter_zotero_snapshots(zotero.folder)) == _expected(zotero.folder)
        assert _listing(zotero.folder) == before
        assert copied == ["zotero.sqlite"]
    finally:
        zotero.db.execute("COMMIT")


def test_a_write_ahead_log_not_yet_checkpointed_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    copied = _copied_files(monkeypatch)
    zotero = ZoteroFolder(tmp_path / "Zotero", journal_mode="WAL")
    zotero.db.execute("PRAGMA wal_autocheckpoint=0")
    try:
        _fill(zotero)
        assert (zotero.folder / "zotero.sqlite-wal").stat().st_size > 0
        before = _listing(zotero.folder)
        assert list(iter_zotero_snapshots(zotero.folder)) == _expected(zotero.folder)
        assert _listing(zotero.folder) == before
        assert copied == ["zotero.sqlite", "zotero.sqlite-wal"]
    finally:
        zotero.db.close()


def test_an_unsafe_or_missing_stored_path_fails_alone(zotero: ZoteroFolder) -> None:
    zotero.item(20, "ESCAPE01", "webpage", title="Escape")
    zotero.attachment(21, "SNAPESC1", 20, "../../secret.html", None)
    zotero.db.execute("UPDATE itemAttachments SET path = 'storage:' WHERE itemID = 7")
    outcomes = list(iter_zotero_snapshots(zotero.folder))
    failures = [outcome for outcome in outcomes if isinstance(outcome, PageFailure)]
    folder = str(zotero.folder)
    assert failures == [
        PageFailure(
            folder,
            "the snapshot of “Lost page” (MISSING1) has no stored file",
            "storage/SNAPDDDD/",
        ),
        PageFailure(
            folder, "the snapshot of “Escape” (ESCAPE01) has no stored file", "storage/SNAPESC1/"
        ),
    ]
    assert len(outcomes) == 5


def test_snapshots_that_are_no_readable_file_fail_alone(zotero: ZoteroFolder) -> None:
    budget = zotero.folder / "storage" / "SNAPBBBB" / "budget.html"
    budget.unlink()
    budget.mkdir()
    harbour = zotero.folder / "storage" / "SNAPAAAA" / "Harbour reopens.html"
    outcomes = list(iter_zotero_snapshots(zotero.folder, skip={identity(harbour.stat())}))
    reasons = [(o.member, o.reason) for o in outcomes if isinstance(o, PageFailure)]
    assert reasons[:2] == [
        ("storage/SNAPAAAA/Harbour reopens.html", "is the corpusdesk library itself"),
        (
            "storage/SNAPBBBB/budget.html",
            "the snapshot of “Budget vote delayed” (NEWSART1) is not a regular file",
        ),
    ]
    assert [o.name for o in outcomes if isinstance(o, CapturedPage)] == ["index.html"]


def test_closing_the_iteration_removes_the_copy_of_the_database(
    zotero: ZoteroFolder, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    outcomes = iter_zotero_snapshots(zotero.folder)
    assert next(outcomes) == _expected(zotero.folder)[0]
    assert [copy.name for copy in scratch.glob("*/*")] == ["zotero.sqlite"]
    outcomes.close()  # as an import does when it is cancelled
    assert list(scratch.iterdir()) == []


def test_folders_that_are_not_zotero_fail_without_raising(tmp_path: Path) -> None:
    folder = tmp_path / "NotZotero"
    (folder / "storage").mkdir(parents=True)
    (folder / "zotero.sqlite").write_bytes(b"this is no database" * 100)
    [failure] = list(iter_zotero_snapshots(folder))
    assert isinstance(failure, PageFailure) and failure.member == "zotero.sqlite"
    assert failure.label == str(folder / "zotero.sqlite")
    (folder / "zotero.sqlite").unlink()
    with closing(sqlite3.connect(folder / "zotero.sqlite")) as db:
        db.execute("CREATE TABLE items (itemID INTEGER PRIMARY KEY)")
    [failure] = list(iter_zotero_snapshots(folder))
    assert failure == PageFailure(
        str(folder),
        "the Zotero database cannot be read: "
        "it has no itemAttachments, itemData, itemDataValues, fields table",
        "zotero.sqlite",
    )
    [failure] = list(iter_zotero_snapshots(tmp_path))
    assert isinstance(failure, PageFailure) and failure.reason.startswith("not a Zotero")
    assert (failure.source_path, failure.member) == (str(tmp_path), None)


def test_zotero_data_folders_are_claimed(tmp_path: Path, zotero: ZoteroFolder) -> None:
    assert SOURCE.claims(zotero.folder, None)
    assert not SOURCE.claims(tmp_path, None)
    assert not SOURCE.claims(zotero.folder / "zotero.sqlite", None)
    bare = tmp_path / "bare"
    bare.mkdir()
    (bare / "zotero.sqlite").write_bytes(b"")
    assert not SOURCE.claims(bare, None)


def test_the_snapshots_are_counted_from_the_storage_folder(zotero: ZoteroFolder) -> None:
    # Those of the harbour, the budget, the loose page and the trashed item; not the PDF.
    assert SOURCE.count(zotero.folder) == 4
    assert SOURCE.count(zotero.folder / "storage") is None


@pytest.mark.parametrize(
    ("stored", "published"),
    [
        ("2023-12-17 December 17, 2023", date(2023, 12, 17)),
        ("2023-12-17 17/12/2023", date(2023, 12, 17)),
        ("2023-12-17", date(2023, 12, 17)),
        ("2023-12-00 December 2023", None),
        ("2023-00-00 2023", None),
        ("2023-02-30 30 February 2023", None),
        ("0000-00-00 Winter issue", None),
        ("sometime last year", None),
        ("", None),
        (None, None),
    ],
)
def test_item_dates_are_taken_when_the_day_is_known(
    stored: str | None, published: date | None
) -> None:
    assert _published(stored) == published
