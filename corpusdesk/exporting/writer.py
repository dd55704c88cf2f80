"""Streaming export to JSON, JSONL, CSV, Parquet or CSL-JSON, written atomically.

Records are read from the library in batches and written as they come, so memory stays flat in
the number of articles. The file is written under a temporary name in the target folder, flushed
to disk and renamed over the target only when complete: a failed, cancelled or killed export
never leaves a half-written file at the target name. A pipe or a terminal is written to as a
stream (``target`` decides which targets are refused, streamed or replaced).

Every format starts from the record lines the library builds; JSON and JSONL copy them (or, with
chosen fields, only those fields), the others read each line back into a record and hand it to
their writer (``tables``, ``csl``).
"""

from __future__ import annotations

import errno
import json
import os
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import IO, Any, Protocol, TypeVar, runtime_checkable

from corpusdesk.core.errors import UserError
from corpusdesk.core.records import ArticleDetail
from corpusdesk.exporting.csl import write_csl_json
from corpusdesk.exporting.formats import ExportFormat, ExportOptions, OnePerGroup, Sink
from corpusdesk.exporting.records import export_line
from corpusdesk.exporting.tables import write_csv
from corpusdesk.exporting.target import is_stream, open_stream, open_temporary, refuse_library_files

__all__ = [
    "ExportCancelled",
    "ExportFormat",
    "ExportOptions",
    "OnePerGroup",
    "export_articles",
]

PROGRESS_EVERY = 500
WRITE_BATCH = 400
"""Pieces of the file gathered before each write to it."""
FLUSH_EVERY = 64 * 1024 * 1024
"""Bytes written between flushes to disk in the background (see ``_Flusher``)."""

RecordWriter = Callable[[Sink, Iterable[dict[str, Any]], ExportOptions], None]


def write_parquet(sink: Sink, records: Iterable[dict[str, Any]], options: ExportOptions) -> None:
    """Write Parquet through pyarrow, which an installation may lack (the packaged app)."""
    try:
        from corpusdesk.exporting import parquet
    except ImportError as error:
        raise UserError(
            "Parquet export needs the pyarrow package, which this installation of corpusdesk "
            "does not include; export CSV or JSONL instead, or install corpusdesk with pipx"
        ) from error
    parquet.write_parquet(sink, records, options)


RECORD_WRITERS: dict[ExportFormat, RecordWriter] = {
    ExportFormat.CSV: write_csv,
    ExportFormat.PARQUET: write_parquet,
    ExportFormat.CSL_JSON: write_csl_json,
}
"""The formats written from records rather than from the lines of JSON."""

_Item = TypeVar("_Item")


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


@runtime_checkable
class GroupedSource(Protocol):
    """A source that can keep one article of each duplicate group (the library)."""

    def one_per_group(self, ids: Sequence[int], *, longest: bool = False) -> list[int]: ...


class ExportCancelled(UserError):
    """The user cancelled an export; nothing was written."""


class _Counter:
    """Counts the records going out, reports progress and stops when the export is cancelled."""

    def __init__(
        self, progress: Callable[[int], None] | None, cancelled: Callable[[], bool] | None
    ) -> None:
        self.count = 0
        self._progress = progress
        self._cancelled = cancelled

    def through(self, items: Iterable[_Item]) -> Iterator[_Item]:
        """``items``, counted as each is taken."""
        for item in items:
            if self._cancelled is not None and self.count % 100 == 0 and self._cancelled():
                raise ExportCancelled("export cancelled; no file was written")
            yield item
            self.count += 1
            if self._progress is not None and self.count % PROGRESS_EVERY == 0:
                self._progress(self.count)


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


def _only(fields: Sequence[str], lines: Iterable[bytes]) -> Iterator[bytes]:
    for line in lines:
        record = json.loads(line)
        yield json.dumps({name: record[name] for name in fields}, ensure_ascii=False).encode()


def _write_lines(handle: Sink, lines: Iterable[bytes], fmt: ExportFormat) -> None:
    written = 0
    pending: list[bytes] = [b"["] if fmt is ExportFormat.JSON else []
    for line in lines:
        if fmt is ExportFormat.JSON:
            pending.append(b"\n" if written == 0 else b",\n")
        pending.append(line)
        if fmt is ExportFormat.JSONL:
            pending.append(b"\n")
        written += 1
        if len(pending) >= WRITE_BATCH:
            handle.write(b"".join(pending))  # one write per batch: far fewer, larger writes
            pending.clear()
    if fmt is ExportFormat.JSON:
        pending.append(b"\n]\n" if written else b"]\n")
    handle.write(b"".join(pending))


def _write_records(
    handle: IO[bytes],
    lines: Iterable[bytes],
    fmt: ExportFormat,
    options: ExportOptions,
    counter: _Counter,
    flusher: _Flusher | None,
) -> int:
    sink = Sink(handle, flusher.wrote if flusher is not None else None)
    counted = counter.through(lines)
    writer = RECORD_WRITERS.get(fmt)
    if writer is not None:
        writer(sink, (json.loads(line) for line in counted), options)
    elif options.fields is not None:
        _write_lines(sink, _only(options.fields, counted), fmt)
    else:
        _write_lines(sink, counted, fmt)
    return counter.count


def export_articles(
    source: DetailSource,
    ids: Sequence[int],
    target: Path,
    fmt: ExportFormat | None = None,
    *,
    progress: Callable[[int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
    library: Path | None = None,
    options: ExportOptions | None = None,
) -> int:
    """Write the articles ``ids`` to ``target``; returns how many were written.

    ``fmt`` defaults to the one the target's extension suggests. ``library`` is the path of
    the library being exported: its files and backups are refused as targets. See ``target``
    for pipes, terminals and symbolic links.
    """
    target = Path(target)
    fmt = fmt or ExportFormat.for_path(target)
    options = options or ExportOptions()
    options.check(fmt)
    if library is not None:
        refuse_library_files(target, library)
    if options.one_per_group is not None:
        if not isinstance(source, GroupedSource):
            raise TypeError("keeping one article per duplicate group needs the library")
        longest = options.one_per_group is OnePerGroup.LONGEST
        ids = source.one_per_group(ids, longest=longest)
    lines = _lines(source, ids)
    counter = _Counter(progress, cancelled)
    if is_stream(target):
        count = _export_to_stream(target, lines, fmt, options, counter)
    else:
        count = _export_to_file(target, lines, fmt, options, counter)
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
    options: ExportOptions,
    counter: _Counter,
) -> int:
    # A pipe or a terminal cannot be replaced whole: records go out as they are read.
    try:
        with os.fdopen(open_stream(target), "wb") as handle:
            return _write_records(handle, lines, fmt, options, counter, None)
    except OSError as error:
        raise _failure(target, error) from error


def _export_to_file(
    target: Path,
    lines: Iterable[bytes],
    fmt: ExportFormat,
    options: ExportOptions,
    counter: _Counter,
) -> int:
    descriptor, temporary, final = open_temporary(target)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            flusher = _Flusher(handle.fileno())
            try:
                count = _write_records(handle, lines, fmt, options, counter, flusher)
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
