"""The PostgreSQL backend: a team library on a database server.

The same tables as a library file, from the same migrations, with PostgreSQL's own machinery
where SQLite's differs:

- **Full-text search**: ``article_search`` holds each article's ``tsvector`` (GIN-indexed),
  written by corpusdesk from the tokens SQLite's index would hold (``pg_search``), so a query
  finds the same articles on both backends; relevance is ``ts_rank`` with titles weighed up.
- **Derived tables**: PostgreSQL cannot call corpusdesk's Python folding from a trigger, so a
  trigger notes every article whose title, authors, site or text is written in
  ``stale_articles``, and every write transaction brings ``folded_fields`` and
  ``article_search`` up to date for them before it commits (``before_commit``). Whatever
  writes to an article, the index is right when the transaction ends.
- **One writer at a time**: a write transaction takes a transaction-scoped advisory lock, so
  writers queue as they do on SQLite's write lock while readers never wait.
- **Live sharing**: statement triggers ``NOTIFY corpusdesk_changes`` on every change; a window
  listens on a connection of its own (``change_counter``).
- **Who may do what**: a role without ``INSERT`` on ``articles`` opens the library read-only;
  the server's grants (``corpusdesk.library.team``) enforce it.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy import (
    Engine,
    Select,
    cast,
    create_engine,
    delete,
    func,
    literal,
    select,
    text,
)
from sqlalchemy.dialects.postgresql import TSQUERY, insert
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql import column, table
from sqlalchemy.sql.compiler import SQLCompiler

from corpusdesk.core.errors import LibraryError
from corpusdesk.core.folding import fold_field
from corpusdesk.core.locations import ServerAddress
from corpusdesk.library.dialects import (
    Backend,
    FullTextMatch,
    FullTextQueries,
    SubstringPosition,
)
from corpusdesk.library.dialects.pg_search import document, tsquery
from corpusdesk.library.dialects.unicode61 import tokens

CHANNEL = "corpusdesk_changes"
WRITE_LOCK = 0x636F7270
"""The advisory lock key a write transaction holds (``corp``): one writer at a time."""
CONNECT_TIMEOUT_S = 10
REFRESH_BATCH = 500
NOTICE_WAIT_S = 0.05
"""How long a look for change notices waits for one on its way (a commit just made)."""

SESSION_OPTIONS = "-c enable_seqscan=off -c jit=off"
"""Every query of a library reads indexes by design (see ``corpusdesk.library.querying``), but
the planner costs a scan of ``article_search`` by its small main table, not by the documents
it would have to decompress, and picks it over the GIN index (0.7 s instead of 5 ms for a rare
word at 100,000 articles); compiling plans to machine code only adds time to queries this
short."""

SEARCH_TABLE = table("article_search", column("article_id"), column("document"))
STALE_TABLE = table("stale_articles", column("article_id"))
LOST_CONNECTION = (
    "the connection to the library's server was lost; nothing was saved. Check the network "
    "and try again"
)


def _query_value(expression: str) -> Any:
    return cast(literal(tsquery(expression)), TSQUERY)


class PostgreSQLFullText(FullTextQueries):
    """Selects over ``article_search``."""

    nulls_sort_last = True

    def matching_ids(self, expression: str) -> Select[Any]:
        condition = SEARCH_TABLE.c.document.bool_op("@@")(_query_value(expression))
        return select(SEARCH_TABLE.c.article_id).where(condition)

    def id_column(self, statement: Select[Any]) -> Any:
        return SEARCH_TABLE.c.article_id

    def scored(self, expression: str) -> Select[Any]:
        query = _query_value(expression)
        # Lower is better, as with bm25: the rank is negated.
        rank = -func.ts_rank(SEARCH_TABLE.c.document, query)
        return select(SEARCH_TABLE.c.article_id.label("rid"), rank.label("rank")).where(
            SEARCH_TABLE.c.document.bool_op("@@")(query)
        )


@compiles(FullTextMatch, "postgresql")
def _full_text_match(element: FullTextMatch, compiler: SQLCompiler, **kw: Any) -> str:
    matching = PostgreSQLFullText().matching_ids(element.fts_expression)
    return compiler.process(element.id_column.in_(matching), **kw)


@compiles(SubstringPosition, "postgresql")
def _substring_position(element: SubstringPosition, compiler: SQLCompiler, **kw: Any) -> str:
    return compiler.process(func.strpos(element.haystack, element.needle), **kw)


def create_server_engine(address: ServerAddress) -> Engine:
    """An engine for the library's database (connections checked before use)."""
    return create_engine(
        address.sqlalchemy_url(),
        pool_pre_ping=True,
        pool_size=4,
        max_overflow=4,
        connect_args={
            "connect_timeout": CONNECT_TIMEOUT_S,
            "application_name": "corpusdesk",
            "options": SESSION_OPTIONS,
        },
    )


def connection_failure(error: Exception, address: ServerAddress) -> str:
    """What to tell the user when the server cannot be reached or refuses the connection."""
    message = str(getattr(error, "orig", error)).strip()
    if "password authentication failed" in message or "no password supplied" in message:
        return f"the server refused {address.user or 'the user'}'s password for {address.title}"
    if "does not exist" in message and "database" in message:
        return f"there is no database {address.database!r} on {address.host}"
    if "Connection refused" in message or "could not connect" in message or "timeout" in message:
        return f"cannot reach the server {address.host}: {message.splitlines()[0]}"
    return f"cannot open {address.title}: {message.splitlines()[0] if message else error}"


class PostgreSQLBackend(Backend):
    """A library in a PostgreSQL database."""

    name = "postgresql"

    def __init__(self, address: ServerAddress, *, read_only: bool, create: bool) -> None:
        from corpusdesk.library.server import migrate_server_library

        self.location = self.address = address
        self.engine = create_server_engine(address)
        try:
            self.read_only = migrate_server_library(
                self.engine, address, read_only=read_only, create=create
            )
        except OperationalError as error:
            self.engine.dispose()
            raise LibraryError(connection_failure(error, address)) from error
        except BaseException:
            self.engine.dispose()
            raise
        self._listener: _Listener | None = None
        # The tokenizer's tables take a few tenths of a second to learn; learnt now, beside
        # the caller, the first search does not wait for them.
        threading.Thread(target=tokens, args=("",), name="learn-tokens", daemon=True).start()

    @property
    def title(self) -> str:
        return self.address.title

    def close(self) -> None:
        if self._listener is not None:
            self._listener.close()
            self._listener = None
        self.engine.dispose()

    def change_counter(self) -> int:
        """How many change notifications have arrived since the library was opened."""
        try:
            if self._listener is None:
                self._listener = _Listener(self.address)
            return self._listener.poll()
        except Exception as error:
            self._listener = None
            raise LibraryError(f"cannot watch the library for changes: {error}") from error

    def file_identities(self) -> frozenset[tuple[int, int]]:
        return frozenset()

    def begin_write(self, session: Session) -> None:
        session.execute(select(func.pg_advisory_xact_lock(WRITE_LOCK)))

    def before_commit(self, session: Session) -> None:
        refresh_derived(session)

    def storage_size(self) -> int:
        with self.engine.connect() as connection:
            size = connection.scalar(select(func.pg_database_size(func.current_database())))
        return int(size or 0)

    def read_failure(self, error: Exception) -> str | None:
        return _failure(error, saved=False)

    def write_failure(self, error: Exception) -> str | None:
        return _failure(error, saved=True)

    def iter_export(self, session: Session, ids: Sequence[int]) -> Iterator[bytes]:
        from corpusdesk.library.dialects import pg_export

        return pg_export.iter_export(session, ids)


def _failure(error: Exception, *, saved: bool) -> str | None:
    original = getattr(error, "orig", error)
    message = str(original)
    if isinstance(error, DBAPIError) and error.connection_invalidated:
        return LOST_CONNECTION if saved else "the connection to the library's server was lost"
    if "server closed the connection" in message or "terminating connection" in message:
        return LOST_CONNECTION if saved else "the connection to the library's server was lost"
    if "permission denied" in message:
        return "the server allows you to read this library but not to change it"
    if "could not connect" in message or "Connection refused" in message:
        return "cannot reach the library's server; check the network and try again"
    if "No space left" in message or "disk full" in message:
        return "the server's disk is full; the change was not saved"
    return None


def refresh_derived(session: Session) -> None:
    """Write ``folded_fields`` and ``article_search`` for every article noted as stale."""
    from corpusdesk.library.schema import Article, FoldedFields

    while True:
        ids = list(session.scalars(select(STALE_TABLE.c.article_id).limit(REFRESH_BATCH)))
        if not ids:
            return
        rows = session.execute(
            select(
                Article.id, Article.title, Article.authors, Article.site_name, Article.text
            ).where(Article.id.in_(ids))
        ).all()
        if rows:
            folded = [
                {
                    "article_id": article_id,
                    "title": fold_field(title or ""),
                    "authors": fold_field(authors or ""),
                    "site_name": fold_field(site or ""),
                }
                for article_id, title, authors, site, _ in rows
            ]
            statement = insert(FoldedFields)
            session.execute(
                statement.on_conflict_do_update(
                    index_elements=[FoldedFields.article_id],
                    set_={
                        "title": statement.excluded.title,
                        "authors": statement.excluded.authors,
                        "site_name": statement.excluded.site_name,
                    },
                ),
                folded,
            )
            session.execute(
                text(
                    "INSERT INTO article_search (article_id, document) "
                    "VALUES (:article_id, CAST(:document AS tsvector)) "
                    "ON CONFLICT (article_id) DO UPDATE SET document = excluded.document"
                ),
                [
                    {"article_id": article_id, "document": document(title, body)}
                    for article_id, title, _, _, body in rows
                ],
            )
        session.execute(delete(STALE_TABLE).where(STALE_TABLE.c.article_id.in_(ids)))


class _Listener:
    """A connection of its own that LISTENs for change notifications."""

    def __init__(self, address: ServerAddress) -> None:
        import psycopg

        conninfo = address.sqlalchemy_url().set(drivername="postgresql")
        self._connection = psycopg.connect(
            conninfo.render_as_string(hide_password=False),
            autocommit=True,
            connect_timeout=CONNECT_TIMEOUT_S,
            application_name="corpusdesk-watch",
        )
        self._connection.execute(f"LISTEN {CHANNEL}")
        self._count = 0
        self._lock = threading.Lock()

    def poll(self) -> int:
        with self._lock:
            for _ in self._connection.notifies(timeout=NOTICE_WAIT_S):
                self._count += 1
            return self._count

    def close(self) -> None:
        self._connection.close()
