"""Streaming export to JSON or JSONL, written atomically.

Records are read from the library in batches and written as they come, so memory stays flat in
the number of articles. The file is written under a temporary name in the target folder, flushed
to disk and renamed over the target only when complete: a failed, cancelled or killed export
never leaves a half-written file at the target name. A pipe or a terminal is written to as a
stream (``target`` decides which targets are refused, streamed or replaced).
"""

from __future__ import annotations

import errno
import os
import threading
from collections.abc import Callable, Iterable, Sequence
from enum import StrEnum
from pathlib import Path
from typing import IO, Protocol, runtime_checkable

from corpusdesk.core.errors import UserError
from corpusdesk.core.records import ArticleDetail
from corpusdesk.exporting.records import export_line
from corpusdesk.exporting.target import is_stream, open_stream, open_temporary, refuse_library_files

PROGRESS_EVERY = 500
WRITE_BATCH = 400
"""Pieces of the file gathered before each write to it."""
FLUSH_EVERY = 64 * 1024 * 1024
"""Bytes written between flushes to disk in the background (see ``_Flusher``)."""


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
    """A source that also yields finished record lines (UTF-8, no newline): much faster."""

    def iter_export(self, ids: Sequence[int]) -> Iterable[bytes]: ...


def _lines(source: DetailSource, ids: Sequence[int]) -> Iterable[bytes]:
    if isinstance(source, ExportSource):
        return source.iter_export(ids)
    return (export_line(detail).encode("utf-8") for detail in source.iter_details(ids))


class ExportCancelled(UserError):
    """The user cancelled an export; nothing was written."""


class _Flusher:
    """Flushes the file to disk in a thread, every ``FLUSH_EVERY`` bytes, while writing goes on.

    The closing fsync then waits only for what was written since the last flush instead of for
    the whole file: on a large export the disk writes overlap with reading the library. A
    failed flush is raised in the writing thread.
    """

    def __init__(self, descriptor: int) -> None:
        self._descriptor = descriptor
        self._unflushed = 0
        self._wanted = threading.Event()
        self._stopping = False
        self._error: OSError | None = None
        self._thread: threading.Thread | None = None

    def wrote(self, size: int) -> None:
        """Count ``size`` more bytes written; start a flush when enough have gathered."""
        self.check()
        self._unflushed += size
        if self._unflushed < FLUSH_EVERY:
            return
        self._unflushed = 0
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="export-flush", daemon=True)
            self._thread.start()
        self._wanted.set()

    def check(self) -> None:
        """Raise the error of a failed flush, if any."""
        if self._error is not None:
            raise self._error

    def stop(self) -> None:
        """End the thread; it must not outlive the file."""
        if self._thread is not None:
            self._stopping = True
            self._wanted.set()
            self._thread.join()

    def _run(self) -> None:
        while True:
            self._wanted.wait()
            self._wanted.clear()
            if self._stopping:
                return
            try:
                os.fsync(self._descriptor)
            except OSError as error:
                self._error = error
                return


def _write_records(
    handle: IO[bytes],
    lines: Iterable[bytes],
    fmt: ExportFormat,
    progress: Callable[[int], None] | None,
    cancelled: Callable[[], bool] | None,
    flusher: _Flusher | None,
) -> int:
    written = 0
    pending: list[bytes] = [b"["] if fmt is ExportFormat.JSON else []
    for line in lines:
        if cancelled is not None and written % 100 == 0 and cancelled():
            raise ExportCancelled("export cancelled; no file was written")
        if fmt is ExportFormat.JSON:
            pending.append(b"\n" if written == 0 else b",\n")
        pending.append(line)
        if fmt is ExportFormat.JSONL:
            pending.append(b"\n")
        written += 1
        if len(pending) >= WRITE_BATCH:
            batch = b"".join(pending)  # one write per batch: far fewer, larger writes
            handle.write(batch)
            if flusher is not None:
                flusher.wrote(len(batch))
            pending.clear()
        if progress is not None and written % PROGRESS_EVERY == 0:
            progress(written)
    if fmt is ExportFormat.JSON:
        pending.append(b"\n]\n" if written else b"]\n")
    handle.write(b"".join(pending))
    return written


def export_articles(
    source: DetailSource,
    ids: Sequence[int],
    target: Path,
    fmt: ExportFormat | None = None,
    *,
    progress: Callable[[int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
    library: Path | None = None,
) -> int:
    """Write the articles ``ids`` to ``target``; returns how many were written.

    ``library`` is the path of the library being exported: its files and backups are refused
    as targets. See ``target`` for pipes, terminals and symbolic links.
    """
    target = Path(target)
    fmt = fmt or ExportFormat.for_path(target)
    if library is not None:
        refuse_library_files(target, library)
    lines = _lines(source, ids)
    if is_stream(target):
        count = _export_to_stream(target, lines, fmt, progress, cancelled)
    else:
        count = _export_to_file(target, lines, fmt, progress, cancelled)
    if progress is not None:
        progress(count)
    return count


def _failure(target: Path, error: OSError) -> UserError:
    reason = "the disk is full" if error.errno == errno.ENOSPC else (error.strerror or str(error))
    return UserError(f"cannot export to {target}: {reason}")


def _export_to_stream(
    target: Path,
    lines: Iterable[bytes],
    fmt: ExportFormat,
    progress: Callable[[int], None] | None,
    cancelled: Callable[[], bool] | None,
) -> int:
    # A pipe or a terminal cannot be replaced whole: records go out as they are read.
    try:
        with os.fdopen(open_stream(target), "wb") as handle:
            return _write_records(handle, lines, fmt, progress, cancelled, None)
    except OSError as error:
        raise _failure(target, error) from error


def _export_to_file(
    target: Path,
    lines: Iterable[bytes],
    fmt: ExportFormat,
    progress: Callable[[int], None] | None,
    cancelled: Callable[[], bool] | None,
) -> int:
    descriptor, temporary, final = open_temporary(target)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            flusher = _Flusher(handle.fileno())
            try:
                count = _write_records(handle, lines, fmt, progress, cancelled, flusher)
            finally:
                flusher.stop()
            flusher.check()
            handle.flush()
            os.fsync(handle.fileno())
        temporary.replace(final)
    except OSError as error:
        temporary.unlink(missing_ok=True)
        raise _failure(target, error) from error
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return count
