"""What runs in a job process: the import, export and re-clean jobs and the process's entry point.

The window runs each long job in a child process of its own, so the job's Python work never
competes with the event loop for the interpreter lock. This module is that process's side and
imports no Qt. The window sends one job (a small picklable record) over the pipe; the child
opens the library itself, runs the job and sends back progress, committed-batch notices and
finally a :class:`~corpusdesk.gui.child_process.Done` or
:class:`~corpusdesk.gui.child_process.Failed` message. The window may send :class:`Cancel` at any
time; a thread of the child sets the flag the job polls.

The child lowers its CPU priority and puts itself at the head of a new process group, so the
window can end it together with the worker processes it starts; it ends that group by itself
when the window's process goes away.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from corpusdesk.core.locations import LibraryLocation
from corpusdesk.core.records import FileResult, ImportProgress, ImportReport, Outcome
from corpusdesk.core.wording import plural
from corpusdesk.exporting.writer import export_articles
from corpusdesk.gui.child_process import Done, Failed, end_group_when_gone
from corpusdesk.importing.pipeline import run_import
from corpusdesk.importing.reclean import RecleanReport, reclean
from corpusdesk.library.library import Library

PROGRESS_INTERVAL = 0.1
"""Seconds between progress messages (the first and the last are always sent)."""
NICENESS = 10
"""How much lower the job's CPU priority is than the window's (its workers inherit it): on a
busy machine the window gets the CPU first and stays responsive; the job uses what is left."""


# -- messages ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Cancel:
    """From the window: stop at the next check."""


@dataclass(frozen=True, slots=True)
class Progress:
    """``done`` of ``total`` (0: not known yet), with a short note for the status bar."""

    done: int
    total: int
    text: str


@dataclass(frozen=True, slots=True)
class Committed:
    """A batch of new articles was committed to the library."""

    count: int


# -- results -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ImportOutcome:
    """A finished import: its report and the id it was saved under."""

    report: ImportReport
    run_id: int | None


@dataclass(frozen=True, slots=True)
class ExportOutcome:
    """A finished export."""

    path: Path
    count: int


# -- the jobs ------------------------------------------------------------------------------------


class Channel:
    """The job's way back to the window: progress, committed batches, and the cancel flag."""

    def __init__(self, connection: Connection, cancel: threading.Event) -> None:
        self._connection = connection
        self._cancel = cancel
        self._last = 0.0

    def cancelled(self) -> bool:
        """Whether the user asked the job to stop."""
        return self._cancel.is_set()

    def wait_cancelled(self, timeout: float) -> bool:
        """Block until the job is cancelled or ``timeout`` seconds passed; whether cancelled."""
        return self._cancel.wait(timeout)

    def progress(self, done: int, total: int, text: str) -> None:
        """Report progress, at most every :data:`PROGRESS_INTERVAL` seconds but the ends."""
        now = time.monotonic()
        if done in (0, total) or now - self._last >= PROGRESS_INTERVAL:
            self._last = now
            self._connection.send(Progress(done, total, text))

    def committed(self, count: int) -> None:
        """Tell the window that ``count`` new articles were committed."""
        if count:
            self._connection.send(Committed(count))


@dataclass(frozen=True, slots=True)
class Job:
    """A job for the child process: what it works on and how to run it.

    A team library's address carries its password to the job process, through the pipe.
    """

    library_location: LibraryLocation
    read_only: bool

    noun = "job"
    """What the job is called in messages ("import")."""
    writes = False
    """Whether the job changes the library."""
    lost_work = "nothing was changed"
    """What became of the work when the job's process died."""

    def run(self, library: Library, channel: Channel) -> object:
        """Do the work in the child process; the value is sent back in :class:`Done`."""
        raise NotImplementedError


@dataclass(frozen=True, slots=True)
class ImportJob(Job):
    """Import files and folders; the report is saved in the library's import history."""

    paths: tuple[Path, ...]

    noun = "import"
    writes = True
    lost_work = "the articles saved before that are kept; import the files again for the rest"

    def run(self, library: Library, channel: Channel) -> ImportOutcome:
        def progress(state: ImportProgress) -> None:
            channel.progress(state.done, state.total, f"Importing {plural(state.total, 'file')}…")

        def committed(results: list[FileResult]) -> None:
            channel.committed(sum(1 for r in results if r.outcome is Outcome.IMPORTED))

        report = run_import(
            library,
            list(self.paths),
            progress=progress,
            cancelled=channel.cancelled,
            on_committed=committed,
        )
        run_id = library.save_import_report(report) if report.results else None
        return ImportOutcome(report, run_id)


@dataclass(frozen=True, slots=True)
class ExportJob(Job):
    """Export articles to a JSON, JSONL, CSV, Parquet or CSL-JSON file (by its extension)."""

    ids: tuple[int, ...]
    target: Path

    noun = "export"
    lost_work = "no file was written"

    def run(self, library: Library, channel: Channel) -> ExportOutcome:
        total = len(self.ids)
        note = f"Exporting to {self.target.name}"
        count = export_articles(
            library,
            self.ids,
            self.target,
            progress=lambda done: channel.progress(done, total, note),
            cancelled=channel.cancelled,
            library=library.path if library.is_file else None,
        )
        return ExportOutcome(self.target, count)


@dataclass(frozen=True, slots=True)
class RecleanJob(Job):
    """Re-extract stored articles from their originals with the current rules."""

    ids: tuple[int, ...]

    noun = "re-clean"
    writes = True
    lost_work = "the articles re-cleaned before that keep their new text"

    def run(self, library: Library, channel: Channel) -> RecleanReport:
        def progress(state: ImportProgress) -> None:
            channel.progress(state.done, state.total, "Re-cleaning")

        return reclean(library, self.ids, progress=progress, cancelled=channel.cancelled)


# -- the process ---------------------------------------------------------------------------------


class _Stopped(BaseException):
    """Raised in the job's thread on SIGTERM, so that clean-ups (the export's file) run first."""


def _on_terminate(_signum: int, _frame: Any) -> None:
    raise _Stopped("the job was stopped")


def _listen(connection: Connection, cancel: threading.Event) -> None:
    """Set ``cancel`` when the window says so, or when it stops listening."""
    try:
        while not isinstance(connection.recv(), Cancel):
            pass
    except (EOFError, OSError):
        pass
    cancel.set()


def main(connection: Connection, window_pid: int) -> None:
    """The job process: receive one job, run it, send back its messages and its end."""
    os.setpgrp()
    with contextlib.suppress(OSError):
        os.nice(NICENESS)
    signal.signal(signal.SIGTERM, _on_terminate)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is for the window, which ends us
    threading.Thread(
        target=end_group_when_gone, args=(window_pid,), name="window-watch", daemon=True
    ).start()
    try:
        job = connection.recv()
    except (EOFError, OSError):
        return
    cancel = threading.Event()
    threading.Thread(target=_listen, args=(connection, cancel), name="cancel", daemon=True).start()
    try:
        with Library.open(job.library_location, read_only=job.read_only) as library:
            end: Done | Failed = Done(job.run(library, Channel(connection, cancel)))
    except _Stopped:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        os.kill(os.getpid(), signal.SIGTERM)  # end as terminated, now that all is tidy
        return
    except BaseException as error:
        end = Failed.of(error)
    try:
        connection.send(end)
    except OSError:
        pass  # the window is gone
    except Exception as error:  # the result would not pickle: a bug worth reporting
        with contextlib.suppress(OSError):
            connection.send(Failed.of(error))
    connection.close()
