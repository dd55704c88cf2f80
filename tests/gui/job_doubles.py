"""Jobs for the job-process tests: they run in the child process, so they import no Qt.

``HeldImport`` is a real import that stops at a chosen point (after a number of files) and
waits there until the job is cancelled, leaving a marker file so the test knows it got there.
``StubbornImport`` never looks at Cancel; ``StuckExport`` neither, halfway through writing its
file. ``FailingExport`` raises an unexpected error.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from corpusdesk.core.records import ArticleDetail, ImportProgress
from corpusdesk.exporting.writer import export_articles
from corpusdesk.gui.job_child import Channel, ExportJob, ExportOutcome, ImportJob, ImportOutcome
from corpusdesk.importing.pipeline import run_import
from corpusdesk.library.library import Library

HOLD_SECONDS = 30


@dataclass(frozen=True, slots=True)
class HeldImport(ImportJob):
    """An import that waits after ``hold_after`` files until cancelled (or for 30 s)."""

    marker: Path | None = None
    hold_after: int = 0

    def run(self, library: Library, channel: Channel) -> ImportOutcome:
        def progress(state: ImportProgress) -> None:
            channel.progress(state.done, state.total, state.current)
            if state.done == self.hold_after:
                if self.marker is not None:
                    self.marker.write_text("held", encoding="utf-8")
                channel.wait_cancelled(HOLD_SECONDS)

        report = run_import(
            library, list(self.paths), progress=progress, cancelled=channel.cancelled
        )
        return ImportOutcome(report, library.save_import_report(report))


@dataclass(frozen=True, slots=True)
class FailingExport(ExportJob):
    """An export that fails with an error nobody expected."""

    def run(self, library: Library, channel: Channel) -> ExportOutcome:
        raise RuntimeError(f"the export of {len(self.ids)} articles broke in the child")


@dataclass(frozen=True, slots=True)
class StubbornImport(ImportJob):
    """An import that ignores Cancel: it leaves its marker and sleeps for a minute."""

    marker: Path | None = None

    def run(self, library: Library, channel: Channel) -> ImportOutcome:
        if self.marker is not None:
            self.marker.write_text("stuck", encoding="utf-8")
        time.sleep(60)
        raise AssertionError("the stubborn import was not ended")


class _StuckSource:
    """Yields the first article, then waits a minute without looking at anything."""

    def __init__(self, library: Library, marker: Path | None) -> None:
        self.library = library
        self.marker = marker

    def iter_details(self, ids: Sequence[int]) -> Iterator[ArticleDetail]:
        yield from self.library.iter_details(ids[:1])
        if self.marker is not None:
            self.marker.write_text("stuck", encoding="utf-8")
        time.sleep(60)


@dataclass(frozen=True, slots=True)
class StuckExport(ExportJob):
    """An export that stops for a minute after its first article, ignoring Cancel."""

    marker: Path | None = None

    def run(self, library: Library, channel: Channel) -> ExportOutcome:
        count = export_articles(_StuckSource(library, self.marker), self.ids, self.target)
        return ExportOutcome(self.target, count)
