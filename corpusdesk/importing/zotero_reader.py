"""Saved web pages out of a Zotero data folder: the folder with ``zotero.sqlite`` and ``storage/``.

Every HTML snapshot Zotero stored (an attachment of type ``text/html`` or
``application/xhtml+xml`` imported from a URL or from a file) becomes a page, carrying what
Zotero knows of the item it belongs to: title, authors, date, URL and tags. Items in Zotero's
trash are left out. Other attachments (PDFs, links, linked files) are passed over silently.

Zotero may be running and keep its database locked, so the database is never opened where it
lies: it is copied to a temporary folder first, through SQLite's backup API from a read-only
connection when that can be had, otherwise by copying the database file with its write-ahead
log or journal. Nothing is ever written to the Zotero folder.

Authors are the creators of type *author* in Zotero's order; an item without any (only editors
or contributors, say) gives all its creators instead. Tags are the item's own tags, then the
snapshot's, then (when asked) the names of the collections holding the item.
"""

from __future__ import annotations

import re
import shutil
import sqlite3
import tempfile
from collections.abc import Callable, Iterator
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

from corpusdesk.importing.captured import MAX_PAGE_BYTES, CapturedPage, CaptureFailure

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

Outcome = CapturedPage | CaptureFailure


def claims(folder: Path) -> bool:
    """Whether ``folder`` is a Zotero data folder: it holds ``zotero.sqlite`` and ``storage/``."""
    try:
        return (folder / DATABASE_NAME).is_file() and (folder / STORAGE_NAME).is_dir()
    except OSError:
        return False


def iter_zotero_snapshots(
    folder: Path,
    collections_as_tags: bool = True,
    cancelled: Callable[[], bool] | None = None,
) -> Iterator[Outcome]:
    """Stream the HTML snapshots stored in the Zotero data folder ``folder``.

    Never raises for bad input: every problem is a :class:`CaptureFailure`, and a snapshot that
    cannot be read costs only that snapshot. ``cancelled`` is asked before each snapshot; when it
    answers true, reading stops quietly.
    """
    if not claims(folder):
        yield CaptureFailure(folder.name, "not a Zotero data folder (no zotero.sqlite and storage)")
        return
    with tempfile.TemporaryDirectory(prefix="corpusdesk-zotero-") as scratch:
        try:
            copy = _copy_database(folder / DATABASE_NAME, Path(scratch))
            connection = sqlite3.connect(f"{copy.as_uri()}?mode=ro", uri=True)
        except (OSError, sqlite3.Error) as error:
            yield CaptureFailure(DATABASE_NAME, f"the Zotero database cannot be copied: {error}")
            return
        with closing(connection):
            try:
                database = _ZoteroDatabase(connection)
                snapshots = database.snapshots()
            except (sqlite3.Error, _NotZotero) as error:
                yield CaptureFailure(DATABASE_NAME, f"the Zotero database cannot be read: {error}")
                return
            for snapshot in snapshots:
                if cancelled is not None and cancelled():
                    return
                yield _snapshot_outcome(database, snapshot, folder, collections_as_tags)


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


def _snapshot_outcome(
    database: _ZoteroDatabase, snapshot: _Snapshot, folder: Path, collections_as_tags: bool
) -> Outcome:
    file_name = _stored_file_name(snapshot.path)
    member = f"{snapshot.key}/{file_name or ''}"
    try:
        return _snapshot_page(database, snapshot, folder, collections_as_tags, file_name, member)
    except sqlite3.Error as error:
        return CaptureFailure(member, f"the item cannot be read from the Zotero database: {error}")


def _snapshot_page(
    database: _ZoteroDatabase,
    snapshot: _Snapshot,
    folder: Path,
    collections_as_tags: bool,
    file_name: str | None,
    member: str,
) -> Outcome:
    own = database.fields(snapshot.item_id)
    item_id = snapshot.parent_id if snapshot.parent_id is not None else snapshot.item_id
    item = database.fields(item_id) if item_id != snapshot.item_id else own
    title = item.get("title") or own.get("title")
    described = _describe_item(title, database.key(item_id) or snapshot.key)
    if file_name is None:
        return CaptureFailure(member, f"the snapshot of {described} has no stored file")
    stored = folder / STORAGE_NAME / snapshot.key / file_name
    relative = f"{STORAGE_NAME}/{snapshot.key}/{file_name}"
    try:
        size = stored.stat().st_size
        if size > MAX_PAGE_BYTES:
            limit = MAX_PAGE_BYTES // (1024 * 1024)
            return CaptureFailure(member, f"{relative} is larger than {limit} MB")
        data = stored.read_bytes()
    except FileNotFoundError:
        return CaptureFailure(member, f"the snapshot of {described} is missing: {relative}")
    except OSError as error:
        reason = error.strerror or str(error)
        return CaptureFailure(member, f"the snapshot of {described} cannot be read: {reason}")
    tags = database.tags(item_id)
    if item_id != snapshot.item_id:
        tags += database.tags(snapshot.item_id)
    if collections_as_tags:
        tags += database.collections(item_id)
    return CapturedPage(
        data=data,
        name=file_name,
        member=member,
        url=item.get("url") or own.get("url") or None,
        captured_at=_zotero_time(own.get("accessDate")) or _zotero_time(snapshot.date_added),
        charset=snapshot.charset or None,
        title=title or None,
        authors=database.creators(item_id),
        published=_published(item.get("date")),
        tags=tuple(dict.fromkeys(tags)),
    )


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


def _published(value: str | None) -> str | None:
    """The date of an item as written: the ISO part of Zotero's ``2023-12-17 December 17, 2023``.

    When the day or month is unknown (``2023-12-00 December 2023``) the text as written is kept,
    or else the known part of the ISO date (``2023-12``).
    """
    if not value or not value.strip():
        return None
    match = _MULTIPART_DATE.fullmatch(value.strip())
    if match is None:
        return value.strip()
    year, month, day, written = match.groups()
    if year != "0000" and month != "00" and day != "00":
        return f"{year}-{month}-{day}"
    if written and written.strip():
        return written.strip()
    known = [part for part in (year, month) if part not in ("0000", "00")]
    return "-".join(known) if known and known[0] == year else None
