"""Copying a whole library to another one, on any two backends, and proving the copy whole.

``corpusdesk copy SRC DST`` moves a library from a file to a server, back, or between two
servers. Every table the user's work lives in is copied row for row, ids kept, in an order
that puts each row after the rows it refers to. The source is read in one transaction (a
consistent snapshot, even while others write to it) a batch at a time, so memory stays flat
however large the library; the destination is written a few thousand rows per transaction,
through the library's own write sessions, so the tables derived from articles (the full-text
index, the folded fields) are rebuilt by the destination's backend as on any write.

At the end the destination is read back: each table's row count and a digest of every row
must equal what was read from the source, and the derived tables must cover every article.
PostgreSQL's text cannot hold NUL characters (they become U+FFFD, see ``StoredText``), so a
copy to or from a server compares text with NUL so replaced and reports how many fields were
changed that way.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Integer, Row, Table, func, insert, select, text
from sqlalchemy.orm import Session

from corpusdesk.core.errors import LibraryError, UserError
from corpusdesk.core.wording import plural
from corpusdesk.library.library import Library
from corpusdesk.library.schema import Base, FoldedFields, TagCount, TagOrder

DERIVED_TABLES = frozenset(
    {FoldedFields.__tablename__, TagCount.__tablename__, TagOrder.__tablename__}
)
"""Tables of the models that the destination's triggers write rather than copied."""
READ_BATCH = 500
"""Rows fetched from the source at a time."""
WRITE_ROWS = 4000
"""Rows written per destination transaction at most."""
WRITE_BYTES = 32 * 1024 * 1024
"""Bytes of text and binary values written per destination transaction at most (originals
and images are large)."""
NUL = "\x00"
NUL_STAND_IN = "\ufffd"
DIGEST_MODULUS = 1 << 256


def copied_tables() -> list[Table]:
    """The tables a copy writes, each after the tables its foreign keys refer to."""
    return [table for table in Base.metadata.sorted_tables if table.name not in DERIVED_TABLES]


@dataclass(frozen=True, slots=True)
class CopyProgress:
    """How far a copy is: ``done`` of ``total`` rows, now in ``stage`` (a table's name, or
    ``verifying``)."""

    stage: str
    done: int
    total: int


@dataclass(frozen=True, slots=True)
class CopyReport:
    """A finished, verified copy."""

    rows: dict[str, int]
    """Rows copied per table, in the order they were copied."""
    digest: str
    """The content digest both libraries share (hex SHA-256)."""
    nul_replaced: int = 0
    """Text fields whose NUL characters became U+FFFD on the way to a server."""

    @property
    def articles(self) -> int:
        return self.rows.get("articles", 0)


class CopyMismatch(LibraryError):
    """The destination does not hold what was read from the source."""


@dataclass
class _TableDigest:
    """An order-independent digest of a table's rows (their SHA-256 values summed), so the
    two backends may return rows in different orders (their text collations differ)."""

    rows: int = 0
    total: int = 0

    def add(self, encoded: bytes) -> None:
        self.rows += 1
        self.total = (self.total + int.from_bytes(hashlib.sha256(encoded).digest())) % (
            DIGEST_MODULUS
        )


@dataclass
class _Digests:
    fold_nul: bool
    tables: dict[str, _TableDigest] = field(default_factory=dict)

    def add_row(self, table: str, values: Sequence[Any]) -> None:
        encoded = bytearray(table.encode())
        for value in values:
            encoded += _encode(value, fold_nul=self.fold_nul)
        self.tables.setdefault(table, _TableDigest()).add(bytes(encoded))

    def hexdigest(self) -> str:
        combined = hashlib.sha256()
        for name in sorted(self.tables):
            digest = self.tables[name]
            combined.update(f"{name}:{digest.rows}:{digest.total:064x};".encode())
        return combined.hexdigest()


def _encode(value: Any, *, fold_nul: bool) -> bytes:
    """``value`` as bytes that tell every value (and its type) apart from any other."""
    if value is None:
        return b"N;"
    if isinstance(value, bool):
        return b"B1;" if value else b"B0;"
    if isinstance(value, int):
        return b"I%d;" % value
    if isinstance(value, str):
        shown_text: str = value.replace(NUL, NUL_STAND_IN) if fold_nul else value
        data = shown_text.encode("utf-8", "surrogatepass")
        return b"S%d:" % len(data) + data
    if isinstance(value, bytes | bytearray | memoryview):
        data = bytes(value)
        return b"Y%d:" % len(data) + data
    if isinstance(value, dt.datetime):
        return b"T" + value.isoformat().encode() + b";"
    if isinstance(value, dt.date):
        return b"D" + value.isoformat().encode() + b";"
    shown = repr(value).encode()
    return b"R%d:" % len(shown) + shown


def _size(values: Sequence[Any]) -> int:
    return sum(len(value) for value in values if isinstance(value, str | bytes))


def _ordered_rows(session: Session, table: Table) -> Iterator[Row[Any]]:
    """Every row of ``table`` by primary key, fetched a batch at a time."""
    result = session.execute(
        select(table).order_by(*table.primary_key.columns),
        execution_options={"yield_per": READ_BATCH},
    )
    for partition in result.partitions():
        yield from partition


def _snapshot(session: Session) -> None:
    """Make every read of ``session`` see the library as it was at its first read."""
    # SQLite's read transaction already is a snapshot; PostgreSQL's default isolation takes a
    # new one per statement.
    if session.get_bind().dialect.name == "postgresql":
        session.connection(
            execution_options={"isolation_level": "REPEATABLE READ", "postgresql_readonly": True}
        )


def _refuse_non_empty(destination: Library) -> None:
    with destination.reading() as session:
        counts = {
            table.name: session.scalar(select(func.count()).select_from(table)) or 0
            for table in copied_tables()
        }
    if not any(counts.values()):
        return
    held = [
        plural(counts.pop(name, 0), noun, plural_noun)
        for name, noun, plural_noun in (
            ("articles", "article", None),
            ("tags", "tag", None),
            ("saved_searches", "saved search", "saved searches"),
        )
    ]
    if any(counts.values()):
        held.append(plural(sum(counts.values()), "other record"))
    raise UserError(
        f"{destination.title} is not empty (it holds {', '.join(held)}); copy into a new "
        "library file or an empty team library"
    )


def copy_library(
    source: Library,
    destination: Library,
    progress: Callable[[CopyProgress], None] | None = None,
) -> CopyReport:
    """Copy everything ``source`` holds into the empty library ``destination`` and verify it.

    Raises ``UserError`` before writing anything when the destination is read-only or holds
    anything, and ``CopyMismatch`` when the destination does not read back as the source
    was read. A copy that fails partway leaves the rows written so far in the destination.
    """
    if destination.read_only:
        raise UserError(f"{destination.title} is open read-only; it cannot be copied into")
    _refuse_non_empty(destination)
    to_server = destination.backend.name == "postgresql"
    fold_nul = to_server or source.backend.name == "postgresql"
    read = _Digests(fold_nul=fold_nul)
    tables = copied_tables()
    nul_replaced = 0
    done = 0
    with source.reading() as session:
        _snapshot(session)
        totals = {
            table.name: session.scalar(select(func.count()).select_from(table)) or 0
            for table in tables
        }
        total = sum(totals.values())
        for table in tables:
            pending: list[dict[str, Any]] = []
            pending_bytes = 0
            for row in _ordered_rows(session, table):
                read.add_row(table.name, row)
                if to_server:
                    nul_replaced += sum(
                        1 for value in row if isinstance(value, str) and NUL in value
                    )
                pending.append(dict(row._mapping))
                pending_bytes += _size(row)
                if len(pending) >= WRITE_ROWS or pending_bytes >= WRITE_BYTES:
                    _write(destination, table, pending)
                    done += len(pending)
                    pending, pending_bytes = [], 0
                    if progress is not None:
                        progress(CopyProgress(table.name, done, total))
            if pending:
                _write(destination, table, pending)
                done += len(pending)
            if progress is not None:
                progress(CopyProgress(table.name, done, total))
    if to_server:
        _advance_sequences(destination, tables)
    if progress is not None:
        progress(CopyProgress("verifying", done, total))
    _verify(destination, read, tables)
    return CopyReport(
        rows={table.name: read.tables.get(table.name, _TableDigest()).rows for table in tables},
        digest=read.hexdigest(),
        nul_replaced=nul_replaced,
    )


def _write(destination: Library, table: Table, rows: list[dict[str, Any]]) -> None:
    with destination.writing() as session:
        session.execute(insert(table), rows)


def _advance_sequences(destination: Library, tables: Sequence[Table]) -> None:
    """Make the server's id sequences continue after the copied ids (rows were inserted with
    their ids, which leaves the sequences where they were)."""
    with destination.writing() as session:
        for table in tables:
            key = list(table.primary_key.columns)
            if len(key) != 1 or key[0].name != "id" or not isinstance(key[0].type, Integer):
                continue
            session.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                    f"(SELECT max(id) FROM {table.name}))"
                )
            )


def _verify(destination: Library, read: _Digests, tables: Sequence[Table]) -> None:
    written = _Digests(fold_nul=read.fold_nul)
    with destination.reading() as session:
        for table in tables:
            for row in _ordered_rows(session, table):
                written.add_row(table.name, row)
        problems = [
            _difference(table.name, read.tables.get(table.name), written.tables.get(table.name))
            for table in tables
        ]
        problems.extend(_derived_gaps(session))
    found = [problem for problem in problems if problem]
    if found:
        raise CopyMismatch(
            f"the copy in {destination.title} does not match the source: {'; '.join(found)}"
        )


def _difference(name: str, read: _TableDigest | None, written: _TableDigest | None) -> str:
    read = read or _TableDigest()
    written = written or _TableDigest()
    if read.rows != written.rows:
        return f"{name}: {read.rows} rows read, {written.rows} in the copy"
    if read.total != written.total:
        return f"{name}: the rows' contents differ"
    return ""


def _derived_gaps(session: Session) -> list[str]:
    """What the destination's derived tables lack: each must cover every article (the tags'
    counts, every assignment)."""
    articles = session.scalar(text("SELECT count(*) FROM articles")) or 0
    counts = {"folded_fields": "SELECT count(*) FROM folded_fields"}
    if session.get_bind().dialect.name == "postgresql":
        counts["article_search"] = "SELECT count(*) FROM article_search"
        stale = session.scalar(text("SELECT count(*) FROM stale_articles")) or 0
        if stale:
            return [f"{stale} articles were left out of the search index"]
    gaps = [
        f"{name} holds {count} rows for {articles} articles"
        for name, statement in counts.items()
        if (count := session.scalar(text(statement)) or 0) != articles
    ]
    if session.scalar(text(MISCOUNTED_TAGS)):
        gaps.append("the tags' article counts differ from their assignments")
    if session.scalar(text(MISORDERED_ARTICLES)):
        gaps.append("the articles' first tags differ from their assignments")
    return gaps


MISCOUNTED_TAGS = """SELECT count(*) FROM tags
    LEFT JOIN tag_counts ON tag_counts.tag_id = tags.id
    LEFT JOIN (SELECT tag_id, count(*) AS n FROM article_tags GROUP BY tag_id) AS assigned
        ON assigned.tag_id = tags.id
    WHERE coalesce(tag_counts.articles, 0) != coalesce(assigned.n, 0)"""
"""How many tags' kept counts (``tag_counts``) differ from a recount of their assignments."""

MISORDERED_ARTICLES = """SELECT count(*) FROM articles
    LEFT JOIN tag_order ON tag_order.article_id = articles.id
    LEFT JOIN (SELECT article_tags.article_id, min(tags.folded_name) AS smallest
            FROM article_tags JOIN tags ON tags.id = article_tags.tag_id
            GROUP BY article_tags.article_id) AS assigned
        ON assigned.article_id = articles.id
    WHERE coalesce(tag_order.first_tag, '') != coalesce(assigned.smallest, '')"""
"""How many articles' kept first tags (``tag_order``) differ from their assignments'."""
