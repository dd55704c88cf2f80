"""The SQLite backend: a library file on this computer.

Opening, pragmas, migrations and backups live in ``corpusdesk.library.dialects.sqlite_engine`` and
``backups``; this module adds what the library facade asks of a backend: the write lock
taken up front (``BEGIN IMMEDIATE``), the FTS5 index (kept by triggers, queried with
``MATCH`` and ranked by ``bm25``), ``data_version`` for windows watching the file, the guard
that keeps the process from opening the library's files behind SQLite's back, and messages
for a full disk, a damaged file or a busy library.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Select, column, func, select, table
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.compiler import SQLCompiler

from corpusdesk.core.errors import LibraryError
from corpusdesk.library import file_guard
from corpusdesk.library.dialects import (
    Backend,
    FullTextMatch,
    FullTextQueries,
    SubstringPosition,
    driver_errors,
)
from corpusdesk.library.dialects.sqlite_engine import (
    IMMEDIATE,
    disk_is_full,
    io_failure_reason,
    open_engine,
)

FTS_TABLE = table(
    "articles_fts", column("rowid"), column("articles_fts"), column("title"), column("text")
)
"""The FTS5 index of article titles and texts.

Its rowid is an article's index key (``fts_key``): the publication date's day number, or 0,
above the article's id, so FTS5 gives matches in date order. ``FTS_TABLE.c.articles_fts`` is
the hidden column named after the table, the left side of ``MATCH``; ``bm25(articles_fts)``
works in queries over it.
"""

FTS_ID_BITS = 32
"""Bits of an index key holding the article's id (ids up to 4 billion); the date is above.

Keys stay below 2**54 (the day number of 9999-12-31 is 3,652,059): FTS5 (3.40) loses matches
of AND and phrase queries read in descending order when keys reach 2**56 or so.
"""
FTS_ID_MASK = (1 << FTS_ID_BITS) - 1
FTS_ARTICLE_ID = FTS_TABLE.c.rowid.op("&")(FTS_ID_MASK)
"""The article id of an index entry, read from its key."""


def fts_key(published: dt.date | None, article_id: int) -> int:
    """The index key of an article (as the triggers of migration 0011 compute it): the day
    number of its date (``date.toordinal``, 1 for 0001-01-01; 0 without a date), then its id."""
    day = 0 if published is None else published.toordinal()
    return (day << FTS_ID_BITS) | article_id


DAMAGED = (
    "the library file is damaged; nothing was changed. Open another library, or restore "
    "an automatic backup"
)


def _matches(expression: str) -> Any:
    return FTS_TABLE.c.articles_fts.bool_op("MATCH")(expression)


class SQLiteFullText(FullTextQueries):
    """Selects over the FTS5 table."""

    def matching_ids(self, expression: str) -> Select[Any]:
        return select(FTS_ARTICLE_ID.label("id")).where(_matches(expression))

    def id_column(self, statement: Select[Any]) -> Any:
        return FTS_ARTICLE_ID

    def date_key(self) -> Any:
        return FTS_TABLE.c.rowid

    def scored(self, expression: str) -> Select[Any]:
        score = func.bm25(FTS_TABLE.c.articles_fts, 10.0, 1.0)
        return select(FTS_ARTICLE_ID.label("rid"), score.label("rank")).where(_matches(expression))


@compiles(FullTextMatch, "sqlite")
def _full_text_match(element: FullTextMatch, compiler: SQLCompiler, **kw: Any) -> str:
    matching = SQLiteFullText().matching_ids(element.fts_expression)
    return compiler.process(element.id_column.in_(matching), **kw)


@compiles(SubstringPosition, "sqlite")
def _substring_position(element: SubstringPosition, compiler: SQLCompiler, **kw: Any) -> str:
    return compiler.process(func.instr(element.haystack, element.needle), **kw)


class SQLiteBackend(Backend):
    """A library file."""

    name = "sqlite"

    def __init__(self, path: Path, *, read_only: bool, create: bool) -> None:
        self.location = self.path = Path(path)
        self.read_only = read_only
        self.engine = open_engine(self.path, read_only=read_only, create=create)
        file_guard.guard(self.path)
        self._watch: sqlite3.Connection | None = None
        self._closed = False

    @property
    def title(self) -> str:
        return self.path.name

    def close(self) -> None:
        if self._watch is not None:
            self._watch.close()
            self._watch = None
        self.engine.dispose()
        if not self._closed:
            self._closed = True
            file_guard.release(self.path)

    def change_counter(self) -> int:
        """SQLite's ``data_version`` seen from a connection of its own: commits through any
        other connection, in this process or another, change it."""
        from corpusdesk.core.paths import sqlite_uri

        try:
            if self._watch is None:
                self._watch = sqlite3.connect(
                    sqlite_uri(self.path, mode="ro"), uri=True, check_same_thread=False
                )
            return int(self._watch.execute("PRAGMA data_version").fetchone()[0])
        except sqlite3.Error as error:
            raise LibraryError(f"cannot read the library's state: {error}") from error

    def file_identities(self) -> frozenset[tuple[int, int]]:
        return file_guard.file_identities(self.path)

    def begin_write(self, session: Session) -> None:
        session.connection(execution_options={IMMEDIATE: True})

    def before_commit(self, session: Session) -> None:
        """Nothing: triggers keep the full-text index and the folded fields in step."""

    def storage_size(self) -> int:
        return self.path.stat().st_size if self.path.exists() else 0

    def read_failure(self, error: Exception) -> str | None:
        message = str(getattr(error, "orig", error))
        if "locked" in message or "busy" in message:
            return "the library is busy in another program; try again in a moment"
        if is_damage(message):
            return DAMAGED
        if "disk I/O" in message and not disk_is_full(self.path):
            # A read changes nothing, so there is nothing to say about what was saved.
            return "the library file could not be read (disk I/O error)"
        return io_failure_reason(self.path, message)

    def write_failure(self, error: Exception) -> str | None:
        message = str(getattr(error, "orig", error))
        if is_damage(message):
            return DAMAGED
        if "locked" in message or "busy" in message:
            return "the library is busy in another program; the change was not saved, try again"
        if "full" in message or ("disk I/O" in message and disk_is_full(self.path)):
            return "the disk is full; the change was not saved"
        if "disk I/O" in message:
            return (
                "the library file could not be written (disk I/O error); the change was not saved"
            )
        if "readonly" in message:
            return "the library file is read-only; the change was not saved"
        return None

    def iter_export(self, session: Session, ids: Sequence[int]) -> Iterator[bytes]:
        from corpusdesk.library.dialects import sqlite_export as export_reader

        # A library opened read-only is not locked for the readers' shared snapshot either.
        return export_reader.iter_export(session, ids, None if self.read_only else self.path)


def fetch_id_array(session: Session, statement: Select[Any]) -> list[int]:
    """The first column of every row of ``statement``, in order.

    A search can return every id in the library. SQLite gathers them into one JSON array
    (the subquery's order is kept: SQLite never merges an ordered subquery into an aggregate
    over it), which the JSON decoder reads several times faster than the driver makes one
    row object per id.
    """
    ordered = statement.subquery()
    gathered = select(func.json_group_array(ordered.c[0]))
    result = session.connection().execute(gathered)
    try:
        with sqlite_errors():
            row = result.cursor.fetchone()
    finally:
        result.close()
    return parse_id_array(row[0]) if row and row[0] else []


ID_ARRAY_PIECE = 64 * 1024
"""Characters of a JSON id array decoded per call (about 9,000 ids)."""


def parse_id_array(text: str) -> list[int]:
    """The ids of a JSON array of integers, decoded a piece at a time.

    One ``json.loads`` of a million ids holds the interpreter lock for tens of milliseconds,
    during which the window's thread cannot run; pieces let it in between.
    """
    ids: list[int] = []
    start, end = 1, len(text) - 1  # inside the brackets
    while start < end:
        cut = text.find(",", min(start + ID_ARRAY_PIECE, end))
        stop = end if cut == -1 else cut
        ids.extend(json.loads(f"[{text[start:stop]}]"))
        start = stop + 1
    return ids


def is_damage(message: str) -> bool:
    """Whether an SQLite error message says the file is damaged."""
    return any(
        sign in message for sign in ("malformed", "not a database", "Could not decode", "corrupt")
    )


def sqlite_errors() -> AbstractContextManager[None]:
    """``driver_errors`` for SQLite's driver."""
    return driver_errors(sqlite3.Error)


BULK_CACHE_KIB = -262_144
"""The page cache while a large batch is written (256 MiB)."""


@contextmanager
def bulk_settings(
    session: Session, fts: dict[str, int], defaults: dict[str, int]
) -> Iterator[None]:
    """FTS5 settings and a large page cache for one batch of inserts, then the old ones back."""
    raw = session.connection()
    previous = dict(defaults)
    rows = raw.exec_driver_sql("SELECT k, v FROM articles_fts_config").all()
    previous.update((key, int(value)) for key, value in rows if key in defaults)
    for key, value in fts.items():
        raw.exec_driver_sql(
            "INSERT INTO articles_fts (articles_fts, rank) VALUES (?, ?)", (key, value)
        )
    cache = raw.exec_driver_sql("PRAGMA cache_size").scalar_one()
    # Index entries land all over their B-trees: a larger page cache for this batch only.
    raw.exec_driver_sql(f"PRAGMA cache_size = {BULK_CACHE_KIB}")
    try:
        yield
    finally:
        raw.exec_driver_sql(f"PRAGMA cache_size = {int(cache)}")
    for key, value in previous.items():
        raw.exec_driver_sql(
            "INSERT INTO articles_fts (articles_fts, rank) VALUES (?, ?)", (key, value)
        )
