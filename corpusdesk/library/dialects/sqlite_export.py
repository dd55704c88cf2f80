"""Reading articles for export: each one a finished line of JSON, as UTF-8 bytes.

An export reads every article of a selection, text included, and turns it into the record of
``resources/article.schema.json``. Doing that in Python (a record dict, ``json.dumps``, then
encoding the text back to UTF-8) costs more than reading the rows, so SQLite writes the record's
pieces itself: ``json_quote`` escapes exactly as ``json.dumps(..., ensure_ascii=False)`` does,
the pieces come back as BLOBs, and the long text is never decoded into a Python string. Python
joins the pieces and adds what SQLite cannot write the same way: the tags (sorted by
``str.casefold``), the dates (converted by the column types, cached since they repeat), the
authors list and the source file name, both cut out of their quoted stored strings.

The lines are byte for byte what ``corpusdesk.exporting.records.export_line`` makes of
``iter_details``; the export tests compare the two.
"""

from __future__ import annotations

import json
import queue
import sqlite3
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Session
from sqlalchemy.types import TypeEngine

from corpusdesk.library.articles import id_chunks, split_authors
from corpusdesk.library.dialects.sqlite import driver_errors
from corpusdesk.library.dialects.sqlite_snapshot import end_snapshot, shared_snapshot
from corpusdesk.library.schema import AUTHOR_SEPARATOR, Article

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

_AUTHORS_KEY = b', "authors": '
_PUBLISHED_KEY = b', "published": '
_MODIFIED_KEY = b', "modified": '
_TAGS_KEY = b', "tags": '
_TEXT_KEY = b', "text": '
_SOURCE_FILE_KEY = b', "source_file": '
_SOURCE_NAME_KEY = b', "source_name": '
_IMPORTED_AT_KEY = b', "imported_at": '
_CAPTURED_AT_KEY = b', "captured_at": '
_EMPTY_LIST = b"[]"

_SEPARATOR = json.dumps(AUTHOR_SEPARATOR)[1:-1].encode()
# The separator is a control character: quoted, it is always a backslash escape.
assert len(_SEPARATOR) == 2 and _SEPARATOR.startswith(b"\\")
_HTML_ENDINGS = (b'.html"', b'.htm"', b'.xhtml"', b'.shtml"')
_CACHE_LIMIT = 10_000

EXPORT_BATCH = 250
"""Articles read by one statement."""
READERS = 2
"""Connections (and threads) reading a large export's batches."""
PARALLEL_FROM_BATCHES = 4
"""Exports of fewer batches than this are read on the session's connection alone."""
BATCHES_AHEAD = 2
"""Batches read ahead of the one whose lines are being handed out (a few MB of lines)."""


def _json(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False).encode("utf-8")


def _authors_json(quoted: bytes) -> bytes:
    """The authors list from the quoted stored string (the names joined by the separator).

    When no name has a backslash (quoted, it would be doubled) and none is empty, every
    escaped separator in the quoted string stands between two names, so replacing it splits
    the list; anything else is decoded and split as ``iter_details`` does.
    """
    if quoted == b'""':
        return _EMPTY_LIST
    if (
        b"\\\\" in quoted
        or _SEPARATOR + _SEPARATOR in quoted
        or quoted.startswith(b'"' + _SEPARATOR)
        or quoted.endswith(_SEPARATOR + b'"')
    ):
        return _json(split_authors(json.loads(quoted)))
    return b"[" + quoted.replace(_SEPARATOR, b'", "') + b"]"


def _quoted_stem(quoted: bytes) -> bytes:
    """The quoted file name without its .html (.htm, .xhtml, .shtml) ending, in any case.

    The endings are ASCII and no escape sequence can look like one. ``bytes.lower`` changes
    ASCII letters only, like ``str.lower`` does here: no other character lowercases to a
    letter of these endings.
    """
    for ending in _HTML_ENDINGS:
        if quoted[-len(ending) :].lower() == ending:
            return quoted[: -len(ending)] + b'"'
    return quoted


class _Pieces(dict[Any, bytes]):
    """Stored values mapped to their JSON, made once per distinct value.

    Dates and tag names repeat across a library; the cache is emptied when it grows large,
    so memory stays bounded however many distinct values an export meets.
    """

    def __init__(self, make: Callable[[Any], bytes]) -> None:
        super().__init__()
        self._make = make

    def __missing__(self, key: Any) -> bytes:
        if len(self) >= _CACHE_LIMIT:
            self.clear()
        piece = self[key] = self._make(key)
        return piece


def _result_processor(column_type: TypeEngine[Any], dialect: Dialect) -> Callable[[Any], Any]:
    """How the dialect turns a stored value of this column type into its Python value."""
    processor = column_type.dialect_impl(dialect).result_processor(dialect, None)
    return processor if processor is not None else (lambda value: value)


def _tags_json(
    connection: sqlite3.Connection, chunk: Sequence[int], marks: str, names: _Pieces
) -> dict[int, bytes]:
    """The tags list of each article in ``chunk`` that has tags, sorted as ``tags_of`` sorts."""
    tagged: dict[int, list[str]] = {}
    for article_id, name in connection.execute(_EXPORT_TAGS.format(marks), chunk):
        tagged.setdefault(article_id, []).append(name)
    return {
        article_id: b"["
        + b", ".join([names[name] for name in sorted(found, key=str.casefold)])
        + b"]"
        for article_id, found in tagged.items()
    }


class _LineMaker:
    """Turns batches of ids into export lines over one connection, with caches of its own."""

    def __init__(self, dialect: Dialect) -> None:
        to_date = _result_processor(Article.published.type, dialect)
        to_time = _result_processor(Article.imported_at.type, dialect)
        to_capture_time = _result_processor(Article.captured_at.type, dialect)

        def date_json(stored: Any) -> bytes:
            value = to_date(stored)
            return _json(value.isoformat() if value else None)

        def capture_time_json(stored: Any) -> bytes:
            value = to_capture_time(stored)
            return _json(value.isoformat() + "Z" if value else None)

        self.dates = _Pieces(date_json)
        self.times = _Pieces(lambda stored: _json(to_time(stored).isoformat() + "Z"))
        self.capture_time_json = capture_time_json
        self.names = _Pieces(_json)

    def lines(self, connection: sqlite3.Connection, chunk: Sequence[int]) -> dict[int, bytes]:
        """The line of each article of ``chunk`` found in the library, by id."""
        marks = ",".join("?" * len(chunk))
        dates, times, capture_time_json = self.dates, self.times, self.capture_time_json
        lines: dict[int, bytes] = {}
        with driver_errors():
            tags = _tags_json(connection, chunk, marks, self.names)
            # Rows are handled as they are stepped through, not fetched all at once: a batch of
            # row tuples alive together would set off garbage collections that visit every
            # object of the process.
            for (
                article_id,
                head,
                authors,
                site,
                published,
                modified,
                about,
                text,
                words,
                name,
                path,
                imported,
                captured,
                tail,
            ) in connection.execute(f"{_EXPORT_SELECT} WHERE id IN ({marks})", chunk):
                lines[article_id] = b"".join(
                    (
                        head,
                        _AUTHORS_KEY,
                        _authors_json(authors),
                        site,
                        _PUBLISHED_KEY,
                        dates[published],
                        _MODIFIED_KEY,
                        dates[modified],
                        about,
                        _TAGS_KEY,
                        tags.get(article_id, _EMPTY_LIST),
                        _TEXT_KEY,
                        text,
                        words,
                        _SOURCE_FILE_KEY,
                        _quoted_stem(name),
                        _SOURCE_NAME_KEY,
                        name,
                        path,
                        _IMPORTED_AT_KEY,
                        times[imported],
                        _CAPTURED_AT_KEY,
                        capture_time_json(captured),
                        tail,
                    )
                )
        return lines


def _in_order(chunk: Sequence[int], lines: dict[int, bytes]) -> Iterator[bytes]:
    for article_id in chunk:
        line = lines.get(article_id)
        if line is not None:
            yield line


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
    maker = _LineMaker(dialect)
    for chunk in chunks:
        yield from _in_order(chunk, maker.lines(connection, chunk))


def _read_in_threads(
    readers: list[sqlite3.Connection], chunks: Iterator[Sequence[int]], dialect: Dialect
) -> Iterator[bytes]:
    """The lines of ``chunks`` in order, each batch read by whichever reader is free; at most
    :data:`BATCHES_AHEAD` batches are read ahead of the one being handed out."""
    free: queue.SimpleQueue[tuple[sqlite3.Connection, _LineMaker]] = queue.SimpleQueue()
    for reader in readers:
        free.put((reader, _LineMaker(dialect)))

    def read(chunk: Sequence[int]) -> tuple[Sequence[int], dict[int, bytes]]:
        reader, maker = free.get()
        try:
            return chunk, maker.lines(reader, chunk)
        finally:
            free.put((reader, maker))

    pending: deque[Future[tuple[Sequence[int], dict[int, bytes]]]] = deque()
    pool = ThreadPoolExecutor(len(readers), thread_name_prefix="export-read")
    try:
        for chunk in chunks:
            pending.append(pool.submit(read, chunk))
            if len(pending) > BATCHES_AHEAD:
                yield from _in_order(*pending.popleft().result())
        while pending:
            yield from _in_order(*pending.popleft().result())
    finally:
        for future in pending:
            future.cancel()
        pool.shutdown(wait=True)
        end_snapshot(readers)
