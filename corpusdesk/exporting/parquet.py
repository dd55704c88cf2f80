"""Parquet exports: typed columns, written a row group at a time.

Dates are ``date32``, times ``timestamp[us, UTC]``, lists ``list<string>``, whole numbers
``int64``, everything else ``string``; memory stays flat however many articles are exported.

Imported only when a Parquet file is written: pyarrow is large, and an installation without it
(the packaged app leaves it out to stay small) can still export every other format.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from corpusdesk.exporting.formats import ExportOptions, Sink

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
