"""Streaming export to JSON or JSONL, written atomically.

Records are read from the library in batches and written as they come, so memory stays flat in
the number of articles. The file is written under a temporary name in the target folder, flushed
to disk and renamed over the target only when complete: a failed, cancelled or killed export
never leaves a half-written file at the target name.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from enum import StrEnum
from pathlib import Path
from typing import IO, Protocol, runtime_checkable

from corpusdesk.core.errors import UserError
from corpusdesk.core.records import ArticleDetail
from corpusdesk.exporting.records import export_line

PROGRESS_EVERY = 500
WRITE_BATCH = 400
"""Pieces of text gathered before each write to the file."""


class ExportFormat(StrEnum):
    """The export file formats."""

    JSON = "json"
    JSONL = "jsonl"

    @classmethod
    def for_path(cls, path: Path) -> ExportFormat:
        """The format a file name's extension suggests (JSONL unless it ends in .json)."""
        return cls.JSON if path.suffix.lower() == ".json" else cls.JSONL


class DetailSource(Protocol):
    """Anything that yields article details for ids (the library)."""

    def iter_details(self, ids: Sequence[int]) -> Iterable[ArticleDetail]: ...


@runtime_checkable
class ExportSource(Protocol):
    """A source that also yields details with their text already JSON-encoded (faster)."""

    def iter_export(self, ids: Sequence[int]) -> Iterable[tuple[ArticleDetail, str]]: ...


def _lines(source: DetailSource, ids: Sequence[int]) -> Iterator[str]:
    if isinstance(source, ExportSource):
        for detail, text_json in source.iter_export(ids):
            yield export_line(detail, text_json)
    else:
        for detail in source.iter_details(ids):
            yield export_line(detail)


class ExportCancelled(UserError):
    """The user cancelled an export; nothing was written."""


def _write_records(
    handle: IO[str],
    lines: Iterable[str],
    fmt: ExportFormat,
    progress: Callable[[int], None] | None,
    cancelled: Callable[[], bool] | None,
) -> int:
    written = 0
    pending: list[str] = ["["] if fmt is ExportFormat.JSON else []
    for line in lines:
        if cancelled is not None and written % 100 == 0 and cancelled():
            raise ExportCancelled("export cancelled; no file was written")
        if fmt is ExportFormat.JSON:
            pending.append("\n" if written == 0 else ",\n")
        pending.append(line)
        if fmt is ExportFormat.JSONL:
            pending.append("\n")
        written += 1
        if len(pending) >= WRITE_BATCH:
            handle.write("".join(pending))  # one write per batch: far fewer, larger writes
            pending.clear()
        if progress is not None and written % PROGRESS_EVERY == 0:
            progress(written)
    if fmt is ExportFormat.JSON:
        pending.append("\n]\n" if written else "]\n")
    handle.write("".join(pending))
    return written


def export_articles(
    source: DetailSource,
    ids: Sequence[int],
    target: Path,
    fmt: ExportFormat | None = None,
    *,
    progress: Callable[[int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> int:
    """Write the articles ``ids`` to ``target``; returns how many were written."""
    target = Path(target)
    fmt = fmt or ExportFormat.for_path(target)
    folder = target.parent if str(target.parent) else Path()
    if not folder.is_dir():
        raise UserError(f"cannot export: the folder {folder} does not exist")
    descriptor, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=folder)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8", newline="\n") as handle:
            count = _write_records(handle, _lines(source, ids), fmt, progress, cancelled)
            handle.flush()
            os.fsync(handle.fileno())
        Path(temporary).replace(target)
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        reason = "the disk is full" if error.errno == 28 else (error.strerror or str(error))
        raise UserError(f"cannot export to {target}: {reason}") from error
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    if progress is not None:
        progress(count)
    return count
