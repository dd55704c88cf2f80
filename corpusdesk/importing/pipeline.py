"""The import pipeline: many files in, drafts prepared in worker processes, one writer.

The calling process finds the files (:mod:`~corpusdesk.importing.files`) and reads the pages
out of them through their capture sources, one page at a time (an archive is streamed, never
unpacked whole). Unpacking a page's capture format, decoding, extraction and signatures are
CPU-bound and run in a process pool on every core, each page under the per-page time limit and
memory cap; the calling thread is the only writer, committing drafts in batches through the
library. Progress goes to a callback and a cancel callable is polled between pages. A page that
fails, hangs past the time limit or crashes its worker process, and a container that cannot be
read, is reported with a reason and the batch goes on; what was committed stays committed.
"""

from __future__ import annotations

import concurrent.futures as futures
import datetime as dt
import multiprocessing
import os
import time
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from corpusdesk.core.errors import ImportFailure
from corpusdesk.core.locations import LibraryLocation
from corpusdesk.core.records import (
    ArticleDraft,
    FileResult,
    ImportProgress,
    ImportReport,
    Outcome,
)
from corpusdesk.importing import files, prepare
from corpusdesk.importing.sources import CapturedPage, PageFailure

BATCH_SIZE = 200
BATCH_SECONDS = 1.0
WORKER_MODULES = ("corpusdesk.importing.prepare", "corpusdesk.importing.warm")
"""Imported once in the fork server, so every worker it forks starts with them loaded."""


class DraftSink(Protocol):
    """Where prepared drafts are written: the library (or a test double)."""

    location: LibraryLocation

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


def _pool(location: LibraryLocation, workers: int) -> futures.ProcessPoolExecutor:
    # Workers look up stored files in a library file to skip them early; a team library's
    # writer finds them all the same.
    peek = str(location) if isinstance(location, Path) else ""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(list(WORKER_MODULES))
    return futures.ProcessPoolExecutor(
        max_workers=workers,
        mp_context=context,
        initializer=prepare.init_worker,
        initargs=(peek, True, os.getpid()),
    )


def _failed(path: Path | str, reason: str) -> FileResult:
    return FileResult(str(path), Outcome.FAILED, reason=reason)


def _count(claim: files.Claim) -> int | None:
    try:
        return claim.source.count(claim.path)
    except Exception:  # only a guess for progress; reading the file reports any problem
        return None


class _Feed:
    """The pages of every claimed file, read one at a time, and the running number of pages.

    The number starts from what each source expects its file to hold and is corrected as the
    files are read, so progress stays true for archives of many pages. A container that cannot
    be read, or holds no page, is one failure; the feed goes on with the next file.
    """

    def __init__(self, claims: Sequence[files.Claim], skip: Collection[files.FileIdentity]):
        self._claims = claims
        self._skip = skip
        self._expected = [_count(claim) for claim in claims]
        self.total = sum(1 if n is None else max(n, 1) for n in self._expected)
        self.known = all(n is not None for n in self._expected)
        """Whether :attr:`total` is known up front (else it grows as files are read)."""

    def __iter__(self) -> Iterator[CapturedPage | FileResult]:
        for claim, expected in zip(self._claims, self._expected, strict=True):
            counted = 1 if expected is None else max(expected, 1)
            produced = 0
            for item in self._read(claim):
                produced += 1
                if produced > counted:
                    counted += 1
                    self.total += 1
                yield item
            self.total -= counted - max(produced, 1)

    def _read(self, claim: files.Claim) -> Iterator[CapturedPage | FileResult]:
        path, label = claim.path, claim.source.label
        produced = 0
        try:
            for item in claim.source.pages(path, self._skip):
                produced += 1
                if isinstance(item, PageFailure):
                    yield FileResult(item.label, Outcome.FAILED, reason=item.reason)
                else:
                    yield item
        except ImportFailure as error:
            yield _failed(path, str(error))
            return
        except OSError as error:
            yield _failed(path, f"cannot read the file: {error.strerror or error}")
            return
        except MemoryError:
            yield _failed(path, f"the {label} needs more memory than can be given to it")
            return
        except Exception as error:  # a broken container fails alone; the batch goes on
            reason = f"cannot read the {label}: {type(error).__name__}: {error}"
            yield _failed(path, reason)
            return
        if produced == 0:
            yield _failed(path, f"the {label} holds no pages")


def run_import(
    sink: DraftSink,
    paths: Iterable[Path | str],
    *,
    progress: ProgressCallback | None = None,
    cancelled: Callable[[], bool] | None = None,
    on_committed: CommittedCallback | None = None,
    workers: int | None = None,
) -> ImportReport:
    """Import files, folders and archives (recursively) into ``sink``; returns the report."""
    given = [Path(p) for p in paths]
    report = ImportReport(started_at=dt.datetime.now(), sources=tuple(str(p) for p in given))
    skip = sink.file_identities()
    claims, problems = files.discover(given, skip=skip)
    report.results.extend(problems)
    writer = _Writer(sink, report, on_committed, [], time.monotonic())
    feed = _Feed(claims, skip)
    done = 0
    is_cancelled = cancelled or (lambda: False)
    workers = max(1, workers or os.cpu_count() or 1)

    def finished(name: str, item: ArticleDraft | FileResult) -> None:
        nonlocal done
        done += 1
        writer.add(item)
        if progress is not None:
            progress(ImportProgress(done, max(feed.total, done), name))

    if progress is not None:
        progress(ImportProgress(0, feed.total, ""))
    if claims:
        # However few the pages, each is prepared in a worker process: only there do the
        # per-page time limit and the memory cap apply, and a crash ends the worker alone.
        if feed.known:
            workers = min(workers, feed.total)
        report.cancelled = _run_pool(sink.location, iter(feed), workers, finished, is_cancelled)
    writer.flush()
    report.finished_at = dt.datetime.now()
    return report


def _run_pool(
    location: LibraryLocation,
    feed: Iterator[CapturedPage | FileResult],
    workers: int,
    finished: Callable[[str, ArticleDraft | FileResult], None],
    is_cancelled: Callable[[], bool],
) -> bool:
    """Prepare the pages of ``feed`` in worker processes; returns True when cancelled.

    The feed is read as workers need pages, so an archive is never all in memory: at most a
    few pages per worker wait in flight.
    """
    suspects: list[CapturedPage] = []
    unsent: list[CapturedPage] = []  # refused by a pool whose worker had just died
    max_in_flight = workers * 4
    pool = _pool(location, workers)
    in_flight: dict[futures.Future[ArticleDraft | FileResult], CapturedPage] = {}
    exhausted = False
    try:
        while not exhausted or in_flight or suspects or unsent:
            if is_cancelled():
                return True
            # After a worker crash the pages then in flight are retried one at a time, so the
            # one that crashes it again is identified and reported alone.
            limit = 1 if suspects else max_in_flight
            while len(in_flight) < limit and (suspects or unsent or not exhausted):
                if suspects:
                    page = suspects.pop()
                elif unsent:
                    page = unsent.pop()
                else:
                    item = next(feed, None)
                    if item is None:
                        exhausted = True
                        break
                    if isinstance(item, FileResult):
                        finished(item.path, item)
                        continue
                    page = item
                try:
                    in_flight[pool.submit(prepare.prepare_page, page)] = page
                except BrokenProcessPool:
                    # A worker died before the pool's futures say so: the crash is handled
                    # when they do; with none in flight, there is nothing to wait for.
                    unsent.append(page)
                    if not in_flight:
                        pool.shutdown(wait=False, cancel_futures=True)
                        pool = _pool(location, workers)
                    break
            if not in_flight:
                continue
            done, _ = futures.wait(in_flight, timeout=0.2, return_when=futures.FIRST_COMPLETED)
            crashed: list[CapturedPage] = []
            for future in done:
                page = in_flight.pop(future)
                try:
                    finished(page.name, future.result())
                except BrokenProcessPool:
                    crashed.append(page)
            if crashed:
                crashed.extend(in_flight.values())
                in_flight.clear()
                pool.shutdown(wait=False, cancel_futures=True)
                pool = _pool(location, workers)
                if limit == 1:
                    for page in crashed:
                        finished(page.name, prepare.crash_result(page))
                else:
                    suspects.extend(crashed)
        return False
    finally:
        close = getattr(feed, "close", None)
        if close is not None:
            close()
        pool.shutdown(wait=True, cancel_futures=True)
