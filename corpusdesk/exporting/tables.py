"""Export records as tables: CSV and Parquet, one row per article, one column per field.

CSV is UTF-8 (with a byte order mark for Excel on request), with Excel's quoting: a cell
holding the delimiter, a quote or a line break is quoted, quotes doubled. Lists (authors, tags)
are joined with ``"; "``, and a missing value is an empty cell.

Parquet columns are typed: dates are ``date32``, times ``timestamp[us, UTC]``, lists
``list<string>``, whole numbers ``int64``, everything else ``string``. Rows are written a row
group at a time, so memory stays flat however many articles are exported.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from corpusdesk.exporting.formats import ExportOptions, Sink

LIST_SEPARATOR = "; "
"""What joins the items of a list (authors, tags) in a CSV cell."""
CSV_CHUNK = 1024 * 1024
"""Characters of CSV gathered before each write."""
ROW_GROUP_ROWS = 2000
ROW_GROUP_CHARACTERS = 32 * 1024 * 1024
"""A Parquet row group ends at this many rows or characters of text, whichever comes first."""

_STRING_LIST = pa.list_(pa.string())
_TIME = pa.timestamp("us", tz="UTC")

PARQUET_TYPES: dict[str, pa.DataType] = {
    "id": pa.int64(),
    "title": pa.string(),
    "authors": _STRING_LIST,
    "site_name": pa.string(),
    "url": pa.string(),
    "published": pa.date32(),
    "modified": pa.date32(),
    "language": pa.string(),
    "description": pa.string(),
    "tags": _STRING_LIST,
    "text": pa.string(),
    "word_count": pa.int64(),
    "source_file": pa.string(),
    "source_name": pa.string(),
    "source_path": pa.string(),
    "source_member": pa.string(),
    "sha256": pa.string(),
    "imported_at": _TIME,
    "captured_at": _TIME,
    "duplicate_group": pa.int64(),
    "encoding": pa.string(),
    "extractor_version": pa.string(),
}
"""The Parquet type of each record field."""


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _time(value: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value) if value else None  # "…Z" is read as UTC


def _same(value: Any) -> Any:
    return value


_TO_PARQUET: dict[pa.DataType, Callable[[Any], Any]] = {pa.date32(): _date, _TIME: _time}


def _csv_cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, list):
        return LIST_SEPARATOR.join(value)
    return value


def write_csv(sink: Sink, records: Iterable[dict[str, Any]], options: ExportOptions) -> None:
    """Write ``records`` as CSV: a header of field names, then a row per article."""
    columns = options.columns
    if options.bom:
        sink.write(codecs.BOM_UTF8)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(columns)
    for record in records:
        writer.writerow([_csv_cell(record[name]) for name in columns])
        if buffer.tell() >= CSV_CHUNK:
            sink.write(buffer.getvalue().encode("utf-8"))
            buffer.seek(0)
            buffer.truncate()
    sink.write(buffer.getvalue().encode("utf-8"))


def parquet_schema(columns: Sequence[str]) -> pa.Schema:
    """The Parquet schema of an export of these fields."""
    return pa.schema([pa.field(name, PARQUET_TYPES[name]) for name in columns])


def write_parquet(sink: Sink, records: Iterable[dict[str, Any]], options: ExportOptions) -> None:
    """Write ``records`` as one Parquet file, a row group at a time."""
    columns = options.columns
    schema = parquet_schema(columns)
    convert = [_TO_PARQUET.get(PARQUET_TYPES[name], _same) for name in columns]
    gathered: list[list[Any]] = [[] for _ in columns]
    rows = characters = 0
    with pq.ParquetWriter(sink, schema, compression="zstd") as writer:

        def write_group() -> None:
            arrays = [
                pa.array(values, type=field.type)
                for values, field in zip(gathered, schema, strict=True)
            ]
            writer.write_table(pa.Table.from_arrays(arrays, schema=schema))
            for values in gathered:
                values.clear()

        for record in records:
            for values, name, to_value in zip(gathered, columns, convert, strict=True):
                values.append(to_value(record[name]))
            rows += 1
            characters += len(record["text"])
            if rows >= ROW_GROUP_ROWS or characters >= ROW_GROUP_CHARACTERS:
                write_group()
                rows = characters = 0
        if rows:
            write_group()
