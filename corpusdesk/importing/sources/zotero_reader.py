"""Saved web pages out of a Zotero data folder: the folder with ``zotero.sqlite`` and ``storage/``.

Every HTML snapshot Zotero stored (an attachment of type ``text/html`` or
``application/xhtml+xml`` imported from a URL or from a file) becomes a page, carrying what
Zotero knows of the item it belongs to: title, authors, date, URL and tags. Items in Zotero's
trash are left out. Other attachments (PDFs, links, linked files) are passed over silently. A
snapshot's member is its file's path in the folder (``storage/KEY/NAME.html``).

Zotero may be running and keep its database locked, so the database is never opened where it
lies: it is copied to a temporary folder first, through SQLite's backup API from a read-only
connection when that can be had, otherwise by copying the database file with its write-ahead
log or journal. Nothing is ever written to the Zotero folder.

Authors are the creators of type *author* in Zotero's order; an item without any (only editors
or contributors, say) gives all its creators instead. Tags are the item's own tags, then the
snapshot's, then (when asked) the names of the collections holding the item.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import stat
import tempfile
from collections.abc import Collection, Iterator
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path, PurePosixPath

from corpusdesk.importing.sniff import HTML_EXTENSIONS
from corpusdesk.importing.sources.base import (
    MAX_PAGE_BYTES,
    CapturedPage,
    CaptureMetadata,
    FileIdentity,
    PageFailure,
    identity,
    too_large,
)

DATABASE_NAME = "zotero.sqlite"
STORAGE_NAME = "storage"
SNAPSHOT_TYPES = ("text/html", "application/xhtml+xml")
IMPORTED_FILE = 0
IMPORTED_URL = 1
LOCK_WAIT_SECONDS = 1.0
"""How long to wait for Zotero to let go of its database before copying the file instead."""

_REQUIRED_TABLES = ("items", "itemAttachments", "itemData", "itemDataValues", "fields")
_STORED_PREFIX = "storage:"
_WAL_FORMAT = 2
_MULTIPART_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?: (.*))?", re.DOTALL)

Outcome = CapturedPage | PageFailure


def claims(folder: Path) -> bool:
    """Whether ``folder`` is a Zotero data folder: it holds ``zotero.sqlite`` and ``storage/``."""
    try:
        return (folder / DATABASE_NAME).is_file() and (folder / STORAGE_NAME).is_dir()
    except OSError:
        return False


def iter_zotero_snapshots(
    folder: Path, skip: Collection[FileIdentity] = (), collections_as_tags: bool = True
) -> Iterator[Outcome]:
    """Stream the HTML snapshots stored in the Zotero data folder ``folder``.

    Never raises for bad input: every problem is a :class:`PageFailure`, and a snapshot that
    cannot be read costs only that snapshot. Files whose identity is in ``skip`` are not opened.
    The copy of the database is removed when the iteration ends or is closed.
    """
    source_path = str(folder)
    if not claims(folder):
        reason = "not a Zotero data folder (no zotero.sqlite and storage)"
        yield PageFailure(source_path, reason)
        return
    with tempfile.TemporaryDirectory(prefix="corpusdesk-zotero-") as scratch:
        try:
            if identity((folder / DATABASE_NAME).stat()) in skip:
                yield PageFailure(source_path, "is the corpusdesk library itself", DATABASE_NAME)
                return
            copy = _copy_database(folder / DATABASE_NAME, Path(scratch))
            connection = sqlite3.connect(f"{copy.as_uri()}?mode=ro", uri=True)
        except (OSError, sqlite3.Error) as error:
            reason = f"the Zotero database cannot be copied: {error}"
            yield PageFailure(source_path, reason, DATABASE_NAME)
            return
        with closing(connection):
            try:
                database = _ZoteroDatabase(connection)
                snapshots = database.snapshots()
            except (sqlite3.Error, _NotZotero) as error:
                reason = f"the Zotero database cannot be read: {error}"
                yield PageFailure(source_path, reason, DATABASE_NAME)
                return
            reader = _SnapshotReader(database, folder, skip, collections_as_tags)
            for snapshot in snapshots:
                yield reader.outcome(snapshot)


def count_stored_snapshots(folder: Path) -> int:
    """How many attachments in ``folder/storage`` hold an HTML file: the snapshots, roughly.

    Only folder listings are read (the database would have to be copied first): trashed items
    are counted too.
    """
    count = 0
    with os.scandir(folder / STORAGE_NAME) as attachments:
        for attachment in attachments:
            if attachment.is_dir(follow_symlinks=False) and _holds_html(attachment.path):
                count += 1
    return count


def _holds_html(folder: str) -> bool:
    try:
        with os.scandir(folder) as entries:
            return any(Path(entry.name).suffix.lower() in HTML_EXTENSIONS for entry in entries)
    except OSError:
        return False


class _NotZotero(Exception):
    """The database lacks tables every Zotero database has."""


@dataclass(frozen=True, slots=True)
class _Snapshot:
    item_id: int
    key: str
    parent_id: int | None
    path: str | None
    charset: str | None
    date_added: str | None


def _copy_database(source: Path, scratch: Path) -> Path:
    """A private, self-contained copy of the database at ``source``."""
    target = scratch / DATABASE_NAME
    if not _uses_write_ahead_log(source):
        # A read-only connection to a database without a write-ahead log writes nothing; with
        # one, SQLite may create its shared-memory file beside the database, so copy instead.
        try:
            uri = f"{source.as_uri()}?mode=ro"
            with (
                closing(sqlite3.connect(uri, uri=True, timeout=LOCK_WAIT_SECONDS)) as origin,
                closing(sqlite3.connect(target)) as copy,
            ):
                # The backup retries a locked source for ever: take the read lock first, which
                # gives up after the timeout, and hold it while copying.
                origin.execute("BEGIN")
                origin.execute("SELECT count(*) FROM sqlite_master").fetchone()
                origin.backup(copy)
            return target
        except sqlite3.Error:
            target.unlink(missing_ok=True)  # locked by Zotero: copy the files instead
    for suffix in ("", "-wal", "-journal"):
        companion = source.with_name(source.name + suffix)
        if suffix == "" or companion.is_file():
            shutil.copyfile(companion, target.with_name(target.name + suffix))
    with closing(sqlite3.connect(target)) as copy:
        # Fold the log into the copy (or roll back a half-written transaction), so that the copy
        # reads alone and read-only.
        copy.execute("PRAGMA journal_mode=DELETE")
    return target


def _uses_write_ahead_log(database: Path) -> bool:
    try:
        with database.open("rb") as handle:
            header = handle.read(20)
    except OSError:
        return True
    return len(header) == 20 and header[18] == _WAL_FORMAT


class _ZoteroDatabase:
    """Queries over a copy of a Zotero database; tables added in later versions are optional."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self.connection = connection
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
        missing = [table for table in _REQUIRED_TABLES if table not in tables]
        if missing:
            raise _NotZotero(f"it has no {', '.join(missing)} table")
        self.tables = tables
        self.attachment_columns = self._columns("itemAttachments")

    def _columns(self, table: str) -> set[str]:
        return {row[1] for row in self.connection.execute(f"PRAGMA table_info({table})")}

    def snapshots(self) -> list[_Snapshot]:
        charset = "NULL"
        joins = ""
        if "charsetID" in self.attachment_columns and "charsets" in self.tables:
            charset = "cs.charset"
            joins = "LEFT JOIN charsets cs ON cs.charsetID = a.charsetID"
        trashed = ""
        if "deletedItems" in self.tables:
            trashed = (
                "AND a.itemID NOT IN (SELECT itemID FROM deletedItems) "
                "AND (a.parentItemID IS NULL "
                "OR a.parentItemID NOT IN (SELECT itemID FROM deletedItems))"
            )
        placeholders = ", ".join("?" for _ in SNAPSHOT_TYPES)
        rows = self.connection.execute(
            f"""
            SELECT a.itemID, i.key, a.parentItemID, a.path, {charset}, i.dateAdded
            FROM itemAttachments a JOIN items i ON i.itemID = a.itemID {joins}
            WHERE a.linkMode IN (?, ?) AND lower(a.contentType) IN ({placeholders}) {trashed}
            ORDER BY a.itemID
            """,
            (IMPORTED_FILE, IMPORTED_URL, *SNAPSHOT_TYPES),
        ).fetchall()
        return [_Snapshot(*row) for row in rows]

    def key(self, item_id: int) -> str | None:
        row = self.connection.execute("SELECT key FROM items WHERE itemID = ?", (item_id,))
        found = row.fetchone()
        return str(found[0]) if found else None

    def fields(self, item_id: int) -> dict[str, str]:
        rows = self.connection.execute(
            """
            SELECT f.fieldName, v.value FROM itemData d
            JOIN fields f ON f.fieldID = d.fieldID
            JOIN itemDataValues v ON v.valueID = d.valueID
            WHERE d.itemID = ?
            """,
            (item_id,),
        )
        return {str(name): str(value) for name, value in rows if value is not None}

    def creators(self, item_id: int) -> tuple[str, ...]:
        if not {"creators", "itemCreators", "creatorTypes"} <= self.tables:
            return ()
        rows = self.connection.execute(
            """
            SELECT c.firstName, c.lastName, c.fieldMode, t.creatorType FROM itemCreators ic
            JOIN creators c ON c.creatorID = ic.creatorID
            LEFT JOIN creatorTypes t ON t.creatorTypeID = ic.creatorTypeID
            WHERE ic.itemID = ? ORDER BY ic.orderIndex
            """,
            (item_id,),
        ).fetchall()
        named = [(_creator_name(first, last, mode), kind) for first, last, mode, kind in rows]
        authors = [name for name, kind in named if kind == "author" and name]
        return tuple(authors or [name for name, _kind in named if name])

    def tags(self, item_id: int) -> list[str]:
        if not {"tags", "itemTags"} <= self.tables:
            return []
        rows = self.connection.execute(
            """
            SELECT t.name FROM itemTags it JOIN tags t ON t.tagID = it.tagID
            WHERE it.itemID = ? ORDER BY t.name
            """,
            (item_id,),
        )
        return [str(name) for (name,) in rows if name]

    def collections(self, item_id: int) -> list[str]:
        if not {"collections", "collectionItems"} <= self.tables:
            return []
        trashed = ""
        if "deletedCollections" in self.tables:
            trashed = "AND c.collectionID NOT IN (SELECT collectionID FROM deletedCollections)"
        rows = self.connection.execute(
            f"""
            SELECT c.collectionName FROM collectionItems ci
            JOIN collections c ON c.collectionID = ci.collectionID
            WHERE ci.itemID = ? {trashed} ORDER BY c.collectionName
            """,
            (item_id,),
        )
        return [str(name) for (name,) in rows if name]


class _SnapshotReader:
    """Each snapshot of a Zotero data folder with what its item records."""

    def __init__(
        self,
        database: _ZoteroDatabase,
        folder: Path,
        skip: Collection[FileIdentity],
        collections_as_tags: bool,
    ) -> None:
        self.database = database
        self.folder = folder
        self.source_path = str(folder)
        self.skip = skip
        self.collections_as_tags = collections_as_tags

    def outcome(self, snapshot: _Snapshot) -> Outcome:
        """The page of ``snapshot``, or why it cannot be had."""
        file_name = _stored_file_name(snapshot.path)
        member = f"{STORAGE_NAME}/{snapshot.key}/{file_name or ''}"
        try:
            return self._page(snapshot, file_name, member)
        except sqlite3.Error as error:
            reason = f"the item cannot be read from the Zotero database: {error}"
            return PageFailure(self.source_path, reason, member)

    def _page(self, snapshot: _Snapshot, file_name: str | None, member: str) -> Outcome:
        database = self.database
        own = database.fields(snapshot.item_id)
        item_id = snapshot.parent_id if snapshot.parent_id is not None else snapshot.item_id
        item = database.fields(item_id) if item_id != snapshot.item_id else own
        title = item.get("title") or own.get("title")
        described = _describe_item(title, database.key(item_id) or snapshot.key)
        if file_name is None:
            reason = f"the snapshot of {described} has no stored file"
            return PageFailure(self.source_path, reason, member)
        data = self._read(self.folder / member, described, member)
        if isinstance(data, PageFailure):
            return data
        tags = database.tags(item_id)
        if item_id != snapshot.item_id:
            tags += database.tags(snapshot.item_id)
        if self.collections_as_tags:
            tags += database.collections(item_id)
        return CapturedPage(
            data=data,
            name=file_name,
            source_path=self.source_path,
            member=member,
            url=item.get("url") or own.get("url") or None,
            captured_at=_zotero_time(own.get("accessDate")) or _zotero_time(snapshot.date_added),
            charset=snapshot.charset or None,
            metadata=CaptureMetadata(
                title=title or None,
                authors=database.creators(item_id),
                published=_published(item.get("date")),
                tags=tuple(dict.fromkeys(tags)),
            ),
        )

    def _read(self, stored: Path, described: str, member: str) -> bytes | PageFailure:
        """The bytes of the snapshot file ``stored``, or why they cannot be had."""
        try:
            status = stored.stat()
            if not stat.S_ISREG(status.st_mode):
                reason = f"the snapshot of {described} is not a regular file"
            elif identity(status) in self.skip:
                reason = "is the corpusdesk library itself"
            elif status.st_size > MAX_PAGE_BYTES:
                reason = too_large(status.st_size)
            else:
                with stored.open("rb") as handle:
                    data = handle.read(MAX_PAGE_BYTES + 1)
                if len(data) <= MAX_PAGE_BYTES:
                    return data
                reason = too_large(len(data))  # it grew since it was looked at
        except FileNotFoundError:
            reason = f"the snapshot of {described} is missing: {member}"
        except OSError as error:
            reason = f"the snapshot of {described} cannot be read: {error.strerror or error}"
        return PageFailure(self.source_path, reason, member)


def _stored_file_name(path: str | None) -> str | None:
    """The file name in a ``storage:`` attachment path, if it is a plain file name."""
    if not path or not path.startswith(_STORED_PREFIX):
        return None
    name = path[len(_STORED_PREFIX) :]
    if not name or "\\" in name or PurePosixPath(name).name != name or name in (".", ".."):
        return None
    return name


def _describe_item(title: str | None, key: str) -> str:
    return f"“{title}” ({key})" if title else f"item {key}"


def _creator_name(first: str | None, last: str | None, field_mode: int | None) -> str:
    if field_mode == 1:
        return (last or first or "").strip()
    return " ".join(part.strip() for part in (first, last) if part and part.strip())


def _zotero_time(value: str | None) -> datetime | None:
    """A time Zotero stores as ``YYYY-MM-DD HH:MM:SS`` in UTC, timezone-aware."""
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _published(value: str | None) -> date | None:
    """The date of an item when Zotero knows the day: ``2023-12-17 December 17, 2023``.

    Zotero stores a date as its ISO form (zeros for what is unknown) and the text as written;
    a month or a year alone (``2023-12-00 December 2023``) is no date of publication.
    """
    match = _MULTIPART_DATE.fullmatch((value or "").strip())
    if match is None:
        return None
    year, month, day, _written = match.groups()
    try:
        return date(int(year), int(month), int(day))
    except ValueError:  # a zero part, or no such day
        return None
