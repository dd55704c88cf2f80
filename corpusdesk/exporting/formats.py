"""The export formats, the options that shape an export, and the byte sink formats write to.

Every format starts from the same record (``records.export_record``, read from the library as
a line of JSON); the formats differ only in how they write it. JSON and JSONL copy the lines,
CSV and Parquet lay the chosen fields out as columns (``tables``), CSL-JSON maps each record to
a citation item (``csl``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import IO

from corpusdesk.core.errors import UserError
from corpusdesk.exporting.records import FIELDS


class ExportFormat(StrEnum):
    """The export file formats."""

    JSON = "json"
    JSONL = "jsonl"
    CSV = "csv"
    PARQUET = "parquet"
    CSL_JSON = "csl-json"

    @classmethod
    def for_path(cls, path: Path) -> ExportFormat:
        """The format a file name's extension suggests (JSONL when it suggests none)."""
        name = path.name.lower()
        if name.endswith(".csl.json"):
            return cls.CSL_JSON
        suffixes = {".json": cls.JSON, ".csv": cls.CSV, ".parquet": cls.PARQUET}
        return suffixes.get(Path(name).suffix, cls.JSONL)


class OnePerGroup(StrEnum):
    """Which article of a duplicate group an export keeps."""

    EARLIEST = "earliest"
    """The first published (then the first captured, then the first imported)."""
    LONGEST = "longest"
    """The one with the most words (then the first imported)."""


@dataclass(frozen=True, slots=True)
class ExportOptions:
    """What to write besides the format: which fields, a BOM, one article per duplicate group."""

    fields: tuple[str, ...] | None = None
    """The record fields to write, in this order (None: all of them)."""
    bom: bool = False
    """Begin a CSV file with the UTF-8 byte order mark, by which Excel recognises UTF-8."""
    one_per_group: OnePerGroup | None = None
    """Keep only one article of each duplicate group found among the exported ones."""

    @property
    def columns(self) -> tuple[str, ...]:
        """The fields written, in order."""
        return self.fields if self.fields is not None else FIELDS

    def check(self, fmt: ExportFormat) -> None:
        """Raise ``UserError`` for options that ``fmt`` cannot honour."""
        if self.bom and fmt is not ExportFormat.CSV:
            raise UserError("--bom applies to CSV exports only")
        if self.fields is not None and fmt is ExportFormat.CSL_JSON:
            raise UserError("--fields does not apply to CSL-JSON, whose fields are fixed")


def parse_fields(text: str) -> tuple[str, ...]:
    """The field names of a comma-separated list, checked against the record's fields."""
    names = tuple(name.strip() for name in text.split(",") if name.strip())
    unknown = [name for name in names if name not in FIELDS]
    if unknown or not names:
        plural = "s" if len(unknown) > 1 else ""
        wrong = f"unknown field{plural} {', '.join(unknown)}" if unknown else "no fields given"
        raise UserError(f"{wrong}; valid fields: {', '.join(FIELDS)}")
    return tuple(dict.fromkeys(names))


class Sink:
    """The export's output as a binary file that counts what it is given.

    Formats write bytes here (pyarrow's Parquet writer too, which needs ``tell``); ``wrote``
    hears of every write, for flushing a large file to disk as it grows. The position is
    counted, not asked of the file, since a pipe has none.
    """

    def __init__(self, handle: IO[bytes], wrote: Callable[[int], None] | None = None) -> None:
        self._handle = handle
        self._wrote = wrote
        self._position = 0
        self.closed = False

    def write(self, data: bytes | bytearray | memoryview) -> int:
        """Write ``data`` whole."""
        size = len(data)
        self._handle.write(data)
        self._position += size
        if self._wrote is not None:
            self._wrote(size)
        return size

    def tell(self) -> int:
        """Bytes written so far."""
        return self._position

    def flush(self) -> None:
        """Hand what was written to the operating system."""
        self._handle.flush()

    def writable(self) -> bool:
        """Always: a sink is for writing."""
        return True

    def seekable(self) -> bool:
        """Never: formats write straight through, as to a pipe."""
        return False

    def close(self) -> None:
        """Mark the sink closed; the file itself is closed by whoever opened it."""
        self.closed = True
