"""PostgreSQL's export reader: each article a finished line of JSON, as UTF-8 bytes.

The server writes each record's short pieces (:mod:`corpusdesk.library.export_pieces`):
``to_json`` of a text escapes exactly as ``json.dumps(..., ensure_ascii=False)`` does (the
short escapes, ``\\u00XX`` in lower case for the other control characters, everything else as
it is), and ``convert_to`` hands each piece over as bytes. The article text is quoted in Python
instead, by the C escaper ``json.dumps`` itself uses: the server's own quoting goes a character
at a time and took longer than everything else together.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from json.encoder import encode_basestring
from typing import Any

import psycopg
from sqlalchemy.orm import Session

from corpusdesk.library.articles import id_chunks
from corpusdesk.library.dialects import driver_errors
from corpusdesk.library.export_pieces import LineMaker, PieceRow, in_order

EXPORT_BATCH = 1000
"""Articles read by one statement."""
_TEXT = 7
"""The text's place in a row."""


# Columns as in ``export_pieces.PieceRow`` but for the text, quoted in Python; to_json of NULL
# is NULL, hence the coalesce.
_EXPORT_SELECT = """SELECT id,
    convert_to('{"id": ' || id::text || ', "title": ' || to_json(title)::text, 'UTF8'),
    convert_to(to_json(authors)::text, 'UTF8'),
    convert_to(', "site_name": ' || coalesce(to_json(nullif(site_name, ''))::text, 'null')
        || ', "url": ' || coalesce(to_json(nullif(url, ''))::text, 'null'), 'UTF8'),
    published,
    modified,
    convert_to(', "language": ' || coalesce(to_json(nullif(language, ''))::text, 'null')
        || ', "description": ' || coalesce(to_json(nullif(description, ''))::text, 'null'),
        'UTF8'),
    text,
    convert_to(', "word_count": ' || word_count::text, 'UTF8'),
    convert_to(to_json(source_name)::text, 'UTF8'),
    convert_to(', "source_path": ' || to_json(source_path)::text
        || ', "source_member": ' || coalesce(to_json(source_member)::text, 'null')
        || ', "sha256": ' || to_json(sha256)::text, 'UTF8'),
    imported_at,
    captured_at,
    convert_to(', "duplicate_group": ' || coalesce(duplicate_group::text, 'null')
        || ', "encoding": ' || coalesce(to_json(nullif(encoding, ''))::text, 'null')
        || ', "extractor_version": ' || to_json(extractor_version)::text || '}', 'UTF8')
FROM articles WHERE id = ANY(%s)"""

_EXPORT_TAGS = (
    "SELECT article_tags.article_id, tags.name FROM article_tags "
    "JOIN tags ON tags.id = article_tags.tag_id WHERE article_tags.article_id = ANY(%s)"
)


def _with_quoted_text(row: PieceRow) -> PieceRow:
    return (*row[:_TEXT], encode_basestring(row[_TEXT]).encode("utf-8"), *row[_TEXT + 1 :])


def iter_export(session: Session, ids: Sequence[int]) -> Iterator[bytes]:
    """The export record of each article as one line of JSON (no newline), in the order of
    ``ids``; ids not in the library are skipped."""
    connection: Any = session.connection().connection.driver_connection
    maker = LineMaker(session.get_bind().dialect)
    for chunk in id_chunks(ids, EXPORT_BATCH):
        wanted = list(chunk)
        with driver_errors(psycopg.Error), connection.cursor() as cursor:
            tags = maker.tags_json(cursor.execute(_EXPORT_TAGS, (wanted,)))
            rows = cursor.execute(_EXPORT_SELECT, (wanted,))
            lines = maker.lines((_with_quoted_text(row) for row in rows), tags)
        yield from in_order(chunk, lines)
