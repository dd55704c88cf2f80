"""The import pipeline: many files in, drafts prepared in worker processes, one writer.

Reading, decoding, extraction and signatures are CPU-bound and run in a process pool on every
core; the calling thread is the only writer, committing drafts in batches through the library.
Progress goes to a callback and a cancel callable is polled between files. A file that fails,
hangs past the per-file time limit or crashes its worker process is reported with a reason and
the batch goes on; what was committed stays committed.
"""

from __future__ import annotations

import concurrent.futures as futures
import datetime as dt
import multiprocessing
import os
import time
from collections.abc import Callable, Collection, Iterable, Sequence
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from corpusdesk.core.records import (
    ArticleDraft,
    FileResult,
    ImportProgress,
    ImportReport,
)
from corpusdesk.importing import files, prepare

BATCH_SIZE = 200
BATCH_SECONDS = 1.0
WORKER_MODULES = ("corpusdesk.importing.prepare", "corpusdesk.importing.warm")
"""Imported once in the fork server, so every worker it forks starts with them loaded."""


class DraftSink(Protocol):
    """Where prepared drafts are written: the library (or a test double)."""

    path: Path

    def add_drafts(self, drafts: Sequence[ArticleDraft]) -> list[FileResult]: ...

    def file_identities(self) -> Collection[files.FileIdentity]:
        """The sink's own files, which the import must pass over without opening them."""
        ...


ProgressCallback = Callable[[ImportProgress], None]
CommittedCallback = Callable[[list[FileResult]], None]


@dataclass
class _Writer:
    """Buffers drafts and writes them in batches through the sink."""

    sink: DraftSink
    report: ImportReport
    on_committed: CommittedCallback | None
    pending: list[ArticleDraft]
    last_flush: float

    def add(self, item: ArticleDraft | FileResult) -> None:
        if isinstance(item, FileResult):
            self.report.results.append(item)
        else:
            self.pending.append(item)
        if len(self.pending) >= BATCH_SIZE or (
            self.pending and time.monotonic() - self.last_flush >= BATCH_SECONDS
        ):
            self.flush()

    def flush(self) -> None:
        self.last_flush = time.monotonic()
        if not self.pending:
            return
        batch, self.pending = self.pending, []
        results = self.sink.add_drafts(batch)
        self.report.results.extend(results)
        if self.on_committed is not None:
            self.on_committed(results)


def _pool(library_path: Path, workers: int) -> futures.ProcessPoolExecutor:
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(list(WORKER_MODULES))
    return futures.ProcessPoolExecutor(
        max_workers=workers,
        mp_context=context,
        initializer=prepare.init_worker,
        initargs=(str(library_path), True, os.getpid()),
    )


def run_import(
    sink: DraftSink,
    paths: Iterable[Path | str],
    *,
    progress: ProgressCallback | None = None,
    cancelled: Callable[[], bool] | None = None,
    on_committed: CommittedCallback | None = None,
    workers: int | None = None,
) -> ImportReport:
    """Import files and folders (recursively) into ``sink``; returns the report."""
    given = [Path(p) for p in paths]
    report = ImportReport(started_at=dt.datetime.now(), sources=tuple(str(p) for p in given))
    found, problems = files.discover(given, skip=sink.file_identities())
    report.results.extend(problems)
    writer = _Writer(sink, report, on_committed, [], time.monotonic())
    total, done = len(found), 0
    is_cancelled = cancelled or (lambda: False)
    workers = max(1, workers or os.cpu_count() or 1)

    def finished(path: Path, item: ArticleDraft | FileResult) -> None:
        nonlocal done
        done += 1
        writer.add(item)
        if progress is not None:
            progress(ImportProgress(done, total, path.name))

    if progress is not None:
        progress(ImportProgress(0, total, ""))
    if found:
        # However few the files, each is prepared in a worker process: only there do the
        # per-file time limit and the memory cap apply, and a crash ends the worker alone.
        workers = min(workers, total)
        report.cancelled = _run_pool(sink.path, found, workers, finished, is_cancelled)
    writer.flush()
    report.finished_at = dt.datetime.now()
    return report


def _run_pool(
    library_path: Path,
    found: list[Path],
    workers: int,
    finished: Callable[[Path, ArticleDraft | FileResult], None],
    is_cancelled: Callable[[], bool],
) -> bool:
    """Prepare ``found`` in worker processes; returns True when cancelled."""
    queue = list(reversed(found))
    suspects: list[Path] = []
    max_in_flight = workers * 4
    pool = _pool(library_path, workers)
    in_flight: dict[futures.Future[ArticleDraft | FileResult], Path] = {}
    try:
        while queue or in_flight or suspects:
            if is_cancelled():
                return True
            # After a worker crash the files then in flight are retried one at a time, so the
            # one that crashes it again is identified and reported alone.
            limit = 1 if suspects else max_in_flight
            source = suspects if suspects else queue
            while source and len(in_flight) < limit:
                path = source.pop()
                in_flight[pool.submit(prepare.prepare_file, str(path))] = path
            done, _ = futures.wait(in_flight, timeout=0.2, return_when=futures.FIRST_COMPLETED)
            crashed: list[Path] = []
            for future in done:
                path = in_flight.pop(future)
                try:
                    finished(path, future.result())
                except BrokenProcessPool:
                    crashed.append(path)
            if crashed:
                crashed.extend(in_flight.values())
                in_flight.clear()
                pool.shutdown(wait=False, cancel_futures=True)
                pool = _pool(library_path, workers)
                if limit == 1:
                    for path in crashed:
                        finished(path, prepare.crash_result(path))
                else:
                    suspects.extend(crashed)
        return False
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
