"""SQLite's export reader: each article a finished line of JSON, as UTF-8 bytes.

SQLite writes each record's pieces (:mod:`corpusdesk.library.export_pieces`): ``json_quote``
escapes exactly as ``json.dumps(..., ensure_ascii=False)`` does, and the pieces come back as
BLOBs. A large export reads its batches on two connections at once (below).
"""

from __future__ import annotations

import queue
import sqlite3
from collections import deque
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Session

from corpusdesk.library.articles import id_chunks
from corpusdesk.library.dialects.sqlite import sqlite_errors
from corpusdesk.library.dialects.sqlite_snapshot import end_snapshot, shared_snapshot
from corpusdesk.library.export_pieces import LineMaker, in_order

# Columns: the id, then the line's pieces in order, with the stored values Python turns into
# JSON in between. The text is a column of its own: concatenated with more pieces in SQL, it
# would be copied once per piece.
_EXPORT_SELECT = """SELECT id,
    CAST('{"id": ' || json_quote(id) || ', "title": ' || json_quote(title) AS BLOB),
    CAST(json_quote(authors) AS BLOB),
    CAST(', "site_name": ' || json_quote(nullif(site_name, ''))
        || ', "url": ' || json_quote(nullif(url, '')) AS BLOB),
    published,
    modified,
    CAST(', "language": ' || json_quote(nullif(language, ''))
        || ', "description": ' || json_quote(nullif(description, '')) AS BLOB),
    CAST(json_quote(text) AS BLOB),
    CAST(', "word_count": ' || json_quote(word_count) AS BLOB),
    CAST(json_quote(source_name) AS BLOB),
    CAST(', "source_path": ' || json_quote(source_path)
        || ', "source_member": ' || json_quote(source_member)
        || ', "sha256": ' || json_quote(sha256) AS BLOB),
    imported_at,
    captured_at,
    CAST(', "duplicate_group": ' || json_quote(duplicate_group)
        || ', "encoding": ' || json_quote(nullif(encoding, ''))
        || ', "extractor_version": ' || json_quote(extractor_version) || '}' AS BLOB)
FROM articles"""

_EXPORT_TAGS = (
    "SELECT article_tags.article_id, tags.name FROM article_tags "
    "JOIN tags ON tags.id = article_tags.tag_id WHERE article_tags.article_id IN ({})"
)

EXPORT_BATCH = 250
"""Articles read by one statement."""
READERS = 2
"""Connections (and threads) reading a large export's batches."""
PARALLEL_FROM_BATCHES = 4
"""Exports of fewer batches than this are read on the session's connection alone."""
BATCHES_AHEAD = 2
"""Batches read ahead of the one whose lines are being handed out (a few MB of lines)."""


def _lines(
    connection: sqlite3.Connection, chunk: Sequence[int], maker: LineMaker
) -> dict[int, bytes]:
    """The line of each article of ``chunk`` found in the library, by id."""
    marks = ",".join("?" * len(chunk))
    with sqlite_errors():
        tags = maker.tags_json(connection.execute(_EXPORT_TAGS.format(marks), chunk))
        rows = connection.execute(f"{_EXPORT_SELECT} WHERE id IN ({marks})", chunk)
        return maker.lines(rows, tags)


def iter_export(
    session: Session, ids: Sequence[int], library_path: Path | None = None
) -> Iterator[bytes]:
    """The export record of each article as one line of JSON (no newline), in the order of
    ``ids``; ids not in the library are skipped.

    Rows are read in batches of ids with plain SQL on the driver's connection (per-row result
    handling would cost more than the rest of the export), so memory stays flat in the number
    of articles. A large export of the file at ``library_path`` reads its batches on
    :data:`READERS` connections in threads of their own, all in one snapshot
    (:mod:`~corpusdesk.library.dialects.sqlite_snapshot`): SQLite reads and quotes the text
    without Python's lock, and a library larger than memory is read from disk by both at once.
    Without such a snapshot (a writer busy, a file that cannot be written) the session's own
    connection reads them all.
    """
    dialect = session.get_bind().dialect
    chunks = id_chunks(ids, EXPORT_BATCH)
    if library_path is not None and len(ids) >= PARALLEL_FROM_BATCHES * EXPORT_BATCH:
        readers = shared_snapshot(library_path, READERS)
        if readers is not None:
            yield from _read_in_threads(readers, chunks, dialect)
            return
    connection = session.connection().connection.driver_connection
    assert connection is not None
    maker = LineMaker(dialect)
    for chunk in chunks:
        yield from in_order(chunk, _lines(connection, chunk, maker))


def _read_in_threads(
    readers: list[sqlite3.Connection], chunks: Iterator[Sequence[int]], dialect: Dialect
) -> Iterator[bytes]:
    """The lines of ``chunks`` in order, each batch read by whichever reader is free; at most
    :data:`BATCHES_AHEAD` batches are read ahead of the one being handed out."""
    free: queue.SimpleQueue[tuple[sqlite3.Connection, LineMaker]] = queue.SimpleQueue()
    for reader in readers:
        free.put((reader, LineMaker(dialect)))

    def read(chunk: Sequence[int]) -> tuple[Sequence[int], dict[int, bytes]]:
        reader, maker = free.get()
        try:
            return chunk, _lines(reader, chunk, maker)
        finally:
            free.put((reader, maker))

    pending: deque[Future[tuple[Sequence[int], dict[int, bytes]]]] = deque()
    pool = ThreadPoolExecutor(len(readers), thread_name_prefix="export-read")
    try:
        for chunk in chunks:
            pending.append(pool.submit(read, chunk))
            if len(pending) > BATCHES_AHEAD:
                yield from in_order(*pending.popleft().result())
        while pending:
            yield from in_order(*pending.popleft().result())
    finally:
        for future in pending:
            future.cancel()
        pool.shutdown(wait=True)
        end_snapshot(readers)
