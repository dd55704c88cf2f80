"""Storage backends: what differs between a library file (SQLite) and a team library
(PostgreSQL), behind one interface chosen from the library's location.

Shared code speaks SQLAlchemy; the backends supply the rest: opening and migrating the
database, taking the write lock, the full-text index and its queries, keeping derived tables
in step, change notification for windows, messages for failures the user can act on. The
full-text condition of the query compiler (``FullTextMatch``) and a substring test are SQL
constructs compiled by each backend's module in its own dialect.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Engine,
    Select,
    SQLColumnExpression,
    bindparam,
    func,
    insert,
    literal_column,
    select,
    text,
)
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.types import Boolean, Integer

from corpusdesk.core.locations import LibraryLocation


class FullTextMatch(ColumnElement[bool]):
    """``ids`` (a column of article ids) are articles whose title or text matches the
    compiled full-text expression (``corpusdesk.library.querying``)."""

    inherit_cache = False
    type = Boolean()

    def __init__(self, ids: SQLColumnExpression[int], expression: str) -> None:
        self.id_column = ids
        self.fts_expression = expression


class SubstringPosition(ColumnElement[int]):
    """Where ``needle`` starts in ``haystack`` (1-based), 0 when it is not in it."""

    inherit_cache = False
    type = Integer()

    def __init__(self, haystack: Any, needle: str) -> None:
        self.haystack = haystack
        self.needle = needle


@compiles(FullTextMatch)
def _no_full_text(element: FullTextMatch, compiler: SQLCompiler, **kw: Any) -> str:
    raise NotImplementedError(f"no full-text search on {compiler.dialect.name}")


class FullTextQueries(ABC):
    """The selects over a backend's full-text index that search orders are built from."""

    nulls_sort_last = False
    """Whether the backend sorts empty values after all others (they must be put first, as
    SQLite puts them, for both backends to list a search in the same order)."""

    @abstractmethod
    def matching_ids(self, expression: str) -> Select[Any]:
        """Ids of articles matching ``expression`` (one column), any order."""

    @abstractmethod
    def id_column(self, statement: Select[Any]) -> Any:
        """The id column of ``matching_ids``' select, for ordering and scope conditions."""

    def date_key(self) -> Any | None:
        """A column of ``matching_ids``' and ``scored``'s selects that orders them as
        ``published, id`` do, read from the index in that order (so a ``LIMIT`` stops the
        reading early); ``None`` when the index has no such order."""
        return None

    @abstractmethod
    def scored(self, expression: str) -> Select[Any]:
        """Ids of matching articles and their relevance (columns ``rid`` and ``rank``;
        the lower the rank, the better the match)."""


class Backend(ABC):
    """An open library's database, as one backend stores it."""

    name: str
    """``sqlite`` or ``postgresql``."""
    location: LibraryLocation
    engine: Engine
    read_only: bool

    @property
    @abstractmethod
    def title(self) -> str:
        """A short name for messages and window titles."""

    @abstractmethod
    def close(self) -> None:
        """Release the database; the backend must not be used afterwards."""

    @abstractmethod
    def change_counter(self) -> int:
        """A number that changes whenever anyone commits a change to the library."""

    @abstractmethod
    def file_identities(self) -> frozenset[tuple[int, int]]:
        """``(st_dev, st_ino)`` of the files an import must never open (none on a server)."""

    @abstractmethod
    def begin_write(self, session: Session) -> None:
        """Begin ``session``'s write transaction, taking what lock the backend needs."""

    @abstractmethod
    def before_commit(self, session: Session) -> None:
        """Bring tables derived from articles up to date within the write transaction."""

    @abstractmethod
    def storage_size(self) -> int:
        """Bytes the library takes on disk."""

    @abstractmethod
    def read_failure(self, error: Exception) -> str | None:
        """A message for a read that failed for a reason the user can act on, else None."""

    @abstractmethod
    def write_failure(self, error: Exception) -> str | None:
        """A message for a write that failed for a reason the user can act on, else None."""

    @abstractmethod
    def iter_export(self, session: Session, ids: Sequence[int]) -> Iterator[bytes]:
        """Each article's export line (JSON, UTF-8), in the order of ``ids``."""


def open_backend(location: LibraryLocation, *, read_only: bool, create: bool) -> Backend:
    """The backend holding the library at ``location``, opened and migrated."""
    if isinstance(location, Path):
        from corpusdesk.library.dialects.sqlite import SQLiteBackend

        return SQLiteBackend(location, read_only=read_only, create=create)
    from corpusdesk.library.dialects.postgresql import PostgreSQLBackend

    return PostgreSQLBackend(location, read_only=read_only, create=create)


def backend_of(session: Session) -> str:
    """The dialect name of the database ``session`` is bound to."""
    return session.get_bind().dialect.name


def fulltext_of(session: Session) -> FullTextQueries:
    """The full-text selects of the backend ``session`` is bound to."""
    if backend_of(session) == "postgresql":
        from corpusdesk.library.dialects.postgresql import PostgreSQLFullText

        return PostgreSQLFullText()
    from corpusdesk.library.dialects.sqlite import SQLiteFullText

    return SQLiteFullText()


def fetch_ids(session: Session, statement: Select[Any]) -> list[int]:
    """The first column of every row of ``statement``, in order, read as each backend reads
    long id lists fastest."""
    if backend_of(session) == "postgresql":
        return list(session.execute(statement).scalars())
    from corpusdesk.library.dialects.sqlite import fetch_id_array

    return fetch_id_array(session, statement)


def covering_select(session: Session, columns: Sequence[Any], index: str) -> Select[Any]:
    """A select of ``columns`` (of one table) that reads them from ``index``, which holds
    them all, rather than from the table's rows.

    SQLite looks rows up by id in the table itself, whose rows hold the long text before
    some of these columns: for rows not in memory that means reading every page of the text
    (a second a page of the articles table at a million articles). It is told the index by
    name. PostgreSQL keeps long values apart from the row and picks its own plan.
    """
    if backend_of(session) == "postgresql":
        return select(*columns)
    table = columns[0].table
    named = [literal_column(column.name, column.type).label(column.key) for column in columns]
    return select(*named).select_from(text(f"{table.name} INDEXED BY {index}"))


def insert_rows(session: Session, model: Any, rows: Sequence[dict[str, Any]]) -> None:
    """Insert ``rows`` (each with the same keys) into ``model``'s table in the way the backend
    runs best.

    SQLite runs one prepared statement for every row, its fastest way. On PostgreSQL that is a
    statement a row, and a statement-level trigger (the kept tag counts) would then run once a
    row: the rows go in one statement instead, each column sent as one array and unnested.
    """
    if not rows:
        return
    if backend_of(session) != "postgresql":
        session.execute(insert(model), list(rows))
        return
    from sqlalchemy.dialects.postgresql import ARRAY

    table = model.__table__
    names = list(rows[0])
    arrays = [
        bindparam(name, [row[name] for row in rows], type_=ARRAY(table.c[name].type))
        for name in names
    ]
    unnested = func.unnest(*arrays).table_valued(*names).render_derived()
    source = select(*(unnested.c[name] for name in names))
    session.execute(insert(model).from_select(names, source))


def insert_or_update(session: Session, model: Any) -> Any:
    """An ``INSERT`` for ``model`` that has ``on_conflict_do_update`` (both backends spell
    the upsert the same way, through their own dialect's construct)."""
    if backend_of(session) == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as postgresql_insert

        return postgresql_insert(model)
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    return sqlite_insert(model)


@contextmanager
def driver_errors(kind: type[Exception]) -> Iterator[None]:
    """Raise the driver's errors of ``kind``, met reading its cursor directly, as SQLAlchemy
    would raise them.

    Callers (the library facade) turn SQLAlchemy's errors into messages for the user; a damaged
    file or a lost connection must read the same whichever way the rows were fetched.
    """
    try:
        yield
    except kind as error:
        raise DBAPIError.instance(None, None, error, kind) from error


def _register_compilers() -> None:
    # Each backend module registers its compilation of the constructs above on import.
    from corpusdesk.library.dialects import postgresql, sqlite  # noqa: F401


_register_compilers()
