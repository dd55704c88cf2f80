"""CSV exports: one row per article, one column per field.

CSV is UTF-8 (with a byte order mark for Excel on request), with Excel's quoting: a cell
holding the delimiter, a quote or a line break is quoted, quotes doubled. Lists (authors, tags)
are joined with ``"; "``, and a missing value is an empty cell. (Parquet: ``parquet.py``.)
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterable
from typing import Any

from corpusdesk.exporting.formats import ExportOptions, Sink

LIST_SEPARATOR = "; "
"""What joins the items of a list (authors, tags) in a CSV cell."""
CSV_CHUNK = 1024 * 1024
"""Characters of CSV gathered before each write."""


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
