"""Export lines joined from pieces of JSON that the database wrote: shared by both backends.

An export reads every article of a selection, text included, and turns it into the record of
``resources/article.schema.json``. Doing that in Python (a record dict, ``json.dumps``, then
encoding the text back to UTF-8) costs more than reading the rows, so each backend's export
reader has the database write the record's pieces itself (SQLite's ``json_quote`` and
PostgreSQL's ``to_json`` escape exactly as ``json.dumps(..., ensure_ascii=False)`` does) and
return them as bytes, so the long text is never decoded into a Python string. :class:`LineMaker`
joins a row's pieces and adds what SQL cannot write the same way: the tags (sorted by
``str.casefold``), the dates (converted by the column types, cached since they repeat), the
authors list and the source file name, both cut out of their quoted stored strings.

A row (:data:`PieceRow`) is the article's id, then: the record's start up to its title, the
quoted authors, site name and address, the published and modified dates, language and
description, the quoted text, the word count, the quoted source name, source path, member
and SHA-256, the imported and captured times, and the record's end. The lines are byte for
byte what ``corpusdesk.exporting.records.export_line`` makes of ``iter_details``; the export
tests compare the two.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeEngine

from corpusdesk.library.articles import split_authors
from corpusdesk.library.schema import AUTHOR_SEPARATOR, Article

PieceRow = tuple[Any, ...]

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


def _json(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False).encode("utf-8")


def authors_json(quoted: bytes) -> bytes:
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


def quoted_stem(quoted: bytes) -> bytes:
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


class LineMaker:
    """Joins the pieces of rows read from one backend into lines, with caches of its own (one
    maker a thread)."""

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

        self._dates = _Pieces(date_json)
        self._times = _Pieces(lambda stored: _json(to_time(stored).isoformat() + "Z"))
        self._capture_time_json = capture_time_json
        self._names = _Pieces(_json)

    def tags_json(self, pairs: Iterable[tuple[int, str]]) -> dict[int, bytes]:
        """The tags list of each article among the (article id, tag name) ``pairs``, sorted as
        ``tags_of`` sorts."""
        tagged: dict[int, list[str]] = {}
        for article_id, name in pairs:
            tagged.setdefault(article_id, []).append(name)
        names = self._names
        return {
            article_id: b"["
            + b", ".join([names[name] for name in sorted(found, key=str.casefold)])
            + b"]"
            for article_id, found in tagged.items()
        }

    def lines(self, rows: Iterable[PieceRow], tags: dict[int, bytes]) -> dict[int, bytes]:
        """The line of each row, by article id; ``tags`` from :meth:`tags_json`."""
        dates, times, capture_time_json = self._dates, self._times, self._capture_time_json
        lines: dict[int, bytes] = {}
        # Rows are handled as they are stepped through, not fetched all at once: a batch of row
        # tuples alive together would set off garbage collections that visit every object of
        # the process.
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
        ) in rows:
            lines[article_id] = b"".join(
                (
                    head,
                    _AUTHORS_KEY,
                    authors_json(authors),
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
                    quoted_stem(name),
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


def in_order(chunk: Sequence[int], lines: dict[int, bytes]) -> Iterator[bytes]:
    """The lines of the ids of ``chunk`` that were found, in the chunk's order."""
    for article_id in chunk:
        line = lines.get(article_id)
        if line is not None:
            yield line
