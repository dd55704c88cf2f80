"""Snapshots out of a Zotero data folder built here with the tables Zotero keeps."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

import pytest

from corpusdesk.importing import zotero_reader
from corpusdesk.importing.captured import CapturedPage, CaptureFailure
from corpusdesk.importing.zotero_reader import _published, claims, iter_zotero_snapshots

SCHEMA = """
CREATE TABLE itemTypes (itemTypeID INTEGER PRIMARY KEY, typeName TEXT);
CREATE TABLE items (
    itemID INTEGER PRIMARY KEY, itemTypeID INT NOT NULL,
    dateAdded TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    dateModified TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    clientDateModified TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    libraryID INT NOT NULL, key TEXT NOT NULL, version INT NOT NULL DEFAULT 0,
    synced INT NOT NULL DEFAULT 0, UNIQUE (libraryID, key));
CREATE TABLE fields (fieldID INTEGER PRIMARY KEY, fieldName TEXT, fieldFormatID INT);
CREATE TABLE itemDataValues (valueID INTEGER PRIMARY KEY, value UNIQUE);
CREATE TABLE itemData (itemID INT, fieldID INT, valueID, PRIMARY KEY (itemID, fieldID));
CREATE TABLE charsets (charsetID INTEGER PRIMARY KEY, charset TEXT UNIQUE);
CREATE TABLE itemAttachments (
    itemID INTEGER PRIMARY KEY, parentItemID INT, linkMode INT, contentType TEXT,
    charsetID INT, path TEXT, syncState INT DEFAULT 0, storageModTime INT, storageHash TEXT,
    lastProcessedModificationTime INT);
CREATE TABLE creatorTypes (creatorTypeID INTEGER PRIMARY KEY, creatorType TEXT);
CREATE TABLE creators (
    creatorID INTEGER PRIMARY KEY, firstName TEXT, lastName TEXT, fieldMode INT,
    UNIQUE (lastName, firstName, fieldMode));
CREATE TABLE itemCreators (
    itemID INT NOT NULL, creatorID INT NOT NULL, creatorTypeID INT NOT NULL DEFAULT 1,
    orderIndex INT NOT NULL DEFAULT 0, PRIMARY KEY (itemID, creatorID, creatorTypeID, orderIndex),
    UNIQUE (itemID, orderIndex));
CREATE TABLE tags (tagID INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
CREATE TABLE itemTags (itemID INT NOT NULL, tagID INT NOT NULL, type INT NOT NULL,
    PRIMARY KEY (itemID, tagID));
CREATE TABLE collections (
    collectionID INTEGER PRIMARY KEY, collectionName TEXT NOT NULL,
    clientDateModified TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP, libraryID INT NOT NULL,
    key TEXT NOT NULL, parentCollectionID INT DEFAULT NULL);
CREATE TABLE collectionItems (collectionID INT NOT NULL, itemID INT NOT NULL,
    orderIndex INT NOT NULL DEFAULT 0, PRIMARY KEY (collectionID, itemID));
CREATE TABLE deletedItems (itemID INTEGER PRIMARY KEY,
    dateDeleted DEFAULT CURRENT_TIMESTAMP NOT NULL);
CREATE TABLE deletedCollections (collectionID INTEGER PRIMARY KEY,
    dateDeleted DEFAULT CURRENT_TIMESTAMP NOT NULL);
"""

ITEM_TYPES = {"attachment": 3, "newspaperArticle": 20, "webpage": 34, "report": 27}
FIELDS = {"title": 1, "url": 13, "accessDate": 27, "date": 14, "publicationTitle": 12}
CREATOR_TYPES = {"author": 8, "contributor": 2, "editor": 3}
HARBOUR = b"<html><head><title>Harbour reopens</title></head><body><p>Ships</p></body></html>"
BUDGET = "<html><body><p>Le budget a été reporté</p></body></html>".encode("cp1252")
LONE = b"<html><body><p>Loose page</p></body></html>"


class ZoteroFolder:
    """A Zotero data folder being filled in, item by item."""

    def __init__(self, folder: Path, journal_mode: str = "DELETE") -> None:
        self.folder = folder
        (folder / "storage").mkdir(parents=True)
        self.db = sqlite3.connect(folder / "zotero.sqlite", isolation_level=None)
        self.db.execute(f"PRAGMA journal_mode={journal_mode}")
        self.db.execute("PRAGMA synchronous=OFF")  # no disk flush per test statement
        self.db.executescript(SCHEMA)
        for table, names, extra in (
            ("itemTypes", ITEM_TYPES, ""),
            ("fields", FIELDS, ", NULL"),
            ("creatorTypes", CREATOR_TYPES, ""),
        ):
            for name, number in names.items():
                self.db.execute(f"INSERT INTO {table} VALUES (?, ?{extra})", (number, name))
        self.db.execute("INSERT INTO charsets VALUES (1, 'utf-8'), (2, 'windows-1252')")

    def item(
        self, item_id: int, key: str, kind: str, added: str = "2023-12-18 09:00:00", **fields: str
    ) -> None:
        self.db.execute(
            "INSERT INTO items (itemID, itemTypeID, dateAdded, libraryID, key) "
            "VALUES (?, ?, ?, 1, ?)",
            (item_id, ITEM_TYPES[kind], added, key),
        )
        for name, value in fields.items():
            self.db.execute("INSERT OR IGNORE INTO itemDataValues (value) VALUES (?)", (value,))
            (value_id,) = self.db.execute(
                "SELECT valueID FROM itemDataValues WHERE value = ?", (value,)
            ).fetchone()
            self.db.execute(
                "INSERT INTO itemData VALUES (?, ?, ?)", (item_id, FIELDS[name], value_id)
            )

    def attachment(
        self,
        item_id: int,
        key: str,
        parent: int | None,
        file_name: str | None,
        data: bytes | None,
        content_type: str = "text/html",
        link_mode: int = 1,
        charset: int | None = 1,
        added: str = "2023-12-18 09:30:05",
        **fields: str,
    ) -> None:
        self.item(item_id, key, "attachment", added, **fields)
        path = f"storage:{file_name}" if file_name is not None else None
        self.db.execute(
            "INSERT INTO itemAttachments (itemID, parentItemID, linkMode, contentType, charsetID, "
            "path) VALUES (?, ?, ?, ?, ?, ?)",
            (item_id, parent, link_mode, content_type, charset, path),
        )
        if data is not None and file_name is not None:
            (self.folder / "storage" / key).mkdir()
            (self.folder / "storage" / key / file_name).write_bytes(data)

    def creator(self, item_id: int, order: int, kind: str, first: str, last: str) -> None:
        mode = 1 if not first else 0
        self.db.execute(
            "INSERT OR IGNORE INTO creators (firstName, lastName, fieldMode) VALUES (?, ?, ?)",
            (first, last, mode),
        )
        (creator_id,) = self.db.execute(
            "SELECT creatorID FROM creators WHERE firstName = ? AND lastName = ?", (first, last)
        ).fetchone()
        self.db.execute(
            "INSERT INTO itemCreators VALUES (?, ?, ?, ?)",
            (item_id, creator_id, CREATOR_TYPES[kind], order),
        )

    def tag(self, item_id: int, name: str, automatic: bool = False) -> None:
        self.db.execute("INSERT OR IGNORE INTO tags (name) VALUES (?)", (name,))
        (tag_id,) = self.db.execute("SELECT tagID FROM tags WHERE name = ?", (name,)).fetchone()
        self.db.execute("INSERT INTO itemTags VALUES (?, ?, ?)", (item_id, tag_id, int(automatic)))

    def collection(self, collection_id: int, name: str, *item_ids: int) -> None:
        self.db.execute(
            "INSERT INTO collections (collectionID, collectionName, libraryID, key) "
            "VALUES (?, ?, 1, ?)",
            (collection_id, name, f"COLL{collection_id:04d}"),
        )
        for item_id in item_ids:
            self.db.execute(
                "INSERT INTO collectionItems VALUES (?, ?, 0)", (collection_id, item_id)
            )


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


EXPECTED: list[CapturedPage | CaptureFailure] = [
    CapturedPage(
        data=HARBOUR,
        name="Harbour reopens.html",
        member="SNAPAAAA/Harbour reopens.html",
        url="https://example.com/harbour",
        captured_at=datetime(2023, 12, 18, 9, 30, 0, tzinfo=UTC),
        charset="utf-8",
        title="Harbour reopens",
        authors=("Harbour Authority",),
        published="2023-12-17",
        tags=("ports", "saved-by-connector"),
    ),
    CapturedPage(
        data=BUDGET,
        name="budget.html",
        member="SNAPBBBB/budget.html",
        url="https://news.example.fr/budget",
        captured_at=datetime(2023, 12, 18, 9, 30, 5, tzinfo=UTC),
        charset="windows-1252",
        title="Budget vote delayed",
        authors=("Jeanne Dupont", "Ana da Silva"),
        published="December 2023",
        tags=("budget", "politics", "Economy", "Reading list"),
    ),
    CaptureFailure(
        member="SNAPDDDD/page.html",
        reason="the snapshot of “Lost page” (MISSING1) is missing: storage/SNAPDDDD/page.html",
    ),
    CapturedPage(
        data=LONE,
        name="index.html",
        member="LONE0001/index.html",
        url="https://example.org/lone",
        captured_at=datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC),
        charset=None,
        title="Standalone page",
        authors=(),
        published=None,
        tags=("loose", "Reading list"),
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
    assert list(iter_zotero_snapshots(zotero.folder)) == EXPECTED
    assert _listing(zotero.folder) == before
    assert copied == []  # copied with SQLite's backup


def test_collections_can_be_left_out_of_the_tags(zotero: ZoteroFolder) -> None:
    outcomes = list(iter_zotero_snapshots(zotero.folder, collections_as_tags=False))
    tags = [outcome.tags for outcome in outcomes if isinstance(outcome, CapturedPage)]
    assert tags == [("ports", "saved-by-connector"), ("budget", "politics"), ("loose",)]


def test_a_locked_database_is_read_from_a_copy_of_the_file(
    zotero: ZoteroFolder, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(zotero_reader, "LOCK_WAIT_SECONDS", 0.05)
    copied = _copied_files(monkeypatch)
    zotero.db.execute("PRAGMA locking_mode=EXCLUSIVE")
    zotero.db.execute("BEGIN EXCLUSIVE")
    try:
        before = _listing(zotero.folder)
        assert list(iter_zotero_snapshots(zotero.folder)) == EXPECTED
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
        assert list(iter_zotero_snapshots(zotero.folder)) == EXPECTED
        assert _listing(zotero.folder) == before
        assert copied == ["zotero.sqlite", "zotero.sqlite-wal"]
    finally:
        zotero.db.close()


def test_an_unsafe_or_missing_stored_path_fails_alone(zotero: ZoteroFolder) -> None:
    zotero.item(20, "ESCAPE01", "webpage", title="Escape")
    zotero.attachment(21, "SNAPESC1", 20, "../../secret.html", None)
    zotero.db.execute("UPDATE itemAttachments SET path = 'storage:' WHERE itemID = 7")
    outcomes = list(iter_zotero_snapshots(zotero.folder))
    failures = [outcome for outcome in outcomes if isinstance(outcome, CaptureFailure)]
    assert failures == [
        CaptureFailure("SNAPDDDD/", "the snapshot of “Lost page” (MISSING1) has no stored file"),
        CaptureFailure("SNAPESC1/", "the snapshot of “Escape” (ESCAPE01) has no stored file"),
    ]
    assert len(outcomes) == 5


def test_reading_stops_when_cancelled(zotero: ZoteroFolder) -> None:
    taken: list[CapturedPage | CaptureFailure] = []
    for outcome in iter_zotero_snapshots(zotero.folder, cancelled=lambda: len(taken) >= 1):
        taken.append(outcome)
    assert taken == EXPECTED[:1]


def test_folders_that_are_not_zotero_fail_without_raising(tmp_path: Path) -> None:
    folder = tmp_path / "NotZotero"
    (folder / "storage").mkdir(parents=True)
    (folder / "zotero.sqlite").write_bytes(b"this is no database" * 100)
    [failure] = list(iter_zotero_snapshots(folder))
    assert isinstance(failure, CaptureFailure) and failure.member == "zotero.sqlite"
    (folder / "zotero.sqlite").unlink()
    with closing(sqlite3.connect(folder / "zotero.sqlite")) as db:
        db.execute("CREATE TABLE items (itemID INTEGER PRIMARY KEY)")
    [failure] = list(iter_zotero_snapshots(folder))
    assert failure == CaptureFailure(
        "zotero.sqlite",
        "the Zotero database cannot be read: "
        "it has no itemAttachments, itemData, itemDataValues, fields table",
    )
    [failure] = list(iter_zotero_snapshots(tmp_path))
    assert isinstance(failure, CaptureFailure) and failure.reason.startswith("not a Zotero")


def test_claims_zotero_data_folders(tmp_path: Path, zotero: ZoteroFolder) -> None:
    assert claims(zotero.folder)
    assert not claims(tmp_path)
    assert not claims(zotero.folder / "zotero.sqlite")
    bare = tmp_path / "bare"
    bare.mkdir()
    (bare / "zotero.sqlite").write_bytes(b"")
    assert not claims(bare)


@pytest.mark.parametrize(
    ("stored", "published"),
    [
        ("2023-12-17 December 17, 2023", "2023-12-17"),
        ("2023-12-17 17/12/2023", "2023-12-17"),
        ("2023-12-00 December 2023", "December 2023"),
        ("2023-00-00 2023", "2023"),
        ("2023-12-00", "2023-12"),
        ("0000-00-00 Winter issue", "Winter issue"),
        ("0000-00-00", None),
        ("sometime last year", "sometime last year"),
        ("", None),
        (None, None),
    ],
)
def test_item_dates_keep_the_iso_part_or_the_text_as_written(
    stored: str | None, published: str | None
) -> None:
    assert _published(stored) == published
