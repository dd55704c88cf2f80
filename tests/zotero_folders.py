"""A Zotero data folder for tests: ``zotero.sqlite`` with the tables Zotero keeps (those an
import reads), filled in item by item, and the snapshot files in ``storage/``."""

from __future__ import annotations

import sqlite3
from pathlib import Path

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
